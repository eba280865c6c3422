//! Each payments API's client, generated from the API's own document with no option (Stripe's
//! with the one option its document needs), under the fault script of [`payments_faults`]: 0
//! duplicates, one key per call on every attempt, and recovery with the key from the error.
//!
//! [`payments_faults`]: super::payments_faults

use commet_fake::KeyStyle;
use commet_fake::standin::StandIn;

use super::payments_faults::{Document, Failure, Sending, Subject, TIMEOUT, decode, policy, run};

/// A stand-in keyed as `style` says, answering `answer` (with a record's id) to every write.
async fn standin(style: &KeyStyle, answer: commet_runtime::serde_json::Value) -> StandIn {
    let standin = StandIn::start(style.clone())
        .await
        .expect("the stand-in starts");
    standin.answer(answer);
    standin
}

/// A client of the stand-in, with the script's timeout and retry policy, credentials given.
fn client<C: commet_runtime::ApiClient>(
    builder: commet_runtime::ClientBuilder<C>,
    standin: &StandIn,
) -> C {
    builder
        .base_url(standin.url())
        .timeout(TIMEOUT)
        .retry_policy(policy())
        .build()
        .expect("builds")
}

/// The user's key on a call, when there is one.
macro_rules! keyed {
    ($call:expr, $key:expr) => {
        match $key {
            Some(key) => $call.idempotency_key(key),
            None => $call,
        }
    };
}

/// A call on its way: its key, read before sending, and the sending.
macro_rules! sending {
    ($call:expr) => {{
        let call = $call;
        let key = call.get_idempotency_key().map(str::to_owned);
        let sending: Sending = (
            key,
            Box::pin(async move { call.await.map(drop).map_err(|e| Failure::of(&e)) }),
        );
        sending
    }};
}

#[tokio::test]
async fn paypal_orders_are_never_created_twice_and_every_failure_recovers_with_its_key() {
    use crate::paypal_orders::{Client, OrdersCreateParams};
    let doc = Document::vendored("paypal-checkout-orders-v2.json");
    let style = KeyStyle::Header("PayPal-Request-Id".to_owned());
    let standin = standin(&style, doc.answer("/v2/checkout/orders", "post", 201)).await;
    let client = client(Client::builder().bearer_token("token"), &standin);
    let at = "/purchase_units/0/reference_id";
    let call = |reference: &str, key: Option<String>| {
        let order = decode(doc.request("/v2/checkout/orders", "post", at, reference));
        sending!(keyed!(
            client.orders_create(&order, OrdersCreateParams::new()),
            key
        ))
    };
    let subject = Subject {
        style: style.clone(),
        reference: at,
        call,
    };
    run(&standin, subject, 0x2026_1208_0aa1).await;
}

#[tokio::test]
async fn adyen_payments_are_never_made_twice_and_every_failure_recovers_with_its_key() {
    use crate::adyen_payments::Client;
    let doc = Document::vendored("adyen-checkout-v72.json");
    let style = KeyStyle::Header("Idempotency-Key".to_owned());
    let standin = standin(&style, doc.answer("/payments", "post", 200)).await;
    let client = client(Client::builder().api_key("key"), &standin);
    let call = |reference: &str, key: Option<String>| {
        let payment = decode(doc.request("/payments", "post", "/reference", reference));
        sending!(keyed!(client.post_payments(Some(&payment)), key))
    };
    let subject = Subject {
        style: style.clone(),
        reference: "/reference",
        call,
    };
    run(&standin, subject, 0x2026_1208_0ad1).await;
}

#[tokio::test]
async fn square_payments_are_never_made_twice_with_the_key_in_the_body() {
    use crate::square_payments::Client;
    let doc = Document::vendored("square-api.json");
    let style = KeyStyle::BodyField("idempotency_key".to_owned());
    let standin = standin(&style, doc.answer("/v2/payments", "post", 200)).await;
    let client = client(Client::builder().bearer_token("token"), &standin);
    let call = |reference: &str, key: Option<String>| {
        let mut body = doc.request("/v2/payments", "post", "/reference_id", reference);
        // The document's example key would be one key for every call: a user who sets none
        // leaves the field empty, and the client fills it per call.
        body.as_object_mut()
            .expect("an object")
            .remove("idempotency_key");
        let payment = decode(body);
        sending!(keyed!(client.create_payment(&payment), key))
    };
    let subject = Subject {
        style: style.clone(),
        reference: "/reference_id",
        call,
    };
    run(&standin, subject, 0x2026_1208_05a1).await;
}

#[tokio::test]
async fn dwolla_transfers_are_never_made_twice_and_every_failure_recovers_with_its_key() {
    use crate::dwolla_transfers::Client;
    let doc = Document::vendored("dwolla-openapi.yaml");
    let style = KeyStyle::Header("Idempotency-Key".to_owned());
    // A transfer is answered 201 with a `Location` and no body.
    let standin = standin(&style, commet_runtime::serde_json::Value::Null).await;
    let client = client(Client::builder().bearer_token("token"), &standin);
    let call = |reference: &str, key: Option<String>| {
        let transfer = decode(doc.request("/transfers", "post", "/correlationId", reference));
        sending!(keyed!(client.initiate_transfer(&transfer), key))
    };
    let subject = Subject {
        style: style.clone(),
        reference: "/correlationId",
        call,
    };
    run(&standin, subject, 0x2026_1208_0d01).await;
}

#[tokio::test]
async fn stripe_payment_intents_keyed_by_one_option_are_never_made_twice() {
    use crate::stripe_payment_intents::Client;
    let doc = Document::vendored("stripe-spec3.yaml");
    let style = KeyStyle::Header("Idempotency-Key".to_owned());
    let standin = standin(&style, doc.answer("/v1/payment_intents", "post", 200)).await;
    let client = client(Client::builder().bearer_token("sk_test"), &standin);
    let call = |reference: &str, key: Option<String>| {
        let intent = decode(doc.request("/v1/payment_intents", "post", "/description", reference));
        sending!(keyed!(client.post_payment_intents(&intent), key))
    };
    let subject = Subject {
        style: style.clone(),
        reference: "/description",
        call,
    };
    run(&standin, subject, 0x2026_1208_0571).await;
}
