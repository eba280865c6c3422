// These tests use deprecated items on purpose.
#![allow(deprecated)]

use super::{BASE_URL, round_trip};
use crate::deprecated::{Client, LegacyCreateParams, OldMode, OldThing, OldUnion, Thing};

#[test]
fn deprecated_things_still_work() {
    let thing: Thing = round_trip(
        r#"{"name":"n","legacyName":"l","nickname":"k","old":{"name":"o"},"mode":"fast","tags":["t"],"either":"s","modes":["slow","turbo"]}"#,
    );
    assert_eq!(thing.legacy_name, "l");
    assert_eq!(thing.old, Some(OldThing::new("o")));
    assert_eq!(thing.either, Some(OldUnion::String("s".to_owned())));
    assert_eq!(
        thing.modes,
        Some(vec![OldMode::Slow, OldMode::Unknown("turbo".to_owned())])
    );
    let built = Thing::new("n", "l").nickname("k").mode(OldMode::Fast);
    assert_eq!(built.nickname.as_deref(), Some("k"));
}

#[test]
fn a_deprecated_operation_still_builds_its_request() {
    let client = Client::builder()
        .api_key("k")
        .base_url(BASE_URL)
        .build()
        .expect("builds");
    let call = client.legacy_create(
        &OldMode::Slow,
        &OldThing::new("x"),
        LegacyCreateParams::new().flavour("f").style(OldMode::Fast),
    );
    let debug = format!("{call:?}");
    assert!(
        debug.contains(r#"query: [("mode", "slow"), ("flavour", "f"), ("style", "fast")]"#),
        "{debug}"
    );
}
