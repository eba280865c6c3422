//! Answers real documents write: a redirect as the only success, a body-less success whose
//! server insists on its own media type. Checked on the wire.

use commet_fake::wire::WireReply;

use super::{recorder, wired};
use crate::unusual_answers::{Client, LoginRequest, UploadDocumentRequest};

#[tokio::test]
async fn a_documented_redirect_is_the_success_and_is_not_followed() {
    let server = recorder().await;
    let elsewhere = server.url("/elsewhere");
    server.reply(WireReply::status(303).header("location", elsewhere.clone()));
    let client: Client = wired(Client::builder(), &server);
    let answer = client
        .login(&LoginRequest::new("ada"))
        .send()
        .await
        .expect("a 303 is the login's success");
    assert_eq!(answer.status.as_u16(), 303);
    assert_eq!(
        answer.headers.get("location").and_then(|v| v.to_str().ok()),
        Some(elsewhere.as_str())
    );
    // One request: the redirect was not followed (it would carry the API key along).
    assert_eq!(server.only_request().target, "/v1/login");
}

#[tokio::test]
async fn a_redirect_where_the_document_promises_none_is_still_an_error() {
    let server = recorder().await;
    server.reply(WireReply::status(303).header("location", "https://elsewhere.test/"));
    let client: Client = wired(Client::builder(), &server);
    let error = client
        .upload_document(&UploadDocumentRequest::new())
        .await
        .expect_err("a 303 is no success of an upload");
    assert_eq!(error.status().map(|s| s.as_u16()), Some(303));
}

#[tokio::test]
async fn a_success_without_a_body_asks_for_the_media_type_the_server_insists_on() {
    let server = recorder().await;
    // The body of a 201 is ignored, whatever its type.
    server.reply(
        WireReply::status(201)
            .header("content-type", "text/html")
            .body("<p>ok</p>"),
    );
    let client: Client = wired(Client::builder(), &server);
    client
        .upload_document(&UploadDocumentRequest::new().name("n"))
        .await
        .expect("stored");
    // From the declared `Accept` parameter, which is no argument of the method.
    assert_eq!(
        server.only_request().header("accept"),
        Some("application/vnd.example.v1+json")
    );

    // From the media type its responses name.
    let server = recorder().await;
    server.reply(WireReply::status(202));
    let client: Client = wired(Client::builder(), &server);
    client.start_export().await.expect("started");
    assert_eq!(
        server.only_request().header("accept"),
        Some("application/problem+json")
    );
}
