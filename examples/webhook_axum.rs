//! Receives Commet webhooks with axum: the signature is checked on the raw body, then the
//! typed event is handled. Fulfil orders on `payment_link.completed`.
//!
//! ```sh
//! COMMET_WEBHOOK_SECRET=whsec_... cargo run --example webhook_axum
//! ```
//!
//! It listens on `127.0.0.1:3000` (or `WEBHOOK_ADDR`) at `/webhooks/commet`. With the fake
//! (`cargo run --example fake_server`), `FakeCommet::register_webhook` points events here.

use std::sync::Arc;

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use commet::{WebhookError, WebhookEvent, WebhookSecret};

/// The route's state: the endpoint's secret and what to do with each verified event.
#[derive(Clone)]
pub struct Endpoint {
    /// The endpoint's signing secret (`whsec_...`).
    pub secret: WebhookSecret,
    /// Called once per verified event.
    pub on_event: Arc<dyn Fn(WebhookEvent) + Send + Sync>,
}

/// `POST /webhooks/commet`.
pub fn router(endpoint: Endpoint) -> Router {
    Router::new()
        .route("/webhooks/commet", post(receive))
        .with_state(endpoint)
}

/// Takes the body as bytes (not `Json`): the signature is over the exact bytes sent.
async fn receive(State(endpoint): State<Endpoint>, headers: HeaderMap, body: Bytes) -> StatusCode {
    let signature = headers
        .get(WebhookEvent::SIGNATURE_HEADER)
        .and_then(|v| v.to_str().ok());
    match WebhookEvent::verify_and_parse(&body, signature, &endpoint.secret) {
        Ok(event) => {
            (endpoint.on_event)(event);
            StatusCode::OK
        }
        // Signed by Commet, but not an event this client can read: a bug to look at, not an
        // attack. Commet delivers it again, so nothing is lost while the client is fixed.
        Err(error @ WebhookError::InvalidBody { .. }) => {
            eprintln!("{error}");
            StatusCode::UNPROCESSABLE_ENTITY
        }
        // The endpoint has no usable secret: refuse everything until it is configured.
        Err(WebhookError::EmptySecret) => StatusCode::INTERNAL_SERVER_ERROR,
        Err(_) => StatusCode::UNAUTHORIZED,
    }
}

/// What a shop does with its events.
fn handle(event: WebhookEvent) {
    match event {
        WebhookEvent::PaymentLinkCompleted(paid) => println!(
            "fulfil {}: {} {} paid, invoice {}",
            paid.data.payment_id, paid.data.amount, paid.data.currency, paid.data.invoice_number
        ),
        WebhookEvent::PaymentRefunded(refund) => println!(
            "revoke access: {} {} refunded",
            refund.data.refund_amount, refund.data.currency
        ),
        WebhookEvent::PaymentRecovered(recovered) => {
            println!(
                "close dunning for invoice {}",
                recovered.data.invoice_number
            )
        }
        WebhookEvent::PaymentRetryFailed(lapsed) => println!(
            "revoke access: subscription {} canceled",
            lapsed.data.subscription_id
        ),
        // Other events, including types newer than this client, are acknowledged.
        other => println!("{}", other.event_type()),
    }
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    // Fails closed: without the variable, or with an empty one, the server does not start.
    let secret = std::env::var("COMMET_WEBHOOK_SECRET")
        .map_err(|_| "set COMMET_WEBHOOK_SECRET to the endpoint's secret")?;
    let secret = WebhookSecret::try_new(secret)?;
    let addr = std::env::var("WEBHOOK_ADDR").unwrap_or_else(|_| "127.0.0.1:3000".to_owned());
    let endpoint = Endpoint {
        secret,
        on_event: Arc::new(handle),
    };
    let listener = tokio::net::TcpListener::bind(&addr).await?;
    println!("listening on http://{addr}/webhooks/commet");
    axum::serve(listener, router(endpoint)).await?;
    Ok(())
}
