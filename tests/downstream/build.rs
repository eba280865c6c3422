//! Generates only the two operations this crate uses, under the crate's own env prefix, with
//! `Eq` on every type so payments can be compared in the crate's own logic.

fn main() -> Result<(), commet_codegen::GenerateError> {
    commet_codegen::Builder::new("../../spec/commet.yaml")
        .operations(["charge-payment", "get-payment"])
        .env_prefix("BILLING")
        .derive("Eq")
        .generate_to_out_dir("commet.rs")?;
    Ok(())
}
