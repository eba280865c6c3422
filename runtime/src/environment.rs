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

    /// The server's name (`"Sandbox"`, `"Live"`): an operation with servers of its own is sent
    /// to its server of that name, when it has one.
    fn name(&self) -> &'static str;
}

/// A server variable's value as the base URL holds it.
///
/// The document's own default is used as written: an author may template a whole path piece
/// with it (`{basePath}` defaulting to `/api/v2`). Any other value is the user's, and is
/// percent-encoded as one URL component (only RFC 3986's unreserved characters are kept, as in
/// a path segment), so it can never move the request to another host or path: a prefix of
/// `evil.test/x` becomes `evil.test%2Fx`, which no URL parser takes for part of a host, and the
/// client refuses to build.
pub fn server_variable<'a>(value: &'a str, default: &str) -> std::borrow::Cow<'a, str> {
    if value == default {
        value.into()
    } else {
        crate::path::encode_segment(value).into()
    }
}

#[cfg(test)]
mod tests {
    use super::server_variable;

    #[test]
    fn the_default_is_kept_as_written_and_any_other_value_is_one_component() {
        assert_eq!(server_variable("/api/v2", "/api/v2"), "/api/v2");
        assert_eq!(server_variable("acme-eu", "acme"), "acme-eu");
        assert_eq!(server_variable("evil.test/x", "acme"), "evil.test%2Fx");
        assert_eq!(server_variable("me@evil.test", "acme"), "me%40evil.test");
        assert_eq!(server_variable("a b?c#d", "acme"), "a%20b%3Fc%23d");
    }
}
