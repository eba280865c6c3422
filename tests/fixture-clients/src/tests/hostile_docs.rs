//! The point of this fixture is that its docs build without warnings and run no doctest; at run
//! time it only needs to work like any other client.

use super::{BASE_URL, round_trip};
use crate::hostile_docs::{Client, GetNoteFormat, GetNoteParams, Note};

#[test]
fn values_that_look_like_markup_are_plain_values() {
    for (wire, variant) in [
        ("<html>", GetNoteFormat::Html),
        ("*/", GetNoteFormat::Value),
        ("[x]", GetNoteFormat::X),
    ] {
        assert_eq!(GetNoteFormat::from(wire), variant);
        assert_eq!(variant.as_str(), wire);
    }
    let note: Note = round_trip(r#"{"body":"</b> [x] */ \\","author":"<me@example.com>"}"#);
    assert_eq!(note.body, "</b> [x] */ \\");
}

#[test]
fn the_client_works() {
    let client = Client::builder()
        .api_key("k")
        .base_url(BASE_URL)
        .build()
        .expect("builds");
    let debug = format!(
        "{:?}",
        client.get_note("n", GetNoteParams::new().format(GetNoteFormat::Value))
    );
    assert!(debug.contains(r#"query: [("format", "*/")]"#), "{debug}");
}
