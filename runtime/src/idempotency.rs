//! Idempotency keys and the "is it safe to send this again" rule.

use bytes::Bytes;
use reqwest::Method;

/// A fresh idempotency key: a random UUID v4, hyphenated.
pub fn new_idempotency_key() -> String {
    uuid::Uuid::new_v4().to_string()
}

/// Methods whose repetition has no additional effect (RFC 9110 §9.2.2).
pub(crate) fn is_idempotent_method(method: &Method) -> bool {
    matches!(
        *method,
        Method::GET | Method::HEAD | Method::PUT | Method::DELETE | Method::OPTIONS | Method::TRACE
    )
}

/// The code of the error that says another request with the same key is still being
/// processed: the operation may yet be applied by it.
pub(crate) const IDEMPOTENCY_IN_PROGRESS: &str = "idempotency_in_progress";

/// Methods that must never carry an idempotency key: the server ignores it there, and the
/// Commet docs say it is never sent on reads.
pub(crate) fn is_read(method: &Method) -> bool {
    matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}

/// The key to send for one logical call, or `None`.
///
/// A key supplied by the user wins; otherwise the key generated when the call was marked
/// idempotent (once per call, so it can be read before sending and is the same on every
/// retry, letting the server recognise the retries as one request). Never on a read.
pub(crate) fn key_to_send<'a>(
    method: &Method,
    user_key: Option<&'a str>,
    generated: Option<&'a str>,
) -> Option<&'a str> {
    if is_read(method) {
        return None;
    }
    user_key.or(generated)
}

/// Whether a request may be sent again after a failure: idempotent methods always,
/// anything else (e.g. `POST`) only with an idempotency key. Without one, the send loop still
/// repeats it after a failure that proves it was not processed (`unprocessed.rs`).
pub(crate) fn may_retry(method: &Method, has_key: bool) -> bool {
    is_idempotent_method(method) || has_key
}

/// Where a call's idempotency key travels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum KeyPlace {
    /// The client's idempotency header (`ClientDefaults::idempotency_header`).
    ClientHeader,
    /// The operation's own header.
    Header(&'static str),
    /// A top-level field of the JSON body.
    BodyField(&'static str),
}

/// The key a JSON body already carries in `field`: a non-empty string there is the caller's.
pub(crate) fn body_key(body: &[u8], field: &str) -> Option<String> {
    let value: serde_json::Value = serde_json::from_slice(body).ok()?;
    match value.get(field)? {
        serde_json::Value::String(key) if !key.is_empty() => Some(key.clone()),
        _ => None,
    }
}

/// `body` (a JSON object) with `key` in its top-level `field`, the other fields in their order.
pub(crate) fn with_body_key(body: &[u8], field: &str, key: &str) -> Result<Bytes, String> {
    let not_object = || {
        format!(
            "the idempotency key goes in the body field `{field}`, but the body is not a JSON object"
        )
    };
    let mut value: serde_json::Value = serde_json::from_slice(body).map_err(|_| not_object())?;
    let object = value.as_object_mut().ok_or_else(not_object)?;
    object.insert(field.to_owned(), serde_json::Value::String(key.to_owned()));
    serde_json::to_vec(&value)
        .map(Bytes::from)
        .map_err(|e| format!("could not serialize the body: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_body_key_is_read_and_written_in_place() {
        let body = br#"{"amount":100,"idempotency_key":"mine","note":"x"}"#;
        assert_eq!(body_key(body, "idempotency_key").as_deref(), Some("mine"));
        assert_eq!(
            body_key(br#"{"idempotency_key":""}"#, "idempotency_key"),
            None
        );
        assert_eq!(
            body_key(br#"{"idempotency_key":null}"#, "idempotency_key"),
            None
        );
        assert_eq!(body_key(b"[1]", "idempotency_key"), None);
        let written = with_body_key(body, "idempotency_key", "k2").unwrap();
        assert_eq!(
            &written[..],
            br#"{"amount":100,"idempotency_key":"k2","note":"x"}"#,
            "replaced where it stands"
        );
        let added = with_body_key(br#"{"amount":1}"#, "idempotency_key", "k").unwrap();
        assert_eq!(&added[..], br#"{"amount":1,"idempotency_key":"k"}"#);
        assert!(with_body_key(b"[1]", "idempotency_key", "k").is_err());
        assert!(with_body_key(b"not json", "idempotency_key", "k").is_err());
    }

    #[test]
    fn keys_are_uuid_v4_and_unique() {
        let a = new_idempotency_key();
        let b = new_idempotency_key();
        assert_ne!(a, b);
        let parsed = uuid::Uuid::parse_str(&a).unwrap();
        assert_eq!(parsed.get_version_num(), 4);
    }

    #[test]
    fn never_on_get_user_key_wins() {
        assert_eq!(key_to_send(&Method::GET, Some("k"), Some("g")), None);
        assert_eq!(key_to_send(&Method::HEAD, None, Some("g")), None);
        assert_eq!(
            key_to_send(&Method::POST, Some("mine"), Some("g")),
            Some("mine")
        );
        assert_eq!(key_to_send(&Method::POST, Some("mine"), None), Some("mine"));
        assert_eq!(key_to_send(&Method::POST, None, None), None);
        assert_eq!(key_to_send(&Method::POST, None, Some("g")), Some("g"));
    }

    #[test]
    fn retry_safety() {
        assert!(may_retry(&Method::GET, false));
        assert!(may_retry(&Method::DELETE, false));
        assert!(may_retry(&Method::PUT, false));
        assert!(!may_retry(&Method::POST, false));
        assert!(may_retry(&Method::POST, true));
        assert!(!may_retry(&Method::PATCH, false));
    }
}
