//! Structure-aware mutation: fuzz input steers edits of a real document's tree, so the
//! generator sees documents that parse and reach lowering and emitting, which random bytes
//! almost never do.

use std::sync::OnceLock;

use libfuzzer_sys::arbitrary::{Result, Unstructured};
use serde_json::{Map, Value, json};

use crate::seeds::SEEDS;

/// Keywords worth inserting or renaming to: the ones the generator gives meaning to.
const KEYWORDS: &[&str] = &[
    "$ref",
    "type",
    "format",
    "nullable",
    "enum",
    "const",
    "default",
    "properties",
    "required",
    "items",
    "prefixItems",
    "additionalProperties",
    "oneOf",
    "anyOf",
    "allOf",
    "not",
    "discriminator",
    "propertyName",
    "mapping",
    "minLength",
    "maxLength",
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "multipleOf",
    "pattern",
    "readOnly",
    "writeOnly",
    "deprecated",
    "description",
    "title",
    "example",
    "examples",
    "externalDocs",
    "xml",
    "contentMediaType",
    "contentEncoding",
    "$defs",
    "openapi",
    "paths",
    "components",
    "schemas",
    "parameters",
    "requestBody",
    "responses",
    "content",
    "schema",
    "in",
    "name",
    "style",
    "explode",
    "operationId",
    "security",
    "securitySchemes",
    "servers",
    "url",
    "webhooks",
    "pathItems",
    "headers",
    "callbacks",
    "links",
    "x-extension",
];

/// Words a keyword's value is often compared with.
const WORDS: &[&str] = &[
    "object",
    "string",
    "integer",
    "number",
    "boolean",
    "array",
    "null",
    "int32",
    "int64",
    "binary",
    "date-time",
    "uuid",
    "path",
    "query",
    "header",
    "cookie",
    "form",
    "deepObject",
    "application/json",
    "multipart/form-data",
    "application/x-www-form-urlencoded",
    "application/pdf",
    "text/plain",
    "3.0.3",
    "3.1.0",
    "3.1.1",
    "2.0",
    "#/components/schemas/",
    "#/",
    "#/$defs/a",
    "Self",
    "self",
    "type",
    "",
    "ten",
    "\u{202E}",
    "```\nfn main() {}\n```",
];

fn parsed_seeds() -> &'static [Value] {
    static PARSED: OnceLock<Vec<Value>> = OnceLock::new();
    PARSED.get_or_init(|| {
        SEEDS
            .iter()
            .map(|(name, text)| {
                serde_yaml::from_str(text).unwrap_or_else(|e| panic!("seed {name}: {e}"))
            })
            .collect()
    })
}

/// A seed document with up to sixteen edits chosen by `u`, written as YAML or JSON.
pub fn mutated_document(u: &mut Unstructured) -> Result<String> {
    let seeds = parsed_seeds();
    let mut doc = seeds[u.choose_index(seeds.len())?].clone();
    for _ in 0..u.int_in_range(1..=16)? {
        mutate_once(u, &mut doc)?;
    }
    let text = if u.arbitrary()? {
        serde_json::to_string_pretty(&doc).expect("a JSON value serialises")
    } else {
        serde_yaml::to_string(&doc).expect("a JSON value serialises as YAML")
    };
    Ok(text)
}

fn mutate_once(u: &mut Unstructured, doc: &mut Value) -> Result<()> {
    let mut pointers = Vec::new();
    collect_pointers(doc, String::new(), &mut pointers);
    let at = pointers[u.choose_index(pointers.len())?].clone();
    let replacement = match u.int_in_range(0..=8)? {
        0 => scalar(u)?,
        1 => {
            let from = &pointers[u.choose_index(pointers.len())?];
            doc.pointer(from).cloned().unwrap_or(Value::Null)
        }
        2 => {
            let inner = doc.pointer(&at).cloned().unwrap_or(Value::Null);
            wrap(u, inner)?
        }
        3 => {
            remove(doc, &at);
            return Ok(());
        }
        4 => return rename(u, doc, &at),
        5 => {
            let Some(Value::Object(map)) = doc.pointer_mut(&at) else {
                return Ok(());
            };
            let key = keyword(u)?;
            let value = scalar(u)?;
            map.insert(key, value);
            return Ok(());
        }
        6 => {
            let target = if u.arbitrary()? {
                let to = &pointers[u.choose_index(pointers.len())?];
                format!("#{to}")
            } else {
                format!("#/components/schemas/{}", u.arbitrary::<&str>()?)
            };
            json!({ "$ref": target })
        }
        7 => {
            let Some(Value::Array(items)) = doc.pointer_mut(&at) else {
                return Ok(());
            };
            if let Some(item) = items.first().cloned() {
                items.push(item);
            }
            return Ok(());
        }
        _ => {
            if u.arbitrary()? {
                Value::Object(Map::new())
            } else {
                Value::Array(Vec::new())
            }
        }
    };
    if let Some(slot) = doc.pointer_mut(&at) {
        *slot = replacement;
    }
    Ok(())
}

/// Every node's JSON pointer, the root included; grafts can grow the document, so the walk
/// is capped to keep one run quick.
fn collect_pointers(value: &Value, at: String, out: &mut Vec<String>) {
    const MAX_NODES: usize = 20_000;
    if out.len() >= MAX_NODES {
        return;
    }
    match value {
        Value::Object(map) => {
            for (key, child) in map {
                collect_pointers(child, format!("{at}/{}", escape(key)), out);
            }
        }
        Value::Array(items) => {
            for (i, child) in items.iter().enumerate() {
                collect_pointers(child, format!("{at}/{i}"), out);
            }
        }
        _ => {}
    }
    out.push(at);
}

fn escape(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

fn split_last(pointer: &str) -> Option<(&str, String)> {
    let i = pointer.rfind('/')?;
    let last = pointer[i + 1..].replace("~1", "/").replace("~0", "~");
    Some((&pointer[..i], last))
}

fn remove(doc: &mut Value, at: &str) {
    let Some((parent, last)) = split_last(at) else {
        return;
    };
    match doc.pointer_mut(parent) {
        Some(Value::Object(map)) => {
            map.shift_remove(&last);
        }
        Some(Value::Array(items)) => {
            if let Ok(i) = last.parse::<usize>()
                && i < items.len()
            {
                items.remove(i);
            }
        }
        _ => {}
    }
}

fn rename(u: &mut Unstructured, doc: &mut Value, at: &str) -> Result<()> {
    let Some((parent, last)) = split_last(at) else {
        return Ok(());
    };
    let new_key = if u.arbitrary()? {
        keyword(u)?
    } else {
        u.arbitrary::<String>()?
    };
    if let Some(Value::Object(map)) = doc.pointer_mut(parent)
        && let Some(value) = map.shift_remove(&last)
    {
        map.insert(new_key, value);
    }
    Ok(())
}

fn keyword(u: &mut Unstructured) -> Result<String> {
    Ok(KEYWORDS[u.choose_index(KEYWORDS.len())?].to_owned())
}

fn scalar(u: &mut Unstructured) -> Result<Value> {
    Ok(match u.int_in_range(0..=6)? {
        0 => Value::String(WORDS[u.choose_index(WORDS.len())?].to_owned()),
        1 => Value::String(u.arbitrary()?),
        2 => json!(u.arbitrary::<i64>()?),
        3 => json!(u.arbitrary::<u64>()?),
        4 => serde_json::Number::from_f64(u.arbitrary()?).map_or(Value::Null, Value::Number),
        5 => Value::Bool(u.arbitrary()?),
        _ => Value::Null,
    })
}

/// `inner` one level deeper, in a shape schemas and documents really nest in.
fn wrap(u: &mut Unstructured, inner: Value) -> Result<Value> {
    Ok(match u.int_in_range(0..=5)? {
        0 => json!({ "type": "object", "properties": { "field": inner } }),
        1 => json!({ "oneOf": [inner, { "type": "null" }] }),
        2 => json!({ "allOf": [inner] }),
        3 => json!({ "type": "array", "items": inner }),
        4 => json!({ "anyOf": [inner, { "type": "string" }] }),
        _ => json!({ "additionalProperties": inner }),
    })
}
