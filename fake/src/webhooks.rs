//! Webhook delivery: signed events POSTed over real HTTP to the endpoints a test registers, as
//! Commet sends them: the payment-link events the fake's own routes cause, and any event a test
//! asks for (`FakeCommet::send_event`, `send_event_body`).
//!
//! Routes and test helpers queue events in the store's outbox while they hold its lock; the
//! server (or the helper) then delivers the outbox before it answers, so by the time a client
//! sees the response to "create a payment link", the endpoint has had `payment_link.created`.

use std::time::Duration;

use hmac::{Hmac, Mac};
use serde_json::{Value, json};
use sha2::Sha256;

use crate::clock::rfc3339_millis;
use crate::payment::Payment;
use crate::state::{Shared, Store};

/// The organization every fake event belongs to.
pub const ORGANIZATION_ID: &str = "org_fake";

/// How long one delivery may take before it counts as failed.
const DELIVERY_TIMEOUT: Duration = Duration::from_secs(5);

/// An endpoint events are sent to.
#[derive(Debug, Clone)]
pub(crate) struct Endpoint {
    pub(crate) url: String,
    pub(crate) secret: String,
}

/// One delivery attempt, as the fake made it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Delivery {
    /// The endpoint's URL.
    pub url: String,
    /// The event type (`payment_link.created`).
    pub event: String,
    /// The exact body sent.
    pub body: String,
    /// The `X-Commet-Signature` sent.
    pub signature: String,
    /// The endpoint's status, or `None` when it could not be reached.
    pub status: Option<u16>,
}

/// A queued event: its type and body.
#[derive(Debug, Clone)]
pub(crate) struct Outgoing {
    pub(crate) event: String,
    pub(crate) body: String,
}

/// The event about a payment link, in the `2026-06-10` envelope; `extra` adds to `data`.
pub(crate) fn link_event(
    store: &mut Store,
    event: &str,
    payment: &Payment,
    extra: Value,
) -> Outgoing {
    // The merchant's external id when the customer has one, else Commet's id.
    let customer = payment.customer_id.as_deref().map(|id| {
        store
            .customer(id)
            .and_then(|c| c.external_id.clone())
            .unwrap_or_else(|| id.to_owned())
    });
    let mut data = json!({
        "paymentId": payment.id,
        "status": payment.status,
        "amount": payment.amount_total,
        "currency": payment.currency,
        "description": payment.description,
        "customerId": customer,
    });
    if let (Some(data), Value::Object(extra)) = (data.as_object_mut(), extra) {
        data.extend(extra);
    }
    enveloped(store, event, data)
}

/// An event of type `event` carrying `data`, in the `2026-06-10` envelope, stamped now.
pub(crate) fn enveloped(store: &mut Store, event: &str, data: Value) -> Outgoing {
    let now = store.clock.tick();
    let body = json!({
        "event": event,
        "timestamp": rfc3339_millis(now),
        "organizationId": ORGANIZATION_ID,
        "mode": "sandbox",
        "apiVersion": "2026-06-10",
        "data": data,
    });
    Outgoing {
        event: event.to_owned(),
        body: body.to_string(),
    }
}

/// A body to send exactly as given; its type (for `X-Commet-Event`) is its `event` property,
/// or empty when it has none.
pub(crate) fn verbatim(body: String) -> Outgoing {
    let event = serde_json::from_str::<Value>(&body)
        .ok()
        .and_then(|v| v.get("event").and_then(Value::as_str).map(str::to_owned))
        .unwrap_or_default();
    Outgoing { event, body }
}

/// The lower-case hex HMAC-SHA256 of `body` under `secret`.
pub(crate) fn signature(body: &[u8], secret: &str) -> String {
    // HMAC accepts keys of any length, so this never fails.
    let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(secret.as_bytes()) else {
        return String::new();
    };
    mac.update(body);
    hex::encode(mac.finalize().into_bytes())
}

/// Sends every queued event to every endpoint, in order, and records each delivery.
pub(crate) async fn deliver(shared: &Shared) {
    let (events, endpoints) = {
        let mut store = shared.store();
        (std::mem::take(&mut store.outbox), store.endpoints.clone())
    };
    if events.is_empty() || endpoints.is_empty() {
        return;
    }
    let http = reqwest::Client::new();
    for event in &events {
        for endpoint in &endpoints {
            let signature = signature(event.body.as_bytes(), &endpoint.secret);
            let sent = http
                .post(&endpoint.url)
                .header("content-type", "application/json")
                .header("x-commet-signature", &signature)
                .header("x-commet-event", &event.event)
                .header("x-commet-timestamp", timestamp_of(&event.body))
                .body(event.body.clone())
                .timeout(DELIVERY_TIMEOUT)
                .send()
                .await;
            shared.record_delivery(Delivery {
                url: endpoint.url.clone(),
                event: event.event.clone(),
                body: event.body.clone(),
                signature,
                status: sent.ok().map(|r| r.status().as_u16()),
            });
        }
    }
}

fn timestamp_of(body: &str) -> String {
    serde_json::from_str::<Value>(body)
        .ok()
        .and_then(|v| {
            v.get("timestamp")
                .and_then(Value::as_str)
                .map(str::to_owned)
        })
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::signature;

    #[test]
    fn signatures_match_an_independent_vector() {
        // python3 -c "import hmac,hashlib;print(hmac.new(b'whsec_x',b'{}',hashlib.sha256).hexdigest())"
        assert_eq!(
            signature(b"{}", "whsec_x"),
            "3b099d0eddf3b9c6f3a6aa28a95120c7f1f1c054121f2f85d5738f1344748b3b"
        );
    }
}
