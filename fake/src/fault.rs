//! Injected faults: what they are, which requests they apply to, and the broken responses they
//! produce.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use axum::body::Body;
use axum::http::HeaderValue;
use axum::http::header::{CONTENT_LENGTH, CONTENT_TYPE};
use axum::response::Response;
use bytes::Bytes;
use http_body::Frame;
use serde_json::Value;

use crate::error::ApiError;
use crate::reply::{Reply, raw_response};

/// A fault to inject into one request.
///
/// Faults wait in a FIFO queue ([`FakeCommet::push_fault`](crate::FakeCommet::push_fault),
/// [`FakeCommet::push_fault_for`](crate::FakeCommet::push_fault_for)); each incoming request
/// consumes the first queued fault whose filter matches it, before anything else (even before
/// the API key is checked). A request that consumes no fault is handled normally.
#[derive(Debug, Clone, PartialEq)]
pub enum Fault {
    /// Answer with this status without processing the request.
    ///
    /// Without `body`, the body is a Commet error envelope fitting the status: 429 is
    /// `rate_limit_error`/`rate_limited`, 5xx is `internal_error`/`internal_error`, 400 and 422
    /// `validation_error`, 401 `authentication_error`/`unauthorized`, 402
    /// `billing_error`/`payment_failed`, 403 `authentication_error`/`forbidden`, 404
    /// `not_found_error`/`not_found`, 409 `conflict_error`/`conflict`, anything else
    /// `api_error`/`api_error`. With `body`, that text is sent as is (as `application/json`).
    /// `retry_after` is sent as the `Retry-After` header; a 429 also carries `RateLimit-Limit`,
    /// `RateLimit-Remaining: 0` and `RateLimit-Reset`. A status outside 200..=599 is sent as 500.
    Status {
        /// The HTTP status to answer with.
        status: u16,
        /// The `Retry-After` header value, if any (e.g. `"1"`).
        retry_after: Option<String>,
        /// A raw body replacing the default error envelope.
        body: Option<String>,
    },
    /// Sleep this long, then process the request normally. The processing runs in its own task:
    /// it happens after the delay even if the client gave up and closed the connection, as on a
    /// real server.
    Delay(Duration),
    /// Close the connection without processing the request and without answering.
    DropBeforeProcessing,
    /// Process the request fully (the charge is made, the idempotency record stored), then close
    /// the connection without answering.
    DropAfterProcessing,
    /// Process the request, then answer 200 with the response body cut in half: a complete HTTP
    /// message (correct `Content-Length`) whose JSON is truncated.
    TruncatedBody,
    /// Process the request, then answer 200 announcing the whole body's `Content-Length` but
    /// close the connection after sending half of it: the client can't read the body whole.
    CutBody,
    /// Process the request, then answer 200 with the response padded to at least `bytes` bytes
    /// (a `padding` string beside `data`). With `announce_length` the size is sent as
    /// `Content-Length`; without, the body is streamed in chunks of 16 KiB, so a client only
    /// learns its size by reading it. The idempotency record keeps the unpadded response.
    OversizedBody {
        /// The least number of bytes the body has.
        bytes: usize,
        /// Whether `Content-Length` is sent.
        announce_length: bool,
    },
    /// Without processing the request, answer 200 with an `application/json` content type and a
    /// body that is not JSON (an HTML gateway page).
    MalformedBody,
    /// Process the request, then deep-merge this JSON object into the response's `data` (into
    /// each item when `data` is a list); used to send unknown enum values or unknown fields, e.g.
    /// `{"provider": "dlocal", "newField": 1}`. Responses without `data` (errors) are unchanged.
    /// The idempotency record keeps the unpatched response.
    PatchResponse(Value),
    /// Answer 409 `conflict_error`/`idempotency_in_progress` without processing the request.
    IdempotencyInProgress,
}

/// Which requests a queued fault applies to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct FaultFilter {
    method: Option<String>,
    path: Option<Vec<String>>,
}

impl FaultFilter {
    /// Matches every request.
    pub(crate) fn any() -> Self {
        FaultFilter {
            method: None,
            path: None,
        }
    }

    /// Matches `method` (`"*"` for any) on `path` relative to the base URL (e.g.
    /// `/payments/charge`; `"*"` for any path; a `*` segment matches any one segment).
    pub(crate) fn new(method: &str, path: &str) -> Self {
        let method = (method != "*").then(|| method.to_ascii_uppercase());
        let path = (path != "*").then(|| segments(path).map(str::to_string).collect());
        FaultFilter { method, path }
    }

    /// Whether a request with this method and full path (including `/api/v1`) matches.
    pub(crate) fn matches(&self, method: &str, full_path: &str) -> bool {
        if let Some(m) = &self.method
            && !m.eq_ignore_ascii_case(method)
        {
            return false;
        }
        match &self.path {
            None => true,
            Some(pattern) => {
                let Some(rel) = full_path.strip_prefix(crate::routes::API_PREFIX) else {
                    return false;
                };
                let actual: Vec<&str> = segments(rel).collect();
                actual.len() == pattern.len()
                    && pattern.iter().zip(&actual).all(|(p, a)| p == "*" || p == a)
            }
        }
    }
}

fn segments(path: &str) -> impl Iterator<Item = &str> {
    path.split('/').filter(|s| !s.is_empty())
}

/// The response of a [`Fault::Status`].
pub(crate) fn status_response(
    status: u16,
    retry_after: Option<&str>,
    body: Option<&str>,
) -> Response {
    let bytes = match body {
        Some(text) => text.as_bytes().to_vec(),
        None => serde_json::to_vec(&ApiError::for_status(status).body()).unwrap_or_default(),
    };
    let mut response = raw_response(status, "application/json", bytes);
    let headers = response.headers_mut();
    if let Some(value) = retry_after.and_then(|v| HeaderValue::try_from(v).ok()) {
        headers.insert("retry-after", value);
    }
    if status == 429 {
        let reset = retry_after.unwrap_or("1");
        headers.insert("ratelimit-limit", HeaderValue::from_static("100"));
        headers.insert("ratelimit-remaining", HeaderValue::from_static("0"));
        if let Ok(value) = HeaderValue::try_from(reset) {
            headers.insert("ratelimit-reset", value);
        }
    }
    response
}

/// The response of [`Fault::IdempotencyInProgress`].
pub(crate) fn in_progress_response() -> Response {
    Reply::from(ApiError::idempotency_in_progress()).into_response()
}

/// The response of [`Fault::MalformedBody`].
pub(crate) fn malformed_response() -> Response {
    let body =
        b"<html><head><title>502 Bad Gateway</title></head><body>upstream error</body></html>";
    raw_response(200, "application/json", body.to_vec())
}

/// The response of [`Fault::TruncatedBody`]: status 200, the first half of the JSON body.
pub(crate) fn truncated_response(reply: &Reply) -> Response {
    let mut bytes = serde_json::to_vec(&reply.body).unwrap_or_default();
    bytes.truncate(bytes.len() / 2);
    raw_response(200, "application/json", bytes)
}

/// The response of [`Fault::CutBody`]: status 200 and the whole body's `Content-Length`, then
/// half of the body and a failure that makes hyper close the connection.
pub(crate) fn cut_response(reply: &Reply) -> Response {
    let bytes = serde_json::to_vec(&reply.body).unwrap_or_default();
    let length = bytes.len();
    let half = Bytes::from(bytes).slice(..length / 2);
    let mut response = Response::new(Body::new(Chunks::failing_after(vec![half])));
    let headers = response.headers_mut();
    headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
    headers.insert(CONTENT_LENGTH, HeaderValue::from(length));
    response
}

/// The size of the chunks of a streamed [`Fault::OversizedBody`].
const CHUNK: usize = 16 << 10;

/// The response of [`Fault::OversizedBody`]: the reply with a `padding` string that brings the
/// body to at least `bytes` bytes.
pub(crate) fn oversized_response(reply: &Reply, bytes: usize, announce_length: bool) -> Response {
    let mut body = reply.body.clone();
    let plain = serde_json::to_vec(&body).map_or(0, |b| b.len());
    if let Value::Object(map) = &mut body {
        map.insert(
            "padding".to_owned(),
            Value::String(" ".repeat(bytes.saturating_sub(plain))),
        );
    }
    let bytes = Bytes::from(serde_json::to_vec(&body).unwrap_or_default());
    if announce_length {
        return raw_response(200, "application/json", bytes.to_vec());
    }
    let chunks = (0..bytes.len())
        .step_by(CHUNK)
        .map(|start| bytes.slice(start..bytes.len().min(start + CHUNK)))
        .collect();
    let mut response = Response::new(Body::new(Chunks::whole(chunks)));
    response
        .headers_mut()
        .insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
    response
}

/// How long a cut body waits after its last chunk before failing: hyper writes out what it
/// buffered (status line, headers, the chunks) while the body is pending, so the client gets
/// the head and part of the body before the connection closes.
const CUT_AFTER: Duration = Duration::from_millis(50);

/// A body sent as separate chunks with no known size (so hyper uses chunked encoding, or the
/// `Content-Length` set by hand), optionally failing a moment after the last one.
struct Chunks {
    chunks: std::collections::VecDeque<Bytes>,
    /// Set for a body that fails after its chunks.
    fail_after: Option<Pin<Box<tokio::time::Sleep>>>,
}

impl Chunks {
    fn whole(chunks: Vec<Bytes>) -> Self {
        Chunks {
            chunks: chunks.into(),
            fail_after: None,
        }
    }

    fn failing_after(chunks: Vec<Bytes>) -> Self {
        Chunks {
            chunks: chunks.into(),
            fail_after: Some(Box::pin(tokio::time::sleep(CUT_AFTER))),
        }
    }
}

impl http_body::Body for Chunks {
    type Data = Bytes;
    type Error = std::io::Error;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, std::io::Error>>> {
        if let Some(chunk) = self.chunks.pop_front() {
            return Poll::Ready(Some(Ok(Frame::data(chunk))));
        }
        let Some(pause) = self.fail_after.as_mut() else {
            return Poll::Ready(None);
        };
        match pause.as_mut().poll(cx) {
            Poll::Pending => Poll::Pending,
            Poll::Ready(()) => Poll::Ready(Some(Err(std::io::Error::other(
                "commet-fake: body cut by an injected fault",
            )))),
        }
    }
}

/// Applies [`Fault::PatchResponse`] to a reply.
pub(crate) fn patch_reply(reply: &mut Reply, patch: &Value) {
    match reply.body.get_mut("data") {
        Some(Value::Array(items)) => items.iter_mut().for_each(|item| merge(item, patch)),
        Some(data) => merge(data, patch),
        None => {}
    }
}

/// Deep-merges `patch` into `target`: objects merge key by key, anything else replaces.
fn merge(target: &mut Value, patch: &Value) {
    match (target, patch) {
        (Value::Object(target), Value::Object(patch)) => {
            for (key, value) in patch {
                match target.get_mut(key) {
                    Some(existing) if existing.is_object() && value.is_object() => {
                        merge(existing, value)
                    }
                    _ => {
                        target.insert(key.clone(), value.clone());
                    }
                }
            }
        }
        (target, patch) => *target = patch.clone(),
    }
}

/// A response that makes hyper abort the connection: its body fails on the first poll, before
/// the status line and headers (still buffered) are flushed, so the client sees the connection
/// close without any response.
pub(crate) fn abort_response() -> Response {
    Response::new(Body::new(AbortBody))
}

/// A body whose first frame is an error.
struct AbortBody;

impl http_body::Body for AbortBody {
    type Data = Bytes;
    type Error = std::io::Error;

    fn poll_frame(
        self: Pin<&mut Self>,
        _cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, std::io::Error>>> {
        Poll::Ready(Some(Err(std::io::Error::other(
            "commet-fake: connection dropped by an injected fault",
        ))))
    }
}

/// The response to a request that `fault` applies to, around the normal processing `run`.
/// `failed` answers when the processing task itself failed. Shared by the fake and the
/// stand-in, so a fault means the same on both.
pub(crate) async fn apply(
    fault: Option<Fault>,
    run: impl FnOnce() -> Reply + Send + 'static,
    failed: Reply,
) -> Response {
    match fault {
        None => run().into_response(),
        Some(Fault::Status {
            status,
            retry_after,
            body,
        }) => status_response(status, retry_after.as_deref(), body.as_deref()),
        Some(Fault::Delay(delay)) => {
            // A task of its own, so the request is processed even if the client hangs up.
            let task = tokio::spawn(async move {
                tokio::time::sleep(delay).await;
                run()
            });
            match task.await {
                Ok(reply) => reply.into_response(),
                Err(_) => failed.into_response(),
            }
        }
        Some(Fault::DropBeforeProcessing) => abort_response(),
        Some(Fault::DropAfterProcessing) => {
            let _committed = run();
            abort_response()
        }
        Some(Fault::TruncatedBody) => truncated_response(&run()),
        Some(Fault::CutBody) => cut_response(&run()),
        Some(Fault::OversizedBody {
            bytes,
            announce_length,
        }) => oversized_response(&run(), bytes, announce_length),
        Some(Fault::MalformedBody) => malformed_response(),
        Some(Fault::PatchResponse(patch)) => {
            let mut reply = run();
            patch_reply(&mut reply, &patch);
            reply.into_response()
        }
        Some(Fault::IdempotencyInProgress) => in_progress_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn filters_match_method_and_segments() {
        let any = FaultFilter::any();
        assert!(any.matches("GET", "/anything"));
        let charge = FaultFilter::new("post", "/payments/charge");
        assert!(charge.matches("POST", "/api/v1/payments/charge"));
        assert!(!charge.matches("GET", "/api/v1/payments/charge"));
        assert!(!charge.matches("POST", "/api/v1/payments"));
        let cancel = FaultFilter::new("*", "/payments/*/cancel");
        assert!(cancel.matches("POST", "/api/v1/payments/pay_1/cancel"));
        assert!(!cancel.matches("POST", "/api/v1/payments/pay_1"));
        assert!(!cancel.matches("POST", "/other/payments/pay_1/cancel"));
    }

    #[test]
    fn patch_merges_into_data_and_items() {
        let mut single = Reply::data(200, json!({"a": 1, "n": {"x": 1}}));
        patch_reply(&mut single, &json!({"a": 2, "b": 3, "n": {"y": 2}}));
        assert_eq!(
            single.body["data"],
            json!({"a": 2, "b": 3, "n": {"x": 1, "y": 2}})
        );
        let mut list = Reply::data(200, json!([{"a": 1}, {"a": 2}]));
        patch_reply(&mut list, &json!({"b": true}));
        assert_eq!(
            list.body["data"],
            json!([{"a": 1, "b": true}, {"a": 2, "b": true}])
        );
        let mut error = Reply::from(ApiError::unauthorized());
        let before = error.clone();
        patch_reply(&mut error, &json!({"b": true}));
        assert_eq!(error, before);
    }
}
