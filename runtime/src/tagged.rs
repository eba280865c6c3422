//! Decoding unions chosen by a tag property: the part every generated tagged union and webhook
//! enum shares, reading the tag before the variant is picked.

use serde::de::Error;
use serde_json::Value;

/// The string value of property `tag` of `value`: a missing tag is serde's "missing field",
/// a tag that is not a string says so.
pub fn tag_of<E: Error>(value: &Value, tag: &'static str) -> Result<String, E> {
    match value.get(tag) {
        Some(Value::String(found)) => Ok(found.clone()),
        Some(_) => Err(E::custom(format_args!("`{tag}` must be a string"))),
        None => Err(E::missing_field(tag)),
    }
}

#[cfg(test)]
mod tests {
    use super::tag_of;
    use serde_json::json;

    #[test]
    fn the_tag_is_read_or_its_absence_named() {
        let tag = |v| tag_of::<serde_json::Error>(&v, "type").map_err(|e| e.to_string());
        assert_eq!(tag(json!({"type": "card"})), Ok("card".to_owned()));
        assert_eq!(
            tag(json!({"type": 1})),
            Err("`type` must be a string".to_owned())
        );
        assert_eq!(tag(json!({})), Err("missing field `type`".to_owned()));
    }
}
