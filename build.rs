//! Generates the Commet client from spec/commet.yaml, exactly as a downstream crate would.

fn main() -> Result<(), commet_codegen::GenerateError> {
    commet_codegen::Builder::new("spec/commet.yaml").generate_to_out_dir("commet.rs")?;
    Ok(())
}
