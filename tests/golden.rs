//! The checked-in client, `generated/commet.rs`, is exactly what the generator makes of the spec,
//! and exactly what this crate's build.rs compiles. Both checks fail with the command to fix it.

use std::path::Path;

// The golden file is compiled here too, so it is never a file nobody builds.
#[allow(dead_code, unused_imports)]
mod golden {
    include!("../generated/commet.rs");
}

const REGENERATE: &str = "cargo run -p commet-codegen --features cli -- generate spec/commet.yaml -o generated/commet.rs";

fn golden_text() -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("generated/commet.rs");
    std::fs::read_to_string(path).expect("generated/commet.rs is readable")
}

#[test]
fn golden_matches_a_fresh_generation() {
    let spec = Path::new(env!("CARGO_MANIFEST_DIR")).join("spec/commet.yaml");
    let fresh = commet_codegen::Builder::new(&spec)
        .generate()
        .unwrap_or_else(|e| panic!("the spec must generate: {e}"));
    assert!(
        fresh.code == golden_text(),
        "generated/commet.rs is stale; regenerate it with:\n    {REGENERATE}"
    );
}

#[test]
fn build_script_output_is_the_golden_file() {
    let built = include_str!(concat!(env!("OUT_DIR"), "/commet.rs"));
    assert!(
        built == golden_text(),
        "the client build.rs compiled differs from generated/commet.rs; regenerate it with:\n    {REGENERATE}"
    );
}

#[test]
fn golden_client_builds_from_explicit_settings() {
    let client = golden::Client::builder()
        .api_key("ck_sandbox_golden")
        .base_url("http://127.0.0.1:9")
        .build()
        .expect("a client with a key and base URL builds");
    let debug = format!("{client:?}");
    assert!(!debug.contains("ck_sandbox_golden"), "{debug}");
}
