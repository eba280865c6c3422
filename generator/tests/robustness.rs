//! The generator never panics on input: 150 seeded, mangled variants of the real spec each end
//! in a client or in diagnostics, nothing else; and every outcome, of those and of the
//! project's own documents, passes the oracle the fuzz targets assert (`support/oracle.rs`).

use std::path::{Path, PathBuf};

use commet_codegen::{Builder, GenerateError};
use serde_json::Value;

#[path = "support/oracle.rs"]
mod oracle;

/// The project's own documents: the spec, Commet's later contracts and every fixture.
fn own_documents() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut found = vec![root.join("spec/commet.yaml")];
    for dir in ["tests/fixtures", "tests/api-versions"] {
        let mut files: Vec<PathBuf> = std::fs::read_dir(root.join(dir))
            .expect("the directory exists")
            .map(|entry| entry.expect("a readable entry").path())
            .collect();
        files.sort();
        found.extend(files);
    }
    found
}

#[test]
fn the_projects_own_documents_pass_the_oracle() {
    let documents = own_documents();
    assert!(
        documents.len() > 20,
        "only {} documents found",
        documents.len()
    );
    for path in documents {
        let bytes = std::fs::read(&path).expect("readable");
        oracle::check_bytes(&bytes);
    }
}

fn real_spec() -> Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec/commet.yaml");
    let text = std::fs::read_to_string(path).expect("spec is readable");
    serde_yaml::from_str(&text).expect("spec parses")
}

/// Every node of a document, as JSON pointers.
fn pointers(value: &Value, at: String, out: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                let p = format!("{at}/{}", k.replace('~', "~0").replace('/', "~1"));
                out.push(p.clone());
                pointers(v, p, out);
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                let p = format!("{at}/{i}");
                out.push(p.clone());
                pointers(v, p, out);
            }
        }
        _ => {}
    }
}

fn replacement(rng: &mut fastrand::Rng) -> Value {
    match rng.u8(0..9) {
        0 => Value::Null,
        1 => Value::from(-7),
        2 => Value::from("type"),
        3 => Value::Array(vec![Value::from(1), Value::Null]),
        4 => serde_json::json!({}),
        5 => serde_json::json!({"$ref": "#/components/schemas/Nowhere"}),
        6 => serde_json::json!({"$ref": "#/components/schemas/Payment"}),
        7 => {
            serde_json::json!({"type": "object", "additionalProperties": {"$ref": "#/components/schemas/PaymentStatus"}})
        }
        _ => {
            serde_json::json!({"oneOf": [{"type": "string"}, {"$ref": "#/components/schemas/Payment"}], "discriminator": {"propertyName": "kind"}})
        }
    }
}

#[test]
fn mangled_specs_never_panic() {
    let original = real_spec();
    let mut all = Vec::new();
    pointers(&original, String::new(), &mut all);
    let mut rng = fastrand::Rng::with_seed(0x00c0_ffee);
    let (mut generated, mut rejected) = (0, 0);
    for round in 0..150 {
        let mut doc = original.clone();
        // One to three edits per variant: several problems at once is the interesting case.
        for _ in 0..rng.usize(1..=3) {
            let pointer = &all[rng.usize(0..all.len())];
            if let Some(node) = doc.pointer_mut(pointer) {
                *node = if rng.bool() {
                    replacement(&mut rng)
                } else {
                    Value::Null
                };
            }
        }
        let text = serde_json::to_string_pretty(&doc).expect("serializes");
        let outcome = Builder::from_text(format!("variant-{round}.json"), text).generate();
        oracle::check_outcome(&outcome);
        match outcome {
            Ok(_) => generated += 1,
            Err(GenerateError::Spec { .. }) => rejected += 1,
            Err(other) => panic!("round {round}: unexpected failure kind: {other}"),
        }
    }
    // Both outcomes must actually occur, or the test is not exercising anything.
    assert!(
        generated > 0 && rejected > 0,
        "generated {generated}, rejected {rejected}"
    );
}

/// Inputs the fuzz targets found failing, kept so that the fix stays: each file is one input,
/// named for what it taught.
#[test]
fn fuzz_findings_stay_fixed() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fuzz-findings");
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("tests/fuzz-findings exists")
        .map(|entry| entry.expect("a readable entry").path())
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no findings found");
    for path in files {
        let bytes = std::fs::read(&path).expect("readable");
        let name = path
            .file_name()
            .expect("a file name")
            .to_string_lossy()
            .into_owned();
        let outcome = std::panic::catch_unwind(|| oracle::check_bytes(&bytes));
        assert!(outcome.is_ok(), "the fuzz finding {name} fails again");
    }
}
