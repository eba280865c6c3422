//! Where a call is sent when its operation has servers of its own.

use reqwest::Method;

use super::Call;
use crate::config::Client;
use crate::path::build_url;

impl<T, E> Call<T, E> {
    /// [`Call::new`], for an operation the document sends to servers of its own: the path is
    /// put after the one named like the client's environment (`named` holds `(name, url)`
    /// pairs), else after `server`, its first, instead of the client's base URL. Unless the
    /// client's base URL was set with `.base_url(..)` or its environment variable: a proxy or
    /// a test server takes every call.
    pub fn with_server(
        client: &Client,
        server: &'static str,
        named: &[(&'static str, &'static str)],
        method: Method,
        segments: &[&str],
    ) -> Self {
        let mut call = Self::new(client, method, segments);
        if !client.inner.base_url_overridden {
            let server = client
                .inner
                .environment
                .and_then(|chosen| named.iter().find(|(name, _)| *name == chosen))
                .map_or(server, |(_, url)| url);
            call.url =
                crate::config::check_server(server).and_then(|base| build_url(&base, segments));
        }
        call
    }
}
