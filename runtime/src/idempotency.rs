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

/// Methods that must never carry an idempotency key: the server ignores it there, and the
/// Commet docs say it is never sent on reads.
fn is_read(method: &Method) -> bool {
    matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}

/// The key to send for one logical call, or `None`.
///
/// A key supplied by the user wins; otherwise an operation declared idempotent gets a new
/// UUID v4. The caller computes this once and reuses it on every retry, so the server can
/// recognise the retries as the same request.
pub(crate) fn resolve_key(
    method: &Method,
    accepts_key: bool,
    user_key: Option<String>,
) -> Option<String> {
    if is_read(method) {
        return None;
    }
    match user_key {
        Some(key) => Some(key),
        None if accepts_key => Some(new_idempotency_key()),
        None => None,
    }
}

/// Whether a request may be sent again after a failure: idempotent methods always,
/// anything else (e.g. `POST`) only with an idempotency key.
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
        assert_eq!(resolve_key(&Method::GET, true, Some("k".into())), None);
        assert_eq!(resolve_key(&Method::HEAD, true, None), None);
        assert_eq!(
            resolve_key(&Method::POST, true, Some("mine".into())).as_deref(),
            Some("mine")
        );
        assert_eq!(
            resolve_key(&Method::POST, false, Some("mine".into())).as_deref(),
            Some("mine")
        );
        assert_eq!(resolve_key(&Method::POST, false, None), None);
        assert!(resolve_key(&Method::POST, true, None).is_some());
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
