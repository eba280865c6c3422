//! Shared setup for the client's integration tests: a real [`FakeCommet`] server on 127.0.0.1
//! and a [`Client`] pointed at it with tiny backoffs, so retries cost milliseconds.
//!
//! Every test starts its own fake, so tests never share state and can run in parallel.

#![allow(dead_code)]

use std::time::Duration;

use commet::{ChargePaymentRequest, Client, ClientBuilder, RetryPolicy};
use commet_fake::{FakeCommet, Fault, RecordedRequest};

/// A customer with a vaulted payment method (chargeable), also findable by [`CUSTOMER_EXTERNAL`].
pub const CUSTOMER: &str = "cus_test_1";
/// The merchant's own id for [`CUSTOMER`].
pub const CUSTOMER_EXTERNAL: &str = "user-1";
/// A customer without a payment method: charging it is a 400 `billing_error`.
pub const CUSTOMER_WITHOUT_PM: &str = "cus_no_pm";

/// The default policy's statuses, codes and retry count, with backoffs of a few milliseconds;
/// a `Retry-After` over 20 ms ends the call.
pub fn fast_policy() -> RetryPolicy {
    RetryPolicy {
        initial_backoff: Duration::from_millis(1),
        max_backoff: Duration::from_millis(4),
        max_retry_after: Duration::from_millis(20),
        ..RetryPolicy::default()
    }
}

/// Starts a fake with [`CUSTOMER`] and [`CUSTOMER_WITHOUT_PM`], and a client for it.
pub async fn start() -> (FakeCommet, Client) {
    let fake = FakeCommet::start().await.expect("the fake starts");
    add_customers(&fake);
    let client = client_for(&fake);
    (fake, client)
}

/// Adds [`CUSTOMER`] and [`CUSTOMER_WITHOUT_PM`].
pub fn add_customers(fake: &FakeCommet) {
    fake.add_customer(CUSTOMER, Some(CUSTOMER_EXTERNAL), true);
    fake.add_customer(CUSTOMER_WITHOUT_PM, None, false);
}

/// A builder for `fake`: its key and URL, [`fast_policy`], a 10 s per-attempt timeout.
pub fn builder_for(fake: &FakeCommet) -> ClientBuilder {
    Client::builder()
        .api_key(fake.api_key())
        .base_url(fake.base_url())
        .retry_policy(fast_policy())
        .timeout(Duration::from_secs(10))
}

/// A client for `fake`, see [`builder_for`].
pub fn client_for(fake: &FakeCommet) -> Client {
    builder_for(fake).build().expect("the client builds")
}

/// A charge of [`CUSTOMER`] for `amount` cents of USD.
pub fn charge(amount: i64) -> ChargePaymentRequest {
    ChargePaymentRequest::new(CUSTOMER, amount, "usd", "Pro plan, June")
}

/// `Fault::Status` with the fake's default error envelope for `status`.
pub fn status(status: u16) -> Fault {
    Fault::Status {
        status,
        retry_after: None,
        body: None,
    }
}

/// `Fault::Status` with a `Retry-After` header.
pub fn status_retry_after(status: u16, retry_after: &str) -> Fault {
    Fault::Status {
        status,
        retry_after: Some(retry_after.to_owned()),
        body: None,
    }
}

/// `Fault::Status` with a raw body.
pub fn status_body(status: u16, body: &str) -> Fault {
    Fault::Status {
        status,
        retry_after: None,
        body: Some(body.to_owned()),
    }
}

/// The recorded requests with this method on this path relative to the base URL
/// (e.g. `"/payments/charge"`).
pub fn requests_to(fake: &FakeCommet, method: &str, path: &str) -> Vec<RecordedRequest> {
    let full = format!("/api/v1{path}");
    fake.requests()
        .into_iter()
        .filter(|r| r.method == method && r.path == full)
        .collect()
}

/// The last request the fake received.
pub fn last_request(fake: &FakeCommet) -> RecordedRequest {
    fake.requests()
        .pop()
        .expect("the fake received at least one request")
}

/// The API error inside `error`, or a panic that shows what it was instead.
pub fn api_error(error: commet::Error) -> commet_runtime::ApiError<commet::ApiError> {
    match error {
        commet::Error::Api(e) => *e,
        other => panic!("expected Error::Api, got {other:?}"),
    }
}

/// The generated client's settings, for raw [`commet_runtime::Call`]s against the fake.
pub const RAW_DEFAULTS: commet_runtime::ClientDefaults = commet_runtime::ClientDefaults {
    base_url: commet::Client::DEFAULT_BASE_URL,
    api_version: Some(commet::Client::API_VERSION),
    version_header: "Commet-Version",
    schemes: &[commet_runtime::Scheme::api_key_header(
        "ApiKeyAuth",
        "x-api-key",
    )],
    security: &[&["ApiKeyAuth"]],
    credentials_required: true,
    api_key_env: "COMMET_TESTS_UNUSED_API_KEY",
    bearer_token_env: "COMMET_TESTS_UNUSED_BEARER_TOKEN",
    basic_auth_env: (
        "COMMET_TESTS_UNUSED_USERNAME",
        "COMMET_TESTS_UNUSED_PASSWORD",
    ),
    base_url_env: "COMMET_TESTS_UNUSED_BASE_URL",
    idempotency_header: "Idempotency-Key",
    user_agent: "commet-tests/0",
};

/// A bare runtime client for `fake` (with [`fast_policy`]); without `api_key` it sends no key
/// header at all.
pub fn raw_client(fake: &FakeCommet, api_key: Option<&str>) -> commet_runtime::Client {
    let defaults = match api_key {
        Some(_) => RAW_DEFAULTS,
        None => commet_runtime::ClientDefaults {
            schemes: &[],
            security: &[],
            credentials_required: false,
            ..RAW_DEFAULTS
        },
    };
    let mut builder = commet_runtime::Client::builder(defaults)
        .base_url(fake.base_url())
        .retry_policy(fast_policy());
    if let Some(key) = api_key {
        builder = builder.api_key(key);
    }
    builder.build().expect("the raw client builds")
}

/// A raw call with the generated client's payment and error types and Commet's envelopes.
pub fn raw_call(
    client: &commet_runtime::Client,
    method: commet_runtime::reqwest::Method,
    segments: &[&str],
) -> commet_runtime::Call<commet::Payment, commet::ApiError> {
    commet_runtime::Call::new(client, method, segments)
        .envelope(commet_runtime::Envelope::Data)
        .error_envelope(commet_runtime::ErrorEnvelope::Field("error"))
}
