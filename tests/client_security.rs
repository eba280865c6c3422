//! Security properties, checked over real HTTP: the API key never shows in `Debug` or `Display`
//! output, path parameters can't escape their segment, header injection is refused before
//! anything is sent, and the client is safe to share between tasks.

mod common;

use std::time::Duration;

use commet::{BuildError, Client, ClientBuilder, ListPaymentsParams};
use commet_fake::{FakeCommet, Fault};
use common::{add_customers, api_error, fast_policy, status_body};
use futures_util::StreamExt;
use serde_json::json;

const SECRET: &str = "ck_sandbox_s3cr3tK3yV4lu3";

async fn start_secret() -> (FakeCommet, ClientBuilder) {
    let fake = FakeCommet::start_with_api_key(SECRET)
        .await
        .expect("the fake starts");
    add_customers(&fake);
    let builder = Client::builder()
        .api_key(SECRET)
        .base_url(fake.base_url())
        .retry_policy(fast_policy());
    (fake, builder)
}

fn assert_hidden(what: &str, text: &str) {
    assert!(!text.contains(SECRET), "{what} shows the API key: {text}");
    assert!(
        !text.contains("s3cr3t"),
        "{what} shows part of the key: {text}"
    );
}

#[tokio::test]
async fn the_api_key_never_appears_in_debug_or_display() {
    let (fake, builder) = start_secret().await;
    assert_hidden("builder Debug", &format!("{builder:?}"));
    let client = builder.build().expect("builds");
    let shown = format!("{client:?}");
    assert_hidden("client Debug", &shown);
    assert!(
        shown.contains("ck_***"),
        "the key is shown redacted: {shown}"
    );
    assert_hidden("call Debug", &format!("{:?}", client.get_payment("pay_1")));

    // One error of every kind the client can return over HTTP.
    let mut errors: Vec<commet::Error> = Vec::new();
    let wrong = Client::builder()
        .api_key(format!("{SECRET}_wrong"))
        .base_url(fake.base_url())
        .build()
        .expect("builds");
    errors.push(wrong.get_payment("pay_1").await.expect_err("401"));
    errors.push(client.get_payment("pay_1").await.expect_err("404"));
    fake.push_fault(status_body(502, "<html>bad gateway</html>"));
    errors.push(
        client
            .get_payment("pay_1")
            .max_retries(0)
            .await
            .expect_err("502"),
    );
    fake.push_fault(Fault::MalformedBody);
    errors.push(
        client
            .get_payment("pay_1")
            .max_retries(0)
            .await
            .expect_err("decode"),
    );
    fake.push_fault(Fault::OversizedBody {
        bytes: 4096,
        announce_length: false,
    });
    errors.push(
        client
            .get_payment("pay_1")
            .max_response_body(1024)
            .await
            .expect_err("too large"),
    );
    fake.push_fault(Fault::DropBeforeProcessing);
    errors.push(
        client
            .get_payment("pay_1")
            .max_retries(0)
            .await
            .expect_err("drop"),
    );
    fake.push_fault(Fault::Delay(Duration::from_millis(300)));
    errors.push(
        client
            .get_payment("pay_1")
            .timeout(Duration::from_millis(50))
            .max_retries(0)
            .await
            .expect_err("timeout"),
    );
    errors.push(client.get_payment("..").await.expect_err("invalid request"));
    fake.push_fault(status_body(
        200,
        &json!({"success": true, "data": [], "hasMore": true}).to_string(),
    ));
    let mut stream = client.list_payments_stream(ListPaymentsParams::new());
    errors.push(
        stream
            .next()
            .await
            .expect("an item")
            .expect_err("pagination"),
    );

    let kinds: Vec<&str> = errors
        .iter()
        .map(|e| match e {
            commet::Error::Api(_) => "api",
            commet::Error::Transport(_) => "transport",
            commet::Error::Timeout(_) => "timeout",
            commet::Error::Decode(_) => "decode",
            commet::Error::UnexpectedStatus(_) => "unexpected",
            commet::Error::InvalidRequest(_) => "invalid",
            commet::Error::Pagination(_) => "pagination",
            commet::Error::BodyTooLarge(_) => "too large",
            _ => "other",
        })
        .collect();
    assert_eq!(
        kinds,
        [
            "api",
            "api",
            "unexpected",
            "decode",
            "too large",
            "transport",
            "timeout",
            "invalid",
            "pagination"
        ]
    );
    for error in &errors {
        assert_hidden("error Display", &error.to_string());
        assert_hidden("error Debug", &format!("{error:?}"));
        assert_hidden("error alternate Debug", &format!("{error:#?}"));
    }
}

#[tokio::test]
async fn a_bad_api_key_is_refused_at_build_without_echoing_it() {
    for key in [
        format!("{SECRET}\r\nx-evil: 1"),
        format!("{SECRET}\n"),
        format!("\r{SECRET}"),
    ] {
        let error = Client::builder()
            .api_key(key.as_str())
            .base_url("http://127.0.0.1:9")
            .build()
            .expect_err("CR/LF in the key");
        assert!(matches!(error, BuildError::InvalidHeader(_)), "{error:?}");
        assert_hidden("BuildError Display", &error.to_string());
        assert_hidden("BuildError Debug", &format!("{error:?}"));
        assert!(!error.to_string().contains("evil"), "{error}");
    }
}

#[tokio::test]
async fn ids_with_slashes_and_dots_stay_one_encoded_segment() {
    let (fake, builder) = start_secret().await;
    let client = builder.build().expect("builds");
    let link = client
        .create_payment(&commet::CreatePaymentRequest::new(100, "usd", "x"))
        .await
        .expect("create works");
    let cases = [
        ("../customers", "/api/v1/payments/..%2Fcustomers"),
        ("a/b", "/api/v1/payments/a%2Fb"),
        (
            &format!("{}/cancel", link.id) as &str,
            &format!("/api/v1/payments/{}%2Fcancel", link.id) as &str,
        ),
        ("pay_1?limit=1#x", "/api/v1/payments/pay_1%3Flimit%3D1%23x"),
        ("%2e%2e", "/api/v1/payments/%252e%252e"),
        ("pay 1", "/api/v1/payments/pay%201"),
    ];
    for (id, path) in cases {
        fake.clear_requests();
        let error = client.get_payment(id).await.expect_err("no such payment");
        let recorded = fake.requests();
        assert_eq!(recorded.len(), 1, "{id}");
        assert_eq!(recorded[0].path, path, "{id}");
        assert_eq!(recorded[0].query, None, "{id}");
        assert_eq!(
            api_error(error).body.code,
            commet::ErrorCode::PaymentNotFound,
            "{id} reached GET /payments/{{id}}, not another route"
        );
    }

    // The same on cancel: `a/b` does not turn `/payments/a/b/cancel` into another route.
    fake.clear_requests();
    let error = client
        .cancel_payment("a/b")
        .await
        .expect_err("no such payment");
    assert_eq!(fake.requests()[0].path, "/api/v1/payments/a%2Fb/cancel");
    assert_eq!(error.code(), Some("payment_not_found"));
    assert_eq!(
        fake.payment(&link.id).expect("stored")["status"],
        "pending",
        "the link was not canceled through a crafted id"
    );
}

#[tokio::test]
async fn dot_and_empty_ids_are_refused_before_sending() {
    let (fake, builder) = start_secret().await;
    let client = builder.build().expect("builds");
    for id in ["..", ".", ""] {
        let error = client.get_payment(id).await.expect_err("refused");
        assert!(
            matches!(error, commet::Error::InvalidRequest(_)),
            "{id:?}: {error:?}"
        );
        let error = client.cancel_payment(id).await.expect_err("refused");
        assert!(
            matches!(error, commet::Error::InvalidRequest(_)),
            "{id:?}: {error:?}"
        );
    }
    assert!(fake.requests().is_empty(), "nothing was sent");
}

#[tokio::test]
async fn header_injection_through_an_idempotency_key_is_refused_before_sending() {
    let (fake, builder) = start_secret().await;
    let client = builder.build().expect("builds");
    for key in ["k\r\nx-evil: 1", "k\n", "\rk"] {
        let error = client
            .charge_payment(&common::charge(100))
            .idempotency_key(key)
            .await
            .expect_err("CR/LF in the key");
        match &error {
            commet::Error::InvalidRequest(message) => {
                assert!(message.contains("Idempotency-Key"), "{message}");
                assert!(!message.contains("evil"), "{message}");
            }
            other => panic!("expected InvalidRequest, got {other:?}"),
        }
        assert!(
            error
                .to_string()
                .starts_with("invalid request (not sent): ")
        );
        assert!(!error.is_retryable());
    }
    assert!(fake.requests().is_empty(), "nothing was sent");
    assert!(fake.charges().is_empty());
}

#[test]
fn the_client_is_send_sync_clone_and_its_futures_are_send() {
    fn shareable<T: Send + Sync + Clone + 'static>() {}
    fn send<T: Send>(_: &T) {}
    shareable::<Client>();
    shareable::<commet::Payment>();
    fn error<T: std::error::Error + Send + Sync + 'static>() {}
    error::<commet::Error>();
    error::<BuildError>();

    let client = Client::builder()
        .api_key("ck_sandbox_x")
        .base_url("http://127.0.0.1:9")
        .build()
        .expect("builds");
    send(&std::future::IntoFuture::into_future(
        client.get_payment("pay_1"),
    ));
    send(&client.get_payment("pay_1").send());
    send(&client.list_payments_stream(ListPaymentsParams::new()));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_client_is_shared_by_concurrent_tasks() {
    let (fake, builder) = start_secret().await;
    let client = builder.build().expect("builds");
    let tasks: Vec<_> = (0..16)
        .map(|i| {
            let client = client.clone();
            tokio::spawn(async move { client.charge_payment(&common::charge(100 + i)).await })
        })
        .collect();
    let mut ids = Vec::new();
    for task in tasks {
        ids.push(task.await.expect("joins").expect("charges").id);
    }
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), 16);
    assert_eq!(fake.charges().len(), 16);
}
