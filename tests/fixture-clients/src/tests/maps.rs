use std::collections::BTreeMap;

use commet_runtime::serde_json::{Value, json};

use super::{decode_error, round_trip};
use crate::maps::{Labels, Limit, Settings};

#[test]
fn every_kind_of_map_round_trips() {
    let settings: Settings = round_trip(
        r#"{
            "labels": {"env": "prod", "team": "payments"},
            "counts": {"a": 1, "b": -2},
            "anything": {"n": 1, "s": "x", "l": [true, null], "o": {"deep": {}}},
            "freeForm": {"k": [1, 2]},
            "untyped": [1, "two"],
            "limits": {"daily": {"max": 10}},
            "windows": {"night": {"start": "2026-06-10T22:00:00Z"}},
            "nested": {"outer": {"inner": true}}
        }"#,
    );
    assert_eq!(settings.labels["team"], "payments");
    assert_eq!(settings.counts.as_ref().map(|c| c["b"]), Some(-2));
    let anything = settings.anything.as_ref().expect("anything");
    assert_eq!(anything["l"], json!([true, null]));
    assert_eq!(settings.free_form, Some(json!({"k": [1, 2]})));
    assert_eq!(settings.untyped, Some(json!([1, "two"])));
    assert_eq!(settings.limits.as_ref().map(|l| l["daily"].max), Some(10));
    let windows = settings.windows.as_ref().expect("windows");
    assert_eq!(
        windows["night"].start.to_rfc3339(),
        "2026-06-10T22:00:00+00:00"
    );
    assert_eq!(
        settings.nested.as_ref().map(|n| n["outer"]["inner"]),
        Some(true)
    );
}

#[test]
fn a_free_form_object_takes_any_json() {
    let settings: Settings = round_trip(r#"{"labels":{},"freeForm":"not even an object"}"#);
    assert_eq!(settings.free_form, Some(Value::from("not even an object")));
}

#[test]
fn typed_map_values_are_checked() {
    let error = decode_error::<Settings>(r#"{"labels":{"a":1}}"#);
    assert!(error.contains("expected a string"), "{error}");
    let error = decode_error::<Settings>(r#"{"labels":{},"limits":{"x":{}}}"#);
    assert!(error.contains("missing field `max`"), "{error}");
}

#[test]
fn a_map_component_is_a_plain_map_to_build() {
    let labels: Labels = BTreeMap::from([("b".to_owned(), "2".to_owned())]);
    let settings = Settings::new(labels)
        .limits(BTreeMap::from([("x".to_owned(), Limit::new(3))]))
        .anything(BTreeMap::from([("k".to_owned(), json!(null))]));
    assert_eq!(
        commet_runtime::serde_json::to_value(&settings).expect("encodes"),
        json!({"labels": {"b": "2"}, "limits": {"x": {"max": 3}}, "anything": {"k": null}})
    );
}
