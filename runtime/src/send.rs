//! The send loop: attempts, retries, the call's deadline, and what a failed call reports.
//!
//! Every attempt ends in a success or an error; the error is classified (may the operation
//! have been applied?), recorded, and either retried or returned with a [`CallReport`] of
//! every attempt. Traces (`tracing`) follow the same steps: a span per call and per attempt,
//! events for each answer and each retry decision. They carry the operation, method, path
//! template, status, request id and timings; never credentials, and never bodies.

use std::time::{Duration, Instant};

use reqwest::StatusCode;
use reqwest::header::{AUTHORIZATION, HeaderMap};
use serde::de::DeserializeOwned;
use tracing::Instrument;

use crate::auth;
use crate::call::{Call, Prepared, REQUEST_ID_HEADER};
use crate::download::Download;
use crate::envelope::{Envelope, Response, decode_error, decode_failure, decode_success};
use crate::error::{BodyTooLarge, Error, ErrorBody, TimeoutError, TransportError};
use crate::idempotency::{IDEMPOTENCY_IN_PROGRESS, is_read};
use crate::media::content_type_mismatch;
use crate::outcome::{Attempt, CallReport, Outcome, StopReason};
use crate::read::{ReadFailure, read_limited};
use crate::retry::RetryPolicy;
use crate::unprocessed::proves_unprocessed;

impl<T: DeserializeOwned, E: ErrorBody> Call<T, E> {
    /// Sends the call, retrying per the retry policy, and returns the decoded data with the
    /// status, headers, request id and idempotency key.
    ///
    /// A failed attempt is retried only when the policy retries that failure and the request
    /// is safe to repeat (idempotent method, or an idempotency key) or the failure proves it
    /// was not processed (the connection was never made, 408, 429, a 503 with `Retry-After`);
    /// the wait is the server's `Retry-After` (when it asks for more than the policy's
    /// `max_retry_after`, the call ends with that answer instead) or a jittered exponential
    /// backoff, and no retry starts that the call's deadline would not leave time for. Every error of a call that
    /// reached the network says whether the operation may have been applied
    /// ([`Error::outcome`]), over all its attempts, and carries the idempotency key.
    pub async fn send(self) -> Result<Response<T>, Error<E>> {
        self.with_retries(Self::attempt).await
    }

    /// One attempt: send, read the whole body (both under the timeout), decode.
    async fn attempt(&self, p: &Prepared, timeout: Duration) -> Result<Response<T>, Error<E>> {
        let mut head = self.respond(p, timeout).await?;
        let read = read_limited(&mut head.response, p.body_limit).await;
        let Head {
            status,
            headers,
            request_id,
            ..
        } = head;
        let bytes = match read {
            Ok(bytes) => bytes,
            Err(ReadFailure::TooLarge) => {
                return Err(too_large(status, headers, request_id, p.body_limit));
            }
            // The server answered with a success: the operation was applied, only its body is
            // missing. Reported with the status and request id, as a body that can't be used.
            Err(ReadFailure::Broken { error, partial }) => {
                let error = reqwest_error::<E>(error, p.secret_url, timeout);
                let failure = crate::envelope::Failure {
                    path: ".".to_owned(),
                    message: format!("the body could not be read whole: {error}"),
                };
                return Err(Error::Decode(Box::new(decode_failure(
                    failure, status, headers, request_id, &partial,
                ))));
            }
        };
        match decode_success(self.envelope, status, &bytes) {
            Ok(data) => Ok(Response {
                status,
                headers,
                request_id,
                idempotency_key: p.key.clone(),
                data,
            }),
            Err(failure) => Err(Error::Decode(Box::new(decode_failure(
                failure, status, headers, request_id, &bytes,
            )))),
        }
    }
}

fn too_large<E>(
    status: StatusCode,
    headers: HeaderMap,
    request_id: Option<String>,
    limit: usize,
) -> Error<E> {
    Error::BodyTooLarge(Box::new(BodyTooLarge {
        status,
        headers,
        request_id,
        limit,
        report: None,
    }))
}

/// A failure of `reqwest` as the error a caller sees: a timeout or a transport error, without
/// the URL when a credential is in it (reqwest's errors print their URL).
fn reqwest_error<E>(e: reqwest::Error, secret_url: bool, timeout: Duration) -> Error<E> {
    let e = if secret_url { e.without_url() } else { e };
    if e.is_timeout() {
        Error::Timeout(TimeoutError::new(timeout, e))
    } else {
        Error::Transport(TransportError::new(e))
    }
}

/// A 2xx response whose body is still to be read.
pub(crate) struct Head {
    pub(crate) status: StatusCode,
    pub(crate) headers: HeaderMap,
    pub(crate) request_id: Option<String>,
    pub(crate) response: reqwest::Response,
    /// How a failure while reading the body is reported.
    pub(crate) transport: fn(reqwest::Error) -> TransportError,
}

/// What a successful attempt hands back, for the trace of the call.
pub(crate) trait Answered {
    fn status(&self) -> StatusCode;
    fn request_id(&self) -> Option<&str>;
}

impl<T> Answered for Response<T> {
    fn status(&self) -> StatusCode {
        self.status
    }
    fn request_id(&self) -> Option<&str> {
        self.request_id.as_deref()
    }
}

impl Answered for Download {
    fn status(&self) -> StatusCode {
        Download::status(self)
    }
    fn request_id(&self) -> Option<&str> {
        Download::request_id(self)
    }
}

/// After a failed attempt: wait and try again, or stop.
enum Decision {
    Retry { wait: Duration, reason: String },
    Stop(StopReason),
}

impl<T, E: ErrorBody> Call<T, E> {
    /// Prepares the call, then runs `once` until it succeeds, the failure is not retried, the
    /// retry budget is spent or the deadline leaves no time. The error returned carries the
    /// report of every attempt.
    pub(crate) async fn with_retries<R: Answered>(
        &self,
        once: impl AsyncFn(&Self, &Prepared, Duration) -> Result<R, Error<E>>,
    ) -> Result<R, Error<E>> {
        let prepared = self.prepare().map_err(Error::InvalidRequest)?;
        // Without a template, the path as sent: ids, but never a query and its credentials.
        let (operation, path) = match self.operation {
            Some((id, template)) => (Some(id), template),
            None => (None, prepared.url.path()),
        };
        let span = tracing::info_span!(
            "call",
            operation,
            method = %self.method(),
            path,
            idempotency_key = prepared.key.as_deref(),
        );
        self.retry_loop(&prepared, once).instrument(span).await
    }

    async fn retry_loop<R: Answered>(
        &self,
        prepared: &Prepared,
        once: impl AsyncFn(&Self, &Prepared, Duration) -> Result<R, Error<E>>,
    ) -> Result<R, Error<E>> {
        let (_, _, timeout, deadline) = self.settings();
        let started = Instant::now();
        let mut attempts: Vec<Attempt> = Vec::new();
        // The last error, kept for when the next attempt can't even be sent.
        let mut previous: Option<Error<E>> = None;
        loop {
            let number = u32::try_from(attempts.len()).unwrap_or(u32::MAX - 1) + 1;
            let attempt_started = Instant::now();
            let span = tracing::info_span!("attempt", attempt = number);
            let run = once(self, prepared, timeout).instrument(span.clone());
            let left = deadline.map(|d| d.saturating_sub(started.elapsed()));
            let (result, deadline_hit) = match left {
                Some(left) => match tokio::time::timeout(left, run).await {
                    Ok(result) => (result, false),
                    Err(_) => (Err(Error::Timeout(TimeoutError::deadline(left))), true),
                },
                None => (run.await, false),
            };
            let elapsed = attempt_started.elapsed();
            let error = match result {
                Ok(answer) => {
                    tracing::debug!(
                        parent: &span,
                        status = answer.status().as_u16(),
                        request_id = answer.request_id(),
                        elapsed_ms = millis(elapsed),
                        attempts = number,
                        total_ms = millis(started.elapsed()),
                        "call succeeded"
                    );
                    return Ok(answer);
                }
                // Nothing of this attempt was sent (the token provider failed): the call ends
                // with what the server said last, which is what the caller must act on.
                Err(Error::InvalidRequest(why)) => match previous.take() {
                    Some(last) => {
                        let stop = StopReason::CouldNotRetry(why);
                        tracing::info!(parent: &span, reason = %stop, "not retrying");
                        return Err(self.finish(last, prepared, attempts, stop, started));
                    }
                    None => return Err(Error::InvalidRequest(why)),
                },
                Err(error) => error,
            };
            let record = Attempt {
                number,
                outcome: attempt_outcome(&error, self.settings().0),
                status: error.status(),
                request_id: error.request_id().map(str::to_owned),
                elapsed,
                summary: summary(&error),
            };
            tracing::debug!(
                parent: &span,
                status = record.status.map(|s| s.as_u16()),
                request_id = record.request_id.as_deref(),
                elapsed_ms = millis(elapsed),
                outcome = %record.outcome,
                error = %record.summary,
                "attempt failed"
            );
            attempts.push(record);

            let decision = if deadline_hit {
                Decision::Stop(StopReason::DeadlinePassed {
                    deadline: deadline.unwrap_or_default(),
                })
            } else {
                self.decide(&error, prepared, attempts.len(), started, deadline)
            };
            match decision {
                Decision::Stop(stop) => {
                    tracing::info!(
                        parent: &span,
                        reason = %stop,
                        attempts = attempts.len(),
                        outcome = %attempts.iter().map(|a| a.outcome).max().unwrap_or(Outcome::NotApplied),
                        total_ms = millis(started.elapsed()),
                        "call failed"
                    );
                    return Err(self.finish(error, prepared, attempts, stop, started));
                }
                Decision::Retry { wait, reason } => {
                    tracing::info!(parent: &span, reason, wait_ms = millis(wait), "retrying");
                    tokio::time::sleep(wait).await;
                    previous = Some(error);
                }
            }
        }
    }

    /// Whether to retry after `error`, the failure of attempt number `made`.
    fn decide(
        &self,
        error: &Error<E>,
        prepared: &Prepared,
        made: usize,
        started: Instant,
        deadline: Option<Duration>,
    ) -> Decision {
        let (policy, max_retries, _, _) = self.settings();
        if !error.is_retryable_under(policy) {
            return Decision::Stop(StopReason::NotRetryable);
        }
        // Without a key, a request is sent again only when this failure proves it was not
        // processed (see `unprocessed`): the earlier attempts were retried on that ground too,
        // so none of them can have been applied either.
        if !prepared.replayable || !(prepared.safe_to_repeat || proves_unprocessed(error, policy)) {
            return Decision::Stop(StopReason::NotRepeatable);
        }
        let retries_made = u32::try_from(made.saturating_sub(1)).unwrap_or(u32::MAX);
        if retries_made >= max_retries {
            return Decision::Stop(StopReason::RetriesExhausted);
        }
        let wait = match policy.wait_before(retries_made, error.headers()) {
            Ok(wait) => wait,
            Err(retry_after) => {
                return Decision::Stop(StopReason::RetryAfterTooLong {
                    retry_after,
                    limit: policy.max_retry_after,
                });
            }
        };
        // A retry that could not start before the deadline would only fail later.
        if let Some(deadline) = deadline
            && started.elapsed().saturating_add(wait) >= deadline
        {
            return Decision::Stop(StopReason::DeadlinePassed { deadline });
        }
        Decision::Retry {
            wait,
            reason: retry_reason(error, policy),
        }
    }

    /// `error` with the report of the whole call.
    fn finish(
        &self,
        mut error: Error<E>,
        prepared: &Prepared,
        attempts: Vec<Attempt>,
        stop: StopReason,
        started: Instant,
    ) -> Error<E> {
        if let Some(slot) = error.report_slot() {
            *slot = Some(Box::new(CallReport {
                idempotency_key: prepared.key.clone(),
                attempts,
                stop,
                elapsed: started.elapsed(),
                read: is_read(self.method()),
            }));
        }
        error
    }

    /// Sends one attempt and reads the head of the answer: a 2xx of the declared type comes
    /// back unread; anything else is decoded into the error it is.
    pub(crate) async fn respond(&self, p: &Prepared, timeout: Duration) -> Result<Head, Error<E>> {
        let mut headers = p.headers.clone();
        if let Some(provider) = &p.token_provider {
            let token = provider
                .token()
                .await
                .map_err(|e| Error::InvalidRequest(format!("the token provider failed: {e}")))?;
            headers.insert(
                AUTHORIZATION,
                auth::bearer_header(&token).map_err(Error::InvalidRequest)?,
            );
        }
        // The request is made whole here, so the prepared headers move in as they are instead of
        // being copied one by one into another map.
        let mut request = reqwest::Request::new(self.method().clone(), p.url.clone());
        *request.headers_mut() = headers;
        let inner = &self.client().inner;
        if inner.http_timeout != Some(timeout) {
            *request.timeout_mut() = Some(timeout);
        }
        let mut request = reqwest::RequestBuilder::from_parts(inner.http.clone(), request);
        if let Some(body) = &p.body {
            request = body.attach(request).map_err(Error::InvalidRequest)?;
        }
        // A query API key is part of the URL, which reqwest's errors print.
        let transport: fn(reqwest::Error) -> TransportError = if p.secret_url {
            |e| TransportError::new(e.without_url())
        } else {
            TransportError::new
        };
        let timed_out = |e: reqwest::Error| reqwest_error(e, p.secret_url, timeout);
        let mut response = request.send().await.map_err(timed_out)?;
        let status = response.status();
        // Taken, not copied: the body is read without them (its length is the body's own).
        let headers = std::mem::take(response.headers_mut());
        let request_id = headers
            .get(REQUEST_ID_HEADER)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        if !(status.is_success() || (self.redirect_is_success && status.is_redirection())) {
            let bytes = match read_limited(&mut response, p.body_limit).await {
                Ok(bytes) => bytes,
                Err(ReadFailure::TooLarge) => {
                    return Err(too_large(status, headers, request_id, p.body_limit));
                }
                Err(ReadFailure::Broken { error, .. }) => return Err(timed_out(error)),
            };
            return Err(decode_error(
                self.error_envelope,
                status,
                headers,
                request_id,
                &bytes,
            ));
        }
        // A body the call ignores can't be in the wrong type.
        let checked = (!matches!(self.envelope, Envelope::Empty)).then_some(self.accept);
        if let Some(mismatch) = content_type_mismatch(checked.flatten(), &headers) {
            // Only the start is shown, so a failure to read the rest changes nothing.
            let bytes = match read_limited(&mut response, p.body_limit).await {
                Ok(bytes) => bytes,
                Err(ReadFailure::Broken { partial, .. }) => partial,
                Err(ReadFailure::TooLarge) => Default::default(),
            };
            return Err(Error::Decode(Box::new(decode_failure(
                mismatch, status, headers, request_id, &bytes,
            ))));
        }
        Ok(Head {
            status,
            headers,
            request_id,
            response,
            transport,
        })
    }
}

/// Whether the operation may have been applied, judging by one failed attempt alone.
fn attempt_outcome<E: ErrorBody>(error: &Error<E>, policy: &RetryPolicy) -> Outcome {
    // What is retried without a key must never be reported as possibly applied.
    if proves_unprocessed(error, policy) {
        return Outcome::NotApplied;
    }
    match error {
        // The server answered with a success; only its body was unusable.
        Error::Decode(_) => Outcome::Applied,
        // Nothing left the client: the connection was never made.
        Error::Transport(e) if e.is_connect() || e.inner().is_builder() => Outcome::NotApplied,
        Error::Timeout(e) if e.is_connect() => Outcome::NotApplied,
        // Sent, and the answer lost: the server may have processed it.
        Error::Transport(_) | Error::Timeout(_) => Outcome::MaybeApplied,
        Error::InvalidRequest(_) | Error::Pagination(_) => Outcome::NotApplied,
        Error::Api(_) | Error::UnexpectedStatus(_) | Error::BodyTooLarge(_) => {
            match error.status() {
                Some(status) if status.is_success() => Outcome::Applied,
                // A 5xx can come after the work was done (a gateway timing out on it, a crash
                // before answering): only a retry with the same key tells.
                Some(status) if status.is_server_error() => Outcome::MaybeApplied,
                // Another request with this key is being processed and may yet succeed.
                _ if error.code() == Some(IDEMPOTENCY_IN_PROGRESS) => Outcome::MaybeApplied,
                _ => Outcome::NotApplied,
            }
        }
    }
}

/// One line about a failed attempt, without any body text.
fn summary<E: ErrorBody>(error: &Error<E>) -> String {
    let with_kind = |status: StatusCode, kind: Vec<&str>| {
        if kind.is_empty() {
            status.to_string()
        } else {
            format!("{status}: {}", kind.join("/"))
        }
    };
    match error {
        Error::Api(e) => with_kind(
            e.status,
            [e.error_type(), e.code()].into_iter().flatten().collect(),
        ),
        Error::UnexpectedStatus(e) => with_kind(
            e.status,
            [e.error_type(), e.code()].into_iter().flatten().collect(),
        ),
        Error::Decode(e) => format!("{} with a body that could not be used", e.status),
        Error::Transport(e) => format!("transport error: {e}"),
        Error::Timeout(e) => e.to_string(),
        Error::BodyTooLarge(e) => e.to_string(),
        Error::InvalidRequest(_) | Error::Pagination(_) => error.to_string(),
    }
}

/// Why `policy` retries a failure, for the trace.
fn retry_reason<E: ErrorBody>(error: &Error<E>, policy: &RetryPolicy) -> String {
    match error {
        Error::Decode(_) => "a success whose body could not be used".to_owned(),
        Error::Transport(_) => "transport error".to_owned(),
        Error::Timeout(_) => "timeout".to_owned(),
        _ => match (error.status(), error.code()) {
            (Some(status), _) if policy.retries_status(status.as_u16()) => {
                format!("status {}", status.as_u16())
            }
            (_, Some(code)) => format!("code {code}"),
            (status, None) => format!("status {}", status.map_or(0, |s| s.as_u16())),
        },
    }
}

fn millis(d: Duration) -> u64 {
    u64::try_from(d.as_millis()).unwrap_or(u64::MAX)
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use reqwest::Method;
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    use tokio::net::TcpListener;

    use crate::config::tests::DEFAULTS;
    use crate::{Call, Client, Error, RetryPolicy};

    /// A server that answers every request with `{}`, each after `delay`.
    async fn slow_server(delay: Duration) -> String {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        tokio::spawn(async move {
            while let Ok((mut stream, _)) = listener.accept().await {
                tokio::spawn(async move {
                    let mut head = Vec::new();
                    let mut byte = [0u8; 1];
                    while !head.ends_with(b"\r\n\r\n")
                        && matches!(stream.read(&mut byte).await, Ok(1))
                    {
                        head.push(byte[0]);
                    }
                    tokio::time::sleep(delay).await;
                    let answer = "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n\
                                  content-length: 2\r\nconnection: close\r\n\r\n{}";
                    let _ = stream.write_all(answer.as_bytes()).await;
                });
            }
        });
        url
    }

    type C = Call<serde_json::Value, serde_json::Value>;

    // The client's own `reqwest` client carries its timeout, and a call sets one on its request
    // only when it differs: each must still win over the other, in both directions.
    #[tokio::test]
    async fn the_timeout_of_the_call_or_client_copy_wins_over_the_client_one() {
        let url = slow_server(Duration::from_millis(300)).await;
        let client = Client::builder(DEFAULTS)
            .api_key("ck_sandbox_secret")
            .base_url(&url)
            .timeout(Duration::from_millis(100))
            .retry_policy(RetryPolicy::none())
            .build()
            .unwrap();
        let call = || C::new(&client, Method::GET, &["payments"]);
        let err = call().send().await.unwrap_err();
        assert!(matches!(err, Error::Timeout(_)), "{err:?}");
        call()
            .timeout(Duration::from_secs(30))
            .send()
            .await
            .expect("a longer call timeout wins");
        let patient = client.with_timeout(Duration::from_secs(30));
        C::new(&patient, Method::GET, &["payments"])
            .send()
            .await
            .expect("a longer timeout on a copy of the client wins");
        let err = C::new(&patient, Method::GET, &["payments"])
            .timeout(Duration::from_millis(100))
            .send()
            .await
            .unwrap_err();
        assert!(matches!(err, Error::Timeout(_)), "{err:?}");
    }
}
