//! Idempotency keys and the "is it safe to send this again" rule.

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

#[cfg(test)]
mod tests {
    use super::*;

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
