//! The `axum` feature's `Verified` extractor over real HTTP on 127.0.0.1: the status each kind
//! of request gets, and that only verified events reach the handler.

use std::sync::{Arc, Mutex};

use axum::Router;
use axum::extract::{FromRef, State};
use axum::routing::post;
use commet_runtime::axum::Verified;
use commet_runtime::webhook::{self, SignedEvent, WebhookError};
use commet_runtime::{WebhookSecret, serde_json};

/// A stand-in for a generated event enum: any JSON object with a string `type`.
#[derive(Debug, Clone, PartialEq)]
struct Event {
    kind: String,
    data: serde_json::Value,
}

impl SignedEvent for Event {
    const SIGNATURE_HEADER: &'static str = "X-Test-Signature";

    fn verify_and_parse(
        raw_body: &[u8],
        signature: Option<&str>,
        secret: &WebhookSecret,
    ) -> Result<Self, WebhookError> {
        let (kind, value) = webhook::verify_and_read(raw_body, signature, secret, "type")?;
        let data = webhook::decode_event::<Data>(&kind, &value)?.data;
        Ok(Event { kind, data })
    }
}

#[derive(serde::Deserialize)]
struct Data {
    data: serde_json::Value,
}

#[derive(Clone)]
struct AppState {
    secret: WebhookSecret,
    seen: Arc<Mutex<Vec<Event>>>,
}

impl FromRef<AppState> for WebhookSecret {
    fn from_ref(state: &AppState) -> Self {
        state.secret.clone()
    }
}

async fn receive(State(state): State<AppState>, Verified(event): Verified<Event>) {
    state.seen.lock().expect("not poisoned").push(event);
}

async fn serve(secret: &str) -> (String, Arc<Mutex<Vec<Event>>>) {
    let seen = Arc::new(Mutex::new(Vec::new()));
    let state = AppState {
        secret: WebhookSecret::new(secret),
        seen: Arc::clone(&seen),
    };
    let app = Router::new()
        .route("/hook", post(receive))
        .with_state(state);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("binds");
    let url = format!("http://{}/hook", listener.local_addr().expect("addr"));
    tokio::spawn(async move { axum::serve(listener, app).await });
    (url, seen)
}

async fn post_to(url: &str, body: &str, signature: Option<&[u8]>) -> u16 {
    let mut request = reqwest::Client::new().post(url).body(body.to_owned());
    if let Some(signature) = signature {
        let value = reqwest::header::HeaderValue::from_bytes(signature).expect("header value");
        request = request.header("x-test-signature", value);
    }
    request.send().await.expect("sent").status().as_u16()
}

const BODY: &str = r#"{"type":"thing.done","data":{"n":1}}"#;
/// `hmac.new(b"whsec_axum", BODY, hashlib.sha256).hexdigest()`, computed with Python.
const SIGNATURE: &str = "c8d2516c1c8132e228b974967799ee694b287660e8e15d9597e471d279824d1a";

#[tokio::test]
async fn only_verified_events_reach_the_handler_and_each_failure_has_its_status() {
    let (url, seen) = serve("whsec_axum").await;
    assert_eq!(
        webhook::sign(BODY.as_bytes(), &WebhookSecret::new("whsec_axum")),
        SIGNATURE
    );
    assert_eq!(post_to(&url, BODY, None).await, 401);
    assert_eq!(post_to(&url, BODY, Some(b"abc")).await, 401);
    assert_eq!(post_to(&url, BODY, Some(b"\xff\xfe")).await, 401);
    let tampered = BODY.replace("1}", "2}");
    assert_eq!(
        post_to(&url, &tampered, Some(SIGNATURE.as_bytes())).await,
        401
    );
    assert!(seen.lock().expect("not poisoned").is_empty());

    assert_eq!(post_to(&url, BODY, Some(SIGNATURE.as_bytes())).await, 200);
    assert_eq!(
        *seen.lock().expect("not poisoned"),
        [Event {
            kind: "thing.done".to_owned(),
            data: serde_json::json!({"n": 1}),
        }]
    );

    // Signed, but not an event: the sender should deliver it again later.
    let not_event = "[1]";
    let signature = webhook::sign(not_event.as_bytes(), &WebhookSecret::new("whsec_axum"));
    assert_eq!(
        post_to(&url, not_event, Some(signature.as_bytes())).await,
        422
    );
    assert_eq!(seen.lock().expect("not poisoned").len(), 1);
}

#[tokio::test]
async fn a_blank_secret_refuses_even_a_request_signed_with_it() {
    for blank in ["", "   "] {
        let (url, seen) = serve(blank).await;
        let signature = webhook::sign(BODY.as_bytes(), &WebhookSecret::new(blank));
        assert_eq!(post_to(&url, BODY, Some(signature.as_bytes())).await, 500);
        assert!(seen.lock().expect("not poisoned").is_empty());
    }
}
