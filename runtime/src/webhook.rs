//! Webhook signatures: a request body is decoded only once its HMAC-SHA256 checks out.
//!
//! The sender signs the **raw request body** with the endpoint's secret and sends the signature
//! as lower-case hex in a header (Commet: `X-Commet-Signature`). [`verify_and_parse`] checks it
//! in constant time, and only then decodes the body as the generated event type.
//!
//! The signature covers the body alone. A timestamp header, where the sender adds one, is not
//! signed: it can't prove that a request is fresh, and a captured request can be replayed as
//! it is. Treat events as idempotent (deduplicate by the event's own ids) rather than trusting
//! the timestamp.

use std::fmt;

use hmac::{Hmac, Mac};
use serde::de::DeserializeOwned;
use sha2::Sha256;

use crate::auth::Secret;

/// The secret an endpoint's events are signed with (`whsec_...`). `Debug` shows only a short
/// prefix.
#[derive(Clone)]
pub struct WebhookSecret(Secret);

impl WebhookSecret {
    /// The secret, as the API's dashboard shows it.
    pub fn new(secret: impl Into<String>) -> Self {
        Self(Secret::new(secret))
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
    /// The request has no signature header (or an empty one).
    MissingSignature,
    /// The signature is not 64 hex digits.
    MalformedSignature,
    /// The signature is well formed but doesn't match the body and secret: the body was
    /// changed, or signed with another secret.
    WrongSignature,
    /// The body is signed correctly but is not an event of the expected shape.
    InvalidBody {
        /// Where decoding failed, e.g. `data.amount` (`.` for the root).
        path: String,
        /// What went wrong.
        message: String,
    },
}

impl fmt::Display for WebhookError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::MissingSignature => f.write_str("the webhook request has no signature"),
            Self::MalformedSignature => {
                f.write_str("the webhook signature is not a hex HMAC-SHA256")
            }
            Self::WrongSignature => {
                f.write_str("the webhook signature does not match the body and secret")
            }
            Self::InvalidBody { path, message } => {
                write!(f, "the webhook body does not decode at `{path}`: {message}")
            }
        }
    }
}

impl std::error::Error for WebhookError {}

/// Checks that `signature` (the header's value, `None` when absent) is the hex HMAC-SHA256 of
/// `raw_body` under `secret`, comparing in constant time; then decodes the body as `T`. Pass
/// the body exactly as received: re-serialized JSON has other bytes.
pub fn verify_and_parse<T: DeserializeOwned>(
    raw_body: &[u8],
    signature: Option<&str>,
    secret: &WebhookSecret,
) -> Result<T, WebhookError> {
    verify(raw_body, signature, secret)?;
    let mut de = serde_json::Deserializer::from_slice(raw_body);
    let value: T =
        serde_path_to_error::deserialize(&mut de).map_err(|e| WebhookError::InvalidBody {
            path: e.path().to_string(),
            message: e.into_inner().to_string(),
        })?;
    de.end().map_err(|e| WebhookError::InvalidBody {
        path: ".".to_owned(),
        message: e.to_string(),
    })?;
    Ok(value)
}

/// The signature check of [`verify_and_parse`] alone.
pub fn verify(
    raw_body: &[u8],
    signature: Option<&str>,
    secret: &WebhookSecret,
) -> Result<(), WebhookError> {
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
/// header (for tests, and for forwarding events).
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
            WebhookError::InvalidBody { path, .. } => assert_eq!(path, "data.amount"),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn the_secret_is_redacted() {
        let shown = format!("{:?}", WebhookSecret::new("whsec_abcdefghijklmnop"));
        assert!(!shown.contains("abcdefghijklmnop"), "{shown}");
    }
}
