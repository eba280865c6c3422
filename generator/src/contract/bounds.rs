//! The document as the mocks are given it: the published one, with the bounds its integer
//! formats imply written out.
//!
//! Prism makes its dynamic answers with a JSON Schema faker that knows `minimum` and `maximum`
//! but not OpenAPI's integer formats, so a `format: uint16` count comes back as 4,000,000, which
//! the client rightly refuses to decode into a `u16`. The format already says the range; writing
//! it out as `minimum`/`maximum` (where the document gives none of its own) changes nothing a
//! valid instance may be, and lets the mock keep to it. Nothing else is touched.

use serde_json::{Value, json};

/// The range each integer format allows.
fn range(format: &str) -> Option<(Value, Option<Value>)> {
    Some(match format {
        "int8" => (json!(i8::MIN), Some(json!(i8::MAX))),
        "uint8" => (json!(0), Some(json!(u8::MAX))),
        "int16" => (json!(i16::MIN), Some(json!(i16::MAX))),
        "uint16" => (json!(0), Some(json!(u16::MAX))),
        "int32" => (json!(i32::MIN), Some(json!(i32::MAX))),
        "uint32" => (json!(0), Some(json!(u32::MAX))),
        // A maximum past 2^53 means nothing to a JavaScript mock: only the sign is written.
        "uint64" | "uint" => (json!(0), None),
        _ => return None,
    })
}

fn is_integer(node: &serde_json::Map<String, Value>) -> bool {
    match node.get("type") {
        Some(Value::String(t)) => t == "integer",
        Some(Value::Array(types)) => types.iter().any(|t| t == "integer"),
        _ => false,
    }
}

/// Writes out the bounds every integer format in `document` implies, in place, and says how
/// many it wrote.
pub fn write_out_integer_bounds(document: &mut Value) -> usize {
    let mut written = 0;
    let mut stack = vec![document];
    while let Some(node) = stack.pop() {
        match node {
            Value::Object(map) => {
                let bounds = map
                    .get("format")
                    .and_then(Value::as_str)
                    .filter(|_| is_integer(map))
                    .and_then(range);
                if let Some((min, max)) = bounds {
                    // A document's own bound, exclusive ones included, is kept as written.
                    if !map.contains_key("minimum") && !map.contains_key("exclusiveMinimum") {
                        map.insert("minimum".to_owned(), min);
                        written += 1;
                    }
                    if let Some(max) = max
                        && !map.contains_key("maximum")
                        && !map.contains_key("exclusiveMaximum")
                    {
                        map.insert("maximum".to_owned(), max);
                        written += 1;
                    }
                }
                stack.extend(map.values_mut());
            }
            Value::Array(items) => stack.extend(items.iter_mut()),
            _ => {}
        }
    }
    written
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_give_bounds_and_a_documents_own_are_kept() {
        let mut doc = json!({
            "a": {"type": "integer", "format": "uint16"},
            "b": {"type": "integer", "format": "uint8", "maximum": 9},
            "c": {"type": ["integer", "null"], "format": "int32"},
            "d": {"type": "integer", "format": "uint64"},
            "e": {"type": "string", "format": "uint16"},
            "f": [{"type": "integer", "format": "int8", "exclusiveMinimum": 0}],
        });
        assert_eq!(write_out_integer_bounds(&mut doc), 7);
        assert_eq!(
            doc["a"],
            json!({"type": "integer", "format": "uint16", "minimum": 0, "maximum": 65535})
        );
        assert_eq!(doc["b"]["maximum"], 9);
        assert_eq!(doc["b"]["minimum"], 0);
        assert_eq!(doc["c"]["minimum"], i32::MIN);
        assert_eq!(
            doc["d"],
            json!({"type": "integer", "format": "uint64", "minimum": 0})
        );
        assert_eq!(doc["e"], json!({"type": "string", "format": "uint16"}));
        assert_eq!(doc["f"][0].get("minimum"), None);
        assert_eq!(doc["f"][0]["maximum"], 127);
    }
}
