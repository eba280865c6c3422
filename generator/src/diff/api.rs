//! Changes to the client as a whole: the API version it pins, its server, how it
//! authenticates, the environment it reads, the shared `Error` alias and webhook events.

use std::collections::BTreeMap;

use super::renames::Renames;
use super::side::{Side, rust_type};
use super::{Aspect, Class, Found};
use crate::ir::{ApiKeyLocation, SchemeKind, TypeRef};

pub(super) fn compare(old: &Side, new: &Side, renames: &Renames, found: &mut Found) {
    let (a, b) = (old.api, new.api);
    if a.version != b.version && b.version_header.is_some() {
        found
            .push(
                Class::Review,
                Aspect::Behaviour,
                "Client::API_VERSION",
                format!(
                    "the client now pins API version `{}` (was `{}`) and the server answers by \
                     that version's contract: behaviour may change; read the API's changelog \
                     for this version",
                    b.version, a.version
                ),
            )
            .at("/info/version", "/info/version");
    } else if a.version != b.version {
        found
            .push(
                Class::Compatible,
                Aspect::Source,
                "Client::API_VERSION",
                format!(
                    "`Client::API_VERSION` is now `{}` (was `{}`); the client sends no version \
                     header, so requests do not change",
                    b.version, a.version
                ),
            )
            .at("/info/version", "/info/version");
    }
    let version_header = match (&a.version_header, &b.version_header) {
        (None, Some(now)) => Some(format!(
            "the client now sends the API version in `{now}`, and the server answers by that \
             version's contract instead of the account's default"
        )),
        (Some(was), None) => Some(format!(
            "the client no longer sends `{was}`: the server answers by the account's default \
             version"
        )),
        (Some(was), Some(now)) if was != now => Some(format!(
            "the client now sends the API version in `{now}` (was `{was}`)"
        )),
        _ => None,
    };
    if let Some(message) = version_header {
        found
            .push(Class::Review, Aspect::Behaviour, "Client", message)
            .at("/info/version", "/info/version");
    }
    if a.base_url != b.base_url {
        found
            .push(
                Class::Compatible,
                Aspect::Behaviour,
                "Client::DEFAULT_BASE_URL",
                format!(
                    "the client now calls `{}` by default (was `{}`); a base URL set with \
                     `.base_url(..)` or the environment still wins",
                    b.base_url.as_deref().unwrap_or(""),
                    a.base_url.as_deref().unwrap_or("")
                ),
            )
            .at("/servers", "/servers");
    }
    environments(a, b, found);
    if a.description != b.description {
        let (x, y) = (
            a.description.clone().unwrap_or_default(),
            b.description.clone().unwrap_or_default(),
        );
        found
            .push(
                Class::Patch,
                Aspect::Docs,
                "Client",
                "the API's description changed",
            )
            .at("/info/description", "/info/description")
            .text(x, y);
    }
    if old.env_prefix != new.env_prefix {
        found
            .push(
                Class::Breaking,
                Aspect::Behaviour,
                "Client::from_env",
                format!(
                    "the client now reads `{new}_API_KEY` and `{new}_BASE_URL` (was `{old}_*`), \
                     because the API's title changed; set the new variables, or keep the old \
                     names with `--env-prefix {old}`",
                    new = new.env_prefix,
                    old = old.env_prefix
                ),
            )
            .at("/info/title", "/info/title");
    } else if a.title != b.title {
        found
            .push(
                Class::Patch,
                Aspect::Docs,
                "Client",
                format!("the API's title is now `{}` (was `{}`)", b.title, a.title),
            )
            .at("/info/title", "/info/title");
    }
    security(old, new, found);
    error_alias(old, new, renames, found);
    webhooks(old, new, renames, found);
}

/// What a scheme asks of the user, in words.
fn credential(kind: &SchemeKind) -> &'static str {
    match kind {
        SchemeKind::ApiKey { .. } => "an API key (`.api_key(..)`)",
        SchemeKind::Bearer => "a bearer token (`.bearer_token(..)`)",
        SchemeKind::Basic => "a user name and password (`.basic_auth(..)`)",
    }
}

fn same_credential(a: &SchemeKind, b: &SchemeKind) -> bool {
    std::mem::discriminant(a) == std::mem::discriminant(b)
}

fn placement(location: ApiKeyLocation, name: &str) -> String {
    let place = match location {
        ApiKeyLocation::Header => "header",
        ApiKeyLocation::Query => "query parameter",
        ApiKeyLocation::Cookie => "cookie",
    };
    format!("the `{name}` {place}")
}

/// Security schemes, matched by name, else by the kind of credential they take. The builder's
/// credential methods exist for every kind, so these changes compile either way: what matters
/// is whether the credentials a user configured are still the ones sent.
fn security(old: &Side, new: &Side, found: &mut Found) {
    let (a, b) = (&old.api.security_schemes, &new.api.security_schemes);
    // Matched by name; one scheme gone and one new is the same scheme renamed.
    let gone: Vec<&crate::ir::SecurityScheme> = a
        .iter()
        .filter(|s| !b.iter().any(|t| t.name == s.name))
        .collect();
    let added: Vec<&crate::ir::SecurityScheme> = b
        .iter()
        .filter(|t| !a.iter().any(|s| s.name == t.name))
        .collect();
    let mut paired = Vec::new();
    for s in a {
        let partner = b
            .iter()
            .find(|t| t.name == s.name)
            .or(match (&gone[..], &added[..]) {
                ([_], [t]) => Some(*t),
                _ => None,
            });
        let Some(t) = partner else {
            let still_taken = b.iter().any(|t| same_credential(&t.kind, &s.kind));
            if !still_taken {
                found
                    .push(
                        Class::Breaking,
                        Aspect::Behaviour,
                        "ClientBuilder",
                        format!(
                            "the API no longer takes {} (scheme `{}`): configure {} instead",
                            credential(&s.kind),
                            s.name,
                            b.first()
                                .map(|t| credential(&t.kind))
                                .unwrap_or("no credentials")
                        ),
                    )
                    .was(old.scheme_at(&s.name));
            } else {
                found
                    .push(
                        Class::Compatible,
                        Aspect::Behaviour,
                        "ClientBuilder",
                        format!("security scheme `{}` removed", s.name),
                    )
                    .was(old.scheme_at(&s.name));
            }
            continue;
        };
        paired.push(t.name.clone());
        let (was, now) = (old.scheme_at(&s.name), new.scheme_at(&t.name));
        if s.name != t.name {
            found
                .push(
                    Class::Review,
                    Aspect::Behaviour,
                    "ClientBuilder::credential",
                    format!(
                        "security scheme `{}` is now called `{}`: a credential given with \
                         `.credential(\"{}\", ..)` no longer applies",
                        s.name, t.name, s.name
                    ),
                )
                .at(&was, &now);
        }
        match (&s.kind, &t.kind) {
            (
                SchemeKind::ApiKey {
                    location: l1,
                    name: n1,
                },
                SchemeKind::ApiKey {
                    location: l2,
                    name: n2,
                },
            ) if (l1, n1) != (l2, n2) => {
                found
                    .push(
                        Class::Compatible,
                        Aspect::Behaviour,
                        "ClientBuilder::api_key",
                        format!(
                            "the client now sends the API key in {} (was {}); builds before \
                             this change send it where a server on the new contract no longer \
                             looks, and get 401",
                            placement(*l2, n2),
                            placement(*l1, n1)
                        ),
                    )
                    .at(&was, &now);
            }
            (x, y) if !same_credential(x, y) => {
                found
                    .push(
                        Class::Breaking,
                        Aspect::Behaviour,
                        "ClientBuilder",
                        format!(
                            "scheme `{}` now takes {} instead of {}: credentials configured \
                             the old way are no longer sent",
                            t.name,
                            credential(y),
                            credential(x)
                        ),
                    )
                    .at(&was, &now);
            }
            _ => {}
        }
    }
    for t in b.iter().filter(|t| !paired.contains(&t.name)) {
        found
            .push(
                Class::Compatible,
                Aspect::Behaviour,
                "ClientBuilder",
                format!(
                    "security scheme `{}` added: the API also takes {}",
                    t.name,
                    credential(&t.kind)
                ),
            )
            .now(new.scheme_at(&t.name));
    }
    if old.api.security != new.api.security {
        found
            .push(
                Class::Compatible,
                Aspect::Behaviour,
                "ClientBuilder",
                format!(
                    "the document's security requirement is now {} (was {})",
                    requirement(&new.api.security),
                    requirement(&old.api.security)
                ),
            )
            .at("/security", "/security");
    }
}

/// `ApiKeyAuth`, `A + B`, `A or B`, `none`.
pub(super) fn requirement(alternatives: &[crate::ir::Requirement]) -> String {
    if alternatives.is_empty() {
        return "none".to_owned();
    }
    alternatives
        .iter()
        .map(|all| {
            if all.is_empty() {
                "no authentication".to_owned()
            } else {
                all.join(" + ")
            }
        })
        .collect::<Vec<_>>()
        .join(" or ")
}

/// The type `pub type Error = rt::Error<T>` names: present when every operation fails with
/// the same error body (see `emit/client.rs`).
fn error_alias(old: &Side, new: &Side, renames: &Renames, found: &mut Found) {
    let (a, b) = (old.api.shared_error_type(), new.api.shared_error_type());
    let shown = |t: &Option<TypeRef>| match t {
        Some(TypeRef::Named(n)) => n.clone(),
        Some(other) => rust_type(other),
        None => String::new(),
    };
    match (&a, &b) {
        (Some(x), None) => {
            found.push(
                Class::Breaking,
                Aspect::Source,
                "Error",
                format!(
                    "the `Error` alias (`rt::Error<{}>`) is gone: operations no longer share \
                     one error body; name each operation's `rt::Error<..>` instead",
                    shown(&Some(x.clone()))
                ),
            );
        }
        (None, Some(y)) => {
            found.push(
                Class::Compatible,
                Aspect::Source,
                "Error",
                format!(
                    "the `Error` alias (`rt::Error<{}>`) added: every operation now fails with \
                     the same error body",
                    shown(&Some(y.clone()))
                ),
            );
        }
        (Some(x), Some(y)) if !renames.same(old, new, x, y) => {
            found.push(
                Class::Breaking,
                Aspect::Source,
                "Error",
                format!(
                    "the `Error` alias now names `rt::Error<{}>` (was `rt::Error<{}>`)",
                    shown(&b),
                    shown(&a)
                ),
            );
        }
        _ => {}
    }
}

/// Webhook events: a removed variant breaks a `match` on it; a new one is compatible (an older
/// client decodes it as `Unknown`). Their body types are compared as types.
fn webhooks(old: &Side, new: &Side, renames: &Renames, found: &mut Found) {
    let (Some(a), Some(b)) = (&old.api.webhooks, &new.api.webhooks) else {
        match (&old.api.webhooks, &new.api.webhooks) {
            (Some(a), None) => {
                found.push(
                    Class::Breaking,
                    Aspect::Source,
                    a.name.clone(),
                    "the webhook event enum is gone: the spec no longer declares webhooks",
                );
            }
            (None, Some(b)) => {
                found.push(
                    Class::Compatible,
                    Aspect::Source,
                    b.name.clone(),
                    "webhook events added: the spec now declares the events it sends",
                );
            }
            _ => {}
        }
        return;
    };
    if a.name != b.name {
        found.push(
            Class::Breaking,
            Aspect::Source,
            a.name.clone(),
            format!("the webhook event enum is now called `{}`", b.name),
        );
    }
    match (&a.signature_header, &b.signature_header) {
        (Some(_), None) => {
            found.push(
                Class::Breaking,
                Aspect::Source,
                format!("{}::verify_and_parse", b.name),
                "removed: the spec no longer says how events are signed",
            );
        }
        (None, Some(h)) => {
            found.push(
                Class::Compatible,
                Aspect::Source,
                format!("{}::verify_and_parse", b.name),
                format!("added: events are signed in the `{h}` header"),
            );
        }
        (Some(x), Some(y)) if x != y => {
            found.push(
                Class::Compatible,
                Aspect::Behaviour,
                format!("{}::SIGNATURE_HEADER", b.name),
                format!("the signature is now read from `{y}` (was `{x}`)"),
            );
        }
        _ => {}
    }
    let before: BTreeMap<&str, &crate::ir::WebhookEvent> =
        a.events.iter().map(|e| (e.event.as_str(), e)).collect();
    let after: BTreeMap<&str, &crate::ir::WebhookEvent> =
        b.events.iter().map(|e| (e.event.as_str(), e)).collect();
    for (event, e) in &before {
        let subject = format!("{}::{}", a.name, e.name);
        match after.get(event) {
            None => {
                found
                    .push(
                        Class::Breaking,
                        Aspect::Source,
                        subject,
                        format!("webhook event `{event}` removed"),
                    )
                    .was(old.webhook_at(event));
            }
            Some(f) => {
                let (was, now) = (old.webhook_at(event), new.webhook_at(event));
                if f.name != e.name {
                    found
                        .push(
                            Class::Breaking,
                            Aspect::Source,
                            subject.clone(),
                            format!("webhook event `{event}` is now the variant `{}`", f.name),
                        )
                        .at(&was, &now);
                }
                if !renames.same(old, new, &e.ty, &f.ty) {
                    found
                        .push(
                            Class::Breaking,
                            Aspect::Source,
                            subject,
                            format!(
                                "webhook event `{event}` now carries `{}` (was `{}`)",
                                rust_type(&new.canon(&f.ty)),
                                rust_type(&renames.in_new_names(old, &e.ty))
                            ),
                        )
                        .at(&was, &now);
                }
            }
        }
    }
    for (event, e) in after.iter().filter(|(e, _)| !before.contains_key(*e)) {
        found
            .push(
                Class::Compatible,
                Aspect::Source,
                format!("{}::{}", b.name, e.name),
                format!(
                    "webhook event `{event}` added; older clients decode it as `{}::Unknown`",
                    b.name
                ),
            )
            .now(new.webhook_at(event));
    }
}

/// The named servers: one gone breaks code that names it, one added is new, one moved to
/// another URL sends its users' requests elsewhere.
fn environments(a: &crate::ir::Api, b: &crate::ir::Api, found: &mut Found) {
    let servers = |api: &crate::ir::Api| {
        api.environments
            .as_ref()
            .map(|e| (e.type_name.clone(), e.servers.clone()))
            .unwrap_or_default()
    };
    let ((old_type, old), (new_type, new)) = (servers(a), servers(b));
    for was in &old {
        let subject = format!("{old_type}::{}", was.name);
        match new
            .iter()
            .find(|s| s.name == was.name && new_type == old_type)
        {
            None => {
                found
                    .push(
                        Class::Breaking,
                        Aspect::Source,
                        subject,
                        format!("the environment is gone (it was `{}`)", was.url),
                    )
                    .at("/servers", "/servers");
            }
            Some(now) if now.url != was.url || now.variables != was.variables => {
                found
                    .push(
                        Class::Review,
                        Aspect::Behaviour,
                        subject,
                        format!("now calls `{}` (was `{}`)", now.url, was.url),
                    )
                    .at("/servers", "/servers");
            }
            Some(_) => {}
        }
    }
    for now in &new {
        if !old
            .iter()
            .any(|s| s.name == now.name && new_type == old_type)
        {
            found
                .push(
                    Class::Compatible,
                    Aspect::Source,
                    format!("{new_type}::{}", now.name),
                    format!("a new environment, `{}`", now.url),
                )
                .at("/servers", "/servers");
        }
    }
}
