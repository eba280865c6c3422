//! Bounds of integer schemas that `openapiv3` can't hold: it reads `minimum`, `maximum` and
//! `multipleOf` of an integer as `i64`, so a bound written as a float (`-9.2e18`, or a wide
//! integer the reader turned into one) or a `u64` beyond `i64::MAX` would fail the whole load.
//!
//! A float with an integral value in range becomes that integer. `2^63` is how a JavaScript
//! tool writes `i64::MAX` (it rounds to the nearest float), so it is read as `i64::MAX`. Any
//! other bound out of range is dropped with a warning: the client neither checks nor documents
//! it. The Rust type still comes from the format and the bounds as written: [`Fitted::restore`]
//! puts the originals back into the raw document once `openapiv3` has read its copy.

use serde_json::{Map, Number, Value};

use crate::diagnostic::{Diagnostic, child};

const BOUNDS: [&str; 3] = ["minimum", "maximum", "multipleOf"];

/// Keys whose values are data, not schemas: an example object may well have a `type` field.
const DATA_KEYS: [&str; 5] = ["example", "examples", "default", "enum", "const"];

/// `2^63`, the float nearest to `i64::MAX`.
const TWO_POW_63: f64 = 9_223_372_036_854_775_808.0;

/// What [`fit`] changed.
#[derive(Debug, Default)]
pub(super) struct Fitted {
    /// A warning for each bound that changed meaning.
    pub(super) warnings: Vec<Diagnostic>,
    /// Each changed bound as written: the schema's pointer, the keyword, the value.
    originals: Vec<(String, &'static str, Value)>,
}

impl Fitted {
    /// Puts the bounds back as written.
    pub(super) fn restore(self, doc: &mut Value) {
        for (at, key, value) in self.originals {
            if let Some(Value::Object(map)) = doc.pointer_mut(&at) {
                map.insert(key.to_owned(), value);
            }
        }
    }
}

/// Rewrites every integer schema's bounds into the `i64` range.
pub(super) fn fit(doc: &mut Value) -> Fitted {
    let mut fitted = Fitted::default();
    walk(doc, "", &mut fitted);
    fitted
}

fn walk(value: &mut Value, at: &str, fitted: &mut Fitted) {
    match value {
        Value::Object(map) => {
            if is_integer_schema(map) {
                fit_bounds(map, at, fitted);
            }
            for (key, v) in map.iter_mut() {
                if !DATA_KEYS.contains(&key.as_str()) && !key.starts_with("x-") {
                    walk(v, &child(at, key), fitted);
                }
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter_mut().enumerate() {
                walk(v, &child(at, &i.to_string()), fitted);
            }
        }
        _ => {}
    }
}

fn is_integer_schema(map: &Map<String, Value>) -> bool {
    match map.get("type") {
        Some(Value::String(t)) => t == "integer",
        Some(Value::Array(types)) => types.iter().any(|t| t == "integer"),
        _ => false,
    }
}

fn fit_bounds(map: &mut Map<String, Value>, at: &str, fitted: &mut Fitted) {
    let diags = &mut fitted.warnings;
    // A `uint64`, or an integer that can't be negative, is a `u64` to the lowering.
    let unsigned_64 = map.get("format").and_then(Value::as_str) == Some("uint64")
        || map
            .get("minimum")
            .and_then(Value::as_f64)
            .is_some_and(|m| m >= 0.0);
    for key in BOUNDS {
        let Some(Value::Number(n)) = map.get(key) else {
            continue;
        };
        if n.is_i64() {
            continue;
        }
        let pointer = child(at, key);
        let float = n.as_f64().unwrap_or(f64::NAN);
        let into_i64 = match n.as_u64() {
            _ if key == "maximum" && float == TWO_POW_63 => {
                diags.push(
                    Diagnostic::warning(
                        &pointer,
                        format!("`maximum` {n} is read as i64::MAX, the value it rounds"),
                    )
                    .with_help("write 9223372036854775807, or leave the bound out"),
                );
                Some(i64::MAX)
            }
            // The type's own upper limit says nothing the type doesn't.
            Some(u64::MAX) if unsigned_64 => None,
            // Integral and in range: `-2^63` is `i64::MIN` exactly.
            None if float.fract() == 0.0 && (-TWO_POW_63..TWO_POW_63).contains(&float) => {
                Some(float as i64)
            }
            _ => {
                diags.push(dropped(&pointer, key, n));
                None
            }
        };
        let original = match into_i64 {
            Some(v) => map.insert(key.to_owned(), Value::Number(v.into())),
            None => map.remove(key),
        };
        if let Some(original) = original {
            fitted.originals.push((at.to_owned(), key, original));
        }
    }
}

fn dropped(pointer: &str, key: &str, n: &Number) -> Diagnostic {
    Diagnostic::warning(
        pointer,
        format!("`{key}` {n} of an integer is outside the i64 range; the bound is ignored"),
    )
    .with_help("write a bound within i64, or leave it out: the format still picks the Rust type")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn bounds_fit_i64_or_go_with_a_warning() {
        let mut doc = json!({"components": {"schemas": {
            "A": {"type": "integer", "minimum": -9.223372036854776e18, "maximum": 9223372036854776000u64},
            "B": {"type": "integer", "format": "uint64", "maximum": 18446744073709551615u64},
            "C": {"type": ["integer", "null"], "minimum": 1.0, "maximum": 1e30},
            "D": {"type": "object", "example": {"type": "integer", "minimum": 1e30}},
        }}});
        let written = doc.clone();
        let fitted = fit(&mut doc);
        let s = &doc["components"]["schemas"];
        assert_eq!(s["A"]["minimum"], json!(i64::MIN));
        assert_eq!(s["A"]["maximum"], json!(i64::MAX));
        assert!(s["B"].get("maximum").is_none());
        assert_eq!(s["C"]["minimum"], json!(1));
        assert!(s["C"].get("maximum").is_none());
        // Examples are data, left as they are.
        assert_eq!(s["D"]["example"]["minimum"], json!(1e30));
        let pointers: Vec<&str> = fitted.warnings.iter().map(|d| d.pointer.as_str()).collect();
        assert_eq!(
            pointers,
            [
                "/components/schemas/A/maximum",
                "/components/schemas/C/maximum"
            ]
        );
        fitted.restore(&mut doc);
        assert_eq!(doc, written);
    }
}
