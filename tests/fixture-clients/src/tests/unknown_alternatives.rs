//! Unions meet alternatives the API added after the client was generated: over HTTP, the
//! answer still decodes, the unknown value is readable (its tag and JSON), and sending it on
//! writes exactly the JSON that came.

use commet_fake::wire::WireReply;

use super::{recorder, wired};

#[tokio::test]
async fn an_answer_with_an_unknown_tag_decodes_and_goes_back_unchanged() {
    use crate::one_of_discriminator::{Client, PaymentMethod};

    // Keys out of order and a nested object: what comes back must be byte for byte the same.
    let answer =
        r#"{"type":"paypal","email":"a@b.c","zeta":[1,2.5,null],"alpha":{"y":true,"b":"x"}}"#;
    let server = recorder().await;
    server
        .reply(WireReply::json(200, answer))
        .reply(WireReply::json(200, answer));
    let client = wired(Client::builder(), &server);
    let card = PaymentMethod::Card(crate::one_of_discriminator::Card::new("card", "4242"));
    let stored = client
        .create_payment_method(&card)
        .await
        .expect("an unknown payment-method type still decodes");
    let unknown = stored.unknown().expect("kept as unknown");
    assert_eq!(unknown.tag(), Some("paypal"));
    assert_eq!(unknown.raw()["alpha"]["b"], "x");

    // Forwarded as received.
    let again = client
        .create_payment_method(&stored)
        .await
        .expect("decodes again");
    assert_eq!(again, stored);
    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    assert_eq!(requests[0].body_text(), r#"{"type":"card","last4":"4242"}"#);
    assert_eq!(requests[1].body_text(), answer);
}

#[tokio::test]
async fn a_list_with_an_unknown_kind_decodes_whole() {
    use crate::const_tag::{Client, Event};

    let server = recorder().await;
    server.reply(WireReply::json(
        200,
        r#"[{"kind":"created","id":"1"},{"kind":"merged","into":"2"},{"kind":"deleted","id":"3"}]"#,
    ));
    let client = wired(Client::builder(), &server);
    let events = client.list_events().await.expect("the list decodes");
    assert_eq!(events.len(), 3);
    assert!(matches!(events[0], Event::Created(_)), "{:?}", events[0]);
    assert_eq!(events[1].unknown().and_then(|u| u.tag()), Some("merged"));
    assert!(matches!(events[2], Event::Deleted(_)), "{:?}", events[2]);
}

#[tokio::test]
async fn an_untagged_answer_that_matches_nothing_is_kept_and_forwarded() {
    use crate::one_of_untagged::{Client, Identifier, Lookup, Mixed};

    let answer = r#"{"fax":"+1 555","zone":{"b":1,"a":2}}"#;
    let server = recorder().await;
    server
        .reply(WireReply::json(200, answer))
        .reply(WireReply::json(200, r#"{"address":"a@b.c"}"#));
    let client = wired(Client::builder(), &server);
    let contact = client
        .look_up(&Lookup::new(Identifier::Integer(1)))
        .await
        .expect("a contact of no known shape still decodes");
    let unknown = contact.unknown().expect("neither an email nor a phone");
    assert_eq!(unknown.tag(), None);

    // The same JSON, as another union's hint, is sent on exactly as it came.
    let hint: Mixed = commet_runtime::serde_json::from_value(unknown.raw().clone())
        .expect("any JSON is a `Mixed`");
    assert!(hint.unknown().is_some(), "{hint:?}");
    let email = client
        .look_up(&Lookup::new(Identifier::Integer(2)).hint(hint))
        .await
        .expect("decodes");
    assert_eq!(email.unknown(), None);
    let requests = server.requests();
    assert_eq!(
        requests[1].body_text(),
        format!(r#"{{"id":2,"hint":{answer}}}"#)
    );
}

/// Adyen adds payment methods and actions all the time: an answer made from Adyen Checkout's
/// own document, with an action type and a payment method the document doesn't list, decodes,
/// and the action is kept with its tag; a known action still gets its own variant.
#[tokio::test]
async fn an_adyen_payment_answer_with_an_unlisted_action_and_method_decodes() {
    use crate::adyen_payments::{Client, PaymentRequest, PaymentResponseAction};
    use commet_runtime::serde_json::{self, json};

    use super::payments_faults::{Document, decode};

    let doc = Document::vendored("adyen-checkout-v72.json");
    let mut unlisted = doc.answer("/payments", "post", 200);
    let action = json!({
        "type": "biometricChallenge",
        "paymentMethodType": "pixpay_wallet",
        "paymentData": "Ab02b4c0",
        "challenge": {"nonce": "n-1", "ttl": 30},
    });
    unlisted["action"] = action.clone();
    unlisted["paymentMethod"] = json!({"type": "pixpay_wallet", "brand": "pixpay"});
    unlisted["resultCode"] = json!("PendingBiometrics");
    let mut redirect = doc.answer("/payments", "post", 200);
    redirect["action"] = json!({
        "type": "redirect",
        "paymentMethodType": "ideal",
        "method": "GET",
        "url": "https://test.adyen.com/hpp/redirect",
    });
    let server = recorder().await;
    server
        .reply(WireReply::json(200, unlisted.to_string()))
        .reply(WireReply::json(200, redirect.to_string()));
    let client = wired(Client::builder(), &server);

    let request: PaymentRequest = decode(doc.request("/payments", "post", "/reference", "order-1"));
    let payment = client
        .post_payments(Some(&request))
        .await
        .expect("an answer with an unlisted action decodes");
    let kept = payment
        .action
        .as_ref()
        .and_then(PaymentResponseAction::unknown);
    let kept = kept.expect("the action is kept as one this version doesn't know");
    assert_eq!(kept.tag(), Some("biometricChallenge"));
    assert_eq!(kept.raw(), &action);
    assert_eq!(
        serde_json::to_value(&payment).expect("encodes")["action"],
        action,
        "written back as it came"
    );
    let used = payment.payment_method.expect("the method used");
    assert_eq!(used.r#type.as_deref(), Some("pixpay_wallet"));

    let payment = client
        .post_payments(Some(&request))
        .await
        .expect("a known action decodes");
    assert!(
        matches!(
            payment.action,
            Some(PaymentResponseAction::CheckoutRedirectAction(_))
        ),
        "{:?}",
        payment.action
    );
}
