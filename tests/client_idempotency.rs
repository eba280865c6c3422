//! The `Idempotency-Key` header as the fake received it: one key per logical call, the same on
//! every retry, the caller's own key verbatim, none on GET, and no retry of a keyless POST.

mod common;

use commet::{CreatePaymentRequest, ListPaymentsParams};
use commet_fake::{FakeCommet, Fault};
use commet_runtime::reqwest::Method;
use commet_runtime::uuid::Uuid;
use common::{raw_call, raw_client, requests_to, start, status};

/// The keys of every recorded request (None where no key was sent).
fn keys(fake: &FakeCommet) -> Vec<Option<String>> {
    fake.requests()
        .iter()
        .map(|r| r.idempotency_key().map(str::to_owned))
        .collect()
}

fn assert_uuid_v4(key: &str) {
    let uuid = Uuid::parse_str(key).unwrap_or_else(|e| panic!("{key:?} is not a UUID: {e}"));
    assert_eq!(uuid.get_version_num(), 4, "{key}");
}

#[tokio::test]
async fn every_attempt_of_one_call_sends_the_same_key() {
    let (fake, client) = start().await;
    fake.push_fault(status(503));
    fake.push_fault(Fault::DropBeforeProcessing);
    client
        .charge_payment(&common::charge(100))
        .await
        .expect("retried");
    let keys = keys(&fake);
    assert_eq!(keys.len(), 3);
    let first = keys[0].clone().expect("a POST carries a key");
    assert_uuid_v4(&first);
    assert!(
        keys.iter().all(|k| k.as_deref() == Some(first.as_str())),
        "{keys:?}"
    );
}

#[tokio::test]
async fn each_call_gets_a_new_key() {
    let (fake, client) = start().await;
    let body = common::charge(100);
    client.charge_payment(&body).await.expect("first");
    client.charge_payment(&body).await.expect("second");
    let link = client
        .create_payment(&CreatePaymentRequest::new(100, "usd", "x"))
        .await
        .expect("create");
    client.cancel_payment(&link.id).await.expect("cancel");
    let keys: Vec<String> = keys(&fake)
        .into_iter()
        .map(|k| k.expect("every POST carries a key"))
        .collect();
    assert_eq!(keys.len(), 4);
    for key in &keys {
        assert_uuid_v4(key);
    }
    let mut distinct = keys.clone();
    distinct.sort();
    distinct.dedup();
    assert_eq!(distinct.len(), 4, "{keys:?}");
    // Same body, different keys: two separate charges, as the caller asked twice.
    assert_eq!(fake.charges().len(), 2);
}

#[tokio::test]
async fn a_caller_key_is_sent_verbatim_on_every_attempt() {
    let (fake, client) = start().await;
    let key = "order-2026-06-10/42 (retry-safe)";
    fake.push_fault(status(500));
    let first = client
        .charge_payment(&common::charge(100))
        .idempotency_key(key)
        .await
        .expect("retried");
    assert_eq!(keys(&fake), [Some(key.to_owned()), Some(key.to_owned())]);

    // The same key and body later (e.g. after a restart): the server replays the first result.
    let again = client
        .charge_payment(&common::charge(100))
        .idempotency_key(key)
        .send()
        .await
        .expect("replayed");
    assert_eq!(again.headers()["idempotent-replayed"], "true");
    assert_eq!(again.data().id, first.id);
    assert_eq!(fake.charges().len(), 1);
}

#[tokio::test]
async fn reads_never_send_a_key() {
    let (fake, client) = start().await;
    let id = fake.seed_payments(None, 1).remove(0);
    fake.push_fault(status(503));
    client.get_payment(&id).await.expect("get");
    client
        .get_payment(&id)
        .idempotency_key("ignored-on-get")
        .await
        .expect("get with a key set");
    client
        .list_payments(ListPaymentsParams::new())
        .await
        .expect("list");
    assert_eq!(fake.requests().len(), 4);
    assert_eq!(keys(&fake), [None, None, None, None]);
}

#[tokio::test]
async fn a_post_without_a_key_is_never_retried() {
    let (fake, _) = start().await;
    let client = raw_client(&fake, Some(fake.api_key()));
    let body = common::charge(100);

    fake.push_fault(status(503));
    fake.push_fault(status(503));
    let error = raw_call(&client, Method::POST, &["payments", "charge"])
        .json(&body)
        .await
        .expect_err("not retried");
    assert_eq!(error.status().map(|s| s.as_u16()), Some(503));
    assert_eq!(keys(&fake), [None], "no key, one attempt");
    fake.clear_faults();

    // A dropped connection is not retried either: the server may have charged.
    fake.clear_requests();
    fake.push_fault(Fault::DropAfterProcessing);
    let error = raw_call(&client, Method::POST, &["payments", "charge"])
        .json(&body)
        .await
        .expect_err("not retried");
    assert!(matches!(error, commet::Error::Transport(_)), "{error:?}");
    assert_eq!(fake.requests().len(), 1);
    assert_eq!(fake.charges().len(), 1, "the one processed attempt");

    // The same raw call marked idempotent gets a key and is retried.
    fake.clear_requests();
    fake.push_fault(status(503));
    raw_call(&client, Method::POST, &["payments", "charge"])
        .json(&body)
        .idempotent()
        .await
        .expect("retried with a key");
    let keys = keys(&fake);
    assert_eq!(keys.len(), 2);
    assert!(keys[0].is_some() && keys[0] == keys[1], "{keys:?}");
    assert_eq!(requests_to(&fake, "POST", "/payments/charge").len(), 2);
}
