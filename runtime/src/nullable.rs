//! Serde support for fields that are both optional and nullable.
//!
//! OpenAPI distinguishes a property that is absent from one that is `null`: in a request the
//! first usually means "leave as is" and the second "clear it". Generated code stores such a
//! field as `Option<Option<T>>` (`None` absent, `Some(None)` null, `Some(Some(v))` a value) and
//! names this module in `#[serde(default, skip_serializing_if = "Option::is_none", with = ...)]`.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Writes `Some(None)` as `null` and `Some(Some(v))` as `v`. `None` is skipped by the field's
/// `skip_serializing_if`, so it never reaches this function; if it does, it is written as `null`.
pub fn serialize<T: Serialize, S: Serializer>(
    value: &Option<Option<T>>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    match value {
        Some(Some(v)) => v.serialize(serializer),
        Some(None) | None => serializer.serialize_none(),
    }
}

/// Reads a present value: `null` becomes `Some(None)`. An absent field never calls this; the
/// field's `default` makes it `None`.
pub fn deserialize<'de, T: Deserialize<'de>, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<Option<T>>, D::Error> {
    Option::<T>::deserialize(deserializer).map(Some)
}

#[cfg(test)]
mod tests {
    use serde::{Deserialize, Serialize};

    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    struct Patch {
        #[serde(default, skip_serializing_if = "Option::is_none", with = "super")]
        note: Option<Option<String>>,
    }

    #[test]
    fn absent_null_and_value_stay_distinct() {
        let cases = [
            ("{}", None),
            (r#"{"note":null}"#, Some(None)),
            (r#"{"note":"hi"}"#, Some(Some("hi".to_owned()))),
        ];
        for (json, note) in cases {
            let parsed: Patch = serde_json::from_str(json).unwrap();
            assert_eq!(parsed, Patch { note: note.clone() }, "{json}");
            assert_eq!(serde_json::to_string(&parsed).unwrap(), json);
        }
    }
}
