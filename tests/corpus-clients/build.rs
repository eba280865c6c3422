//! Generates a client for every corpus document that `expectations.yaml` does not list as an
//! exception, one module each, and lists them in `mods.rs`.

use std::fmt::Write as _;
use std::path::Path;

// The build script needs only the list of exceptions; the corpus test reads the rest.
#[allow(dead_code)]
#[path = "src/expectations.rs"]
mod expectations;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let listed = manifest.join("expectations.yaml");
    let dir = expectations::corpus_dir(&manifest.join("../.."));
    println!("cargo:rerun-if-changed={}", listed.display());
    println!("cargo:rerun-if-changed={}", dir.display());
    println!("cargo:rerun-if-env-changed=COMMET_CORPUS_DIR");
    let expected = expectations::read(&listed)?;
    let out_dir = std::env::var_os("OUT_DIR").ok_or("OUT_DIR is not set")?;
    let mut mods = String::new();
    for doc in expectations::documents(&dir)? {
        let file = doc
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default()
            .to_owned();
        if expected.exceptions.contains_key(&file) {
            continue;
        }
        println!("cargo:rerun-if-changed={}", doc.display());
        let module = expectations::module_name(&doc);
        // Warnings are the corpus test's business; hundreds of `cargo:warning` lines would
        // drown the build's own output.
        let generated = commet_codegen::Builder::new(&doc).generate()?;
        std::fs::write(
            Path::new(&out_dir).join(format!("{module}.rs")),
            generated.code,
        )?;
        writeln!(
            mods,
            "/// The client generated from the corpus document `{file}`.\n\
             pub mod {module} {{\n    include!(concat!(env!(\"OUT_DIR\"), \"/{module}.rs\"));\n}}\n"
        )?;
    }
    std::fs::write(Path::new(&out_dir).join("mods.rs"), mods)?;
    Ok(())
}
