//! A JSON value for every schema a contract call sends, taken from the document itself.
//!
//! The order is the document's word first: `example`, then the first of `examples`, then
//! `default`, then the first `enum` value; only when the document gives none of those is a
//! value made up, to satisfy the schema (its format, bounds, lengths and, where the pattern is
//! simple enough, its `pattern`). Values are built from the loaded document, not from the IR:
//! the IR keeps types, and a value the mock accepts needs the constraints the types dropped.
//!
//! Objects are built from their properties rather than taken from an object's `example`: a
//! shared schema's example is often a response (with `readOnly` fields), and a required-only
//! call must leave the optional ones out.

use serde_json::{Map, Value, json};

use super::pattern;

/// Which properties of an object a value carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fields {
    /// Only the required properties (and the required ones of nested objects).
    Required,
    /// Every property a request may carry (everything but `readOnly`).
    All,
}

/// How deep nested schemas are followed. Beyond it an optional property is left out and a
/// required one gets the simplest value its type allows, so a recursive schema ends.
const MAX_DEPTH: usize = 8;
/// How many `$ref`s in a row are followed before the chain is taken as a cycle.
const MAX_REF_HOPS: usize = 32;

/// Makes values from one loaded document.
pub struct Values<'a> {
    document: &'a Value,
}

impl<'a> Values<'a> {
    /// Values from `document` (the loaded document as JSON).
    pub fn new(document: &'a Value) -> Self {
        Self { document }
    }

    /// The node a local `$ref` chain ends at (the node itself when it is no reference). A
    /// reference that leads nowhere gives `Value::Null`, which makes the simplest values.
    pub fn resolve(&self, node: &'a Value) -> &'a Value {
        let mut node = node;
        for _ in 0..MAX_REF_HOPS {
            match node.get("$ref").and_then(Value::as_str) {
                Some(reference) => match reference
                    .strip_prefix('#')
                    .and_then(|p| self.document.pointer(p))
                {
                    Some(target) => node = target,
                    None => return &Value::Null,
                },
                None => return node,
            }
        }
        &Value::Null
    }

    /// A value of a parameter object: its own `example`/`examples` first, then its schema's.
    pub fn parameter(&self, parameter: &'a Value, fields: Fields) -> Value {
        let parameter = self.resolve(parameter);
        if let Some(v) = documented(parameter) {
            return v;
        }
        if let Some(v) = media_example(parameter) {
            return v;
        }
        let schema = parameter
            .get("schema")
            .or_else(|| {
                parameter
                    .get("content")
                    .and_then(Value::as_object)
                    .and_then(|c| c.values().next())
                    .and_then(|m| m.get("schema"))
            })
            .unwrap_or(&Value::Null);
        self.schema(schema, fields)
    }

    /// A value that satisfies `schema`.
    pub fn schema(&self, schema: &'a Value, fields: Fields) -> Value {
        self.value(schema, fields, 0)
    }

    fn value(&self, schema: &'a Value, fields: Fields, depth: usize) -> Value {
        // Only a required property that contains itself gets here: no finite instance has it.
        if depth > 2 * MAX_DEPTH {
            return Value::Object(Map::new());
        }
        let schema = self.resolve(schema);
        let Some(object) = schema.as_object() else {
            return Value::String("example".to_owned());
        };
        if let Some(all) = object.get("allOf").and_then(Value::as_array) {
            return self.all_of(schema, all, fields, depth);
        }
        for key in ["oneOf", "anyOf"] {
            if let Some(alternatives) = object.get(key).and_then(Value::as_array) {
                return self.alternative(schema, alternatives, fields, depth);
            }
        }
        let ty = schema_type(schema);
        if ty != Some("object")
            && ty != Some("array")
            && let Some(v) = documented(schema)
        {
            return v;
        }
        match ty {
            Some("object") => self.object(schema, fields, depth),
            Some("array") => self.array(schema, fields, depth),
            Some("integer") => integer(schema),
            Some("number") => number(schema),
            Some("boolean") => Value::Bool(true),
            Some("string") => string(schema),
            // A free-form schema takes anything; a string is the value every mock reads back.
            _ => Value::String("example".to_owned()),
        }
    }

    fn object(&self, schema: &'a Value, fields: Fields, depth: usize) -> Value {
        self.object_requiring(schema, &Value::Null, fields, depth)
    }

    /// An object of `schema`'s properties, with the `required` of `also` added (a
    /// constraint-only alternative beside them: `oneOf: [{required: [a]}, {required: [b]}]`).
    fn object_requiring(
        &self,
        schema: &'a Value,
        also: &Value,
        fields: Fields,
        depth: usize,
    ) -> Value {
        let required: Vec<&str> = [schema, also]
            .into_iter()
            .filter_map(|s| s.get("required").and_then(Value::as_array))
            .flatten()
            .filter_map(Value::as_str)
            .collect();
        let mut out = Map::new();
        if let Some(properties) = schema.get("properties").and_then(Value::as_object) {
            for (name, property) in properties {
                let resolved = self.resolve(property);
                if resolved.get("readOnly") == Some(&Value::Bool(true)) {
                    continue;
                }
                let is_required = required.contains(&name.as_str());
                let wanted = is_required || (fields == Fields::All && depth < MAX_DEPTH);
                if wanted {
                    let inner = if depth >= MAX_DEPTH {
                        Fields::Required
                    } else {
                        fields
                    };
                    out.insert(name.clone(), self.value(property, inner, depth + 1));
                }
            }
        }
        // A map: one entry when every property may be sent, or when it must have some.
        let min_properties = schema
            .get("minProperties")
            .and_then(Value::as_u64)
            .unwrap_or(0);
        if let Some(extra) = schema.get("additionalProperties").filter(|a| a.is_object())
            && out.is_empty()
            && (fields == Fields::All || min_properties > 0)
            && depth < MAX_DEPTH
        {
            out.insert("key".to_owned(), self.value(extra, fields, depth + 1));
        }
        Value::Object(out)
    }

    fn array(&self, schema: &'a Value, fields: Fields, depth: usize) -> Value {
        let min = schema.get("minItems").and_then(Value::as_u64).unwrap_or(0);
        let max = schema.get("maxItems").and_then(Value::as_u64);
        if depth >= MAX_DEPTH || max == Some(0) {
            return Value::Array(Vec::new());
        }
        let items = schema.get("items").unwrap_or(&Value::Null);
        let item = self.value(items, fields, depth + 1);
        let count = min.clamp(1, 16);
        Value::Array(vec![item; usize::try_from(count).unwrap_or(1)])
    }

    /// Every part's value, objects merged.
    fn all_of(&self, schema: &'a Value, parts: &'a [Value], fields: Fields, depth: usize) -> Value {
        let mut merged: Option<Value> = None;
        for part in parts {
            let v = self.value(part, fields, depth);
            merged = Some(match (merged, v) {
                (Some(Value::Object(mut a)), Value::Object(b)) => {
                    a.extend(b);
                    Value::Object(a)
                }
                (Some(first), _) => first,
                (None, v) => v,
            });
        }
        // Properties beside `allOf` belong to the same object.
        let own = schema
            .as_object()
            .is_some_and(|o| o.contains_key("properties"));
        match merged {
            Some(Value::Object(mut a)) if own => {
                if let Value::Object(b) = self.object(schema, fields, depth) {
                    a.extend(b);
                }
                Value::Object(a)
            }
            Some(v) => v,
            None => Value::Object(Map::new()),
        }
    }

    /// The first alternative that is not `null`, with the discriminator set to its name.
    fn alternative(
        &self,
        schema: &'a Value,
        alternatives: &'a [Value],
        fields: Fields,
        depth: usize,
    ) -> Value {
        let chosen = alternatives
            .iter()
            .find(|a| schema_type(self.resolve(a)) != Some("null"))
            .or(alternatives.first());
        let Some(chosen) = chosen else {
            return Value::Null;
        };
        let resolved = self.resolve(chosen);
        // An alternative that only constrains the properties beside it (no type, no
        // properties of its own) is those properties with its required ones.
        if schema.get("properties").is_some()
            && schema_type(resolved).is_none()
            && resolved.get("allOf").is_none()
            && documented(resolved).is_none()
        {
            return self.object_requiring(schema, resolved, fields, depth);
        }
        let mut v = self.value(chosen, fields, depth);
        // Properties beside `oneOf` belong to every alternative.
        if schema.get("properties").is_some()
            && let (Value::Object(a), Value::Object(b)) =
                (&mut v, self.object(schema, fields, depth))
        {
            for (k, value) in b {
                a.entry(k).or_insert(value);
            }
        }
        // The tag as the generated union reads it: what the alternative itself allows for the
        // property first (its enum, its const), then the mapping, then the component name.
        if let Some(discriminator) = schema.get("discriminator")
            && let Some(property) = discriminator.get("propertyName").and_then(Value::as_str)
            && let Value::Object(o) = &mut v
            && !self.fixes_property(resolved, property)
            && let Some(tag) = tag_value(discriminator, chosen)
        {
            o.insert(property.to_owned(), Value::String(tag));
        }
        v
    }
}

impl<'a> Values<'a> {
    /// Whether `schema` (or a part of its `allOf`) gives `property` a value of its own: an
    /// `enum`, a `const`, an `example` or a `default`.
    fn fixes_property(&self, schema: &'a Value, property: &str) -> bool {
        let own = schema
            .get("properties")
            .and_then(|p| p.get(property))
            .map(|p| self.resolve(p))
            .is_some_and(|p| documented(p).is_some());
        own || schema
            .get("allOf")
            .and_then(Value::as_array)
            .is_some_and(|parts| {
                parts
                    .iter()
                    .any(|part| self.fixes_property(self.resolve(part), property))
            })
    }
}

/// The tag that selects `chosen`: the mapping's key for its `$ref`, else its component name.
fn tag_value(discriminator: &Value, chosen: &Value) -> Option<String> {
    let reference = chosen.get("$ref").and_then(Value::as_str)?;
    if let Some(mapping) = discriminator.get("mapping").and_then(Value::as_object) {
        for (key, target) in mapping {
            let target = target.as_str().unwrap_or_default();
            if target == reference || reference.rsplit('/').next() == Some(target) {
                return Some(key.clone());
            }
        }
    }
    reference.rsplit('/').next().map(str::to_owned)
}

/// The schema's `type` (the first non-null one of a list), or what its keywords imply.
pub fn schema_type(schema: &Value) -> Option<&str> {
    match schema.get("type") {
        Some(Value::String(t)) => Some(t),
        Some(Value::Array(types)) => types
            .iter()
            .filter_map(Value::as_str)
            .find(|t| *t != "null")
            .or(Some("null")),
        _ if schema.get("properties").is_some() || schema.get("additionalProperties").is_some() => {
            Some("object")
        }
        _ if schema.get("items").is_some() => Some("array"),
        _ => None,
    }
}

/// What the document itself says a value is: `example`, the first `examples`, `default`, the
/// first `enum` value, `const`.
fn documented(node: &Value) -> Option<Value> {
    if let Some(v) = node.get("example") {
        return Some(v.clone());
    }
    match node.get("examples") {
        // A schema's `examples` (3.1) is a list of values.
        Some(Value::Array(list)) if !list.is_empty() => return Some(list[0].clone()),
        // A parameter's `examples` is a map of Example objects.
        Some(Value::Object(map)) => {
            if let Some(v) = map.values().find_map(|e| e.get("value")) {
                return Some(v.clone());
            }
        }
        _ => {}
    }
    if let Some(v) = node.get("default") {
        return Some(v.clone());
    }
    if let Some(first) = node
        .get("enum")
        .and_then(Value::as_array)
        .and_then(|e| e.iter().find(|v| !v.is_null()))
    {
        return Some(first.clone());
    }
    node.get("const").cloned()
}

/// The example of a parameter given as `content` (its one media type's `example`).
fn media_example(parameter: &Value) -> Option<Value> {
    let media = parameter
        .get("content")
        .and_then(Value::as_object)?
        .values()
        .next()?;
    documented(media)
}

fn bound(schema: &Value, key: &str) -> Option<f64> {
    schema.get(key).and_then(Value::as_f64)
}

/// An integer in the schema's bounds: 1 when it fits, else the nearest bound.
fn integer(schema: &Value) -> Value {
    let mut low = bound(schema, "minimum").map(f64::ceil);
    if schema.get("exclusiveMinimum") == Some(&Value::Bool(true)) {
        low = low.map(|l| l + 1.0);
    }
    let mut high = bound(schema, "maximum").map(f64::floor);
    if schema.get("exclusiveMaximum") == Some(&Value::Bool(true)) {
        high = high.map(|h| h - 1.0);
    }
    let mut v = 1.0_f64;
    if let Some(l) = low {
        v = v.max(l);
    }
    if let Some(h) = high {
        v = v.min(h);
    }
    if let Some(m) = bound(schema, "multipleOf").filter(|m| *m >= 1.0) {
        v = (v / m).ceil() * m;
    }
    // Integers in JSON stay integers: a mock reads `1.0` as a number, not an integer.
    #[allow(clippy::cast_possible_truncation)]
    let i = v as i64;
    json!(i)
}

/// A number in the schema's bounds.
fn number(schema: &Value) -> Value {
    let low = bound(schema, "minimum");
    let high = bound(schema, "maximum");
    let mut v = 1.5_f64;
    if let Some(l) = low {
        v = v.max(
            l + if schema.get("exclusiveMinimum") == Some(&Value::Bool(true)) {
                0.5
            } else {
                0.0
            },
        );
    }
    if let Some(h) = high {
        v = v.min(
            h - if schema.get("exclusiveMaximum") == Some(&Value::Bool(true)) {
                0.5
            } else {
                0.0
            },
        );
    }
    if let Some(m) = bound(schema, "multipleOf").filter(|m| *m > 0.0) {
        v = (v / m).ceil() * m;
    }
    json!(v)
}

/// A string of the schema's format, or one its pattern matches, of a length it allows.
fn string(schema: &Value) -> Value {
    let format = schema.get("format").and_then(Value::as_str).unwrap_or("");
    let by_format = match format {
        "date-time" => Some("2026-01-02T03:04:05Z"),
        "date" => Some("2026-01-02"),
        "time" => Some("03:04:05Z"),
        "uuid" => Some("0b6f1e3a-6c1f-4c57-9a51-2b4a8e1d7f00"),
        "email" => Some("user@example.com"),
        "uri" | "url" | "uri-reference" | "iri" => Some("https://example.com/"),
        "hostname" => Some("example.com"),
        "ipv4" => Some("192.0.2.1"),
        "ipv6" => Some("2001:db8::1"),
        "byte" => Some("ZXhhbXBsZQ=="),
        "duration" => Some("P1D"),
        _ => None,
    };
    // A value of a strict format (a date, a uuid) is what any pattern beside it describes; a
    // loose one (`uri`: "an image URL ending in .png") says less than the pattern.
    let loose = matches!(format, "uri" | "url" | "uri-reference" | "iri" | "hostname");
    if let Some(v) = by_format.filter(|_| !loose || schema.get("pattern").is_none()) {
        return Value::String(v.to_owned());
    }
    let min = schema.get("minLength").and_then(Value::as_u64).unwrap_or(0);
    let max = schema.get("maxLength").and_then(Value::as_u64);
    if let Some(p) = schema.get("pattern").and_then(Value::as_str)
        && let Some(v) = pattern::example(p, min, max)
    {
        return Value::String(v);
    }
    if let Some(v) = by_format {
        return Value::String(v.to_owned());
    }
    let mut text = "example".to_owned();
    let min = usize::try_from(min).unwrap_or(usize::MAX).min(4096);
    while text.len() < min {
        text.push('x');
    }
    if let Some(max) = max.and_then(|m| usize::try_from(m).ok()) {
        text.truncate(max.max(min));
    }
    Value::String(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_document_comes_first_then_the_schema() {
        let doc = json!({"components": {"schemas": {
            "Money": {"type": "object", "required": ["amount"], "properties": {
                "amount": {"type": "integer", "minimum": 50},
                "currency": {"type": "string", "example": "usd"},
                "id": {"type": "string", "readOnly": true},
                "kind": {"type": "string", "enum": ["a", "b"]},
                "when": {"type": "string", "format": "date-time"},
                "code": {"type": "string", "minLength": 10, "maxLength": 12}
            }}
        }}});
        let values = Values::new(&doc);
        let schema = json!({"$ref": "#/components/schemas/Money"});
        assert_eq!(
            values.schema(&schema, Fields::Required),
            json!({"amount": 50})
        );
        assert_eq!(
            values.schema(&schema, Fields::All),
            json!({"amount": 50, "currency": "usd", "kind": "a",
                   "when": "2026-01-02T03:04:05Z", "code": "examplexxx"})
        );
    }

    #[test]
    fn a_pattern_says_more_than_a_loose_format() {
        let doc = json!({});
        let values = Values::new(&doc);
        let image = json!({"type": "string", "format": "uri",
                           "pattern": "^(https:)([/|.|\\w|\\s|-])*\\.(?:jpg|gif|png)"});
        assert_eq!(values.schema(&image, Fields::All), json!("https:.jpg"));
        let day = json!({"type": "string", "format": "date", "pattern": "^[0-9-]+$"});
        assert_eq!(values.schema(&day, Fields::All), json!("2026-01-02"));
    }

    #[test]
    fn a_union_takes_its_first_alternative_with_its_tag() {
        let doc = json!({"components": {"schemas": {
            "Card": {"type": "object", "required": ["kind"], "properties": {"kind": {"type": "string"}}},
            "Pet": {"oneOf": [{"$ref": "#/components/schemas/Card"}],
                    "discriminator": {"propertyName": "kind", "mapping": {"card": "#/components/schemas/Card"}}}
        }}});
        let values = Values::new(&doc);
        let schema = json!({"$ref": "#/components/schemas/Pet"});
        assert_eq!(
            values.schema(&schema, Fields::Required),
            json!({"kind": "card"})
        );
    }

    #[test]
    fn a_tag_the_alternative_fixes_wins_over_its_name() {
        let doc = json!({"components": {"schemas": {
            "Developer": {"type": "object", "required": ["role"], "properties": {
                "role": {"type": "string", "enum": ["developer"]}}},
            "Message": {"oneOf": [{"$ref": "#/components/schemas/Developer"}],
                        "discriminator": {"propertyName": "role"}}
        }}});
        let values = Values::new(&doc);
        let schema = json!({"$ref": "#/components/schemas/Message"});
        assert_eq!(
            values.schema(&schema, Fields::Required),
            json!({"role": "developer"})
        );
    }

    #[test]
    fn a_constraint_only_alternative_requires_properties_beside_it() {
        let doc = json!({});
        let values = Values::new(&doc);
        let schema = json!({"type": "object",
            "properties": {"ids": {"type": "array", "items": {"type": "string"}},
                           "stores": {"type": "array", "items": {"type": "string"}}},
            "oneOf": [{"required": ["ids"]}, {"required": ["stores"]}]});
        assert_eq!(
            values.schema(&schema, Fields::Required),
            json!({"ids": ["example"]})
        );
    }

    #[test]
    fn a_reference_cycle_ends() {
        let doc = json!({"components": {"schemas": {
            "A": {"$ref": "#/components/schemas/B"},
            "B": {"$ref": "#/components/schemas/A"},
            "Tree": {"type": "object", "required": ["child"], "properties": {
                "child": {"$ref": "#/components/schemas/Tree"}}}
        }}});
        let values = Values::new(&doc);
        assert_eq!(
            values.schema(&json!({"$ref": "#/components/schemas/A"}), Fields::All),
            json!("example")
        );
        // A required recursive field nests up to the depth limit, then stops.
        let tree = values.schema(&json!({"$ref": "#/components/schemas/Tree"}), Fields::All);
        assert!(tree.pointer("/child/child/child").is_some());
    }
}
