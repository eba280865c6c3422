//! Events a test asks the fake for (`send_event`, `send_event_body`), delivered over real HTTP
//! to an endpoint on 127.0.0.1 that records what it receives.

use std::sync::{Arc, Mutex};

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::routing::post;
use commet_fake::FakeCommet;
use serde_json::{Value, json};

type Received = Arc<Mutex<Vec<(HeaderMap, Bytes)>>>;

async fn record(State(received): State<Received>, headers: HeaderMap, body: Bytes) {
    received.lock().expect("not poisoned").push((headers, body));
}

/// A fake with one endpoint registered under `secret`, and what the endpoint received.
async fn fake_with_endpoint(secret: &str) -> (FakeCommet, Received) {
    let fake = FakeCommet::start().await.expect("fake starts");
    let received: Received = Arc::default();
    let app = Router::new()
        .route("/hook", post(record))
        .with_state(Arc::clone(&received));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("binds");
    let url = format!("http://{}/hook", listener.local_addr().expect("addr"));
    tokio::spawn(async move { axum::serve(listener, app).await });
    fake.register_webhook(&url, secret);
    (fake, received)
}

fn header<'h>(headers: &'h HeaderMap, name: &str) -> &'h str {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
}

#[tokio::test]
async fn a_body_is_sent_byte_for_byte_and_signed_as_python_signs_it() {
    let (fake, received) = fake_with_endpoint("whsec_fake_test").await;
    let body = r#"{"event":"payment.disputed","data":{"disputeReason":null}}"#;
    fake.send_event_body(body).await;
    let received = received.lock().expect("not poisoned").clone();
    let [(headers, sent)] = received.as_slice() else {
        panic!("one delivery expected: {received:?}");
    };
    assert_eq!(sent.as_ref(), body.as_bytes());
    // hmac.new(b"whsec_fake_test", BODY, hashlib.sha256).hexdigest(), computed with Python.
    assert_eq!(
        header(headers, "x-commet-signature"),
        "9d6077a7a82c8f9a72b5a1161f937e660eb2c693229fd5c9580878158f455e86"
    );
    assert_eq!(header(headers, "x-commet-event"), "payment.disputed");
    let deliveries = fake.webhook_deliveries();
    assert_eq!(deliveries.len(), 1);
    assert_eq!(deliveries[0].status, Some(200));
    assert_eq!(deliveries[0].body, body);
}

#[tokio::test]
async fn an_event_is_sent_in_the_envelope_with_its_data_as_given() {
    let (fake, received) = fake_with_endpoint("whsec_fake_test").await;
    let data = json!({"invoiceId": "inv_1", "currency": null, "customerId": "user-1"});
    fake.send_event("payment.received", data.clone()).await;
    let received = received.lock().expect("not poisoned").clone();
    let [(headers, sent)] = received.as_slice() else {
        panic!("one delivery expected: {received:?}");
    };
    let event: Value = serde_json::from_slice(sent).expect("JSON");
    assert_eq!(event["event"], "payment.received");
    assert_eq!(event["data"], data);
    assert_eq!(event["organizationId"], commet_fake::ORGANIZATION_ID);
    assert_eq!(event["mode"], "sandbox");
    assert_eq!(event["apiVersion"], "2026-06-10");
    assert_eq!(header(headers, "x-commet-timestamp"), event["timestamp"]);
    assert_eq!(header(headers, "x-commet-event"), "payment.received");
    assert_eq!(
        header(headers, "x-commet-signature"),
        fake.webhook_deliveries()[0].signature
    );
    assert_eq!(header(headers, "x-commet-signature").len(), 64);
}
