//! Which failures the client retries, how often, and how long it waits, counted in the requests
//! the fake actually received.

mod common;

use std::time::{Duration, Instant};

use commet::{ErrorCode, PaymentStatus, RetryPolicy};
use commet_fake::Fault;
use common::{api_error, builder_for, fast_policy, requests_to, start, status, status_retry_after};

/// A fault for `status` that the client should retry: 429 comes with `Retry-After: 0` so that
/// the wait stays short.
fn retryable(status: u16) -> Fault {
    if status == 429 {
        status_retry_after(429, "0")
    } else {
        common::status(status)
    }
}

const RETRYABLE: [u16; 6] = [408, 429, 500, 502, 503, 504];

#[tokio::test]
async fn retryable_statuses_are_retried_on_get_and_on_keyed_post() {
    let (fake, client) = start().await;
    let id = fake.seed_payments(None, 1).remove(0);
    for code in RETRYABLE {
        fake.clear_requests();
        fake.push_fault(retryable(code));
        fake.push_fault(retryable(code));
        let payment = client
            .get_payment(&id)
            .await
            .unwrap_or_else(|e| panic!("{code} is retried: {e}"));
        assert_eq!(payment.id, id);
        assert_eq!(fake.requests().len(), 3, "GET after two {code}s");

        let charges_before = fake.charges().len();
        fake.clear_requests();
        fake.push_fault(retryable(code));
        fake.push_fault(retryable(code));
        let charge = client
            .charge_payment(&common::charge(100))
            .await
            .unwrap_or_else(|e| panic!("{code} is retried: {e}"));
        assert_eq!(fake.requests().len(), 3, "POST after two {code}s");
        assert_eq!(fake.charges().len(), charges_before + 1, "one charge");
        assert_eq!(charge.status, PaymentStatus::Succeeded);
    }
}

#[tokio::test]
async fn exhausted_retries_return_the_last_error() {
    let (fake, client) = start().await;
    for _ in 0..3 {
        fake.push_fault(status(503));
    }
    let error = client
        .charge_payment(&common::charge(100))
        .await
        .expect_err("three 503s");
    let api = api_error(error);
    assert_eq!(api.status.as_u16(), 503);
    assert_eq!(api.body.code, ErrorCode::InternalError);
    assert_eq!(
        api.request_id.as_deref(),
        Some(fake.requests()[2].request_id.as_str()),
        "the error is the last attempt's"
    );
    assert_eq!(fake.requests().len(), 3);
    assert!(fake.charges().is_empty());
}

#[tokio::test]
async fn a_default_client_makes_three_attempts() {
    let (fake, _) = start().await;
    // No retry settings at all: the defaults apply. `Retry-After: 0` keeps the wait at zero.
    let client = commet::Client::builder()
        .api_key(fake.api_key())
        .base_url(fake.base_url())
        .build()
        .expect("builds");
    for _ in 0..5 {
        fake.push_fault(status_retry_after(503, "0"));
    }
    let error = client.get_payment("pay_1").await.expect_err("all 503");
    assert_eq!(error.status().map(|s| s.as_u16()), Some(503));
    assert_eq!(fake.requests().len(), 3, "1 attempt + 2 retries");
    assert_eq!(fake.pending_faults(), 2);
    assert_eq!(RetryPolicy::default().max_retries, 2);
}

#[tokio::test]
async fn dropped_connections_are_retried_without_double_charging() {
    let (fake, client) = start().await;
    fake.push_fault(Fault::DropBeforeProcessing);
    fake.push_fault(Fault::DropBeforeProcessing);
    let first = client
        .charge_payment(&common::charge(100))
        .await
        .expect("retried past two drops");
    assert_eq!(requests_to(&fake, "POST", "/payments/charge").len(), 3);
    assert_eq!(fake.charges().len(), 1);

    // The server charges, then the connection drops: the retry gets the stored result.
    fake.clear_requests();
    fake.push_fault(Fault::DropAfterProcessing);
    let response = client
        .charge_payment(&common::charge(200))
        .send()
        .await
        .expect("retried past the drop");
    assert_eq!(fake.requests().len(), 2);
    assert_eq!(response.headers()["idempotent-replayed"], "true");
    let ledger = fake.charges();
    assert_eq!(ledger.len(), 2, "one charge per call");
    assert_eq!(ledger[0]["id"], first.id.as_str());
    assert_eq!(ledger[1]["id"], response.data().id.as_str());
}

#[tokio::test]
async fn exhausted_retries_after_drops_are_a_transport_error() {
    let (fake, client) = start().await;
    for _ in 0..3 {
        fake.push_fault(Fault::DropBeforeProcessing);
    }
    let error = client
        .charge_payment(&common::charge(100))
        .await
        .expect_err("three drops");
    assert!(matches!(error, commet::Error::Transport(_)), "{error:?}");
    assert!(error.is_retryable());
    assert_eq!(error.request_id(), None, "no response, no request id");
    let line = error.to_string();
    assert!(
        line.starts_with("transport error: ") && !line.contains('\n'),
        "{line}"
    );
    assert_eq!(fake.requests().len(), 3);
    assert!(fake.charges().is_empty(), "nothing was processed");
}

#[tokio::test]
async fn timeouts_are_retried_and_the_late_request_does_not_charge_again() {
    let (fake, client) = start().await;
    let timeout = Duration::from_millis(250);
    let delay = Duration::from_millis(600);
    fake.push_fault(Fault::Delay(delay));
    let charge = client
        .charge_payment(&common::charge(100))
        .timeout(timeout)
        .await
        .expect("retried past the timeout");
    assert_eq!(fake.requests().len(), 2);

    for _ in 0..3 {
        fake.push_fault(Fault::Delay(delay));
    }
    let error = client
        .charge_payment(&common::charge(200))
        .timeout(timeout)
        .await
        .expect_err("every attempt times out");
    match &error {
        commet::Error::Timeout(t) => assert_eq!(t.timeout(), timeout),
        other => panic!("expected a timeout, got {other:?}"),
    }
    assert!(
        error
            .to_string()
            .starts_with("request timed out after 250ms")
    );
    assert_eq!(fake.requests().len(), 5);

    // The delayed requests are processed after the client gave up; they share their call's
    // key, so each call charges at most once.
    tokio::time::sleep(delay + Duration::from_millis(200)).await;
    let ledger = fake.charges();
    assert_eq!(ledger[0]["id"], charge.id.as_str());
    assert!(ledger.len() <= 2, "{ledger:#?}");
    assert_eq!(
        ledger.iter().filter(|c| c["amountSubtotal"] == 100).count(),
        1
    );
}

#[tokio::test]
async fn client_errors_are_never_retried() {
    let (fake, client) = start().await;
    for code in [400, 401, 402, 403, 404, 409, 422] {
        fake.clear_requests();
        fake.push_fault(status(code));
        fake.push_fault(status(code));
        let error = client
            .charge_payment(&common::charge(100))
            .await
            .expect_err("injected error");
        assert_eq!(error.status().map(|s| s.as_u16()), Some(code));
        assert_eq!(fake.requests().len(), 1, "{code} is not retried");
        fake.clear_faults();

        fake.clear_requests();
        fake.push_fault(status(code));
        client
            .get_payment("pay_1")
            .await
            .expect_err("injected error");
        assert_eq!(fake.requests().len(), 1, "{code} is not retried on GET");
    }
    assert!(fake.charges().is_empty());

    // Real (not injected) client errors: validation and not found.
    fake.clear_requests();
    client
        .charge_payment(&commet::ChargePaymentRequest::new("cus_x", 0, "usd", "x"))
        .await
        .expect_err("invalid");
    client.get_payment("pay_missing").await.expect_err("404");
    assert_eq!(fake.requests().len(), 2);
}

#[tokio::test]
async fn retry_after_one_second_is_honoured() {
    let (fake, client) = start().await;
    fake.push_fault(status_retry_after(429, "1"));
    let policy = RetryPolicy {
        initial_backoff: Duration::from_millis(1),
        max_backoff: Duration::from_millis(4),
        ..RetryPolicy::default()
    };
    let started = Instant::now();
    client
        .charge_payment(&common::charge(100))
        .retry_policy(policy)
        .await
        .expect("retried after the wait");
    let elapsed = started.elapsed();
    assert!(
        elapsed >= Duration::from_millis(900),
        "waited only {elapsed:?}"
    );
    assert_eq!(fake.requests().len(), 2);
    let first = &fake.requests()[0];
    assert!(matches!(
        first.fault,
        Some(Fault::Status { status: 429, .. })
    ));
}

#[tokio::test]
async fn a_huge_retry_after_ends_the_call_with_the_advice() {
    let (fake, client) = start().await;
    // fast_policy waits at most 20 ms: without the limit this would sleep a day.
    fake.push_fault(status_retry_after(429, "86400"));
    let call = client.charge_payment(&common::charge(100));
    let key = call.get_idempotency_key().expect("a key").to_owned();
    let error = tokio::time::timeout(Duration::from_secs(30), call)
        .await
        .expect("the limit keeps the call short")
        .expect_err("the advice, not a wait");
    assert_eq!(fake.requests().len(), 1, "no retry");
    assert_eq!(error.status().map(|s| s.as_u16()), Some(429));
    assert_eq!(error.retry_after(), Some(Duration::from_secs(86_400)));
    assert_eq!(error.outcome(), commet::Outcome::NotApplied);
    assert_eq!(error.idempotency_key(), Some(key.as_str()));
    let report = error.report().expect("a report");
    assert_eq!(
        report.stop_reason(),
        &commet_runtime::StopReason::RetryAfterTooLong {
            retry_after: Duration::from_secs(86_400),
            limit: Duration::from_millis(20),
        }
    );
    let line = error.to_string();
    assert!(
        line.contains(
            "; not applied; the server asked to retry after 86400s, more than the 20ms allowed"
        ),
        "{line}"
    );
    assert!(fake.charges().is_empty());

    // An HTTP date a lifetime away is the same; the caller can come back with the same key.
    fake.push_fault(status_retry_after(503, "Wed, 21 Oct 2099 07:28:00 GMT"));
    let error = client
        .charge_payment(&common::charge(100))
        .idempotency_key(key.as_str())
        .await
        .expect_err("the advice");
    assert!(
        error
            .retry_after()
            .is_some_and(|d| d > Duration::from_secs(86_400))
    );
    assert_eq!(fake.requests().len(), 2);
    let charge = client
        .charge_payment(&common::charge(100))
        .idempotency_key(key.as_str())
        .await
        .expect("charged once the server is back");
    assert_eq!(charge.amount_subtotal, 100);
    assert_eq!(fake.charges().len(), 1);
}

#[tokio::test]
async fn max_retries_per_call_and_per_client() {
    let (fake, client) = start().await;
    fake.push_fault(status(503));
    fake.push_fault(status(503));
    let error = client
        .charge_payment(&common::charge(100))
        .max_retries(0)
        .await
        .expect_err("no retries");
    assert_eq!(error.status().map(|s| s.as_u16()), Some(503));
    assert_eq!(fake.requests().len(), 1);
    fake.clear_faults();

    fake.clear_requests();
    for _ in 0..5 {
        fake.push_fault(status(503));
    }
    client
        .get_payment("pay_1")
        .max_retries(5)
        .await
        .expect_err("the 404 after five 503s");
    assert_eq!(fake.requests().len(), 6, "a bigger per-call budget");

    // The builder's max_retries wins over its policy's.
    let no_retries = builder_for(&fake).max_retries(0).build().expect("builds");
    fake.clear_requests();
    fake.push_fault(status(500));
    no_retries.get_payment("pay_1").await.expect_err("500");
    assert_eq!(fake.requests().len(), 1);
    fake.clear_faults();

    // A per-call policy replaces the client's: here, nothing is retried on 503.
    fake.clear_requests();
    fake.push_fault(status(503));
    let policy = RetryPolicy {
        retry_statuses: vec![],
        ..fast_policy()
    };
    client
        .get_payment("pay_1")
        .retry_policy(policy)
        .await
        .expect_err("503");
    assert_eq!(fake.requests().len(), 1);
}

#[tokio::test]
async fn idempotency_in_progress_is_retried_but_a_key_mismatch_is_not() {
    let (fake, client) = start().await;
    fake.push_fault(Fault::IdempotencyInProgress);
    fake.push_fault(Fault::IdempotencyInProgress);
    client
        .charge_payment(&common::charge(100))
        .idempotency_key("order-1")
        .await
        .expect("retried until the key is free");
    assert_eq!(fake.requests().len(), 3);
    assert_eq!(fake.charges().len(), 1);

    fake.clear_requests();
    let error = client
        .charge_payment(&common::charge(999))
        .idempotency_key("order-1")
        .await
        .expect_err("the key was used for another body");
    assert_eq!(error.code(), Some("idempotency_key_mismatch"));
    assert_eq!(fake.requests().len(), 1);

    // Retrying in-progress keeps going until the budget is spent.
    fake.clear_requests();
    for _ in 0..3 {
        fake.push_fault(Fault::IdempotencyInProgress);
    }
    let error = client
        .charge_payment(&common::charge(300))
        .await
        .expect_err("still in progress");
    assert_eq!(api_error(error).body.code, ErrorCode::IdempotencyInProgress);
    assert_eq!(fake.requests().len(), 3);
}
