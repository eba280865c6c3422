//! `application/x-www-form-urlencoded` bodies.

use std::borrow::Cow;

use serde::Serialize;
use serde_json::Value;

use crate::param::{Style, pairs, to_value};

/// How one property of a form body is written, when the spec's `encoding` says so.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FormField {
    /// The property's name on the wire.
    pub name: &'static str,
    /// Its style.
    pub style: Style,
}

/// The encoded body. A property without an encoding is written as OpenAPI's default
/// (`form`, exploded) when it is a scalar or an array, and in brackets (`a[x]=1`) when it is
/// an object: spreading an object's keys among the body's own would lose which is which.
pub(crate) fn form_bytes<B: Serialize + ?Sized>(
    body: &B,
    fields: &[FormField],
) -> Result<Vec<u8>, String> {
    let value = to_value("body", body)?;
    let Value::Object(map) = value else {
        return Err("a form body must serialize to an object".to_owned());
    };
    let mut out = form_urlencoded::Serializer::new(String::new());
    for (key, v) in map {
        let style = match fields.iter().find(|f| f.name == key) {
            Some(field) => field.style,
            None if v.is_object() => Style::DeepObject,
            None => Style::Form { explode: true },
        };
        for (name, text) in pairs(Cow::Owned(key), &v, style) {
            out.append_pair(&name, &text.joined());
        }
    }
    Ok(out.finish().into_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn decoded(body: Value, fields: &[FormField]) -> Vec<(String, String)> {
        let bytes = form_bytes(&body, fields).unwrap();
        form_urlencoded::parse(&bytes).into_owned().collect()
    }

    #[test]
    fn nested_objects_are_bracketed_and_arrays_repeat() {
        let pairs = decoded(
            json!({"amount": 2000, "metadata": {"order_id": "6735"}, "tags": ["a", "b"]}),
            &[],
        );
        let expected: Vec<(String, String)> = [
            ("amount", "2000"),
            ("metadata[order_id]", "6735"),
            ("tags", "a"),
            ("tags", "b"),
        ]
        .iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect();
        assert_eq!(pairs, expected);
    }

    #[test]
    fn the_spec_encoding_wins() {
        let fields = [FormField {
            name: "expand",
            style: Style::DeepObject,
        }];
        let bytes = form_bytes(&json!({"expand": ["customer"]}), &fields).unwrap();
        assert_eq!(String::from_utf8(bytes).unwrap(), "expand%5B%5D=customer");
        assert!(form_bytes(&json!([1]), &[]).is_err());
    }
}
