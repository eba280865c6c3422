//! Where a client sends its requests: the servers of a document as named environments.

use super::Docs;

/// The servers of a document that lists more than one, as an enum of named choices.
#[derive(Debug, Clone, PartialEq)]
pub struct Environments {
    /// The enum's Rust name (`Environment`, unless a schema has that name).
    pub type_name: String,
    /// The servers, in the document's order (the first is the default base URL).
    pub servers: Vec<Environment>,
}

/// One server of the document.
#[derive(Debug, Clone, PartialEq)]
pub struct Environment {
    /// The variant name: `Sandbox`, `Live`, ... from the server's description or URL.
    pub name: String,
    /// Its URL, without a trailing slash; `{name}` where a variable goes.
    pub url: String,
    /// Its description.
    pub docs: Docs,
    /// Its variables, in the document's order: the fields of its variant.
    pub variables: Vec<ServerVariable>,
}

/// A variable of a server URL, a typed argument of its environment.
#[derive(Debug, Clone, PartialEq)]
pub struct ServerVariable {
    /// Its name in the URL template.
    pub wire_name: String,
    /// The Rust field name.
    pub field: String,
    /// Its default value.
    pub default: String,
    /// For a variable with an `enum`: the Rust enum's name and its (variant, value) pairs.
    pub choices: Option<(String, Vec<(String, String)>)>,
    /// Its description.
    pub docs: Docs,
}
