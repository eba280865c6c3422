//! Each idempotency style the generator recognises, on the wire: where the key goes, that it is
//! made before sending and is the same on every attempt, that the user's key wins, and that an
//! operation without a mechanism is never repeated after an ambiguous failure. Then the keyed
//! styles under the fault script of the issue against the fake, read the way each style keys.

use commet_fake::wire::{WireReply, WireServer};
use commet_fake::{FakeCommet, Fault, KeyStyle};
use commet_runtime::{Outcome, RetryPolicy, StopReason};

use super::recorder;
use crate::idempotency_styles::{
    ChargeRequest, Client, CreatePaymentRequest, Error, Note, RefundRequest,
};

fn fast() -> RetryPolicy {
    RetryPolicy {
        initial_backoff: std::time::Duration::from_millis(1),
        max_backoff: std::time::Duration::from_millis(2),
        ..RetryPolicy::default()
    }
}

/// A client for `server` that retries quickly.
fn retrying(server: &WireServer) -> Client {
    Client::builder()
        .api_key("k")
        .base_url(server.url("/v1"))
        .retry_policy(fast())
        .build()
        .expect("builds")
}

fn unavailable() -> WireReply {
    WireReply::json(
        500,
        r#"{"success":false,"error":{"type":"api_error","code":"x","message":"m"}}"#,
    )
}

fn payment() -> WireReply {
    WireReply::json(
        200,
        r#"{"success":true,"data":{"id":"pay_1","amountTotal":1,"currency":"usd","status":"ok"}}"#,
    )
}

fn charge() -> ChargeRequest {
    ChargeRequest::new("cus_1", 100, "usd", "June")
}

#[tokio::test]
async fn a_header_of_another_name_carries_one_key_per_call_on_every_attempt() {
    let server = recorder().await;
    server
        .reply(unavailable())
        .reply(unavailable())
        .reply(payment());
    let client = retrying(&server);
    let call = client.charge_payment(&charge());
    let key = call
        .get_idempotency_key()
        .expect("made before sending")
        .to_owned();
    let response = call.send().await.expect("the third attempt answers");
    assert_eq!(response.idempotency_key(), Some(key.as_str()));
    let requests = server.requests();
    assert_eq!(requests.len(), 3, "retried: the key makes it safe");
    for request in &requests {
        assert_eq!(request.header("paypal-request-id"), Some(key.as_str()));
        assert_eq!(
            request.header("idempotency-key"),
            None,
            "only the API's own header"
        );
    }
    let other = client.charge_payment(&charge());
    assert_ne!(
        other.get_idempotency_key(),
        Some(key.as_str()),
        "a new call, a new key"
    );
}

#[tokio::test]
async fn headers_known_by_description_or_extension_carry_the_key() {
    let server = recorder().await;
    server.reply(payment()).reply(payment()).reply(payment());
    let client = retrying(&server);
    let cancel = client.cancel_payment("pay_1");
    let dedupe = cancel.get_idempotency_key().expect("a key").to_owned();
    let _ = cancel.await;
    let refund = client.create_refund(&RefundRequest::new("pay_1"));
    let fern = refund.get_idempotency_key().expect("a key").to_owned();
    let _ = refund.await;
    let payout = client.create_payout();
    let token = payout.get_idempotency_key().expect("a key").to_owned();
    let _ = payout.await;
    let requests = server.requests();
    assert_eq!(requests[0].header("x-dedupe-token"), Some(dedupe.as_str()));
    assert_eq!(
        requests[1].header("fern-idempotency-key"),
        Some(fern.as_str())
    );
    assert_eq!(requests[2].header("x-client-token"), Some(token.as_str()));
}

#[tokio::test]
async fn the_users_key_wins_in_the_header() {
    let server = recorder().await;
    let client = retrying(&server);
    let call = client.charge_payment(&charge()).idempotency_key("order-7");
    assert_eq!(call.get_idempotency_key(), Some("order-7"));
    let error = {
        server
            .reply(unavailable())
            .reply(unavailable())
            .reply(unavailable());
        call.await.expect_err("three 500s")
    };
    assert_eq!(
        error.idempotency_key(),
        Some("order-7"),
        "the error carries the key"
    );
    assert_eq!(error.outcome(), Outcome::MaybeApplied);
    for request in server.requests() {
        assert_eq!(request.header("paypal-request-id"), Some("order-7"));
    }
}

#[tokio::test]
async fn a_body_field_key_is_filled_per_call_and_the_users_key_wins() {
    let server = recorder().await;
    let client = retrying(&server);
    let request = CreatePaymentRequest::new(100, "usd", "June");
    assert!(
        request.idempotency_key.is_none(),
        "a request needs no key of its own"
    );
    server
        .reply(unavailable())
        .reply(payment())
        .reply(payment())
        .reply(payment());
    let call = client.create_payment(&request);
    let key = call
        .get_idempotency_key()
        .expect("made before sending")
        .to_owned();
    call.await.expect("the second attempt answers");
    let second = client.create_payment(&request);
    let other = second.get_idempotency_key().expect("a key").to_owned();
    assert_ne!(other, key, "one value, two calls: two keys");
    second.await.expect("answers");
    let sent: Vec<String> = server
        .requests()
        .iter()
        .map(|r| {
            let body: commet_runtime::serde_json::Value =
                commet_runtime::serde_json::from_slice(&r.body).expect("JSON");
            assert_eq!(body["amount"], 100);
            assert!(
                r.header("idempotency-key").is_none(),
                "never in a header too"
            );
            body["idempotency_key"]
                .as_str()
                .expect("a key in the body")
                .to_owned()
        })
        .collect();
    assert_eq!(sent, [key.clone(), key, other]);

    // A key the value carries is the caller's; `.idempotency_key(..)` wins over it.
    let keyed = request.clone().idempotency_key("order-9");
    assert_eq!(
        client.create_payment(&keyed).get_idempotency_key(),
        Some("order-9")
    );
    let call = client.create_payment(&keyed).idempotency_key("order-10");
    assert_eq!(call.get_idempotency_key(), Some("order-10"));
    call.await.expect("answers");
    let last = server.requests().pop().expect("sent");
    assert!(
        last.body_text().contains(r#""idempotency_key":"order-10""#),
        "{}",
        last.body_text()
    );
}

#[tokio::test]
async fn an_operation_without_a_mechanism_is_sent_once_after_an_ambiguous_failure() {
    let server = recorder().await;
    let client = retrying(&server);
    let call = client.create_note(&Note::new("hi"));
    assert_eq!(call.get_idempotency_key(), None);
    server.reply(unavailable()).reply(payment());
    let error: Error = call.await.expect_err("a 500, not retried");
    assert_eq!(server.requests().len(), 1);
    assert_eq!(error.outcome(), Outcome::MaybeApplied);
    assert_eq!(
        error.report().map(|r| r.stop_reason().clone()),
        Some(StopReason::NotRepeatable)
    );
    // A 429 proves it was not processed: sent again.
    let server = recorder().await;
    server.reply(WireReply::status(429)).reply(payment());
    retrying(&server)
        .create_note(&Note::new("hi"))
        .await
        .expect("retried after the 429");
    assert_eq!(server.requests().len(), 2);
    assert!(
        server
            .requests()
            .iter()
            .all(|r| r.header("idempotency-key").is_none())
    );
}

/// The user's choice, generated with `*=header:Idempotency-Key` and `createNote=none`: every
/// write sends `Idempotency-Key`, the document's own mechanisms are overridden, and the note
/// has none.
#[tokio::test]
async fn the_users_choice_wins_over_the_document() {
    let answers = 3;
    use crate::idempotency_chosen::{
        ChargePaymentParams, ChargeRequest, Client, CreatePaymentRequest, Note,
    };
    let server = recorder().await;
    for _ in 0..answers {
        server.reply(payment());
    }
    let client = Client::builder()
        .api_key("k")
        .base_url(server.url("/v1"))
        .retry_policy(fast())
        .build()
        .expect("builds");
    // The document's `PayPal-Request-Id` is an ordinary header argument now.
    let charge = client.charge_payment(
        &ChargeRequest::new("cus_1", 1, "usd", "x"),
        ChargePaymentParams::new(),
    );
    let key = charge.get_idempotency_key().expect("a key").to_owned();
    let _ = charge.await;
    let create = client.create_payment(&CreatePaymentRequest::new(1, "usd", "x", "my-own-field"));
    let header_key = create.get_idempotency_key().expect("a key").to_owned();
    let _ = create.await;
    let note = client.create_note(&Note::new("x"));
    assert_eq!(note.get_idempotency_key(), None);
    let _ = note.await;
    let requests = server.requests();
    assert_eq!(requests[0].header("idempotency-key"), Some(key.as_str()));
    assert_eq!(requests[0].header("paypal-request-id"), None);
    assert_eq!(
        requests[1].header("idempotency-key"),
        Some(header_key.as_str())
    );
    assert!(
        requests[1]
            .body_text()
            .contains(r#""idempotency_key":"my-own-field""#)
    );
    assert_eq!(requests[2].header("idempotency-key"), None);
}

/// A small deterministic generator (xorshift), so a failing run can be replayed.
struct Dice(u64);

impl Dice {
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n
    }
}

/// The issue's script: in each of the first three attempts, 7 chances in 12 of a fault.
fn fault_for(roll: u64) -> Option<Fault> {
    let status = |status| Fault::Status {
        status,
        retry_after: None,
        body: None,
    };
    match roll {
        0 => Some(Fault::DropBeforeProcessing),
        1 => Some(Fault::DropAfterProcessing),
        2 => Some(Fault::Delay(DELAY)),
        3 => Some(status(500)),
        4 => Some(status(503)),
        5 => Some(Fault::Status {
            status: 429,
            retry_after: Some("0".to_owned()),
            body: None,
        }),
        6 => Some(Fault::TruncatedBody),
        _ => None,
    }
}

const CALLS: usize = 60;
const TIMEOUT: std::time::Duration = std::time::Duration::from_millis(100);
const DELAY: std::time::Duration = std::time::Duration::from_millis(250);

/// How one call of a style is made: by description, so the fake's ledger tells calls apart.
type MakeCall = fn(
    &Client,
    &str,
) -> commet_runtime::Call<
    crate::idempotency_styles::Payment,
    crate::idempotency_styles::ErrorObject,
>;

async fn under_faults(style: KeyStyle, path: &str, make: MakeCall, seed: u64) {
    let fake = FakeCommet::start_with_key_style(style.clone())
        .await
        .expect("the fake starts");
    fake.add_customer("cus_1", None, true);
    let client = Client::builder()
        .api_key(fake.api_key())
        .base_url(fake.base_url())
        .retry_policy(fast())
        .timeout(TIMEOUT)
        .build()
        .expect("builds");
    let mut dice = Dice(seed);
    let mut failed = Vec::new();
    let mut keys = Vec::new();
    for i in 0..CALLS {
        let description = format!("call-{i}");
        let mut every_attempt_faulted = true;
        for _ in 0..3 {
            match fault_for(dice.below(12)) {
                Some(fault) => fake.push_fault_for("POST", path, fault),
                None => {
                    every_attempt_faulted = false;
                    // Processed normally: an empty patch changes nothing.
                    fake.push_fault_for("POST", path, Fault::PatchResponse(serde_json_object()));
                }
            }
        }
        let call = make(&client, &description);
        let key = call
            .get_idempotency_key()
            .expect("a key before sending")
            .to_owned();
        keys.push((description.clone(), key.clone()));
        match call.await {
            Ok(_) => {}
            Err(error) => {
                assert_eq!(
                    error.idempotency_key(),
                    Some(key.as_str()),
                    "seed {seed:#x}"
                );
                assert!(
                    every_attempt_faulted,
                    "only a spent budget explains {error} (seed {seed:#x})"
                );
                assert_eq!(
                    error.report().map(|r| r.stop_reason().clone()),
                    Some(StopReason::RetriesExhausted),
                    "seed {seed:#x}"
                );
                failed.push((description, error));
            }
        }
        fake.clear_faults();
    }
    // Requests held by a delay are processed after it.
    tokio::time::sleep(DELAY * 2).await;
    let made = |description: &str| {
        fake.payments()
            .iter()
            .filter(|p| p["description"] == description)
            .count()
    };
    for (description, _) in &keys {
        assert!(
            made(description) <= 1,
            "{description} applied twice (seed {seed:#x})"
        );
    }
    // One key per call, on every attempt, and no two calls share one.
    for request in fake.requests() {
        let body = request.body_json().expect("a JSON body");
        let description = body["description"].as_str().expect("a description");
        let (_, key) = keys
            .iter()
            .find(|(d, _)| d == description)
            .expect("a known call");
        assert_eq!(
            style.key_of(&request).as_deref(),
            Some(key.as_str()),
            "seed {seed:#x}"
        );
    }
    let mut distinct: Vec<&String> = keys.iter().map(|(_, k)| k).collect();
    distinct.sort();
    distinct.dedup();
    assert_eq!(distinct.len(), CALLS);
    // Every error's outcome is true, and the key it carries recovers the call.
    for (description, error) in &failed {
        let applied = made(description) == 1;
        match error.outcome() {
            Outcome::NotApplied => assert!(!applied, "{description}: {error} (seed {seed:#x})"),
            Outcome::Applied => assert!(applied, "{description}: {error} (seed {seed:#x})"),
            Outcome::MaybeApplied => {}
        }
        let key = error.idempotency_key().expect("a key").to_owned();
        let recovered = make(&client, description)
            .idempotency_key(key)
            .await
            .unwrap_or_else(|e| panic!("{description} recovers: {e} (seed {seed:#x})"));
        assert_eq!(recovered.currency, "usd");
        assert_eq!(
            made(description),
            1,
            "{description} once after recovery (seed {seed:#x})"
        );
    }
    // The script must have bitten: retries were made, and some calls spent their budget.
    let requests = fake.requests().len() - failed.len();
    assert!(
        requests > CALLS * 3 / 2,
        "{requests} requests (seed {seed:#x})"
    );
    assert!(
        (1..CALLS / 2).contains(&failed.len()),
        "{} of {CALLS} failed (seed {seed:#x})",
        failed.len()
    );
}

fn serde_json_object() -> commet_runtime::serde_json::Value {
    commet_runtime::serde_json::json!({})
}

#[tokio::test]
async fn a_header_of_another_name_under_faults() {
    under_faults(
        KeyStyle::Header("PayPal-Request-Id".to_owned()),
        "/payments/charge",
        |client, description| {
            client.charge_payment(&ChargeRequest::new("cus_1", 100, "usd", description))
        },
        0x2026_1208_0001,
    )
    .await;
}

#[tokio::test]
async fn a_body_field_under_faults() {
    under_faults(
        KeyStyle::BodyField("idempotency_key".to_owned()),
        "/payments",
        |client, description| {
            client.create_payment(&CreatePaymentRequest::new(100, "usd", description))
        },
        0x2026_1208_0002,
    )
    .await;
}
