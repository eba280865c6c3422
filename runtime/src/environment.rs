//! The servers an API document lists, as named choices on the client builder.
//!
//! A generated client whose document lists more than one server (a sandbox beside the live
//! API) has an `Environment` enum that implements [`NamedServer`]; it is given to
//! [`ClientBuilder::environment`](crate::ClientBuilder::environment). Where a client sends its
//! requests, from the strongest choice to the weakest: `.base_url(..)`, then
//! `.environment(..)`, then the `<PREFIX>_BASE_URL` variable, then the document's first server.

/// A server of the API, chosen by name (and, for a templated server, its variables).
pub trait NamedServer {
    /// The server's base URL, without a trailing slash, with its variables filled in.
    fn base_url(&self) -> String;
}
