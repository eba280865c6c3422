//! Failures that prove a request was not processed, so that a request with no idempotency key
//! (a `POST` of an API without a mechanism) may still be sent again after them.
//!
//! RFC 9110 §9.2.2 (and RFC 9112 §9.3.1) let a client repeat a non-idempotent request on its
//! own only when it "has some means to detect that the original request was never applied".
//! Each rule below is such a means, with the text it rests on; anything not listed (a reset or
//! timeout after the request was written, a 500, a 502, a 504, a bare 503, a 2xx whose body was
//! lost) leaves the outcome unknown, and an unkeyed request is never repeated after it.
//!
//! - **The connection was never made** (refused, unreachable, a connect timeout): the request
//!   is written only on an established connection, so no byte of it reached the server.
//! - **408 Request Timeout**: RFC 9110 §15.5.9, the server "did not receive a complete request
//!   message", and "if the client has an outstanding request in transit, it MAY repeat that
//!   request". A request the server never received whole is a request it did not process.
//! - **429 Too Many Requests**: RFC 6585 §4, the server refuses the request because of how many
//!   the client sent, a 4xx (RFC 9110 §15.5: the client erred) answering the rate of requests,
//!   not performing this one; its `Retry-After` says when to make "a new request".
//! - **503 Service Unavailable with a valid `Retry-After`**: RFC 9110 §15.6.4, "the server is
//!   currently unable to handle the request due to a temporary overload or scheduled
//!   maintenance", and §10.2.3, with a 503 `Retry-After` "indicates how long the service is
//!   expected to be unavailable to the client". The server says it did not handle the request
//!   and when it will be able to. A bare 503 does not say as much: gateways answer a bare 503
//!   when the upstream connection broke after the request was passed on, which is the
//!   ambiguous case. [`RetryPolicy::trust_503_retry_after`] turns this rule off for a server
//!   known to break it.
//!
//! The retry policy still decides whether such a failure is retried at all (its statuses, its
//! budget, its `max_retry_after`); this only lifts the "not safe to repeat" stop.

use reqwest::header::RETRY_AFTER;

use crate::error::{Error, ErrorBody};
use crate::retry::{RetryPolicy, parse_retry_after};

/// Whether `error` proves that the server did not process the request, under `policy`.
pub(crate) fn proves_unprocessed<E: ErrorBody>(error: &Error<E>, policy: &RetryPolicy) -> bool {
    match error {
        Error::Transport(e) => e.is_connect(),
        Error::Timeout(e) => e.is_connect(),
        // A 2xx was applied, whatever happened to its body; the rest never reached the server
        // or is not an answer to this request.
        Error::Decode(_) | Error::InvalidRequest(_) | Error::Pagination(_) => false,
        Error::Api(_) | Error::UnexpectedStatus(_) | Error::BodyTooLarge(_) => {
            match error.status().map(|s| s.as_u16()) {
                Some(408 | 429) => true,
                Some(503) => policy.trust_503_retry_after && has_valid_retry_after(error),
                _ => false,
            }
        }
    }
}

/// Whether the answer carries a `Retry-After` this client can read (seconds or an HTTP date).
fn has_valid_retry_after<E: ErrorBody>(error: &Error<E>) -> bool {
    error
        .headers()
        .and_then(|h| h.get(RETRY_AFTER))
        .and_then(|v| v.to_str().ok())
        .and_then(|v| parse_retry_after(v, std::time::SystemTime::now()))
        .is_some()
}

#[cfg(test)]
mod tests {
    use reqwest::StatusCode;
    use reqwest::header::HeaderMap;

    use super::*;
    use crate::error::ApiError;

    fn answer(status: u16, retry_after: Option<&str>) -> Error<serde_json::Value> {
        let mut headers = HeaderMap::new();
        if let Some(value) = retry_after {
            headers.insert(RETRY_AFTER, value.parse().unwrap());
        }
        Error::Api(Box::new(ApiError {
            status: StatusCode::from_u16(status).unwrap(),
            headers,
            request_id: None,
            body: serde_json::Value::Null,
            report: None,
        }))
    }

    #[test]
    fn refusals_that_say_the_request_was_not_handled_prove_it() {
        let policy = RetryPolicy::default();
        assert!(proves_unprocessed(&answer(429, None), &policy));
        assert!(proves_unprocessed(&answer(429, Some("3")), &policy));
        assert!(proves_unprocessed(&answer(408, None), &policy));
        assert!(proves_unprocessed(&answer(503, Some("2")), &policy));
        assert!(proves_unprocessed(
            &answer(503, Some("Wed, 21 Oct 2015 07:28:00 GMT")),
            &policy
        ));
    }

    #[test]
    fn ambiguous_answers_prove_nothing() {
        let policy = RetryPolicy::default();
        for status in [500, 502, 504, 503] {
            assert!(
                !proves_unprocessed(&answer(status, None), &policy),
                "{status}"
            );
        }
        // A Retry-After that can't be read is no statement about the service.
        assert!(!proves_unprocessed(&answer(503, Some("soon")), &policy));
        // Only 503 carries the "unavailable" meaning; a 500 or 502 with it still may hide work.
        assert!(!proves_unprocessed(&answer(500, Some("1")), &policy));
        assert!(!proves_unprocessed(&answer(502, Some("1")), &policy));
    }

    #[test]
    fn the_503_rule_can_be_turned_off() {
        let policy = RetryPolicy {
            trust_503_retry_after: false,
            ..RetryPolicy::default()
        };
        assert!(!proves_unprocessed(&answer(503, Some("2")), &policy));
        assert!(proves_unprocessed(&answer(429, None), &policy));
    }
}
