//! Every kind of failure the fake can answer maps to the right `commet::Error`, over real HTTP:
//! API errors carry status, request id, typed `type` and `code`, message, param and details;
//! a non-envelope body is `UnexpectedStatus`; and `Display` is one useful line.

mod common;

use commet::{ChargePaymentRequest, CreatePaymentRequest, ErrorCode, ErrorType};
use commet_fake::FakeCommet;
use commet_runtime::reqwest::Method;
use common::{
    CUSTOMER, CUSTOMER_WITHOUT_PM, api_error, builder_for, last_request, raw_call, raw_client,
    start, status, status_body,
};
use serde_json::json;

/// Checks the parts every API error shares and that the error's request id is the one the fake
/// assigned to the last request (and sent back as `x-request-id`).
fn assert_api(
    fake: &FakeCommet,
    error: commet::Error,
    status: u16,
    error_type: ErrorType,
    code: ErrorCode,
) -> commet_runtime::ApiError<commet::ApiError> {
    let line = error.to_string();
    assert!(!line.contains('\n'), "Display is one line: {line:?}");
    let recorded = last_request(fake);
    assert_eq!(error.request_id(), Some(recorded.request_id.as_str()));
    assert_eq!(error.status().map(|s| s.as_u16()), Some(status));
    assert!(
        line.contains(&format!("(request {})", recorded.request_id)),
        "{line}"
    );
    let api = api_error(error);
    assert_eq!(api.status.as_u16(), status);
    assert_eq!(api.headers["x-request-id"], recorded.request_id.as_str());
    assert_eq!(api.body.r#type, error_type);
    assert_eq!(api.body.code, code);
    assert!(!api.body.message.is_empty());
    assert!(line.contains(&api.body.message), "{line}");
    assert!(
        line.contains(&format!("{}/{}", api.body.r#type, api.body.code)),
        "{line}"
    );
    api
}

#[tokio::test]
async fn missing_api_key_is_401_unauthorized() {
    let (fake, _) = start().await;
    let client = raw_client(&fake, None);
    let error = raw_call(&client, Method::GET, &["payments", "pay_1"])
        .await
        .expect_err("no key");
    assert_eq!(last_request(&fake).header("x-api-key"), None);
    assert_api(
        &fake,
        error,
        401,
        ErrorType::AuthenticationError,
        ErrorCode::Unauthorized,
    );
    assert_eq!(fake.requests().len(), 1, "401 is not retried");
}

#[tokio::test]
async fn wrong_api_key_is_401_unauthorized() {
    let (fake, _) = start().await;
    let client = builder_for(&fake)
        .api_key("ck_sandbox_wrong")
        .build()
        .expect("builds");
    let error = client
        .charge_payment(&common::charge(100))
        .await
        .expect_err("bad key");
    let api = assert_api(
        &fake,
        error,
        401,
        ErrorType::AuthenticationError,
        ErrorCode::Unauthorized,
    );
    assert_eq!(api.body.param, Some(None), "param is present and null");
    assert_eq!(fake.requests().len(), 1, "401 is not retried");
    assert!(fake.charges().is_empty());
}

#[tokio::test]
async fn validation_error_names_the_param_and_lists_details() {
    let (fake, client) = start().await;
    let error = client
        .charge_payment(&ChargePaymentRequest::new(CUSTOMER, 0, "USD", " "))
        .await
        .expect_err("invalid");
    let api = assert_api(
        &fake,
        error,
        400,
        ErrorType::ValidationError,
        ErrorCode::ValidationError,
    );
    assert_eq!(api.body.param, Some(Some("amount".to_owned())));
    let details = api.body.details.expect("details");
    let fields: Vec<&str> = details
        .as_array()
        .expect("details is an array")
        .iter()
        .map(|d| d["field"].as_str().expect("field"))
        .collect();
    assert_eq!(fields, ["amount", "currency", "description"]);
    assert_eq!(
        details[0],
        json!({"field": "amount", "message": "must be greater than 0"})
    );
    assert_eq!(
        api.body.doc_url.as_deref(),
        Some("https://commet.co/docs/api/errors#validation_error")
    );
    assert_eq!(fake.requests().len(), 1, "400 is not retried");
}

#[tokio::test]
async fn charging_a_customer_without_payment_method_is_a_billing_error() {
    let (fake, client) = start().await;
    let error = client
        .charge_payment(&ChargePaymentRequest::new(
            CUSTOMER_WITHOUT_PM,
            100,
            "usd",
            "x",
        ))
        .await
        .expect_err("no payment method");
    let api = assert_api(
        &fake,
        error,
        400,
        ErrorType::BillingError,
        ErrorCode::NoPaymentMethod,
    );
    assert_eq!(api.body.param, Some(Some("customerId".to_owned())));
}

#[tokio::test]
async fn unknown_customer_is_404_customer_not_found() {
    let (fake, client) = start().await;
    let error = client
        .charge_payment(&ChargePaymentRequest::new("cus_nobody", 100, "usd", "x"))
        .await
        .expect_err("unknown customer");
    let api = assert_api(
        &fake,
        error,
        404,
        ErrorType::NotFoundError,
        ErrorCode::CustomerNotFound,
    );
    assert_eq!(api.body.param, Some(Some("customerId".to_owned())));
    assert!(api.body.message.contains("cus_nobody"));
    assert_eq!(fake.requests().len(), 1, "404 is not retried");

    let error = client
        .create_payment(&CreatePaymentRequest::new(100, "usd", "x").customer_id("cus_nobody"))
        .await
        .expect_err("unknown customer");
    assert_api(
        &fake,
        error,
        404,
        ErrorType::NotFoundError,
        ErrorCode::CustomerNotFound,
    );
}

#[tokio::test]
async fn unknown_payment_is_404_payment_not_found() {
    let (fake, client) = start().await;
    let error = client
        .get_payment("pay_missing")
        .await
        .expect_err("no such payment");
    let line = error.to_string();
    let recorded = last_request(&fake);
    assert_eq!(
        line,
        format!(
            "404 Not Found: not_found_error/payment_not_found: No payment with id 'pay_missing'. (request {})",
            recorded.request_id
        )
    );
    let api = assert_api(
        &fake,
        error,
        404,
        ErrorType::NotFoundError,
        ErrorCode::PaymentNotFound,
    );
    assert_eq!(api.body.param, Some(Some("id".to_owned())));

    let error = client
        .cancel_payment("pay_missing")
        .await
        .expect_err("no such payment");
    assert_api(
        &fake,
        error,
        404,
        ErrorType::NotFoundError,
        ErrorCode::PaymentNotFound,
    );
    assert_eq!(fake.requests().len(), 2, "404 is not retried");
}

#[tokio::test]
async fn canceling_a_charge_or_a_paid_link_is_409_payment_not_cancelable() {
    let (fake, client) = start().await;
    let charge = client
        .charge_payment(&common::charge(100))
        .await
        .expect("charge works");
    let error = client
        .cancel_payment(&charge.id)
        .await
        .expect_err("a charge cannot be canceled");
    assert_api(
        &fake,
        error,
        409,
        ErrorType::ConflictError,
        ErrorCode::PaymentNotCancelable,
    );

    let link = client
        .create_payment(&CreatePaymentRequest::new(100, "usd", "x"))
        .await
        .expect("create works");
    assert!(fake.set_payment_status(&link.id, "succeeded"));
    let before = fake.requests().len();
    let error = client
        .cancel_payment(&link.id)
        .await
        .expect_err("a paid link cannot be canceled");
    let api = assert_api(
        &fake,
        error,
        409,
        ErrorType::ConflictError,
        ErrorCode::PaymentNotCancelable,
    );
    assert!(api.body.message.contains(&link.id), "{}", api.body.message);
    assert_eq!(fake.requests().len(), before + 1, "409 is not retried");
}

#[tokio::test]
async fn reusing_a_key_for_another_body_is_409_idempotency_key_mismatch() {
    let (fake, client) = start().await;
    client
        .charge_payment(&common::charge(100))
        .idempotency_key("order-7")
        .await
        .expect("first use of the key");
    let error = client
        .charge_payment(&common::charge(200))
        .idempotency_key("order-7")
        .await
        .expect_err("same key, other body");
    assert_api(
        &fake,
        error,
        409,
        ErrorType::ConflictError,
        ErrorCode::IdempotencyKeyMismatch,
    );
    assert_eq!(fake.requests().len(), 2, "a key mismatch is not retried");
    assert_eq!(fake.charges().len(), 1);
}

#[tokio::test]
async fn injected_402_is_a_billing_error_and_not_retried() {
    let (fake, client) = start().await;
    fake.push_fault(status(402));
    let error = client
        .charge_payment(&common::charge(100))
        .await
        .expect_err("declined");
    let api = assert_api(
        &fake,
        error,
        402,
        ErrorType::BillingError,
        ErrorCode::PaymentFailed,
    );
    assert_eq!(
        api.body.doc_url.as_deref(),
        Some("https://commet.co/docs/api/errors#payment_failed")
    );
    assert_eq!(fake.requests().len(), 1);
    assert!(fake.charges().is_empty());
}

#[tokio::test]
async fn unknown_error_type_and_code_are_kept_not_rejected() {
    let (fake, client) = start().await;
    let body = json!({
        "success": false,
        "error": {
            "type": "fraud_error",
            "code": "velocity_limit_exceeded",
            "message": "Too many charges for this card today.",
            "details": {"score": 97, "rules": ["velocity"]},
            "doc_url": "https://commet.co/docs/api/errors#velocity_limit_exceeded",
            "newField": [1, 2]
        },
        "meta": {"trace": "abc"}
    });
    fake.push_fault(status_body(403, &body.to_string()));
    let error = client
        .charge_payment(&common::charge(100))
        .await
        .expect_err("refused");
    let api = assert_api(
        &fake,
        error,
        403,
        ErrorType::Unknown("fraud_error".to_owned()),
        ErrorCode::Unknown("velocity_limit_exceeded".to_owned()),
    );
    assert_eq!(api.body.r#type.as_str(), "fraud_error");
    assert_eq!(api.body.code.as_str(), "velocity_limit_exceeded");
    assert_eq!(api.code(), Some("velocity_limit_exceeded"));
    assert_eq!(api.body.param, None, "param absent, not null");
    assert_eq!(
        api.body.details,
        Some(json!({"score": 97, "rules": ["velocity"]}))
    );
    assert_eq!(fake.requests().len(), 1, "403 is not retried");
}

#[tokio::test]
async fn html_502_is_unexpected_status_and_retried_until_exhausted() {
    let (fake, client) = start().await;
    let html = "<html>\n<head><title>502 Bad Gateway</title></head>\n<body>nginx</body>\n</html>";
    for _ in 0..3 {
        fake.push_fault(status_body(502, html));
    }
    let error = client
        .get_payment("pay_1")
        .await
        .expect_err("the gateway is down");
    assert_eq!(fake.requests().len(), 3, "1 attempt + 2 retries (default)");
    let recorded = last_request(&fake);
    assert_eq!(error.request_id(), Some(recorded.request_id.as_str()));
    let line = error.to_string();
    assert!(!line.contains('\n'), "{line:?}");
    assert!(
        line.starts_with(&format!(
            "unexpected response 502 Bad Gateway (request {}): <html>",
            recorded.request_id
        )),
        "{line}"
    );
    match error {
        commet::Error::UnexpectedStatus(u) => {
            assert_eq!(u.status.as_u16(), 502);
            assert_eq!(u.body, html);
            assert!(!u.body_truncated);
            assert!(!u.reason.is_empty());
        }
        other => panic!("expected UnexpectedStatus, got {other:?}"),
    }
}

#[tokio::test]
async fn html_502_without_retries_is_one_attempt() {
    let (fake, client) = start().await;
    fake.push_fault(status_body(502, "<html>Bad gateway</html>"));
    let error = client
        .charge_payment(&common::charge(100))
        .max_retries(0)
        .await
        .expect_err("the gateway is down");
    assert!(
        matches!(&error, commet::Error::UnexpectedStatus(u) if u.status.as_u16() == 502),
        "{error:?}"
    );
    assert_eq!(fake.requests().len(), 1);
}

#[tokio::test]
async fn send_reports_the_request_id_of_a_failure() {
    let (fake, client) = start().await;
    let error = client
        .get_payment("pay_missing")
        .send()
        .await
        .expect_err("no such payment");
    assert_eq!(
        error.request_id(),
        Some(last_request(&fake).request_id.as_str())
    );
    assert_eq!(error.code(), Some("payment_not_found"));
    assert!(!error.is_retryable());
}

#[tokio::test]
async fn errors_implement_std_error_and_are_send_sync() {
    fn check<E: std::error::Error + Send + Sync + 'static>(_: &E) {}
    let (_fake, client) = start().await;
    let error = client.get_payment("pay_missing").await.expect_err("404");
    check(&error);
    let boxed: Box<dyn std::error::Error + Send + Sync> = Box::new(error);
    assert!(boxed.to_string().contains("payment_not_found"));
}
