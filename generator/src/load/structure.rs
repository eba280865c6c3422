//! Structural errors: every part of a document that is not valid OpenAPI 3.0, located.
//!
//! openapiv3's flattened and untagged types hide where a mismatch is, and serde stops at the
//! first one; checking each part on its own finds them all, precisely.

use crate::diagnostic::{Diagnostic, child, escape_token};

pub(super) fn invalid(at: &str, e: &serde_path_to_error::Error<serde_json::Error>) -> Diagnostic {
    let pointer = format!("{at}{}", path_to_pointer(e.path()));
    Diagnostic::error(
        pointer,
        format!("not a valid OpenAPI 3.0 document: {}", e.inner()),
    )
    .with_help("check this node against the OpenAPI 3.0.3 specification")
}

/// Deserializes `value` as `T`; on failure records a diagnostic under `at` and returns true.
fn check<T: serde::de::DeserializeOwned>(
    value: &serde_json::Value,
    at: &str,
    out: &mut Vec<Diagnostic>,
) -> bool {
    match serde_path_to_error::deserialize::<_, T>(value) {
        Ok(_) => false,
        Err(e) => {
            out.push(invalid(at, &e));
            true
        }
    }
}

/// Checks every entry of a map-valued node as `T`. Returns true when one failed.
fn check_entries<T: serde::de::DeserializeOwned>(
    value: Option<&serde_json::Value>,
    at: &str,
    out: &mut Vec<Diagnostic>,
) -> bool {
    let mut failed = false;
    match value {
        Some(serde_json::Value::Object(map)) => {
            for (key, entry) in map.iter().filter(|(k, _)| !k.starts_with("x-")) {
                failed |= check::<T>(entry, &child(at, key), out);
            }
        }
        Some(serde_json::Value::Array(items)) => {
            for (i, entry) in items.iter().enumerate() {
                failed |= check::<T>(entry, &child(at, &i.to_string()), out);
            }
        }
        _ => {}
    }
    failed
}

/// Finds every structurally invalid part of a document, as deep as the parts go.
pub(super) fn structural_errors(raw: &serde_json::Value) -> Vec<Diagnostic> {
    use openapiv3::{
        Info, Operation, Parameter, PathItem, ReferenceOr, RequestBody, Response, Schema,
        SecurityScheme, Server,
    };
    let mut out = Vec::new();
    if let Some(info) = raw.get("info") {
        check::<Info>(info, "/info", &mut out);
    } else {
        out.push(
            Diagnostic::error("", "missing `info`")
                .with_help("add `info` with a `title` and a `version`"),
        );
    }
    if let Some(servers) = raw.get("servers") {
        check::<Vec<Server>>(servers, "/servers", &mut out);
    }
    if let Some(serde_json::Value::Object(paths)) = raw.get("paths") {
        for (path, item) in paths.iter().filter(|(k, _)| !k.starts_with("x-")) {
            let at = child("/paths", path);
            let Err(e) = serde_path_to_error::deserialize::<_, ReferenceOr<PathItem>>(item) else {
                continue;
            };
            let mut found = false;
            if let serde_json::Value::Object(fields) = item {
                for (key, value) in fields {
                    let key_at = child(&at, key);
                    match key.as_str() {
                        "get" | "put" | "post" | "delete" | "options" | "head" | "patch"
                        | "trace" => {
                            if serde_path_to_error::deserialize::<_, Operation>(value).is_ok() {
                                continue;
                            }
                            let before = out.len();
                            check_entries::<ReferenceOr<Parameter>>(
                                value.get("parameters"),
                                &child(&key_at, "parameters"),
                                &mut out,
                            );
                            check_entries::<ReferenceOr<Response>>(
                                value.get("responses"),
                                &child(&key_at, "responses"),
                                &mut out,
                            );
                            if let Some(body) = value.get("requestBody") {
                                check::<ReferenceOr<RequestBody>>(
                                    body,
                                    &child(&key_at, "requestBody"),
                                    &mut out,
                                );
                            }
                            if out.len() == before {
                                check::<Operation>(value, &key_at, &mut out);
                            }
                            found = true;
                        }
                        "parameters" => {
                            found |= check_entries::<ReferenceOr<Parameter>>(
                                Some(value),
                                &key_at,
                                &mut out,
                            );
                        }
                        _ => {}
                    }
                }
            }
            if !found {
                out.push(invalid(&at, &e));
            }
        }
    } else {
        check::<openapiv3::Paths>(
            raw.get("paths").unwrap_or(&serde_json::Value::Null),
            "/paths",
            &mut out,
        );
    }
    if let Some(components) = raw.get("components") {
        let at = "/components";
        check_entries::<ReferenceOr<Schema>>(
            components.get("schemas"),
            &child(at, "schemas"),
            &mut out,
        );
        check_entries::<ReferenceOr<Response>>(
            components.get("responses"),
            &child(at, "responses"),
            &mut out,
        );
        check_entries::<ReferenceOr<Parameter>>(
            components.get("parameters"),
            &child(at, "parameters"),
            &mut out,
        );
        check_entries::<ReferenceOr<RequestBody>>(
            components.get("requestBodies"),
            &child(at, "requestBodies"),
            &mut out,
        );
        check_entries::<ReferenceOr<SecurityScheme>>(
            components.get("securitySchemes"),
            &child(at, "securitySchemes"),
            &mut out,
        );
    }
    out
}

fn path_to_pointer(path: &serde_path_to_error::Path) -> String {
    use serde_path_to_error::Segment;
    let mut pointer = String::new();
    for segment in path.iter() {
        match segment {
            Segment::Seq { index } => pointer.push_str(&format!("/{index}")),
            Segment::Map { key } => pointer.push_str(&format!("/{}", escape_token(key))),
            Segment::Enum { .. } | Segment::Unknown => {}
        }
    }
    pointer
}
