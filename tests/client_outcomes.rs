//! When the outcome of a payment is unknown: the idempotency key is known before sending and
//! carried by every answer and error; every error says whether the charge may have been
//! applied over all its attempts; unreadable successes are asked for again with the same key;
//! bare error bodies keep their code; a deadline bounds the whole call; oversized bodies fail
//! cleanly; and traces follow each call and attempt without secrets or bodies. All over real
//! HTTP against the fake, with its fault scripts.

mod common;

use std::io::Write;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use commet::Outcome;
use commet_fake::Fault;
use commet_runtime::StopReason;
use commet_runtime::reqwest::Method;
use common::{
    builder_for, charge, raw_call, raw_client, requests_to, start, status, status_body,
    status_retry_after,
};
use serde_json::json;

#[tokio::test]
async fn the_key_is_known_before_sending_and_comes_back_with_the_answer() {
    let (fake, client) = start().await;

    // Generated: readable before sending, the same on clones, sent as read.
    let call = client.charge_payment(&charge(100));
    let key = call
        .get_idempotency_key()
        .expect("a charge has a key")
        .to_owned();
    assert_eq!(call.clone().get_idempotency_key(), Some(key.as_str()));
    let response = call.send().await.expect("charged");
    assert_eq!(response.idempotency_key(), Some(key.as_str()));
    assert_eq!(
        fake.requests()[0].idempotency_key(),
        Some(key.as_str()),
        "the key read before sending is the key sent"
    );

    // The caller's own key, stored before the first try.
    let call = client
        .charge_payment(&charge(200))
        .idempotency_key("order-8812");
    assert_eq!(call.get_idempotency_key(), Some("order-8812"));
    let response = call.send().await.expect("charged");
    assert_eq!(response.idempotency_key(), Some("order-8812"));

    // An error carries it too, in `Display` as well.
    let unknown = commet::ChargePaymentRequest::new("cus_nobody", 100, "usd", "x");
    let call = client.charge_payment(&unknown);
    let key = call.get_idempotency_key().expect("a key").to_owned();
    let error = call.await.expect_err("no such customer");
    assert_eq!(error.idempotency_key(), Some(key.as_str()));
    assert_eq!(error.outcome(), Outcome::NotApplied);
    assert_eq!(error.attempts(), 1);
    assert!(
        error
            .to_string()
            .ends_with(&format!("; not applied; idempotency key {key}")),
        "{error}"
    );

    // Reads carry none, and neither does a POST the spec gives no key.
    let id = response.data.id.clone();
    let get = client.get_payment(&id);
    assert_eq!(get.get_idempotency_key(), None);
    assert_eq!(get.send().await.expect("read").idempotency_key(), None);
    let raw = raw_client(&fake, Some(fake.api_key()));
    let keyless = raw_call(&raw, Method::POST, &["payments", "charge"]).json(&charge(300));
    assert_eq!(keyless.get_idempotency_key(), None);
    assert_eq!(
        keyless.send().await.expect("charged").idempotency_key(),
        None
    );
}

#[tokio::test]
async fn a_reset_after_processing_then_a_401_may_have_been_applied() {
    let (fake, client) = start().await;
    fake.push_fault(Fault::DropAfterProcessing);
    fake.push_fault(status(401));
    let request = charge(2500);
    let error = client
        .charge_payment(&request)
        .await
        .expect_err("the 401 ends the call");

    // The last answer looks final; the error still says the money may have moved.
    assert_eq!(error.status().map(|s| s.as_u16()), Some(401));
    assert_eq!(error.code(), Some("unauthorized"));
    assert_eq!(error.outcome(), Outcome::MaybeApplied);
    assert_eq!(error.attempts(), 2);
    let report = error.report().expect("a report");
    let attempts = report.attempts();
    assert_eq!(attempts[0].outcome(), Outcome::MaybeApplied);
    assert_eq!(attempts[0].status(), None);
    assert!(
        attempts[0].summary().starts_with("transport error"),
        "{attempts:?}"
    );
    assert_eq!(attempts[1].outcome(), Outcome::NotApplied);
    assert_eq!(attempts[1].status().map(|s| s.as_u16()), Some(401));
    assert_eq!(report.stop_reason(), &StopReason::NotRetryable);
    let key = error.idempotency_key().expect("the key").to_owned();
    assert!(
        error.to_string().contains(&format!(
            "; may have been applied (by attempt 1 of 2); idempotency key {key}"
        )),
        "{error}"
    );
    let ledger = fake.charges();
    assert_eq!(ledger.len(), 1, "the first attempt charged");

    // The safe recovery: the same request with the same key gets the original payment.
    let recovered = client
        .charge_payment(&request)
        .idempotency_key(key.as_str())
        .send()
        .await
        .expect("the stored result");
    assert_eq!(json!(recovered.data.id), ledger[0]["id"]);
    assert_eq!(
        recovered
            .headers()
            .get("idempotent-replayed")
            .and_then(|v| v.to_str().ok()),
        Some("true")
    );
    assert_eq!(fake.charges().len(), 1, "no second charge");
}

#[tokio::test]
async fn a_truncated_200_on_a_charge_is_asked_for_again_with_the_same_key() {
    for fault in [Fault::TruncatedBody, Fault::CutBody] {
        let (fake, client) = start().await;
        fake.push_fault(fault.clone());
        let payment = client
            .charge_payment(&charge(100))
            .await
            .unwrap_or_else(|e| panic!("{fault:?}: {e}"));
        let requests = requests_to(&fake, "POST", "/payments/charge");
        assert_eq!(requests.len(), 2, "{fault:?}");
        assert_eq!(requests[0].idempotency_key(), requests[1].idempotency_key());
        let ledger = fake.charges();
        assert_eq!(ledger.len(), 1, "{fault:?}: charged once");
        assert_eq!(
            json!(payment.id),
            ledger[0]["id"],
            "{fault:?}: the original"
        );
    }
}

#[tokio::test]
async fn an_unreadable_200_without_a_retry_is_reported_as_applied() {
    let (fake, client) = start().await;

    // No budget left: applied, with the status, request id and key to recover with.
    fake.push_fault(Fault::CutBody);
    let call = client.charge_payment(&charge(100)).max_retries(0);
    let key = call.get_idempotency_key().expect("a key").to_owned();
    let error = call.await.expect_err("cut");
    let sent = fake.requests().pop().expect("one request");
    assert_eq!(error.outcome(), Outcome::Applied);
    assert_eq!(error.status().map(|s| s.as_u16()), Some(200));
    assert_eq!(error.request_id(), Some(sent.request_id.as_str()));
    assert_eq!(error.idempotency_key(), Some(key.as_str()));
    match &error {
        commet::Error::Decode(d) => {
            assert!(
                d.message.starts_with("the body could not be read whole"),
                "{d:?}"
            );
        }
        other => panic!("expected Error::Decode, got {other:?}"),
    }
    assert!(
        error.to_string().contains("; applied; idempotency key"),
        "{error}"
    );
    assert_eq!(fake.charges().len(), 1);

    // A POST without a key is never sent twice: applied, and no key to recover with.
    fake.clear_requests();
    fake.push_fault(Fault::TruncatedBody);
    let raw = raw_client(&fake, Some(fake.api_key()));
    let error = raw_call(&raw, Method::POST, &["payments", "charge"])
        .json(&charge(200))
        .send()
        .await
        .expect_err("truncated");
    assert_eq!(fake.requests().len(), 1);
    assert_eq!(error.outcome(), Outcome::Applied);
    assert_eq!(error.idempotency_key(), None);
    assert_eq!(
        error.report().map(|r| r.stop_reason().clone()),
        Some(StopReason::NotRepeatable)
    );
    assert_eq!(fake.charges().len(), 2);
}

#[tokio::test]
async fn a_bare_error_body_keeps_its_type_code_and_message() {
    let (fake, client) = start().await;
    let bare = |kind: &str, code: &str, message: &str| {
        json!({"type": kind, "code": code, "message": message}).to_string()
    };

    fake.push_fault(status_body(
        402,
        &bare("billing_error", "card_declined", "The card was declined"),
    ));
    let error = client
        .charge_payment(&charge(100))
        .await
        .expect_err("declined");
    let api = common::api_error(error);
    assert_eq!(api.error_type(), Some("billing_error"));
    assert_eq!(api.code(), Some("card_declined"));
    assert_eq!(api.message(), Some("The card was declined"));

    // Code-based retries keep working without the envelope.
    fake.clear_requests();
    fake.push_fault(status_body(
        409,
        &bare("conflict_error", "idempotency_in_progress", "Still working"),
    ));
    client
        .charge_payment(&charge(100))
        .await
        .expect("retried after the bare in-progress error");
    assert_eq!(fake.requests().len(), 2);

    // Without a budget, the in-progress answer means the charge may yet happen.
    fake.push_fault(status_body(
        409,
        &bare("conflict_error", "idempotency_in_progress", "Still working"),
    ));
    let error = client
        .charge_payment(&charge(100))
        .max_retries(0)
        .await
        .expect_err("in progress");
    assert_eq!(error.code(), Some("idempotency_in_progress"));
    assert_eq!(error.outcome(), Outcome::MaybeApplied);
}

#[tokio::test]
async fn a_deadline_bounds_every_attempt_and_wait() {
    let (fake, client) = start().await;
    let slow = Duration::from_secs(2);
    let deadline = Duration::from_millis(500);

    // Attempt 1 gets a 503, attempt 2 hangs: the deadline stops it, not the 10 s timeout.
    fake.push_fault(status(503));
    fake.push_fault(Fault::Delay(slow));
    let started = Instant::now();
    let error = client
        .charge_payment(&charge(100))
        .deadline(deadline)
        .await
        .expect_err("the deadline passes");
    assert!(started.elapsed() < slow, "{:?}", started.elapsed());
    assert!(matches!(error, commet::Error::Timeout(_)), "{error:?}");
    assert_eq!(error.attempts(), 2);
    assert_eq!(error.outcome(), Outcome::MaybeApplied);
    assert_eq!(
        error.report().map(|r| r.stop_reason().clone()),
        Some(StopReason::DeadlinePassed { deadline })
    );
    assert!(
        error.to_string().contains("deadline of 500ms passed"),
        "{error}"
    );

    // A wait that would cross the deadline is not started: the call ends with the 503.
    fake.clear_faults();
    fake.clear_requests();
    let patient = builder_for(&fake)
        .retry_policy(commet::RetryPolicy {
            max_retry_after: Duration::from_secs(60),
            ..common::fast_policy()
        })
        .deadline(Duration::from_secs(2))
        .build()
        .expect("builds");
    fake.push_fault(status_retry_after(503, "30"));
    let error = patient
        .charge_payment(&charge(100))
        .await
        .expect_err("no time to wait");
    assert_eq!(fake.requests().len(), 1);
    assert_eq!(error.status().map(|s| s.as_u16()), Some(503));
    assert_eq!(
        error.report().map(|r| r.stop_reason().clone()),
        Some(StopReason::DeadlinePassed {
            deadline: Duration::from_secs(2)
        }),
        "the client's deadline"
    );
    // The attempt the deadline cut off is processed when the server gets to it: "may have
    // been applied" was the truth.
    let waited = Instant::now();
    while fake.charges().is_empty() && waited.elapsed() < slow * 4 {
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(fake.charges().len(), 1, "the hung attempt was processed");
}

#[tokio::test]
async fn an_oversized_body_fails_cleanly() {
    let (fake, client) = start().await;
    let limit = 16 * 1024;
    for announce_length in [true, false] {
        fake.push_fault(Fault::OversizedBody {
            bytes: 256 * 1024,
            announce_length,
        });
        let call = client.charge_payment(&charge(100)).max_response_body(limit);
        let key = call.get_idempotency_key().expect("a key").to_owned();
        let error = call.await.expect_err("too large");
        match &error {
            commet::Error::BodyTooLarge(e) => {
                assert_eq!(e.status.as_u16(), 200);
                assert_eq!(e.limit, limit);
                assert!(e.request_id.is_some());
            }
            other => panic!("expected BodyTooLarge, got {other:?}"),
        }
        assert_eq!(error.attempts(), 1, "the same body would be refused again");
        assert_eq!(error.outcome(), Outcome::Applied);
        // The key gets the (ordinary) stored answer.
        let payment = client
            .charge_payment(&charge(100))
            .idempotency_key(key)
            .await
            .expect("the stored answer fits");
        assert_eq!(
            json!(payment.id),
            fake.charges().last().expect("charged")["id"]
        );
    }
    assert_eq!(fake.charges().len(), 2);

    // The client's limit; an error status over it is still retried as that status.
    let small = builder_for(&fake)
        .max_response_body(1024)
        .build()
        .expect("builds");
    fake.push_fault(status_body(503, &"x".repeat(8 * 1024)));
    let payment = small
        .charge_payment(&charge(100))
        .await
        .expect("retried after the huge 503");
    assert_eq!(payment.amount_subtotal, 100);
}

/// A `tracing` writer into a buffer the test reads.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().expect("not poisoned").extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Captured {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().expect("not poisoned")).into_owned()
    }
}

#[tokio::test]
async fn traces_follow_each_call_and_attempt_without_secrets_or_bodies() {
    let captured = Captured::default();
    let writer = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::DEBUG)
        .with_ansi(false)
        .without_time()
        .with_writer(move || writer.clone())
        .finish();
    // The test's runtime is single-threaded: every span of the call is on this thread.
    let _guard = tracing::subscriber::set_default(subscriber);

    let (fake, client) = start().await;
    fake.push_fault(status(503));
    // An amount no port, request id or timing could spell.
    let call = client.charge_payment(&charge(424_242));
    let key = call.get_idempotency_key().expect("a key").to_owned();
    let payment = call.await.expect("retried");
    fake.push_fault(status(400));
    client.get_payment(&payment.id).await.expect_err("400");

    let text = captured.text();
    let lines: Vec<&str> = text.lines().collect();
    let find = |needle: &str| {
        lines
            .iter()
            .find(|l| l.contains(needle))
            .unwrap_or_else(|| panic!("no line with {needle:?} in:\n{text}"))
    };
    let call_span = format!(
        r#"call{{operation="charge-payment" method=POST path="/payments/charge" idempotency_key="{key}"}}"#
    );
    let failed = find("attempt failed");
    assert!(failed.contains(&call_span), "{failed}");
    assert!(failed.contains("attempt{attempt=1}"), "{failed}");
    assert!(failed.contains("status=503"), "{failed}");
    assert!(failed.contains("request_id=\"req_fake_"), "{failed}");
    assert!(failed.contains("outcome=may have been applied"), "{failed}");
    assert!(failed.contains("elapsed_ms="), "{failed}");
    let retry = find("retrying");
    assert!(retry.contains("reason=\"status 503\""), "{retry}");
    assert!(retry.contains("wait_ms="), "{retry}");
    let success = find("call succeeded");
    assert!(success.contains("attempt{attempt=2}"), "{success}");
    assert!(
        success.contains("status=200") && success.contains("attempts=2"),
        "{success}"
    );
    let read_failed = find("call failed");
    assert!(
        read_failed.contains(r#"operation="get-payment""#)
            && read_failed.contains(r#"path="/payments/{id}""#),
        "the template, not the id: {read_failed}"
    );
    assert!(
        read_failed.contains("reason=not retryable"),
        "{read_failed}"
    );

    // Never the key, never a body.
    assert!(!text.contains(fake.api_key()), "{text}");
    assert!(!text.contains("Pro plan"), "the request body: {text}");
    assert!(
        !text.contains("424242"),
        "the request body's amount: {text}"
    );
    let total = payment.amount_total.to_string();
    assert!(
        !text.contains(&total),
        "the response body's amountTotal: {text}"
    );
}
