//! Credentials, and how each security scheme of the spec sends them.
//!
//! Generated code describes the spec's schemes ([`Scheme`]) and, per operation, which
//! combinations of them are accepted ([`Requirement`]s: alternatives, each a set of schemes
//! that are all sent). The user configures credentials once on the client; each call sends
//! the first alternative whose credentials are all configured.

use std::collections::BTreeMap;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use base64::Engine as _;
use reqwest::header::{AUTHORIZATION, HeaderMap, HeaderName, HeaderValue};

use crate::config::{header_value, redact_api_key};

/// Where an API key goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ApiKeyLocation {
    /// A request header.
    Header,
    /// A query parameter.
    Query,
    /// A cookie.
    Cookie,
}

/// What a security scheme sends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SchemeKind {
    /// An API key under `name` in a header, query parameter or cookie.
    ApiKey {
        /// Where it goes.
        location: ApiKeyLocation,
        /// The header, parameter or cookie name.
        name: &'static str,
    },
    /// `Authorization: Bearer <token>` (http bearer, OAuth2, OpenID Connect).
    Bearer,
    /// `Authorization: Basic <base64(username:password)>`.
    Basic,
}

/// A security scheme as the spec names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Scheme {
    /// The scheme's name in `components.securitySchemes`.
    pub name: &'static str,
    /// What it sends.
    pub kind: SchemeKind,
}

impl Scheme {
    /// An API key in the header `header`.
    pub const fn api_key_header(name: &'static str, header: &'static str) -> Self {
        Self {
            name,
            kind: SchemeKind::ApiKey {
                location: ApiKeyLocation::Header,
                name: header,
            },
        }
    }
}

/// One accepted combination: the names of the schemes that are all sent. An empty one means
/// the operation may be called without credentials.
pub type Requirement = &'static [&'static str];

/// The error a token provider may return.
pub type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// Supplies the current bearer token, e.g. an OAuth2 access token it refreshes when it
/// expires. It is asked before every attempt, so it should cache the token and answer fast.
///
/// Any `Fn() -> impl Future<Output = Result<String, BoxError>>` closure is one:
///
/// ```
/// # fn demo(builder: commet_runtime::ClientBuilder<commet_runtime::Client>) {
/// let builder = builder.token_provider(|| async { Ok::<_, commet_runtime::BoxError>("token".to_owned()) });
/// # let _ = builder; }
/// ```
pub trait TokenProvider: Send + Sync + 'static {
    /// The token to send now.
    fn token(&self) -> Pin<Box<dyn Future<Output = Result<String, BoxError>> + Send + '_>>;
}

impl<F, Fut> TokenProvider for F
where
    F: Fn() -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Result<String, BoxError>> + Send + 'static,
{
    fn token(&self) -> Pin<Box<dyn Future<Output = Result<String, BoxError>> + Send + '_>> {
        Box::pin(self())
    }
}

/// A secret string: `Debug` shows only a short prefix (`sk_***`).
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    /// Wraps a secret.
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }

    /// The secret itself.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&redact_api_key(&self.0))
    }
}

/// The value one scheme sends.
#[derive(Clone)]
pub enum Credential {
    /// An API key.
    ApiKey(Secret),
    /// A fixed bearer token.
    Bearer(Secret),
    /// A bearer token asked of a provider before each attempt.
    BearerProvider(Arc<dyn TokenProvider>),
    /// A user name and password.
    Basic {
        /// The user name.
        username: Secret,
        /// The password.
        password: Secret,
    },
}

impl fmt::Debug for Credential {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::ApiKey(k) => write!(f, "ApiKey({k:?})"),
            Self::Bearer(t) => write!(f, "Bearer({t:?})"),
            Self::BearerProvider(_) => f.write_str("BearerProvider(..)"),
            Self::Basic { username, .. } => write!(f, "Basic({username:?}, ***)"),
        }
    }
}

/// The credentials of a client: one per kind of scheme, and per-scheme overrides.
#[derive(Clone, Default, Debug)]
pub(crate) struct Credentials {
    pub(crate) api_key: Option<Secret>,
    pub(crate) bearer: Option<Credential>,
    pub(crate) basic: Option<Credential>,
    pub(crate) by_scheme: BTreeMap<String, Credential>,
}

impl Credentials {
    fn for_scheme(&self, scheme: &Scheme) -> Option<Credential> {
        if let Some(c) = self.by_scheme.get(scheme.name) {
            return Some(c.clone());
        }
        match scheme.kind {
            SchemeKind::ApiKey { .. } => self.api_key.clone().map(Credential::ApiKey),
            SchemeKind::Bearer => self.bearer.clone(),
            SchemeKind::Basic => self.basic.clone(),
        }
    }

    /// Rejects values that can't be sent in a header (CR or LF, say), without echoing them.
    pub(crate) fn validate(&self) -> Result<(), String> {
        let mut values: Vec<(&str, &Secret)> = Vec::new();
        values.extend(self.api_key.iter().map(|k| ("API key", k)));
        for c in self
            .bearer
            .iter()
            .chain(&self.basic)
            .chain(self.by_scheme.values())
        {
            match c {
                Credential::ApiKey(k) => values.push(("API key", k)),
                Credential::Bearer(t) => values.push(("bearer token", t)),
                Credential::Basic { username, password } => {
                    values.push(("user name", username));
                    values.push(("password", password));
                }
                Credential::BearerProvider(_) => {}
            }
        }
        for (what, secret) in values {
            header_value(what, secret.expose())?;
        }
        Ok(())
    }

    /// True when one alternative of `requirements` can be sent (an empty one always can).
    pub(crate) fn satisfies(&self, schemes: &[Scheme], requirements: &[Requirement]) -> bool {
        requirements.is_empty() || choose(schemes, requirements, self).is_ok()
    }
}

/// What a call adds to authenticate: resolved once per client (or per call, for an operation
/// with its own requirement), applied to every attempt.
#[derive(Clone, Default)]
pub(crate) struct Applied {
    pub(crate) headers: HeaderMap,
    pub(crate) query: Vec<(&'static str, String)>,
    pub(crate) cookies: Vec<(&'static str, String)>,
    /// A provider to ask for the bearer token before each attempt.
    pub(crate) provider: Option<Arc<dyn TokenProvider>>,
}

impl Applied {
    /// True when a credential travels in the URL, which must then never be shown.
    pub(crate) fn in_url(&self) -> bool {
        !self.query.is_empty()
    }
}

/// The first alternative whose credentials are all configured, with them.
fn choose<'s>(
    schemes: &'s [Scheme],
    requirements: &[Requirement],
    credentials: &Credentials,
) -> Result<Vec<(&'s Scheme, Credential)>, ()> {
    let mut anonymous = false;
    for alternative in requirements {
        if alternative.is_empty() {
            anonymous = true;
            continue;
        }
        let found: Option<Vec<_>> = alternative
            .iter()
            .map(|name| {
                let scheme = schemes.iter().find(|s| s.name == *name)?;
                Some((scheme, credentials.for_scheme(scheme)?))
            })
            .collect();
        if let Some(found) = found {
            return Ok(found);
        }
    }
    if anonymous || requirements.is_empty() {
        Ok(Vec::new())
    } else {
        Err(())
    }
}

/// Resolves what a call with `requirements` sends. An error names what to configure; the
/// request is then never sent.
pub(crate) fn apply(
    schemes: &[Scheme],
    requirements: &[Requirement],
    credentials: &Credentials,
) -> Result<Applied, String> {
    let chosen = choose(schemes, requirements, credentials)
        .map_err(|()| format!("missing credentials: {}", describe(schemes, requirements)))?;
    let mut applied = Applied::default();
    for (scheme, credential) in chosen {
        match (scheme.kind, credential) {
            (SchemeKind::ApiKey { location, name }, Credential::ApiKey(key))
            | (SchemeKind::ApiKey { location, name }, Credential::Bearer(key)) => match location {
                ApiKeyLocation::Header => {
                    let header = HeaderName::from_bytes(name.as_bytes())
                        .map_err(|_| format!("invalid header name `{name}`"))?;
                    applied
                        .headers
                        .insert(header, sensitive(name, key.expose())?);
                }
                ApiKeyLocation::Query => applied.query.push((name, key.expose().to_owned())),
                ApiKeyLocation::Cookie => applied.cookies.push((name, key.expose().to_owned())),
            },
            (_, Credential::Bearer(token)) | (SchemeKind::Bearer, Credential::ApiKey(token)) => {
                applied.headers.insert(
                    AUTHORIZATION,
                    sensitive("authorization", &format!("Bearer {}", token.expose()))?,
                );
            }
            (_, Credential::BearerProvider(provider)) => applied.provider = Some(provider),
            (_, Credential::Basic { username, password }) => {
                let encoded = base64::engine::general_purpose::STANDARD.encode(format!(
                    "{}:{}",
                    username.expose(),
                    password.expose()
                ));
                applied.headers.insert(
                    AUTHORIZATION,
                    sensitive("authorization", &format!("Basic {encoded}"))?,
                );
            }
            (SchemeKind::Basic, Credential::ApiKey(_)) => {
                return Err(format!(
                    "scheme `{}` takes a user name and password, not a key",
                    scheme.name
                ));
            }
        }
    }
    Ok(applied)
}

/// The `Authorization` header for a token a provider gave.
pub(crate) fn bearer_header(token: &str) -> Result<HeaderValue, String> {
    sensitive("authorization", &format!("Bearer {token}"))
}

fn sensitive(name: &str, value: &str) -> Result<HeaderValue, String> {
    let mut v = header_value(name, value)?;
    v.set_sensitive(true);
    Ok(v)
}

/// Names what would satisfy `requirements`, for the error that says none is configured.
fn describe(schemes: &[Scheme], requirements: &[Requirement]) -> String {
    let alternatives: Vec<String> = requirements
        .iter()
        .map(|alt| {
            alt.iter()
                .map(
                    |name| match schemes.iter().find(|s| s.name == *name).map(|s| s.kind) {
                        Some(SchemeKind::ApiKey { .. }) => format!("an API key (`{name}`)"),
                        Some(SchemeKind::Bearer) => format!("a bearer token (`{name}`)"),
                        Some(SchemeKind::Basic) => format!("a user name and password (`{name}`)"),
                        None => format!("`{name}`"),
                    },
                )
                .collect::<Vec<_>>()
                .join(" and ")
        })
        .collect();
    format!("configure {}", alternatives.join(", or "))
}

#[cfg(test)]
mod tests {
    use super::*;

    const SCHEMES: &[Scheme] = &[
        Scheme::api_key_header("Key", "x-api-key"),
        Scheme {
            name: "QueryKey",
            kind: SchemeKind::ApiKey {
                location: ApiKeyLocation::Query,
                name: "api_key",
            },
        },
        Scheme {
            name: "Token",
            kind: SchemeKind::Bearer,
        },
        Scheme {
            name: "Login",
            kind: SchemeKind::Basic,
        },
    ];

    #[test]
    fn the_first_satisfiable_alternative_is_sent_whole() {
        let creds = Credentials {
            api_key: Some(Secret::new("k_1")),
            ..Credentials::default()
        };
        let applied = apply(SCHEMES, &[&["Token"], &["Key", "QueryKey"]], &creds).unwrap();
        assert_eq!(applied.headers["x-api-key"], "k_1");
        assert!(applied.headers["x-api-key"].is_sensitive());
        assert_eq!(applied.query, vec![("api_key", "k_1".to_owned())]);
        assert!(applied.in_url());
    }

    #[test]
    fn basic_and_bearer() {
        let creds = Credentials {
            basic: Some(Credential::Basic {
                username: Secret::new("Aladdin"),
                password: Secret::new("open sesame"),
            }),
            ..Credentials::default()
        };
        let applied = apply(SCHEMES, &[&["Login"]], &creds).unwrap();
        // RFC 7617's own example.
        assert_eq!(
            applied.headers["authorization"],
            "Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ=="
        );
        let creds = Credentials {
            bearer: Some(Credential::Bearer(Secret::new("t0k"))),
            ..Credentials::default()
        };
        let applied = apply(SCHEMES, &[&["Token"]], &creds).unwrap();
        assert_eq!(applied.headers["authorization"], "Bearer t0k");
    }

    #[test]
    fn nothing_configured_is_a_clear_error_unless_auth_is_optional() {
        let none = Credentials::default();
        let err = apply(SCHEMES, &[&["Token"], &["Login"]], &none)
            .err()
            .unwrap();
        assert!(
            err.contains("a bearer token (`Token`), or a user name and password (`Login`)"),
            "{err}"
        );
        assert!(apply(SCHEMES, &[&[], &["Token"]], &none).is_ok());
        assert!(apply(SCHEMES, &[], &none).is_ok());
    }

    #[test]
    fn secrets_never_show_in_debug() {
        let c = Credential::Basic {
            username: Secret::new("sk_live_user"),
            password: Secret::new("hunter2"),
        };
        let shown = format!("{c:?}");
        assert!(
            !shown.contains("live_user") && !shown.contains("hunter2"),
            "{shown}"
        );
        assert_eq!(format!("{:?}", Secret::new("tok_abcdef")), "tok_***");
    }
}
