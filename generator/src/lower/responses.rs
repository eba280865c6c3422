//! Responses → what a success returns (JSON, text, bytes or nothing) and the error body.

use openapiv3::{ReferenceOr, StatusCode};

use super::Lowerer;
use super::content::{MediaKind, preferred};
use super::refs;
use crate::diagnostic::{Diagnostic, child};
use crate::doc;
use crate::ident;
use crate::ir::{
    Docs, ErrorShape, ResponseDoc, ResponseShape, StatusMatch, StatusVariant, Success, TypeDef,
    TypeKind, TypeRef,
};

/// The responses of one operation.
pub(super) struct Responses {
    pub(super) success: Success,
    /// Other media types of the one success response, by a name for each (`pdf`, `csv`).
    pub(super) alternatives: Vec<(String, Success)>,
    pub(super) error: Option<ErrorShape>,
    pub(super) docs: Vec<ResponseDoc>,
    /// Every media type the responses name, success first, each once: what the operation
    /// asks for (`Accept`) when its success names none (a body the client ignores).
    pub(super) media_types: Vec<String>,
}

impl<'a> Lowerer<'a> {
    pub(super) fn responses(
        &mut self,
        op: &'a openapiv3::Operation,
        at: &str,
        type_base: &str,
    ) -> Responses {
        let doc = self.doc;
        let responses_at = child(at, "responses");
        let mut all: Vec<(StatusMatch, &'a ReferenceOr<openapiv3::Response>, String)> = op
            .responses
            .responses
            .iter()
            .map(|(code, r)| {
                let status = match code {
                    StatusCode::Code(c) => StatusMatch::Code(*c),
                    StatusCode::Range(r) => StatusMatch::Range(*r),
                };
                (status, r, child(&responses_at, &code.to_string()))
            })
            .collect();
        if let Some(d) = &op.responses.default {
            all.push((StatusMatch::Default, d, child(&responses_at, "default")));
        }
        all.sort_by(|a, b| a.0.cmp(&b.0));
        // Without a 2xx, a documented redirect is how the operation answers (a login that
        // sends the browser on with `303 See Other`): it is the success.
        let has_2xx = all
            .iter()
            .any(|(s, _, _)| matches!(s, StatusMatch::Code(200..=299) | StatusMatch::Range(2)));
        let (mut success_media, mut error_media) = (Vec::new(), Vec::new());

        let mut answers: Vec<Answer> = Vec::new();
        let mut alternatives = Vec::new();
        // A success response that was rejected already has its own diagnostic.
        let mut success_declared = false;
        let mut error: Option<(ErrorShape, String)> = None;
        let mut docs = Vec::new();
        for (status, response, r_at) in all {
            let (response, resolved_at) = match refs::response(doc, response, &r_at) {
                Ok(found) => found,
                Err(d) => {
                    self.diags.push(d);
                    continue;
                }
            };
            docs.push(ResponseDoc {
                status: status.clone(),
                description: doc::sanitize(&response.description),
            });
            if status == StatusMatch::Code(101) && !has_2xx {
                // An upgrade is all the operation answers: what follows is another protocol.
                self.diags.push(
                    Diagnostic::error(
                        &r_at,
                        "the operation answers `101 Switching Protocols`: it upgrades the \
                         connection to another protocol (a WebSocket), which this client \
                         doesn't speak",
                    )
                    .with_help("call it with a WebSocket client; the rest of the API is generated")
                    .unsupported(),
                );
                // Declared, though not supported: "no success" would be a second, wrong reason.
                success_declared = true;
                continue;
            }
            // 101 (an upgrade) beside a 2xx answers a successful request too, without a body.
            let is_success = matches!(
                status,
                StatusMatch::Code(200..=299 | 101) | StatusMatch::Range(2)
            ) || (!has_2xx
                && matches!(status, StatusMatch::Code(300..=399) | StatusMatch::Range(3)));
            let named = if is_success {
                &mut success_media
            } else {
                &mut error_media
            };
            named.extend(response.content.keys().cloned());
            success_declared |= is_success;
            let content_at = child(&resolved_at, "content");
            let chosen = preferred(doc, &response.content);
            if !is_success {
                // Error bodies that are not JSON (an HTML page from a proxy) are kept as raw
                // text on the error; only a JSON schema gives a typed error body.
                if let Some((m, c, MediaKind::Json)) = chosen
                    && let Some(s) = &c.schema
                {
                    let s_at = child(&child(&content_at, m), "schema");
                    let shape = self.error_shape(s.into(), &s_at);
                    match &error {
                        None => error = Some((shape, schema_identity(s, &s_at))),
                        Some((first, identity)) if *first != shape && *identity != schema_identity(s, &s_at) => self.diags.push(
                            Diagnostic::warning(&r_at, "this error response has a different body than the operation's first one: it is decoded as the first one's, and where it doesn't fit the error is `UnexpectedStatus` with the start of the body")
                                .with_help("give the operation's error responses one schema, or document the body of each status alike"),
                        ),
                        Some(_) => {}
                    }
                }
                continue;
            }
            let code = match status {
                StatusMatch::Code(c) => c,
                StatusMatch::Range(3) => 300,
                _ => 200,
            };
            let (shape, media_type) = match chosen {
                // A 204 has no body, whatever the spec says.
                Some(_) if matches!(code, 204 | 205 | 101) => {
                    self.diags.push(
                        Diagnostic::warning(
                            &content_at,
                            format!("a {code} response has no body; its content is ignored"),
                        )
                        .with_help("remove the content, or use 200 for a response with a body"),
                    );
                    (ResponseShape::Empty, None)
                }
                Some((m, c, MediaKind::Json)) => match &c.schema {
                    Some(s) => {
                        let s_at = child(&child(&content_at, m), "schema");
                        (
                            self.success_shape(s.into(), &s_at, &format!("{type_base}Response")),
                            Some(m.clone()),
                        )
                    }
                    // JSON without a schema: keep the body, untyped.
                    None => (ResponseShape::Bare(TypeRef::Json), Some(m.clone())),
                },
                Some((m, _, MediaKind::Text)) => (ResponseShape::Text, Some(m.clone())),
                Some((m, _, _)) => (ResponseShape::Bytes, Some(m.clone())),
                None => (ResponseShape::Empty, None),
            };
            if let Some((chosen_media, _, _)) = chosen
                && !matches!(code, 204 | 205 | 101)
            {
                alternatives = other_media(doc, &response.content, chosen_media, code);
            }
            answers.push(Answer {
                code,
                exact: matches!(status, StatusMatch::Code(_)),
                shape,
                media_type,
                description: doc::sanitize(&response.description),
                at: r_at,
            });
        }
        // A choice of media types only makes sense for an operation with one answer.
        if answers.len() != 1 {
            alternatives.clear();
        }
        let success = if answers.is_empty() {
            if !success_declared {
                self.diags.push(
                    Diagnostic::warning(
                        &responses_at,
                        "no success (2XX) response is declared; the call returns nothing",
                    )
                    .with_help("declare the 200 response"),
                );
            }
            Success {
                status: 200,
                shape: ResponseShape::Empty,
                media_type: None,
            }
        } else {
            self.success(answers, &responses_at, type_base)
        };
        Responses {
            success,
            alternatives,
            error: error.map(|(shape, _)| shape),
            docs,
            media_types: success_media.into_iter().chain(error_media).fold(
                Vec::new(),
                |mut all, m| {
                    if !all.contains(&m) {
                        all.push(m);
                    }
                    all
                },
            ),
        }
    }
}

/// One declared success answer.
struct Answer {
    code: u16,
    /// A status code rather than a range (`2XX`) or `default`.
    exact: bool,
    shape: ResponseShape,
    media_type: Option<String>,
    description: String,
    at: String,
}

impl Lowerer<'_> {
    /// What a call returns. One body for every success status is that body. Statuses with
    /// different bodies (`201` with the object, `204` without) become an enum chosen by the
    /// status, when each is a status code with a bare JSON body or none; anything else
    /// decodes as the first answer, with a warning for each one that differs.
    fn success(&mut self, answers: Vec<Answer>, responses_at: &str, type_base: &str) -> Success {
        let first = &answers[0];
        if answers.iter().all(|a| a.shape == first.shape) {
            return Success {
                status: first.code,
                shape: first.shape.clone(),
                media_type: first.media_type.clone(),
            };
        }
        let by_status = answers
            .iter()
            .all(|a| a.exact && matches!(a.shape, ResponseShape::Bare(_) | ResponseShape::Empty));
        if !by_status {
            for a in &answers[1..] {
                if a.shape != first.shape {
                    self.diags.push(
                        Diagnostic::warning(
                            &a.at,
                            "a second success response with a different body is ignored",
                        )
                        .with_help(format!(
                            "the client decodes every success as the {} response; statuses \
                             with different JSON bodies (or none) become an enum by status",
                            first.code
                        )),
                    );
                }
            }
            return Success {
                status: first.code,
                shape: first.shape.clone(),
                media_type: first.media_type.clone(),
            };
        }
        let name = self
            .type_scope
            .claim(ident::type_name(&format!("{type_base}Outcome")));
        let mut docs = Docs::default();
        docs.push(format!(
            "The answer of `{}`, by status: its success statuses carry different bodies.",
            type_base
        ));
        let variants = answers
            .iter()
            .map(|a| {
                let mut docs = Docs::default();
                docs.push(format!("`{}`: {}", a.code, a.description));
                StatusVariant {
                    status: a.code,
                    name: status_name(a.code),
                    ty: match &a.shape {
                        ResponseShape::Bare(ty) => Some(ty.clone()),
                        _ => None,
                    },
                    docs,
                }
            })
            .collect();
        self.types.push(TypeDef {
            name: name.clone(),
            origin: format!("#{responses_at}"),
            docs,
            deprecated: false,
            kind: TypeKind::Statuses(variants),
            in_request: false,
        });
        Success {
            status: first.code,
            shape: ResponseShape::Status(TypeRef::Named(name)),
            media_type: answers.iter().find_map(|a| a.media_type.clone()),
        }
    }
}

/// The media types of a response besides `chosen` that give the caller something else (text
/// or bytes rather than JSON, a PDF rather than CSV), each named by its subtype. Wildcards
/// and other JSON flavours are the same answer as JSON.
fn other_media(
    doc: &openapiv3::OpenAPI,
    content: &indexmap::IndexMap<String, openapiv3::MediaType>,
    chosen: &str,
    code: u16,
) -> Vec<(String, Success)> {
    let mut out: Vec<(String, Success)> = Vec::new();
    for (media, c) in content {
        if media == chosen || media.contains('*') {
            continue;
        }
        let schema = c
            .schema
            .as_ref()
            .and_then(|s| refs::schema(doc, s.into(), "").ok())
            .map(|(s, _)| s);
        let shape = match super::content::classify(media, schema) {
            MediaKind::Json => continue,
            MediaKind::Text => ResponseShape::Text,
            _ => ResponseShape::Bytes,
        };
        let subtype = media
            .split(';')
            .next()
            .and_then(|e| e.split('/').nth(1))
            .unwrap_or("body")
            .trim_start_matches("vnd.")
            .to_owned();
        let suffix = ident::snake(&subtype);
        if out.iter().any(|(s, _)| *s == suffix) {
            continue;
        }
        out.push((
            suffix,
            Success {
                status: code,
                shape,
                media_type: Some(media.clone()),
            },
        ));
    }
    out
}

/// The variant of a success status: its reason phrase, or `Status` and the code.
fn status_name(code: u16) -> String {
    let reason = match code {
        101 => "SwitchingProtocols",
        200 => "Ok",
        201 => "Created",
        202 => "Accepted",
        203 => "NonAuthoritativeInformation",
        204 => "NoContent",
        205 => "ResetContent",
        206 => "PartialContent",
        207 => "MultiStatus",
        208 => "AlreadyReported",
        226 => "ImUsed",
        _ => return format!("Status{code}"),
    };
    reason.to_owned()
}

/// What makes two error schemas the same schema: one `$ref` target, or one inline position.
fn schema_identity(s: &ReferenceOr<openapiv3::Schema>, at: &str) -> String {
    match s {
        ReferenceOr::Reference { reference } => reference.clone(),
        ReferenceOr::Item(_) => at.to_owned(),
    }
}

/// An operation that documents no error answer still fails with the API's error object when
/// every operation that documents one agrees on it. APIs describe their errors on most
/// operations and forget a few; those few would otherwise get free-form JSON errors and take
/// the client's one `Error` type (`Result<_, Error>` across the client) away with them.
pub(super) fn share_documented_error(operations: &mut [crate::ir::Operation]) {
    let mut documented = operations.iter().filter_map(|op| op.error.as_ref());
    let Some(first) = documented.next() else {
        return;
    };
    if !documented.all(|e| e == first) {
        return;
    }
    let shared = first.clone();
    for op in operations.iter_mut().filter(|op| op.error.is_none()) {
        op.error = Some(shared.clone());
    }
}
