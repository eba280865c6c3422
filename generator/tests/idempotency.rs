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
