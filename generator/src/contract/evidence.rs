//! Whose failure a failed call is. A failure is ours unless there is evidence against the
//! mock: a rule here that recognises one of its known limitations in what it said, or the
//! other validator passing the identical request. Each rule names its evidence, which the
//! report prints beside the failure.

use std::collections::BTreeSet;

use super::calls::CallKind;
use super::mock::MockKind;
use super::report::{self, Cause};
use crate::ir::{Api, TypeKind, TypeRef};

/// Whose failure one is: the mock's only with evidence.
pub(super) fn cause(
    api: &Api,
    op: &crate::ir::Operation,
    call: &CallKind,
    kind: MockKind,
    judged: &report::Judged,
    all: &[(MockKind, report::Judged)],
) -> Cause {
    // The mock stopped while answering: whatever the request, a server that crashes on it is
    // not a verdict on it.
    if let Some(crash) = &judged.mock_crash {
        return Cause::MockLimitation {
            evidence: format!("{} stopped with an error of its own: {crash}", kind.label()),
        };
    }
    // OpenAPI 3: a header parameter named Accept, Content-Type or Authorization "SHALL be
    // ignored"; the client follows that, and a mock that still asks for one is wrong.
    if judged.violated
        && judged
            .violations
            .iter()
            .all(|(message, location)| names_ignored_header(message, location))
    {
        return Cause::MockLimitation {
            evidence: format!(
                "OpenAPI 3 says a header parameter named Accept, Content-Type or Authorization \
                 shall be ignored; {} still requires it",
                kind.label()
            ),
        };
    }
    // Prism is asked for an error status in a `Prefer` header; a document that declares a
    // `Prefer` parameter of its own has Prism check that request header against it.
    if matches!(call, CallKind::ErrorStatus(_))
        && judged.violated
        && judged.violations.iter().all(|(_, location)| {
            matches!(location.as_slice(), [_, place, name, ..]
                if place == "header" && name.eq_ignore_ascii_case("prefer"))
        })
    {
        return Cause::MockLimitation {
            evidence: "the document declares a `Prefer` header parameter, and Prism checks its \
                       own `Prefer: code=` control header against it"
                .to_owned(),
        };
    }
    // Prism reads a multipart part by its count, not by the schema: an array of one item,
    // sent (as OpenAPI says) as one part per item, reaches its validator as a string.
    if judged.violated
        && judged.violations.iter().all(|(message, location)| {
            message.contains("must be array")
                && matches!(location.as_slice(), [_, body, part]
                    if body == "body" && is_repeated_part(api, op, part))
        })
    {
        return Cause::MockLimitation {
            evidence: "Prism reads a multipart array of one item (sent as one part, as OpenAPI \
                       says) as a string, not as an array"
                .to_owned(),
        };
    }
    // Another validator accepted the identical request, and the call passed there.
    if judged.violated
        && let Some((other, _)) = all.iter().find(|(k, j)| {
            *k != kind && j.problems.is_empty() && is_validator(*k) != is_validator(kind)
        })
    {
        return Cause::MockLimitation {
            evidence: format!(
                "{} accepted the identical request and the call passed there; the validators \
                 disagree on it",
                other.label()
            ),
        };
    }
    if !judged.violated
        && let Some(error) = &judged.prism_error
    {
        if error.starts_with("NO_RESPONSE_RESPONSE_DEFINED") || op.responses.is_empty() {
            return Cause::Document {
                evidence: format!("the operation documents no response Prism can give ({error})"),
            };
        }
        return Cause::MockLimitation {
            evidence: format!("Prism could not make an answer: {error}"),
        };
    }
    // Prism made an answer from the schema and says itself that it breaks the schema.
    if !judged.violated && judged.answer_breaks_schema && kind == MockKind::PrismDynamic {
        return Cause::MockLimitation {
            evidence: "Prism reports that its own dynamic answer breaks the response schema"
                .to_owned(),
        };
    }
    // The document's example is refused by its own schema (Prism says so of its answer).
    if !judged.violated && judged.answer_breaks_schema && kind == MockKind::PrismStatic {
        return Cause::Document {
            evidence: "Prism reports that the document's own example breaks the response \
                       schema it answers for"
                .to_owned(),
        };
    }
    // Prism's dynamic answers draw integers from `minimum`/`maximum` alone: a sized format
    // (`uint8`, `int32`), which the client decodes into that Rust integer, is not a bound to
    // it. The document's example decoded through the same type.
    let static_passed = all
        .iter()
        .any(|(k, j)| *k == MockKind::PrismStatic && j.problems.is_empty());
    if kind == MockKind::PrismDynamic
        && !judged.violated
        && static_passed
        && let Some(sized) = judged
            .problems
            .iter()
            .find_map(|p| sized_integer_overflow(&p.message))
    {
        return Cause::MockLimitation {
            evidence: format!(
                "Prism's dynamic answer has an integer outside the document's `{sized}` format \
                 (it bounds values by minimum/maximum only); the document's example decoded"
            ),
        };
    }
    // Prism's dynamic answers fill a discriminator with any string; the document's own
    // example decoded through the same type.
    if kind == MockKind::PrismDynamic
        && !judged.violated
        && all
            .iter()
            .any(|(k, j)| *k == MockKind::PrismStatic && j.problems.is_empty())
        && success_has_tagged_union(api, op)
    {
        return Cause::MockLimitation {
            evidence: "Prism's dynamic answers do not evaluate discriminators, and the answer \
                       holds a tagged union; the document's example decoded under prism"
                .to_owned(),
        };
    }
    Cause::Ours
}

/// Whether a violation is about a header parameter OpenAPI says is ignored. Prism names the
/// header in its location (`request.header.accept`) or, for a missing one, only in its
/// message ("must have required property 'authorization'").
fn names_ignored_header(message: &str, location: &[String]) -> bool {
    const IGNORED: [&str; 3] = ["accept", "content-type", "authorization"];
    match location {
        [_, place, name, ..] if place == "header" => {
            IGNORED.contains(&name.to_ascii_lowercase().as_str())
        }
        [_, place] if place == "header" => {
            let message = message.to_ascii_lowercase();
            IGNORED
                .iter()
                .any(|h| message.contains(&format!("required property '{h}'")))
        }
        _ => false,
    }
}

/// The Rust integer a decode failure says a value did not fit (`u16` in "invalid value:
/// integer `10318357`, expected u16"), when that is the failure.
fn sized_integer_overflow(message: &str) -> Option<&'static str> {
    if !message.starts_with("decode_error") || !message.contains("invalid value: integer") {
        return None;
    }
    ["u8", "u16", "u32", "i8", "i16", "i32"]
        .into_iter()
        .find(|t| {
            message.contains(&format!("expected {t} "))
                || message.ends_with(&format!("expected {t}"))
        })
}

/// Whether `wire_name` is a multipart part sent once per item (an array of texts or files).
fn is_repeated_part(api: &Api, op: &crate::ir::Operation, wire_name: &str) -> bool {
    let Some(TypeRef::Named(n)) = op.body.as_ref().map(|b| &b.ty) else {
        return false;
    };
    match api.type_def(n).map(|t| &t.kind) {
        Some(TypeKind::Multipart(parts)) => parts.iter().any(|p| {
            p.wire_name == wire_name
                && matches!(
                    p.kind,
                    crate::ir::PartKind::Texts(_) | crate::ir::PartKind::Files
                )
        }),
        _ => false,
    }
}

/// Prism (static or dynamic) is one validator, Steady another.
fn is_validator(kind: MockKind) -> bool {
    kind == MockKind::Steady
}

/// Whether the operation's success body reaches a union with a tag.
fn success_has_tagged_union(api: &Api, op: &crate::ir::Operation) -> bool {
    use crate::ir::ResponseShape;
    let root = match &op.success.shape {
        ResponseShape::Bare(t)
        | ResponseShape::Data(t)
        | ResponseShape::List(t)
        | ResponseShape::Status(t) => t.clone(),
        _ => return false,
    };
    let mut stack = vec![root];
    let mut visited = BTreeSet::new();
    while let Some(t) = stack.pop() {
        match t {
            TypeRef::Named(n) => {
                if !visited.insert(n.clone()) {
                    continue;
                }
                match api.type_def(&n).map(|d| &d.kind) {
                    Some(TypeKind::Union(u)) if u.tag.is_some() => return true,
                    Some(TypeKind::Union(u)) => {
                        stack.extend(u.variants.iter().map(|v| v.ty.clone()))
                    }
                    Some(TypeKind::Struct(fields)) => {
                        stack.extend(fields.iter().map(|f| f.ty.clone()))
                    }
                    Some(TypeKind::Alias(a)) => stack.push(a.clone()),
                    Some(TypeKind::Statuses(s)) => {
                        stack.extend(s.iter().filter_map(|v| v.ty.clone()))
                    }
                    _ => {}
                }
            }
            TypeRef::Vec(i) | TypeRef::Map(i) | TypeRef::Nullable(i) => stack.push(*i),
            TypeRef::Tuple(items) => stack.extend(items),
            _ => {}
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::{names_ignored_header, sized_integer_overflow};

    fn location(parts: &[&str]) -> Vec<String> {
        parts.iter().map(|p| (*p).to_owned()).collect()
    }

    #[test]
    fn an_integer_beyond_its_rust_type_is_named() {
        let message = "decode_error: could not decode 200 OK response at `ncpus`: invalid \
                       value: integer `10318357`, expected u16 at line 1 column 206";
        assert_eq!(sized_integer_overflow(message), Some("u16"));
        let other = "decode_error: could not decode 200 OK response at `id`: invalid type: \
                     integer `5`, expected a string at line 1 column 7";
        assert_eq!(sized_integer_overflow(other), None);
    }

    #[test]
    fn only_the_headers_openapi_ignores_are_the_mocks_fault() {
        let missing = "Request header must have required property 'authorization'";
        assert!(names_ignored_header(
            missing,
            &location(&["request", "header"])
        ));
        assert!(names_ignored_header(
            "Missing required header parameter: Authorization",
            &location(&["request", "header", "Authorization"])
        ));
        assert!(!names_ignored_header(
            "Request header must have required property 'x-trace'",
            &location(&["request", "header"])
        ));
        assert!(!names_ignored_header(
            missing,
            &location(&["request", "query", "authorization"])
        ));
    }
}
