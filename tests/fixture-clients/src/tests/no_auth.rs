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
