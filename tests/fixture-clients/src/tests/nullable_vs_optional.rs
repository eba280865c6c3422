use super::{decode_error, encode, round_trip};
use crate::nullable_vs_optional::{Address, Place, Profile};

const MINIMAL: &str = r#"{"id":"p1","nickname":null,"age":null,"home":null}"#;

#[test]
fn optional_nullable_keeps_absent_null_and_value_apart() {
    let absent: Profile = round_trip(MINIMAL);
    assert_eq!(absent.website, None);
    let null: Profile =
        round_trip(r#"{"id":"p1","nickname":null,"age":null,"home":null,"website":null}"#);
    assert_eq!(null.website, Some(None));
    let value: Profile =
        round_trip(r#"{"id":"p1","nickname":null,"age":null,"home":null,"website":"w"}"#);
    assert_eq!(value.website, Some(Some("w".to_owned())));
}

#[test]
fn required_nullable_is_always_sent_even_as_null() {
    let profile = Profile::new("p1", None, None, None);
    assert_eq!(encode(&profile), MINIMAL);
    let profile = Profile::new("p1", Some("nick".to_owned()), Some(30), None);
    assert_eq!(
        encode(&profile),
        r#"{"id":"p1","nickname":"nick","age":30,"home":null}"#
    );
}

#[test]
fn optional_non_nullable_is_left_out_when_unset() {
    let profile = Profile::new("p1", None, None, None).bio("hi");
    assert_eq!(profile.bio.as_deref(), Some("hi"));
    assert!(encode(&profile).contains(r#""bio":"hi""#));
    assert!(!encode(&Profile::new("p1", None, None, None)).contains("bio"));
}

#[test]
fn setters_of_optional_nullable_fields_send_null_for_none() {
    let profile = Profile::new("p1", None, None, None)
        .website(None)
        .score(Some(0.5))
        .work(None)
        .billing(Some(Place::new("HQ")));
    let json = encode(&profile);
    assert!(json.contains(r#""website":null"#), "{json}");
    assert!(json.contains(r#""score":0.5"#), "{json}");
    assert!(json.contains(r#""work":null"#), "{json}");
    assert!(json.contains(r#""billing":{"name":"HQ"}"#), "{json}");
}

#[test]
fn a_ref_to_a_nullable_schema_is_nullable() {
    let profile: Profile = round_trip(
        r#"{"id":"p1","nickname":null,"age":null,"home":{"line1":"1 Main St","line2":null},"work":null}"#,
    );
    assert_eq!(
        profile.home.as_ref().map(|a| a.line1.as_str()),
        Some("1 Main St")
    );
    assert_eq!(profile.home.and_then(|a| a.line2), Some(None));
    assert_eq!(profile.work, Some(None));
    let address = Address::new("2 Side St").line2(Some("Flat 3".to_owned()));
    assert_eq!(
        encode(&address),
        r#"{"line1":"2 Side St","line2":"Flat 3"}"#
    );
}

#[test]
fn nullable_single_ref_all_of_is_nullable() {
    let profile: Profile =
        round_trip(r#"{"id":"p1","nickname":null,"age":null,"home":null,"billing":null}"#);
    assert_eq!(profile.billing, Some(None));
    let profile: Profile =
        round_trip(r#"{"id":"p1","nickname":null,"age":null,"home":null,"billing":{"name":"HQ"}}"#);
    assert_eq!(profile.billing, Some(Some(Place::new("HQ"))));
}

#[test]
fn null_elements_of_arrays_and_maps_decode() {
    let profile: Profile = round_trip(
        r#"{"id":"p1","nickname":null,"age":null,"home":null,"slots":["a",null],"gauges":{"x":null,"y":1.5}}"#,
    );
    assert_eq!(profile.slots, Some(vec![Some("a".to_owned()), None]));
    let gauges = profile.gauges.expect("gauges");
    assert_eq!(gauges["x"], None);
    assert_eq!(gauges["y"], Some(1.5));
}

#[test]
fn non_nullable_fields_reject_null_and_absence() {
    let error = decode_error::<Profile>(r#"{"nickname":null,"age":null,"home":null}"#);
    assert!(error.contains("missing field `id`"), "{error}");
    let error = decode_error::<Profile>(r#"{"id":null,"nickname":null,"age":null,"home":null}"#);
    assert!(error.contains("invalid type: null"), "{error}");
}

#[test]
fn null_for_an_optional_non_nullable_field_reads_as_absent() {
    // `Option<String>` reads `null` as absent: lenient, and it encodes back without the key.
    let profile: Profile = commet_runtime::serde_json::from_str(
        r#"{"id":"p1","nickname":null,"age":null,"home":null,"bio":null}"#,
    )
    .expect("decodes");
    assert_eq!(profile.bio, None);
    assert_eq!(encode(&profile), MINIMAL);
}
