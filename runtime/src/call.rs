//! One API call: the request description, and the send loop with retries.

use std::borrow::Cow;
use std::fmt;
use std::future::{Future, IntoFuture};
use std::marker::PhantomData;
use std::pin::Pin;
use std::time::Duration;

use reqwest::header::{ACCEPT, AUTHORIZATION, COOKIE, HeaderMap, HeaderName, USER_AGENT};
use reqwest::{Method, Url};
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::auth::{self, Requirement, TokenProvider};
use crate::body::{FormField, Multipart, RequestBody, Upload, form_bytes};
use crate::config::{Client, header_value};
use crate::envelope::{
    Envelope, ErrorEnvelope, Response, decode_error, decode_failure, decode_success,
};
use crate::error::{Error, ErrorBody, TimeoutError, TransportError};
use crate::idempotency::{may_retry, resolve_key};
use crate::media::content_type_mismatch;
use crate::param::{self, Style, Text};
use crate::path::build_url;
use crate::retry::RetryPolicy;

/// The response header that identifies a request for support.
pub const REQUEST_ID_HEADER: &str = "x-request-id";

/// A request to one operation, built by generated code and sent with [`Call::send`] or `.await`.
///
/// `T` is the success type and `E` the error body type. Problems found while building
/// (bad path segment, body serialization failure, CR/LF in a header) are reported by `send`
/// as [`Error::InvalidRequest`], before anything goes on the wire.
pub struct Call<T, E> {
    client: Client,
    method: Method,
    url: Result<Url, String>,
    query: Vec<(Cow<'static, str>, Text)>,
    headers: Vec<(&'static str, String)>,
    cookies: Vec<(&'static str, String)>,
    body: Option<Result<RequestBody, String>>,
    /// A parameter that could not be written; reported by `send`.
    problem: Option<String>,
    /// The operation's own security requirement; `None` uses the client's.
    security: Option<&'static [Requirement]>,
    /// The media type the spec declares for a success, sent as `Accept`.
    accept: Option<&'static str>,
    idempotent: bool,
    idempotency_key: Option<String>,
    envelope: Envelope,
    error_envelope: ErrorEnvelope,
    timeout: Option<Duration>,
    max_retries: Option<u32>,
    retry_policy: Option<RetryPolicy>,
    // `fn() -> _` keeps `Call` Send + Sync whatever `T` and `E` are: it never holds them.
    _types: PhantomData<fn() -> (T, E)>,
}

impl<T, E> Clone for Call<T, E> {
    fn clone(&self) -> Self {
        Self {
            client: self.client.clone(),
            method: self.method.clone(),
            url: self.url.clone(),
            query: self.query.clone(),
            headers: self.headers.clone(),
            cookies: self.cookies.clone(),
            body: self.body.clone(),
            problem: self.problem.clone(),
            security: self.security,
            accept: self.accept,
            idempotent: self.idempotent,
            idempotency_key: self.idempotency_key.clone(),
            envelope: self.envelope,
            error_envelope: self.error_envelope,
            timeout: self.timeout,
            max_retries: self.max_retries,
            retry_policy: self.retry_policy.clone(),
            _types: PhantomData,
        }
    }
}

impl<T, E> fmt::Debug for Call<T, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Header values are left out: they are the caller's and may be sensitive.
        let header_names: Vec<&str> = self.headers.iter().map(|(n, _)| *n).collect();
        let cookie_names: Vec<&str> = self.cookies.iter().map(|(n, _)| *n).collect();
        f.debug_struct("Call")
            .field("method", &self.method)
            .field("url", &self.url.as_ref().map(Url::as_str))
            .field(
                "query",
                &self
                    .query
                    .iter()
                    .map(|(name, text)| (name, text.joined()))
                    .collect::<Vec<_>>(),
            )
            .field("headers", &header_names)
            .field("cookies", &cookie_names)
            .field("has_body", &self.body.is_some())
            .field("idempotent", &self.idempotent)
            .field("envelope", &self.envelope)
            .field("error_envelope", &self.error_envelope)
            .field("timeout", &self.timeout)
            .field("max_retries", &self.max_retries)
            .finish_non_exhaustive()
    }
}

/// Everything needed to send an attempt, validated once per logical call.
pub(crate) struct Prepared {
    url: Url,
    headers: HeaderMap,
    body: Option<RequestBody>,
    may_retry: bool,
    /// Asked for the bearer token before each attempt.
    token_provider: Option<std::sync::Arc<dyn TokenProvider>>,
    /// A credential travels in the URL: errors must not show it.
    secret_url: bool,
}

impl<T, E> Call<T, E> {
    /// A call to `method` on the path made of `segments` after the base URL.
    ///
    /// Each segment is percent-encoded as one segment, so `"../x"` or `"a/b"` can never
    /// change the path; empty, `.` and `..` segments are rejected at send.
    pub fn new(client: &Client, method: Method, segments: &[&str]) -> Self {
        Self {
            client: client.clone(),
            method,
            url: build_url(&client.inner.base_url, segments),
            query: Vec::new(),
            headers: Vec::new(),
            cookies: Vec::new(),
            body: None,
            problem: None,
            security: None,
            accept: None,
            idempotent: false,
            idempotency_key: None,
            envelope: Envelope::Bare,
            error_envelope: ErrorEnvelope::Bare,
            timeout: None,
            max_retries: None,
            retry_policy: None,
            _types: PhantomData,
        }
    }

    /// Adds a query parameter; calling it again with the same name repeats the key.
    pub fn query(mut self, name: &'static str, value: impl Into<String>) -> Self {
        self.query
            .push((Cow::Borrowed(name), Text::one(value.into())));
        self
    }

    /// Adds a query parameter of any type, written in `style` (arrays and objects; a scalar
    /// is the same in every style). A value that can't be serialized makes `send` fail with
    /// [`Error::InvalidRequest`].
    pub fn query_styled<V: Serialize + ?Sized>(
        mut self,
        name: &'static str,
        value: &V,
        style: Style,
    ) -> Self {
        match param::to_value(name, value) {
            Ok(v) => self
                .query
                .extend(param::pairs(Cow::Borrowed(name), &v, style)),
            Err(e) => {
                self.problem.get_or_insert(e);
            }
        }
        self
    }

    /// Adds a cookie; its value is percent-encoded where a cookie can't hold it.
    pub fn cookie(mut self, name: &'static str, value: impl Into<String>) -> Self {
        self.cookies.push((name, value.into()));
        self
    }

    /// The operation's own security requirement: alternatives, each a set of scheme names
    /// that are all sent; `&[]` for an operation without authentication.
    pub fn security(mut self, requirement: &'static [Requirement]) -> Self {
        self.security = Some(requirement);
        self
    }

    /// The media type of the success body (sent as `Accept`); a success in another type is
    /// a [`Error::Decode`] that names both.
    pub fn accept(mut self, media_type: &'static str) -> Self {
        self.accept = Some(media_type);
        self
    }

    /// Replaces every value of query parameter `name` with `value` (used for cursors).
    pub(crate) fn set_query(&mut self, name: &'static str, value: String) {
        self.query.retain(|(n, _)| n != name);
        self.query.push((Cow::Borrowed(name), Text::one(value)));
    }

    /// The first value of query parameter `name`, if set.
    pub(crate) fn query_value(&self, name: &str) -> Option<&str> {
        self.query
            .iter()
            .find(|(n, _)| n == name)
            .and_then(|(_, v)| v.single())
    }

    /// Sets a request header (a later value for the same name replaces an earlier one, and
    /// overrides the client's version header). A value with CR or LF makes `send` fail with
    /// [`Error::InvalidRequest`] without sending anything. Setting the idempotency header
    /// here counts as a user-supplied key.
    pub fn header(mut self, name: &'static str, value: impl Into<String>) -> Self {
        self.headers.push((name, value.into()));
        self
    }

    /// Sends `body` as JSON. A serialization failure makes `send` fail with
    /// [`Error::InvalidRequest`].
    pub fn json<B: Serialize + ?Sized>(self, body: &B) -> Self {
        self.json_as(body, "application/json")
    }

    /// Sends `body` as JSON under another JSON media type (`application/merge-patch+json`,
    /// `application/json; charset=utf-8`, a vendor `+json` type): servers may read the type as
    /// part of the request's meaning, so the spec's type is the one sent.
    pub fn json_as<B: Serialize + ?Sized>(mut self, body: &B, media_type: &'static str) -> Self {
        self.body = Some(
            serde_json::to_vec(body)
                .map(|bytes| RequestBody::Bytes {
                    bytes: bytes.into(),
                    content_type: media_type.to_owned(),
                })
                .map_err(|e| format!("could not serialize the body: {e}")),
        );
        self
    }

    /// Sends `body` as `application/x-www-form-urlencoded`, each property written as
    /// `fields` says (the spec's `encoding`), nested objects in brackets otherwise.
    pub fn form<B: Serialize + ?Sized>(mut self, body: &B, fields: &[FormField]) -> Self {
        self.body = Some(form_bytes(body, fields).map(|bytes| RequestBody::Bytes {
            bytes: bytes.into(),
            content_type: "application/x-www-form-urlencoded".to_owned(),
        }));
        self
    }

    /// Sends `body` as text of the given media type.
    pub fn text(mut self, body: impl Into<String>, media_type: &'static str) -> Self {
        self.body = Some(Ok(RequestBody::Bytes {
            bytes: body.into().into(),
            content_type: media_type.to_owned(),
        }));
        self
    }

    /// Sends bytes or a stream. `media_type` is the spec's; the upload's own content type
    /// wins, and a wildcard (`image/*`) without one is sent as `application/octet-stream`.
    pub fn upload(mut self, body: Upload, media_type: &'static str) -> Self {
        let content_type = crate::body::upload_content_type(body.content_type, media_type);
        self.body = Some(Ok(match body.content {
            crate::body::Content::Bytes(bytes) => RequestBody::Bytes {
                bytes,
                content_type,
            },
            crate::body::Content::Stream(stream) => RequestBody::Stream {
                stream: std::sync::Arc::new(std::sync::Mutex::new(Some(stream))),
                content_type,
            },
        }));
        self
    }

    /// Sends a `multipart/form-data` body.
    pub fn multipart(mut self, form: Multipart) -> Self {
        self.body = Some(Ok(RequestBody::Multipart(form)));
        self
    }

    /// Marks the operation as accepting an idempotency key: each logical call gets a new
    /// UUID v4 (unless the user gave one), reused on every retry. Never sent on `GET`.
    pub fn idempotent(mut self) -> Self {
        self.idempotent = true;
        self
    }

    /// How to find `T` in a 2xx body.
    pub fn envelope(mut self, e: Envelope) -> Self {
        self.envelope = e;
        self
    }

    /// How to find `E` in an error body.
    pub fn error_envelope(mut self, e: ErrorEnvelope) -> Self {
        self.error_envelope = e;
        self
    }

    /// Uses this idempotency key instead of a generated one (e.g. one stored to survive
    /// a process restart). It also makes a `POST` safe to retry.
    pub fn idempotency_key(mut self, key: impl Into<String>) -> Self {
        self.idempotency_key = Some(key.into());
        self
    }

    /// Per-attempt timeout for this call, instead of the client's.
    pub fn timeout(mut self, d: Duration) -> Self {
        self.timeout = Some(d);
        self
    }

    /// Maximum retries for this call, instead of the retry policy's.
    pub fn max_retries(mut self, n: u32) -> Self {
        self.max_retries = Some(n);
        self
    }

    /// The retry policy for this call, instead of the client's (e.g. tiny backoffs in tests).
    pub fn retry_policy(mut self, p: RetryPolicy) -> Self {
        self.retry_policy = Some(p);
        self
    }

    /// Validates the call and builds what every attempt sends.
    fn prepare(&self) -> Result<Prepared, String> {
        if let Some(problem) = &self.problem {
            return Err(problem.clone());
        }
        let inner = &self.client.inner;
        let defaults = &inner.defaults;
        let requirement = self.security.unwrap_or(defaults.security);
        let credentials = auth::apply(defaults.schemes, requirement, &inner.credentials)?;
        let mut url = self.url.clone()?;
        if !self.query.is_empty() || credentials.in_url() {
            // Written by hand rather than as form pairs: a style's delimiters must stay
            // literal, and a space is `%20` to every kind of server.
            let own = self.query.iter().map(|(name, text)| {
                format!("{}={}", param::query_escape(name), text.query_encoded())
            });
            let keys = credentials.query.iter().map(|(name, value)| {
                format!(
                    "{}={}",
                    param::query_escape(name),
                    param::query_escape(value)
                )
            });
            let query: Vec<String> = own.chain(keys).collect();
            url.set_query(Some(&query.join("&")));
        }
        let body = match &self.body {
            Some(Ok(body)) => Some(body.clone()),
            Some(Err(message)) => return Err(message.clone()),
            None => None,
        };

        let mut headers = HeaderMap::new();
        let accept = self.accept.unwrap_or("application/json");
        headers.insert(ACCEPT, header_value("accept", accept)?);
        headers.insert(USER_AGENT, header_value("user-agent", &inner.user_agent)?);
        if let Some(version) = &inner.api_version {
            headers.insert(
                header_name(defaults.version_header)?,
                header_value(defaults.version_header, version)?,
            );
        }

        let mut user_key = self.idempotency_key.clone();
        for (name, value) in &self.headers {
            if name.eq_ignore_ascii_case(defaults.idempotency_header) {
                // An explicit `.idempotency_key(..)` wins over a header parameter.
                user_key.get_or_insert_with(|| value.clone());
                continue;
            }
            headers.insert(header_name(name)?, header_value(name, value)?);
        }
        // Credentials last: a header parameter can't replace them.
        for (name, value) in &credentials.headers {
            headers.insert(name.clone(), value.clone());
        }
        let cookies: Vec<String> = self
            .cookies
            .iter()
            .chain(&credentials.cookies)
            .map(|(name, value)| format!("{name}={}", param::cookie_value(value)))
            .collect();
        if !cookies.is_empty() {
            let mut value = header_value("cookie", &cookies.join("; "))?;
            value.set_sensitive(!credentials.cookies.is_empty());
            headers.insert(COOKIE, value);
        }

        let key = resolve_key(&self.method, self.idempotent, user_key);
        if let Some(key) = &key {
            headers.insert(
                header_name(defaults.idempotency_header)?,
                header_value(defaults.idempotency_header, key)?,
            );
        }
        let repeatable = body.as_ref().is_none_or(RequestBody::repeatable);
        Ok(Prepared {
            url,
            headers,
            body,
            may_retry: repeatable && may_retry(&self.method, key.is_some()),
            secret_url: credentials.in_url(),
            token_provider: credentials.provider,
        })
    }
}

fn header_name(name: &str) -> Result<HeaderName, String> {
    HeaderName::from_bytes(name.as_bytes()).map_err(|_| format!("invalid header name `{name}`"))
}

impl<T: DeserializeOwned, E: ErrorBody> Call<T, E> {
    /// Sends the call, retrying per the retry policy, and returns the decoded data with the
    /// status, headers and request id.
    ///
    /// A failed attempt is retried only when the request is safe to repeat (idempotent
    /// method, or an idempotency key) and the policy retries that failure; the wait is the
    /// server's `Retry-After` (capped) or a jittered exponential backoff.
    pub async fn send(self) -> Result<Response<T>, Error<E>> {
        self.with_retries(Self::attempt).await
    }

    /// One attempt: send, read the whole body (both under the timeout), decode.
    async fn attempt(&self, p: &Prepared, timeout: Duration) -> Result<Response<T>, Error<E>> {
        let head = self.respond(p, timeout).await?;
        let bytes = head
            .response
            .bytes()
            .await
            .map_err(|e| reqwest_error(e, p.secret_url, timeout))?;
        let Head {
            status,
            headers,
            request_id,
            ..
        } = head;
        match decode_success(self.envelope, status, &bytes) {
            Ok(data) => Ok(Response {
                status,
                headers,
                request_id,
                data,
            }),
            Err(failure) => Err(Error::Decode(Box::new(decode_failure(
                failure, status, headers, request_id, &bytes,
            )))),
        }
    }
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
    pub(crate) status: reqwest::StatusCode,
    pub(crate) headers: HeaderMap,
    pub(crate) request_id: Option<String>,
    pub(crate) response: reqwest::Response,
    /// How a failure while reading the body is reported.
    pub(crate) transport: fn(reqwest::Error) -> TransportError,
}

impl<T, E: ErrorBody> Call<T, E> {
    /// Prepares the call, then runs `once` until it succeeds, the failure is not retried,
    /// or the retry budget is spent.
    pub(crate) async fn with_retries<R>(
        &self,
        once: impl AsyncFn(&Self, &Prepared, Duration) -> Result<R, Error<E>>,
    ) -> Result<R, Error<E>> {
        let prepared = self.prepare().map_err(Error::InvalidRequest)?;
        let inner = &self.client.inner;
        let policy = self.retry_policy.as_ref().unwrap_or(&inner.retry_policy);
        let max_retries = self.max_retries.unwrap_or(policy.max_retries);
        let timeout = self.timeout.unwrap_or(inner.timeout);
        let mut retry = 0;
        loop {
            let error = match once(self, &prepared, timeout).await {
                Ok(response) => return Ok(response),
                Err(error) => error,
            };
            if retry >= max_retries || !prepared.may_retry || !error.is_retryable_under(policy) {
                return Err(error);
            }
            tokio::time::sleep(policy.delay(retry, error.headers())).await;
            retry += 1;
        }
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
        let mut request = self
            .client
            .inner
            .http
            .request(self.method.clone(), p.url.clone())
            .headers(headers)
            .timeout(timeout);
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
        let response = request.send().await.map_err(timed_out)?;
        let status = response.status();
        let headers = response.headers().clone();
        let request_id = headers
            .get(REQUEST_ID_HEADER)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        if !status.is_success() {
            let bytes = response.bytes().await.map_err(timed_out)?;
            return Err(decode_error(
                self.error_envelope,
                status,
                headers,
                request_id,
                &bytes,
            ));
        }
        if let Some(mismatch) = content_type_mismatch(self.accept, &headers) {
            let bytes = response.bytes().await.unwrap_or_default();
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

/// Plain `.await` on a call gives just the data.
impl<T, E> IntoFuture for Call<T, E>
where
    T: DeserializeOwned + Send + 'static,
    E: ErrorBody,
{
    type Output = Result<T, Error<E>>;
    type IntoFuture = Pin<Box<dyn Future<Output = Self::Output> + Send>>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(async move { self.send().await.map(Response::into_data) })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::tests::DEFAULTS;

    fn client() -> Client {
        Client::builder(DEFAULTS)
            .api_key("ck_sandbox_secret")
            .build()
            .unwrap()
    }

    type C = Call<serde_json::Value, serde_json::Value>;

    fn invalid(call: C) -> String {
        // Every case fails before any I/O, so a current-thread runtime is plenty.
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        match rt.block_on(call.send()) {
            Err(Error::InvalidRequest(m)) => m,
            other => panic!("expected InvalidRequest, got {other:?}"),
        }
    }

    #[test]
    fn cr_lf_in_headers_is_rejected_before_sending() {
        let c = client();
        let m = invalid(C::new(&c, Method::GET, &["payments"]).header("x-trace", "a\r\nx-evil: 1"));
        assert!(m.contains("x-trace") && !m.contains("evil"), "{m}");
        let m = invalid(C::new(&c, Method::POST, &["payments"]).idempotency_key("k\n1"));
        assert!(m.contains("Idempotency-Key"), "{m}");
        let m = invalid(C::new(&c, Method::POST, &["payments"]).header("Idempotency-Key", "k\r"));
        assert!(m.contains("CR or LF"), "{m}");
        let m = invalid(C::new(&c, Method::GET, &["payments"]).header("Commet-Version", "x\ny"));
        assert!(m.contains("Commet-Version"), "{m}");
        invalid(C::new(&c, Method::GET, &["payments"]).header("bad name", "v"));
    }

    #[test]
    fn bad_segments_and_bodies_are_rejected_before_sending() {
        let c = client();
        let m = invalid(C::new(&c, Method::GET, &["payments", ".."]));
        assert!(m.contains(".."), "{m}");
        invalid(C::new(&c, Method::GET, &["payments", ""]));
        let mut map = std::collections::HashMap::new();
        map.insert((1, 2), "tuple keys cannot be JSON object keys");
        let m = invalid(C::new(&c, Method::POST, &["payments"]).json(&map));
        assert!(m.contains("serialize"), "{m}");
    }

    #[test]
    fn prepared_headers() {
        let c = client();
        let p = C::new(&c, Method::POST, &["payments", "pay 1", "cancel"])
            .query("a", "x y")
            .query("a", "2")
            .idempotent()
            .json(&serde_json::json!({"amount": 1}))
            .prepare()
            .unwrap();
        assert_eq!(
            p.url.as_str(),
            "https://commet.test/api/v1/payments/pay%201/cancel?a=x%20y&a=2"
        );
        assert_eq!(p.headers["x-api-key"], "ck_sandbox_secret");
        assert_eq!(p.headers["commet-version"], "2026-06-10");
        assert!(matches!(
            &p.body,
            Some(RequestBody::Bytes { content_type, .. }) if content_type == "application/json"
        ));
        assert_eq!(p.headers["user-agent"], DEFAULTS.user_agent);
        let key = p.headers["idempotency-key"].to_str().unwrap();
        assert_eq!(uuid::Uuid::parse_str(key).unwrap().get_version_num(), 4);
        assert!(p.may_retry);

        let p = C::new(&c, Method::POST, &["payments"]).prepare().unwrap();
        assert!(p.headers.get("idempotency-key").is_none() && !p.may_retry);

        let p = C::new(&c, Method::GET, &["payments"])
            .idempotent()
            .idempotency_key("k")
            .prepare()
            .unwrap();
        assert!(p.headers.get("idempotency-key").is_none() && p.may_retry);

        let p = C::new(&c, Method::POST, &["payments"])
            .idempotent()
            .header("Idempotency-Key", "from-header")
            .header("Commet-Version", "2026-07-24")
            .prepare()
            .unwrap();
        assert_eq!(p.headers["idempotency-key"], "from-header");
        assert_eq!(p.headers["commet-version"], "2026-07-24");
        let p = C::new(&c, Method::POST, &["payments"])
            .header("Idempotency-Key", "from-header")
            .idempotency_key("explicit")
            .prepare()
            .unwrap();
        assert_eq!(p.headers["idempotency-key"], "explicit");
    }

    #[test]
    fn call_debug_hides_header_values() {
        let c = client();
        let call = C::new(&c, Method::GET, &["payments"]).header("x-secretish", "hidden-value");
        let shown = format!("{call:?}");
        assert!(
            shown.contains("x-secretish") && !shown.contains("hidden-value"),
            "{shown}"
        );
    }

    #[test]
    fn futures_are_send() {
        fn check<F: Future + Send>(_: F) {}
        let c = client();
        check(C::new(&c, Method::GET, &["x"]).send());
        check(C::new(&c, Method::GET, &["x"]).into_future());
    }
}
