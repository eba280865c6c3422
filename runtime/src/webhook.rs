//! Webhook signatures: a request body is decoded only once its HMAC-SHA256 checks out.
//!
//! The sender signs the **raw request body** with the endpoint's secret and sends the signature
//! as lower-case hex in a header (Commet: `X-Commet-Signature`). [`verify_and_parse`] checks it
//! in constant time, and only then decodes the body as the generated event type.
//!
//! An empty or blank secret never verifies anything: [`verify`] (and so every
//! `verify_and_parse`) fails with [`WebhookError::EmptySecret`] before it looks at the
//! signature, however the secret was made. A deployment that forgot to configure its secret
//! must refuse every request rather than accept bodies anyone can sign with an empty key.
//! [`WebhookSecret::try_new`] lets a server refuse such a secret at start-up as well.
//!
//! The signature covers the body alone. A timestamp header, where the sender adds one, is not
//! signed: it can't prove that a request is fresh, and a captured request can be replayed as
//! it is. Treat events as idempotent (deduplicate by the event's own ids) rather than trusting
//! the timestamp.

use std::fmt;

use hmac::{Hmac, Mac};
use serde::de::DeserializeOwned;
use serde_json::Value;
use sha2::Sha256;

use crate::auth::Secret;

/// The secret an endpoint's events are signed with (`whsec_...`). `Debug` shows only a short
/// prefix.
#[derive(Clone)]
pub struct WebhookSecret(Secret);

impl WebhookSecret {
    /// The secret, as the API's dashboard shows it. An empty or blank one is kept, but nothing
    /// verifies under it ([`WebhookError::EmptySecret`]); use [`WebhookSecret::try_new`] to
    /// refuse it here instead.
    pub fn new(secret: impl Into<String>) -> Self {
        Self(Secret::new(secret))
    }

    /// The secret, or [`WebhookError::EmptySecret`] when it is empty or only whitespace: for
    /// a server that should not start without one.
    pub fn try_new(secret: impl Into<String>) -> Result<Self, WebhookError> {
        let secret = Self::new(secret);
        if secret.is_blank() {
            return Err(WebhookError::EmptySecret);
        }
        Ok(secret)
    }

    /// Whether the secret is empty or only whitespace, and so can verify nothing.
    pub fn is_blank(&self) -> bool {
        self.0.expose().trim().is_empty()
    }
}

impl fmt::Debug for WebhookSecret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "WebhookSecret({:?})", self.0)
    }
}

/// Why a webhook request was rejected.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum WebhookError {
    /// The endpoint's secret is empty or only whitespace: a configuration error, and no
    /// request verifies under it.
    EmptySecret,
    /// The request has no signature header (or an empty one).
    MissingSignature,
    /// The signature is not 64 hex digits.
    MalformedSignature,
    /// The signature is well formed but doesn't match the body and secret: the body was
    /// changed, or signed with another secret.
    WrongSignature,
    /// The body is signed correctly but is not an event of the expected shape.
    InvalidBody {
        /// The event type, when the body names one this client knows (`payment.received`);
        /// `None` when decoding failed before the type was known.
        event: Option<String>,
        /// Where decoding failed within the event, e.g. `data.currency` (`.` for the root).
        path: String,
        /// What went wrong.
        message: String,
    },
}

impl fmt::Display for WebhookError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::EmptySecret => {
                f.write_str("the webhook secret is empty, so no request can be verified")
            }
            Self::MissingSignature => f.write_str("the webhook request has no signature"),
            Self::MalformedSignature => {
                f.write_str("the webhook signature is not a hex HMAC-SHA256")
            }
            Self::WrongSignature => {
                f.write_str("the webhook signature does not match the body and secret")
            }
            Self::InvalidBody {
                event: Some(event),
                path,
                message,
            } => write!(
                f,
                "the webhook event `{event}` does not decode at `{path}`: {message}"
            ),
            Self::InvalidBody {
                event: None,
                path,
                message,
            } => write!(f, "the webhook body does not decode at `{path}`: {message}"),
        }
    }
}

impl std::error::Error for WebhookError {}

/// An event type whose requests carry a signature to check: what the generated event enum
/// implements when the spec says how events are signed, so that receivers (the `axum`
/// feature's extractor) can be written once for any API.
pub trait SignedEvent: Sized {
    /// The request header that carries the body's signature.
    const SIGNATURE_HEADER: &'static str;

    /// Checks the signature against the raw body and `secret`, then decodes the event.
    fn verify_and_parse(
        raw_body: &[u8],
        signature: Option<&str>,
        secret: &WebhookSecret,
    ) -> Result<Self, WebhookError>;
}

/// Checks that `signature` (the header's value, `None` when absent) is the hex HMAC-SHA256 of
/// `raw_body` under `secret`, comparing in constant time; then decodes the body as `T`. Pass
/// the body exactly as received: re-serialized JSON has other bytes.
pub fn verify_and_parse<T: DeserializeOwned>(
    raw_body: &[u8],
    signature: Option<&str>,
    secret: &WebhookSecret,
) -> Result<T, WebhookError> {
    verify(raw_body, signature, secret)?;
    decode_bytes(raw_body)
}

/// The first step of a generated event enum's `verify_and_parse`: checks the signature, reads
/// the body as JSON and its event type from property `tag`. The enum then picks the variant
/// by the type and decodes it with [`decode_event`], so a field that doesn't fit is named by
/// its path within the event, which a decode through a buffered value would lose.
pub fn verify_and_read(
    raw_body: &[u8],
    signature: Option<&str>,
    secret: &WebhookSecret,
    tag: &'static str,
) -> Result<(String, Value), WebhookError> {
    verify(raw_body, signature, secret)?;
    let value: Value = decode_bytes(raw_body)?;
    let event =
        crate::tag_of::<serde_json::Error>(&value, tag).map_err(|e| WebhookError::InvalidBody {
            event: None,
            path: tag.to_owned(),
            message: e.to_string(),
        })?;
    Ok((event, value))
}

/// Decodes the body of an event of type `event` as `T`, naming the event type and the path
/// within the event of a field that doesn't fit.
pub fn decode_event<T: DeserializeOwned>(event: &str, value: &Value) -> Result<T, WebhookError> {
    serde_path_to_error::deserialize(value).map_err(|e| WebhookError::InvalidBody {
        event: Some(event.to_owned()),
        path: e.path().to_string(),
        message: e.into_inner().to_string(),
    })
}

/// `raw_body` as one JSON value of type `T`, and nothing after it.
fn decode_bytes<T: DeserializeOwned>(raw_body: &[u8]) -> Result<T, WebhookError> {
    let mut de = serde_json::Deserializer::from_slice(raw_body);
    let value: T =
        serde_path_to_error::deserialize(&mut de).map_err(|e| WebhookError::InvalidBody {
            event: None,
            path: e.path().to_string(),
            message: e.into_inner().to_string(),
        })?;
    de.end().map_err(|e| WebhookError::InvalidBody {
        event: None,
        path: ".".to_owned(),
        message: e.to_string(),
    })?;
    Ok(value)
}

/// The signature check of [`verify_and_parse`] alone. A blank secret fails first, with
/// [`WebhookError::EmptySecret`], whatever the signature.
pub fn verify(
    raw_body: &[u8],
    signature: Option<&str>,
    secret: &WebhookSecret,
) -> Result<(), WebhookError> {
    if secret.is_blank() {
        return Err(WebhookError::EmptySecret);
    }
    let signature = signature
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .ok_or(WebhookError::MissingSignature)?;
    let expected = hex::decode(signature).map_err(|_| WebhookError::MalformedSignature)?;
    if expected.len() != 32 {
        return Err(WebhookError::MalformedSignature);
    }
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.0.expose().as_bytes())
        .map_err(|_| WebhookError::WrongSignature)?;
    mac.update(raw_body);
    // `verify_slice` compares in constant time.
    mac.verify_slice(&expected)
        .map_err(|_| WebhookError::WrongSignature)
}

/// The hex HMAC-SHA256 of `raw_body` under `secret`: what a sender puts in the signature
/// header (for tests, and for forwarding events). Under a blank secret it still signs, but
/// [`verify`] accepts nothing under one.
pub fn sign(raw_body: &[u8], secret: &WebhookSecret) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.0.expose().as_bytes())
        .expect("HMAC takes a key of any length");
    mac.update(raw_body);
    hex::encode(mac.finalize().into_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Computed independently, with Python:
    /// `hmac.new(b"whsec_test_secret", BODY, hashlib.sha256).hexdigest()`.
    const SIGNATURE: &str = "9228cc28c22655f2dd78ed1cd2a66399270f61940d97ac6e0ccb293d7c02e59e";
    const BODY: &str = r#"{"event":"payment_link.completed","timestamp":"2026-06-10T12:00:00.000Z","organizationId":"org_1","mode":"sandbox","apiVersion":"2026-06-10","data":{"paymentId":"pay_1","status":"succeeded","amount":2500,"currency":"usd","description":"Pro plan","customerId":null,"invoiceId":"inv_1","invoiceNumber":"INV-0001","paymentTransactionId":null}}"#;

    fn secret() -> WebhookSecret {
        WebhookSecret::new("whsec_test_secret")
    }

    #[test]
    fn a_known_vector_verifies_and_decodes() {
        let event: serde_json::Value =
            verify_and_parse(BODY.as_bytes(), Some(SIGNATURE), &secret()).unwrap();
        assert_eq!(event["data"]["amount"], 2500);
        assert_eq!(sign(BODY.as_bytes(), &secret()), SIGNATURE);
        // Upper-case hex and surrounding spaces are the same signature.
        let upper = format!(" {} ", SIGNATURE.to_uppercase());
        assert!(verify(BODY.as_bytes(), Some(&upper), &secret()).is_ok());
    }

    #[test]
    fn every_way_to_fail() {
        let check = |body: &str, sig: Option<&str>, secret: &WebhookSecret| {
            verify_and_parse::<serde_json::Value>(body.as_bytes(), sig, secret).unwrap_err()
        };
        assert_eq!(check(BODY, None, &secret()), WebhookError::MissingSignature);
        assert_eq!(
            check(BODY, Some(" "), &secret()),
            WebhookError::MissingSignature
        );
        assert_eq!(
            check(BODY, Some(&SIGNATURE[..63]), &secret()),
            WebhookError::MalformedSignature
        );
        assert_eq!(
            check(BODY, Some(&SIGNATURE[..62]), &secret()),
            WebhookError::MalformedSignature
        );
        let not_hex = format!("zz{}", &SIGNATURE[2..]);
        assert_eq!(
            check(BODY, Some(&not_hex), &secret()),
            WebhookError::MalformedSignature
        );
        let tampered = BODY.replace("2500", "25000");
        assert_eq!(
            check(&tampered, Some(SIGNATURE), &secret()),
            WebhookError::WrongSignature
        );
        let other = WebhookSecret::new("whsec_other");
        assert_eq!(
            check(BODY, Some(SIGNATURE), &other),
            WebhookError::WrongSignature
        );
    }

    #[test]
    fn a_signed_body_that_does_not_decode_names_the_path() {
        #[derive(Debug, serde::Deserialize)]
        #[allow(dead_code)]
        struct Event {
            data: Data,
        }
        #[derive(Debug, serde::Deserialize)]
        #[allow(dead_code)]
        struct Data {
            amount: String,
        }
        let error =
            verify_and_parse::<Event>(BODY.as_bytes(), Some(SIGNATURE), &secret()).unwrap_err();
        match error {
            WebhookError::InvalidBody { event, path, .. } => {
                assert_eq!(path, "data.amount");
                // A plain `T` has no event type to name.
                assert_eq!(event, None);
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn an_empty_or_blank_secret_verifies_nothing() {
        // Computed with Python: `hmac.new(KEY, BODY, hashlib.sha256).hexdigest()` for each key;
        // each is the body's genuine signature under that key.
        let signed = [
            (
                "",
                "dc800a25d42591aa32a69184ed11789ac822b0311222e1e4ee2a75337f8d2d5d",
            ),
            (
                " ",
                "068951b78f587b9eb836898d45ffedc800ded5328e0b47aaa6f633ae16afda6e",
            ),
            (
                " \t\n",
                "bc111e69404ff773b932bde1ff93ddbd4d32b1bf7eaf9f00576825203802ed64",
            ),
        ];
        for (key, signature) in signed {
            let secret = WebhookSecret::new(key);
            assert_eq!(sign(BODY.as_bytes(), &secret), signature, "{key:?}");
            assert!(secret.is_blank());
            assert_eq!(
                verify(BODY.as_bytes(), Some(signature), &secret),
                Err(WebhookError::EmptySecret),
                "{key:?}"
            );
            assert_eq!(
                verify_and_parse::<serde_json::Value>(BODY.as_bytes(), Some(signature), &secret),
                Err(WebhookError::EmptySecret)
            );
            assert_eq!(
                verify_and_read(BODY.as_bytes(), Some(signature), &secret, "event").unwrap_err(),
                WebhookError::EmptySecret
            );
            // Whatever the signature: the secret is checked first.
            assert_eq!(
                verify(BODY.as_bytes(), None, &secret),
                Err(WebhookError::EmptySecret)
            );
            assert_eq!(
                WebhookSecret::try_new(key).unwrap_err(),
                WebhookError::EmptySecret
            );
        }
        // A secret with spaces around real characters is a secret (its bytes are the key).
        assert!(WebhookSecret::try_new(" whsec_x ").is_ok());
        assert!(WebhookSecret::try_new("whsec_test_secret").is_ok());
        assert!(
            WebhookError::EmptySecret
                .to_string()
                .contains("secret is empty")
        );
    }

    #[test]
    fn a_known_event_that_does_not_decode_names_its_type_and_the_field() {
        #[derive(Debug, serde::Deserialize)]
        #[allow(dead_code)]
        struct Completed {
            data: Data,
        }
        #[derive(Debug, serde::Deserialize)]
        #[allow(dead_code)]
        struct Data {
            currency: u32,
        }
        let (event, value) =
            verify_and_read(BODY.as_bytes(), Some(SIGNATURE), &secret(), "event").unwrap();
        assert_eq!(event, "payment_link.completed");
        let error = decode_event::<Completed>(&event, &value).unwrap_err();
        assert_eq!(
            error,
            WebhookError::InvalidBody {
                event: Some("payment_link.completed".to_owned()),
                path: "data.currency".to_owned(),
                message: "invalid type: string \"usd\", expected u32".to_owned(),
            }
        );
        assert_eq!(
            error.to_string(),
            "the webhook event `payment_link.completed` does not decode at `data.currency`: \
             invalid type: string \"usd\", expected u32"
        );
        // A body without the tag is named at the tag.
        match verify_and_read(BODY.as_bytes(), Some(SIGNATURE), &secret(), "type") {
            Err(WebhookError::InvalidBody { event, path, .. }) => {
                assert_eq!(event, None);
                assert_eq!(path, "type");
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn the_secret_is_redacted() {
        let shown = format!("{:?}", WebhookSecret::new("whsec_abcdefghijklmnop"));
        assert!(!shown.contains("abcdefghijklmnop"), "{shown}");
    }
}
