//! The value of a union alternative this version of the client doesn't know.
//!
//! APIs add alternatives to their unions (a payment-method type, an action kind) without
//! warning. A generated union keeps such a value in a hidden variant holding an
//! [`UnknownAlternative`] instead of failing the whole response, as open enums keep unknown
//! values: the tag it carried (for a union chosen by a tag) and the JSON exactly as received,
//! so users can log it or forward it, and it is written back unchanged when serialized.
//!
//! The variant is hidden so that a `match` still needs its `_` arm: when a later version of the
//! client knows the alternative, the value moves to its own variant and code written against
//! `unknown()` keeps compiling.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::Value;

/// An alternative of a union that this version of the client doesn't know: its tag, when the
/// union is chosen by one, and the JSON as received.
///
/// Read it through the union's `unknown()` method. Serializing it writes the JSON back as it
/// came (object keys in their order).
#[derive(Debug, Clone, PartialEq)]
pub struct UnknownAlternative(
    // Boxed, so the hidden variant never makes a union larger than its known alternatives.
    Box<Kept>,
);

#[derive(Debug, Clone, PartialEq)]
struct Kept {
    tag: Option<String>,
    raw: Value,
}

impl UnknownAlternative {
    /// A value of a tagged union whose tag is `tag`, a value none of the union's alternatives
    /// has. Generated code calls it.
    #[doc(hidden)]
    pub fn tagged(tag: impl Into<String>, raw: Value) -> Self {
        UnknownAlternative(Box::new(Kept {
            tag: Some(tag.into()),
            raw,
        }))
    }

    /// A value of an untagged union that matches none of its alternatives.
    fn untagged(raw: Value) -> Self {
        UnknownAlternative(Box::new(Kept { tag: None, raw }))
    }

    /// The value of the union's tag property (`"type": "klarna"` gives `Some("klarna")`);
    /// `None` for a union told apart by shape, which has no tag.
    pub fn tag(&self) -> Option<&str> {
        self.0.tag.as_deref()
    }

    /// The JSON as received, tag included.
    pub fn raw(&self) -> &Value {
        &self.0.raw
    }

    /// The JSON as received, tag included, taken out.
    pub fn into_raw(self) -> Value {
        self.0.raw
    }
}

impl Serialize for UnknownAlternative {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.0.raw.serialize(serializer)
    }
}

/// The last alternative an untagged union tries: any JSON value, kept as is.
impl<'de> Deserialize<'de> for UnknownAlternative {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Value::deserialize(deserializer).map(UnknownAlternative::untagged)
    }
}

/// A string as its text, anything else as its JSON: what an untagged union of scalars used as
/// a path or query parameter writes for a value it doesn't know.
impl fmt::Display for UnknownAlternative {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.0.raw {
            Value::String(text) => f.write_str(text),
            other => write!(f, "{other}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::UnknownAlternative;
    use serde_json::json;

    #[test]
    fn the_json_goes_back_out_as_it_came_in() {
        let text =
            r#"{"type":"paywithgoogle","zeta":1,"alpha":[true,null,"x"],"mid":{"b":2,"a":1}}"#;
        let kept: UnknownAlternative = serde_json::from_str(text).unwrap();
        assert_eq!(kept.tag(), None);
        assert_eq!(serde_json::to_string(&kept).unwrap(), text);
        let tagged = UnknownAlternative::tagged("paywithgoogle", kept.raw().clone());
        assert_eq!(tagged.tag(), Some("paywithgoogle"));
        assert_eq!(serde_json::to_string(&tagged).unwrap(), text);
        assert_eq!(tagged.into_raw()["mid"], json!({"b": 2, "a": 1}));
    }

    #[test]
    fn a_string_displays_as_its_text_and_anything_else_as_json() {
        let text: UnknownAlternative = serde_json::from_value(json!("name-7")).unwrap();
        assert_eq!(text.to_string(), "name-7");
        let number: UnknownAlternative = serde_json::from_value(json!([1, 2])).unwrap();
        assert_eq!(number.to_string(), "[1,2]");
    }

    #[test]
    fn it_stays_one_pointer_wide() {
        assert_eq!(
            std::mem::size_of::<UnknownAlternative>(),
            std::mem::size_of::<usize>()
        );
    }
}
