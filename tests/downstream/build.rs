//! Generates only the two operations this crate uses, under the crate's own env prefix.

fn main() -> Result<(), commet_codegen::GenerateError> {
    commet_codegen::Builder::new("../../spec/commet.yaml")
        .operations(["charge-payment", "get-payment"])
        .env_prefix("BILLING")
        .generate_to_out_dir("commet.rs")?;
    Ok(())
}
