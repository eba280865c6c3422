//! diff: compares two IRs and says what the change means for users of the generated client.
//!
//! Text diffs of generated code show *what* changed; this says whether it breaks callers. An
//! added optional request field is harmless (request structs are `#[non_exhaustive]` and built
//! through setters); a new required one breaks every caller; a new enum value is absorbed by
//! the `Unknown` variant; a removed field breaks whoever reads it.

use std::collections::BTreeMap;
use std::fmt;

use crate::ir::{Api, Field, Operation, ResponseShape, TypeDef, TypeKind, TypeRef};

/// How much a change matters to users of the client.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Impact {
    /// Existing code stops compiling or behaves differently.
    Breaking,
    /// Existing code keeps working.
    Compatible,
}

/// One difference between two APIs.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Change {
    /// Breaking or compatible.
    pub impact: Impact,
    /// What changed, in one line.
    pub message: String,
}

impl fmt::Display for Change {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let label = match self.impact {
            Impact::Breaking => "breaking",
            Impact::Compatible => "compatible",
        };
        write!(f, "{label}: {}", self.message)
    }
}

/// Every difference from `old` to `new`, breaking ones first.
pub fn diff(old: &Api, new: &Api) -> Vec<Change> {
    let mut changes = Vec::new();
    let mut push = |impact, message: String| changes.push(Change { impact, message });
    if old.version != new.version {
        push(
            Impact::Compatible,
            format!("API version {} → {}", old.version, new.version),
        );
    }
    if old.base_url != new.base_url {
        push(
            Impact::Breaking,
            format!("base URL {:?} → {:?}", old.base_url, new.base_url),
        );
    }

    let old_ops: BTreeMap<&str, &Operation> =
        old.operations.iter().map(|o| (o.id.as_str(), o)).collect();
    let new_ops: BTreeMap<&str, &Operation> =
        new.operations.iter().map(|o| (o.id.as_str(), o)).collect();
    for (id, op) in &old_ops {
        match new_ops.get(id) {
            None => push(Impact::Breaking, format!("operation `{id}` removed")),
            Some(new_op) => operation((old, op), (new, new_op), &mut push),
        }
    }
    for id in new_ops.keys().filter(|id| !old_ops.contains_key(*id)) {
        push(Impact::Compatible, format!("operation `{id}` added"));
    }

    let old_types: BTreeMap<&str, &TypeDef> =
        old.types.iter().map(|t| (t.name.as_str(), t)).collect();
    let new_types: BTreeMap<&str, &TypeDef> =
        new.types.iter().map(|t| (t.name.as_str(), t)).collect();
    for (name, t) in &old_types {
        match new_types.get(name) {
            None => push(Impact::Breaking, format!("type `{name}` removed")),
            Some(new_t) => type_def(t, new_t, &mut push),
        }
    }
    for name in new_types.keys().filter(|n| !old_types.contains_key(*n)) {
        push(Impact::Compatible, format!("type `{name}` added"));
    }
    webhooks(old, new, &mut push);
    changes.sort();
    changes
}

/// Webhook events: a removed variant breaks a `match` on it; a new one is compatible (an
/// older client decodes it as `Unknown`). Their body types are compared as types.
fn webhooks(old: &Api, new: &Api, push: &mut impl FnMut(Impact, String)) {
    let events = |api: &Api| -> BTreeMap<String, String> {
        api.webhooks
            .iter()
            .flat_map(|w| &w.events)
            .map(|e| (e.event.clone(), e.name.clone()))
            .collect()
    };
    let (before, after) = (events(old), events(new));
    for (event, variant) in &before {
        match after.get(event) {
            None => push(
                Impact::Breaking,
                format!("webhook event `{event}` removed (variant `{variant}`)"),
            ),
            Some(renamed) if renamed != variant => push(
                Impact::Breaking,
                format!("webhook event `{event}` is now variant `{renamed}`, was `{variant}`"),
            ),
            Some(_) => {}
        }
    }
    for event in after.keys().filter(|e| !before.contains_key(*e)) {
        push(Impact::Compatible, format!("webhook event `{event}` added"));
    }
}

/// A type with aliases followed: `type PaymentResponse = Payment` is `Payment` to callers.
fn resolve<'a>(api: &'a Api, ty: &'a TypeRef) -> &'a TypeRef {
    let mut current = ty;
    // Bounded: alias cycles are rejected by lowering, but a diff must not hang on any IR.
    for _ in 0..api.types.len() {
        match current {
            TypeRef::Named(n) => match api.type_def(n).map(|t| &t.kind) {
                Some(TypeKind::Alias(target)) => current = target,
                _ => break,
            },
            _ => break,
        }
    }
    current
}

fn operation(
    (old_api, old): (&Api, &Operation),
    (new_api, new): (&Api, &Operation),
    push: &mut impl FnMut(Impact, String),
) {
    let id = &old.id;
    let names = |op: &Operation| -> Vec<String> {
        op.alternatives.iter().map(|a| a.name.clone()).collect()
    };
    let (before, after) = (names(old), names(new));
    for name in before.iter().filter(|n| !after.contains(n)) {
        push(
            Impact::Breaking,
            format!("operation `{id}`: method `{name}` removed (its media type is gone)"),
        );
    }
    for name in after.iter().filter(|n| !before.contains(n)) {
        push(
            Impact::Compatible,
            format!("operation `{id}`: method `{name}` added (another media type)"),
        );
    }
    if old.method != new.method || old.path != new.path {
        push(
            Impact::Breaking,
            format!(
                "operation `{id}` moved from `{} {}` to `{} {}`",
                old.method, old.path, new.method, new.path
            ),
        );
    }
    for p in &old.params {
        match new
            .params
            .iter()
            .find(|n| n.wire_name == p.wire_name && n.location == p.location)
        {
            None => push(
                Impact::Breaking,
                format!("operation `{id}`: parameter `{}` removed", p.wire_name),
            ),
            Some(n) if n.ty != p.ty => push(
                Impact::Breaking,
                format!("operation `{id}`: parameter `{}` changed type", p.wire_name),
            ),
            Some(n) if n.required && !p.required => push(
                Impact::Breaking,
                format!(
                    "operation `{id}`: parameter `{}` is now required",
                    p.wire_name
                ),
            ),
            Some(_) => {}
        }
    }
    for p in new.params.iter().filter(|n| {
        !old.params
            .iter()
            .any(|p| p.wire_name == n.wire_name && p.location == n.location)
    }) {
        let impact = if p.required {
            Impact::Breaking
        } else {
            Impact::Compatible
        };
        let kind = if p.required { "required" } else { "optional" };
        push(
            impact,
            format!("operation `{id}`: {kind} parameter `{}` added", p.wire_name),
        );
    }
    if old.body.as_ref().map(|b| &b.ty) != new.body.as_ref().map(|b| &b.ty) {
        push(
            Impact::Breaking,
            format!("operation `{id}`: request body type changed"),
        );
    } else if old.body.as_ref().map(|b| b.required) != new.body.as_ref().map(|b| b.required) {
        push(
            Impact::Breaking,
            format!("operation `{id}`: request body changed between required and optional"),
        );
    }
    // The method's signature: its name, and whether it takes a parameters struct.
    if old.name != new.name {
        push(
            Impact::Breaking,
            format!(
                "operation `{id}`: method renamed from `{}` to `{}`",
                old.name, new.name
            ),
        );
    }
    if old.params_type.is_some() != new.params_type.is_some() {
        let change = if new.params_type.is_some() {
            "now takes"
        } else {
            "no longer takes"
        };
        push(
            Impact::Breaking,
            format!("operation `{id}`: the method {change} an optional-parameters argument"),
        );
    }
    let error = |api: &'_ Api, op: &'_ Operation| -> Option<TypeRef> {
        op.error.as_ref().map(|e| resolve(api, &e.ty).clone())
    };
    if error(old_api, old) != error(new_api, new) {
        push(
            Impact::Breaking,
            format!("operation `{id}`: error body type changed"),
        );
    }
    if old.success.shape != new.success.shape {
        let same = |a: &TypeRef, b: &TypeRef| resolve(old_api, a) == resolve(new_api, b);
        let unwrapped = match (&old.success.shape, &new.success.shape) {
            (
                ResponseShape::Data(a) | ResponseShape::Bare(a),
                ResponseShape::Data(b) | ResponseShape::Bare(b),
            )
            | (ResponseShape::List(a), ResponseShape::List(b)) => same(a, b),
            _ => false,
        };
        if unwrapped {
            push(
                Impact::Compatible,
                format!(
                    "operation `{id}`: response envelope changed; the client still returns the same type"
                ),
            );
        } else {
            push(
                Impact::Breaking,
                format!("operation `{id}`: response type changed"),
            );
        }
    }
    if old.idempotent && !new.idempotent {
        push(
            Impact::Breaking,
            format!(
                "operation `{id}` no longer takes an idempotency key: retries of it are no longer safe"
            ),
        );
    }
}

fn type_def(old: &TypeDef, new: &TypeDef, push: &mut impl FnMut(Impact, String)) {
    let name = &old.name;
    match (&old.kind, &new.kind) {
        (TypeKind::Struct(a), TypeKind::Struct(b)) => fields(name, a, b, new.in_request, push),
        (TypeKind::Enum(a), TypeKind::Enum(b)) => {
            for v in a
                .iter()
                .filter(|v| !b.iter().any(|w| w.wire_value == v.wire_value))
            {
                push(
                    Impact::Breaking,
                    format!("`{name}`: value `{}` removed", v.wire_value),
                );
            }
            for v in b
                .iter()
                .filter(|v| !a.iter().any(|w| w.wire_value == v.wire_value))
            {
                push(
                    Impact::Compatible,
                    format!(
                        "`{name}`: value `{}` added (older clients keep it as `Unknown`)",
                        v.wire_value
                    ),
                );
            }
        }
        (a, b) if a != b => push(Impact::Breaking, format!("type `{name}` changed shape")),
        _ => {}
    }
}

fn fields(
    name: &str,
    old: &[Field],
    new: &[Field],
    in_request: bool,
    push: &mut impl FnMut(Impact, String),
) {
    for f in old {
        match new.iter().find(|n| n.wire_name == f.wire_name) {
            None => push(
                Impact::Breaking,
                format!("`{name}.{}` removed", f.wire_name),
            ),
            Some(n) if n.ty != f.ty => push(
                Impact::Breaking,
                format!("`{name}.{}` changed type", f.wire_name),
            ),
            Some(n) if (n.required, n.nullable) != (f.required, f.nullable) => push(
                Impact::Breaking,
                format!("`{name}.{}` changed optionality", f.wire_name),
            ),
            Some(_) => {}
        }
    }
    for f in new
        .iter()
        .filter(|n| !old.iter().any(|f| f.wire_name == n.wire_name))
    {
        let impact = if f.required && in_request {
            Impact::Breaking
        } else {
            Impact::Compatible
        };
        let kind = if f.required { "required" } else { "optional" };
        push(
            impact,
            format!("`{name}`: {kind} field `{}` added", f.wire_name),
        );
    }
}
