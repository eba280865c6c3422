use super::{built, encode};
use crate::bodies::{Client, Note, PatchNoteRequest};

fn client() -> Client {
    built(Client::builder())
}

#[test]
fn a_required_body_is_always_sent() {
    let client = client();
    let debug = format!("{:?}", client.create_note(&Note::new("hello")));
    assert!(debug.contains("has_body: true"), "{debug}");
    // A body declared in `components.requestBodies`, an array.
    let debug = format!(
        "{:?}",
        client.import_notes(&[Note::new("a"), Note::new("b")])
    );
    assert!(debug.contains("has_body: true"), "{debug}");
    assert!(debug.contains("PUT"), "{debug}");
}

#[test]
fn an_optional_body_may_be_left_out() {
    let client = client();
    let without = format!("{:?}", client.touch_note("n", None));
    assert!(without.contains("has_body: false"), "{without}");
    let with = format!("{:?}", client.touch_note("n", Some(&Note::new("x"))));
    assert!(with.contains("has_body: true"), "{with}");
}

#[test]
fn a_json_suffix_media_type_is_json() {
    // `application/merge-patch+json`: an inline body type, where null clears a field.
    let patch = PatchNoteRequest::new().text(None);
    assert_eq!(encode(&patch), r#"{"text":null}"#);
    assert_eq!(encode(&PatchNoteRequest::new()), "{}");
    let debug = format!("{:?}", client().patch_note("n", Some(&patch)));
    assert!(
        debug.contains("PATCH") && debug.contains("has_body: true"),
        "{debug}"
    );
}

#[test]
fn a_paginated_search_with_a_body_streams_with_that_body() {
    use crate::bodies::{PageStream, SearchNotesParams};
    let note = Note::new("needle");
    let first_page = format!(
        "{:?}",
        client().search_notes(&note, SearchNotesParams::new().cursor("c1"))
    );
    assert!(first_page.contains("has_body: true"), "{first_page}");
    assert!(first_page.contains(r#"("cursor", "c1")"#), "{first_page}");
    // The stream takes the same arguments; building it sends nothing.
    let _stream: PageStream<Note, _> =
        client().search_notes_stream(&note, SearchNotesParams::new());
    // The operation whose own name collides with the stream method is numbered instead.
    let other = format!("{:?}", client().search_notes_stream_2());
    assert!(other.contains("/notes/search/all"), "{other}");
}
