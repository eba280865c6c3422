//! The spec's webhook events against the notes' table of payment event fields
//! ([`super::event_table`]): every event of the table and no other, each body a component that
//! extends the envelope and fixes `event` to its own type, and its `data` field by field:
//! the names, which are nullable, which are required, the values of an enumerated field, and
//! amounts as 64-bit integers (the notes: "Amounts are numbers in minor units").
//!
//! A nullable field is required too: the SDK sends it, as `null` when it has no value, and a
//! required nullable field is an `Option<T>` in Rust (an optional one would be
//! `Option<Option<T>>`). Decoding accepts it absent either way.

use std::collections::BTreeSet;

use serde_json::Value;

use super::event_table::{Field, Row, by_event};

/// The envelope every event carries.
const ENVELOPE: [&str; 6] = [
    "event",
    "timestamp",
    "organizationId",
    "mode",
    "apiVersion",
    "data",
];

/// Every difference between the spec's `x-webhooks` and the table's rows.
pub fn problems(spec: &Value, rows: &[Row]) -> Vec<String> {
    let table = by_event(rows);
    let mut out = Vec::new();
    let listed: BTreeSet<&str> = spec["x-webhooks"]
        .as_object()
        .map(|o| o.keys().map(String::as_str).collect())
        .unwrap_or_default();
    let expected: BTreeSet<&str> = table.keys().map(String::as_str).collect();
    for missing in expected.difference(&listed) {
        out.push(format!("x-webhooks lacks the event {missing}"));
    }
    for extra in listed.difference(&expected) {
        out.push(format!(
            "x-webhooks has {extra}, which the table doesn't list"
        ));
    }
    for (event, fields) in &table {
        if listed.contains(event.as_str()) {
            check_event(spec, event, fields, &mut out);
        }
    }
    out
}

fn check_event(spec: &Value, event: &str, fields: &[Field], out: &mut Vec<String>) {
    let body = &spec["x-webhooks"][event]["post"]["requestBody"]["content"]["application/json"]["schema"]
        ["$ref"];
    let Some(component) = body
        .as_str()
        .and_then(|r| r.strip_prefix("#/components/schemas/"))
    else {
        out.push(format!(
            "{event}: the body should be a $ref to a component, found {body}"
        ));
        return;
    };
    let schema = &spec["components"]["schemas"][component];
    let (envelope, required) = properties(spec, schema);
    let names: BTreeSet<&str> = envelope.iter().map(|(n, _)| n.as_str()).collect();
    if names != BTreeSet::from(ENVELOPE) || required != ENVELOPE.map(str::to_owned).into() {
        out.push(format!(
            "{event}: {component} should have exactly the envelope {ENVELOPE:?}, all required; \
             found {names:?}, required {required:?}"
        ));
    }
    let tag = envelope
        .iter()
        .rev()
        .find(|(n, _)| n == "event")
        .map(|(_, s)| s["enum"].clone());
    if tag != Some(serde_json::json!([event])) {
        out.push(format!(
            "{event}: {component}.event should be fixed to [{event:?}], found {tag:?}"
        ));
    }
    let Some((_, data)) = envelope.iter().find(|(n, _)| n == "data") else {
        return;
    };
    let (data, required) = properties(spec, data);
    let found: BTreeSet<&str> = data.iter().map(|(n, _)| n.as_str()).collect();
    let expected: BTreeSet<&str> = fields.iter().map(|f| f.name.as_str()).collect();
    for missing in expected.difference(&found) {
        out.push(format!("{event}: data lacks {missing}"));
    }
    for extra in found.difference(&expected) {
        out.push(format!(
            "{event}: data has {extra}, which the table doesn't list"
        ));
    }
    for field in fields {
        let Some((_, schema)) = data.iter().find(|(n, _)| *n == field.name) else {
            continue;
        };
        let name = &field.name;
        let nullable = schema["nullable"] == true;
        if nullable != field.nullable {
            out.push(format!(
                "{event}: data.{name} should {}be nullable",
                if field.nullable { "" } else { "not " }
            ));
        }
        if required.contains(name) != field.required {
            out.push(format!(
                "{event}: data.{name} should {}be required",
                if field.required { "" } else { "not " }
            ));
        }
        if !field.values.is_empty() {
            let values = resolve(spec, schema)["enum"].clone();
            if values != serde_json::json!(field.values) {
                out.push(format!(
                    "{event}: data.{name} should allow exactly {:?}, found {values}",
                    field.values
                ));
            }
        }
        let is_amount = name == "amount" || name.ends_with("Amount") || name.ends_with("Total");
        if is_amount && (schema["type"] != "integer" || schema["format"] != "int64") {
            out.push(format!(
                "{event}: data.{name} is an amount in minor units: it should be an int64 integer"
            ));
        }
    }
}

/// `schema` itself, or the component its `$ref` (or an `allOf` of one `$ref`) names.
fn resolve<'s>(spec: &'s Value, schema: &'s Value) -> &'s Value {
    let reference = schema["$ref"]
        .as_str()
        .or_else(|| match schema["allOf"].as_array() {
            Some(members) if members.len() == 1 => members[0]["$ref"].as_str(),
            _ => None,
        });
    match reference.and_then(|r| spec.pointer(r.strip_prefix('#')?)) {
        Some(target) => target,
        None => schema,
    }
}

/// The properties of a schema through `$ref` and `allOf` (a later member's property replaces
/// an earlier one's), and the names any member requires.
fn properties<'s>(
    spec: &'s Value,
    schema: &'s Value,
) -> (Vec<(String, &'s Value)>, BTreeSet<String>) {
    let schema = match schema["$ref"].as_str() {
        Some(r) => spec
            .pointer(r.strip_prefix('#').unwrap_or(r))
            .unwrap_or(&Value::Null),
        None => schema,
    };
    let mut props: Vec<(String, &Value)> = Vec::new();
    let mut required = BTreeSet::new();
    for member in schema["allOf"].as_array().into_iter().flatten() {
        let (p, r) = properties(spec, member);
        for (name, s) in p {
            props.retain(|(n, _)| *n != name);
            props.push((name, s));
        }
        required.extend(r);
    }
    for (name, p) in schema["properties"].as_object().into_iter().flatten() {
        props.retain(|(n, _)| n != name);
        props.push((name.clone(), p));
    }
    required.extend(
        schema["required"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|r| r.as_str().map(str::to_owned)),
    );
    (props, required)
}
