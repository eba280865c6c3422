//! `commet-fake`: a real HTTP fake of Commet's payments API (the `2026-06-10` contract), for
//! integration tests of clients.
//!
//! [`FakeCommet::start`] binds `127.0.0.1` on an ephemeral port and serves the five payment
//! operations under [`FakeCommet::base_url`] (`http://127.0.0.1:PORT/api/v1`):
//!
//! | operation | route |
//! |---|---|
//! | create a payment link | `POST /payments` |
//! | charge a customer | `POST /payments/charge` |
//! | get a payment | `GET /payments/{id}` |
//! | list payments | `GET /payments?customerId&cursor&limit` |
//! | cancel a payment link | `POST /payments/{id}/cancel` |
//!
//! # Behaviour
//!
//! - Every response that is sent carries an `x-request-id` header (`req_fake_` and a counter).
//!   Success bodies are `{"success": true, "data": ...}` (a list adds `hasMore` and
//!   `nextCursor`); errors are `{"success": false, "error": {"type", "code", "message",
//!   "param", "details", "doc_url"}}`. Every success is status 200.
//! - The `x-api-key` header is checked first: missing or wrong is 401
//!   `authentication_error`/`unauthorized`.
//! - Bodies that are not JSON are 400 `validation_error`/`invalid_json`; invalid fields are 400
//!   `validation_error`/`validation_error` with `param` naming the first bad field and `details`
//!   listing `{field, message}` for each. `amount` must be an integer in 1..=999_999_999_999,
//!   `currency` three lowercase letters, `metadata` an object of string values (a bad value is
//!   reported as field `metadata.KEY`); unknown fields are ignored.
//! - A customer is found by Commet id or external id; unknown is 404
//!   `not_found_error`/`customer_not_found`. A charge for a customer without a payment method is
//!   400 `billing_error`/`no_payment_method` (a business rule, not a declined payment, so 400
//!   rather than 402). An unknown payment is 404 `not_found_error`/`payment_not_found`.
//! - Charges succeed at once (`kind: charge`, `status: succeeded`, `provider: stripe`); links are
//!   `pending` with `url` `https://commet.co/pay/{id}` and expire 24 hours after creation. Tax is
//!   [`tax_for`]`(amount)` (8%, rounded half up), and `amountTotal = amountSubtotal + taxAmount`.
//!   Timestamps are RFC 3339 UTC with milliseconds and strictly increase within one fake.
//! - Cancel: a `pending` (or `failed` or `requires_action`) link becomes `canceled`; a canceled
//!   link is returned unchanged; a charge, or a `succeeded`, `processing` (or any other) link is
//!   409 `conflict_error`/`payment_not_cancelable`.
//! - `Idempotency-Key` on the three POSTs: the first response for a key is stored (whatever its
//!   status) and replayed, byte for byte and with an extra `idempotent-replayed: true` header, for
//!   a request with the same method, path and body (JSON bodies compared by value); the same key
//!   with another payload is 409 `conflict_error`/`idempotency_key_mismatch`. Keys never expire.
//!   [`FakeCommet::start_with_key_style`] reads the key from another header or a body field
//!   instead ([`KeyStyle`]), as other payments APIs send it.
//! - List: newest first (`createdAt`, then `id`, descending), optional `customerId` filter (Commet
//!   or external id; an unknown one gives an empty page), `limit` defaulting to 25 and clamped to
//!   1..=100 (non-integers are 400 with `param: "limit"`), `cursor` the id of the previous page's
//!   last item (an unknown cursor is 400 with `param: "cursor"`).
//! - Unknown routes are 404 `not_found_error`/`not_found`; a known path with the wrong method is
//!   405 `validation_error`/`method_not_allowed`. Bodies over 1 MiB are 413.
//!
//! Faults ([`Fault`]) are queued with [`FakeCommet::push_fault`] or [`FakeCommet::push_fault_for`]
//! and each consumed by one request. Every request is recorded ([`FakeCommet::requests`]).
//!
//! For tests of other APIs' clients, [`wire::WireServer`] records the exact bytes a request
//! carries and answers from a script, and [`standin::StandIn`] stands in for another payments
//! API: it creates a record per `POST`, dedupes by idempotency key, and takes the same faults.
//!
//! # Lifetime
//!
//! [`FakeCommet`] is a cheap [`Clone`] handle. The server task runs on the Tokio runtime that
//! called [`FakeCommet::start`] until the last handle is dropped; it then stops accepting
//! connections and closes idle ones (graceful shutdown). The server also ends with that runtime,
//! so a fake cannot outlive the test (or `#[tokio::test]` runtime) that started it.
//!
//! ```no_run
//! # async fn demo() -> std::io::Result<()> {
//! let fake = commet_fake::FakeCommet::start().await?;
//! fake.add_customer("cus_1", Some("user-1"), true);
//! fake.push_fault(commet_fake::Fault::Status { status: 503, retry_after: None, body: None });
//! // Point the client at fake.base_url() with fake.api_key(), then inspect
//! // fake.requests() and fake.charges().
//! # Ok(()) }
//! ```
#![deny(missing_docs)]

mod clock;
mod error;
mod fault;
mod idempotency;
mod payment;
mod recorded;
mod reply;
mod routes;
mod server;
pub mod standin;
mod state;
mod validate;
mod webhooks;
pub mod wire;

use std::net::SocketAddr;
use std::sync::Arc;

use serde_json::Value;
use tokio::sync::oneshot;

pub use fault::Fault;
pub use idempotency::KeyStyle;
pub use payment::{TAX_RATE_BASIS_POINTS, tax_for};
pub use recorded::RecordedRequest;
pub use webhooks::{Delivery, ORGANIZATION_ID};

use fault::FaultFilter;
use payment::NewPayment;
use state::{Customer, Shared};

/// The API key the fake accepts unless started with [`FakeCommet::start_with_api_key`].
pub const DEFAULT_API_KEY: &str = "ck_sandbox_fake_key";

/// A running fake Commet server. Clones share the same server and state; the server stops when
/// the last clone is dropped.
#[derive(Debug, Clone)]
pub struct FakeCommet {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    shared: Arc<Shared>,
    addr: SocketAddr,
    /// Dropping this (with the last handle) shuts the server down.
    _shutdown: oneshot::Sender<()>,
}

impl FakeCommet {
    /// Starts a fake on `127.0.0.1` with an ephemeral port, accepting [`DEFAULT_API_KEY`]. Must
    /// be called within a Tokio runtime, which then runs the server.
    pub async fn start() -> std::io::Result<FakeCommet> {
        FakeCommet::start_with_api_key(DEFAULT_API_KEY).await
    }

    /// Starts a fake that accepts `api_key` as its only valid key.
    pub async fn start_with_api_key(api_key: &str) -> std::io::Result<FakeCommet> {
        FakeCommet::start_with(api_key, KeyStyle::default()).await
    }

    /// Starts a fake that reads idempotency keys where `key_style` says instead of Commet's
    /// `Idempotency-Key` header: the stand-in for a payments API that keys its requests
    /// another way, under the same rules and faults. It accepts [`DEFAULT_API_KEY`].
    pub async fn start_with_key_style(key_style: KeyStyle) -> std::io::Result<FakeCommet> {
        FakeCommet::start_with(DEFAULT_API_KEY, key_style).await
    }

    async fn start_with(api_key: &str, key_style: KeyStyle) -> std::io::Result<FakeCommet> {
        let shared = Arc::new(Shared::new(api_key.to_string(), key_style));
        let (addr, shutdown) = server::start(Arc::clone(&shared)).await?;
        Ok(FakeCommet {
            inner: Arc::new(Inner {
                shared,
                addr,
                _shutdown: shutdown,
            }),
        })
    }

    /// The base URL of the API, `http://127.0.0.1:PORT/api/v1` (no trailing slash).
    pub fn base_url(&self) -> String {
        format!("http://{}{}", self.inner.addr, routes::API_PREFIX)
    }

    /// The socket address the server listens on.
    pub fn addr(&self) -> SocketAddr {
        self.inner.addr
    }

    /// The valid API key, to send as `x-api-key`.
    pub fn api_key(&self) -> &str {
        &self.inner.shared.api_key
    }

    /// Adds a customer (replacing one with the same `id`), findable by `id` or `external_id`.
    /// Only a customer with `has_payment_method` can be charged.
    pub fn add_customer(&self, id: &str, external_id: Option<&str>, has_payment_method: bool) {
        self.inner.shared.store().add_customer(Customer {
            id: id.to_string(),
            external_id: external_id.map(str::to_string),
            has_payment_method,
        });
    }

    /// Registers a webhook endpoint: from now on every event (`payment_link.created` when a
    /// link is created, `payment_link.canceled` when one is canceled, and those of
    /// [`FakeCommet::complete_link`], [`FakeCommet::fail_link`], [`FakeCommet::send_event`] and
    /// [`FakeCommet::send_event_body`]) is POSTed to `url`, signed with `secret` in
    /// `X-Commet-Signature`, before the request that caused it is answered.
    pub fn register_webhook(&self, url: &str, secret: &str) {
        self.inner
            .shared
            .store()
            .endpoints
            .push(webhooks::Endpoint {
                url: url.to_owned(),
                secret: secret.to_owned(),
            });
    }

    /// Every webhook delivery so far, in order.
    pub fn webhook_deliveries(&self) -> Vec<Delivery> {
        self.inner.shared.deliveries()
    }

    /// Marks a pending payment link paid, as if the customer had paid it, and delivers
    /// `payment_link.completed` (with an invoice) before returning. False for an unknown id or
    /// a payment that is not a pending link.
    pub async fn complete_link(&self, payment_id: &str) -> bool {
        let queued = self.settle_link(payment_id, "succeeded", "payment_link.completed", |store, payment| {
            let n = store.payments().len();
            serde_json::json!({
                "invoiceId": format!("inv_{}", payment.id.trim_start_matches("pay_")),
                "invoiceNumber": format!("INV-{n:04}"),
                "paymentTransactionId": format!("txn_{}", payment.id.trim_start_matches("pay_")),
            })
        });
        if queued {
            webhooks::deliver(&self.inner.shared).await;
        }
        queued
    }

    /// Records a failed payment attempt on a pending link (it stays payable) and delivers
    /// `payment_link.failed` before returning. False for an unknown id or a payment that is
    /// not a pending link.
    pub async fn fail_link(&self, payment_id: &str, code: &str, message: &str) -> bool {
        let queued = self.settle_link(
            payment_id,
            "failed",
            "payment_link.failed",
            |_, _| serde_json::json!({"failureCode": code, "failureMessage": message}),
        );
        if queued {
            webhooks::deliver(&self.inner.shared).await;
        }
        queued
    }

    /// Delivers a webhook event of type `event` whose `data` is `data`, in the `2026-06-10`
    /// envelope (`timestamp` now, `organizationId` [`ORGANIZATION_ID`], `mode: sandbox`), to
    /// every registered endpoint, signed like any other, before returning. For the events the
    /// fake has no state behind (`payment.received`, `payment.disputed`, …) and for types a
    /// client doesn't know; `data` is sent as given, nulls included.
    pub async fn send_event(&self, event: &str, data: Value) {
        {
            let mut store = self.inner.shared.store();
            let event = webhooks::enveloped(&mut store, event, data);
            store.outbox.push(event);
        }
        webhooks::deliver(&self.inner.shared).await;
    }

    /// Delivers `body` byte for byte as a webhook event (its `event` property, if any, as
    /// `X-Commet-Event`) to every registered endpoint, signed, before returning: for bodies a
    /// test has fixed signatures of, and for bodies that are not events at all.
    pub async fn send_event_body(&self, body: &str) {
        self.inner
            .shared
            .store()
            .outbox
            .push(webhooks::verbatim(body.to_owned()));
        webhooks::deliver(&self.inner.shared).await;
    }

    /// Moves a pending link to `status` and queues `event` with `extra` data.
    fn settle_link(
        &self,
        payment_id: &str,
        status: &str,
        event: &str,
        extra: impl FnOnce(&state::Store, &payment::Payment) -> Value,
    ) -> bool {
        let mut store = self.inner.shared.store();
        let now = store.clock.tick();
        let Some(payment) = store.payment_mut(payment_id) else {
            return false;
        };
        if payment.kind != "link" || payment.status != "pending" {
            return false;
        }
        payment.status = status.to_owned();
        payment.updated_at_ms = now;
        let payment = payment.clone();
        let extra = extra(&store, &payment);
        let event = webhooks::link_event(&mut store, event, &payment, extra);
        store.outbox.push(event);
        true
    }

    /// Sets a payment's `status` (any string, so unknown values can be sent) and bumps its
    /// `updatedAt`, e.g. to mark a link `succeeded` as if the customer had paid. Returns false if
    /// there is no such payment.
    pub fn set_payment_status(&self, payment_id: &str, status: &str) -> bool {
        let mut store = self.inner.shared.store();
        let now = store.clock.tick();
        match store.payment_mut(payment_id) {
            Some(payment) => {
                payment.status = status.to_string();
                payment.updated_at_ms = now;
                true
            }
            None => false,
        }
    }

    /// Creates `n` pending payment links directly (no request, no fault), with strictly
    /// increasing `createdAt`, and returns their ids oldest first. With `customer_id` (a Commet
    /// id or external id; an unknown one is used as given) they belong to that customer. Link
    /// `i` (from 0) is for `1000 + i` minor units of `usd`, described `Seeded payment i`.
    pub fn seed_payments(&self, customer_id: Option<&str>, n: usize) -> Vec<String> {
        let mut store = self.inner.shared.store();
        let customer_id = customer_id.map(|given| {
            store
                .customer(given)
                .map_or_else(|| given.to_string(), |c| c.id.clone())
        });
        (0..n)
            .map(|i| {
                let amount = i64::try_from(i)
                    .unwrap_or(i64::MAX / 2)
                    .saturating_add(1000);
                store
                    .insert_payment(NewPayment {
                        kind: "link",
                        customer_id: customer_id.clone(),
                        amount,
                        currency: "usd".to_string(),
                        description: format!("Seeded payment {i}"),
                        metadata: None,
                        success_url: None,
                    })
                    .id
                    .clone()
            })
            .collect()
    }

    /// Queues a fault for the next request, whatever its route. Faults are consumed FIFO: each
    /// request takes the first queued fault that applies to it.
    pub fn push_fault(&self, fault: Fault) {
        self.inner.shared.push_fault(FaultFilter::any(), fault);
    }

    /// Queues a fault for the next request with `method` (`"*"` for any; case-insensitive) on
    /// `path` relative to the base URL, e.g. `"/payments/charge"` (`"*"` for any path; a `*`
    /// segment matches one segment, as in `"/payments/*/cancel"`). Requests that do not match
    /// leave it queued.
    pub fn push_fault_for(&self, method: &str, path: &str, fault: Fault) {
        self.inner
            .shared
            .push_fault(FaultFilter::new(method, path), fault);
    }

    /// How many queued faults no request has consumed yet.
    pub fn pending_faults(&self) -> usize {
        self.inner.shared.pending_faults()
    }

    /// Discards every queued fault.
    pub fn clear_faults(&self) {
        self.inner.shared.clear_faults();
    }

    /// Every request received so far, in arrival order.
    pub fn requests(&self) -> Vec<RecordedRequest> {
        self.inner.shared.requests()
    }

    /// Forgets the recorded requests.
    pub fn clear_requests(&self) {
        self.inner.shared.clear_requests();
    }

    /// The ledger: every charge actually made (payments of kind `charge`), oldest first, in
    /// their wire form. Idempotent replays add nothing here.
    pub fn charges(&self) -> Vec<Value> {
        let store = self.inner.shared.store();
        store
            .payments()
            .iter()
            .filter(|p| p.kind == "charge")
            .map(|p| p.to_json())
            .collect()
    }

    /// Every payment (links and charges, seeded or created through the API), oldest first, in
    /// their wire form.
    pub fn payments(&self) -> Vec<Value> {
        let store = self.inner.shared.store();
        store.payments().iter().map(|p| p.to_json()).collect()
    }

    /// One payment in its wire form.
    pub fn payment(&self, id: &str) -> Option<Value> {
        self.inner.shared.store().payment(id).map(|p| p.to_json())
    }
}
