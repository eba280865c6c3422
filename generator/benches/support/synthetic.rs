//! Synthetic APIs of any size, made from the Commet spec: the scaling benchmark's input, and
//! what `examples/synthetic_spec.rs` writes out for timing other tools on the same document.

use serde_json::Value;

/// Appends `suffix` to every `$ref` that points into one of the component `sections`.
fn rewrite_refs(value: &mut Value, suffix: &str, sections: &[&str]) {
    match value {
        Value::Object(map) => {
            for (key, child) in map.iter_mut() {
                if key == "$ref"
                    && let Value::String(target) = child
                {
                    for section in sections {
                        let prefix = format!("#/components/{section}/");
                        if target.starts_with(&prefix) {
                            target.push_str(suffix);
                        }
                    }
                } else {
                    rewrite_refs(child, suffix, sections);
                }
            }
        }
        Value::Array(items) => {
            for item in items {
                rewrite_refs(item, suffix, sections);
            }
        }
        _ => {}
    }
}

/// The Commet spec (`spec_yaml`) with its schemas, responses and paths repeated `copies` times. Copy `i > 0`
/// renames schema and response `Name` to `NameR{i}`, path `/p` to `/r{i}/p` and operation `op`
/// to `op-r{i}`; references inside a copy point into the same copy. Parameters, headers and
/// security schemes stay shared, as they would in a bigger real API.
pub fn replicated_spec(spec_yaml: &str, copies: usize) -> String {
    let original: Value = serde_yaml::from_str(spec_yaml).expect("the spec is YAML");
    let mut spec = original.clone();
    let replicated = ["schemas", "responses"];
    for i in 1..copies {
        let suffix = format!("R{i}");
        let mut copy = original.clone();
        rewrite_refs(&mut copy, &suffix, &replicated);
        for section in replicated {
            let source = copy["components"][section]
                .as_object()
                .expect("a component section")
                .clone();
            let target = spec["components"][section]
                .as_object_mut()
                .expect("a component section");
            for (name, item) in source {
                target.insert(format!("{name}{suffix}"), item);
            }
        }
        let paths = copy["paths"].as_object().expect("paths").clone();
        let target = spec["paths"].as_object_mut().expect("paths");
        for (path, mut item) in paths {
            for operation in item.as_object_mut().expect("a path item").values_mut() {
                if let Some(Value::String(id)) = operation.get_mut("operationId") {
                    id.push_str(&format!("-r{i}"));
                }
            }
            target.insert(format!("/r{i}{path}"), item);
        }
    }
    serde_json::to_string(&spec).expect("serializable")
}
