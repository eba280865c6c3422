//! Idempotency keys on the three POSTs, over real HTTP.

mod common;

use common::{Api, charge_body};
use serde_json::json;

#[tokio::test]
async fn same_key_same_payload_replays_without_charging_again() {
    let api = Api::new().await;
    api.fake.add_customer("cus_1", None, true);
    let first = api
        .post_keyed("/payments/charge", "k1", &charge_body("cus_1", 500))
        .await;
    assert_eq!(first.status, 200);
    assert_eq!(first.header("idempotent-replayed"), None);
    let second = api
        .post_keyed("/payments/charge", "k1", &charge_body("cus_1", 500))
        .await;
    assert_eq!(second.status, 200);
    assert_eq!(second.text, first.text, "replayed byte for byte");
    assert_eq!(second.header("idempotent-replayed"), Some("true"));
    assert_ne!(second.header("x-request-id"), first.header("x-request-id"));
    assert_eq!(api.fake.charges().len(), 1);

    // Key order and whitespace of a JSON body do not matter.
    let reordered = common::send(
        api.request(reqwest::Method::POST, "/payments/charge")
            .header("Idempotency-Key", "k1")
            .header("content-type", "application/json")
            .body(r#"{ "description": "Test charge", "currency": "usd", "amount": 500, "customerId": "cus_1" }"#),
    )
    .await;
    assert_eq!(reordered.status, 200);
    assert_eq!(reordered.data()["id"], first.data()["id"]);
    assert_eq!(api.fake.charges().len(), 1);
}

#[tokio::test]
async fn same_key_different_payload_is_a_mismatch() {
    let api = Api::new().await;
    api.fake.add_customer("cus_1", None, true);
    let first = api
        .post_keyed("/payments/charge", "k", &charge_body("cus_1", 500))
        .await;
    assert_eq!(first.status, 200);
    let other_amount = api
        .post_keyed("/payments/charge", "k", &charge_body("cus_1", 501))
        .await;
    assert_eq!(other_amount.status, 409);
    assert_eq!(
        other_amount.error_code(),
        ("conflict_error", "idempotency_key_mismatch")
    );
    let other_route = api
        .post_keyed(
            "/payments",
            "k",
            &json!({"amount": 5, "currency": "usd", "description": "d"}),
        )
        .await;
    assert_eq!(other_route.status, 409);
    assert_eq!(other_route.error_code().1, "idempotency_key_mismatch");
    assert_eq!(api.fake.payments().len(), 1);
}

#[tokio::test]
async fn without_a_key_every_request_is_processed() {
    let api = Api::new().await;
    api.fake.add_customer("cus_1", None, true);
    let a = api
        .post("/payments/charge", &charge_body("cus_1", 500))
        .await;
    let b = api
        .post("/payments/charge", &charge_body("cus_1", 500))
        .await;
    let empty_key = api
        .post_keyed("/payments/charge", "  ", &charge_body("cus_1", 500))
        .await;
    assert_ne!(a.data()["id"], b.data()["id"]);
    assert_ne!(b.data()["id"], empty_key.data()["id"]);
    assert_eq!(api.fake.charges().len(), 3);
}

#[tokio::test]
async fn links_cancels_and_errors_are_replayed_too() {
    let api = Api::new().await;
    let body = json!({"amount": 300, "currency": "usd", "description": "d"});
    let link = api.post_keyed("/payments", "link-key", &body).await;
    let again = api.post_keyed("/payments", "link-key", &body).await;
    assert_eq!(again.data()["id"], link.data()["id"]);
    assert_eq!(api.fake.payments().len(), 1);

    let id = link.data()["id"].as_str().expect("id").to_string();
    let cancel_path = format!("/payments/{id}/cancel");
    let canceled = api.post_keyed(&cancel_path, "cancel-key", &json!({})).await;
    assert_eq!(canceled.data()["status"], "canceled");
    // The payment changes afterwards; the replay still shows the first response.
    assert!(api.fake.set_payment_status(&id, "succeeded"));
    let replay = api.post_keyed(&cancel_path, "cancel-key", &json!({})).await;
    assert_eq!(replay.status, 200);
    assert_eq!(replay.text, canceled.text);
    let unkeyed = api.post(&cancel_path, &json!({})).await;
    assert_eq!(unkeyed.status, 409);

    // The first response is stored whatever its status: a customer added later does not change
    // the replayed 404.
    let missing = api
        .post_keyed("/payments/charge", "err-key", &charge_body("cus_late", 10))
        .await;
    assert_eq!(missing.status, 404);
    api.fake.add_customer("cus_late", None, true);
    let replayed = api
        .post_keyed("/payments/charge", "err-key", &charge_body("cus_late", 10))
        .await;
    assert_eq!(replayed.status, 404);
    assert_eq!(replayed.text, missing.text);
    assert!(api.fake.charges().is_empty());
}

#[tokio::test]
async fn keys_are_ignored_on_get_and_not_stored_for_bad_api_keys() {
    let api = Api::new().await;
    api.fake.add_customer("cus_1", None, true);
    let list = common::send(
        api.request(reqwest::Method::GET, "/payments")
            .header("Idempotency-Key", "g"),
    )
    .await;
    assert_eq!(list.status, 200);
    let unauthorized = common::send(
        api.http
            .post(api.url("/payments/charge"))
            .header("Idempotency-Key", "g")
            .json(&charge_body("cus_1", 10)),
    )
    .await;
    assert_eq!(unauthorized.status, 401);
    let charged = api
        .post_keyed("/payments/charge", "g", &charge_body("cus_1", 10))
        .await;
    assert_eq!(
        charged.status, 200,
        "the key was not consumed by the GET or the 401"
    );
}
