use commet_runtime::chrono::{Datelike, Timelike};

use super::{decode_error, round_trip};
use crate::formats::Sample;

const SAMPLE: &str = r#"{"at":"2026-06-10T12:30:45.123Z","day":"2026-06-10","id":"67e55044-10b1-426f-9247-bb680e5fe0c8","small":-2147483648,"big":9007199254740993,"plain":-1,"ratio":0.25}"#;

#[test]
fn formats_decode_into_their_types() {
    let sample: Sample = round_trip(SAMPLE);
    assert_eq!(sample.at.timestamp_subsec_millis(), 123);
    assert_eq!(sample.at.hour(), 12);
    assert_eq!(sample.day.month(), 6);
    assert_eq!(sample.id.get_version_num(), 4);
    assert_eq!(sample.small, i32::MIN);
    // int64 keeps integers past 2^53 exactly.
    assert_eq!(sample.big, 9_007_199_254_740_993);
    assert_eq!(sample.ratio, 0.25);
}

#[test]
fn string_formats_without_a_type_stay_strings() {
    let sample: Sample = round_trip(&SAMPLE.replace(
        "}",
        r#","email":"not checked","site":"also not","custom":"x","secret":"p","blob":"AA==","file":"raw","weirdInt":255,"single":1.5,"double":2.5,"maybeAt":null,"days":["2026-01-01"]}"#,
    ));
    assert_eq!(sample.email.as_deref(), Some("not checked"));
    // `uint8` is a `u8`: the whole range decodes, and one past it is an error (below).
    assert_eq!(sample.weird_int, Some(255));
    assert_eq!(sample.single, Some(1.5_f32));
    assert_eq!(sample.maybe_at, Some(None));
    assert_eq!(sample.days.map(|d| d.len()), Some(1));
}

#[test]
fn offsets_are_normalised_to_utc() {
    let sample: Sample = commet_runtime::serde_json::from_str(
        &SAMPLE.replace("2026-06-10T12:30:45.123Z", "2026-06-10T14:30:45.123+02:00"),
    )
    .expect("decodes");
    assert_eq!(sample.at.hour(), 12);
}

#[test]
fn out_of_range_and_malformed_values_are_rejected() {
    let error = decode_error::<Sample>(&SAMPLE.replace("-2147483648", "2147483648"));
    assert!(
        error.contains("invalid value: integer `2147483648`"),
        "{error}"
    );
    let error = decode_error::<Sample>(&SAMPLE.replace("2026-06-10\"", "10/06/2026\""));
    assert!(
        error.contains("input contains invalid characters") || error.contains("invalid"),
        "{error}"
    );
    let error = decode_error::<Sample>(&SAMPLE.replace("}", r#","weirdInt":256}"#));
    assert!(error.contains("invalid value: integer `256`"), "{error}");
    let error = decode_error::<Sample>(&SAMPLE.replace("67e55044", "zz"));
    assert!(
        error.contains("UUID") || error.contains("invalid"),
        "{error}"
    );
}
