use std::sync::Arc;

use commet_fake::wire::WireReply;
use commet_runtime::futures_util::{StreamExt, stream};
use commet_runtime::{Bytes, Error};
use tokio::sync::Notify;

use super::{recorder, wired};
use crate::binary_bodies::{Client, Upload};

#[tokio::test]
async fn a_binary_upload_sends_the_bytes_as_they_are() {
    let server = recorder().await;
    server.reply(WireReply::json(201, r#"{"id":"blob_1"}"#));
    let client = wired(Client::builder(), &server);
    let bytes: Vec<u8> = (0..=255).collect();
    let blob = client
        .put_blob("blob_1", bytes.clone())
        .await
        .expect("sent");
    assert_eq!(blob.id, "blob_1");

    let request = server.only_request();
    assert_eq!(
        (request.method.as_str(), request.path()),
        ("PUT", "/v1/blobs/blob_1")
    );
    assert_eq!(
        request.header("content-type"),
        Some("application/octet-stream")
    );
    assert_eq!(request.header("content-length"), Some("256"));
    assert_eq!(request.body, bytes);
}

#[tokio::test]
async fn a_streamed_upload_is_chunked_and_can_override_its_type() {
    let server = recorder().await;
    server.reply(WireReply::json(200, r#"{"id":"blob_2"}"#));
    let client = wired(Client::builder(), &server);
    let chunks = stream::iter(
        [&b"\x00\x01"[..], b"\x02\x03"].map(|c| Ok::<_, std::io::Error>(Bytes::from_static(c))),
    );
    client
        .put_blob("blob_2", Upload::stream(chunks).content_type("image/png"))
        .await
        .expect("sent");

    let request = server.only_request();
    assert!(request.chunked, "{request:?}");
    assert_eq!(request.header("content-type"), Some("image/png"));
    assert_eq!(request.body, [0, 1, 2, 3]);
}

#[tokio::test]
async fn text_goes_as_text_and_comes_back_as_a_string() {
    let server = recorder().await;
    server.reply(
        WireReply::status(200)
            .header("content-type", "text/plain; charset=utf-8")
            .body("note_1"),
    );
    let client = wired(Client::builder(), &server);
    let id = client.post_note("héllo\nworld").await.expect("sent");
    assert_eq!(id, "note_1");

    let request = server.only_request();
    assert_eq!(request.header("content-type"), Some("text/plain"));
    assert_eq!(request.header("accept"), Some("text/plain"));
    assert_eq!(request.body_text(), "héllo\nworld");
}

#[tokio::test]
async fn csv_and_html_downloads_are_strings() {
    let server = recorder().await;
    server
        .reply(
            WireReply::status(200)
                .header("content-type", "text/csv")
                .body("id,amount\r\npay_1,100\r\n"),
        )
        .reply(
            WireReply::status(200)
                .header("content-type", "text/html; charset=utf-8")
                .body("<h1>All good</h1>"),
        );
    let client = wired(Client::builder(), &server);
    assert_eq!(
        client.export_report().await.expect("csv"),
        "id,amount\r\npay_1,100\r\n"
    );
    assert_eq!(
        client.get_status_page().await.expect("html"),
        "<h1>All good</h1>"
    );
    let accepts: Vec<String> = server
        .requests()
        .iter()
        .map(|r| r.header("accept").unwrap_or_default().to_owned())
        .collect();
    assert_eq!(accepts, ["text/csv", "text/html"]);
}

#[tokio::test]
async fn a_pdf_downloads_as_bytes_from_a_path_with_a_suffix() {
    let server = recorder().await;
    let pdf = b"%PDF-1.7\n\xff\xfe binary".to_vec();
    server.reply(
        WireReply::status(200)
            .header("content-type", "application/pdf")
            .body(pdf.clone()),
    );
    let client = wired(Client::builder(), &server);
    let bytes = client.get_invoice_pdf("inv/1").await.expect("downloaded");
    assert_eq!(bytes, pdf);

    let request = server.only_request();
    // The variable is encoded whole, so its `/` can't leave the segment.
    assert_eq!(request.path(), "/v1/invoices/inv%2F1.pdf");
    assert_eq!(request.header("accept"), Some("application/pdf"));
}

#[tokio::test]
async fn a_download_streams_before_the_body_is_complete() {
    let server = recorder().await;
    let gate = Arc::new(Notify::new());
    server.reply(
        WireReply::status(200)
            .header("content-type", "application/zip")
            .chunks([b"first".to_vec(), b"second".to_vec()])
            .hold_after_first_chunk(Arc::clone(&gate)),
    );
    let client = wired(Client::builder(), &server);
    // `*/*`: any type is a match.
    let download = client
        .get_blob("blob_1")
        .download()
        .await
        .expect("the head");
    assert_eq!(download.status(), 200);
    let mut body = Box::pin(download.into_stream());
    // The server holds the rest back until the first chunk has arrived here.
    let first = body.next().await.expect("a chunk").expect("read");
    assert_eq!(first, "first");
    gate.notify_one();
    let mut rest = Vec::new();
    while let Some(chunk) = body.next().await {
        rest.extend_from_slice(&chunk.expect("read"));
    }
    assert_eq!(rest, b"second");
}

#[tokio::test]
async fn a_success_of_another_type_is_a_typed_error_that_names_both() {
    let server = recorder().await;
    server.reply(
        WireReply::status(200)
            .header("content-type", "text/html")
            .body("<html>login</html>"),
    );
    let client = wired(Client::builder(), &server);
    match client.get_invoice_pdf("inv_1").await {
        Err(Error::Decode(e)) => {
            assert!(
                e.message.contains("application/pdf") && e.message.contains("text/html"),
                "{e}"
            );
            assert_eq!(e.body, "<html>login</html>");
        }
        other => panic!("expected a decode error, got {other:?}"),
    }
}

#[tokio::test]
async fn bodiless_answers_and_several_success_statuses() {
    let server = recorder().await;
    server
        .reply(WireReply::status(204))
        .reply(WireReply::json(200, r#"{"id":"blob_1"}"#))
        .reply(WireReply::json(201, r#"{"id":"blob_1"}"#));
    let client = wired(Client::builder(), &server);
    let deleted = client.delete_blob("blob_1").send().await.expect("deleted");
    assert_eq!(deleted.status, 204);
    let replaced = client.put_blob("blob_1", "a").send().await.expect("put");
    let created = client.put_blob("blob_1", "b").send().await.expect("put");
    assert_eq!(
        (replaced.status.as_u16(), created.status.as_u16()),
        (200, 201)
    );
    assert_eq!(replaced.data, created.data);
    assert_eq!(server.requests()[0].method, "DELETE");
}

#[tokio::test]
async fn the_caller_chooses_among_the_offered_media_types() {
    let server = recorder().await;
    server
        .reply(WireReply::json(200, r#"{"id":"inv_1"}"#))
        .reply(
            WireReply::status(200)
                .header("content-type", "application/pdf")
                .body(b"%PDF".to_vec()),
        )
        .reply(
            WireReply::status(200)
                .header("content-type", "text/csv")
                .body("id\ninv_1\n"),
        );
    let client = wired(Client::builder(), &server);
    // JSON by default, and a method per other type.
    assert_eq!(client.get_invoice("inv_1").await.expect("json").id, "inv_1");
    assert_eq!(
        client.get_invoice_as_pdf("inv_1").await.expect("pdf"),
        &b"%PDF"[..]
    );
    assert_eq!(
        client.get_invoice_as_csv("inv_1").await.expect("csv"),
        "id\ninv_1\n"
    );
    let accepts: Vec<String> = server
        .requests()
        .iter()
        .map(|r| r.header("accept").unwrap_or_default().to_owned())
        .collect();
    assert_eq!(accepts, ["application/json", "application/pdf", "text/csv"]);
}
