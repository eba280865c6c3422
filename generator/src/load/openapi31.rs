//! OpenAPI 3.1 → the 3.0 shape that `openapiv3` reads.
//!
//! `openapiv3` models OpenAPI 3.0 only. Rather than a second lowering path, a 3.1 document is
//! rewritten here, as plain JSON, into the 3.0 document that means the same thing; everything
//! after `load` then sees one dialect, so a 3.0 and a 3.1 document with the same meaning end
//! in the same IR by construction. Each rewrite keeps the node where it was, so pointers (and
//! the positions diagnostics show) stay those of the source, except inside the few wrappers
//! this adds (`allOf` around a `$ref` with siblings, `anyOf` for a list of types), where a
//! diagnostic points at the nearest source node.
//!
//! What 3.0 cannot say is carried in `x-commet-*` extensions, which `openapiv3` keeps and
//! `lower` reads: `x-commet-tuple` marks an array that is a fixed tuple (`prefixItems` with
//! `items: false`).

use serde_json::{Map, Value};

use super::NAMED_MAPS;
use crate::diagnostic::{Diagnostic, child, unescape_token};

/// The extension that marks an array whose `items.anyOf` lists the positions of a tuple.
pub const TUPLE_EXTENSION: &str = "x-commet-tuple";

/// True for `openapi: 3.1.x`.
pub fn is_openapi_31(raw: &Value) -> bool {
    raw.get("openapi")
        .and_then(Value::as_str)
        .is_some_and(|v| v.starts_with("3.1."))
}

/// Rewrites a 3.1 document in place into its 3.0 equivalent. Returns warnings for what has no
/// 3.0 equivalent and is dropped.
pub fn downgrade(doc: &mut Value) -> Vec<Diagnostic> {
    let mut diags = Vec::new();
    let Some(root) = doc.as_object_mut() else {
        return diags;
    };
    root.insert("openapi".to_owned(), Value::String("3.0.3".to_owned()));
    // 3.1 made `paths` optional (a document may hold only webhooks or components).
    root.entry("paths")
        .or_insert_with(|| Value::Object(Map::new()));
    inline_path_item_refs(root);
    walk_structure(doc, "", false, &mut diags);
    // 3.0 spells `webhooks` as the `x-webhooks` extension, which `openapiv3` keeps.
    if let Some(root) = doc.as_object_mut()
        && let Some(webhooks) = root.remove("webhooks")
    {
        root.entry("x-webhooks").or_insert(webhooks);
    }
    diags
}

/// Replaces `$ref`s to `#/components/pathItems/*` (new in 3.1) with the path item itself.
fn inline_path_item_refs(root: &mut Map<String, Value>) {
    let Some(items) = root
        .get("components")
        .and_then(|c| c.get("pathItems"))
        .and_then(Value::as_object)
        .cloned()
    else {
        return;
    };
    for section in ["paths", "webhooks"] {
        let Some(Value::Object(map)) = root.get_mut(section) else {
            continue;
        };
        for item in map.values_mut() {
            // A chain of references is followed a bounded number of times: a cycle stays a
            // `$ref`, which `lower` reports.
            for _ in 0..=items.len() {
                let Some(target) = item
                    .get("$ref")
                    .and_then(Value::as_str)
                    .and_then(|r| r.strip_prefix("#/components/pathItems/"))
                    .map(unescape_token)
                else {
                    break;
                };
                match items.get(&target) {
                    Some(found) => *item = found.clone(),
                    None => break,
                }
            }
        }
    }
    if let Some(Value::Object(components)) = root.get_mut("components") {
        components.remove("pathItems");
    }
}

/// Walks the document's own objects (not schemas), finding every schema position. `named`
/// says the keys of this map are names, not keywords.
fn walk_structure(node: &mut Value, at: &str, named: bool, diags: &mut Vec<Diagnostic>) {
    match node {
        Value::Object(map) => {
            for (key, value) in map.iter_mut() {
                let value_at = child(at, key);
                if named {
                    // A callback is a map of expressions to path items: names again.
                    let inner_named = at.ends_with("/callbacks");
                    walk_structure(value, &value_at, inner_named, diags);
                    continue;
                }
                match key.as_str() {
                    // Examples and extensions are data: never rewritten.
                    "example" | "examples" => {}
                    k if k.starts_with("x-") => {}
                    "schema" => normalize_schema(value, &value_at, diags),
                    "schemas" if at == "/components" => {
                        if let Value::Object(schemas) = value {
                            for (name, schema) in schemas.iter_mut() {
                                let own = format!("#{}", child(&value_at, name));
                                recursive_refs(schema, &own);
                                normalize_schema(schema, &child(&value_at, name), diags);
                            }
                        }
                    }
                    k if NAMED_MAPS.contains(&k) && value.is_object() => {
                        walk_structure(value, &value_at, true, diags)
                    }
                    _ => walk_structure(value, &value_at, false, diags),
                }
            }
        }
        Value::Array(items) => {
            for (i, item) in items.iter_mut().enumerate() {
                walk_structure(item, &child(at, &i.to_string()), false, diags);
            }
        }
        _ => {}
    }
}

/// Keywords whose value is one schema.
const SCHEMA_KEYWORDS: &[&str] = &[
    "items",
    "additionalProperties",
    "not",
    "if",
    "then",
    "else",
    "contains",
    "propertyNames",
    "unevaluatedItems",
    "unevaluatedProperties",
];
/// Keywords whose value is a list of schemas.
const SCHEMA_LIST_KEYWORDS: &[&str] = &["allOf", "anyOf", "oneOf", "prefixItems"];
/// Keywords whose value maps names to schemas.
const SCHEMA_MAP_KEYWORDS: &[&str] = &[
    "properties",
    "patternProperties",
    "$defs",
    "definitions",
    "dependentSchemas",
];

/// JSON Schema's recursion by anchor: in a component marked `$recursiveAnchor: true` (or with
/// a `$dynamicAnchor`), `$recursiveRef: "#"` (or `$dynamicRef` to that anchor) means the
/// component itself, which 3.0 writes as a plain `$ref` to it. OpenAI writes its recursive
/// filters this way.
fn recursive_refs(component: &mut Value, own: &str) {
    let Value::Object(root) = component else {
        return;
    };
    let recursive = root.remove("$recursiveAnchor") == Some(Value::Bool(true));
    let dynamic = match root.remove("$dynamicAnchor") {
        Some(Value::String(anchor)) => Some(format!("#{anchor}")),
        _ => None,
    };
    if !recursive && dynamic.is_none() {
        return;
    }
    fn rewrite(node: &mut Value, own: &str, recursive: bool, dynamic: Option<&str>) {
        match node {
            Value::Object(map) => {
                let points_home = match (map.get("$recursiveRef"), map.get("$dynamicRef")) {
                    (Some(r), _) if recursive => r == "#",
                    (_, Some(Value::String(r))) => Some(r.as_str()) == dynamic,
                    _ => false,
                };
                if points_home {
                    map.remove("$recursiveRef");
                    map.remove("$dynamicRef");
                    map.insert("$ref".to_owned(), Value::String(own.to_owned()));
                }
                for (key, value) in map.iter_mut() {
                    if !matches!(
                        key.as_str(),
                        "example" | "examples" | "default" | "const" | "enum"
                    ) {
                        rewrite(value, own, recursive, dynamic);
                    }
                }
            }
            Value::Array(items) => {
                for item in items {
                    rewrite(item, own, recursive, dynamic);
                }
            }
            _ => {}
        }
    }
    rewrite(component, own, recursive, dynamic.as_deref());
}

/// Rewrites one schema (and, first, its subschemas) into 3.0 form.
fn normalize_schema(schema: &mut Value, at: &str, diags: &mut Vec<Diagnostic>) {
    // Boolean schemas: `true` allows anything; `false` allows nothing, which 3.0 writes as
    // `not: {}` (a property that may never appear is dropped by its parent instead).
    if let Value::Bool(allowed) = schema {
        *schema = if *allowed {
            Value::Object(Map::new())
        } else {
            serde_json::json!({"not": {}})
        };
        return;
    }
    let Value::Object(map) = schema else {
        return;
    };
    for (key, value) in map.iter_mut() {
        let value_at = child(at, key);
        if SCHEMA_KEYWORDS.contains(&key.as_str()) {
            // `items: false` and `additionalProperties: false` mean "none": kept for the
            // array and object rules below.
            if !value.is_boolean() {
                normalize_schema(value, &value_at, diags);
            }
        } else if SCHEMA_LIST_KEYWORDS.contains(&key.as_str()) {
            if let Value::Array(items) = value {
                for (i, item) in items.iter_mut().enumerate() {
                    normalize_schema(item, &child(&value_at, &i.to_string()), diags);
                }
            }
        } else if SCHEMA_MAP_KEYWORDS.contains(&key.as_str())
            && let Value::Object(entries) = value
        {
            // A property that must never appear (`false`) is simply not a field.
            entries.retain(|_, v| *v != Value::Bool(false));
            for (name, item) in entries.iter_mut() {
                normalize_schema(item, &child(&value_at, name), diags);
            }
        }
    }
    ref_with_siblings(map);
    type_list(map, at, diags);
    if let Some(value) = map.remove("const")
        && !map.contains_key("enum")
    {
        // A `const` needs no `type` (its value has one); 3.0's one-value `enum` does, or
        // the value is free-form.
        if !map.contains_key("type")
            && let Some(ty) = scalar_type_of(&value)
        {
            map.insert("type".to_owned(), Value::String(ty.to_owned()));
        }
        map.insert("enum".to_owned(), Value::Array(vec![value]));
    }
    if let Some(Value::Array(mut examples)) = map.remove("examples")
        && !examples.is_empty()
        && !map.contains_key("example")
    {
        map.insert("example".to_owned(), examples.swap_remove(0));
    }
    exclusive_bound(map, "exclusiveMinimum", "minimum");
    exclusive_bound(map, "exclusiveMaximum", "maximum");
    content_encoding(map);
    tuple(map);
    if map.get("items").is_some_and(Value::is_boolean) {
        // `items: false` without `prefixItems`: an array that is always empty.
        map.insert("items".to_owned(), Value::Object(Map::new()));
        map.insert("maxItems".to_owned(), Value::from(0));
    }
}

/// 3.1 lets a `$ref` carry siblings (`description`, `nullable`…); 3.0 ignores them, and says
/// the same with `allOf: [{$ref}]` and the siblings beside it.
fn ref_with_siblings(map: &mut Map<String, Value>) {
    if !map.contains_key("$ref") || map.len() == 1 {
        return;
    }
    // `summary` is a Reference Object field with no schema meaning.
    map.remove("summary");
    if map.len() == 1 {
        return;
    }
    let Some(reference) = map.remove("$ref") else {
        return;
    };
    let mut only = Map::new();
    only.insert("$ref".to_owned(), reference);
    match map.get_mut("allOf") {
        Some(Value::Array(members)) => members.insert(0, Value::Object(only)),
        _ => {
            map.insert("allOf".to_owned(), Value::Array(vec![Value::Object(only)]));
        }
    }
}

/// Keywords that belong to one JSON type, moved into its branch when a list of types becomes
/// an `anyOf`.
fn keywords_of(ty: &str) -> &'static [&'static str] {
    match ty {
        "string" => &["format", "pattern", "minLength", "maxLength", "enum"],
        "integer" | "number" => &[
            "format",
            "minimum",
            "maximum",
            "exclusiveMinimum",
            "exclusiveMaximum",
            "multipleOf",
            "enum",
        ],
        "array" => &[
            "items",
            "prefixItems",
            "minItems",
            "maxItems",
            "uniqueItems",
        ],
        "object" => &[
            "properties",
            "required",
            "additionalProperties",
            "minProperties",
            "maxProperties",
        ],
        _ => &[],
    }
}

/// `type: [T, "null"]` is `type: T, nullable: true`; `type: "null"` alone is the schema whose
/// only value is `null`; several non-null types become an `anyOf` of one branch per type.
fn type_list(map: &mut Map<String, Value>, at: &str, diags: &mut Vec<Diagnostic>) {
    let types: Vec<String> = match map.get("type") {
        Some(Value::Array(list)) => list
            .iter()
            .filter_map(|t| t.as_str().map(str::to_owned))
            .collect(),
        Some(Value::String(t)) if t == "null" => vec![t.clone()],
        _ => return,
    };
    let nullable = types.iter().any(|t| t == "null");
    let mut rest: Vec<String> = types.into_iter().filter(|t| t != "null").collect();
    rest.dedup();
    if nullable {
        map.insert("nullable".to_owned(), Value::Bool(true));
    }
    match rest.len() {
        0 => {
            map.remove("type");
            map.insert("enum".to_owned(), Value::Array(vec![Value::Null]));
        }
        1 => {
            map.insert("type".to_owned(), Value::String(rest.remove(0)));
        }
        _ if map.contains_key("anyOf") || map.contains_key("oneOf") => {
            // Two lists of alternatives would need an `allOf` of both; keep the alternatives
            // the document spelled out.
            map.remove("type");
            diags.push(
                Diagnostic::warning(
                    child(at, "type"),
                    "a list of types beside `anyOf`/`oneOf` is ignored",
                )
                .with_help("express the types as alternatives of the `anyOf`/`oneOf`"),
            );
        }
        _ => {
            map.remove("type");
            let branches = rest
                .iter()
                .map(|ty| {
                    let mut branch = Map::new();
                    branch.insert("type".to_owned(), Value::String(ty.clone()));
                    for keyword in keywords_of(ty) {
                        if let Some(v) = map.get(*keyword) {
                            branch.insert((*keyword).to_owned(), v.clone());
                        }
                    }
                    if let Some(Value::Array(values)) = branch.get_mut("enum") {
                        values.retain(|v| json_type_is(v, ty));
                    }
                    Value::Object(branch)
                })
                .collect();
            for ty in &rest {
                for keyword in keywords_of(ty) {
                    map.remove(*keyword);
                }
            }
            map.insert("anyOf".to_owned(), Value::Array(branches));
        }
    }
}

/// The JSON Schema type of a scalar value; `None` for `null`, arrays and objects.
fn scalar_type_of(value: &Value) -> Option<&'static str> {
    match value {
        Value::String(_) => Some("string"),
        Value::Bool(_) => Some("boolean"),
        Value::Number(n) if n.is_i64() || n.is_u64() => Some("integer"),
        Value::Number(_) => Some("number"),
        _ => None,
    }
}

fn json_type_is(value: &Value, ty: &str) -> bool {
    match ty {
        "string" => value.is_string(),
        "integer" => value.is_i64() || value.is_u64(),
        "number" => value.is_number(),
        "boolean" => value.is_boolean(),
        "array" => value.is_array(),
        "object" => value.is_object(),
        _ => false,
    }
}

/// 3.1's `exclusiveMinimum: 5` is 3.0's `minimum: 5, exclusiveMinimum: true`.
fn exclusive_bound(map: &mut Map<String, Value>, exclusive: &str, bound: &str) {
    if let Some(limit) = map.get(exclusive).filter(|v| v.is_number()).cloned() {
        map.insert(bound.to_owned(), limit);
        map.insert(exclusive.to_owned(), Value::Bool(true));
    }
}

/// 3.1 describes encoded strings with `contentEncoding` and raw file content with
/// `contentMediaType`, where 3.0 used `format: byte` and `format: binary`.
fn content_encoding(map: &mut Map<String, Value>) {
    if map.contains_key("format") || map.get("type").and_then(Value::as_str) != Some("string") {
        return;
    }
    let format = match (
        map.get("contentEncoding").and_then(Value::as_str),
        map.get("contentMediaType").and_then(Value::as_str),
    ) {
        (Some(encoding), _) if encoding.eq_ignore_ascii_case("base64") => "byte",
        (None, Some(media)) if !is_textual(media) => "binary",
        _ => return,
    };
    map.insert("format".to_owned(), Value::String(format.to_owned()));
}

fn is_textual(media: &str) -> bool {
    let media = media.to_ascii_lowercase();
    media.starts_with("text/") || media.contains("json") || media.contains("xml")
}

/// `prefixItems` lists a tuple's positions. 3.0 has no tuples: the positions become the
/// `anyOf` of `items` (every element is one of them), and a closed tuple of fixed length is
/// marked so that `lower` can make it a Rust tuple.
fn tuple(map: &mut Map<String, Value>) {
    let Some(Value::Array(positions)) = map.remove("prefixItems") else {
        return;
    };
    let n = positions.len();
    let rest = map.remove("items");
    let closed = rest == Some(Value::Bool(false))
        || map.get("maxItems").and_then(Value::as_u64) == Some(n as u64);
    let all_present = map.get("minItems").and_then(Value::as_u64) == Some(n as u64);
    let mut members = positions;
    match rest {
        Some(Value::Object(extra)) if !closed => members.push(Value::Object(extra)),
        Some(Value::Bool(true)) | None if !closed => members.push(Value::Object(Map::new())),
        _ => {}
    }
    if closed && all_present && n > 0 {
        map.insert(TUPLE_EXTENSION.to_owned(), Value::Bool(true));
        map.insert("items".to_owned(), serde_json::json!({ "anyOf": members }));
        return;
    }
    let mut distinct: Vec<Value> = Vec::new();
    for m in members {
        if !distinct.contains(&m) {
            distinct.push(m);
        }
    }
    let items = match distinct.len() {
        1 => distinct.remove(0),
        _ if distinct
            .iter()
            .any(|m| m.as_object().is_some_and(Map::is_empty)) =>
        {
            Value::Object(Map::new())
        }
        _ => serde_json::json!({ "anyOf": distinct }),
    };
    map.insert("items".to_owned(), items);
}

#[cfg(test)]
mod tests;
