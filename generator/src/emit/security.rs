//! Security schemes and requirements as the runtime's constants, and the docs that tell a
//! user which credentials to configure.

use proc_macro2::TokenStream;
use quote::quote;

use super::tokens::Ctx;
use crate::ir::{Api, ApiKeyLocation, Requirement, SchemeKind};

/// `&[rt::Scheme { .. }, ..]` for `ClientDefaults::schemes`.
pub fn schemes(api: &Api) -> TokenStream {
    let schemes = api.security_schemes.iter().map(|s| {
        let name = &s.name;
        let kind = match &s.kind {
            SchemeKind::ApiKey { location, name } => {
                let location = match location {
                    ApiKeyLocation::Header => quote!(Header),
                    ApiKeyLocation::Query => quote!(Query),
                    ApiKeyLocation::Cookie => quote!(Cookie),
                };
                quote!(rt::SchemeKind::ApiKey { location: rt::ApiKeyLocation::#location, name: #name })
            }
            SchemeKind::Bearer => quote!(rt::SchemeKind::Bearer),
            SchemeKind::Basic => quote!(rt::SchemeKind::Basic),
        };
        quote!(rt::Scheme { name: #name, kind: #kind })
    });
    quote!(&[#(#schemes),*])
}

/// `&[&["A", "B"], &[]]`: alternatives, each the schemes sent together.
pub fn requirements(requirements: &[Requirement]) -> TokenStream {
    let alternatives = requirements.iter().map(|names| quote!(&[#(#names),*]));
    quote!(&[#(#alternatives),*])
}

/// True when no operation can be called without credentials: then a client built without
/// any is an error at once, not a 401 later.
pub fn credentials_required(api: &Api) -> bool {
    !api.operations.is_empty()
        && api.operations.iter().all(|op| {
            let effective = op.security.as_ref().unwrap_or(&api.security);
            !effective.is_empty() && effective.iter().all(|alt| !alt.is_empty())
        })
}

/// The environment variables a client reads for its credentials.
pub struct Env {
    pub api_key: String,
    pub bearer_token: String,
    pub username: String,
    pub password: String,
}

impl Env {
    pub fn new(prefix: &str) -> Self {
        Self {
            api_key: format!("{prefix}_API_KEY"),
            bearer_token: format!("{prefix}_BEARER_TOKEN"),
            username: format!("{prefix}_USERNAME"),
            password: format!("{prefix}_PASSWORD"),
        }
    }
}

/// What the client docs say about credentials: one line per kind of scheme the API uses.
pub fn credentials_doc(ctx: &Ctx, env: &Env) -> Option<String> {
    let api = ctx.api;
    let uses = |pred: fn(&SchemeKind) -> bool| api.security_schemes.iter().any(|s| pred(&s.kind));
    let mut lines = Vec::new();
    let api_keys: Vec<String> = api
        .security_schemes
        .iter()
        .filter_map(|s| match &s.kind {
            SchemeKind::ApiKey { location, name } => Some(format!(
                "{} {}",
                crate::doc::code(name),
                match location {
                    ApiKeyLocation::Header => "header",
                    ApiKeyLocation::Query => "query parameter",
                    ApiKeyLocation::Cookie => "cookie",
                }
            )),
            _ => None,
        })
        .collect();
    if !api_keys.is_empty() {
        lines.push(format!(
            "- an API key (`.api_key(..)` on the builder, or `{}`), sent as the {}",
            env.api_key,
            api_keys.join(", ")
        ));
    }
    if uses(|k| matches!(k, SchemeKind::Bearer)) {
        lines.push(format!(
            "- a bearer token (`.bearer_token(..)`, `.token_provider(..)` for one you refresh, or `{}`)",
            env.bearer_token
        ));
    }
    if uses(|k| matches!(k, SchemeKind::Basic)) {
        lines.push(format!(
            "- a user name and password (`.basic_auth(..)`, or `{}` and `{}`)",
            env.username, env.password
        ));
    }
    if lines.is_empty() {
        return None;
    }
    let mut notes = String::new();
    if api.security_schemes.len() > 1 {
        notes.push_str(
            " Each call sends the first combination of credentials its operation accepts that you configured.",
        );
    }
    if api_keys.len() > 1 {
        notes.push_str(
            " Where the API keys differ, give each scheme its own with `.credential(\"scheme\", rt::Credential::ApiKey(..))`; that wins over `.api_key(..)`.",
        );
    }
    Some(format!(
        "It authenticates with:\n\n{}\n\nCredentials never appear in `Debug` output or errors.{notes}",
        lines.join("\n")
    ))
}

/// The environment variables the client reads for credentials, for the builder's docs.
pub fn env_list(api: &Api, env: &Env) -> Option<String> {
    let uses = |pred: fn(&SchemeKind) -> bool| api.security_schemes.iter().any(|s| pred(&s.kind));
    let mut vars = Vec::new();
    if uses(|k| matches!(k, SchemeKind::ApiKey { .. })) {
        vars.push(format!("`{}`", env.api_key));
    }
    if uses(|k| matches!(k, SchemeKind::Bearer)) {
        vars.push(format!("`{}`", env.bearer_token));
    }
    if uses(|k| matches!(k, SchemeKind::Basic)) {
        vars.push(format!("`{}` and `{}`", env.username, env.password));
    }
    (!vars.is_empty()).then(|| vars.join(", "))
}
