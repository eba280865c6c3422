//! How a client is configured, seen from the requests the fake receives: the API version and
//! user agent it sends (and their overrides), its base URL and timeout, and what the builder
//! refuses. Settings read from the environment are in `client_env.rs`.

mod common;

use std::time::Duration;

use commet::{BuildError, Client};
use commet_fake::Fault;
use common::{builder_for, last_request, start};

#[tokio::test]
async fn default_headers_pin_the_api_version() {
    let (fake, client) = start().await;
    client.get_payment("pay_1").await.expect_err("404");
    let sent = last_request(&fake);
    assert_eq!(Client::API_VERSION, "2026-06-10");
    assert_eq!(sent.commet_version(), Some("2026-06-10"));
    assert_eq!(sent.header("x-api-key"), Some(fake.api_key()));
    assert_eq!(sent.header("accept"), Some("application/json"));
    assert_eq!(sent.header("user-agent"), Some("commet-rust/0.1.0"));
    assert_eq!(Client::DEFAULT_BASE_URL, "https://commet.co/api/v1");
}

#[tokio::test]
async fn api_version_and_user_agent_can_be_overridden() {
    let (fake, _) = start().await;
    let client = builder_for(&fake)
        .api_version("2026-07-24")
        .user_agent("acme-billing/3.1")
        .build()
        .expect("builds");
    client
        .charge_payment(&common::charge(100))
        .await
        .expect("charge works");
    let sent = last_request(&fake);
    assert_eq!(sent.commet_version(), Some("2026-07-24"));
    assert_eq!(sent.header("user-agent"), Some("acme-billing/3.1"));

    // One call can pin another version with a header of its own.
    client
        .get_payment("pay_1")
        .header("Commet-Version", "2026-06-10")
        .await
        .expect_err("404");
    assert_eq!(last_request(&fake).commet_version(), Some("2026-06-10"));
    let versions: Vec<_> = fake
        .requests()
        .iter()
        .map(|r| {
            r.headers
                .iter()
                .filter(|(n, _)| n == "commet-version")
                .count()
        })
        .collect();
    assert_eq!(versions, [1, 1], "the version header is sent once");
}

#[tokio::test]
async fn a_trailing_slash_on_the_base_url_is_ignored() {
    let (fake, _) = start().await;
    let client = builder_for(&fake)
        .base_url(format!("{}/", fake.base_url()))
        .build()
        .expect("builds");
    let page = client
        .list_payments(commet::ListPaymentsParams::new())
        .await
        .expect("list works");
    assert!(page.data.is_empty());
    assert_eq!(last_request(&fake).path, "/api/v1/payments");
}

#[tokio::test]
async fn the_builder_timeout_bounds_each_attempt() {
    let (fake, _) = start().await;
    let client = builder_for(&fake)
        .timeout(Duration::from_millis(50))
        .max_retries(1)
        .build()
        .expect("builds");
    fake.push_fault(Fault::Delay(Duration::from_millis(300)));
    fake.push_fault(Fault::Delay(Duration::from_millis(300)));
    let error = client.get_payment("pay_1").await.expect_err("too slow");
    match &error {
        commet::Error::Timeout(t) => assert_eq!(t.timeout(), Duration::from_millis(50)),
        other => panic!("expected a timeout, got {other:?}"),
    }
    assert_eq!(fake.requests().len(), 2);
}

#[test]
fn the_builder_refuses_bad_settings() {
    let base = || Client::builder().api_key("ck_sandbox_x");
    for url in [
        "not a url",
        "ftp://commet.co/api/v1",
        "https://user:pass@commet.co/api/v1",
        "https://commet.co/api/v1?x=1",
        "https://commet.co/api/v1#frag",
        "mailto:billing@commet.co",
    ] {
        let error = base().base_url(url).build().expect_err(url);
        assert!(
            matches!(error, BuildError::InvalidBaseUrl(_)),
            "{url}: {error:?}"
        );
        assert!(!error.to_string().contains('\n'));
    }
    let error = base()
        .base_url("https://user:hunter2@commet.co")
        .build()
        .expect_err("userinfo");
    assert!(!error.to_string().contains("hunter2"), "{error}");

    let error = base()
        .base_url("http://127.0.0.1:9")
        .api_version("2026-06-10\r\nx-evil: 1")
        .build()
        .expect_err("CR/LF in the version");
    assert!(matches!(error, BuildError::InvalidHeader(_)), "{error:?}");
    let error = base()
        .base_url("http://127.0.0.1:9")
        .user_agent("ua\n")
        .build()
        .expect_err("CR/LF in the user agent");
    assert!(matches!(error, BuildError::InvalidHeader(_)), "{error:?}");
}
