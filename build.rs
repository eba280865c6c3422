//! Generates the Commet client from spec/commet.yaml, exactly as a downstream crate would.
//! Strict: the ready-made client carries every operation of its spec, or the build fails.

fn main() -> Result<(), commet_codegen::GenerateError> {
    commet_codegen::Builder::new("spec/commet.yaml")
        .strict(true)
        .generate_to_out_dir("commet.rs")?;
    Ok(())
}
