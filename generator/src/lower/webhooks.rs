//! Webhooks → one enum of the events an API sends to its users' endpoints.
//!
//! 3.1's `webhooks` (moved to `x-webhooks` by `load`) and 3.0's `x-webhooks` map each event to
//! a path item whose request body is the event. The bodies are component schemas, lowered
//! like any other; what this adds is the event type each one carries: a property that every
//! body fixes to its own single value (`event: payment_link.completed`), found through
//! `allOf` too, since events usually extend a shared envelope.

use std::collections::BTreeSet;

use openapiv3::{ReferenceOr, Schema};
use serde_json::Value;

use super::Lowerer;
use crate::diagnostic::{Diagnostic, child, unescape_token};
use crate::doc;
use crate::ident::{self, Scope};
use crate::ir::{Docs, TypeRef, WebhookEvent, Webhooks};

const WEBHOOKS: &str = "/x-webhooks";

impl<'a> Lowerer<'a> {
    pub(super) fn webhooks(&mut self) -> Option<Webhooks> {
        let entries = self.raw_at(WEBHOOKS)?.as_object()?;
        let mut found: Vec<(String, String, &'a ReferenceOr<Schema>, Docs)> = Vec::new();
        for (event, item) in entries {
            let at = child(WEBHOOKS, event);
            let Some((component, docs)) = self.webhook_body(item, &at) else {
                continue;
            };
            let schema = self
                .doc
                .components
                .as_ref()
                .and_then(|c| c.schemas.get(&component));
            match schema {
                Some(schema) => found.push((event.clone(), component, schema, docs)),
                None => self.diags.push(
                    Diagnostic::warning(
                        &at,
                        format!("webhook `{event}` refers to `{component}`, which is not a schema"),
                    )
                    .with_help("define the event body under `components.schemas`"),
                ),
            }
        }
        if found.is_empty() {
            return None;
        }
        let Some((tag, values)) = self.event_tag(&found) else {
            self.diags.push(
                Diagnostic::warning(
                    WEBHOOKS,
                    "the webhook events share no property that names their type; their body types \
                     are generated, but no enum of events",
                )
                .with_help(
                    "give every event body a property (such as `event` or `type`) with one `enum` \
                     value of its own",
                ),
            );
            return None;
        };
        let mut scope = Scope::with_reserved(["Unknown"]);
        let events = found
            .into_iter()
            .zip(values)
            .filter_map(|((_, component, _, docs), value)| {
                let ty = TypeRef::Named(self.components.get(&component)?.clone());
                Some(WebhookEvent {
                    name: scope.claim(ident::type_name(&value)),
                    ty,
                    event: value,
                    docs,
                })
            })
            .collect();
        let signature_header = self.signature_header();
        Some(Webhooks {
            name: self.type_scope.claim("WebhookEvent".to_owned()),
            tag,
            events,
            signature_header,
        })
    }

    /// `x-webhook-signature`: the header that carries the body's signature, when the spec
    /// declares one in a scheme the runtime checks.
    fn signature_header(&mut self) -> Option<String> {
        const AT: &str = "/x-webhook-signature";
        let declared = self.raw_at(AT)?;
        let header = declared.get("header").and_then(Value::as_str);
        let algorithm = declared.get("algorithm").and_then(Value::as_str);
        match (header, algorithm) {
            (Some(header), Some("hmac-sha256-hex")) if !header.is_empty() => {
                Some(header.to_owned())
            }
            _ => {
                self.diags.push(
                    Diagnostic::warning(
                        AT,
                        "`x-webhook-signature` needs a `header` and `algorithm: hmac-sha256-hex`; \
                         events are generated without `verify_and_parse`",
                    )
                    .with_help("the runtime checks hex HMAC-SHA256 signatures of the raw body"),
                );
                None
            }
        }
    }

    /// The component a webhook's JSON body refers to, and the webhook's docs.
    fn webhook_body(&mut self, item: &Value, at: &str) -> Option<(String, Docs)> {
        let (method, op) = item
            .as_object()?
            .iter()
            .find(|(_, v)| v.get("requestBody").is_some())?;
        let body_at = child(&child(at, method), "requestBody");
        let reference = op
            .pointer("/requestBody/content/application~1json/schema/$ref")
            .and_then(Value::as_str);
        let Some(component) = reference.and_then(|r| r.strip_prefix("#/components/schemas/"))
        else {
            self.diags.push(
                Diagnostic::warning(
                    &body_at,
                    "a webhook body must be a JSON `$ref` to a component schema; this one is left out",
                )
                .with_help("move the body's schema into `components.schemas` and `$ref` it"),
            );
            return None;
        };
        let mut docs = Docs::default();
        for key in ["summary", "description"] {
            if let Some(text) = op.get(key).and_then(Value::as_str) {
                docs.push(doc::sanitize(text));
            }
        }
        Some((unescape_token(component), docs))
    }

    /// A property every event fixes to a single value, all values distinct, and the values.
    fn event_tag(
        &self,
        found: &[(String, String, &'a ReferenceOr<Schema>, Docs)],
    ) -> Option<(String, Vec<String>)> {
        let per_event: Vec<Vec<(String, String)>> = found
            .iter()
            .map(|(_, _, schema, _)| {
                // The properties that allow exactly one string.
                self.allowed_strings(schema, 0)
                    .into_iter()
                    .filter_map(|(name, mut values)| {
                        (values.len() == 1).then(|| (name, values.swap_remove(0)))
                    })
                    .collect()
            })
            .collect();
        let first = per_event.first()?;
        first.iter().find_map(|(property, _)| {
            let values: Option<Vec<String>> = per_event
                .iter()
                .map(|fixed| {
                    fixed
                        .iter()
                        .find(|(p, _)| p == property)
                        .map(|(_, v)| v.clone())
                })
                .collect();
            let values = values?;
            let distinct: BTreeSet<&String> = values.iter().collect();
            (distinct.len() == values.len()).then(|| (property.clone(), values))
        })
    }
}
