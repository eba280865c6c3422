//! Changes to what a method sends and gets back: its request body, its success answer, its
//! error body and documented responses, and its methods for other media types.

use super::operations::{method, returns};
use super::renames::Renames;
use super::side::{Side, rust_type};
use super::{Aspect, Class, Found};
use crate::ident::bare;
use crate::ir::{Body, BodyContent, Operation, ResponseShape, StatusMatch};

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

pub(super) fn body(
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

pub(super) fn success(
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
pub(super) fn errors(
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
pub(super) fn alternatives(a: &Operation, b: &Operation, was: &str, now: &str, found: &mut Found) {
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
