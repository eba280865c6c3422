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
        let requirements = doc.security.as_ref()?;
        let schemes = doc.components.as_ref().map(|c| &c.security_schemes);
        let mut problems = Vec::new();
        for (i, requirement) in requirements.iter().enumerate() {
            let at = child("/security", &i.to_string());
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
