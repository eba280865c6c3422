//! The document as a `serde_json::Value`, read from YAML or JSON by one visitor that notices
//! what a plain `Value` would lose or refuse: integers beyond 64 bits (valid YAML, and written by
//! some generators as `minimum: -9223372036854776000`), numbers that are not finite, and keys
//! given twice. Each becomes a located diagnostic instead of a failed load or a silent
//! choice: a warning where the meaning survives, an error for a repeated key (readers disagree
//! on which value wins).

use std::cell::RefCell;
use std::fmt;

use serde::de::{DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Number, Value};

use super::place::Place;
use crate::diagnostic::Diagnostic;

/// Notes taken while reading, keyed by JSON pointer.
pub(super) type Notes = RefCell<Vec<Diagnostic>>;

/// Reads one node at `place`.
pub(super) struct Node<'n> {
    place: Place<'n>,
    notes: &'n Notes,
}

impl Node<'_> {
    fn warn(&self, message: String, help: &str) {
        self.notes
            .borrow_mut()
            .push(Diagnostic::warning(self.place.pointer(), message).with_help(help));
    }

    /// An integer no 64-bit type holds, as the nearest float: a bound or an example, where
    /// the float means the same to every reader of the client.
    fn wide_integer(&self, text: String, float: f64) -> Value {
        self.warn(
            format!("the integer {text} is beyond the 64-bit range; it is read as {float:e}"),
            "write a number within the range of i64 or u64, or quote it to keep every digit",
        );
        Number::from_f64(float).map_or(Value::Null, Value::Number)
    }
}

impl<'de> DeserializeSeed<'de> for Node<'_> {
    type Value = Value;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Node<'_> {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON-compatible value")
    }

    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }

    fn visit_i128<E>(self, v: i128) -> Result<Value, E> {
        Ok(match i64::try_from(v) {
            Ok(small) => Value::Number(small.into()),
            Err(_) => self.wide_integer(v.to_string(), v as f64),
        })
    }

    fn visit_u128<E>(self, v: u128) -> Result<Value, E> {
        Ok(match u64::try_from(v) {
            Ok(small) => Value::Number(small.into()),
            Err(_) => self.wide_integer(v.to_string(), v as f64),
        })
    }

    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(match Number::from_f64(v) {
            Some(n) => Value::Number(n),
            None => {
                self.warn(
                    format!("{v} is not a number JSON can hold; it is read as null"),
                    "use a finite number, or quote the value to keep it as text",
                );
                Value::Null
            }
        })
    }

    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_owned()))
    }

    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_any(self)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element_seed(Node {
            place: Place::Index(&self.place, items.len()),
            notes: self.notes,
        })? {
            items.push(item);
        }
        Ok(Value::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut object = Map::new();
        // A key is text even when YAML reads it as a number (`200:` under `responses`).
        while let Some(key) = map.next_key::<String>()? {
            let value = map.next_value_seed(Node {
                place: Place::Key(&self.place, &key),
                notes: self.notes,
            })?;
            if object.contains_key(&key) {
                // Readers disagree on which value wins, so the document means nothing sure.
                let at = Place::Key(&self.place, &key).pointer();
                self.notes.borrow_mut().push(
                    Diagnostic::error(&at, format!("the key `{key}` is given twice"))
                        .with_help("remove one of the two entries"),
                );
            }
            object.insert(key, value);
        }
        Ok(Value::Object(object))
    }
}

/// Reads a YAML document.
pub(super) fn from_yaml(text: &str, notes: &Notes) -> Result<Value, serde_yaml::Error> {
    let node = Node {
        place: Place::Root,
        notes,
    };
    node.deserialize(serde_yaml::Deserializer::from_str(text))
}

/// Reads a JSON document.
pub(super) fn from_json(text: &str, notes: &Notes) -> Result<Value, serde_json::Error> {
    let node = Node {
        place: Place::Root,
        notes,
    };
    let mut deserializer = serde_json::Deserializer::from_str(text);
    let value = node.deserialize(&mut deserializer)?;
    deserializer.end()?;
    Ok(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn yaml(text: &str) -> (Value, Vec<Diagnostic>) {
        let notes = Notes::default();
        let value = from_yaml(text, &notes).expect("valid YAML");
        (value, notes.into_inner())
    }

    #[test]
    fn integers_beyond_64_bits_are_floats_with_a_located_warning() {
        let (value, notes) = yaml("a:\n  min: -9223372036854776000\n  max: 18446744073709551616\n");
        assert_eq!(value["a"]["min"].as_f64(), Some(-9.223372036854776e18));
        assert_eq!(value["a"]["max"].as_f64(), Some(1.8446744073709552e19));
        let pointers: Vec<&str> = notes.iter().map(|d| d.pointer.as_str()).collect();
        assert_eq!(pointers, ["/a/min", "/a/max"]);
    }

    #[test]
    fn the_64_bit_range_stays_integer() {
        let (value, notes) = yaml("- -9223372036854775808\n- 18446744073709551615\n- 1.5\n");
        assert_eq!(value[0].as_i64(), Some(i64::MIN));
        assert_eq!(value[1].as_u64(), Some(u64::MAX));
        assert_eq!(value[2].as_f64(), Some(1.5));
        assert!(notes.is_empty(), "{notes:?}");
    }

    #[test]
    fn duplicate_keys_are_errors() {
        let (_, notes) = yaml("x:\n  a: 1\n  a: 2\n");
        assert_eq!(notes.len(), 1);
        assert_eq!(notes[0].pointer, "/x/a");
        assert_eq!(notes[0].severity, crate::diagnostic::Severity::Error);
        let notes_json = Notes::default();
        let value = from_json(r#"{"a": 1, "a": [true]}"#, &notes_json).unwrap();
        assert_eq!(value["a"][0], true);
        assert_eq!(notes_json.into_inner().len(), 1);
    }

    #[test]
    fn numeric_keys_and_non_finite_numbers() {
        let (value, notes) = yaml("responses:\n  200: ok\nbad: .inf\n");
        assert_eq!(value["responses"]["200"], "ok");
        assert_eq!(value["bad"], Value::Null);
        assert_eq!(notes.len(), 1);
        assert_eq!(notes[0].pointer, "/bad");
    }

    #[test]
    fn trailing_json_is_an_error() {
        assert!(from_json("{} {}", &Notes::default()).is_err());
    }
}
