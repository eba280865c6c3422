//! Security schemes → how the client authenticates.

use openapiv3::{APIKeyLocation, ReferenceOr, SecurityScheme};

use super::Lowerer;
use crate::diagnostic::{Diagnostic, child};
use crate::ir::Auth;

impl Lowerer<'_> {
    /// The authentication of the global security requirement. The first requirement the client
    /// can satisfy wins; a requirement it cannot satisfy is an error, since every call would fail.
    pub(super) fn auth(&mut self) -> Option<Auth> {
        let doc = self.doc;
        // Without a global requirement, the operations' own requirements decide: a client that
        // silently sent no key to operations that need one would fail on every call.
        let requirements: Vec<(String, &openapiv3::SecurityRequirement)> = match &doc.security {
            Some(global) => global
                .iter()
                .enumerate()
                .map(|(i, r)| (child("/security", &i.to_string()), r))
                .collect(),
            None => doc
                .paths
                .iter()
                .filter_map(|(path, item)| item.as_item().map(|item| (path, item)))
                .flat_map(|(path, item)| {
                    item.iter().flat_map(move |(method, op)| {
                        let at = child(&child(&child("/paths", path), method), "security");
                        op.security
                            .iter()
                            .flatten()
                            .enumerate()
                            .map(move |(i, r)| (child(&at, &i.to_string()), r))
                    })
                })
                .collect(),
        };
        let schemes = doc.components.as_ref().map(|c| &c.security_schemes);
        let mut problems = Vec::new();
        for (at, requirement) in requirements {
            if requirement.is_empty() {
                // `{}` means "no authentication is also fine".
                continue;
            }
            if requirement.len() > 1 {
                problems.push(
                    Diagnostic::error(
                        &at,
                        "a requirement that combines several schemes is not supported",
                    )
                    .with_help("list the schemes as alternatives (separate requirements) instead"),
                );
                continue;
            }
            let Some(name) = requirement.keys().next() else {
                continue;
            };
            let scheme_at = child("/components/securitySchemes", name);
            match schemes.and_then(|s| s.get(name)) {
                None => problems.push(
                    Diagnostic::error(&at, format!("security scheme `{name}` is not defined"))
                        .with_help(format!("define it under `components.securitySchemes.{name}`")),
                ),
                Some(ReferenceOr::Reference { .. }) => problems.push(
                    Diagnostic::error(&scheme_at, "a `$ref` security scheme is not supported")
                        .with_help("define the scheme inline"),
                ),
                Some(ReferenceOr::Item(scheme)) => match scheme {
                    SecurityScheme::APIKey {
                        location: APIKeyLocation::Header,
                        name: header,
                        ..
                    } => {
                        return Some(Auth::ApiKeyHeader {
                            header: header.clone(),
                        });
                    }
                    _ => problems.push(
                        Diagnostic::error(
                            &scheme_at,
                            format!("security scheme `{name}` is not supported"),
                        )
                        .with_help("the client authenticates with an API key in a header (`type: apiKey`, `in: header`)"),
                    ),
                },
            }
        }
        self.diags.extend(problems);
        None
    }
}
