//! The document's servers as named environments (`Environment::Sandbox`, `Environment::Live`),
//! when it lists more than one. The first stays `DEFAULT_BASE_URL`.
//!
//! A server is named by the first word of its description, then of its URL, that says what it
//! is: `sandbox`, `test`, `staging`, `development`, `mock`, or `live`/`production`/`prod` (all
//! `Live`, the name payments teams use). Without one it is named from its description, else
//! `Server1`, `Server2`, ... by position; a name taken twice is numbered.

use super::Lowerer;
use crate::diagnostic::{Diagnostic, child};
use crate::doc;
use crate::ident::{self, Scope};
use crate::ir::{Docs, Environment, Environments, ServerVariable};

/// Words that name an environment, and the variant each gives.
const KNOWN: &[(&[&str], &str)] = &[
    (&["sandbox"], "Sandbox"),
    (&["test", "testing"], "Test"),
    (&["staging", "stage"], "Staging"),
    (&["dev", "development"], "Development"),
    (&["mock"], "Mock"),
    (&["live", "production", "prod"], "Live"),
];

/// The variant a text names, by its first known word.
fn known_name(text: &str) -> Option<&'static str> {
    let lower = text.to_lowercase();
    lower
        .split(|c: char| !c.is_ascii_alphanumeric())
        .find_map(|word| {
            KNOWN
                .iter()
                .find(|(words, _)| words.contains(&word))
                .map(|(_, name)| *name)
        })
}

/// The host of a URL without its last label: `.test` or `.dev` says nothing of the server.
fn host_without_tld(url: &str) -> &str {
    let host = url.split_once("://").map_or(url, |(_, rest)| rest);
    let host = host.split(['/', ':']).next().unwrap_or(host);
    host.rsplit_once('.').map_or(host, |(rest, _)| rest)
}

/// A server's URL with each `{variable}` at its default.
fn with_defaults(server: &openapiv3::Server) -> String {
    let mut url = server.url.clone();
    if let Some(variables) = &server.variables {
        for (name, variable) in variables {
            url = url.replace(&format!("{{{name}}}"), &variable.default);
        }
    }
    url.trim_end_matches('/').to_owned()
}

/// The name a server's description or URL gives it, without the numbering of a name taken
/// twice or the positional fallback: what an operation's server and a document's server are
/// matched by.
fn candidate_name(description: &str, url: &str) -> Option<String> {
    known_name(description)
        .or_else(|| known_name(host_without_tld(url)))
        .map(str::to_owned)
        .or_else(|| {
            let words: Vec<&str> = description.split_whitespace().take(3).collect();
            let name = ident::type_name(&words.join(" "));
            (!words.is_empty() && name.chars().next().is_some_and(char::is_alphabetic))
                .then_some(name)
        })
}

/// An operation's own servers: the first, and those named like the document's environments.
pub(super) struct OwnServers {
    pub(super) first: String,
    pub(super) by_environment: Vec<(String, String)>,
}

impl Lowerer<'_> {
    /// The servers of the operation, else of its path, when the document gives some: the
    /// operation is sent to the first instead of the client's base URL, or to the one named
    /// like the client's environment.
    pub(super) fn own_server(
        &mut self,
        item: &openapiv3::PathItem,
        op: &openapiv3::Operation,
        at: &str,
    ) -> Option<OwnServers> {
        let path_at = at.rsplit_once('/').map_or(at, |(p, _)| p).to_owned();
        let (servers, servers_at) = if !op.servers.is_empty() {
            (&op.servers, child(at, "servers"))
        } else if !item.servers.is_empty() {
            (&item.servers, child(&path_at, "servers"))
        } else {
            return None;
        };
        let mut urls = Vec::new();
        for (i, server) in servers.iter().enumerate() {
            let url = with_defaults(server);
            if !(url.starts_with("http://") || url.starts_with("https://")) || url.contains('{') {
                let what = if i == 0 {
                    "the operation is sent to the client's base URL"
                } else {
                    "it is not offered for the operation"
                };
                self.diags.push(
                    Diagnostic::warning(
                        child(&child(&servers_at, &i.to_string()), "url"),
                        format!("server URL `{url}` is not an absolute URL; {what}"),
                    )
                    .with_help(
                        "give the server an absolute http(s) URL, with a default for each variable",
                    ),
                );
                if i == 0 {
                    return None;
                }
                continue;
            }
            urls.push((
                candidate_name(server.description.as_deref().unwrap_or(""), &url),
                url,
            ));
        }
        let first = urls.first()?.1.clone();
        // Only names the document's own servers have: an operation's name that no environment
        // has could never be chosen. The first of a name wins.
        let environments: Vec<String> = self
            .doc
            .servers
            .iter()
            .filter_map(|s| {
                candidate_name(s.description.as_deref().unwrap_or(""), &with_defaults(s))
            })
            .collect();
        let mut by_environment: Vec<(String, String)> = Vec::new();
        for (name, url) in urls {
            if let Some(name) = name
                && environments.contains(&name)
                && !by_environment.iter().any(|(n, _)| *n == name)
            {
                by_environment.push((name, url));
            }
        }
        Some(OwnServers {
            first,
            by_environment: if self.doc.servers.len() >= 2 {
                by_environment
            } else {
                Vec::new()
            },
        })
    }

    /// A server's variables as typed fields of its variant `name`; `None` (with a warning)
    /// when one has a default its own `enum` doesn't allow.
    fn server_variables(
        &mut self,
        server: &openapiv3::Server,
        name: &str,
        at: &str,
    ) -> Option<Vec<ServerVariable>> {
        let Some(variables) = &server.variables else {
            return Some(Vec::new());
        };
        let mut fields = Scope::with_reserved([]);
        let mut out = Vec::new();
        for (wire_name, variable) in variables {
            if !server.url.contains(&format!("{{{wire_name}}}")) {
                continue;
            }
            let var_at = child(&child(at, "variables"), wire_name);
            if !variable.enumeration.is_empty() && !variable.enumeration.contains(&variable.default)
            {
                self.diags.push(
                    Diagnostic::warning(
                        child(&var_at, "default"),
                        format!("the default `{}` of server variable `{wire_name}` is not one of its values; the server is not offered as an environment", variable.default),
                    )
                    .with_help("make the default one of the `enum` values"),
                );
                return None;
            }
            let field = fields.claim(ident::snake(wire_name));
            let choices = (!variable.enumeration.is_empty()).then(|| {
                let type_name = self
                    .type_scope
                    .claim(format!("{name}{}", ident::type_name(wire_name)));
                let mut variants = Scope::with_reserved([]);
                let values = variable
                    .enumeration
                    .iter()
                    .map(|v| (variants.claim(ident::type_name(v)), v.clone()))
                    .collect();
                (type_name, values)
            });
            let mut docs = Docs::default();
            if let Some(d) = &variable.description {
                docs.push(doc::sanitize(d));
            }
            docs.push(format!("Default: {}.", doc::code(&variable.default)));
            if choices.is_none() {
                // Why: a user's value must not be able to move requests to another host.
                docs.push(
                    "Any other value is percent-encoded as one piece of the URL: for a URL of \
                     another shape, give `.base_url(..)`.",
                );
            }
            out.push(ServerVariable {
                wire_name: wire_name.clone(),
                field,
                default: variable.default.clone(),
                choices,
                docs,
            });
        }
        Some(out)
    }

    /// Every server as a named environment, when there are two or more.
    pub(super) fn environments(&mut self) -> Option<Environments> {
        let servers = &self.doc.servers;
        if servers.len() < 2 {
            return None;
        }
        let mut names = Scope::with_reserved([]);
        let mut out = Vec::new();
        for (i, server) in servers.iter().enumerate() {
            let url = with_defaults(server);
            let at = child("/servers", &i.to_string());
            if !(url.starts_with("http://") || url.starts_with("https://")) || url.contains('{') {
                self.diags.push(
                    Diagnostic::warning(
                        child(&at, "url"),
                        format!("server URL `{url}` is not an absolute URL; it is not offered as an environment"),
                    )
                    .with_help("give the server an absolute http(s) URL, with a default for each variable"),
                );
                continue;
            }
            let description = server.description.as_deref().unwrap_or("");
            let candidate =
                candidate_name(description, &url).unwrap_or_else(|| format!("Server{}", i + 1));
            let mut docs = Docs::default();
            docs.push(doc::sanitize(description));
            let template = server.url.trim_end_matches('/');
            let shown = if template == url {
                doc::code(&url)
            } else {
                format!("{}, by default {}", doc::code(template), doc::code(&url))
            };
            docs.push(format!(
                "{shown}{}",
                if i == 0 { " (the default)." } else { "." }
            ));
            let name = names.claim(candidate);
            let Some(variables) = self.server_variables(server, &name, &at) else {
                continue;
            };
            out.push(Environment {
                url: if variables.is_empty() {
                    url
                } else {
                    server.url.trim_end_matches('/').to_owned()
                },
                name,
                docs,
                variables,
            });
        }
        (out.len() >= 2).then(|| Environments {
            type_name: self.type_scope.claim("Environment".to_owned()),
            servers: out,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_come_from_descriptions_then_urls() {
        assert_eq!(known_name("PayPal Sandbox Environment"), Some("Sandbox"));
        assert_eq!(known_name("PayPal Live Environment"), Some("Live"));
        assert_eq!(known_name("Production server"), Some("Live"));
        assert_eq!(
            known_name("https://api-sandbox.dwolla.com"),
            Some("Sandbox")
        );
        assert_eq!(
            known_name("https://checkout-test.adyen.com/v72"),
            Some("Test")
        );
        assert_eq!(known_name("https://api.example.com"), None);
        assert_eq!(known_name("Protest"), None, "whole words only");
    }
}
