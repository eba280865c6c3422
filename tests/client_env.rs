//! Settings read from the environment: `COMMET_API_KEY` and `COMMET_BASE_URL`.
//!
//! The process environment is shared by every thread of a test binary, so this file holds a
//! single test, on a current-thread runtime, that sets and removes the variables in sequence
//! while nothing else runs.

use commet::{BuildError, Client, ListPaymentsParams};
use commet_fake::FakeCommet;

const KEY: &str = "COMMET_API_KEY";
const URL: &str = "COMMET_BASE_URL";

fn set(name: &str, value: &str) {
    // SAFETY: this binary has one test, on a current-thread runtime; no other thread reads or
    // writes the environment while it runs.
    unsafe { std::env::set_var(name, value) }
}

fn unset(name: &str) {
    // SAFETY: as in `set`.
    unsafe { std::env::remove_var(name) }
}

#[tokio::test(flavor = "current_thread")]
async fn the_environment_supplies_the_key_and_the_base_url() {
    let fake = FakeCommet::start().await.expect("the fake starts");
    let other = FakeCommet::start().await.expect("a second fake starts");

    // No key anywhere: a clear error naming the variable.
    unset(KEY);
    unset(URL);
    for result in [Client::from_env(), Client::builder().build()] {
        match result {
            Err(BuildError::MissingApiKey { env }) => assert_eq!(env, KEY),
            other => panic!("expected MissingApiKey, got {other:?}"),
        }
    }
    let message = Client::from_env().expect_err("no key").to_string();
    assert!(message.contains(KEY), "{message}");
    // An empty or blank variable counts as unset.
    for blank in ["", "   "] {
        set(KEY, blank);
        assert!(matches!(
            Client::from_env(),
            Err(BuildError::MissingApiKey { .. })
        ));
    }

    // Both from the environment: requests reach the fake at COMMET_BASE_URL with the key.
    set(KEY, fake.api_key());
    set(URL, &fake.base_url());
    let client = Client::from_env().expect("builds from the environment");
    let page = client
        .list_payments(ListPaymentsParams::new())
        .await
        .expect("the fake answers");
    assert!(page.data.is_empty());
    let sent = fake.requests();
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].header("x-api-key"), Some(fake.api_key()));

    // Explicit settings win over the environment.
    let explicit = Client::builder()
        .api_key("ck_sandbox_explicit")
        .base_url(other.base_url())
        .build()
        .expect("builds");
    explicit
        .get_payment("pay_1")
        .await
        .expect_err("a wrong key for the other fake");
    assert_eq!(fake.requests().len(), 1, "not sent to COMMET_BASE_URL");
    assert_eq!(
        other.requests()[0].header("x-api-key"),
        Some("ck_sandbox_explicit")
    );

    // A bad COMMET_BASE_URL is reported at build time.
    set(URL, "commet.co/api/v1");
    assert!(matches!(
        Client::from_env(),
        Err(BuildError::InvalidBaseUrl(_))
    ));
    // Without COMMET_BASE_URL the spec's server is used (nothing is sent here).
    unset(URL);
    let client = Client::from_env().expect("builds");
    assert!(format!("{client:?}").contains(Client::DEFAULT_BASE_URL));

    unset(KEY);
    unset(URL);
}
