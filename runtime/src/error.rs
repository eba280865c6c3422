//! Errors returned by calls: API errors, transport failures, timeouts and decode failures.

use std::error::Error as StdError;
use std::fmt::{self, Debug, Display};
use std::time::Duration;

use reqwest::StatusCode;
use reqwest::header::HeaderMap;
use serde::de::DeserializeOwned;

use crate::outcome::{CallReport, Outcome};
use crate::retry::{DEFAULT_RETRY_CODES, DEFAULT_RETRY_STATUSES, RetryPolicy, parse_retry_after};

/// The most bytes of a response body kept in [`DecodeError`] and [`UnexpectedStatus`].
pub const BODY_PREFIX_LIMIT: usize = 2048;

/// How much of a kept body prefix goes into a one-line `Display`.
const DISPLAY_SNIPPET: usize = 200;

/// The typed body of an API error response, e.g. Commet's `{type, code, message, ...}` object.
pub trait ErrorBody: DeserializeOwned + Debug + Send + Sync + 'static {
    /// The error category, e.g. `"conflict_error"`.
    fn error_type(&self) -> Option<&str>;
    /// The stable machine code, e.g. `"idempotency_in_progress"`.
    fn code(&self) -> Option<&str>;
    /// The human-readable message.
    fn message(&self) -> Option<&str>;
}

/// Used when the spec declares no error schema: reads the `type`, `code` and `message`
/// string fields of a JSON object, if present.
impl ErrorBody for serde_json::Value {
    fn error_type(&self) -> Option<&str> {
        self.get("type").and_then(serde_json::Value::as_str)
    }
    fn code(&self) -> Option<&str> {
        self.get("code").and_then(serde_json::Value::as_str)
    }
    fn message(&self) -> Option<&str> {
        self.get("message").and_then(serde_json::Value::as_str)
    }
}

/// An error response from the API whose body matched the error envelope.
#[derive(Debug, Clone)]
pub struct ApiError<E> {
    /// The HTTP status.
    pub status: StatusCode,
    /// The response headers.
    pub headers: HeaderMap,
    /// The `x-request-id` response header, to quote to support.
    pub request_id: Option<String>,
    /// The decoded error body.
    pub body: E,
    pub(crate) report: Option<Box<CallReport>>,
}

impl<E: ErrorBody> ApiError<E> {
    /// The error category, e.g. `"conflict_error"`.
    pub fn error_type(&self) -> Option<&str> {
        self.body.error_type()
    }
    /// The stable machine code, e.g. `"payment_not_cancelable"`.
    pub fn code(&self) -> Option<&str> {
        self.body.code()
    }
    /// The human-readable message.
    pub fn message(&self) -> Option<&str> {
        self.body.message()
    }
}

/// Writes `: type/code` and `: message` for whichever of them are known.
fn write_kind_and_message(
    f: &mut fmt::Formatter<'_>,
    error_type: Option<&str>,
    code: Option<&str>,
    message: Option<&str>,
    message_limit: usize,
) -> fmt::Result {
    let kind: Vec<&str> = [error_type, code].into_iter().flatten().collect();
    if !kind.is_empty() {
        write!(f, ": {}", kind.join("/"))?;
    }
    if let Some(message) = message {
        write!(f, ": {}", one_line(message, message_limit))?;
    }
    Ok(())
}

impl<E: ErrorBody> Display for ApiError<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.status)?;
        write_kind_and_message(
            f,
            self.error_type(),
            self.code(),
            self.message(),
            usize::MAX,
        )?;
        write_request_id(f, self.request_id.as_deref())
    }
}

impl<E: ErrorBody> StdError for ApiError<E> {}

/// The connection failed: DNS, connect, TLS, reset, or the body could not be read.
#[derive(Debug)]
pub struct TransportError {
    source: reqwest::Error,
    report: Option<Box<CallReport>>,
}

impl TransportError {
    pub(crate) fn new(source: reqwest::Error) -> Self {
        Self {
            source,
            report: None,
        }
    }
    /// The underlying `reqwest` error.
    pub fn inner(&self) -> &reqwest::Error {
        &self.source
    }
    /// Whether the failure happened while connecting (so nothing reached the server).
    pub fn is_connect(&self) -> bool {
        self.source.is_connect()
    }
}

impl Display for TransportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // reqwest's own message is generic ("error sending request"); the root cause is the
        // useful part, so both go on the one line.
        write!(f, "{}", self.source)?;
        let mut root: Option<&(dyn StdError + 'static)> = self.source.source();
        while let Some(next) = root.and_then(StdError::source) {
            root = Some(next);
        }
        if let Some(root) = root {
            write!(f, ": {root}")?;
        }
        Ok(())
    }
}

impl StdError for TransportError {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        Some(&self.source)
    }
}

/// An attempt did not complete within its timeout, or the call's deadline passed during one.
#[derive(Debug)]
pub struct TimeoutError {
    timeout: Duration,
    /// `None` when the call's deadline, not `reqwest`, stopped the attempt.
    source: Option<reqwest::Error>,
    report: Option<Box<CallReport>>,
}

impl TimeoutError {
    pub(crate) fn new(timeout: Duration, source: reqwest::Error) -> Self {
        Self {
            timeout,
            source: Some(source),
            report: None,
        }
    }
    /// The attempt was stopped when the call's deadline passed, `waited` after it started.
    pub(crate) fn deadline(waited: Duration) -> Self {
        Self {
            timeout: waited,
            source: None,
            report: None,
        }
    }
    /// How long the attempt ran before it was stopped: the per-attempt timeout, or what was
    /// left of the call's deadline.
    pub fn timeout(&self) -> Duration {
        self.timeout
    }
    /// The underlying `reqwest` error (`None` when the call's deadline stopped the attempt).
    pub fn inner(&self) -> Option<&reqwest::Error> {
        self.source.as_ref()
    }
    /// Whether the connection was never made (a connect timeout): nothing reached the server.
    pub fn is_connect(&self) -> bool {
        self.source.as_ref().is_some_and(reqwest::Error::is_connect)
    }
}

impl Display for TimeoutError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "request timed out after {:?}", self.timeout)?;
        if let Some(url) = self.source.as_ref().and_then(reqwest::Error::url) {
            write!(f, " ({url})")?;
        }
        Ok(())
    }
}

impl StdError for TimeoutError {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        self.source.as_ref().map(|e| e as &(dyn StdError + 'static))
    }
}

/// A successful response whose body could not be read whole or did not match the expected
/// type. The server applied the operation: [`Error::outcome`] is [`Outcome::Applied`].
#[derive(Debug, Clone)]
pub struct DecodeError {
    /// The HTTP status.
    pub status: StatusCode,
    /// The response headers.
    pub headers: HeaderMap,
    /// The `x-request-id` response header.
    pub request_id: Option<String>,
    /// The start of the body, at most [`BODY_PREFIX_LIMIT`] bytes, cut on a char boundary.
    pub body: String,
    /// Whether `body` is shorter than the real body.
    pub body_truncated: bool,
    /// Where in the JSON decoding failed, e.g. `data.items[0].amount` (`.` for the root).
    pub path: String,
    /// What went wrong: serde's message, or why the body could not be read.
    pub message: String,
    pub(crate) report: Option<Box<CallReport>>,
}

impl Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "could not decode {} response at `{}`: {}",
            self.status,
            self.path,
            one_line(&self.message, usize::MAX)
        )?;
        write_request_id(f, self.request_id.as_deref())
    }
}

impl StdError for DecodeError {}

/// A non-2xx response whose body is not the API's error envelope (e.g. an HTML 502 page).
#[derive(Debug, Clone)]
pub struct UnexpectedStatus {
    /// The HTTP status.
    pub status: StatusCode,
    /// The response headers.
    pub headers: HeaderMap,
    /// The `x-request-id` response header.
    pub request_id: Option<String>,
    /// The start of the body, at most [`BODY_PREFIX_LIMIT`] bytes, cut on a char boundary.
    pub body: String,
    /// Whether `body` is shorter than the real body.
    pub body_truncated: bool,
    /// Why the body was not accepted as an error envelope.
    pub reason: String,
    /// The error object, when the body had the envelope but the object did not match the
    /// declared error type (a missing `type`, say). Its `type`, `code` and `message` are still
    /// read, so a retryable code is retried and messages stay useful.
    pub error: Option<serde_json::Value>,
    pub(crate) report: Option<Box<CallReport>>,
}

impl UnexpectedStatus {
    /// The `type` of the error object, if there is one.
    pub fn error_type(&self) -> Option<&str> {
        self.error.as_ref().and_then(ErrorBody::error_type)
    }

    /// The `code` of the error object, if there is one.
    pub fn code(&self) -> Option<&str> {
        self.error.as_ref().and_then(ErrorBody::code)
    }

    /// The `message` of the error object, if there is one.
    pub fn message(&self) -> Option<&str> {
        self.error.as_ref().and_then(ErrorBody::message)
    }
}

impl Display for UnexpectedStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "unexpected response {}", self.status)?;
        write_kind_and_message(
            f,
            self.error_type(),
            self.code(),
            self.message(),
            DISPLAY_SNIPPET,
        )?;
        if self.message().is_some() {
            return write_request_id(f, self.request_id.as_deref());
        }
        write_request_id(f, self.request_id.as_deref())?;
        let snippet = one_line(&self.body, DISPLAY_SNIPPET);
        if !snippet.is_empty() {
            write!(f, ": {snippet}")?;
        }
        Ok(())
    }
}

impl StdError for UnexpectedStatus {}

/// A response whose body was larger than the call's limit (see
/// `ClientBuilder::max_response_body`); it was not read further.
#[derive(Debug, Clone)]
pub struct BodyTooLarge {
    /// The HTTP status.
    pub status: StatusCode,
    /// The response headers.
    pub headers: HeaderMap,
    /// The `x-request-id` response header.
    pub request_id: Option<String>,
    /// The limit in bytes that the body went over.
    pub limit: usize,
    pub(crate) report: Option<Box<CallReport>>,
}

impl Display for BodyTooLarge {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "the {} response's body is larger than the {} byte limit",
            self.status, self.limit
        )?;
        write_request_id(f, self.request_id.as_deref())
    }
}

impl StdError for BodyTooLarge {}

// Callers return `Result<_, Error<E>>` from their own functions; an error type much larger
// than a few words makes every such `Result` expensive to move and trips clippy's
// `result_large_err` in their code. The bulky variants are boxed to keep it small.
const _: () = assert!(std::mem::size_of::<Error<serde_json::Value>>() <= 40);

/// Everything a call can fail with. `E` is the operation's error body type.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error<E> {
    /// The API answered with an error envelope.
    Api(Box<ApiError<E>>),
    /// The connection failed (connect, TLS, reset, body read).
    Transport(TransportError),
    /// An attempt exceeded its timeout.
    Timeout(TimeoutError),
    /// A 2xx body could not be read whole or did not match the expected type: the operation
    /// was applied.
    Decode(Box<DecodeError>),
    /// A non-2xx response without a decodable error envelope.
    UnexpectedStatus(Box<UnexpectedStatus>),
    /// The request was rejected before anything was sent (CR/LF in a header value,
    /// body serialization failure, invalid path segment).
    InvalidRequest(String),
    /// The server's pagination would loop (repeated cursor) or cannot continue
    /// (`hasMore` without `nextCursor`).
    Pagination(String),
    /// A response body was larger than the call's limit.
    BodyTooLarge(Box<BodyTooLarge>),
}

impl<E: ErrorBody> Error<E> {
    /// The HTTP status, when a response was received.
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Error::Api(e) => Some(e.status),
            Error::Decode(e) => Some(e.status),
            Error::UnexpectedStatus(e) => Some(e.status),
            Error::BodyTooLarge(e) => Some(e.status),
            _ => None,
        }
    }

    /// The response headers, when a response was received.
    pub fn headers(&self) -> Option<&HeaderMap> {
        match self {
            Error::Api(e) => Some(&e.headers),
            Error::Decode(e) => Some(&e.headers),
            Error::UnexpectedStatus(e) => Some(&e.headers),
            Error::BodyTooLarge(e) => Some(&e.headers),
            _ => None,
        }
    }

    /// The `x-request-id` of the response, when one was received.
    pub fn request_id(&self) -> Option<&str> {
        match self {
            Error::Api(e) => e.request_id.as_deref(),
            Error::Decode(e) => e.request_id.as_deref(),
            Error::UnexpectedStatus(e) => e.request_id.as_deref(),
            Error::BodyTooLarge(e) => e.request_id.as_deref(),
            _ => None,
        }
    }

    /// Whether the default [`RetryPolicy`] would retry this error (for a request that is safe
    /// to repeat): transport failures, timeouts, 408/429/500/502/503/504, the
    /// `idempotency_in_progress` code, and a success whose body could not be read or decoded
    /// (a retry with the same key replays it).
    pub fn is_retryable(&self) -> bool {
        self.retryable_with(
            &DEFAULT_RETRY_STATUSES,
            |code| DEFAULT_RETRY_CODES.contains(&code),
            true,
        )
    }

    /// Whether `policy` retries this error (for a request that is safe to repeat).
    pub fn is_retryable_under(&self, policy: &RetryPolicy) -> bool {
        self.retryable_with(
            &policy.retry_statuses,
            |code| policy.retries_code(code),
            policy.retry_unreadable_success,
        )
    }

    fn retryable_with(
        &self,
        statuses: &[u16],
        code_retried: impl Fn(&str) -> bool,
        unreadable_success: bool,
    ) -> bool {
        match self {
            Error::Api(e) => {
                statuses.contains(&e.status.as_u16()) || e.code().is_some_and(code_retried)
            }
            Error::UnexpectedStatus(e) => {
                statuses.contains(&e.status.as_u16()) || e.code().is_some_and(code_retried)
            }
            // A request that could not even be built will fail the same way again.
            Error::Transport(e) => !e.source.is_builder(),
            Error::Timeout(_) => true,
            Error::Decode(_) => unreadable_success,
            // The limit is the caller's: the same body would be refused again. An error status
            // is still retried as that status.
            Error::BodyTooLarge(e) => statuses.contains(&e.status.as_u16()),
            Error::InvalidRequest(_) | Error::Pagination(_) => false,
        }
    }

    /// What the call did, when it reached the network: its idempotency key, every attempt and
    /// why it stopped. `None` for a request refused before sending, and for pagination errors.
    pub fn report(&self) -> Option<&CallReport> {
        let report = match self {
            Error::Api(e) => &e.report,
            Error::Transport(e) => &e.report,
            Error::Timeout(e) => &e.report,
            Error::Decode(e) => &e.report,
            Error::UnexpectedStatus(e) => &e.report,
            Error::BodyTooLarge(e) => &e.report,
            Error::InvalidRequest(_) | Error::Pagination(_) => return None,
        };
        report.as_deref()
    }

    pub(crate) fn report_slot(&mut self) -> Option<&mut Option<Box<CallReport>>> {
        match self {
            Error::Api(e) => Some(&mut e.report),
            Error::Transport(e) => Some(&mut e.report),
            Error::Timeout(e) => Some(&mut e.report),
            Error::Decode(e) => Some(&mut e.report),
            Error::UnexpectedStatus(e) => Some(&mut e.report),
            Error::BodyTooLarge(e) => Some(&mut e.report),
            Error::InvalidRequest(_) | Error::Pagination(_) => None,
        }
    }

    /// Whether the operation may have been applied, over every attempt of the call: an earlier
    /// attempt cut off after sending makes it [`Outcome::MaybeApplied`] whatever the last
    /// answer was. A request refused before sending is [`Outcome::NotApplied`].
    ///
    /// After an error that [may be applied](Outcome::may_be_applied), retry with the same
    /// [idempotency key](Self::idempotency_key): the server then answers with the original
    /// result instead of applying the operation again.
    pub fn outcome(&self) -> Outcome {
        self.report()
            .map_or(Outcome::NotApplied, CallReport::outcome)
    }

    /// How many attempts were sent (0 when the request was refused before sending).
    pub fn attempts(&self) -> u32 {
        self.report()
            .map_or(0, |r| u32::try_from(r.attempts.len()).unwrap_or(u32::MAX))
    }

    /// The idempotency key every attempt carried, if the call had one.
    pub fn idempotency_key(&self) -> Option<&str> {
        self.report().and_then(CallReport::idempotency_key)
    }

    /// The server's `Retry-After` advice on the last answer, if it gave one: how long to wait
    /// before trying again (an HTTP date is turned into a wait from now).
    pub fn retry_after(&self) -> Option<Duration> {
        let value = self.headers()?.get(reqwest::header::RETRY_AFTER)?;
        parse_retry_after(value.to_str().ok()?, std::time::SystemTime::now())
    }

    /// The API error, if the server answered with an error envelope.
    pub fn api_error(&self) -> Option<&ApiError<E>> {
        match self {
            Error::Api(e) => Some(e),
            _ => None,
        }
    }

    /// The API error code (e.g. `"payment_not_cancelable"`), if any.
    pub fn code(&self) -> Option<&str> {
        match self {
            Error::Api(e) => e.code(),
            Error::UnexpectedStatus(e) => e.code(),
            _ => None,
        }
    }
}

impl<E: ErrorBody> Error<E> {
    /// The error's own line, without what the call's report adds.
    pub(crate) fn write_own(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Api(e) => Display::fmt(e, f),
            Error::Transport(e) => write!(f, "transport error: {e}"),
            Error::Timeout(e) => Display::fmt(e, f),
            Error::Decode(e) => Display::fmt(e, f),
            Error::UnexpectedStatus(e) => Display::fmt(e, f),
            Error::InvalidRequest(m) => write!(f, "invalid request (not sent): {m}"),
            Error::Pagination(m) => write!(f, "pagination error: {m}"),
            Error::BodyTooLarge(e) => Display::fmt(e, f),
        }
    }
}

/// One line: the error, then (for a call that reached the network) whether it may have been
/// applied, by which attempt, why the call stopped and its idempotency key.
impl<E: ErrorBody> Display for Error<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.write_own(f)?;
        match self.report() {
            Some(report) => report.write_suffix(f),
            None => Ok(()),
        }
    }
}

impl<E: ErrorBody> StdError for Error<E> {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        match self {
            Error::Transport(e) => Some(&e.source),
            Error::Timeout(e) => StdError::source(e),
            _ => None,
        }
    }
}

fn write_request_id(f: &mut fmt::Formatter<'_>, request_id: Option<&str>) -> fmt::Result {
    match request_id {
        Some(id) => write!(f, " (request {})", one_line(id, usize::MAX)),
        None => Ok(()),
    }
}

/// Keeps at most `max` bytes of `bytes` as text, cut on a char boundary.
/// Returns the text and whether anything was cut.
pub(crate) fn body_prefix(bytes: &[u8], max: usize) -> (String, bool) {
    let over = bytes.len() > max;
    let mut head = &bytes[..bytes.len().min(max)];
    // A multi-byte char split by the cut is dropped rather than shown as U+FFFD.
    if over
        && let Err(e) = std::str::from_utf8(head)
        && e.error_len().is_none()
    {
        head = &head[..e.valid_up_to()];
    }
    // Invalid UTF-8 becomes U+FFFD, which can be longer than the bytes it replaces,
    // so cut again on a char boundary to keep the bound.
    let mut text = String::from_utf8_lossy(head).into_owned();
    let mut end = text.len().min(max);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let cut_again = end < text.len();
    text.truncate(end);
    (text, over || cut_again)
}

/// Collapses control characters (newlines included) so a snippet stays on one line,
/// keeping at most `max_chars` characters.
fn one_line(text: &str, max_chars: usize) -> String {
    let mut out = String::new();
    let mut last_space = false;
    for (count, c) in text.trim().chars().enumerate() {
        if count >= max_chars {
            out.push('…');
            break;
        }
        if c.is_control() || c.is_whitespace() {
            if !last_space {
                out.push(' ');
            }
            last_space = true;
        } else {
            out.push(c);
            last_space = false;
        }
    }
    out
}

#[cfg(test)]
mod tests;
