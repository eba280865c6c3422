//! Responses → what a success returns (JSON, text, bytes or nothing) and the error body.

use openapiv3::{ReferenceOr, StatusCode};

use super::Lowerer;
use super::content::{MediaKind, preferred};
use super::refs;
use crate::diagnostic::{Diagnostic, child};
use crate::doc;
use crate::ir::{ErrorShape, ResponseDoc, ResponseShape, StatusMatch, Success, TypeRef};

/// The responses of one operation.
pub(super) struct Responses {
    pub(super) success: Success,
    pub(super) error: Option<ErrorShape>,
    pub(super) docs: Vec<ResponseDoc>,
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

        let mut success: Option<Success> = None;
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
            // 101 (an upgrade) answers a successful request too, without a body.
            let is_success = matches!(
                status,
                StatusMatch::Code(200..=299 | 101) | StatusMatch::Range(2)
            );
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
                    let shape = self.error_shape(s.into(), &s_at, &format!("{type_base}Error"));
                    match &error {
                        None => error = Some((shape, schema_identity(s, &s_at))),
                        Some((first, identity)) if *first != shape && *identity != schema_identity(s, &s_at) => self.diags.push(
                            Diagnostic::warning(&r_at, "this error response has a different body than the operation's first one")
                                .with_help("the client decodes every error body as the first declared one"),
                        ),
                        Some(_) => {}
                    }
                }
                continue;
            }
            let code = match status {
                StatusMatch::Code(c) => c,
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
            match &success {
                None => {
                    success = Some(Success {
                        status: code,
                        shape,
                        media_type,
                    })
                }
                Some(first) if first.shape != shape => self.diags.push(
                    Diagnostic::warning(
                        &r_at,
                        "a second success response with a different body is ignored",
                    )
                    .with_help(format!(
                        "the client decodes every success as the {} response",
                        first.status
                    )),
                ),
                Some(_) => {}
            }
        }
        let success = success.unwrap_or_else(|| {
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
        });
        Responses {
            success,
            error: error.map(|(shape, _)| shape),
            docs,
        }
    }
}

/// What makes two error schemas the same schema: one `$ref` target, or one inline position.
fn schema_identity(s: &ReferenceOr<openapiv3::Schema>, at: &str) -> String {
    match s {
        ReferenceOr::Reference { reference } => reference.clone(),
        ReferenceOr::Item(_) => at.to_owned(),
    }
}
