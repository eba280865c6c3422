//! Webhooks end to end over real HTTP: the fake sends signed events to an endpoint served by
//! the `webhook_axum` example's own router, which verifies them and decodes them as the
//! generated `WebhookEvent`. The events of the notes' table of payment event fields, null and
//! set, come from `tests/webhook-vectors/signed.json`, signed with Python; the `axum` feature's
//! extractor gets the same deliveries.

mod common;

#[path = "../examples/webhook_axum.rs"]
#[allow(dead_code)]
mod example;

use std::sync::{Arc, Mutex};

use commet::{
    CreatePaymentRequest, PaymentStatus, WebhookError, WebhookEvent, WebhookMode, WebhookSecret,
};
use commet_fake::FakeCommet;

const SECRET: &str = "whsec_fake_endpoint_secret";

/// An endpoint on 127.0.0.1 running the example's router; the events it accepted.
struct Receiver {
    url: String,
    events: Arc<Mutex<Vec<WebhookEvent>>>,
}

impl Receiver {
    async fn start(secret: &str) -> Receiver {
        let events = Arc::new(Mutex::new(Vec::new()));
        let seen = Arc::clone(&events);
        let endpoint = example::Endpoint {
            secret: WebhookSecret::new(secret),
            on_event: Arc::new(move |e| seen.lock().expect("not poisoned").push(e)),
        };
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("binds");
        let url = format!(
            "http://{}/webhooks/commet",
            listener.local_addr().expect("addr")
        );
        tokio::spawn(async move { axum::serve(listener, example::router(endpoint)).await });
        Receiver { url, events }
    }

    fn events(&self) -> Vec<WebhookEvent> {
        self.events.lock().expect("not poisoned").clone()
    }
}

/// A fake that signs with `secret` for an endpoint that verifies with [`SECRET`].
async fn fake_with_endpoint(secret: &str) -> (FakeCommet, commet::Client, Receiver) {
    fake_with_endpoint_secrets(secret, SECRET).await
}

/// A fake that signs with `signing` for an endpoint that verifies with `verifying`.
async fn fake_with_endpoint_secrets(
    signing: &str,
    verifying: &str,
) -> (FakeCommet, commet::Client, Receiver) {
    let (fake, client) = common::start().await;
    let receiver = Receiver::start(verifying).await;
    fake.register_webhook(&receiver.url, signing);
    (fake, client, receiver)
}

#[tokio::test]
async fn a_link_s_life_arrives_as_verified_typed_events() {
    let (fake, client, receiver) = fake_with_endpoint(SECRET).await;
    let request = CreatePaymentRequest::new(2500, "usd", "Pro plan").customer_id(common::CUSTOMER);
    let paid = client.create_payment(&request).await.expect("created");
    let failed = client.create_payment(&request).await.expect("created");
    let canceled = client.create_payment(&request).await.expect("created");
    assert!(fake.complete_link(&paid.id).await);
    assert!(
        fake.fail_link(&failed.id, "card_declined", "The card was declined.")
            .await
    );
    client.cancel_payment(&canceled.id).await.expect("canceled");

    let events = receiver.events();
    let types: Vec<&str> = events.iter().map(WebhookEvent::event_type).collect();
    assert_eq!(
        types,
        [
            "payment_link.created",
            "payment_link.created",
            "payment_link.created",
            "payment_link.completed",
            "payment_link.failed",
            "payment_link.canceled",
        ]
    );
    match &events[0] {
        WebhookEvent::PaymentLinkCreated(e) => {
            assert_eq!(e.data.payment_id, paid.id);
            assert_eq!(e.data.status, PaymentStatus::Pending);
            // The merchant's external id, since the customer has one.
            assert_eq!(
                e.data.customer_id.as_deref(),
                Some(common::CUSTOMER_EXTERNAL)
            );
            assert_eq!(e.mode, WebhookMode::Sandbox);
            assert_eq!(e.organization_id, commet_fake::ORGANIZATION_ID);
        }
        other => panic!("{other:?}"),
    }
    match &events[3] {
        WebhookEvent::PaymentLinkCompleted(e) => {
            assert_eq!(e.data.payment_id, paid.id);
            assert_eq!(e.data.status, PaymentStatus::Succeeded);
            assert_eq!(e.data.amount, paid.amount_total);
            assert!(e.data.invoice_number.starts_with("INV-"), "{e:?}");
        }
        other => panic!("{other:?}"),
    }
    match &events[4] {
        WebhookEvent::PaymentLinkFailed(e) => {
            assert_eq!(e.data.failure_code, "card_declined");
            assert_eq!(e.data.status, PaymentStatus::Failed);
        }
        other => panic!("{other:?}"),
    }
    assert!(
        matches!(&events[5], WebhookEvent::PaymentLinkCanceled(e) if e.data.payment_id == canceled.id)
    );
    // Every delivery was acknowledged, and carried the event type and a timestamp too.
    let deliveries = fake.webhook_deliveries();
    assert!(
        deliveries.iter().all(|d| d.status == Some(200)),
        "{deliveries:?}"
    );
}

#[tokio::test]
async fn events_signed_with_another_secret_are_refused() {
    let (fake, client, receiver) = fake_with_endpoint("whsec_someone_else").await;
    client
        .create_payment(&CreatePaymentRequest::new(100, "usd", "x"))
        .await
        .expect("created");
    assert!(receiver.events().is_empty());
    let deliveries = fake.webhook_deliveries();
    assert_eq!(deliveries.len(), 1);
    assert_eq!(deliveries[0].status, Some(401));
}

/// Posts `body` to the receiver with `signature`, as an attacker (or a broken proxy) would.
async fn post(receiver: &Receiver, body: &str, signature: Option<&str>) -> u16 {
    let mut request = reqwest::Client::new()
        .post(&receiver.url)
        .header("content-type", "application/json")
        .body(body.to_owned());
    if let Some(signature) = signature {
        request = request.header("x-commet-signature", signature);
    }
    request.send().await.expect("sent").status().as_u16()
}

/// An event and its signature under [`SECRET`], computed independently with Python:
/// `hmac.new(b"whsec_fake_endpoint_secret", BODY, hashlib.sha256).hexdigest()`.
const UNKNOWN_EVENT: &str = r#"{"event":"subscription.renewed","timestamp":"2026-06-10T12:00:00.000Z","organizationId":"org_1","mode":"live","apiVersion":"2026-06-10","data":{"subscriptionId":"sub_1"}}"#;
const UNKNOWN_EVENT_SIGNATURE: &str =
    "a23efdf8f376b61332d8bd5c99553b1bb1f061ab0bfe65b24498a18ec20c4c0c";

#[tokio::test]
async fn tampered_unsigned_and_malformed_requests_never_reach_the_handler() {
    let receiver = Receiver::start(SECRET).await;
    let tampered = UNKNOWN_EVENT.replace("sub_1", "sub_2");
    assert_eq!(
        post(&receiver, &tampered, Some(UNKNOWN_EVENT_SIGNATURE)).await,
        401
    );
    assert_eq!(post(&receiver, UNKNOWN_EVENT, None).await, 401);
    let truncated = &UNKNOWN_EVENT_SIGNATURE[..40];
    assert_eq!(post(&receiver, UNKNOWN_EVENT, Some(truncated)).await, 401);
    let not_hex = format!("xy{}", &UNKNOWN_EVENT_SIGNATURE[2..]);
    assert_eq!(post(&receiver, UNKNOWN_EVENT, Some(&not_hex)).await, 401);
    assert!(receiver.events().is_empty());

    // The genuine request: an event type this client doesn't know is kept whole.
    assert_eq!(
        post(&receiver, UNKNOWN_EVENT, Some(UNKNOWN_EVENT_SIGNATURE)).await,
        200
    );
    match receiver.events().as_slice() {
        [WebhookEvent::Unknown { event, data }] => {
            assert_eq!(event, "subscription.renewed");
            assert_eq!(data["data"]["subscriptionId"], "sub_1");
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn the_secret_is_redacted() {
    let shown = format!("{:?}", WebhookSecret::new(SECRET));
    assert!(!shown.contains("endpoint_secret"), "{shown}");
}

// ----- every payment and payment-link event of the notes' table, as Python signed them -----

#[path = "../generator/tests/support/event_table.rs"]
#[allow(dead_code)]
mod event_table;

/// One body of `tests/webhook-vectors/signed.json` (written by `sign.py` there), signed under
/// [`SECRET`] with Python's `hmac`.
#[derive(Debug, Clone)]
struct Vector {
    /// `set` (every field), `null` (nullable fields null, optional ones left out), `invalid`
    /// (a field of the wrong type, at `path`) or `unknown` (a type no client knows).
    kind: String,
    event: String,
    body: String,
    signature: String,
    path: Option<String>,
}

fn vectors() -> Vec<Vector> {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/webhook-vectors/signed.json"
    );
    let all: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path).expect("readable")).expect("JSON");
    let text = |v: &serde_json::Value, key: &str| v[key].as_str().map(str::to_owned);
    all.as_array()
        .expect("an array")
        .iter()
        .map(|v| Vector {
            kind: text(v, "kind").expect("kind"),
            event: text(v, "event").expect("event"),
            body: text(v, "body").expect("body"),
            signature: text(v, "signature").expect("signature"),
            path: text(v, "path"),
        })
        .collect()
}

fn of_kind<'v>(vectors: &'v [Vector], kinds: &[&str]) -> Vec<&'v Vector> {
    vectors
        .iter()
        .filter(|v| kinds.contains(&v.kind.as_str()))
        .collect()
}

#[test]
fn the_vectors_cover_every_event_of_the_notes_table_null_and_set() {
    let notes = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/vendored/commet-api.md"
    ))
    .expect("readable");
    let table = event_table::by_event(&event_table::parse(&notes));
    let vectors = vectors();
    for (event, fields) in &table {
        let has = |kind: &str| vectors.iter().any(|v| v.kind == kind && v.event == *event);
        assert!(has("set"), "no vector with every field of {event} set");
        // An event with nullable or optional fields has a vector with them null or absent.
        if fields.iter().any(|f| f.nullable || !f.required) {
            assert!(
                has("null"),
                "no vector with the nullable fields of {event} null"
            );
        }
    }
    for v in of_kind(&vectors, &["set", "null"]) {
        assert!(
            table.contains_key(&v.event),
            "{} is not in the table",
            v.event
        );
    }
}

#[tokio::test]
async fn every_payment_event_arrives_typed_over_http_null_and_set() {
    let (fake, _client, receiver) = fake_with_endpoint(SECRET).await;
    let vectors = vectors();
    let good = of_kind(&vectors, &["set", "null"]);
    for v in &good {
        fake.send_event_body(&v.body).await;
    }
    // The fake signed each body exactly as Python did, and the endpoint took every one.
    let deliveries = fake.webhook_deliveries();
    assert_eq!(deliveries.len(), good.len());
    for (d, v) in deliveries.iter().zip(&good) {
        assert_eq!((&d.body, &d.signature), (&v.body, &v.signature), "{v:?}");
        assert_eq!(d.status, Some(200), "{v:?}");
    }
    let events = receiver.events();
    assert_eq!(events.len(), good.len());
    for (typed, v) in events.iter().zip(&good) {
        assert_eq!(typed.event_type(), v.event);
        assert!(
            !matches!(typed, WebhookEvent::Unknown { .. }),
            "{} decoded as Unknown",
            v.event
        );
        // Every field was read, with its null or its value: the typed event writes the same
        // `data` back.
        let sent: serde_json::Value = serde_json::from_str(&v.body).expect("JSON");
        let written = serde_json::to_value(typed).expect("serializes");
        assert_eq!(written["data"], sent["data"], "{} ({})", v.event, v.kind);
    }

    // The two that started this: `payment.received` with `currency: null` decodes, and
    // `customerId` is always there.
    let received: Vec<_> = events
        .iter()
        .filter_map(|e| match e {
            WebhookEvent::PaymentReceived(r) => Some(r),
            _ => None,
        })
        .collect();
    let [set, null] = received.as_slice() else {
        panic!("{received:?}");
    };
    assert_eq!(set.data.currency.as_deref(), Some("brl"));
    assert_eq!(set.data.customer_id, "user-1");
    assert_eq!(
        set.data.provider.as_ref().map(|p| p.as_str()),
        Some("dlocal")
    );
    assert_eq!(
        set.data.paid_at.as_deref(),
        Some("2026-06-10T12:00:00.000Z")
    );
    assert_eq!(null.data.currency, None);
    assert_eq!(null.data.customer_id, "user-1");
    assert_eq!(null.data.paid_at, None);
    assert_eq!(null.data.gross_amount, None);

    // The four events that used to arrive as `Unknown`.
    let mut new_events = 0;
    for event in &events {
        match event {
            WebhookEvent::PaymentRecovered(e) => assert_eq!(e.data.invoice_total, 2700),
            WebhookEvent::PaymentRetryFailed(e) => assert_eq!(e.data.subscription_id, "sub_1"),
            WebhookEvent::PaymentDisputed(e) => assert_eq!(e.data.dispute_amount, 2500),
            WebhookEvent::PaymentDisputeResolved(e) => {
                assert_eq!(e.data.outcome, commet::DisputeOutcome::Lost)
            }
            _ => continue,
        }
        new_events += 1;
    }
    // recovered (2), retry_failed (1: it has no nullable field), disputed (2), resolved (2).
    assert_eq!(new_events, 7);
}

#[tokio::test]
async fn a_wrongly_typed_field_of_a_known_event_is_named_with_the_event() {
    let (fake, _client, receiver) = fake_with_endpoint(SECRET).await;
    let vectors = vectors();
    let invalid = of_kind(&vectors, &["invalid"]);
    assert!(!invalid.is_empty());
    for v in &invalid {
        let error = WebhookEvent::verify_and_parse(
            v.body.as_bytes(),
            Some(&v.signature),
            &WebhookSecret::new(SECRET),
        )
        .expect_err("a field of the wrong type");
        match &error {
            WebhookError::InvalidBody {
                event,
                path,
                message,
            } => {
                assert_eq!(event.as_deref(), Some(v.event.as_str()));
                assert_eq!(Some(path), v.path.as_ref());
                assert!(message.starts_with("invalid type"), "{message}");
            }
            other => panic!("{other:?}"),
        }
        let shown = error.to_string();
        assert!(
            shown.contains(&format!("`{}`", v.event))
                && shown.contains(&format!("`{}`", v.path.as_deref().unwrap_or_default())),
            "{shown}"
        );
        // Through serde too, with the same words.
        let through_serde = serde_json::from_str::<WebhookEvent>(&v.body).expect_err("invalid");
        assert_eq!(through_serde.to_string(), shown);

        // Over HTTP: signed, so not an attack, but not an event this client can read (422).
        fake.send_event_body(&v.body).await;
    }
    let deliveries = fake.webhook_deliveries();
    assert!(
        deliveries.iter().all(|d| d.status == Some(422)),
        "{deliveries:?}"
    );
    assert!(receiver.events().is_empty());
}

#[tokio::test]
async fn an_empty_or_blank_secret_accepts_nothing_even_signed_with_it() {
    let vectors = vectors();
    let body = &of_kind(&vectors, &["set"])[0].body;
    for blank in ["", " ", "\t\n"] {
        // The endpoint forgot its secret, and an attacker signs with the same empty key.
        let (fake, _client, receiver) = fake_with_endpoint_secrets(blank, blank).await;
        fake.send_event_body(body).await;
        let deliveries = fake.webhook_deliveries();
        assert_eq!(deliveries.len(), 1);
        assert_eq!(deliveries[0].status, Some(500), "{blank:?}");
        assert!(receiver.events().is_empty(), "{blank:?}");
        let error = WebhookEvent::verify_and_parse(
            body.as_bytes(),
            Some(&deliveries[0].signature),
            &WebhookSecret::new(blank),
        )
        .expect_err("a blank secret");
        assert_eq!(error, WebhookError::EmptySecret);
        assert_eq!(
            WebhookSecret::try_new(blank).expect_err("blank"),
            WebhookError::EmptySecret
        );
    }
}

// ----- the `axum` feature's extractor, with the generated event enum -----

mod extractor {
    use std::sync::{Arc, Mutex};

    use axum::extract::{FromRef, State};
    use axum::routing::post;
    use commet::axum::Verified;
    use commet::{WebhookEvent, WebhookSecret};

    #[derive(Clone)]
    struct AppState {
        secret: WebhookSecret,
        events: Arc<Mutex<Vec<WebhookEvent>>>,
    }

    impl FromRef<AppState> for WebhookSecret {
        fn from_ref(state: &AppState) -> Self {
            state.secret.clone()
        }
    }

    async fn receive(State(state): State<AppState>, Verified(event): Verified<WebhookEvent>) {
        state.events.lock().expect("not poisoned").push(event);
    }

    /// An endpoint that takes events with the extractor; its URL and what it accepted.
    pub async fn start(secret: &str) -> (String, Arc<Mutex<Vec<WebhookEvent>>>) {
        let events = Arc::new(Mutex::new(Vec::new()));
        let state = AppState {
            secret: WebhookSecret::new(secret),
            events: Arc::clone(&events),
        };
        let app = axum::Router::new()
            .route("/hook", post(receive))
            .with_state(state);
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("binds");
        let url = format!("http://{}/hook", listener.local_addr().expect("addr"));
        tokio::spawn(async move { axum::serve(listener, app).await });
        (url, events)
    }
}

#[tokio::test]
async fn the_extractor_yields_typed_events_and_answers_each_failure_with_its_status() {
    let vectors = vectors();
    let (fake, _client) = common::start().await;
    let (url, events) = extractor::start(SECRET).await;
    fake.register_webhook(&url, SECRET);
    for v in &vectors {
        fake.send_event_body(&v.body).await;
    }
    let statuses: Vec<(String, Option<u16>)> = fake
        .webhook_deliveries()
        .into_iter()
        .map(|d| (d.event, d.status))
        .collect();
    let expected: Vec<(String, Option<u16>)> = vectors
        .iter()
        .map(|v| {
            (
                v.event.clone(),
                Some(if v.kind == "invalid" { 422 } else { 200 }),
            )
        })
        .collect();
    assert_eq!(statuses, expected);
    let accepted = events.lock().expect("not poisoned").clone();
    let accepted: Vec<&str> = accepted.iter().map(WebhookEvent::event_type).collect();
    let good: Vec<&str> = of_kind(&vectors, &["set", "null", "unknown"])
        .iter()
        .map(|v| v.event.as_str())
        .collect();
    assert_eq!(accepted, good);

    // Signed with another secret, and under a blank one: refused before decoding.
    let (fake, _client) = common::start().await;
    let (url, events) = extractor::start(SECRET).await;
    fake.register_webhook(&url, "whsec_someone_else");
    let (blank_url, blank_events) = extractor::start(" ").await;
    fake.register_webhook(&blank_url, " ");
    fake.send_event_body(&vectors[0].body).await;
    let statuses: Vec<Option<u16>> = fake.webhook_deliveries().iter().map(|d| d.status).collect();
    assert_eq!(statuses, [Some(401), Some(500)]);
    assert!(events.lock().expect("not poisoned").is_empty());
    assert!(blank_events.lock().expect("not poisoned").is_empty());
}
