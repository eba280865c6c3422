use super::*;

pub(crate) const DEFAULTS: ClientDefaults = ClientDefaults {
    base_url: "https://commet.test/api/v1",
    api_version: Some("2026-06-10"),
    version_header: "Commet-Version",
    schemes: &[crate::Scheme::api_key_header("ApiKeyAuth", "x-api-key")],
    security: &[&["ApiKeyAuth"]],
    credentials_required: true,
    api_key_env: "COMMET_RUNTIME_TEST_UNSET_API_KEY",
    bearer_token_env: "COMMET_RUNTIME_TEST_UNSET_BEARER_TOKEN",
    basic_auth_env: (
        "COMMET_RUNTIME_TEST_UNSET_USERNAME",
        "COMMET_RUNTIME_TEST_UNSET_PASSWORD",
    ),
    base_url_env: "COMMET_RUNTIME_TEST_UNSET_BASE_URL",
    idempotency_header: "Idempotency-Key",
    user_agent: "commet-rust/0.0.0-test",
};

const SECRET: &str = "ck_sandbox_s3cr3tvalue";

#[test]
fn redaction() {
    assert_eq!(redact_api_key("ck_sandbox_abc"), "ck_***");
    assert_eq!(redact_api_key("ck_live_abc"), "ck_***");
    assert_eq!(redact_api_key("supersecret"), "***");
    assert_eq!(redact_api_key("averylongprefix_abc"), "***");
    assert_eq!(redact_api_key(""), "***");
    assert_eq!(redact_api_key("_x"), "***");
}

#[test]
fn debug_never_shows_the_key() {
    let builder = Client::builder(DEFAULTS).api_key(SECRET);
    let shown = format!("{builder:?}");
    assert!(
        !shown.contains("s3cr3t") && shown.contains("ck_***"),
        "{shown}"
    );
    let client = builder.build().unwrap();
    for shown in [format!("{client:?}"), format!("{client:#?}")] {
        assert!(
            !shown.contains("s3cr3t") && shown.contains("ck_***"),
            "{shown}"
        );
    }
    // The header it is sent in is marked sensitive (HTTP/2 never indexes it).
    let applied = crate::auth::apply(
        DEFAULTS.schemes,
        DEFAULTS.security,
        &client.inner.credentials,
    )
    .unwrap();
    assert!(applied.headers["x-api-key"].is_sensitive());
}

#[test]
fn missing_key_names_the_env_var() {
    let err = Client::builder(DEFAULTS).build().unwrap_err();
    assert!(matches!(err, BuildError::MissingApiKey { env } if env == DEFAULTS.api_key_env));
    assert!(err.to_string().contains(DEFAULTS.api_key_env));
    let err = Client::builder(DEFAULTS).api_key("").build().unwrap_err();
    assert!(matches!(err, BuildError::MissingApiKey { .. }));
}

#[test]
fn cr_lf_in_configured_headers_is_rejected_without_echoing() {
    let err = Client::builder(DEFAULTS)
        .api_key("ck_sandbox_abc\r\nx-evil: 1")
        .build()
        .unwrap_err();
    assert!(matches!(err, BuildError::InvalidHeader(_)));
    let msg = err.to_string();
    assert!(msg.contains("CR or LF") && !msg.contains("evil"), "{msg}");
    let err = Client::builder(DEFAULTS)
        .api_key(SECRET)
        .api_version("2026-06-10\n")
        .build()
        .unwrap_err();
    assert!(matches!(err, BuildError::InvalidHeader(_)));
    let err = Client::builder(DEFAULTS)
        .api_key(SECRET)
        .user_agent("ua\rx")
        .build()
        .unwrap_err();
    assert!(matches!(err, BuildError::InvalidHeader(_)));
}

#[test]
fn an_api_without_a_version_header_sends_no_version() {
    let unversioned = ClientDefaults {
        api_version: None,
        version_header: "",
        ..DEFAULTS
    };
    let client = Client::builder(unversioned)
        .api_key(SECRET)
        .build()
        .unwrap();
    assert_eq!(client.api_version(), None);
    let err = Client::builder(unversioned)
        .api_key(SECRET)
        .api_version("2026-06-10")
        .build()
        .unwrap_err();
    assert!(matches!(err, BuildError::InvalidHeader(_)));
    assert!(err.to_string().contains("declares no header"), "{err}");
}

#[test]
fn base_url_rules() {
    let ok = |u: &str| {
        Client::builder(DEFAULTS)
            .api_key(SECRET)
            .base_url(u)
            .build()
    };
    assert_eq!(
        ok("http://127.0.0.1:8080/v1/").unwrap().base_url(),
        "http://127.0.0.1:8080/v1"
    );
    assert_eq!(
        Client::builder(DEFAULTS)
            .api_key(SECRET)
            .build()
            .unwrap()
            .base_url(),
        "https://commet.test/api/v1"
    );
    for bad in [
        "ftp://x",
        "not a url",
        "https://x/v1?q=1",
        "mailto:a@b",
        "https://u:p@x/",
    ] {
        assert!(
            matches!(ok(bad), Err(BuildError::InvalidBaseUrl(_))),
            "{bad}"
        );
    }
}

#[test]
fn max_retries_wins_over_policy() {
    let c = Client::builder(DEFAULTS)
        .api_key(SECRET)
        .max_retries(5)
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap();
    assert_eq!(c.retry_policy().max_retries, 5);
    let fast = c.with_retry_policy(RetryPolicy::none());
    assert_eq!(fast.retry_policy().max_retries, 0);
    assert_eq!(c.retry_policy().max_retries, 5);
    assert_eq!(
        c.with_timeout(Duration::from_secs(1)).timeout(),
        Duration::from_secs(1)
    );
    assert_eq!(c.deadline(), None);
    assert_eq!(
        c.with_deadline(Duration::from_secs(9)).deadline(),
        Some(Duration::from_secs(9))
    );
    assert_eq!(c.max_response_body(), DEFAULT_MAX_RESPONSE_BODY);
    let small = Client::builder(DEFAULTS)
        .api_key(SECRET)
        .deadline(Duration::from_secs(3))
        .max_response_body(1024)
        .build()
        .unwrap();
    assert_eq!(small.deadline(), Some(Duration::from_secs(3)));
    assert_eq!(small.max_response_body(), 1024);
}

#[test]
fn client_is_send_sync_clone() {
    fn check<T: Send + Sync + Clone + 'static>() {}
    check::<Client>();
}
