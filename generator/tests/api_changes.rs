//! Commet's API changes between versions, replayed on the spec: the generator absorbs each one,
//! and `diff` says what it means for users of the client.
//!
//! The versions are those in the project's API notes: 2026-07-11 adds the `dlocal` provider,
//! 2026-07-24 drops the `{"success": true, "data": …}` wrapper and tags lists with
//! `"object": "list"`.

use std::path::Path;

use commet_codegen::Builder;
use commet_codegen::diff::{Impact, diff};
use serde_json::{Value, json};

fn spec_2026_06_10() -> Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec/commet.yaml");
    serde_yaml::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn with_dlocal(mut spec: Value) -> Value {
    let values = spec
        .pointer_mut("/components/schemas/PaymentProvider/enum")
        .and_then(Value::as_array_mut)
        .expect("PaymentProvider is an enum");
    values.push(json!("dlocal"));
    spec["info"]["version"] = json!("2026-07-11");
    spec
}

/// The 2026-07-24 shapes: a single payment is the bare object, a list is
/// `{"object": "list", "data": [...], "hasMore": ..., "nextCursor": ...}`.
fn unwrapped(mut spec: Value) -> Value {
    retarget(
        &mut spec,
        "#/components/schemas/PaymentResponse",
        "#/components/schemas/Payment",
    );
    let schemas = &mut spec["components"]["schemas"];
    schemas
        .as_object_mut()
        .expect("schemas")
        .shift_remove("PaymentResponse");
    let list = &mut schemas["PaymentListResponse"];
    list["properties"]
        .as_object_mut()
        .expect("the list envelope has properties")
        .shift_remove("success");
    list["properties"]["object"] =
        json!({"type": "string", "enum": ["list"], "description": "Always `list`."});
    list["required"] = json!(["object", "data", "hasMore"]);
    spec["info"]["version"] = json!("2026-07-24");
    spec
}

/// Points every `$ref` to `from` at `to` instead.
fn retarget(value: &mut Value, from: &str, to: &str) {
    match value {
        Value::Object(map) => {
            for (key, v) in map.iter_mut() {
                if key == "$ref" && v == from {
                    *v = json!(to);
                } else {
                    retarget(v, from, to);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|v| retarget(v, from, to)),
        _ => {}
    }
}

fn generate(spec: &Value) -> commet_codegen::Generated {
    Builder::from_text("spec.json", serde_json::to_string(spec).unwrap())
        .generate()
        .unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn a_new_provider_is_a_compatible_change() {
    let old = generate(&spec_2026_06_10());
    let new = generate(&with_dlocal(spec_2026_06_10()));
    let changes = diff(&old.api, &new.api);
    let lines: Vec<String> = changes.iter().map(ToString::to_string).collect();
    assert_eq!(
        lines,
        [
            "compatible: API version 2026-06-10 → 2026-07-11",
            "compatible: `PaymentProvider`: value `dlocal` added (older clients keep it as `Unknown`)",
        ]
    );
    assert!(new.code.contains("Dlocal,"));
}

#[test]
fn unwrapped_responses_keep_every_method_signature() {
    let old = generate(&spec_2026_06_10());
    let new = generate(&unwrapped(spec_2026_06_10()));
    let changes = diff(&old.api, &new.api);
    assert!(
        changes.iter().all(|c| c.impact == Impact::Compatible),
        "{changes:#?}"
    );
    // The four single-payment operations changed envelope, the list kept its page shape.
    let envelope_changes = changes
        .iter()
        .filter(|c| c.message.contains("response envelope changed"))
        .count();
    assert_eq!(envelope_changes, 4, "{changes:#?}");

    // Same signatures, different decoding.
    for signature in [
        "pub fn get_payment(&self, id: &str) -> rt::Call<Payment, ApiError>",
        "pub fn charge_payment(\n        &self,\n        body: &ChargePaymentRequest,\n    ) -> rt::Call<Payment, ApiError>",
        ") -> rt::Call<Page<Payment>, ApiError>",
    ] {
        assert!(
            old.code.contains(signature),
            "old client lacks {signature:?}"
        );
        assert!(
            new.code.contains(signature),
            "new client lacks {signature:?}"
        );
    }
    assert!(old.code.contains(".envelope(rt::Envelope::Data)"));
    assert!(!new.code.contains(".envelope(rt::Envelope::Data)"));
    assert_eq!(
        new.code.matches(".envelope(rt::Envelope::Bare)").count(),
        4,
        "get, create, charge and cancel decode the bare payment"
    );
    assert!(new.code.contains(".envelope(rt::Envelope::List)"));
}

#[test]
fn signature_changes_are_breaking() {
    let old = generate(&spec_2026_06_10());
    let mut spec = spec_2026_06_10();
    // `get-payment` gains its first optional parameter: the method gains a `params` argument.
    let get = spec
        .pointer_mut("/paths/~1payments~1{id}/get/parameters")
        .and_then(Value::as_array_mut)
        .expect("get-payment has parameters");
    get.push(json!({"name": "expand", "in": "query", "schema": {"type": "string"}}));
    // `create-payment`'s body becomes optional: `&T` turns into `Option<&T>`.
    spec["paths"]["/payments"]["post"]["requestBody"]["required"] = json!(false);
    let new = generate(&spec);
    let breaking: Vec<String> = diff(&old.api, &new.api)
        .into_iter()
        .filter(|c| c.impact == Impact::Breaking)
        .map(|c| c.message)
        .collect();
    assert_eq!(
        breaking,
        [
            "operation `create-payment`: request body changed between required and optional",
            "operation `get-payment`: the method now takes an optional-parameters argument",
        ]
    );
}

#[test]
fn webhook_events_added_are_compatible_and_removed_are_breaking() {
    let old = generate(&spec_2026_06_10());
    let mut spec = spec_2026_06_10();
    let webhooks = spec["x-webhooks"].as_object_mut().expect("x-webhooks");
    // A new event type, with a body of its own; and one that goes away.
    let mut renewed = webhooks["payment.failed"].clone();
    renewed["post"]["operationId"] = json!("subscriptionRenewedWebhook");
    renewed["post"]["requestBody"]["content"]["application/json"]["schema"]["$ref"] =
        json!("#/components/schemas/SubscriptionRenewedEvent");
    webhooks.insert("subscription.renewed".to_owned(), renewed);
    webhooks.remove("payment.failed");
    let mut event = spec["components"]["schemas"]["PaymentFailedEvent"].clone();
    event["allOf"][1]["properties"]["event"]["enum"] = json!(["subscription.renewed"]);
    spec["components"]["schemas"]["SubscriptionRenewedEvent"] = event;
    let new = generate(&spec);
    let webhook_changes: Vec<String> = diff(&old.api, &new.api)
        .iter()
        .map(ToString::to_string)
        .filter(|c| c.contains("webhook"))
        .collect();
    assert_eq!(
        webhook_changes,
        [
            "breaking: webhook event `payment.failed` removed (variant `PaymentFailed`)",
            "compatible: webhook event `subscription.renewed` added",
        ]
    );
    assert!(
        new.code
            .contains("SubscriptionRenewed(Box<SubscriptionRenewedEvent>)")
    );
}

#[test]
fn another_media_type_is_a_compatible_new_method() {
    let old = generate(&spec_2026_06_10());
    let mut spec = spec_2026_06_10();
    spec["paths"]["/payments/{id}"]["get"]["responses"]["200"]["content"]["application/pdf"] =
        json!({"schema": {"type": "string", "format": "binary"}});
    let new = generate(&spec);
    let lines: Vec<String> = diff(&old.api, &new.api)
        .iter()
        .map(ToString::to_string)
        .collect();
    assert_eq!(
        lines,
        [
            "compatible: operation `get-payment`: method `get_payment_as_pdf` added (another media type)"
        ]
    );
    assert!(new.code.contains("pub fn get_payment_as_pdf("));
}
