//! Schema `$ref`s that point somewhere other than `#/components/schemas/<Name>`.
//!
//! JSON Schema lets a reference name any node of the document: a `$defs` entry (3.1), a
//! property of another schema, a schema under `paths`. `lower` names types after components,
//! so each such target is copied into `components.schemas` under a fresh name and its
//! references are rewritten to the copy. The copy remembers where it came from, so a
//! diagnostic about it points at the source.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Map, Value};

use crate::diagnostic::{child, escape_token};

/// A schema copied into `components.schemas`: diagnostics under `to` belong to `from`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hoisted {
    /// The pointer of the original node.
    pub from: String,
    /// The pointer of the copy, `/components/schemas/<name>`.
    pub to: String,
}

/// Tokens that say a pointer leads to a schema.
const SCHEMA_TOKENS: &[&str] = &[
    "schema",
    "schemas",
    "properties",
    "items",
    "additionalProperties",
    "allOf",
    "anyOf",
    "oneOf",
    "not",
    "$defs",
    "definitions",
];

/// Tokens that say nothing about what the schema is: left out of the copy's name.
const STRUCTURAL_TOKENS: &[&str] = &[
    "components",
    "schemas",
    "schema",
    "properties",
    "items",
    "additionalProperties",
    "$defs",
    "definitions",
    "content",
    "paths",
    "responses",
    "requestBody",
];

/// Copies every schema that a `$ref` reaches outside `components.schemas` into it, and rewrites
/// the references.
pub fn hoist(doc: &mut Value) -> Vec<Hoisted> {
    let mut references = BTreeSet::new();
    collect_refs(doc, &mut references);
    let targets: Vec<String> = references
        .into_iter()
        .filter_map(|r| r.strip_prefix('#').map(str::to_owned))
        .filter(|p| needs_hoisting(p))
        .filter(|p| {
            doc.pointer(p)
                .is_some_and(|v| v.is_object() || v.is_boolean())
        })
        .collect();
    if targets.is_empty() {
        return Vec::new();
    }

    let mut taken: BTreeSet<String> = doc
        .pointer("/components/schemas")
        .and_then(Value::as_object)
        .map(|m| m.keys().cloned().collect())
        .unwrap_or_default();
    let mut renames = BTreeMap::new();
    let mut copies = Vec::new();
    for pointer in &targets {
        let name = claim(&mut taken, &name_for(pointer));
        // Copied from the document as it was, before any reference was rewritten.
        if let Some(value) = doc.pointer(pointer) {
            copies.push((name.clone(), value.clone()));
        }
        renames.insert(
            format!("#{pointer}"),
            format!("#/components/schemas/{}", escape_token(&name)),
        );
    }

    let Some(root) = doc.as_object_mut() else {
        return Vec::new();
    };
    let components = root
        .entry("components")
        .or_insert_with(|| Value::Object(Map::new()));
    if !components.is_object() {
        return Vec::new();
    }
    let schemas = components
        .as_object_mut()
        .map(|c| {
            c.entry("schemas")
                .or_insert_with(|| Value::Object(Map::new()))
        })
        .and_then(Value::as_object_mut);
    let Some(schemas) = schemas else {
        return Vec::new();
    };
    let mut hoisted = Vec::new();
    for ((name, value), from) in copies.into_iter().zip(&targets) {
        hoisted.push(Hoisted {
            from: from.clone(),
            to: child("/components/schemas", &name),
        });
        schemas.insert(name, value);
    }
    rewrite_refs(doc, &renames);
    hoisted
}

/// A local reference to a schema that is not itself a component.
fn needs_hoisting(pointer: &str) -> bool {
    let tokens: Vec<&str> = pointer.split('/').skip(1).collect();
    let is_component = tokens.len() == 3 && tokens[0] == "components";
    !is_component && tokens.iter().any(|t| SCHEMA_TOKENS.contains(t))
}

/// A readable name from the meaningful tokens of the pointer: `#/$defs/Money` is `Money`,
/// `#/components/schemas/Order/properties/total` is `Order_total`.
fn name_for(pointer: &str) -> String {
    let tokens: Vec<String> = pointer
        .split('/')
        .skip(1)
        .map(|t| t.replace("~1", "/").replace("~0", "~"))
        .collect();
    if let [.., parent, name] = tokens.as_slice()
        && (parent == "$defs" || parent == "definitions")
    {
        return name.clone();
    }
    let meaningful: Vec<&str> = tokens
        .iter()
        .map(String::as_str)
        .filter(|t| !STRUCTURAL_TOKENS.contains(t))
        .collect();
    match meaningful.as_slice() {
        [] => "Schema".to_owned(),
        // Long pointers (a schema deep under `paths`) keep their last few tokens.
        many => many[many.len().saturating_sub(3)..].join("_"),
    }
}

fn claim(taken: &mut BTreeSet<String>, candidate: &str) -> String {
    let mut name = candidate.to_owned();
    let mut n = 2;
    while taken.contains(&name) {
        name = format!("{candidate}_{n}");
        n += 1;
    }
    taken.insert(name.clone());
    name
}

/// Every `$ref` string in the document, examples excepted (they are data).
fn collect_refs(node: &Value, out: &mut BTreeSet<String>) {
    match node {
        Value::Object(map) => {
            for (key, value) in map {
                match (key.as_str(), value) {
                    ("$ref", Value::String(r)) => {
                        out.insert(r.clone());
                    }
                    ("example" | "examples", _) => {}
                    _ => collect_refs(value, out),
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|i| collect_refs(i, out)),
        _ => {}
    }
}

fn rewrite_refs(node: &mut Value, renames: &BTreeMap<String, String>) {
    match node {
        Value::Object(map) => {
            for (key, value) in map.iter_mut() {
                match (key.as_str(), &mut *value) {
                    ("$ref", Value::String(r)) => {
                        if let Some(new) = renames.get(r.as_str()) {
                            *r = new.clone();
                        }
                    }
                    ("example" | "examples", _) => {}
                    _ => rewrite_refs(value, renames),
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|i| rewrite_refs(i, renames)),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn defs_and_nested_targets_become_components() {
        let mut doc = json!({
            "components": {"schemas": {
                "Order": {
                    "$defs": {"Money": {"type": "integer"}},
                    "properties": {
                        "total": {"$ref": "#/components/schemas/Order/$defs/Money"},
                        "line": {"type": "object", "properties": {"n": {"type": "string"}}}
                    }
                },
                "Money": {"type": "string"},
                "Copy": {"$ref": "#/components/schemas/Order/properties/line"},
                "Plain": {"$ref": "#/components/schemas/Money"}
            }},
            "paths": {"/x": {"get": {"parameters": [{"$ref": "#/components/parameters/P"}]}}}
        });
        let hoisted = hoist(&mut doc);
        assert_eq!(
            hoisted,
            vec![
                Hoisted {
                    from: "/components/schemas/Order/$defs/Money".to_owned(),
                    to: "/components/schemas/Money_2".to_owned()
                },
                Hoisted {
                    from: "/components/schemas/Order/properties/line".to_owned(),
                    to: "/components/schemas/Order_line".to_owned()
                },
            ]
        );
        let schemas = &doc["components"]["schemas"];
        assert_eq!(schemas["Money_2"], json!({"type": "integer"}));
        assert_eq!(
            schemas["Order"]["properties"]["total"]["$ref"],
            "#/components/schemas/Money_2"
        );
        assert_eq!(schemas["Copy"]["$ref"], "#/components/schemas/Order_line");
        assert_eq!(schemas["Plain"]["$ref"], "#/components/schemas/Money");
        assert_eq!(
            doc["paths"]["/x"]["get"]["parameters"][0]["$ref"],
            "#/components/parameters/P"
        );
    }

    #[test]
    fn names() {
        assert_eq!(name_for("/$defs/Money"), "Money");
        assert_eq!(
            name_for("/paths/~1orders/post/requestBody/content/application~1json/schema"),
            "/orders_post_application/json"
        );
    }
}
