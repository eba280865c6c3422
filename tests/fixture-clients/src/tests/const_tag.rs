use super::{decode_error, round_trip};
use crate::const_tag::{Event, EventVariant2};

#[test]
fn a_required_single_value_property_acts_as_the_tag() {
    let created: Event = round_trip(r#"{"kind":"created","id":"e1"}"#);
    assert!(
        matches!(&created, Event::Created(c) if c.id == "e1"),
        "{created:?}"
    );
    // The tag value comes through a `$ref` to a one-value enum.
    let deleted: Event = round_trip(r#"{"id":"e2","kind":"deleted","at":"2026-06-10T00:00:00Z"}"#);
    assert!(
        matches!(&deleted, Event::Deleted(d) if d.kind == "deleted"),
        "{deleted:?}"
    );
    let archived: Event = round_trip(r#"{"kind":"archived","reason":"old"}"#);
    assert!(
        matches!(&archived, Event::EventVariant2(EventVariant2 { reason, .. }) if reason == "old"),
        "{archived:?}"
    );
}

#[test]
fn the_tag_is_read_before_the_shape() {
    // Fits `Created` by shape, but says `deleted`.
    let deleted: Event = round_trip(r#"{"kind":"deleted","id":"e3"}"#);
    assert!(matches!(deleted, Event::Deleted(_)), "{deleted:?}");
    let error = decode_error::<Event>(r#"{"kind":"archived","id":"e3"}"#);
    assert!(error.contains("missing field `reason`"), "{error}");
}

#[test]
fn an_unknown_kind_is_kept_and_a_missing_one_named() {
    let exploded: Event = round_trip(r#"{"kind":"exploded","id":"e4"}"#);
    assert_eq!(exploded.unknown().and_then(|u| u.tag()), Some("exploded"));
    let error = decode_error::<Event>(r#"{"id":"e4"}"#);
    assert!(error.contains("missing field `kind`"), "{error}");
}

#[test]
fn lists_of_tagged_values_decode() {
    let events: Vec<Event> = round_trip(
        r#"[{"kind":"created","id":"1"},{"kind":"archived","reason":"r"},{"kind":"deleted","id":"2"}]"#,
    );
    assert_eq!(events.len(), 3);
}
