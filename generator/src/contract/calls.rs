//! Which calls a contract run makes for each operation, with the values each one sends.
//!
//! Per operation: a required-only call, an all-parameters call, one call per documented error
//! status (asked of the mock with `Prefer: code=NNN`), and the invalid arguments the client
//! must refuse before sending (an empty path segment, CR/LF in a header). An operation the
//! harness can't call is skipped with its reason, never dropped silently.

use serde_json::Value;

use super::values::{Fields, Values};
use crate::ir::{
    Api, BodyContent, Operation, ParamLocation, Segment, StatusMatch, TypeKind, TypeRef,
};

/// What a call checks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CallKind {
    /// Only the required parameters and body fields.
    RequiredOnly,
    /// Every parameter and body field the client can send.
    AllParameters,
    /// The mock is asked for this documented error status.
    ErrorStatus(u16),
    /// A path parameter given as the empty string: the client must send nothing.
    EmptyPathSegment(String),
    /// A header parameter with CR/LF in it: the client must send nothing.
    HeaderLineBreak(String),
}

impl CallKind {
    /// How the report names the call.
    pub fn label(&self) -> String {
        match self {
            CallKind::RequiredOnly => "required".to_owned(),
            CallKind::AllParameters => "all".to_owned(),
            CallKind::ErrorStatus(status) => format!("error {status}"),
            CallKind::EmptyPathSegment(p) => format!("empty path `{p}`"),
            CallKind::HeaderLineBreak(p) => format!("CR/LF header `{p}`"),
        }
    }

    /// Calls the mock must answer (the invalid ones go to a listener that counts connections).
    pub fn reaches_mock(&self) -> bool {
        !matches!(
            self,
            CallKind::EmptyPathSegment(_) | CallKind::HeaderLineBreak(_)
        )
    }
}

/// A value given to the client for one parameter.
#[derive(Debug, Clone)]
pub struct Argument {
    /// The IR parameter's Rust name.
    pub name: String,
    /// Its type.
    pub ty: TypeRef,
    /// Required (a method argument) or optional (a field of the params struct).
    pub required: bool,
    /// The value, as JSON the generated type decodes.
    pub value: Value,
}

/// The body a call sends.
#[derive(Debug, Clone)]
pub struct BodyValue {
    /// The value, as JSON the generated request type decodes (text for a text body).
    pub value: Value,
    /// For a multipart body: each part sent, by its Rust field name, with its value (files
    /// are sent as a few bytes whatever it says).
    pub parts: Vec<(String, Value)>,
}

/// One call of the run.
#[derive(Debug, Clone)]
pub struct Call {
    /// Index of the operation in `Api::operations`.
    pub operation: usize,
    /// What it checks.
    pub kind: CallKind,
    /// Required parameters in method order, then the optional ones to set.
    pub arguments: Vec<Argument>,
    /// The body, when one is sent (`None` for an optional body left out).
    pub body: Option<BodyValue>,
    /// Whether the document gives a body for the error status asked for.
    pub error_has_body: bool,
}

/// An operation the run does not call, and why.
#[derive(Debug, Clone)]
pub struct Skipped {
    /// Index of the operation in `Api::operations`.
    pub operation: usize,
    /// Why.
    pub reason: String,
}

/// Every call of a run, and what was skipped.
#[derive(Debug, Clone, Default)]
pub struct Plan {
    /// The calls, in operation order.
    pub calls: Vec<Call>,
    /// The operations left out.
    pub skipped: Vec<Skipped>,
}

/// The JSON pointer of an operation in the document.
pub fn operation_pointer(op: &Operation) -> String {
    format!(
        "/paths/{}/{}",
        op.path.replace('~', "~0").replace('/', "~1"),
        op.method.to_ascii_lowercase()
    )
}

/// Plans the calls for every operation of `api`, with values from `document`.
pub fn plan(api: &Api, document: &Value) -> Plan {
    let values = Values::new(document);
    let mut plan = Plan::default();
    for (index, op) in api.operations.iter().enumerate() {
        match plan_operation(api, &values, document, index, op) {
            Ok(calls) => plan.calls.extend(calls),
            Err(reason) => plan.skipped.push(Skipped {
                operation: index,
                reason,
            }),
        }
    }
    plan
}

fn plan_operation(
    api: &Api,
    values: &Values<'_>,
    document: &Value,
    index: usize,
    op: &Operation,
) -> Result<Vec<Call>, String> {
    let pointer = operation_pointer(op);
    let raw = document
        .pointer(&pointer)
        .ok_or_else(|| format!("the document has no operation at {pointer}"))?;
    let path_item = document
        .pointer(pointer.rsplit_once('/').map_or("", |(p, _)| p))
        .unwrap_or(&Value::Null);
    let multipart_parts = match &op.body {
        Some(body) if body.content == BodyContent::Multipart => match &body.ty {
            TypeRef::Named(n) => match api.type_def(n).map(|t| &t.kind) {
                Some(TypeKind::Multipart(parts)) => Some(parts.clone()),
                _ => {
                    return Err(format!(
                        "the multipart body type `{n}` is not a multipart type"
                    ));
                }
            },
            other => {
                return Err(format!(
                    "the multipart body is not a named type ({other:?})"
                ));
            }
        },
        _ => None,
    };
    let raw_params: Vec<&Value> = path_item
        .get("parameters")
        .and_then(Value::as_array)
        .into_iter()
        .chain(raw.get("parameters").and_then(Value::as_array))
        .flatten()
        .collect();
    let find_param = |wire: &str, location: ParamLocation| {
        let wanted = match location {
            ParamLocation::Path => "path",
            ParamLocation::Query => "query",
            ParamLocation::Header => "header",
            ParamLocation::Cookie => "cookie",
        };
        // The operation's own parameter wins over the path item's: the last one found.
        raw_params.iter().rev().copied().find(|p| {
            let p = values.resolve(p);
            p.get("name").and_then(Value::as_str) == Some(wire)
                && p.get("in").and_then(Value::as_str) == Some(wanted)
        })
    };
    let arguments = |fields: Fields| -> Vec<Argument> {
        op.params
            .iter()
            .filter(|p| p.required || fields == Fields::All)
            .map(|p| {
                let value = find_param(&p.wire_name, p.location)
                    .map_or(Value::String("example".to_owned()), |raw| {
                        values.parameter(raw, fields)
                    });
                Argument {
                    name: p.name.clone(),
                    ty: p.ty.clone(),
                    required: p.required,
                    value: fit_to_type(api, &p.ty, value),
                }
            })
            .collect()
    };
    let body_schema = raw
        .get("requestBody")
        .map(|b| values.resolve(b))
        .and_then(|b| {
            let media = op.body.as_ref()?.media_type.as_str();
            b.get("content")?.get(media)
        });
    let body = |fields: Fields| -> Option<BodyValue> {
        let body = op.body.as_ref()?;
        if !body.required && fields == Fields::Required {
            return None;
        }
        let media = body_schema.unwrap_or(&Value::Null);
        let value = match media.get("schema") {
            Some(schema) => values.schema(schema, fields),
            None => Value::String("example".to_owned()),
        };
        let parts = multipart_parts
            .iter()
            .flatten()
            .filter(|p| p.required || fields == Fields::All)
            .map(|p| {
                let schema = media
                    .get("schema")
                    .map(|s| values.resolve(s))
                    .and_then(|s| s.get("properties"))
                    .and_then(|props| props.get(&p.wire_name))
                    .unwrap_or(&Value::Null);
                (p.name.clone(), values.schema(schema, fields))
            })
            .collect();
        Some(BodyValue { value, parts })
    };
    let mut calls = vec![
        Call {
            operation: index,
            kind: CallKind::RequiredOnly,
            arguments: arguments(Fields::Required),
            body: body(Fields::Required),
            error_has_body: false,
        },
        Call {
            operation: index,
            kind: CallKind::AllParameters,
            arguments: arguments(Fields::All),
            body: body(Fields::All),
            error_has_body: false,
        },
    ];
    for response in &op.responses {
        let StatusMatch::Code(status) = response.status else {
            continue;
        };
        if status < 400 {
            continue;
        }
        let documented = raw
            .get("responses")
            .and_then(|r| r.get(status.to_string()))
            .map(|r| values.resolve(r));
        let error_has_body = documented
            .and_then(|r| r.get("content"))
            .and_then(Value::as_object)
            .is_some_and(|c| c.keys().any(|k| k.contains("json")));
        calls.push(Call {
            kind: CallKind::ErrorStatus(status),
            error_has_body,
            ..calls[0].clone()
        });
    }
    let string_param = |location: ParamLocation| {
        op.params
            .iter()
            .find(|p| p.location == location && p.ty == TypeRef::String)
    };
    if let Some(p) = string_param(ParamLocation::Path).filter(|p| {
        op.segments
            .iter()
            .any(|s| matches!(s, Segment::Param(n) if *n == p.name))
    }) {
        let mut call = calls[0].clone();
        set_argument(&mut call, p, Value::String(String::new()));
        call.kind = CallKind::EmptyPathSegment(p.wire_name.clone());
        calls.push(call);
    }
    if let Some(p) = string_param(ParamLocation::Header) {
        let mut call = calls[0].clone();
        set_argument(
            &mut call,
            p,
            Value::String("contract\r\ninjected: 1".to_owned()),
        );
        call.kind = CallKind::HeaderLineBreak(p.wire_name.clone());
        calls.push(call);
    }
    Ok(calls)
}

/// Gives `param` this value in `call`, adding it when the call left it out.
fn set_argument(call: &mut Call, param: &crate::ir::Param, value: Value) {
    match call.arguments.iter_mut().find(|a| a.name == param.name) {
        Some(a) => a.value = value,
        None => call.arguments.push(Argument {
            name: param.name.clone(),
            ty: param.ty.clone(),
            required: param.required,
            value,
        }),
    }
}

/// A parameter's value in the shape of its Rust type: a single value for an array parameter
/// is wrapped, an array for a scalar one gives its first item.
fn fit_to_type(api: &Api, ty: &TypeRef, value: Value) -> Value {
    match (ty, value) {
        (TypeRef::Vec(inner), Value::Array(items)) => Value::Array(
            items
                .into_iter()
                .map(|v| fit_to_type(api, inner, v))
                .collect(),
        ),
        (TypeRef::Vec(inner), v) => Value::Array(vec![fit_to_type(api, inner, v)]),
        (TypeRef::String, Value::Number(n)) => Value::String(n.to_string()),
        (TypeRef::String, Value::Bool(b)) => Value::String(b.to_string()),
        (TypeRef::Named(n), v) => match api.type_def(n).map(|t| &t.kind) {
            Some(TypeKind::Alias(target)) => fit_to_type(api, target, v),
            _ => v,
        },
        (_, v) => v,
    }
}
