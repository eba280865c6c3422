use super::{BASE_URL, round_trip};
use crate::no_auth::{Client, GetStatusResponse};

#[test]
fn a_client_for_an_api_without_auth_needs_no_key() {
    // `NO_API_KEY` is not set in the test environment, and must not be needed.
    let client = Client::builder()
        .base_url(BASE_URL)
        .build()
        .expect("builds without an API key");
    let debug = format!("{:?}", client.get_status());
    assert!(
        debug.contains(r#"url: Ok("http://127.0.0.1:9/v1/status")"#),
        "{debug}"
    );
    let status: GetStatusResponse = round_trip(r#"{"ok":true}"#);
    assert!(status.ok);
}

/// The spec declares no version header: the client sends none, and refuses a version it has
/// no header for rather than inventing one.
#[tokio::test]
async fn a_client_for_an_api_without_a_version_header_sends_no_version() {
    let server = super::recorder().await;
    server.reply(commet_fake::wire::WireReply::json(200, r#"{"ok":true}"#));
    let client = Client::builder()
        .base_url(server.url("/v1"))
        .build()
        .expect("builds");
    assert!(client.get_status().await.expect("answered").ok);
    let request = server.only_request();
    assert_eq!(request.header("commet-version"), None);

    let refused = Client::builder()
        .base_url(BASE_URL)
        .api_version("2026-06-10")
        .build()
        .expect_err("no header to send the version in");
    assert!(
        refused.to_string().contains("declares no header"),
        "{refused}"
    );
}
