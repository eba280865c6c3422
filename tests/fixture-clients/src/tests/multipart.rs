use std::collections::BTreeMap;

use commet_fake::wire::{WireReply, WireRequest};
use commet_runtime::Bytes;
use commet_runtime::futures_util::stream;

use super::{recorder, wired};
use crate::multipart::{Client, FilePart, Upload, UploadFileRequest, UploadFileRequestPurpose};

/// The boundary from the request's `Content-Type`, and the body split into its parts (each
/// still holding its headers), checking the framing on the way.
fn parts(request: &WireRequest) -> Vec<String> {
    let content_type = request.header("content-type").expect("a content type");
    let boundary = content_type
        .strip_prefix("multipart/form-data; boundary=")
        .unwrap_or_else(|| panic!("not multipart: {content_type}"));
    let body = request.body_text();
    let delimiter = format!("--{boundary}");
    let closing = format!("{delimiter}--\r\n");
    assert!(body.starts_with(&delimiter), "{body}");
    assert!(body.ends_with(&closing), "{body}");
    body[..body.len() - closing.len()]
        .split(&delimiter)
        .skip(1)
        .map(|part| {
            let part = part.strip_prefix("\r\n").expect("CRLF after the boundary");
            part.strip_suffix("\r\n")
                .expect("CRLF before the boundary")
                .to_owned()
        })
        .collect()
}

#[tokio::test]
async fn parts_carry_their_names_file_names_and_types() {
    let server = recorder().await;
    server.reply(WireReply::json(201, r#"{"id":"file_1","size":9}"#));
    let client = wired(Client::builder(), &server);
    let body = UploadFileRequest::new(
        FilePart::bytes(&b"%PDF-1.7\n"[..]).file_name("evidence.pdf"),
        UploadFileRequestPurpose::DisputeEvidence,
    )
    .labels(BTreeMap::from([("case".to_owned(), "42".to_owned())]))
    .notes(vec!["first".to_owned(), "second".to_owned()])
    .thumbnail(
        FilePart::bytes(&[0x89, b'P', b'N', b'G'][..])
            .file_name("thumb.png")
            .content_type("image/x-custom"),
    );
    let file = client.upload_file(body).await.expect("sent");
    assert_eq!(file.size, Some(9));

    let request = server.only_request();
    assert_eq!(request.path(), "/v1/files");
    assert!(!request.chunked, "bytes in memory have a length");
    assert_eq!(
        parts(&request),
        [
            "Content-Disposition: form-data; name=\"file\"; filename=\"evidence.pdf\"\r\n\
             Content-Type: application/pdf\r\n\r\n%PDF-1.7\n",
            "Content-Disposition: form-data; name=\"purpose\"\r\n\r\ndispute_evidence",
            "Content-Disposition: form-data; name=\"labels\"\r\n\
             Content-Type: application/json\r\n\r\n{\"case\":\"42\"}",
            "Content-Disposition: form-data; name=\"notes\"\r\n\r\nfirst",
            "Content-Disposition: form-data; name=\"notes\"\r\n\r\nsecond",
            "Content-Disposition: form-data; name=\"thumbnail\"; filename=\"thumb.png\"\r\n\
             Content-Type: image/x-custom\r\n\r\n\u{fffd}PNG",
        ]
    );
}

#[tokio::test]
async fn a_file_part_can_be_a_stream() {
    let server = recorder().await;
    server.reply(WireReply::json(201, r#"{"id":"file_2"}"#));
    let client = wired(Client::builder(), &server);
    let chunks =
        stream::iter(["page one, ", "page two"].map(|c| Ok::<_, std::io::Error>(Bytes::from(c))));
    let body = UploadFileRequest::new(
        FilePart::from(Upload::stream(chunks)).file_name("big.pdf"),
        UploadFileRequestPurpose::IdentityDocument,
    );
    client.upload_file(body).await.expect("sent");

    let request = server.only_request();
    assert!(request.chunked, "a stream is sent as it is read");
    let parts = parts(&request);
    assert_eq!(
        parts[0],
        "Content-Disposition: form-data; name=\"file\"; filename=\"big.pdf\"\r\n\
         Content-Type: application/pdf\r\n\r\npage one, page two"
    );
    assert_eq!(
        parts[1],
        "Content-Disposition: form-data; name=\"purpose\"\r\n\r\nidentity_document"
    );
}
