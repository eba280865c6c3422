//! Writes a synthetic API of about N operations to stdout, as JSON: the Commet spec's
//! schemas, shared responses and five operations copied N / 5 times under distinct names (see
//! `benches/support/synthetic.rs`). It is the document the scaling benchmark generates, for
//! timing any generator on it:
//!
//! ```sh
//! cargo run --release -p commet-codegen --example synthetic_spec -- 5000 > commet-5000.json
//! scripts/bench-compare --spec commet-5000.json
//! ```

use std::io::Write;
use std::path::Path;

#[path = "../benches/support/synthetic.rs"]
mod synthetic;

/// Operations in one copy of the Commet spec.
const OPERATIONS_PER_COPY: usize = 5;

fn main() {
    let operations: usize = match std::env::args().nth(1).map(|a| a.parse()) {
        Some(Ok(n)) if n >= OPERATIONS_PER_COPY => n,
        _ => {
            eprintln!("usage: synthetic_spec OPERATIONS   (at least {OPERATIONS_PER_COPY})");
            std::process::exit(2);
        }
    };
    let spec = Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec/commet.yaml");
    let text = std::fs::read_to_string(&spec).expect("spec/commet.yaml is readable");
    let copies = operations.div_ceil(OPERATIONS_PER_COPY);
    let document = synthetic::replicated_spec(&text, copies);
    std::io::stdout()
        .write_all(document.as_bytes())
        .expect("stdout is writable");
}
