//! Which idempotency mechanism an operation has, if any: a header, or a field of its JSON body.
//!
//! APIs say it in different ways, and each counts, in this order:
//!
//! 1. **The user's choice** ([`crate::Builder::idempotency`], `--idempotency`), for one
//!    operationId or for `*` (every operation that is not a read); an operationId wins over
//!    `*`, and `none` turns a mechanism the document has off.
//! 2. **A vendor extension**: Fern's `x-fern-idempotent: true` on the operation, with the
//!    header the document's `x-fern-idempotency-headers` names (the configured idempotency
//!    header when it names none); `x-idempotency-key: true` on a header parameter.
//! 3. **A declared header parameter**, by its name (a known idempotency header, the
//!    configured one, or any name with "idempoten" in it) or by its description (it speaks of
//!    idempotency, or of retrying or repeating a request safely or without duplicates).
//! 4. **A top-level string field of the JSON request body**, by the same rules on its name
//!    (`idempotency_key`, `idempotencyKey`, ...) and its description.
//!
//! A recognised header parameter is not a method argument: the runtime makes the key per call
//! and the user sets their own with `.idempotency_key(..)`. A recognised body field becomes
//! optional in the request type, so no request value has to carry a key: the runtime fills it
//! per call when the value leaves it unset.

use std::collections::BTreeSet;
use std::fmt;
use std::str::FromStr;

use openapiv3::ParameterData;

use super::Lowerer;
use crate::diagnostic::Diagnostic;
use crate::ir::{Body, BodyContent, Idempotency, TypeKind, TypeRef};

/// Idempotency header names used by payments APIs, lower case.
const KNOWN_HEADERS: &[&str] = &[
    "idempotency-key",
    "x-idempotency-key",
    "paypal-request-id",
    "cko-idempotency-key",
    "x-payout-idempotency",
    "x-idempotence-uuid",
];

/// The operation key of [`Options::idempotency`](super::Options::idempotency) that applies to
/// every operation that is not a read.
pub const EVERY_WRITE: &str = "*";

/// How the user says an operation takes its idempotency key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IdempotencyChoice {
    /// In this request header, whether or not the document declares it.
    Header(String),
    /// In this top-level field of the JSON request body.
    BodyField(String),
    /// No idempotency key, whatever the document says.
    None,
}

impl FromStr for IdempotencyChoice {
    type Err = String;

    /// `header:NAME`, `body:FIELD` or `none`.
    fn from_str(s: &str) -> Result<Self, String> {
        let valid_name = |n: &str| {
            !n.is_empty()
                && n.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b"-_.!#$%&'*+^`|~".contains(&b))
        };
        match s.split_once(':') {
            Some(("header", name)) if valid_name(name) => Ok(Self::Header(name.to_owned())),
            Some(("body", field)) if !field.is_empty() => Ok(Self::BodyField(field.to_owned())),
            None if s == "none" => Ok(Self::None),
            _ => Err(format!(
                "`{s}` is not an idempotency mechanism: write `header:NAME`, `body:FIELD` or `none`"
            )),
        }
    }
}

impl fmt::Display for IdempotencyChoice {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Header(name) => write!(f, "header:{name}"),
            Self::BodyField(field) => write!(f, "body:{field}"),
            Self::None => f.write_str("none"),
        }
    }
}

/// What decides which header parameter of an operation carries its key.
#[derive(Debug, Clone)]
pub(super) enum KeyHeaderRule {
    /// The user chose: only this header (or none at all).
    Chosen(Option<String>),
    /// The document's own words, by the rules of this module. On a read (which never sends a
    /// key) only the configured header is taken, as it always was: any other stays an
    /// ordinary header argument.
    Recognised {
        /// The operation is a read.
        read: bool,
    },
}

/// A read never carries a key (the runtime sends none on it).
fn is_read(method: &str) -> bool {
    matches!(method, "GET" | "HEAD" | "OPTIONS")
}

/// Lower case, without `-`, `_` and spaces: `Idempotency-Key`, `idempotency_key` and
/// `idempotencyKey` are one name.
fn squashed(name: &str) -> String {
    name.chars()
        .filter(|c| !matches!(c, '-' | '_' | ' '))
        .flat_map(char::to_lowercase)
        .collect()
}

/// Whether a name says it holds an idempotency key.
fn name_says_key(name: &str, configured: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    name.eq_ignore_ascii_case(configured)
        || KNOWN_HEADERS.contains(&lower.as_str())
        || squashed(name).contains("idempoten")
}

/// Whether a description speaks of idempotency, or of repeating a request safely: a sentence
/// with a word of repeating and a word of safety in it.
pub(super) fn speaks_of_idempotency(text: &str) -> bool {
    let text = text.to_lowercase();
    if text.contains("idempoten") {
        return true;
    }
    const REPEAT: &[&str] = &[
        "retry", "retries", "retried", "repeat", "resend", "resubmit",
    ];
    const SAFE: &[&str] = &["safe", "duplicate", "twice", "only once", "exactly once"];
    text.split(['.', '!', '?', '\n'])
        .any(|s| REPEAT.iter().any(|w| s.contains(w)) && SAFE.iter().any(|w| s.contains(w)))
}

/// Whether a vendor extension marks the parameter as the idempotency key.
fn extension_says_key(data: &ParameterData) -> bool {
    data.extensions
        .get("x-idempotency-key")
        .is_some_and(|v| v == &serde_json::Value::Bool(true))
}

impl KeyHeaderRule {
    /// Whether the header parameter `data` carries the operation's idempotency key.
    pub(super) fn is_key(&self, data: &ParameterData, configured: &str) -> bool {
        match self {
            Self::Chosen(chosen) => chosen
                .as_deref()
                .is_some_and(|c| c.eq_ignore_ascii_case(&data.name)),
            Self::Recognised { read: true } => data.name.eq_ignore_ascii_case(configured),
            Self::Recognised { read: false } => {
                name_says_key(&data.name, configured)
                    || extension_says_key(data)
                    || data
                        .description
                        .as_deref()
                        .is_some_and(speaks_of_idempotency)
            }
        }
    }
}

impl<'a> Lowerer<'a> {
    /// The user's choice for the operation `id`, if any: by its id, else `*` for a write.
    fn idempotency_choice(&self, id: &str, method: &str) -> Option<&'a IdempotencyChoice> {
        let choices = &self.options.idempotency;
        choices.get(id).or_else(|| {
            (!is_read(method))
                .then(|| choices.get(EVERY_WRITE))
                .flatten()
        })
    }

    /// How the parameters of the operation `id` pick the key header.
    pub(super) fn key_header_rule(&self, id: &str, method: &str) -> KeyHeaderRule {
        match self.idempotency_choice(id, method) {
            Some(IdempotencyChoice::Header(name)) => KeyHeaderRule::Chosen(Some(name.clone())),
            Some(_) => KeyHeaderRule::Chosen(None),
            None => KeyHeaderRule::Recognised {
                read: is_read(method),
            },
        }
    }

    /// The operation's idempotency mechanism. `declared` is the header parameter the key rule
    /// took as the key, if any; `body` is the lowered request body.
    pub(super) fn idempotency(
        &mut self,
        op: &openapiv3::Operation,
        method: &str,
        id: &str,
        at: &str,
        declared: Option<String>,
        body: Option<&Body>,
    ) -> Option<Idempotency> {
        match self.idempotency_choice(id, method) {
            Some(IdempotencyChoice::None) => return None,
            Some(IdempotencyChoice::Header(name)) => {
                return Some(Idempotency::Header(name.clone()));
            }
            Some(IdempotencyChoice::BodyField(field)) => {
                let json = body.is_some_and(|b| b.content == BodyContent::Json);
                if !json {
                    self.diags.push(
                        Diagnostic::error(
                            at,
                            format!(
                                "the idempotency key of `{id}` is to go in the body field `{field}`, but the operation has no JSON body"
                            ),
                        )
                        .with_help("name a header instead (`header:NAME`), or `none`"),
                    );
                    return None;
                }
                if let Some(body) = body {
                    self.make_key_field_optional(body, field);
                }
                return Some(Idempotency::BodyField(field.clone()));
            }
            None => {}
        }
        if is_read(method) {
            return None;
        }
        if op
            .extensions
            .get("x-fern-idempotent")
            .is_some_and(|v| v == &serde_json::Value::Bool(true))
        {
            let named = self
                .raw
                .pointer("/x-fern-idempotency-headers/0/header")
                .and_then(serde_json::Value::as_str);
            let header = named
                .map(str::to_owned)
                .or_else(|| declared.clone())
                .unwrap_or_else(|| self.options.idempotency_header.clone());
            return Some(Idempotency::Header(header));
        }
        if let Some(header) = declared {
            return Some(Idempotency::Header(header));
        }
        let body = body.filter(|b| b.content == BodyContent::Json)?;
        let field = self.key_field(body)?;
        self.make_key_field_optional(body, &field);
        Some(Idempotency::BodyField(field))
    }

    /// The top-level string field of a JSON body that holds an idempotency key, by its name,
    /// else by its description.
    fn key_field(&self, body: &Body) -> Option<String> {
        let TypeRef::Named(name) = &body.ty else {
            return None;
        };
        let def = self.types.iter().find(|t| &t.name == name)?;
        let TypeKind::Struct(fields) = &def.kind else {
            return None;
        };
        let strings = || fields.iter().filter(|f| f.ty == TypeRef::String);
        let configured = &self.options.idempotency_header;
        strings()
            .find(|f| name_says_key(&f.wire_name, configured))
            .or_else(|| {
                strings().find(|f| f.docs.paragraphs.iter().any(|p| speaks_of_idempotency(p)))
            })
            .map(|f| f.wire_name.clone())
    }

    /// The key field of the body's type no longer has to be set: the runtime fills it per
    /// call. Its docs say so.
    fn make_key_field_optional(&mut self, body: &Body, wire_name: &str) {
        let TypeRef::Named(name) = &body.ty else {
            return;
        };
        let Some(def) = self.types.iter_mut().find(|t| &t.name == name) else {
            return;
        };
        let TypeKind::Struct(fields) = &mut def.kind else {
            return;
        };
        let Some(field) = fields.iter_mut().find(|f| f.wire_name == wire_name) else {
            return;
        };
        if field
            .docs
            .paragraphs
            .iter()
            .any(|p| p.starts_with(KEY_FIELD_NOTE))
        {
            return;
        }
        field.required = false;
        field.docs.push(format!(
            "{KEY_FIELD_NOTE} leave it unset and each call made with this value sends a new \
             key, the same on every retry of that call (read it with `.get_idempotency_key()`). \
             A key set here is yours: every call made with this value sends it."
        ));
    }
}

impl Lowerer<'_> {
    /// A choice for an operation must name one the spec has (or `*`).
    pub(super) fn check_idempotency_choices(&mut self, present: &BTreeSet<String>) {
        for id in self.options.idempotency.keys() {
            if id != EVERY_WRITE && !present.contains(id) {
                self.diags.push(
                    Diagnostic::error(
                        "/paths",
                        format!("the idempotency mechanism is set for operation `{id}`, which is not in the spec"),
                    )
                    .with_help("name operations by their operationId as the spec spells it, or `*` for every write"),
                );
            }
        }
    }
}

/// The start of the docs a body's key field gets.
const KEY_FIELD_NOTE: &str = "The idempotency key of the request:";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_descriptions_that_say_key() {
        for name in [
            "Idempotency-Key",
            "X-Idempotency-Key",
            "PayPal-Request-Id",
            "idempotency_key",
            "idempotencyKey",
            "Cko-Idempotency-Key",
        ] {
            assert!(name_says_key(name, "Idempotency-Key"), "{name}");
        }
        assert!(
            name_says_key("X-Dedupe", "x-dedupe"),
            "the configured header"
        );
        for name in [
            "X-Request-Id",
            "Prefer",
            "PayPal-Client-Metadata-Id",
            "reference_id",
        ] {
            assert!(!name_says_key(name, "Idempotency-Key"), "{name}");
        }
        assert!(speaks_of_idempotency(
            "A unique key to make this request an idempotent operation."
        ));
        assert!(speaks_of_idempotency(
            "Send it again to retry the request safely."
        ));
        assert!(speaks_of_idempotency(
            "Retries with the same value never create a duplicate."
        ));
        assert!(!speaks_of_idempotency(
            "The request id, for support. Safe to log."
        ));
        assert!(!speaks_of_idempotency("Retry after this many seconds."));
    }

    #[test]
    fn choices_read_and_print_the_same() {
        for text in ["header:PayPal-Request-Id", "body:idempotency_key", "none"] {
            let choice: IdempotencyChoice = text.parse().unwrap();
            assert_eq!(choice.to_string(), text);
        }
        for bad in [
            "header:",
            "header:a b",
            "body:",
            "nothing",
            "none:x",
            "cookie:k",
        ] {
            assert!(bad.parse::<IdempotencyChoice>().is_err(), "{bad}");
        }
    }
}
