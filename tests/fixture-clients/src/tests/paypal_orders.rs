//! The client generated from PayPal's own Orders v2 document, with no option, against a
//! stand-in with PayPal's idempotency (`PayPal-Request-Id`) under the fault script: in
//! each of the first three attempts of a call, 7 chances in 12 of a reset before or after
//! processing, a delay past the timeout, 500, 503, 429 or a truncated 2xx.

use std::time::Duration;

use commet_fake::standin::StandIn;
use commet_fake::{Fault, KeyStyle};
use commet_runtime::serde_json::json;
use commet_runtime::{Outcome, RetryPolicy, StopReason};

use crate::paypal_orders::{
    AmountWithBreakdown, CheckoutPaymentIntent, Client, OrderRequest, OrdersCreateParams,
    PurchaseUnitRequest,
};

const CALLS: usize = 60;
const TIMEOUT: Duration = Duration::from_millis(100);
const DELAY: Duration = Duration::from_millis(250);

fn fault(roll: u64) -> Option<Fault> {
    let status = |status, retry_after: Option<&str>| Fault::Status {
        status,
        retry_after: retry_after.map(str::to_owned),
        body: None,
    };
    match roll {
        0 => Some(Fault::DropBeforeProcessing),
        1 => Some(Fault::DropAfterProcessing),
        2 => Some(Fault::Delay(DELAY)),
        3 => Some(status(500, None)),
        4 => Some(status(503, None)),
        5 => Some(status(429, Some("0"))),
        6 => Some(Fault::TruncatedBody),
        _ => None,
    }
}

fn order(reference: &str) -> OrderRequest {
    let unit = PurchaseUnitRequest::new(AmountWithBreakdown::new("USD".into(), "10.00"))
        .reference_id(reference);
    OrderRequest::new(CheckoutPaymentIntent::Capture, vec![unit])
}

#[tokio::test]
async fn paypal_orders_are_never_created_twice_and_every_failure_recovers_with_its_key() {
    let standin = StandIn::start(KeyStyle::Header("PayPal-Request-Id".to_owned()))
        .await
        .expect("the stand-in starts");
    standin.answer(json!({"id": "", "status": "CREATED", "intent": "CAPTURE"}));
    let client = Client::builder()
        .bearer_token("token")
        .base_url(standin.url())
        .timeout(TIMEOUT)
        .retry_policy(RetryPolicy {
            initial_backoff: Duration::from_millis(1),
            max_backoff: Duration::from_millis(2),
            ..RetryPolicy::default()
        })
        .build()
        .expect("builds");
    let mut dice: u64 = 0x2026_1208_0aa1;
    let mut roll = || {
        dice ^= dice << 13;
        dice ^= dice >> 7;
        dice ^= dice << 17;
        dice % 12
    };
    let mut keys = Vec::new();
    let mut failed = Vec::new();
    for i in 0..CALLS {
        let reference = format!("call-{i}");
        let mut all_faulted = true;
        for _ in 0..3 {
            match fault(roll()) {
                Some(f) => standin.push_fault(f),
                None => {
                    all_faulted = false;
                    // This attempt is answered normally and ends the call: no later one
                    // happens, so nothing more is queued.
                    break;
                }
            }
        }
        let call = client.orders_create(&order(&reference), OrdersCreateParams::new());
        let key = call
            .get_idempotency_key()
            .expect("PayPal-Request-Id is recognised")
            .to_owned();
        keys.push((reference.clone(), key.clone()));
        if let Err(error) = call.await {
            assert_eq!(error.idempotency_key(), Some(key.as_str()));
            assert!(
                all_faulted,
                "{reference}: only a spent budget explains {error}"
            );
            assert_eq!(
                error.report().map(|r| r.stop_reason().clone()),
                Some(StopReason::RetriesExhausted)
            );
            failed.push((reference, error));
        }
        standin.clear_faults();
    }
    tokio::time::sleep(DELAY * 2).await;
    let created = |reference: &str| {
        standin
            .ledger()
            .iter()
            .filter(|c| c.body["purchase_units"][0]["reference_id"] == reference)
            .count()
    };
    for (reference, key) in &keys {
        assert!(created(reference) <= 1, "{reference} created twice");
        // One id per call, on every attempt.
        for request in standin.requests().iter().filter(|r| {
            r.body_json()
                .is_some_and(|b| b["purchase_units"][0]["reference_id"] == reference.as_str())
        }) {
            assert_eq!(request.header("paypal-request-id"), Some(key.as_str()));
        }
    }
    for (reference, error) in &failed {
        match error.outcome() {
            Outcome::NotApplied => assert_eq!(created(reference), 0, "{reference}: {error}"),
            Outcome::Applied => assert_eq!(created(reference), 1, "{reference}: {error}"),
            Outcome::MaybeApplied => {}
        }
        let key = error.idempotency_key().expect("a key").to_owned();
        let order = client
            .orders_create(&order(reference), OrdersCreateParams::new())
            .idempotency_key(key)
            .await
            .unwrap_or_else(|e| panic!("{reference} recovers: {e}"));
        assert!(order.id.is_some_and(|id| id.starts_with("rec_")));
        assert_eq!(created(reference), 1, "{reference} once after recovery");
    }
    assert!(
        (1..CALLS / 2).contains(&failed.len()),
        "{} of {CALLS} failed",
        failed.len()
    );
    assert!(standin.requests().len() > CALLS * 3 / 2, "the script bit");
}
