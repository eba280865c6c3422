//! Security schemes and requirements → how the client authenticates each call.
//!
//! A requirement lists alternatives; each alternative is a set of schemes that are all sent
//! (an API key *and* a signature, say). The runtime picks, per call, the first alternative
//! whose credentials the user configured. OAuth2 and OpenID Connect come down to a bearer
//! token the user obtains (and may refresh); the client does not run the flows.

use std::collections::BTreeMap;

use openapiv3::{APIKeyLocation, ReferenceOr, SecurityRequirement, SecurityScheme as Spec};

use super::Lowerer;
use crate::diagnostic::{Diagnostic, child};
use crate::doc;
use crate::ir::{ApiKeyLocation, Requirement, SchemeKind, SecurityScheme};

impl<'a> Lowerer<'a> {
    /// The document's requirement, lowered; every scheme it names is recorded.
    pub(super) fn document_security(&mut self) -> Vec<Requirement> {
        match &self.doc.security {
            Some(requirements) => self.requirements(requirements, "/security"),
            None => Vec::new(),
        }
    }

    /// An operation's requirement, when it has its own and it differs from the document's.
    pub(super) fn operation_security(
        &mut self,
        op: &'a openapiv3::Operation,
        at: &str,
    ) -> Option<Vec<Requirement>> {
        let own = op.security.as_ref()?;
        if self.doc.security.as_ref() == Some(own) {
            return None;
        }
        Some(self.requirements(own, &child(at, "security")))
    }

    /// Lowers alternatives. An alternative that names a scheme the client cannot send is left
    /// out with a diagnostic: it could never be chosen. One that names a scheme the document
    /// never defines is an author's mistake: it is left out too, and when no alternative is
    /// left at all the call is sent without credentials, as `security: []` would say, rather
    /// than not at all.
    fn requirements(&mut self, list: &[SecurityRequirement], at: &str) -> Vec<Requirement> {
        let mut out = Vec::new();
        let mut only_undefined = true;
        for (i, requirement) in list.iter().enumerate() {
            let req_at = child(at, &i.to_string());
            let mut names: Vec<String> = Vec::new();
            let mut usable = true;
            let mut undefined = false;
            for name in requirement.keys() {
                usable &= self.scheme(name, &req_at);
                undefined |= !self.scheme_defined(name);
                names.push(name.clone());
            }
            only_undefined &= usable || undefined;
            if usable && !out.contains(&names) {
                out.push(names);
            }
        }
        if out.is_empty() && !list.is_empty() && !only_undefined {
            self.diags.push(
                Diagnostic::error(at, "none of the security alternatives can be sent")
                    .with_help(
                        "add an alternative with an API key, bearer token or basic auth scheme",
                    )
                    .unsupported(),
            );
        }
        out
    }

    fn scheme_defined(&self, name: &str) -> bool {
        self.doc
            .components
            .as_ref()
            .is_some_and(|c| c.security_schemes.contains_key(name))
    }

    /// Records the scheme `name` once; false when the client cannot send it.
    fn scheme(&mut self, name: &str, at: &str) -> bool {
        if let Some(known) = self.schemes.get(name) {
            return known.is_some();
        }
        let lowered = self.lower_scheme(name, at);
        let usable = lowered.is_some();
        self.schemes.insert(name.to_owned(), lowered);
        usable
    }

    fn lower_scheme(&mut self, name: &str, at: &str) -> Option<SecurityScheme> {
        let scheme_at = child("/components/securitySchemes", name);
        let schemes = self.doc.components.as_ref().map(|c| &c.security_schemes);
        let scheme = match schemes.and_then(|s| s.get(name)) {
            None => {
                self.diags.push(
                    Diagnostic::mistake(
                        at,
                        format!("security scheme `{name}` is not defined"),
                        "the requirements that name it are left out; a call with no other alternative is sent without credentials",
                    )
                    .with_help(format!("define it under `components.securitySchemes.{name}`")),
                );
                return None;
            }
            Some(ReferenceOr::Reference { .. }) => {
                self.diags.push(
                    Diagnostic::error(&scheme_at, "a `$ref` security scheme is not supported")
                        .with_help("define the scheme inline")
                        .unsupported(),
                );
                return None;
            }
            Some(ReferenceOr::Item(scheme)) => scheme,
        };
        let (kind, description) = match scheme {
            Spec::APIKey {
                location,
                name: param,
                description,
                ..
            } => (
                SchemeKind::ApiKey {
                    location: match location {
                        APIKeyLocation::Header => ApiKeyLocation::Header,
                        APIKeyLocation::Query => ApiKeyLocation::Query,
                        APIKeyLocation::Cookie => ApiKeyLocation::Cookie,
                    },
                    name: param.clone(),
                },
                description,
            ),
            Spec::HTTP {
                scheme,
                description,
                ..
            } if scheme.eq_ignore_ascii_case("bearer") => (SchemeKind::Bearer, description),
            Spec::HTTP {
                scheme,
                description,
                ..
            } if scheme.eq_ignore_ascii_case("basic") => (SchemeKind::Basic, description),
            Spec::HTTP { scheme, .. } => {
                self.diags.push(
                    Diagnostic::warning(
                        &scheme_at,
                        format!("HTTP authentication scheme `{scheme}` is not supported; requirements that need `{name}` are left out"),
                    )
                    .with_help("the client sends `bearer` and `basic` HTTP authentication, API keys, and OAuth2/OpenID Connect tokens"),
                );
                return None;
            }
            Spec::OAuth2 { description, .. } | Spec::OpenIDConnect { description, .. } => {
                (SchemeKind::Bearer, description)
            }
        };
        Some(SecurityScheme {
            name: name.to_owned(),
            kind,
            description: description.as_deref().map(doc::sanitize),
        })
    }

    /// The schemes that requirements named and the client can send, in name order.
    pub(super) fn used_schemes(&self) -> Vec<SecurityScheme> {
        let sorted: BTreeMap<&String, &Option<SecurityScheme>> = self.schemes.iter().collect();
        sorted.into_values().flatten().cloned().collect()
    }
}
