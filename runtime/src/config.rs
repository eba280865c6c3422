//! Client configuration: defaults from the spec, the builder, and the shared client.

use std::fmt;
use std::marker::PhantomData;
use std::sync::Arc;
use std::time::Duration;

use reqwest::header::{HeaderMap, HeaderValue};

use crate::auth::{
    self, Applied, Credential, Credentials, Requirement, Scheme, SchemeKind, Secret, TokenProvider,
};
use crate::environment::NamedServer;
use crate::read::DEFAULT_MAX_RESPONSE_BODY;
use crate::retry::RetryPolicy;

/// Per-API constants that generated code fills in from the OpenAPI document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClientDefaults {
    /// The server URL (`servers[0].url`).
    pub base_url: &'static str,
    /// The API version (`info.version`), sent in `version_header` unless overridden; `None`
    /// when the API pins no version.
    pub api_version: Option<&'static str>,
    /// The header that pins the API version, e.g. `Commet-Version`; empty when the API has none.
    pub version_header: &'static str,
    /// The spec's security schemes that operations use.
    pub schemes: &'static [Scheme],
    /// The document's security requirement, used by calls without their own (empty: none).
    pub security: &'static [Requirement],
    /// Every operation needs credentials: building a client without any that satisfy
    /// [`Self::security`] is an error, rather than a 401 on the first call.
    pub credentials_required: bool,
    /// The environment variable read when no API key is given, e.g. `COMMET_API_KEY`.
    pub api_key_env: &'static str,
    /// The environment variable read when no bearer token is given, e.g. `COMMET_BEARER_TOKEN`.
    pub bearer_token_env: &'static str,
    /// The environment variables read for basic auth's user name and password.
    pub basic_auth_env: (&'static str, &'static str),
    /// The environment variable read when no base URL is given, e.g. `COMMET_BASE_URL`.
    pub base_url_env: &'static str,
    /// The idempotency header, e.g. `Idempotency-Key`.
    pub idempotency_header: &'static str,
    /// The default `User-Agent`, e.g. `commet-rust/0.1.0`.
    pub user_agent: &'static str,
}

/// Implemented by generated API clients so [`ClientBuilder`] can build them.
pub trait ApiClient: Sized {
    /// Wraps a configured runtime client.
    fn from_runtime(client: Client) -> Self;
}

impl ApiClient for Client {
    fn from_runtime(client: Client) -> Self {
        client
    }
}

/// Why a client could not be built.
#[derive(Debug)]
pub enum BuildError {
    /// No API key was given and the environment variable is unset or empty.
    MissingApiKey {
        /// The environment variable that was consulted.
        env: &'static str,
    },
    /// The API needs credentials and none that it accepts were given; the message says
    /// which setters and environment variables would do.
    MissingCredentials(String),
    /// The base URL is not an absolute `http`/`https` URL.
    InvalidBaseUrl(String),
    /// A header name or value (API key, version, user agent) is not valid, e.g. contains CR/LF.
    InvalidHeader(String),
    /// The HTTP client could not be created.
    Http(reqwest::Error),
}

impl fmt::Display for BuildError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BuildError::MissingApiKey { env } => {
                write!(f, "missing API key: call .api_key(..) or set {env}")
            }
            BuildError::MissingCredentials(m) => write!(f, "missing credentials: {m}"),
            BuildError::InvalidBaseUrl(m) => write!(f, "invalid base URL: {m}"),
            BuildError::InvalidHeader(m) => write!(f, "invalid header: {m}"),
            BuildError::Http(e) => write!(f, "could not create the HTTP client: {e}"),
        }
    }
}

impl std::error::Error for BuildError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            BuildError::Http(e) => Some(e),
            _ => None,
        }
    }
}

/// Redacts an API key for logs: `ck_sandbox_abc123` becomes `ck_***`.
///
/// Only a short leading alphanumeric prefix before the first `_` is kept; keys without one
/// become `***`.
pub fn redact_api_key(key: &str) -> String {
    match key.split_once('_') {
        Some((prefix, _))
            if !prefix.is_empty()
                && prefix.len() <= 4
                && prefix.bytes().all(|b| b.is_ascii_alphanumeric()) =>
        {
            format!("{prefix}_***")
        }
        _ => "***".to_owned(),
    }
}

/// Rejects header values that could split or smuggle headers; the message never contains
/// the value, which may be a secret.
pub(crate) fn header_value(name: &str, value: &str) -> Result<HeaderValue, String> {
    if value.contains(['\r', '\n']) {
        return Err(format!("value of header `{name}` contains CR or LF"));
    }
    HeaderValue::from_str(value)
        .map_err(|_| format!("value of header `{name}` contains invalid characters"))
}

/// Builds a generated client (`C`) or a bare [`Client`].
pub struct ClientBuilder<C> {
    defaults: ClientDefaults,
    credentials: Credentials,
    base_url: Option<String>,
    /// A server of the document chosen by name: below `base_url`, above the variable.
    /// The chosen server's base URL and name.
    environment: Option<(String, &'static str)>,
    api_version: Option<String>,
    connect_timeout: Duration,
    timeout: Duration,
    deadline: Option<Duration>,
    max_response_body: usize,
    max_retries: Option<u32>,
    retry_policy: RetryPolicy,
    user_agent: Option<String>,
    http_client: Option<reqwest::Client>,
    _client: PhantomData<fn() -> C>,
}

impl<C> fmt::Debug for ClientBuilder<C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("base_url", &self.base_url)
            .field("environment", &self.environment)
            .field("credentials", &self.credentials)
            .field("api_version", &self.api_version)
            .field("connect_timeout", &self.connect_timeout)
            .field("timeout", &self.timeout)
            .field("deadline", &self.deadline)
            .field("max_response_body", &self.max_response_body)
            .field("max_retries", &self.max_retries)
            .field("retry_policy", &self.retry_policy)
            .field("user_agent", &self.user_agent)
            .field("http_client", &self.http_client.is_some())
            .finish()
    }
}

impl<C: ApiClient> ClientBuilder<C> {
    /// Starts from the spec's defaults.
    pub fn new(defaults: ClientDefaults) -> Self {
        Self {
            defaults,
            credentials: Credentials::default(),
            base_url: None,
            environment: None,
            api_version: None,
            connect_timeout: Duration::from_secs(10),
            timeout: Duration::from_secs(60),
            deadline: None,
            max_response_body: DEFAULT_MAX_RESPONSE_BODY,
            max_retries: None,
            retry_policy: RetryPolicy::default(),
            user_agent: None,
            http_client: None,
            _client: PhantomData,
        }
    }

    /// The API key, sent by every API-key scheme of the spec (header, query or cookie).
    /// Without it, the `api_key_env` environment variable is used.
    pub fn api_key(mut self, key: impl Into<String>) -> Self {
        self.credentials.api_key = Some(Secret::new(key));
        self
    }

    /// The bearer token of the spec's bearer, OAuth2 and OpenID Connect schemes (obtained by
    /// you; the client runs no OAuth flow). Without it, `bearer_token_env` is used.
    pub fn bearer_token(mut self, token: impl Into<String>) -> Self {
        self.credentials.bearer = Some(Credential::Bearer(Secret::new(token)));
        self
    }

    /// Asks `provider` for the bearer token before every attempt, for tokens that expire and
    /// are refreshed (an OAuth2 access token, say).
    pub fn token_provider(mut self, provider: impl TokenProvider) -> Self {
        self.credentials.bearer = Some(Credential::BearerProvider(std::sync::Arc::new(provider)));
        self
    }

    /// The user name and password of the spec's basic-auth schemes. Without them, the
    /// `basic_auth_env` environment variables are used.
    pub fn basic_auth(mut self, username: impl Into<String>, password: impl Into<String>) -> Self {
        self.credentials.basic = Some(Credential::Basic {
            username: Secret::new(username),
            password: Secret::new(password),
        });
        self
    }

    /// The credential of one scheme, by its name in the spec, for an API whose schemes of
    /// one kind take different values (two API keys sent together, say).
    pub fn credential(mut self, scheme: impl Into<String>, credential: Credential) -> Self {
        self.credentials.by_scheme.insert(scheme.into(), credential);
        self
    }

    /// One of the servers the document lists, by name (a generated `Environment`, such as
    /// `Environment::Sandbox`). `.base_url(..)` wins over it; it wins over `base_url_env` and
    /// the spec's first server.
    pub fn environment(mut self, server: impl NamedServer) -> Self {
        self.environment = Some((server.base_url(), server.name()));
        self
    }

    /// The base URL. It wins over `.environment(..)`; without either, `base_url_env` is used,
    /// else the spec's first server URL.
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = Some(url.into());
        self
    }

    /// Pins the API version sent in the version header.
    pub fn api_version(mut self, v: impl Into<String>) -> Self {
        self.api_version = Some(v.into());
        self
    }

    /// Timeout for establishing a connection. Default 10 s. Ignored with [`Self::http_client`].
    pub fn connect_timeout(mut self, d: Duration) -> Self {
        self.connect_timeout = d;
        self
    }

    /// Total timeout of one attempt (connect, send, read the body). Default 60 s.
    pub fn timeout(mut self, d: Duration) -> Self {
        self.timeout = d;
        self
    }

    /// The longest a call may take in all: every attempt, every backoff and `Retry-After`
    /// wait. An attempt still running when it passes is stopped, and no retry starts that
    /// could not begin before it. Default: none (each attempt is bounded by
    /// [`Self::timeout`], and the number of attempts by the retry policy).
    pub fn deadline(mut self, d: Duration) -> Self {
        self.deadline = Some(d);
        self
    }

    /// The largest response body, in bytes, that a call reads whole; a larger one fails with
    /// `Error::BodyTooLarge` without being read further. Default
    /// [`DEFAULT_MAX_RESPONSE_BODY`] (16 MiB). Streamed downloads are not limited.
    pub fn max_response_body(mut self, bytes: usize) -> Self {
        self.max_response_body = bytes;
        self
    }

    /// Maximum retries per call. Default 2. Wins over the retry policy's `max_retries`,
    /// whatever the order of the calls.
    pub fn max_retries(mut self, n: u32) -> Self {
        self.max_retries = Some(n);
        self
    }

    /// The retry policy (backoff, statuses and codes retried).
    pub fn retry_policy(mut self, p: RetryPolicy) -> Self {
        self.retry_policy = p;
        self
    }

    /// Overrides the `User-Agent` header.
    pub fn user_agent(mut self, ua: impl Into<String>) -> Self {
        self.user_agent = Some(ua.into());
        self
    }

    /// Uses this `reqwest` client (proxies, custom TLS, ...). The connect timeout is then
    /// the given client's. Note that it should not follow redirects: the API key header
    /// would be forwarded to the redirect target.
    pub fn http_client(mut self, c: reqwest::Client) -> Self {
        self.http_client = Some(c);
        self
    }

    /// Validates the configuration and builds the client.
    pub fn build(self) -> Result<C, BuildError> {
        let d = self.defaults;
        let credentials = self.credentials_from_env();
        if d.credentials_required && !credentials.satisfies(d.schemes, d.security) {
            return Err(missing_credentials(&d));
        }
        credentials.validate().map_err(BuildError::InvalidHeader)?;

        // A URL given by hand or by the variable points every call somewhere on purpose (a
        // proxy, a test server): operations with a server of their own follow it too. A named
        // environment chooses among the document's servers, which an operation's own replaces.
        let environment = self.environment.as_ref().map(|(_, name)| *name);
        let (base_url, base_url_overridden) = match (self.base_url, self.environment) {
            (Some(url), _) => (url, true),
            (None, Some((url, _))) => (url, false),
            (None, None) => match env_nonempty(d.base_url_env) {
                Some(url) => (url, true),
                None => (d.base_url.to_owned(), false),
            },
        };
        let base_url = check_base_url(&base_url)?;

        let api_version = self
            .api_version
            .or_else(|| d.api_version.map(str::to_owned));
        let user_agent = self.user_agent.unwrap_or_else(|| d.user_agent.to_owned());
        // Validate every fixed header now, so a bad configuration fails at build time.
        let fixed = [d.version_header, d.idempotency_header];
        for name in fixed.into_iter().filter(|n| !n.is_empty()) {
            reqwest::header::HeaderName::from_bytes(name.as_bytes())
                .map_err(|_| BuildError::InvalidHeader(format!("invalid header name `{name}`")))?;
        }
        if let Some(v) = &api_version {
            if d.version_header.is_empty() {
                return Err(BuildError::InvalidHeader(format!(
                    "API version `{v}` was set, but this API declares no header to send it in"
                )));
            }
            header_value(d.version_header, v).map_err(BuildError::InvalidHeader)?;
        }
        header_value("user-agent", &user_agent).map_err(BuildError::InvalidHeader)?;

        let (http, http_timeout) = match self.http_client {
            Some(c) => (c, None),
            None => (
                reqwest::Client::builder()
                    .connect_timeout(self.connect_timeout)
                    // A redirect to another host would carry the API key header along.
                    .redirect(reqwest::redirect::Policy::none())
                    // The attempt timeout as the client's own, so an attempt that keeps it
                    // needn't set it on its request (which costs a map per request).
                    .timeout(self.timeout)
                    .build()
                    .map_err(BuildError::Http)?,
                Some(self.timeout),
            ),
        };
        let mut retry_policy = self.retry_policy;
        if let Some(n) = self.max_retries {
            retry_policy.max_retries = n;
        }
        // Made once here rather than on every call; their errors are still each call's.
        let base_headers =
            crate::call::base_headers(d.version_header, api_version.as_deref(), &user_agent);
        let default_auth = auth::apply(d.schemes, d.security, &credentials);
        Ok(C::from_runtime(Client {
            inner: Arc::new(ClientInner {
                http,
                http_timeout,
                base_headers,
                default_auth,
                base_url,
                base_url_overridden,
                environment,
                credentials,
                api_version,
                user_agent,
                timeout: self.timeout,
                deadline: self.deadline,
                max_response_body: self.max_response_body,
                retry_policy,
                defaults: d,
            }),
        }))
    }
}

impl<C> ClientBuilder<C> {
    /// The configured credentials, completed from the environment for the kinds of scheme
    /// the API uses (and only those: other variables are none of its business).
    fn credentials_from_env(&self) -> Credentials {
        let d = &self.defaults;
        let mut c = self.credentials.clone();
        // An empty key is no key: it would be a 401 on every call.
        c.api_key = c.api_key.filter(|k| !k.expose().is_empty());
        if matches!(&c.bearer, Some(Credential::Bearer(t)) if t.expose().is_empty()) {
            c.bearer = None;
        }
        let uses = |pred: fn(&SchemeKind) -> bool| d.schemes.iter().any(|s| pred(&s.kind));
        if c.api_key.is_none() && uses(|k| matches!(k, SchemeKind::ApiKey { .. })) {
            c.api_key = env_nonempty(d.api_key_env).map(Secret::new);
        }
        if c.bearer.is_none() && uses(|k| matches!(k, SchemeKind::Bearer)) {
            c.bearer = env_nonempty(d.bearer_token_env).map(|t| Credential::Bearer(Secret::new(t)));
        }
        if c.basic.is_none()
            && uses(|k| matches!(k, SchemeKind::Basic))
            && let Some(user) = env_nonempty(d.basic_auth_env.0)
        {
            c.basic = Some(Credential::Basic {
                username: Secret::new(user),
                password: Secret::new(env_nonempty(d.basic_auth_env.1).unwrap_or_default()),
            });
        }
        c
    }
}

/// The build error for an API that needs credentials: the setters and variables that would
/// satisfy it. An API that takes only an API key keeps the plain [`BuildError::MissingApiKey`].
fn missing_credentials(d: &ClientDefaults) -> BuildError {
    let kinds: Vec<SchemeKind> = d
        .security
        .iter()
        .flat_map(|alt| alt.iter())
        .filter_map(|name| d.schemes.iter().find(|s| s.name == *name).map(|s| s.kind))
        .collect();
    if kinds.iter().all(|k| matches!(k, SchemeKind::ApiKey { .. })) {
        return BuildError::MissingApiKey { env: d.api_key_env };
    }
    let mut ways = Vec::new();
    if kinds.iter().any(|k| matches!(k, SchemeKind::ApiKey { .. })) {
        ways.push(format!("call .api_key(..) or set {}", d.api_key_env));
    }
    if kinds.iter().any(|k| matches!(k, SchemeKind::Bearer)) {
        ways.push(format!(
            "call .bearer_token(..) or .token_provider(..), or set {}",
            d.bearer_token_env
        ));
    }
    if kinds.iter().any(|k| matches!(k, SchemeKind::Basic)) {
        ways.push(format!(
            "call .basic_auth(..) or set {} and {}",
            d.basic_auth_env.0, d.basic_auth_env.1
        ));
    }
    BuildError::MissingCredentials(ways.join("; or "))
}

fn env_nonempty(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.trim().is_empty())
}

fn check_base_url(url: &str) -> Result<String, BuildError> {
    let parsed = reqwest::Url::parse(url)
        .map_err(|e| BuildError::InvalidBaseUrl(format!("`{url}`: {e}")))?;
    if !matches!(parsed.scheme(), "http" | "https") || parsed.cannot_be_a_base() {
        return Err(BuildError::InvalidBaseUrl(format!(
            "`{url}`: must be an http or https URL"
        )));
    }
    if parsed.query().is_some() || parsed.fragment().is_some() {
        return Err(BuildError::InvalidBaseUrl(format!(
            "`{url}`: must not have a query or fragment"
        )));
    }
    // Userinfo would be sent as credentials to the server; refuse rather than leak it.
    if !parsed.username().is_empty() || parsed.password().is_some() {
        return Err(BuildError::InvalidBaseUrl(
            "must not contain a user name or password".to_owned(),
        ));
    }
    Ok(parsed.as_str().trim_end_matches('/').to_owned())
}

/// An operation's own server URL, checked as a base URL is; the error is what its calls report.
pub(crate) fn check_server(url: &str) -> Result<String, String> {
    check_base_url(url).map_err(|e| format!("the operation's server is invalid: {e}"))
}

/// The configured connection to the API: cheap to clone, `Send + Sync`.
/// `Debug` shows the API key redacted.
#[derive(Clone)]
pub struct Client {
    pub(crate) inner: Arc<ClientInner>,
}

#[derive(Clone)]
pub(crate) struct ClientInner {
    pub(crate) http: reqwest::Client,
    /// The timeout `http` applies to every request by itself: `None` for a client the user
    /// gave, whose settings can't be read.
    pub(crate) http_timeout: Option<Duration>,
    /// What every call sends first (`Accept`, `User-Agent`, the version), made when the client
    /// is built: these never change between calls.
    pub(crate) base_headers: Result<HeaderMap, String>,
    /// What the client's own security requirement sends, resolved when the client is built for
    /// the calls that have no requirement of their own.
    pub(crate) default_auth: Result<Applied, String>,
    pub(crate) base_url: String,
    /// The base URL was set with `.base_url(..)` or the variable: every call goes there, even
    /// one whose operation has a server of its own.
    pub(crate) base_url_overridden: bool,
    /// The name of the environment chosen with `.environment(..)`, if one was: an operation
    /// with servers of its own takes its server of that name.
    pub(crate) environment: Option<&'static str>,
    pub(crate) credentials: Credentials,
    pub(crate) api_version: Option<String>,
    pub(crate) user_agent: String,
    pub(crate) timeout: Duration,
    pub(crate) deadline: Option<Duration>,
    pub(crate) max_response_body: usize,
    pub(crate) retry_policy: RetryPolicy,
    pub(crate) defaults: ClientDefaults,
}

impl Client {
    /// A builder for a bare runtime client (generated clients have their own `builder()`).
    pub fn builder(defaults: ClientDefaults) -> ClientBuilder<Client> {
        ClientBuilder::new(defaults)
    }

    /// The base URL, without trailing slash.
    pub fn base_url(&self) -> &str {
        &self.inner.base_url
    }

    /// The API version sent with each request, if any.
    pub fn api_version(&self) -> Option<&str> {
        self.inner.api_version.as_deref()
    }

    /// The default per-attempt timeout.
    pub fn timeout(&self) -> Duration {
        self.inner.timeout
    }

    /// The default deadline of a whole call, if any.
    pub fn deadline(&self) -> Option<Duration> {
        self.inner.deadline
    }

    /// The default limit on a response body read whole, in bytes.
    pub fn max_response_body(&self) -> usize {
        self.inner.max_response_body
    }

    /// The retry policy applied to calls.
    pub fn retry_policy(&self) -> &RetryPolicy {
        &self.inner.retry_policy
    }

    /// The spec defaults this client was built from.
    pub fn defaults(&self) -> &ClientDefaults {
        &self.inner.defaults
    }

    /// A copy of this client (sharing its connection pool) with another retry policy,
    /// e.g. tiny backoffs in tests.
    pub fn with_retry_policy(&self, policy: RetryPolicy) -> Client {
        self.with(|inner| inner.retry_policy = policy)
    }

    /// A copy of this client (sharing its connection pool) with another per-attempt timeout.
    pub fn with_timeout(&self, timeout: Duration) -> Client {
        self.with(|inner| inner.timeout = timeout)
    }

    /// A copy of this client (sharing its connection pool) with a deadline for every call.
    pub fn with_deadline(&self, deadline: Duration) -> Client {
        self.with(|inner| inner.deadline = Some(deadline))
    }

    /// A copy with `change` made. The changes made through here (retry policy, timeout,
    /// deadline) touch nothing the base headers or default credentials are made of, so those
    /// are shared as they are.
    fn with(&self, change: impl FnOnce(&mut ClientInner)) -> Client {
        let mut inner = ClientInner::clone(&self.inner);
        change(&mut inner);
        Client {
            inner: Arc::new(inner),
        }
    }
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let i = &self.inner;
        f.debug_struct("Client")
            .field("base_url", &i.base_url)
            .field("credentials", &i.credentials)
            .field("api_version", &i.api_version)
            .field("user_agent", &i.user_agent)
            .field("timeout", &i.timeout)
            .field("deadline", &i.deadline)
            .field("max_response_body", &i.max_response_body)
            .field("retry_policy", &i.retry_policy)
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
pub(crate) mod tests;
