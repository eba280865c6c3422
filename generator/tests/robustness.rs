//! The generator never panics on input: 150 seeded, mangled variants of the real spec each end
//! in a client or in diagnostics, nothing else.

use std::path::Path;

use commet_codegen::{Builder, GenerateError};
use serde_json::Value;

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
        match Builder::from_text(format!("variant-{round}.json"), text).generate() {
            Ok(_) => generated += 1,
            Err(GenerateError::Spec { diagnostics, .. }) => {
                assert!(
                    diagnostics.has_errors(),
                    "round {round}: rejected without an error"
                );
                rejected += 1;
            }
            Err(other) => panic!("round {round}: unexpected failure kind: {other}"),
        }
    }
    // Both outcomes must actually occur, or the test is not exercising anything.
    assert!(
        generated > 0 && rejected > 0,
        "generated {generated}, rejected {rejected}"
    );
}
