//! Forward compatibility and broken bodies: values and fields the client does not know yet are
//! kept, not rejected; a body that is not the promised JSON is a `Decode` error that says where
//! decoding stopped and shows the start of the body.

mod common;

use commet::{ListPaymentsParams, Payment, PaymentKind, PaymentProvider, PaymentStatus};
use commet_fake::Fault;
use common::{last_request, start};
use serde_json::json;

#[tokio::test]
async fn unknown_enum_values_and_new_fields_are_kept() {
    let (fake, client) = start().await;
    let charge = client
        .charge_payment(&common::charge(100))
        .await
        .expect("charge works");
    fake.push_fault(Fault::PatchResponse(json!({
        "provider": "dlocal",
        "status": "disputed",
        "kind": "subscription",
        "newField": {"x": 1},
    })));

    let got = client
        .get_payment(&charge.id)
        .await
        .expect("unknown values decode");

    assert_eq!(got.provider, PaymentProvider::Unknown("dlocal".to_owned()));
    assert_eq!(got.provider.as_str(), "dlocal");
    assert_eq!(got.provider.to_string(), "dlocal");
    assert_eq!(got.status, PaymentStatus::Unknown("disputed".to_owned()));
    assert_eq!(got.kind, PaymentKind::Unknown("subscription".to_owned()));
    assert_eq!(got.id, charge.id);
    assert_eq!(got.amount_total, charge.amount_total);

    // Round trip: what the client re-serializes is what the server sent.
    let again = serde_json::to_value(&got).expect("serializes");
    assert_eq!(again["provider"], "dlocal");
    assert_eq!(again["status"], "disputed");
    assert_eq!(again["kind"], "subscription");
    let back: Payment = serde_json::from_value(again).expect("deserializes");
    assert_eq!(back, got);
    assert_eq!(PaymentProvider::from("dlocal"), got.provider);
    assert_eq!(
        "stripe".parse::<PaymentProvider>(),
        Ok(PaymentProvider::Stripe)
    );
}

#[tokio::test]
async fn unknown_values_in_a_list_are_kept_for_every_item() {
    let (fake, client) = start().await;
    fake.seed_payments(None, 5);
    fake.push_fault(Fault::PatchResponse(
        json!({"provider": "dlocal", "extra": [1]}),
    ));
    let page = client
        .list_payments(ListPaymentsParams::new())
        .await
        .expect("decodes");
    assert_eq!(page.data.len(), 5);
    assert!(page.data.iter().all(|p| p.provider.as_str() == "dlocal"));
    assert!(page.data.iter().all(|p| p.status == PaymentStatus::Pending));
}

#[tokio::test]
async fn a_truncated_body_is_a_decode_error_with_path_and_body_prefix() {
    let (fake, client) = start().await;
    fake.push_fault(Fault::TruncatedBody);
    let error = client
        .charge_payment(&common::charge(100))
        .max_retries(0)
        .await
        .expect_err("half a body");
    let recorded = last_request(&fake);
    assert_eq!(fake.requests().len(), 1, "no retry budget");
    assert_eq!(error.request_id(), Some(recorded.request_id.as_str()));
    // Applied, and the key to ask for the result again.
    assert_eq!(error.outcome(), commet::Outcome::Applied);
    assert_eq!(error.idempotency_key(), recorded.idempotency_key());
    let line = error.to_string();
    assert!(!line.contains('\n'), "{line:?}");
    match error {
        commet::Error::Decode(d) => {
            assert_eq!(d.status.as_u16(), 200);
            assert!(d.path.starts_with("data"), "path {:?}", d.path);
            assert!(d.message.contains("EOF"), "{}", d.message);
            assert!(
                d.body.starts_with(r#"{"success":true,"data":{"#),
                "{}",
                d.body
            );
            assert!(!d.body_truncated, "the whole (short) body is kept");
            assert!(
                line.starts_with(&format!("could not decode 200 OK response at `{}`", d.path)),
                "{line}"
            );
        }
        other => panic!("expected Error::Decode, got {other:?}"),
    }
    // The server did charge, as the error says.
    assert_eq!(fake.charges().len(), 1);
}

#[tokio::test]
async fn an_html_body_on_200_is_a_decode_error() {
    let (fake, client) = start().await;
    fake.push_fault(Fault::MalformedBody);
    let error = client
        .get_payment("pay_1")
        .max_retries(0)
        .await
        .expect_err("not JSON");
    assert_eq!(fake.requests().len(), 1);
    match &error {
        commet::Error::Decode(d) => {
            assert_eq!(d.status.as_u16(), 200);
            assert!(d.body.starts_with("<html>"), "{}", d.body);
            assert!(!d.message.is_empty());
            assert_eq!(
                d.request_id.as_deref(),
                Some(last_request(&fake).request_id.as_str())
            );
        }
        other => panic!("expected Error::Decode, got {other:?}"),
    }
    // With a budget, a success that can't be read is asked for again.
    assert!(error.is_retryable());
}

#[tokio::test]
async fn a_wrongly_typed_field_names_its_json_path() {
    let (fake, client) = start().await;
    let id = fake.seed_payments(None, 1).remove(0);
    fake.push_fault(Fault::PatchResponse(json!({"amountTotal": "12.50"})));
    let error = client
        .get_payment(&id)
        .max_retries(0)
        .await
        .expect_err("a string amount");
    match error {
        commet::Error::Decode(d) => {
            assert_eq!(d.path, "data.amountTotal");
            assert!(d.body.contains(r#""amountTotal":"12.50""#), "{}", d.body);
        }
        other => panic!("expected Error::Decode, got {other:?}"),
    }

    fake.seed_payments(None, 2);
    fake.push_fault(Fault::PatchResponse(json!({"createdAt": "yesterday"})));
    let error = client
        .list_payments(ListPaymentsParams::new())
        .max_retries(0)
        .await
        .expect_err("a bad date");
    match error {
        commet::Error::Decode(d) => assert_eq!(d.path, "data[0].createdAt"),
        other => panic!("expected Error::Decode, got {other:?}"),
    }
}
