//! How a client authenticates: the schemes a document defines and the requirements that name
//! them.

/// One way to authenticate, as `components.securitySchemes` names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SecurityScheme {
    /// The scheme's name in the spec.
    pub name: String,
    /// What is sent.
    pub kind: SchemeKind,
    /// The scheme's description, sanitized.
    pub description: Option<String>,
}

/// What a security scheme sends.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SchemeKind {
    /// An API key in a header, query parameter or cookie.
    ApiKey {
        /// Where it goes.
        location: ApiKeyLocation,
        /// The header, parameter or cookie name.
        name: String,
    },
    /// `Authorization: Bearer <token>`: http `bearer`, and OAuth2 and OpenID Connect, whose
    /// token the user obtains and supplies.
    Bearer,
    /// `Authorization: Basic <base64(user:password)>`.
    Basic,
}

/// Where an API key is sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ApiKeyLocation {
    /// A request header.
    Header,
    /// A query parameter.
    Query,
    /// A cookie.
    Cookie,
}

/// One security requirement: the names of the schemes that are all sent. An empty one means
/// "no authentication".
pub type Requirement = Vec<String>;
