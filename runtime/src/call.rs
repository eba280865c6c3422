//! One API call: the request description, and the send loop with retries.

use std::borrow::Cow;
use std::fmt;
use std::future::{Future, IntoFuture};
use std::marker::PhantomData;
use std::pin::Pin;
use std::time::Duration;

use reqwest::header::{ACCEPT, COOKIE, HeaderMap, HeaderName, HeaderValue, USER_AGENT};
use reqwest::{Method, Url};
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::auth::{self, Requirement, TokenProvider};
use crate::body::{FormField, Multipart, RequestBody, Upload, form_bytes};
use crate::config::{Client, header_value};
use crate::envelope::{Envelope, ErrorEnvelope, Response};
use crate::error::{Error, ErrorBody};
use crate::idempotency::{
    KeyPlace, body_key, is_read, key_to_send, may_retry, new_idempotency_key, with_body_key,
};
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
    pub(crate) accept: Option<&'static str>,
    /// The spec's `operationId` and path template, for traces.
    pub(crate) operation: Option<(&'static str, &'static str)>,
    /// A 3xx answers the operation as it is documented to (a login that redirects): it is
    /// its success, never followed.
    pub(crate) redirect_is_success: bool,
    idempotent: bool,
    /// Where the key travels: a header (the client's or the operation's own) or a body field.
    key_place: KeyPlace,
    /// The key the request value carries in its body field, when the key travels there.
    body_key: Option<String>,
    /// Set by the user; wins over a header parameter, a body field and the generated key.
    idempotency_key: Option<String>,
    /// Made when the call is marked idempotent, so it is known before sending.
    generated_key: Option<String>,
    pub(crate) envelope: Envelope,
    pub(crate) error_envelope: ErrorEnvelope,
    timeout: Option<Duration>,
    deadline: Option<Duration>,
    max_response_body: Option<usize>,
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
            operation: self.operation,
            redirect_is_success: self.redirect_is_success,
            idempotent: self.idempotent,
            key_place: self.key_place,
            body_key: self.body_key.clone(),
            idempotency_key: self.idempotency_key.clone(),
            generated_key: self.generated_key.clone(),
            envelope: self.envelope,
            error_envelope: self.error_envelope,
            timeout: self.timeout,
            deadline: self.deadline,
            max_response_body: self.max_response_body,
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
            .field("operation", &self.operation.map(|(id, _)| id))
            .field("idempotent", &self.idempotent)
            .field("idempotency_key", &self.get_idempotency_key())
            .field("envelope", &self.envelope)
            .field("error_envelope", &self.error_envelope)
            .field("timeout", &self.timeout)
            .field("deadline", &self.deadline)
            .field("max_retries", &self.max_retries)
            .finish_non_exhaustive()
    }
}

/// Everything needed to send an attempt, validated once per logical call.
pub(crate) struct Prepared {
    pub(crate) url: Url,
    pub(crate) headers: HeaderMap,
    pub(crate) body: Option<RequestBody>,
    /// The body can be sent again (it is not a stream consumed by the first attempt).
    pub(crate) replayable: bool,
    /// Sending it twice does no harm: an idempotent method, or a key the server dedupes on.
    /// Without it, only a failure that proves the request was not processed is retried.
    pub(crate) safe_to_repeat: bool,
    /// The idempotency key every attempt sends.
    pub(crate) key: Option<String>,
    /// Asked for the bearer token before each attempt.
    pub(crate) token_provider: Option<std::sync::Arc<dyn TokenProvider>>,
    /// A credential travels in the URL: errors must not show it.
    pub(crate) secret_url: bool,
    /// The largest body read whole.
    pub(crate) body_limit: usize,
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
            operation: None,
            redirect_is_success: false,
            idempotent: false,
            key_place: KeyPlace::ClientHeader,
            body_key: None,
            idempotency_key: None,
            generated_key: None,
            envelope: Envelope::Bare,
            error_envelope: ErrorEnvelope::Bare,
            timeout: None,
            deadline: None,
            max_response_body: None,
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

    /// Takes a 3xx answer for the operation's success, as an operation documented to answer
    /// with a redirect (`303 See Other` after a login) does. The redirect is never followed:
    /// it would carry the credentials to wherever it points. Its `Location` is in the
    /// [`Response`](crate::Response)'s headers.
    pub fn redirect_is_success(mut self) -> Self {
        self.redirect_is_success = true;
        self
    }

    /// Replaces every value of query parameter `name` with `value` (used for cursors).
    pub(crate) fn set_query(&mut self, name: &'static str, value: String) {
        self.query.retain(|(n, _)| n != name);
        self.query.push((Cow::Borrowed(name), Text::one(value)));
    }

    /// A new generated idempotency key, for a request that is another call (the next page of a
    /// list sent by `POST`): the same key would replay the first answer.
    pub(crate) fn renew_generated_key(&mut self) {
        if self.generated_key.is_some() {
            self.generated_key = Some(new_idempotency_key());
        }
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

    /// Names the operation for traces: its `operationId` and path template (`/payments/{id}`),
    /// which say what was called without the ids a path holds.
    pub fn operation(mut self, id: &'static str, path_template: &'static str) -> Self {
        self.operation = Some((id, path_template));
        self
    }

    /// Marks the operation as accepting an idempotency key: the call gets a new UUID v4 now
    /// (unless the user gives one), so it can be read with [`Call::get_idempotency_key`] and
    /// stored before sending, and it is reused on every retry. A clone of the call is the same
    /// call and sends the same key. Never sent on `GET`.
    pub fn idempotent(mut self) -> Self {
        self.idempotent = true;
        if !is_read(&self.method) {
            self.generated_key.get_or_insert_with(new_idempotency_key);
        }
        self
    }

    /// [`Call::idempotent`], for an operation whose key travels in its own header `name`
    /// (`PayPal-Request-Id`) instead of the client's idempotency header.
    pub fn idempotent_header(mut self, name: &'static str) -> Self {
        self.key_place = KeyPlace::Header(name);
        self.idempotent()
    }

    /// [`Call::idempotent`], for an operation whose key travels in the top-level `field` of
    /// its JSON body (Square's `idempotency_key`). Call it after the body step.
    ///
    /// The key is filled when the call is built, not when the request value is made: a value
    /// whose field is unset gets a new key in every call made from it (so two payments built
    /// from one value never share a key by accident), and the same key on every attempt of
    /// one call. A key the value carries is the caller's, sent by every call made from it; a
    /// key given with [`Call::idempotency_key`] wins over both. The value itself is never
    /// changed: the key is written into the bytes sent.
    pub fn idempotent_in_body(mut self, field: &'static str) -> Self {
        self.key_place = KeyPlace::BodyField(field);
        self.body_key = match &self.body {
            Some(Ok(RequestBody::Bytes { bytes, .. })) => body_key(bytes, field),
            _ => None,
        };
        self.idempotent = true;
        if !is_read(&self.method) && self.body_key.is_none() {
            self.generated_key.get_or_insert_with(new_idempotency_key);
        }
        self
    }

    /// The idempotency key this call sends on every attempt, known before it is sent: yours
    /// (from [`Call::idempotency_key`] or a header parameter) or the one generated for it.
    /// `None` when the call sends none (a read, or an operation without idempotency).
    ///
    /// Careful payment code stores it before sending: after an error whose outcome is unknown
    /// ([`Error::outcome`]), a retry with the same key gets the original result and is never
    /// applied twice, even from another process.
    pub fn get_idempotency_key(&self) -> Option<&str> {
        let from_request = match self.key_header() {
            Some(header) => self
                .headers
                .iter()
                .find(|(name, _)| name.eq_ignore_ascii_case(header))
                .map(|(_, value)| value.as_str()),
            None => self.body_key.as_deref(),
        };
        // An explicit `.idempotency_key(..)` wins over a header parameter or a body field.
        let user = self.idempotency_key.as_deref().or(from_request);
        key_to_send(&self.method, user, self.generated_key.as_deref())
    }

    /// The header that carries this call's key; `None` when it travels in the body.
    fn key_header(&self) -> Option<&'static str> {
        match self.key_place {
            KeyPlace::ClientHeader => Some(self.client.inner.defaults.idempotency_header),
            KeyPlace::Header(name) => Some(name),
            KeyPlace::BodyField(_) => None,
        }
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

    /// Uses this idempotency key instead of a generated one: one stored before a first try
    /// (to survive a process restart), or the key of an earlier call whose outcome was
    /// unknown, to get its original result instead of applying it again. It also makes a
    /// `POST` safe to retry.
    pub fn idempotency_key(mut self, key: impl Into<String>) -> Self {
        self.idempotency_key = Some(key.into());
        self
    }

    /// Per-attempt timeout for this call, instead of the client's.
    pub fn timeout(mut self, d: Duration) -> Self {
        self.timeout = Some(d);
        self
    }

    /// The longest this call may take in all (every attempt, backoff and wait), instead of
    /// the client's deadline.
    pub fn deadline(mut self, d: Duration) -> Self {
        self.deadline = Some(d);
        self
    }

    /// The largest response body, in bytes, this call reads whole, instead of the client's
    /// limit; a larger one is [`Error::BodyTooLarge`].
    pub fn max_response_body(mut self, bytes: usize) -> Self {
        self.max_response_body = Some(bytes);
        self
    }

    /// The method this call sends.
    pub(crate) fn method(&self) -> &Method {
        &self.method
    }

    pub(crate) fn client(&self) -> &Client {
        &self.client
    }

    /// This call's settings over the client's: (retry policy, max retries, per-attempt
    /// timeout, deadline).
    pub(crate) fn settings(&self) -> (&RetryPolicy, u32, Duration, Option<Duration>) {
        let inner = &self.client.inner;
        let policy = self.retry_policy.as_ref().unwrap_or(&inner.retry_policy);
        let max_retries = self.max_retries.unwrap_or(policy.max_retries);
        let timeout = self.timeout.unwrap_or(inner.timeout);
        let deadline = self.deadline.or(inner.deadline);
        (policy, max_retries, timeout, deadline)
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
    pub(crate) fn prepare(&self) -> Result<Prepared, String> {
        if let Some(problem) = &self.problem {
            return Err(problem.clone());
        }
        let inner = &self.client.inner;
        let defaults = &inner.defaults;
        // The client's own requirement was resolved when it was built; only an operation with a
        // requirement of its own resolves one now.
        let own;
        let credentials = match self.security {
            None => inner.default_auth.as_ref().map_err(String::clone)?,
            Some(requirement) => {
                own = auth::apply(defaults.schemes, requirement, &inner.credentials)?;
                &own
            }
        };
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
        let mut body = match &self.body {
            Some(Ok(body)) => Some(body.clone()),
            Some(Err(message)) => return Err(message.clone()),
            None => None,
        };

        let accept = self.accept.map(|a| header_value("accept", a)).transpose()?;
        let mut headers = inner.base_headers.as_ref().map_err(String::clone)?.clone();
        if let Some(accept) = accept {
            // Replaces the default where it stands, so the order on the wire stays the same.
            headers.insert(ACCEPT, accept);
        }

        let key_header = self.key_header();
        for (name, value) in &self.headers {
            if key_header.is_some_and(|header| name.eq_ignore_ascii_case(header)) {
                // Sent below as the call's key, with `.idempotency_key(..)` winning.
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

        let key = self.get_idempotency_key().map(str::to_owned);
        match (&key, key_header, self.key_place) {
            (Some(key), Some(header), _) => {
                headers.insert(header_name(header)?, header_value(header, key)?);
            }
            (Some(key), None, KeyPlace::BodyField(field)) => match &mut body {
                Some(RequestBody::Bytes { bytes, .. }) => {
                    *bytes = with_body_key(bytes, field, key)?
                }
                _ => {
                    return Err(format!(
                        "the idempotency key goes in the body field `{field}`, but the request \
                         has no JSON body"
                    ));
                }
            },
            _ => {}
        }
        let replayable = body.as_ref().is_none_or(RequestBody::repeatable);
        Ok(Prepared {
            url,
            headers,
            body,
            replayable,
            safe_to_repeat: may_retry(&self.method, key.is_some()),
            key,
            secret_url: credentials.in_url(),
            token_provider: credentials.provider.clone(),
            body_limit: self.max_response_body.unwrap_or(inner.max_response_body),
        })
    }
}

/// The headers every call of a client starts from, in the order they are sent: `Accept` (the
/// JSON default, which a call's own media type replaces in place), `User-Agent` and the API
/// version. Made once per client; an error is what each call reports.
pub(crate) fn base_headers(
    version_header: &str,
    api_version: Option<&str>,
    user_agent: &str,
) -> Result<HeaderMap, String> {
    let mut headers = HeaderMap::new();
    headers.insert(ACCEPT, HeaderValue::from_static("application/json"));
    headers.insert(USER_AGENT, header_value("user-agent", user_agent)?);
    if let Some(version) = api_version {
        headers.insert(
            header_name(version_header)?,
            header_value(version_header, version)?,
        );
    }
    Ok(headers)
}

fn header_name(name: &str) -> Result<HeaderName, String> {
    HeaderName::from_bytes(name.as_bytes()).map_err(|_| format!("invalid header name `{name}`"))
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
        // `send`'s future mapped, not awaited in an `async` block: such a block would keep the
        // call (or that future) twice in the box, once captured and once being awaited.
        Box::pin(futures_util::FutureExt::map(self.send(), |sent| {
            sent.map(Response::into_data)
        }))
    }
}

mod server;

#[cfg(test)]
mod tests;
