//! A `POST` with no idempotency key (an API without a mechanism) is retried only after a
//! failure that proves it was not processed: the connection was never made, a 408, a 429, a
//! 503 with `Retry-After`. After anything ambiguous it is sent once and its error says
//! `MaybeApplied`. Over real HTTP against the fake, counting the requests and charges it saw.

mod common;

use std::time::Duration;

use commet::Outcome;
use commet_fake::{FakeCommet, Fault};
use commet_runtime::reqwest::Method;
use commet_runtime::{RetryPolicy, StopReason};
use common::{RAW_DEFAULTS, charge, fast_policy, raw_call, raw_client, status, status_retry_after};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

async fn fake() -> FakeCommet {
    let fake = FakeCommet::start().await.expect("the fake starts");
    common::add_customers(&fake);
    fake
}

/// An unkeyed charge, as a client of an API without idempotency sends it.
async fn unkeyed_charge(fake: &FakeCommet) -> Result<(), commet_runtime::Error<commet::ApiError>> {
    let client = raw_client(fake, Some(fake.api_key()));
    let call = raw_call(&client, Method::POST, &["payments", "charge"]).json(&charge(100));
    assert_eq!(call.get_idempotency_key(), None, "no key on this request");
    call.send().await.map(|_| ())
}

fn stop<E: commet_runtime::ErrorBody>(error: &commet_runtime::Error<E>) -> Option<StopReason> {
    error.report().map(|r| r.stop_reason().clone())
}

#[tokio::test]
async fn refusals_that_prove_nothing_was_processed_are_retried() {
    let fake = fake().await;
    let cases = [
        ("429", status(429)),
        ("429 with Retry-After", status_retry_after(429, "0")),
        ("408", status(408)),
        ("503 with Retry-After", status_retry_after(503, "0")),
        (
            "503 with a Retry-After date in the past",
            status_retry_after(503, "Wed, 21 Oct 2015 07:28:00 GMT"),
        ),
    ];
    for (case, fault) in cases {
        fake.clear_requests();
        let before = fake.charges().len();
        fake.push_fault(fault.clone());
        fake.push_fault(fault);
        unkeyed_charge(&fake)
            .await
            .unwrap_or_else(|e| panic!("{case} is retried: {e}"));
        assert_eq!(
            fake.requests().len(),
            3,
            "{case}: two refusals, then the charge"
        );
        assert_eq!(fake.charges().len(), before + 1, "{case}: charged once");
    }
}

#[tokio::test]
async fn a_refusal_that_spends_the_budget_is_not_applied() {
    let fake = fake().await;
    for _ in 0..3 {
        fake.push_fault(status(429));
    }
    let error = unkeyed_charge(&fake).await.expect_err("three 429s");
    assert_eq!(fake.requests().len(), 3);
    assert_eq!(error.outcome(), Outcome::NotApplied);
    assert_eq!(stop(&error), Some(StopReason::RetriesExhausted));
    assert!(fake.charges().is_empty());
}

#[tokio::test]
async fn ambiguous_failures_are_sent_once_and_say_maybe_applied() {
    let fake = fake().await;
    let cases = [
        ("bare 503", status(503)),
        ("500", status(500)),
        ("502", status(502)),
        ("504", status(504)),
        ("500 with Retry-After", status_retry_after(500, "0")),
        (
            "503 with an unreadable Retry-After",
            status_retry_after(503, "soon"),
        ),
        ("reset before processing", Fault::DropBeforeProcessing),
        ("reset after processing", Fault::DropAfterProcessing),
    ];
    for (case, fault) in cases {
        fake.clear_faults();
        fake.clear_requests();
        fake.push_fault(fault.clone());
        fake.push_fault(fault);
        let error = unkeyed_charge(&fake).await.expect_err(case);
        assert_eq!(fake.requests().len(), 1, "{case}: sent once");
        assert_eq!(error.outcome(), Outcome::MaybeApplied, "{case}");
        assert_eq!(stop(&error), Some(StopReason::NotRepeatable), "{case}");
        assert_eq!(error.idempotency_key(), None, "{case}");
    }
    // Only the reset after processing charged, and only once.
    assert_eq!(fake.charges().len(), 1);
}

#[tokio::test]
async fn a_timeout_after_sending_is_not_retried() {
    let fake = fake().await;
    fake.push_fault(Fault::Delay(Duration::from_millis(400)));
    let client = commet_runtime::Client::builder(RAW_DEFAULTS)
        .base_url(fake.base_url())
        .api_key(fake.api_key())
        .retry_policy(fast_policy())
        .timeout(Duration::from_millis(100))
        .build()
        .expect("builds");
    let error = raw_call(&client, Method::POST, &["payments", "charge"])
        .json(&charge(100))
        .send()
        .await
        .expect_err("timed out");
    assert!(
        matches!(error, commet_runtime::Error::Timeout(_)),
        "{error:?}"
    );
    assert_eq!(error.outcome(), Outcome::MaybeApplied);
    assert_eq!(stop(&error), Some(StopReason::NotRepeatable));
    // The server still processes it after the delay: one charge, never two.
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(fake.requests().len(), 1);
    assert_eq!(fake.charges().len(), 1);
}

#[tokio::test]
async fn a_refusal_then_an_ambiguous_failure_stops_and_stays_maybe_applied() {
    let fake = fake().await;
    fake.push_fault(status(429));
    fake.push_fault(Fault::DropAfterProcessing);
    fake.push_fault(status(429));
    let error = unkeyed_charge(&fake).await.expect_err("reset");
    assert_eq!(fake.requests().len(), 2, "the 429 retried, the reset not");
    let outcomes: Vec<Outcome> = error
        .report()
        .map(|r| r.attempts().iter().map(|a| a.outcome()).collect())
        .unwrap_or_default();
    assert_eq!(outcomes, [Outcome::NotApplied, Outcome::MaybeApplied]);
    assert_eq!(error.outcome(), Outcome::MaybeApplied);
    assert_eq!(stop(&error), Some(StopReason::NotRepeatable));
    assert_eq!(fake.charges().len(), 1);
}

#[tokio::test]
async fn the_503_rule_can_be_turned_off() {
    let fake = fake().await;
    fake.push_fault(status_retry_after(503, "0"));
    let client = raw_client(&fake, Some(fake.api_key()));
    let error = raw_call(&client, Method::POST, &["payments", "charge"])
        .json(&charge(100))
        .retry_policy(RetryPolicy {
            trust_503_retry_after: false,
            ..fast_policy()
        })
        .send()
        .await
        .expect_err("not retried");
    assert_eq!(fake.requests().len(), 1);
    assert_eq!(error.outcome(), Outcome::MaybeApplied);
    assert_eq!(stop(&error), Some(StopReason::NotRepeatable));
}

/// A port nothing listens on (yet): bound, then released.
fn free_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("binds");
    listener.local_addr().expect("has an address").port()
}

#[tokio::test]
async fn a_connection_never_made_is_retried_until_the_server_is_there() {
    let port = free_port();
    // The server comes up after the first attempts were refused, and answers one request.
    let server = tokio::spawn(async move {
        tokio::time::sleep(Duration::from_millis(150)).await;
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", port))
            .await
            .expect("the port is free again");
        let (mut stream, _) = listener.accept().await.expect("a connection");
        let mut received = Vec::new();
        let mut buffer = [0u8; 4096];
        while !received.windows(4).any(|w| w == b"\r\n\r\n") {
            let n = stream.read(&mut buffer).await.expect("reads");
            assert!(n > 0, "the request came whole");
            received.extend_from_slice(&buffer[..n]);
        }
        let answer = "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n\
                      content-length: 2\r\nconnection: close\r\n\r\n{}";
        stream.write_all(answer.as_bytes()).await.expect("writes");
        String::from_utf8_lossy(&received).into_owned()
    });
    let client = commet_runtime::Client::builder(RAW_DEFAULTS)
        .base_url(format!("http://127.0.0.1:{port}/api/v1"))
        .api_key("ck_sandbox_secret")
        .retry_policy(RetryPolicy {
            max_retries: 40,
            initial_backoff: Duration::from_millis(20),
            max_backoff: Duration::from_millis(20),
            ..RetryPolicy::default()
        })
        .build()
        .expect("builds");
    let response = commet_runtime::Call::<serde_json::Value, serde_json::Value>::new(
        &client,
        Method::POST,
        &["payments", "charge"],
    )
    .json(&serde_json::json!({"amount": 100}))
    .send()
    .await
    .expect("retried until the server answered");
    assert_eq!(response.data, serde_json::json!({}));
    let request = server.await.expect("the server ran");
    assert!(
        request.starts_with("POST /api/v1/payments/charge "),
        "{request}"
    );
}

#[tokio::test]
async fn a_connection_never_made_spends_the_budget_and_is_not_applied() {
    let port = free_port();
    let client = commet_runtime::Client::builder(RAW_DEFAULTS)
        .base_url(format!("http://127.0.0.1:{port}/api/v1"))
        .api_key("ck_sandbox_secret")
        .retry_policy(fast_policy())
        .build()
        .expect("builds");
    let error = commet_runtime::Call::<serde_json::Value, serde_json::Value>::new(
        &client,
        Method::POST,
        &["payments", "charge"],
    )
    .json(&serde_json::json!({"amount": 100}))
    .send()
    .await
    .expect_err("nothing listens");
    assert!(
        matches!(error, commet_runtime::Error::Transport(_)),
        "{error:?}"
    );
    assert_eq!(error.attempts(), 3, "the first try and both retries");
    assert_eq!(error.outcome(), Outcome::NotApplied);
    assert_eq!(stop(&error), Some(StopReason::RetriesExhausted));
}
