//! Generates one module per `tests/fixtures/*.yaml`, in file-name order, with the library's
//! `Builder` (which also tells Cargo to rerun when a fixture changes), one with the user's
//! idempotency choice over a fixture's, one per payments document in `PAYMENTS`, and one per later
//! Commet contract in `tests/api-versions/`, and lists them in `mods.rs` for `src/lib.rs` to
//! include.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// A payments document whose client runs under faults.
struct Payments {
    module: &'static str,
    document: &'static str,
    /// The operations kept; none: the whole client.
    operations: &'static [&'static str],
    /// The user's idempotency header for every write, for a document that declares none.
    header: Option<&'static str>,
}

const PAYMENTS: &[Payments] = &[
    Payments {
        module: "paypal_orders",
        document: "paypal-checkout-orders-v2.json",
        operations: &[],
        header: None,
    },
    Payments {
        module: "adyen_payments",
        document: "adyen-checkout-v72.json",
        operations: &["post-payments"],
        header: None,
    },
    Payments {
        module: "square_payments",
        document: "square-api.json",
        operations: &["CreatePayment"],
        header: None,
    },
    Payments {
        module: "dwolla_transfers",
        document: "dwolla-openapi.yaml",
        operations: &["initiateTransfer"],
        header: None,
    },
    Payments {
        module: "stripe_payment_intents",
        document: "stripe-spec3.yaml",
        operations: &["PostPaymentIntents"],
        header: Some("Idempotency-Key"),
    },
];

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
    // The payments APIs' own documents, for their clients under faults against the stand-in:
    // PayPal's whole, the others trimmed to their payment calls (Stripe's and Square's
    // documents are among the largest there are; a trimmed client is what a build.rs user of
    // them compiles, and the operations kept are generated exactly as in the whole client).
    // Generated without passing their warnings on: they are the corpus test's business, and
    // would be repeated on every build of this crate.
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("../vendored/corpus");
    let out_dir = std::env::var_os("OUT_DIR").ok_or("OUT_DIR is not set")?;
    for Payments {
        module,
        document,
        operations,
        header,
    } in PAYMENTS
    {
        let path = corpus.join(document);
        println!("cargo:rerun-if-changed={}", path.display());
        let mut builder = commet_codegen::Builder::new(&path);
        if !operations.is_empty() {
            builder = builder.operations(operations.iter().copied());
        }
        if let Some(header) = header {
            builder = builder.idempotency(
                "*",
                commet_codegen::IdempotencyChoice::Header((*header).to_owned()),
            );
        }
        let generated = builder.generate()?;
        std::fs::write(
            Path::new(&out_dir).join(format!("{module}.rs")),
            generated.code,
        )?;
        let kept = if operations.is_empty() {
            "whole".to_owned()
        } else {
            format!("trimmed to `{}`", operations.join("`, `"))
        };
        writeln!(
            mods,
            "/// The client of `tests/vendored/corpus/{document}`, {kept}.\n\
             pub mod {module} {{\n    include!(concat!(env!(\"OUT_DIR\"), \"/{module}.rs\"));\n}}\n"
        )?;
    }
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
    std::fs::write(Path::new(&out_dir).join("mods.rs"), mods)?;
    Ok(())
}
