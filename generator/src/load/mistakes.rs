//! Authors' mistakes that `openapiv3` would refuse, read as their authors obviously meant
//! before it reads the document.
//!
//! Real documents carry mistakes: Square writes a security requirement's scopes as `null`, a
//! hand-edited operation may hold a value of the wrong type. Refusing the whole document over
//! one of them would cost a user 300 good operations for one typo, so each mistake whose
//! meaning is clear is repaired here with a warning (an error when the run is strict), and an
//! operation too broken to read is left out of the client alone. Only a document that can't be
//! read at all fails as a whole. The README's "Authors' mistakes" lists every rule.

use serde_json::Value;

use crate::diagnostic::{Diagnostic, child, unescape_token};

/// The methods of a path item that hold an operation.
const METHODS: &[&str] = &[
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// Repairs what can be read as meant, and says so at each place.
pub(super) fn repair(raw: &mut Value) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    if let Some(list) = raw.get_mut("security") {
        null_scopes(list, "/security", &mut out);
    }
    if let Some(Value::Object(paths)) = raw.get_mut("paths") {
        for (path, item) in paths.iter_mut() {
            let Value::Object(item) = item else { continue };
            let item_at = child("/paths", path);
            for (method, op) in item.iter_mut() {
                if !METHODS.contains(&method.as_str()) {
                    continue;
                }
                if let Some(list) = op.get_mut("security") {
                    null_scopes(list, &child(&child(&item_at, method), "security"), &mut out);
                }
            }
        }
    }
    out
}

/// `security: [{oauth2: null}]`: the scopes of a requirement are a list, and an author who
/// wrote `null` meant none.
fn null_scopes(list: &mut Value, at: &str, out: &mut Vec<Diagnostic>) {
    let Value::Array(requirements) = list else {
        return;
    };
    for (i, requirement) in requirements.iter_mut().enumerate() {
        let Value::Object(schemes) = requirement else {
            continue;
        };
        for (name, scopes) in schemes.iter_mut() {
            if scopes.is_null() {
                *scopes = Value::Array(Vec::new());
                out.push(
                    Diagnostic::mistake(
                        child(&child(at, &i.to_string()), name),
                        format!("the scopes of `{name}` are `null`, not a list"),
                        "read as no scopes (`[]`)",
                    )
                    .with_help("write `[]` for a requirement without scopes"),
                );
            }
        }
    }
}

/// What to leave out for a structural error at `pointer`: the operation that holds it
/// (`/paths/{path}/{method}`), or the whole path item when the error is in what its
/// operations share (path-level `parameters`, say).
fn part_of(pointer: &str) -> Option<String> {
    let mut tokens = pointer.strip_prefix('/')?.splitn(4, '/');
    let (root, path) = (tokens.next()?, tokens.next()?);
    if root != "paths" {
        return None;
    }
    match tokens.next() {
        Some(method) if METHODS.contains(&method) => Some(format!("/{root}/{path}/{method}")),
        _ => Some(format!("/{root}/{path}")),
    }
}

/// Leaves out each operation that a structural error is inside (or each operation of the
/// path item it is in): the error becomes the reason, and the rest of the document is read
/// without them. Returns the errors outside any path (they still fail the document) and the
/// warnings for what was left out; `None` when no error was inside a path.
pub(super) fn leave_out_invalid_operations(
    raw: &mut Value,
    errors: Vec<Diagnostic>,
) -> Option<(Vec<Diagnostic>, Vec<Diagnostic>)> {
    let mut remaining = Vec::new();
    let mut left_out: Vec<Diagnostic> = Vec::new();
    let mut cut: Vec<String> = Vec::new();
    for error in errors {
        let Some(part) = part_of(&error.pointer) else {
            remaining.push(error);
            continue;
        };
        let reason = error
            .message
            .strip_prefix("not a valid OpenAPI 3.0 document: ")
            .unwrap_or(&error.message);
        let what = match part.matches('/').count() {
            3 => format!("operation `{}` is", operation_id(raw, &part)),
            _ => format!(
                "the operations of `{}` are",
                unescape_token(part.trim_start_matches("/paths/"))
            ),
        };
        let mut d = Diagnostic::mistake(
            error.pointer.clone(),
            format!("{what} left out of the client: it is not valid OpenAPI 3.0 here ({reason})"),
            "the rest of the document is read without it",
        );
        d.help = error.help.clone();
        left_out.push(d);
        if !cut.contains(&part) {
            cut.push(part);
        }
    }
    if cut.is_empty() {
        return None;
    }
    for part in &cut {
        if let Some((parent, key)) = part.rsplit_once('/')
            && let Some(Value::Object(map)) = raw.pointer_mut(parent)
        {
            map.shift_remove(&unescape_token(key));
        }
    }
    Some((remaining, left_out))
}

/// The `operationId` of the operation at `op_at`, or the name the lowering would give it.
fn operation_id(raw: &Value, op_at: &str) -> String {
    raw.pointer(op_at)
        .and_then(|op| op.get("operationId"))
        .and_then(Value::as_str)
        .map(str::to_owned)
        .unwrap_or_else(|| fallback_id(op_at))
}

/// The name the lowering gives an operation without an `operationId` (`get /items/id`).
fn fallback_id(op_at: &str) -> String {
    let mut tokens = op_at.trim_start_matches("/paths/").rsplitn(2, '/');
    let method = tokens.next().unwrap_or_default();
    let path = unescape_token(tokens.next().unwrap_or_default());
    format!("{method} {}", path.replace(['{', '}'], ""))
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn null_scopes_are_no_scopes_wherever_requirements_are() {
        let mut raw = json!({
            "security": [{"key": null}],
            "paths": {"/a": {"post": {"security": [{"oauth2": null, "key": []}]}}}
        });
        let found = repair(&mut raw);
        assert_eq!(raw["security"][0]["key"], json!([]));
        assert_eq!(
            raw["paths"]["/a"]["post"]["security"][0]["oauth2"],
            json!([])
        );
        let pointers: Vec<&str> = found.iter().map(|d| d.pointer.as_str()).collect();
        assert_eq!(
            pointers,
            ["/security/0/key", "/paths/~1a/post/security/0/oauth2"]
        );
        assert!(found.iter().all(|d| d.reading.is_some()));
    }

    #[test]
    fn an_error_inside_an_operation_leaves_out_that_operation_alone() {
        let mut raw = json!({"paths": {"/a/{id}": {
            "get": {"operationId": "getA", "responses": 5},
            "post": {"responses": {}}
        }}});
        let errors = vec![
            Diagnostic::error("/paths/~1a~1{id}/get/responses", "bad"),
            Diagnostic::error("/components/x", "elsewhere"),
        ];
        let (remaining, left_out) = leave_out_invalid_operations(&mut raw, errors).unwrap();
        assert_eq!(remaining.len(), 1);
        assert_eq!(
            left_out[0].message,
            "operation `getA` is left out of the client: it is not valid OpenAPI 3.0 here (bad)"
        );
        assert!(raw["paths"]["/a/{id}"].get("get").is_none());
        assert!(raw["paths"]["/a/{id}"].get("post").is_some());
        assert_eq!(fallback_id("/paths/~1a~1{id}/post"), "post /a/id");
    }

    #[test]
    fn an_error_in_what_a_path_s_operations_share_leaves_out_that_path() {
        let mut raw = json!({"paths": {
            "/a": {"parameters": 5, "get": {}},
            "/b": {"get": {}}
        }});
        let errors = vec![Diagnostic::error("/paths/~1a/parameters", "bad")];
        let (remaining, left_out) = leave_out_invalid_operations(&mut raw, errors).unwrap();
        assert!(remaining.is_empty());
        assert_eq!(
            left_out[0].message,
            "the operations of `/a` are left out of the client: it is not valid OpenAPI 3.0 here (bad)"
        );
        assert!(raw["paths"].get("/a").is_none());
        assert!(raw["paths"].get("/b").is_some());
    }

    #[test]
    fn errors_outside_operations_change_nothing() {
        let mut raw = json!({"info": 1});
        let errors = vec![Diagnostic::error("/info", "bad")];
        assert!(leave_out_invalid_operations(&mut raw, errors).is_none());
    }
}
