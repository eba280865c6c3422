//! Webhooks end to end over real HTTP: the fake sends signed events to an endpoint served by
//! the `webhook_axum` example's own router, which verifies them and decodes them as the
//! generated `WebhookEvent`.

mod common;

#[path = "../examples/webhook_axum.rs"]
#[allow(dead_code)]
mod example;

use std::sync::{Arc, Mutex};

use commet::{CreatePaymentRequest, PaymentStatus, WebhookEvent, WebhookMode, WebhookSecret};
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

async fn fake_with_endpoint(secret: &str) -> (FakeCommet, commet::Client, Receiver) {
    let (fake, client) = common::start().await;
    let receiver = Receiver::start(SECRET).await;
    fake.register_webhook(&receiver.url, secret);
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
