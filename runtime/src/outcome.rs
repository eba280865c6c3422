//! What a failed call did on the server: whether its operation may have been applied, every
//! attempt it made, and why it stopped.
//!
//! A payment client must never let a failure look more final than it is: when an early attempt
//! was cut off after the server may have processed it, a later 401 does not undo the charge. So
//! the outcome of a call is the most-applied outcome of any of its attempts, and the report
//! keeps every attempt and the idempotency key that makes a safe retry possible.

use std::fmt;
use std::time::Duration;

use reqwest::StatusCode;

/// Whether the operation of a call may have taken effect on the server.
///
/// Ordered from least to most applied, so the outcome of a call is the `max` of its attempts'.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Outcome {
    /// Known not applied: nothing was sent, the connection failed before the request left, or
    /// the server refused it (a 4xx other than `idempotency_in_progress`, 429, 408, and a 503
    /// with a valid `Retry-After` unless the policy's `trust_503_retry_after` is off).
    NotApplied,
    /// Unknown: the request may have been processed and its answer lost (a reset or timeout
    /// after sending, a 5xx, or the server still working on the same idempotency key). Retry
    /// with the same idempotency key to learn the result without applying it twice.
    MaybeApplied,
    /// Applied: the server answered with a success whose body could not be read or used. A
    /// retry with the same idempotency key replays the original result.
    Applied,
}

impl Outcome {
    /// Whether the operation may have taken effect ([`Outcome::MaybeApplied`] or
    /// [`Outcome::Applied`]): the case where only a retry with the same key is safe.
    pub fn may_be_applied(self) -> bool {
        self != Outcome::NotApplied
    }

    /// A few words for messages and logs: `not applied`, `may have been applied`, `applied`.
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::NotApplied => "not applied",
            Outcome::MaybeApplied => "may have been applied",
            Outcome::Applied => "applied",
        }
    }
}

impl fmt::Display for Outcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One attempt of a call, as it ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attempt {
    pub(crate) number: u32,
    pub(crate) outcome: Outcome,
    pub(crate) status: Option<StatusCode>,
    pub(crate) request_id: Option<String>,
    pub(crate) elapsed: Duration,
    pub(crate) summary: String,
}

impl Attempt {
    /// Its number, from 1.
    pub fn number(&self) -> u32 {
        self.number
    }

    /// Whether this attempt may have applied the operation.
    pub fn outcome(&self) -> Outcome {
        self.outcome
    }

    /// The HTTP status, when an answer arrived.
    pub fn status(&self) -> Option<StatusCode> {
        self.status
    }

    /// The `x-request-id` of the answer, when one arrived.
    pub fn request_id(&self) -> Option<&str> {
        self.request_id.as_deref()
    }

    /// How long the attempt took.
    pub fn elapsed(&self) -> Duration {
        self.elapsed
    }

    /// One line saying how it failed (never a body): `503 Service Unavailable`, `timed out
    /// after 200ms`, `transport error: connection closed before message completed`.
    pub fn summary(&self) -> &str {
        &self.summary
    }
}

/// Why a failed call made no further attempt.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum StopReason {
    /// The retry policy does not retry this failure (a 400, 401, 404, ...).
    NotRetryable,
    /// The request is not safe to send twice: a `POST` without an idempotency key after a
    /// failure that does not prove it was not processed, or a body sent from a stream that
    /// can't be replayed.
    NotRepeatable,
    /// Every retry the budget allows was made.
    RetriesExhausted,
    /// The call's deadline passed, or would have passed before the next attempt could start.
    DeadlinePassed {
        /// The deadline of the call.
        deadline: Duration,
    },
    /// The server asked to wait longer than the retry policy's `max_retry_after`: the call
    /// ends with the server's advice instead of sleeping.
    RetryAfterTooLong {
        /// What the server asked for.
        retry_after: Duration,
        /// The longest wait the policy allows.
        limit: Duration,
    },
    /// The next attempt could not be prepared (the token provider failed, say).
    CouldNotRetry(String),
}

impl fmt::Display for StopReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StopReason::NotRetryable => f.write_str("not retryable"),
            StopReason::NotRepeatable => f.write_str(
                "not safe to repeat (no idempotency key and the request may have been \
                     processed, or a streamed body)",
            ),
            StopReason::RetriesExhausted => f.write_str("retries exhausted"),
            StopReason::DeadlinePassed { deadline } => {
                write!(f, "the call's deadline of {deadline:?} passed")
            }
            StopReason::RetryAfterTooLong { retry_after, limit } => write!(
                f,
                "the server asked to retry after {retry_after:?}, more than the {limit:?} allowed"
            ),
            StopReason::CouldNotRetry(why) => write!(f, "could not retry: {why}"),
        }
    }
}

/// What a failed call did: its idempotency key, every attempt, and why it stopped.
///
/// Every error of a call that reached the network carries one ([`crate::Error::report`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CallReport {
    pub(crate) idempotency_key: Option<String>,
    pub(crate) attempts: Vec<Attempt>,
    pub(crate) stop: StopReason,
    pub(crate) elapsed: Duration,
    /// A read (`GET`, `HEAD`, `OPTIONS`): whether it was "applied" is no news to anyone.
    pub(crate) read: bool,
}

impl CallReport {
    /// The most-applied outcome of any attempt: an earlier ambiguous attempt is never hidden by
    /// a later definitive-looking answer.
    pub fn outcome(&self) -> Outcome {
        self.attempts
            .iter()
            .map(|a| a.outcome)
            .max()
            .unwrap_or(Outcome::NotApplied)
    }

    /// The idempotency key every attempt carried, if the call had one: retry with it (see
    /// `Call::idempotency_key`) to get the original result instead of applying the operation
    /// again.
    pub fn idempotency_key(&self) -> Option<&str> {
        self.idempotency_key.as_deref()
    }

    /// Every attempt, in order; the last one is the error itself.
    pub fn attempts(&self) -> &[Attempt] {
        &self.attempts
    }

    /// Why no further attempt was made.
    pub fn stop_reason(&self) -> &StopReason {
        &self.stop
    }

    /// How long the whole call took, backoffs included.
    pub fn elapsed(&self) -> Duration {
        self.elapsed
    }

    /// `; may have been applied (by attempt 1 of 2); idempotency key K`, or nothing for a read
    /// that failed on its first and only attempt for an ordinary reason.
    pub(crate) fn write_suffix(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let total = self.attempts.len();
        let outcome = self.outcome();
        if !self.read {
            write!(f, "; {outcome}")?;
            // Say which attempt when the last one says less: its status looks final.
            let last = self.attempts.last().map(|a| a.outcome);
            let first = self.attempts.iter().find(|a| a.outcome == outcome);
            match first {
                Some(a) if last < Some(outcome) => {
                    write!(f, " (by attempt {} of {total})", a.number)?;
                }
                _ if total > 1 => write!(f, " after {total} attempts")?,
                _ => {}
            }
        } else if total > 1 {
            write!(f, "; after {total} attempts")?;
        }
        match &self.stop {
            StopReason::NotRetryable | StopReason::NotRepeatable | StopReason::RetriesExhausted => {
            }
            other => write!(f, "; {other}")?,
        }
        if let Some(key) = &self.idempotency_key {
            write!(f, "; idempotency key {key}")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn attempt(number: u32, outcome: Outcome) -> Attempt {
        Attempt {
            number,
            outcome,
            status: None,
            request_id: None,
            elapsed: Duration::ZERO,
            summary: String::new(),
        }
    }

    struct Suffix<'a>(&'a CallReport);

    impl fmt::Display for Suffix<'_> {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            self.0.write_suffix(f)
        }
    }

    fn report(outcomes: &[Outcome], stop: StopReason, read: bool) -> CallReport {
        CallReport {
            idempotency_key: (!read).then(|| "k1".to_owned()),
            attempts: (1..).zip(outcomes).map(|(n, o)| attempt(n, *o)).collect(),
            stop,
            elapsed: Duration::ZERO,
            read,
        }
    }

    #[test]
    fn an_earlier_ambiguous_attempt_decides_the_outcome() {
        use Outcome::*;
        let r = report(&[MaybeApplied, NotApplied], StopReason::NotRetryable, false);
        assert_eq!(r.outcome(), MaybeApplied);
        assert_eq!(
            Suffix(&r).to_string(),
            "; may have been applied (by attempt 1 of 2); idempotency key k1"
        );
        let r = report(
            &[Applied, MaybeApplied],
            StopReason::RetriesExhausted,
            false,
        );
        assert_eq!(r.outcome(), Applied);
        assert!(Outcome::Applied > Outcome::MaybeApplied);
        let r = report(&[NotApplied], StopReason::NotRetryable, false);
        assert_eq!(Suffix(&r).to_string(), "; not applied; idempotency key k1");
        let r = report(
            &[MaybeApplied, MaybeApplied],
            StopReason::RetriesExhausted,
            false,
        );
        assert_eq!(
            Suffix(&r).to_string(),
            "; may have been applied after 2 attempts; idempotency key k1"
        );
        assert_eq!(
            report(&[], StopReason::NotRetryable, false).outcome(),
            NotApplied
        );
    }

    #[test]
    fn reads_say_only_what_is_news() {
        use Outcome::*;
        let r = report(&[MaybeApplied], StopReason::NotRetryable, true);
        assert_eq!(Suffix(&r).to_string(), "");
        let limit = Duration::from_secs(30);
        let r = report(
            &[NotApplied, NotApplied],
            StopReason::RetryAfterTooLong {
                retry_after: Duration::from_secs(3600),
                limit,
            },
            true,
        );
        assert_eq!(
            Suffix(&r).to_string(),
            "; after 2 attempts; the server asked to retry after 3600s, more than the 30s allowed"
        );
    }
}
