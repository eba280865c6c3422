//! Each API's idempotency mechanism, recognised from its own document with no option given, and
//! the user's choice winning over it: on the public payments documents in
//! `tests/vendored/corpus` and on small documents of each style.

use std::path::{Path, PathBuf};

use commet_codegen::{Builder, IdempotencyChoice};

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn corpus(name: &str) -> String {
    let path = repo().join("tests/vendored/corpus").join(name);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{name}: {e}"));
    Builder::from_text(format!("tests/vendored/corpus/{name}"), text)
        .generate()
        .unwrap_or_else(|e| panic!("{e}"))
        .code
}

/// The text of the generated method `name`, up to the next method.
fn method<'a>(code: &'a str, name: &str) -> &'a str {
    let start = code
        .find(&format!("pub fn {name}("))
        .unwrap_or_else(|| panic!("no method {name}"));
    let rest = &code[start..];
    let end = rest[1..].find("pub fn ").map_or(rest.len(), |i| i + 1);
    &rest[..end]
}

#[test]
fn paypal_keys_its_writes_with_paypal_request_id() {
    let code = corpus("paypal-checkout-orders-v2.json");
    for op in ["orders_create", "orders_authorize", "orders_capture"] {
        assert!(
            method(&code, op).contains(r#".idempotent_header("PayPal-Request-Id")"#),
            "{op}"
        );
    }
    // The operations that declare no request id take none: they stay unkeyed.
    for op in ["orders_confirm", "orders_track_create", "orders_patch"] {
        assert!(!method(&code, op).contains(".idempotent"), "{op}");
    }
    // A read never carries one.
    assert!(!method(&code, "orders_get").contains(".idempotent"));
}

#[test]
fn adyen_keys_its_writes_with_idempotency_key() {
    let code = corpus("adyen-checkout-v72.json");
    for op in [
        "post_payments",
        "post_payments_payment_psp_reference_refunds",
        "post_sessions",
    ] {
        assert!(method(&code, op).contains(".idempotent()"), "{op}");
    }
}

const STRIPE_LIKE: &str = r#"
openapi: 3.0.3
info: {title: Stripe-like, version: "1"}
servers: [{url: "https://api.example.test"}]
paths:
  /v1/charges:
    post:
      operationId: PostCharges
      requestBody:
        content:
          application/json:
            schema: {type: object, properties: {amount: {type: integer}}}
      responses: {"200": {description: ok}}
    get:
      operationId: GetCharges
      responses: {"200": {description: ok}}
  /v1/charges/{id}:
    delete:
      operationId: DeleteCharge
      parameters: [{name: id, in: path, required: true, schema: {type: string}}]
      responses: {"200": {description: ok}}
"#;

fn stripe_like() -> Builder {
    Builder::from_text("stripe-like.yaml", STRIPE_LIKE)
}

#[test]
fn a_document_that_declares_nothing_gets_its_mechanism_from_one_option() {
    let plain = stripe_like().generate().expect("generates").code;
    assert!(
        !plain.contains(".idempotent"),
        "nothing declared, nothing sent"
    );
    let keyed = stripe_like()
        .idempotency("*", IdempotencyChoice::Header("Idempotency-Key".to_owned()))
        .generate()
        .expect("generates")
        .code;
    assert!(method(&keyed, "post_charges").contains(".idempotent()"));
    assert!(method(&keyed, "delete_charge").contains(".idempotent()"));
    assert!(
        !method(&keyed, "get_charges").contains(".idempotent"),
        "never on a read"
    );
    // An operation's own choice wins over `*`.
    let chosen = stripe_like()
        .idempotency("*", IdempotencyChoice::Header("Idempotency-Key".to_owned()))
        .idempotency("DeleteCharge", IdempotencyChoice::None)
        .idempotency(
            "PostCharges",
            IdempotencyChoice::BodyField("key".to_owned()),
        )
        .generate()
        .expect("generates")
        .code;
    assert!(!method(&chosen, "delete_charge").contains(".idempotent"));
    assert!(method(&chosen, "post_charges").contains(r#".idempotent_in_body("key")"#));
}

#[test]
fn a_choice_that_does_not_fit_the_document_is_a_located_error() {
    let error = stripe_like()
        .idempotency("NoSuchOperation", IdempotencyChoice::None)
        .generate()
        .expect_err("no such operation");
    assert!(
        error.to_string().contains("operation `NoSuchOperation`"),
        "{error}"
    );
    let error = stripe_like()
        .idempotency(
            "DeleteCharge",
            IdempotencyChoice::BodyField("key".to_owned()),
        )
        .generate()
        .expect_err("a DELETE without a body");
    let text = error.to_string();
    assert!(
        text.contains("has no JSON body") && text.contains("#/paths"),
        "{text}"
    );
}

/// `doc` cut down to the operations `ops` (path, method) and everything they reach by `$ref`,
/// so one operation of a document that does not generate whole yet can be generated on its own.
fn excerpt(doc: &serde_json::Value, ops: &[(&str, &str)]) -> serde_json::Value {
    use serde_json::{Map, Value};
    let mut out = Map::new();
    for key in [
        "openapi",
        "info",
        "servers",
        "security",
        "x-fern-idempotency-headers",
    ] {
        if let Some(v) = doc.get(key) {
            out.insert(key.to_owned(), v.clone());
        }
    }
    let mut paths = Map::new();
    let mut pending: Vec<String> = Vec::new();
    fn refs(v: &Value, into: &mut Vec<String>) {
        match v {
            Value::Object(map) => {
                if let Some(Value::String(r)) = map.get("$ref") {
                    into.push(r.clone());
                }
                map.values().for_each(|v| refs(v, into));
            }
            Value::Array(items) => items.iter().for_each(|v| refs(v, into)),
            _ => {}
        }
    }
    for (path, method) in ops {
        let item = &doc["paths"][*path];
        let kept = paths
            .entry((*path).to_owned())
            .or_insert_with(|| Value::Object(Map::new()));
        kept[*method] = item[*method].clone();
        if let Some(params) = item.get("parameters") {
            kept["parameters"] = params.clone();
        }
        refs(kept, &mut pending);
    }
    out.insert("paths".to_owned(), Value::Object(paths));
    let mut components = Value::Object(Map::new());
    components["securitySchemes"] = doc["components"]["securitySchemes"].clone();
    let mut seen = std::collections::BTreeSet::new();
    while let Some(r) = pending.pop() {
        let Some(pointer) = r.strip_prefix('#') else {
            continue;
        };
        if !seen.insert(pointer.to_owned()) {
            continue;
        }
        let found = doc.pointer(pointer).cloned().unwrap_or(Value::Null);
        refs(&found, &mut pending);
        let parts: Vec<&str> = pointer.trim_start_matches('/').split('/').collect();
        if let ["components", kind, name] = parts.as_slice() {
            if components.get(*kind).is_none() {
                components[*kind] = Value::Object(Map::new());
            }
            components[*kind][*name] = found;
        }
    }
    out.insert("components".to_owned(), components);
    Value::Object(out)
}

fn generate_excerpt(name: &str, doc: serde_json::Value) -> String {
    Builder::from_text(name.to_owned(), doc.to_string())
        .generate()
        .unwrap_or_else(|e| panic!("{e}"))
        .code
}

#[test]
fn square_keys_its_writes_in_the_idempotency_key_body_field() {
    let path = repo().join("tests/vendored/corpus/square-api.json");
    let doc: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path).expect("readable")).expect("JSON");
    let code = generate_excerpt(
        "square-api.json (excerpt)",
        excerpt(
            &doc,
            &[
                ("/v2/payments", "post"),
                ("/v2/refunds", "post"),
                ("/v2/payments", "get"),
            ],
        ),
    );
    assert!(method(&code, "create_payment").contains(r#".idempotent_in_body("idempotency_key")"#));
    assert!(method(&code, "refund_payment").contains(r#".idempotent_in_body("idempotency_key")"#));
    assert!(!method(&code, "list_payments").contains(".idempotent"));
    // Required in Square's document, optional in the client: the runtime fills it per call.
    assert!(
        code.contains("pub idempotency_key: Option<String>"),
        "optional key field"
    );
    assert!(code.contains("The idempotency key of the request:"));
}

#[test]
fn dwolla_keys_its_writes_with_idempotency_key() {
    let path = repo().join("tests/vendored/corpus/dwolla-openapi.yaml");
    let doc: serde_json::Value =
        serde_yaml::from_str(&std::fs::read_to_string(path).expect("readable")).expect("YAML");
    let code = generate_excerpt(
        "dwolla-openapi.yaml (excerpt)",
        excerpt(&doc, &[("/transfers", "post")]),
    );
    assert!(code.contains(".idempotent()"), "the transfer is keyed");
}

#[test]
fn stripe_gets_its_idempotency_key_from_one_option() {
    let name = "stripe-spec3.yaml";
    let text =
        std::fs::read_to_string(repo().join("tests/vendored/corpus").join(name)).expect("readable");
    let build = || Builder::from_text(format!("tests/vendored/corpus/{name}"), text.clone());
    let plain = build().generate().expect("generates").code;
    assert!(
        !plain.contains(".idempotent"),
        "the document declares no key"
    );
    let keyed = build()
        .idempotency("*", IdempotencyChoice::Header("Idempotency-Key".to_owned()))
        .generate()
        .expect("generates")
        .code;
    assert!(method(&keyed, "post_charges").contains(".idempotent()"));
    assert!(method(&keyed, "post_refunds").contains(".idempotent()"));
    assert!(
        !method(&keyed, "get_charges").contains(".idempotent"),
        "never on a read"
    );
}
