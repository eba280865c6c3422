//! Each of the five operations succeeds over real HTTP against the fake, with the envelope
//! unwrapped and every field of the payment decoded as the fake sent it.

mod common;

use std::collections::BTreeMap;

use commet::{
    ChargePaymentRequest, CreatePaymentRequest, ListPaymentsParams, Payment, PaymentKind,
    PaymentProvider, PaymentStatus,
};
use commet_fake::tax_for;
use common::{CUSTOMER, CUSTOMER_EXTERNAL, last_request, requests_to, start};
use serde_json::json;

/// The payment as the fake stores it, decoded with the client's own type.
fn stored(fake: &commet_fake::FakeCommet, id: &str) -> Payment {
    let wire = fake.payment(id).expect("the fake stored the payment");
    serde_json::from_value(wire).expect("the fake's wire form decodes as a Payment")
}

#[tokio::test]
async fn create_payment_returns_a_pending_link() {
    let (fake, client) = start().await;
    let metadata = BTreeMap::from([("order".to_owned(), "A-17".to_owned())]);
    let request = CreatePaymentRequest::new(2500, "usd", "Pro plan, June")
        .customer_id(CUSTOMER_EXTERNAL)
        .success_url("https://example.com/thanks")
        .metadata(metadata);

    let link = client.create_payment(&request).await.expect("create works");

    assert!(link.id.starts_with("pay_"), "{}", link.id);
    assert_eq!(link.kind, PaymentKind::Link);
    assert_eq!(link.status, PaymentStatus::Pending);
    assert_eq!(link.provider, PaymentProvider::Stripe);
    // The external id resolves to the Commet id.
    assert_eq!(link.customer_id.as_deref(), Some(CUSTOMER));
    assert_eq!(link.amount_subtotal, 2500);
    assert_eq!(link.tax_amount, tax_for(2500));
    assert_eq!(link.amount_total, 2500 + tax_for(2500));
    assert_eq!(link.currency, "usd");
    assert_eq!(link.description, "Pro plan, June");
    assert_eq!(
        link.url.as_deref(),
        Some(format!("https://commet.co/pay/{}", link.id).as_str())
    );
    assert!(link.expires_at.is_some_and(|e| e > link.created_at));
    assert_eq!(
        link.metadata,
        Some(BTreeMap::from([("order".into(), json!("A-17"))]))
    );
    assert_eq!(link.object, "payment");
    assert!(!link.livemode);
    assert_eq!(link, stored(&fake, &link.id));

    // On the wire: one POST with a camelCase JSON body.
    let sent = last_request(&fake);
    assert_eq!(
        (sent.method.as_str(), sent.path.as_str()),
        ("POST", "/api/v1/payments")
    );
    assert_eq!(sent.header("content-type"), Some("application/json"));
    assert_eq!(
        sent.body_json(),
        Some(json!({
            "amount": 2500,
            "currency": "usd",
            "description": "Pro plan, June",
            "customerId": CUSTOMER_EXTERNAL,
            "successUrl": "https://example.com/thanks",
            "metadata": {"order": "A-17"},
        }))
    );
}

#[tokio::test]
async fn create_payment_without_customer_has_null_customer_and_metadata() {
    let (_fake, client) = start().await;
    let link = client
        .create_payment(&CreatePaymentRequest::new(999, "eur", "Donation"))
        .await
        .expect("create works");
    assert_eq!(link.customer_id, None);
    assert_eq!(link.metadata, None);
    assert_eq!(link.currency, "eur");
    assert_eq!(link.amount_total, 999 + tax_for(999));
}

#[tokio::test]
async fn charge_payment_returns_a_succeeded_charge() {
    let (fake, client) = start().await;
    let request = ChargePaymentRequest::new(CUSTOMER_EXTERNAL, 1999, "usd", "Seats, June")
        .metadata(BTreeMap::from([("seats".to_owned(), "3".to_owned())]));

    let charge = client.charge_payment(&request).await.expect("charge works");

    assert_eq!(charge.kind, PaymentKind::Charge);
    assert_eq!(charge.status, PaymentStatus::Succeeded);
    assert_eq!(charge.customer_id.as_deref(), Some(CUSTOMER));
    assert_eq!(charge.amount_subtotal, 1999);
    assert_eq!(charge.tax_amount, tax_for(1999));
    assert_eq!(charge.amount_total, 1999 + tax_for(1999));
    assert_eq!(charge.url, None, "charges have no hosted link");
    assert_eq!(charge.expires_at, None);
    assert_eq!(
        charge.metadata,
        Some(BTreeMap::from([("seats".into(), json!("3"))]))
    );
    assert_eq!(charge, stored(&fake, &charge.id));
    let ledger = fake.charges();
    assert_eq!(ledger.len(), 1);
    assert_eq!(ledger[0]["id"], json!(charge.id));
    assert_eq!(
        last_request(&fake).body_json(),
        Some(json!({
            "customerId": CUSTOMER_EXTERNAL,
            "amount": 1999,
            "currency": "usd",
            "description": "Seats, June",
            "metadata": {"seats": "3"},
        }))
    );
}

#[tokio::test]
async fn get_payment_returns_the_stored_payment() {
    let (fake, client) = start().await;
    let charge = client
        .charge_payment(&common::charge(500))
        .await
        .expect("charge works");

    let got = client.get_payment(&charge.id).await.expect("get works");

    assert_eq!(got, charge);
    let sent = last_request(&fake);
    assert_eq!(sent.method, "GET");
    assert_eq!(sent.path, format!("/api/v1/payments/{}", charge.id));
    assert_eq!(sent.body, b"", "a GET has no body");
    assert_eq!(sent.header("content-type"), None);
}

#[tokio::test]
async fn list_payments_returns_one_page_with_cursor() {
    let (fake, client) = start().await;
    let ids = fake.seed_payments(None, 30); // oldest first
    let newest_first: Vec<&String> = ids.iter().rev().collect();

    let page = client
        .list_payments(ListPaymentsParams::new().limit(10))
        .await
        .expect("list works");
    let got: Vec<&String> = page.data.iter().map(|p| &p.id).collect();
    assert_eq!(got, newest_first[..10]);
    assert!(page.has_more);
    assert_eq!(page.next_cursor.as_deref(), Some(newest_first[9].as_str()));
    assert_eq!(page.data[0], stored(&fake, newest_first[0]));

    let cursor = page.next_cursor.clone().expect("a cursor");
    let last = client
        .list_payments(ListPaymentsParams::new().limit(25).cursor(&cursor))
        .await
        .expect("second page works");
    let got: Vec<&String> = last.data.iter().map(|p| &p.id).collect();
    assert_eq!(got, newest_first[10..]);
    assert!(!last.has_more);
    assert_eq!(last.next_cursor, None);

    let sent = last_request(&fake);
    assert_eq!(sent.path, "/api/v1/payments");
    assert_eq!(
        sent.query.as_deref(),
        Some(format!("cursor={cursor}&limit=25").as_str())
    );
}

#[tokio::test]
async fn list_payments_filters_by_customer_and_defaults_to_25() {
    let (fake, client) = start().await;
    let mine = fake.seed_payments(Some(CUSTOMER), 3);
    fake.seed_payments(None, 30);

    let page = client
        .list_payments(ListPaymentsParams::new().customer_id(CUSTOMER_EXTERNAL))
        .await
        .expect("list works");
    let got: Vec<String> = page.data.iter().map(|p| p.id.clone()).collect();
    let expected: Vec<String> = mine.into_iter().rev().collect();
    assert_eq!(got, expected);
    assert!(!page.has_more);
    assert!(
        page.data
            .iter()
            .all(|p| p.customer_id.as_deref() == Some(CUSTOMER))
    );

    let all = client
        .list_payments(ListPaymentsParams::new())
        .await
        .expect("list works");
    assert_eq!(all.data.len(), 25, "the default page size");
    assert!(all.has_more);
    assert_eq!(last_request(&fake).query, None, "no parameters, no query");
}

#[tokio::test]
async fn cancel_payment_cancels_a_link_and_is_a_no_op_when_repeated() {
    let (fake, client) = start().await;
    let link = client
        .create_payment(&CreatePaymentRequest::new(700, "usd", "Link"))
        .await
        .expect("create works");

    let canceled = client.cancel_payment(&link.id).await.expect("cancel works");
    assert_eq!(canceled.id, link.id);
    assert_eq!(canceled.status, PaymentStatus::Canceled);
    assert_eq!(canceled.kind, PaymentKind::Link);
    assert!(canceled.updated_at > link.updated_at);

    let again = client
        .cancel_payment(&link.id)
        .await
        .expect("canceling again works");
    assert_eq!(again, canceled);
    assert_eq!(stored(&fake, &link.id), canceled);

    let cancels = requests_to(&fake, "POST", &format!("/payments/{}/cancel", link.id));
    assert_eq!(cancels.len(), 2);
    assert!(
        cancels.iter().all(|r| r.body.is_empty()),
        "cancel has no body"
    );
}

#[tokio::test]
async fn send_exposes_status_headers_and_request_id() {
    let (fake, client) = start().await;
    let response = client
        .charge_payment(&common::charge(1200))
        .send()
        .await
        .expect("charge works");

    assert_eq!(response.status().as_u16(), 200);
    let recorded = last_request(&fake);
    assert_eq!(response.request_id(), Some(recorded.request_id.as_str()));
    assert_eq!(
        response.headers()["x-request-id"],
        recorded.request_id.as_str()
    );
    assert_eq!(response.headers()["content-type"], "application/json");
    assert_eq!(response.data().amount_subtotal, 1200);
    let payment = response.into_data();
    assert_eq!(payment.kind, PaymentKind::Charge);
}
