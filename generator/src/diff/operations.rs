//! Changes to the client's methods: which exist, their arguments and parameters structs, the
//! bodies they send, what they return, how they fail, and what they do on the wire.

use std::collections::BTreeMap;

use super::api::requirement;
use super::renames::Renames;
use super::side::{Side, rust_type};
use super::{Aspect, Class, Found};
use crate::ident::bare;
use crate::ir::{
    Body, BodyContent, Operation, Param, ParamLocation, ParamStyle, ResponseShape, StatusMatch,
};

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

fn method(op: &Operation) -> String {
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
fn returns(side: &Side, shape: &ResponseShape) -> String {
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
    if a.idempotent != b.idempotent {
        let (class, message) = if a.idempotent {
            (
                Class::Breaking,
                "no longer sends an idempotency key: a call retried after a lost answer may be \
                 applied twice",
            )
        } else {
            (
                Class::Compatible,
                "now sends an idempotency key with every call, reused on its retries",
            )
        };
        found
            .push(class, Aspect::Behaviour, subject.clone(), message)
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

fn location_word(l: ParamLocation) -> &'static str {
    match l {
        ParamLocation::Path => "path",
        ParamLocation::Query => "query",
        ParamLocation::Header => "header",
        ParamLocation::Cookie => "cookie",
    }
}

fn style_word(s: ParamStyle) -> &'static str {
    match s {
        ParamStyle::Form { explode: true } => "form (exploded)",
        ParamStyle::Form { explode: false } => "form (comma-separated)",
        ParamStyle::SpaceDelimited => "space-delimited",
        ParamStyle::PipeDelimited => "pipe-delimited",
        ParamStyle::DeepObject => "deepObject",
    }
}

/// Required parameters are the method's arguments, in order; optional ones are fields and
/// setters of its parameters struct.
fn params(
    old: &Side,
    new: &Side,
    renames: &Renames,
    a: &Operation,
    b: &Operation,
    found: &mut Found,
) {
    let subject = method(b);
    let params_type = |op: &Operation| op.params_type.clone().unwrap_or_default();
    // Where callers set it: an argument of the method, or the parameters struct.
    let setter = |op: &Operation, p: &Param| {
        if p.required {
            format!("{} argument `{}`", method(op), bare(&p.name))
        } else {
            format!("{}::{}", params_type(op), bare(&p.name))
        }
    };
    let key = |p: &Param| (p.wire_name.clone(), p.location);
    let mut argument_broke = false;
    for p in &a.params {
        let was = old.param_at(a, p);
        let Some(q) = b.params.iter().find(|q| key(q) == key(p)) else {
            // The same name elsewhere (query → header) is the same parameter, moved.
            if let Some(q) = b.params.iter().find(|q| {
                q.wire_name == p.wire_name
                    && q.required == p.required
                    && renames.same(old, new, &p.ty, &q.ty)
                    && !a.params.iter().any(|o| key(o) == key(q))
            }) {
                found
                    .push(
                        Class::Compatible,
                        Aspect::Behaviour,
                        setter(b, q),
                        format!(
                            "`{}` is now sent in the {} (was the {})",
                            q.wire_name,
                            location_word(q.location),
                            location_word(p.location)
                        ),
                    )
                    .at(&was, new.param_at(b, q));
                continue;
            }
            argument_broke |= p.required;
            found
                .push(
                    Class::Breaking,
                    Aspect::Source,
                    setter(a, p),
                    format!(
                        "removed: the {} parameter `{}` of `{subject}` is gone",
                        location_word(p.location),
                        p.wire_name
                    ),
                )
                .was(was);
            continue;
        };
        let now = new.param_at(b, q);
        if p.required != q.required {
            argument_broke = true;
            let message = if q.required {
                format!(
                    "now required: it moves from `{}` to an argument of `{subject}`",
                    setter(a, p)
                )
            } else {
                format!(
                    "now optional: it moves from the arguments of `{subject}` to `{}`",
                    setter(b, q)
                )
            };
            found
                .push(Class::Breaking, Aspect::Source, setter(a, p), message)
                .at(&was, &now);
            continue;
        }
        if !renames.same(old, new, &p.ty, &q.ty) {
            argument_broke |= p.required;
            found
                .push(
                    Class::Breaking,
                    Aspect::Source,
                    setter(b, q),
                    format!(
                        "type changed from `{}` to `{}`",
                        rust_type(&renames.in_new_names(old, &p.ty)),
                        rust_type(&new.canon(&q.ty))
                    ),
                )
                .at(&was, &now);
        }
        if !q.required && p.name != q.name {
            found
                .push(
                    Class::Breaking,
                    Aspect::Source,
                    setter(a, p),
                    format!("renamed to `{}`", setter(b, q)),
                )
                .at(&was, &now);
        }
        if p.style != q.style {
            found
                .push(
                    Class::Compatible,
                    Aspect::Behaviour,
                    setter(b, q),
                    format!(
                        "now written {} (was {})",
                        style_word(q.style),
                        style_word(p.style)
                    ),
                )
                .at(&was, &now);
        }
        found.deprecation(
            p.deprecated,
            q.deprecated,
            setter(b, q),
            "deprecated",
            (&was, &now),
        );
        found.description(&p.docs, &q.docs, setter(b, q), (&was, &now));
    }
    let mut new_optional = Vec::new();
    for q in b
        .params
        .iter()
        .filter(|q| !a.params.iter().any(|p| key(p) == key(q)))
    {
        let moved = a.params.iter().any(|p| {
            p.wire_name == q.wire_name
                && p.required == q.required
                && renames.same(old, new, &p.ty, &q.ty)
                && !b.params.iter().any(|o| key(o) == key(p))
        });
        if moved {
            continue;
        }
        let now = new.param_at(b, q);
        if q.required {
            argument_broke = true;
            found
                .push(
                    Class::Breaking,
                    Aspect::Source,
                    subject.clone(),
                    format!(
                        "new required argument `{}` (the {} parameter `{}`)",
                        bare(&q.name),
                        location_word(q.location),
                        q.wire_name
                    ),
                )
                .now(now);
        } else if a.params_type.is_some() {
            found
                .push(
                    Class::Compatible,
                    Aspect::Source,
                    setter(b, q),
                    format!(
                        "added: the optional {} parameter `{}` of `{subject}`",
                        location_word(q.location),
                        q.wire_name
                    ),
                )
                .now(now);
        } else {
            new_optional.push(format!("`{}`", q.wire_name));
        }
    }
    match (&a.params_type, &b.params_type) {
        (None, Some(t)) => {
            found
                .push(
                    Class::Breaking,
                    Aspect::Source,
                    subject.clone(),
                    format!(
                        "now takes a `{t}` argument for its optional parameters ({})",
                        new_optional.join(", ")
                    ),
                )
                .at(old.operation_at(a), new.operation_at(b));
        }
        (Some(t), None) => {
            found
                .push(
                    Class::Breaking,
                    Aspect::Source,
                    subject.clone(),
                    format!("no longer takes a `{t}` argument: it has no optional parameters"),
                )
                .at(old.operation_at(a), new.operation_at(b));
        }
        (Some(s), Some(t)) if s != t => {
            found
                .push(
                    Class::Breaking,
                    Aspect::Source,
                    s.clone(),
                    format!("renamed to `{t}`"),
                )
                .at(old.operation_at(a), new.operation_at(b));
        }
        _ => {}
    }
    // Arguments are positional: the same set in another order swaps values silently.
    if !argument_broke {
        let order = |side: &Side, op: &Operation, in_new: bool| -> Vec<(String, String)> {
            op.params
                .iter()
                .filter(|p| p.required)
                .map(|p| {
                    let ty = if in_new {
                        rust_type(&side.canon(&p.ty))
                    } else {
                        rust_type(&renames.in_new_names(side, &p.ty))
                    };
                    (p.wire_name.clone(), ty)
                })
                .collect()
        };
        if order(old, a, false) != order(new, b, true) {
            found
                .push(
                    Class::Breaking,
                    Aspect::Source,
                    subject,
                    "its arguments are in a different order",
                )
                .at(old.operation_at(a), new.operation_at(b));
        }
    }
}

/// The argument a body is passed as.
fn body_argument(side: &Side, body: &Body) -> String {
    let inner = match body.content {
        BodyContent::Binary => "Upload".to_owned(),
        _ => format!("&{}", rust_type(&side.canon(&body.ty))),
    };
    if body.required {
        inner
    } else {
        format!("Option<{inner}>")
    }
}

fn content_word(c: &BodyContent) -> &'static str {
    match c {
        BodyContent::Json => "JSON",
        BodyContent::Form(_) => "a form",
        BodyContent::Multipart => "multipart form data",
        BodyContent::Binary => "raw bytes",
        BodyContent::Text => "text",
    }
}

fn body(
    old: &Side,
    new: &Side,
    renames: &Renames,
    a: &Operation,
    b: &Operation,
    found: &mut Found,
) {
    let subject = method(b);
    let (was, now) = (
        old.operation_part(a, &["requestBody"]),
        new.operation_part(b, &["requestBody"]),
    );
    match (&a.body, &b.body) {
        (None, None) => {}
        (None, Some(y)) => {
            found
                .push(
                    Class::Breaking,
                    Aspect::Source,
                    subject,
                    format!("now takes a request body (`{}`)", body_argument(new, y)),
                )
                .at(&was, &now);
        }
        (Some(x), None) => {
            found
                .push(
                    Class::Breaking,
                    Aspect::Source,
                    subject,
                    format!(
                        "no longer takes a request body (was `{}`)",
                        body_argument(old, x)
                    ),
                )
                .at(&was, &now);
        }
        (Some(x), Some(y)) => {
            let binary = |c: &BodyContent| matches!(c, BodyContent::Binary);
            let same_type = binary(&x.content) && binary(&y.content)
                || !binary(&x.content)
                    && !binary(&y.content)
                    && renames.same(old, new, &x.ty, &y.ty);
            if !same_type || x.required != y.required {
                let old_arg = match &x.content {
                    BodyContent::Binary => body_argument(old, x),
                    _ => {
                        let t = format!("&{}", rust_type(&renames.in_new_names(old, &x.ty)));
                        if x.required {
                            t
                        } else {
                            format!("Option<{t}>")
                        }
                    }
                };
                found
                    .push(
                        Class::Breaking,
                        Aspect::Source,
                        subject.clone(),
                        format!(
                            "its body argument is now `{}` (was `{old_arg}`)",
                            body_argument(new, y)
                        ),
                    )
                    .at(&was, &now);
            }
            if std::mem::discriminant(&x.content) != std::mem::discriminant(&y.content) {
                found
                    .push(
                        Class::Compatible,
                        Aspect::Behaviour,
                        subject.clone(),
                        format!(
                            "sends its body as {} (was {})",
                            content_word(&y.content),
                            content_word(&x.content)
                        ),
                    )
                    .at(&was, &now);
            } else if x.content != y.content {
                found
                    .push(
                        Class::Compatible,
                        Aspect::Behaviour,
                        subject.clone(),
                        "writes some form fields differently (the spec's `encoding` changed)",
                    )
                    .at(&was, &now);
            }
            if x.media_type != y.media_type {
                found
                    .push(
                        Class::Compatible,
                        Aspect::Behaviour,
                        subject,
                        format!(
                            "sends its body as `{}` (was `{}`)",
                            y.media_type, x.media_type
                        ),
                    )
                    .at(&was, &now);
            }
        }
    }
}

fn success(
    old: &Side,
    new: &Side,
    renames: &Renames,
    a: &Operation,
    b: &Operation,
    found: &mut Found,
) {
    let subject = method(b);
    let at = |side: &Side, op: &Operation| {
        side.operation_part(op, &["responses", &op.success.status.to_string()])
    };
    let (was, now) = (at(old, a), at(new, b));
    let same = |x, y| renames.same(old, new, x, y);
    use ResponseShape::*;
    let (x, y) = (&a.success.shape, &b.success.shape);
    let wrapped = |s: &ResponseShape| matches!(s, Data(_));
    match (x, y) {
        (Data(s) | Bare(s), Data(t) | Bare(t)) if same(s, t) => {
            if wrapped(x) != wrapped(y) {
                let how = if wrapped(y) {
                    "now comes wrapped in `{\"success\": true, \"data\": ...}`"
                } else {
                    "no longer comes wrapped in `{\"success\": true, \"data\": ...}`"
                };
                found
                    .push(
                        Class::Compatible,
                        Aspect::Behaviour,
                        subject.clone(),
                        format!(
                            "the response {how}; the method still returns `{}`; builds \
                             before this change expect the old shape, which the API version \
                             they pin must keep",
                            returns(new, y)
                        ),
                    )
                    .at(&was, &now);
            }
        }
        (List(s), List(t)) | (Data(s), Data(t)) if same(s, t) => {
            // The keys around the payload, which the client reads past or by name.
            let (before, after) = (old.success_properties(a), new.success_properties(b));
            if let (Some(before), Some(after)) = (before, after)
                && before != after
            {
                let list = |keys: &[String]| {
                    keys.iter()
                        .map(|k| format!("`{k}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                };
                found
                    .push(
                        Class::Compatible,
                        Aspect::Behaviour,
                        subject.clone(),
                        format!(
                            "the response's envelope now holds {} (was {}); the method still \
                             returns `{}`, read from the same keys",
                            list(&after),
                            list(&before),
                            returns(new, y)
                        ),
                    )
                    .at(&was, &now);
            }
        }
        (Status(s), Status(t)) if same(s, t) => {}
        (Empty, Empty) | (Text, Text) | (Bytes, Bytes) => {}
        _ => {
            let old_returns = match x {
                Bare(s) | Data(s) | Status(s) => rust_type(&renames.in_new_names(old, s)),
                List(s) => format!("Page<{}>", rust_type(&renames.in_new_names(old, s))),
                other => returns(old, other),
            };
            found
                .push(
                    Class::Breaking,
                    Aspect::Source,
                    subject.clone(),
                    format!("now returns `{}` (was `{old_returns}`)", returns(new, y)),
                )
                .at(&was, &now);
        }
    }
    if a.success.status != b.success.status {
        found
            .push(
                Class::Compatible,
                Aspect::Behaviour,
                subject.clone(),
                format!(
                    "succeeds with status {} (was {})",
                    b.success.status, a.success.status
                ),
            )
            .at(&was, &now);
    }
    if a.success.media_type != b.success.media_type {
        found
            .push(
                Class::Compatible,
                Aspect::Behaviour,
                subject,
                format!(
                    "asks for `{}` (was `{}`)",
                    b.success.media_type.as_deref().unwrap_or("no body"),
                    a.success.media_type.as_deref().unwrap_or("no body")
                ),
            )
            .at(&was, &now);
    }
}

fn status_word(s: &StatusMatch) -> String {
    match s {
        StatusMatch::Code(c) => c.to_string(),
        StatusMatch::Range(r) => format!("{r}XX"),
        StatusMatch::Default => "default".to_owned(),
    }
}

/// The error body type, and the documented responses. Every error status is decoded the same
/// way, so a status documented or no longer documented changes only the method's docs.
fn errors(
    old: &Side,
    new: &Side,
    renames: &Renames,
    a: &Operation,
    b: &Operation,
    found: &mut Found,
) {
    let subject = method(b);
    let (x, y) = (old.api.error_body(a), new.api.error_body(b));
    let (was, now) = (old.operation_at(a), new.operation_at(b));
    if !renames.same(old, new, &x, &y) {
        found
            .push(
                Class::Breaking,
                Aspect::Source,
                subject.clone(),
                format!(
                    "now fails with `rt::Error<{}>` (was `rt::Error<{}>`)",
                    rust_type(&new.canon(&y)),
                    rust_type(&renames.in_new_names(old, &x))
                ),
            )
            .at(&was, &now);
    } else {
        let field = |op: &Operation| op.error.as_ref().and_then(|e| e.field.clone());
        if field(a) != field(b) {
            let how = match field(b) {
                Some(f) => format!("now come wrapped under `{f}`"),
                None => "no longer come wrapped".to_owned(),
            };
            found
                .push(
                    Class::Compatible,
                    Aspect::Behaviour,
                    subject.clone(),
                    format!("error bodies {how}; the error type is the same"),
                )
                .at(&was, &now);
        }
    }
    let response_at = |side: &Side, op: &Operation, s: &StatusMatch| {
        side.operation_site(op, &["responses", &status_word(s)])
    };
    for r in &a.responses {
        match b.responses.iter().find(|q| q.status == r.status) {
            None => {
                found
                    .push(
                        Class::Patch,
                        Aspect::Docs,
                        subject.clone(),
                        format!(
                            "no longer documents a `{}` response (every status is still \
                             decoded the same way)",
                            status_word(&r.status)
                        ),
                    )
                    .was(response_at(old, a, &r.status));
            }
            Some(q) if q.description != r.description => {
                found
                    .push(
                        Class::Patch,
                        Aspect::Docs,
                        subject.clone(),
                        format!(
                            "the `{}` response's description changed",
                            status_word(&r.status)
                        ),
                    )
                    .at(
                        response_at(old, a, &r.status),
                        response_at(new, b, &q.status),
                    )
                    .text(r.description.clone(), q.description.clone());
            }
            Some(_) => {}
        }
    }
    for q in b
        .responses
        .iter()
        .filter(|q| !a.responses.iter().any(|r| r.status == q.status))
    {
        found
            .push(
                Class::Patch,
                Aspect::Docs,
                subject.clone(),
                format!(
                    "documents a `{}` response (decoded like every other status)",
                    status_word(&q.status)
                ),
            )
            .now(response_at(new, b, &q.status));
    }
}

/// Methods for other media types of the same answer (`get_invoice_as_pdf`).
fn alternatives(a: &Operation, b: &Operation, was: &str, now: &str, found: &mut Found) {
    let names = |op: &Operation| -> Vec<String> {
        op.alternatives
            .iter()
            .map(|x| bare(&x.name).to_owned())
            .collect()
    };
    let (before, after) = (names(a), names(b));
    for name in before.iter().filter(|n| !after.contains(n)) {
        found
            .push(
                Class::Breaking,
                Aspect::Source,
                format!("Client::{name}"),
                "removed: the spec no longer offers its media type",
            )
            .was(was);
    }
    for name in after.iter().filter(|n| !before.contains(n)) {
        found
            .push(
                Class::Compatible,
                Aspect::Source,
                format!("Client::{name}"),
                "added: the same call answered in another media type",
            )
            .now(now);
    }
}
