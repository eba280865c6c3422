//! Changes to a method's parameters: its arguments (required parameters, in order) and the
//! fields and setters of its parameters struct (optional ones), and how each is sent.

use super::operations::method;
use super::renames::Renames;
use super::side::{Side, rust_type};
use super::{Aspect, Class, Found};
use crate::ident::bare;
use crate::ir::{Operation, Param, ParamLocation, ParamStyle};

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
pub(super) fn params(
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
