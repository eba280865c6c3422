//! Retry policy: which failures are retried, and how long to wait in between.

use std::time::{Duration, SystemTime};

use reqwest::header::{HeaderMap, RETRY_AFTER};

/// Statuses retried by default: timeouts, rate limits and transient server errors.
pub(crate) const DEFAULT_RETRY_STATUSES: [u16; 6] = [408, 429, 500, 502, 503, 504];
/// Error codes retried by default: the same key is still being processed by the server.
pub(crate) const DEFAULT_RETRY_CODES: [&str; 1] = ["idempotency_in_progress"];

/// How failed requests are retried.
///
/// Requests that are safe to repeat are retried after any failure the policy names: `GET`,
/// `HEAD`, `PUT`, `DELETE`, `OPTIONS`, or any other method (such as `POST`) that carries an
/// idempotency key. Any other request is retried only after a failure that proves it was not
/// processed: the connection was never made, a 408, a 429, or a 503 with a valid `Retry-After`
/// (see [`RetryPolicy::trust_503_retry_after`]); never after a reset or timeout once sent, a
/// 5xx, or a success whose body was lost.
/// All fields are public so tests and callers can tune them (e.g. tiny backoffs).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Retries after the first attempt (so at most `max_retries + 1` attempts). Default 2.
    pub max_retries: u32,
    /// Backoff before the first retry; doubled for each further retry. Default 500 ms.
    pub initial_backoff: Duration,
    /// Upper bound of the exponential backoff. Default 8 s.
    pub max_backoff: Duration,
    /// The longest server-sent `Retry-After` the client waits for. A longer one ends the call
    /// with the answer that asked for it (see `Error::retry_after`) instead of sleeping, so a
    /// caller is never stuck for an hour. Default 30 s.
    pub max_retry_after: Duration,
    /// HTTP statuses that are retried. Default `[408, 429, 500, 502, 503, 504]`.
    pub retry_statuses: Vec<u16>,
    /// API error codes that are retried whatever the status. Default `["idempotency_in_progress"]`.
    pub retry_codes: Vec<String>,
    /// Whether a success whose body could not be read whole or decoded is retried (for a request
    /// that is safe to repeat, so the same idempotency key replays the stored result). Default
    /// `true`.
    pub retry_unreadable_success: bool,
    /// Whether a 503 with a valid `Retry-After` counts as proof that the request was not
    /// processed (RFC 9110 §15.6.4 and §10.2.3: the service is unavailable, for that long), so
    /// that a request with no idempotency key is retried after it and its outcome is
    /// `NotApplied`. Turn it off for a server whose gateway sends `Retry-After` on a 503 after
    /// passing the request on. Default `true`.
    pub trust_503_retry_after: bool,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            max_retries: 2,
            initial_backoff: Duration::from_millis(500),
            max_backoff: Duration::from_secs(8),
            max_retry_after: Duration::from_secs(30),
            retry_statuses: DEFAULT_RETRY_STATUSES.to_vec(),
            retry_codes: DEFAULT_RETRY_CODES
                .iter()
                .map(|c| (*c).to_owned())
                .collect(),
            retry_unreadable_success: true,
            trust_503_retry_after: true,
        }
    }
}

impl RetryPolicy {
    /// A policy that never retries.
    pub fn none() -> Self {
        Self {
            max_retries: 0,
            ..Self::default()
        }
    }

    /// Whether a response with this status is retried.
    pub fn retries_status(&self, status: u16) -> bool {
        self.retry_statuses.contains(&status)
    }

    /// Whether an API error with this code is retried.
    pub fn retries_code(&self, code: &str) -> bool {
        self.retry_codes.iter().any(|c| c == code)
    }

    /// The capped exponential backoff before retry number `retry` (0 for the first retry),
    /// with random jitter: a value in `[cap / 2, cap]` where `cap = min(initial * 2^retry, max)`.
    pub fn backoff(&self, retry: u32) -> Duration {
        self.backoff_with_jitter(retry, fastrand::f64())
    }

    /// [`RetryPolicy::backoff`] with the jitter given as `unit` in `[0, 1]`, for deterministic tests.
    pub fn backoff_with_jitter(&self, retry: u32, unit: f64) -> Duration {
        let cap = self.backoff_cap(retry);
        // "Equal jitter": keeps at least half the delay so retries still spread out over time,
        // while the random half keeps many clients from retrying in lockstep.
        let unit = if unit.is_finite() {
            unit.clamp(0.0, 1.0)
        } else {
            1.0
        };
        let half = cap / 2;
        half + (cap - half).mul_f64(unit)
    }

    /// `min(initial_backoff * 2^retry, max_backoff)`, without overflow.
    fn backoff_cap(&self, retry: u32) -> Duration {
        let factor = 2u32.saturating_pow(retry);
        self.initial_backoff
            .saturating_mul(factor)
            .min(self.max_backoff)
    }

    /// The delay before retry number `retry`: the response's `Retry-After` when present and
    /// valid (capped at `max_retry_after`), else the jittered backoff.
    ///
    /// The send loop does not cap: it ends the call when the server asks for more than
    /// `max_retry_after` (see [`RetryPolicy::wait_before`]).
    pub fn delay(&self, retry: u32, headers: Option<&HeaderMap>) -> Duration {
        headers
            .and_then(|h| retry_after(h, SystemTime::now(), self.max_retry_after))
            .unwrap_or_else(|| self.backoff(retry))
    }

    /// How long to wait before retry number `retry`: the response's `Retry-After` when present
    /// and valid, else the jittered backoff. `Err` with the server's wait when it is longer than
    /// `max_retry_after`: the call should end with that advice rather than sleep.
    pub fn wait_before(
        &self,
        retry: u32,
        headers: Option<&HeaderMap>,
    ) -> Result<Duration, Duration> {
        let asked = headers
            .and_then(|h| h.get(RETRY_AFTER))
            .and_then(|v| v.to_str().ok())
            .and_then(|v| parse_retry_after(v, SystemTime::now()));
        match asked {
            Some(wait) if wait > self.max_retry_after => Err(wait),
            Some(wait) => Ok(wait),
            None => Ok(self.backoff(retry)),
        }
    }
}

/// Reads `Retry-After` from `headers`, capped at `cap`. `None` when absent or invalid.
pub fn retry_after(headers: &HeaderMap, now: SystemTime, cap: Duration) -> Option<Duration> {
    let value = headers.get(RETRY_AFTER)?.to_str().ok()?;
    parse_retry_after(value, now).map(|d| d.min(cap))
}

/// Parses a `Retry-After` value: delta seconds (`"120"`) or an HTTP date
/// (`"Wed, 21 Oct 2015 07:28:00 GMT"`). A date in the past means "now" (zero).
/// Anything else (negative or fractional numbers, garbage) is `None`.
pub fn parse_retry_after(value: &str, now: SystemTime) -> Option<Duration> {
    let value = value.trim();
    if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) {
        // All digits but too large for u64: still a (huge) delay, which the caller caps.
        let secs = value.parse::<u64>().unwrap_or(u64::MAX);
        return Some(Duration::from_secs(secs));
    }
    let date = httpdate::parse_http_date(value).ok()?;
    Some(date.duration_since(now).unwrap_or(Duration::ZERO))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn policy() -> RetryPolicy {
        RetryPolicy {
            initial_backoff: Duration::from_millis(100),
            max_backoff: Duration::from_millis(1000),
            ..RetryPolicy::default()
        }
    }

    #[test]
    fn defaults_match_the_contract() {
        let p = RetryPolicy::default();
        assert_eq!(p.max_retries, 2);
        assert_eq!(p.initial_backoff, Duration::from_millis(500));
        assert_eq!(p.max_backoff, Duration::from_secs(8));
        assert_eq!(p.max_retry_after, Duration::from_secs(30));
        assert_eq!(p.retry_statuses, [408, 429, 500, 502, 503, 504]);
        assert!(p.retries_code("idempotency_in_progress"));
        assert!(!p.retries_code("idempotency_key_mismatch"));
        assert!(!p.retries_status(400) && !p.retries_status(409) && p.retries_status(503));
        assert!(p.retry_unreadable_success);
        assert!(p.trust_503_retry_after);
        assert_eq!(RetryPolicy::none().max_retries, 0);
    }

    #[test]
    fn backoff_grows_exponentially_then_caps() {
        let p = policy();
        let full: Vec<_> = (0..6).map(|r| p.backoff_with_jitter(r, 1.0)).collect();
        let ms: Vec<_> = full.iter().map(|d| d.as_millis()).collect();
        assert_eq!(ms, [100, 200, 400, 800, 1000, 1000]);
        // Huge retry numbers must neither overflow nor exceed the cap.
        assert_eq!(p.backoff_with_jitter(u32::MAX, 1.0), p.max_backoff);
        assert_eq!(p.backoff_with_jitter(31, 0.0), p.max_backoff / 2);
    }

    #[test]
    fn jitter_stays_within_half_and_full_cap() {
        let p = policy();
        for retry in 0..8 {
            let cap = p.backoff_with_jitter(retry, 1.0);
            assert_eq!(p.backoff_with_jitter(retry, 0.0), cap / 2);
            assert_eq!(p.backoff_with_jitter(retry, -3.0), cap / 2);
            assert_eq!(p.backoff_with_jitter(retry, f64::NAN), cap);
            for _ in 0..50 {
                let d = p.backoff(retry);
                assert!(
                    d >= cap / 2 && d <= cap,
                    "{d:?} not in [{:?}, {cap:?}]",
                    cap / 2
                );
                assert!(d <= p.max_backoff);
            }
        }
    }

    #[test]
    fn retry_after_seconds() {
        let now = SystemTime::now();
        assert_eq!(parse_retry_after("0", now), Some(Duration::ZERO));
        assert_eq!(
            parse_retry_after(" 12 ", now),
            Some(Duration::from_secs(12))
        );
        assert_eq!(
            parse_retry_after("99999999999999999999999", now),
            Some(Duration::from_secs(u64::MAX))
        );
    }

    #[test]
    fn retry_after_http_date() {
        let now = httpdate::parse_http_date("Wed, 21 Oct 2015 07:28:00 GMT").unwrap();
        assert_eq!(
            parse_retry_after("Wed, 21 Oct 2015 07:28:10 GMT", now),
            Some(Duration::from_secs(10))
        );
        // A date in the past means "retry now".
        assert_eq!(
            parse_retry_after("Wed, 21 Oct 2015 07:27:00 GMT", now),
            Some(Duration::ZERO)
        );
    }

    #[test]
    fn retry_after_garbage_is_ignored() {
        let now = SystemTime::now();
        for v in [
            "",
            "soon",
            "-1",
            "1.5",
            "+3",
            "Wed, 99 Oct 2015 07:28:00 GMT",
            "0x10",
        ] {
            assert_eq!(parse_retry_after(v, now), None, "{v:?}");
        }
    }

    #[test]
    fn retry_after_header_is_capped() {
        let now = SystemTime::now();
        let cap = Duration::from_secs(30);
        let mut h = HeaderMap::new();
        assert_eq!(retry_after(&h, now, cap), None);
        h.insert(RETRY_AFTER, "3".parse().unwrap());
        assert_eq!(retry_after(&h, now, cap), Some(Duration::from_secs(3)));
        h.insert(RETRY_AFTER, "3600".parse().unwrap());
        assert_eq!(retry_after(&h, now, cap), Some(cap));
        h.insert(RETRY_AFTER, "later".parse().unwrap());
        assert_eq!(retry_after(&h, now, cap), None);
        let p = RetryPolicy {
            initial_backoff: Duration::from_millis(7),
            max_backoff: Duration::from_millis(7),
            ..RetryPolicy::default()
        };
        let d = p.delay(0, Some(&h));
        assert!(
            d <= Duration::from_millis(7),
            "falls back to backoff: {d:?}"
        );
        h.insert(RETRY_AFTER, "2".parse().unwrap());
        assert_eq!(p.delay(0, Some(&h)), Duration::from_secs(2));
    }

    #[test]
    fn a_retry_after_over_the_limit_is_advice_not_a_wait() {
        let p = RetryPolicy {
            initial_backoff: Duration::from_millis(7),
            max_backoff: Duration::from_millis(7),
            ..RetryPolicy::default()
        };
        let mut h = HeaderMap::new();
        assert!(p.wait_before(0, Some(&h)).unwrap() <= Duration::from_millis(7));
        assert!(p.wait_before(0, None).unwrap() <= Duration::from_millis(7));
        h.insert(RETRY_AFTER, "30".parse().unwrap());
        assert_eq!(p.wait_before(0, Some(&h)), Ok(Duration::from_secs(30)));
        h.insert(RETRY_AFTER, "3600".parse().unwrap());
        assert_eq!(p.wait_before(0, Some(&h)), Err(Duration::from_secs(3600)));
        h.insert(
            RETRY_AFTER,
            "Wed, 21 Oct 2099 07:28:00 GMT".parse().unwrap(),
        );
        assert!(p.wait_before(0, Some(&h)).is_err());
        h.insert(RETRY_AFTER, "soon".parse().unwrap());
        assert!(p.wait_before(0, Some(&h)).is_ok());
    }
}
