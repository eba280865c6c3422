//! Changes to the client's methods: which exist, their names, paths and docs, and what they do
//! on the wire; their parameters are compared in `params.rs`, what they send and return in
//! `payloads.rs`.

use std::collections::BTreeMap;

use super::api::requirement;
use super::params::params;
use super::payloads::{alternatives, body, errors, success};
use super::renames::Renames;
use super::side::{Side, rust_type};
use super::{Aspect, Class, Found};
use crate::ident::bare;
use crate::ir::{Idempotency, Operation, ResponseShape};

pub(super) fn compare(old: &Side, new: &Side, renames: &Renames, found: &mut Found) {
    let before: BTreeMap<&str, &Operation> = old
        .api
        .operations
        .iter()
        .map(|o| (o.id.as_str(), o))
        .collect();
    let after: BTreeMap<&str, &Operation> = new
        .api
        .operations
        .iter()
        .map(|o| (o.id.as_str(), o))
        .collect();
    let mut gone: Vec<&Operation> = Vec::new();
    for (id, op) in &before {
        match after.get(id) {
            Some(now) => operation(old, new, renames, op, now, found),
            None => gone.push(op),
        }
    }
    let mut added: Vec<&Operation> = after
        .iter()
        .filter(|(id, _)| !before.contains_key(*id))
        .map(|(_, op)| *op)
        .collect();
    for op in gone {
        // The same method and path under a new operationId is the same operation.
        if let Some(i) = added
            .iter()
            .position(|n| n.method == op.method && n.path == op.path)
        {
            let now = added.remove(i);
            operation(old, new, renames, op, now, found);
            continue;
        }
        let mut message = format!(
            "removed (operation `{}`, `{} {}`)",
            op.id, op.method, op.path
        );
        if let Some(stream) = &op.stream {
            message.push_str(&format!(", with `Client::{}`", bare(&stream.method)));
        }
        found
            .push(Class::Breaking, Aspect::Source, method(op), message)
            .was(old.operation_at(op));
    }
    for op in added {
        found
            .push(
                Class::Compatible,
                Aspect::Source,
                method(op),
                format!("added (operation `{}`, `{} {}`)", op.id, op.method, op.path),
            )
            .now(new.operation_at(op));
    }
}

/// Where a key travels, as a phrase: ``in the header `PayPal-Request-Id` ``.
fn key_place(idempotency: &Idempotency) -> String {
    match idempotency {
        Idempotency::Header(name) => format!("in the header `{name}`"),
        Idempotency::BodyField(field) => format!("in the body field `{field}`"),
    }
}

pub(super) fn method(op: &Operation) -> String {
    format!("Client::{}", bare(&op.name))
}

/// The operation's own text: summary and description, without the `METHOD /path` line the
/// lowering appends.
fn description(op: &Operation) -> String {
    let paragraphs = &op.docs.paragraphs;
    let own = match paragraphs.last() {
        Some(last) if *last == format!("`{} {}`", op.method, op.path) => {
            &paragraphs[..paragraphs.len() - 1]
        }
        _ => &paragraphs[..],
    };
    own.join("\n\n")
}

/// What the method returns, as callers see it.
pub(super) fn returns(side: &Side, shape: &ResponseShape) -> String {
    match shape {
        ResponseShape::Empty => "()".to_owned(),
        ResponseShape::Text => "String".to_owned(),
        ResponseShape::Bytes => "Bytes".to_owned(),
        ResponseShape::Bare(t) | ResponseShape::Data(t) | ResponseShape::Status(t) => {
            rust_type(&side.canon(t))
        }
        ResponseShape::List(t) => format!("Page<{}>", rust_type(&side.canon(t))),
    }
}

fn operation(
    old: &Side,
    new: &Side,
    renames: &Renames,
    a: &Operation,
    b: &Operation,
    found: &mut Found,
) {
    let subject = method(b);
    let (was, now) = (old.operation_at(a), new.operation_at(b));
    if a.name != b.name {
        found
            .push(
                Class::Breaking,
                Aspect::Source,
                method(a),
                format!("renamed to `{subject}` (operation `{}`)", b.id),
            )
            .at(&was, &now);
    } else if a.id != b.id {
        found
            .push(
                Class::Review,
                Aspect::Source,
                subject.clone(),
                format!(
                    "operationId `{}` is now `{}`: a build that selects operations by id \
                     (`--operation`, `Builder::operations`) must use the new one",
                    a.id, b.id
                ),
            )
            .at(&was, &now);
    }
    if (&a.method, &a.path) != (&b.method, &b.path) {
        found
            .push(
                Class::Compatible,
                Aspect::Behaviour,
                subject.clone(),
                format!(
                    "now calls `{} {}` (was `{} {}`); builds before this change still call the \
                     old one",
                    b.method, b.path, a.method, a.path
                ),
            )
            .at(&was, &now);
    }
    found.deprecation(
        a.deprecated,
        b.deprecated,
        subject.clone(),
        "deprecated: calls now warn",
        (&was, &now),
    );
    let (x, y) = (description(a), description(b));
    if x != y {
        let part = |side: &Side, op: &Operation| {
            if side.operation_part(op, &["description"]) != side.operation_at(op) {
                side.operation_part(op, &["description"])
            } else {
                side.operation_part(op, &["summary"])
            }
        };
        found
            .push(
                Class::Review,
                Aspect::Behaviour,
                subject.clone(),
                "description changed: behaviour may change; read the new text",
            )
            .at(part(old, a), part(new, b))
            .text(x, y);
    }
    let first = found.items.len();
    params(old, new, renames, a, b, found);
    body(old, new, renames, a, b, found);
    success(old, new, renames, a, b, found);
    errors(old, new, renames, a, b, found);
    // The streaming method takes the same arguments and yields the same items: what changes
    // the one changes the other.
    if let (Some(s), Some(t)) = (&a.stream, &b.stream)
        && s.method == t.method
    {
        let named = format!("`{subject}`");
        for item in &mut found.items[first..] {
            if item.subject == subject || item.message.contains(&named) {
                item.message
                    .push_str(&format!("; so does `Client::{}`", bare(&t.method)));
            }
        }
    }
    if a.idempotency != b.idempotency {
        let change = match (&a.idempotency, &b.idempotency) {
            (Some(_), None) => Some((
                Class::Breaking,
                "no longer sends an idempotency key: a call retried after a lost answer may be \
                 applied twice"
                    .to_owned(),
            )),
            (None, Some(now)) => Some((
                Class::Compatible,
                format!(
                    "now sends an idempotency key with every call, reused on its retries, {}",
                    key_place(now)
                ),
            )),
            (Some(before), Some(now)) => Some((
                Class::Review,
                format!(
                    "sends its idempotency key {} instead of {}: a key stored for a recovery is \
                     sent the new way, which the server must read for the retry to be recognised",
                    key_place(now),
                    key_place(before)
                ),
            )),
            (None, None) => None,
        };
        if let Some((class, message)) = change {
            found
                .push(class, Aspect::Behaviour, subject.clone(), message)
                .at(&was, &now);
        }
    }
    if a.server != b.server || a.server_by_environment != b.server_by_environment {
        let place = |op: &Operation| {
            let named: Vec<String> = op
                .server_by_environment
                .iter()
                .map(|(name, url)| format!("`{url}` on {name}"))
                .collect();
            let first = op
                .server
                .as_deref()
                .map_or("the client's base URL".to_owned(), |url| format!("`{url}`"));
            if named.is_empty() {
                first
            } else {
                format!("{first}, {}", named.join(", "))
            }
        };
        found
            .push(
                Class::Review,
                Aspect::Behaviour,
                subject.clone(),
                format!("is now sent to {} (was {})", place(b), place(a)),
            )
            .at(&was, &now);
    }
    if a.security != b.security {
        let effective = |side: &Side, op: &Operation| {
            requirement(op.security.as_ref().unwrap_or(&side.api.security))
        };
        let (x, y) = (effective(old, a), effective(new, b));
        if x != y {
            found
                .push(
                    Class::Compatible,
                    Aspect::Behaviour,
                    subject.clone(),
                    format!("now authenticates with {y} (was {x})"),
                )
                .at(&was, &now);
        }
    }
    match (&a.stream, &b.stream) {
        (Some(s), None) => {
            found
                .push(
                    Class::Breaking,
                    Aspect::Source,
                    format!("Client::{}", bare(&s.method)),
                    "removed: the operation no longer answers with cursor pages",
                )
                .at(&was, &now);
        }
        (None, Some(s)) => {
            found
                .push(
                    Class::Compatible,
                    Aspect::Source,
                    format!("Client::{}", bare(&s.method)),
                    "added: streams every item across pages",
                )
                .at(&was, &now);
        }
        (Some(s), Some(t)) if s.method != t.method => {
            found
                .push(
                    Class::Breaking,
                    Aspect::Source,
                    format!("Client::{}", bare(&s.method)),
                    format!("renamed to `Client::{}`", bare(&t.method)),
                )
                .at(&was, &now);
        }
        (Some(s), Some(t)) if s.cursor_param != t.cursor_param => {
            found
                .push(
                    Class::Compatible,
                    Aspect::Behaviour,
                    format!("Client::{}", bare(&t.method)),
                    format!(
                        "passes the next page's cursor as `{}` (was `{}`)",
                        t.cursor_param, s.cursor_param
                    ),
                )
                .at(&was, &now);
        }
        _ => {}
    }
    alternatives(a, b, &was, &now, found);
}
