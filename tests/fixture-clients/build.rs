//! Generates one module per `tests/fixtures/*.yaml`, in file-name order, with the library's
//! `Builder` (which also tells Cargo to rerun when a fixture changes), one with the user's
//! idempotency choice over a fixture's, and one per later
//! Commet contract in `tests/api-versions/`, and lists them in `mods.rs` for `src/lib.rs` to
//! include.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("../fixtures");
    // A fixture added or removed changes the directory.
    println!("cargo:rerun-if-changed={}", fixtures.display());
    let mut specs: Vec<PathBuf> = std::fs::read_dir(&fixtures)?
        .map(|entry| entry.map(|e| e.path()))
        .collect::<Result<_, _>>()?;
    specs.retain(|p| p.extension().is_some_and(|e| e == "yaml"));
    specs.sort();

    let mut mods = String::new();
    for spec in &specs {
        let name = spec
            .file_stem()
            .and_then(|s| s.to_str())
            .ok_or_else(|| format!("{} has no UTF-8 file name", spec.display()))?;
        let file = format!("{name}.rs");
        commet_codegen::Builder::new(spec).generate_to_out_dir(&file)?;
        writeln!(
            mods,
            "/// The client generated from `tests/fixtures/{name}.yaml`.\n\
             pub mod {name} {{\n    include!(concat!(env!(\"OUT_DIR\"), \"/{file}\"));\n}}\n"
        )?;
    }
    // The user's idempotency choice over the document's: the Stripe way (a header the document
    // never declares, for every write) and one operation turned off.
    commet_codegen::Builder::new(fixtures.join("idempotency_styles.yaml"))
        .idempotency(
            "*",
            commet_codegen::IdempotencyChoice::Header("Idempotency-Key".to_owned()),
        )
        .idempotency("createNote", commet_codegen::IdempotencyChoice::None)
        .generate_to_out_dir("idempotency_chosen.rs")?;
    mods.push_str(
        "/// The client of `tests/fixtures/idempotency_styles.yaml` with the user's idempotency \
         choice: `*=header:Idempotency-Key`, `createNote=none`.\n\
         pub mod idempotency_chosen {\n    \
         include!(concat!(env!(\"OUT_DIR\"), \"/idempotency_chosen.rs\"));\n}\n\n",
    );
    // PayPal's own Orders v2 document, for its client under faults against the stand-in.
    let paypal = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../vendored/corpus/paypal-checkout-orders-v2.json");
    // Generated without passing its warnings on (they are the corpus test's business, and
    // would be repeated on every build of this crate).
    println!("cargo:rerun-if-changed={}", paypal.display());
    let out_dir = std::env::var_os("OUT_DIR").ok_or("OUT_DIR is not set")?;
    let generated = commet_codegen::Builder::new(&paypal).generate()?;
    std::fs::write(Path::new(&out_dir).join("paypal_orders.rs"), generated.code)?;
    mods.push_str(
        "/// The client of PayPal's Orders v2 document (`tests/vendored/corpus`).\n\
         pub mod paypal_orders {\n    \
         include!(concat!(env!(\"OUT_DIR\"), \"/paypal_orders.rs\"));\n}\n\n",
    );
    // Commet's later contracts, whole (strict: every operation), as the Commet client is built.
    let versions = Path::new(env!("CARGO_MANIFEST_DIR")).join("../api-versions");
    println!("cargo:rerun-if-changed={}", versions.display());
    let mut specs: Vec<PathBuf> = std::fs::read_dir(&versions)?
        .map(|entry| entry.map(|e| e.path()))
        .collect::<Result<_, _>>()?;
    specs.retain(|p| p.extension().is_some_and(|e| e == "yaml"));
    specs.sort();
    for spec in &specs {
        let stem = spec
            .file_stem()
            .and_then(|s| s.to_str())
            .ok_or_else(|| format!("{} has no UTF-8 file name", spec.display()))?;
        let name = format!("commet_{}", stem.replace('-', "_"));
        let file = format!("{name}.rs");
        commet_codegen::Builder::new(spec)
            .strict(true)
            .generate_to_out_dir(&file)?;
        writeln!(
            mods,
            "/// The Commet client generated from `tests/api-versions/{stem}.yaml`.\n\
             pub mod {name} {{\n    include!(concat!(env!(\"OUT_DIR\"), \"/{file}\"));\n}}\n"
        )?;
    }
    let out_dir = std::env::var_os("OUT_DIR").ok_or("OUT_DIR is not set")?;
    std::fs::write(Path::new(&out_dir).join("mods.rs"), mods)?;
    Ok(())
}
