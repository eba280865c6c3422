//! "diff lists every change": each item of the generated client that differs between two
//! versions must be named by a change of the report.
//!
//! Items are keyed as users name them: a type (`Payment`, with its trait impls), or a member
//! of an inherent impl (`Client::charge_payment`, `Client::API_VERSION`). A change covers a key
//! when its subject is the key, a member of it or its owner, or its message names the key.
//! The client's own docs, builder and private defaults summarise the API-wide settings
//! (version, server, authentication, environment), so any change to `Client…` covers them.

use std::collections::BTreeMap;

use commet_codegen::diff::Report;
use quote::ToTokens;

/// Item key → the item's tokens (a type's trait impls appended to it).
pub fn items(code: &str) -> BTreeMap<String, String> {
    let file = syn::parse_file(code).expect("generated code parses");
    let mut out: BTreeMap<String, String> = BTreeMap::new();
    let mut add = |key: String, item: &dyn ToTokens| {
        out.entry(key)
            .or_default()
            .push_str(&item.to_token_stream().to_string());
    };
    for item in &file.items {
        match item {
            syn::Item::Struct(s) => add(s.ident.to_string(), s),
            syn::Item::Enum(e) => add(e.ident.to_string(), e),
            syn::Item::Type(t) => add(t.ident.to_string(), t),
            syn::Item::Impl(i) => {
                let owner = match &*i.self_ty {
                    syn::Type::Path(p) => p
                        .path
                        .segments
                        .last()
                        .map(|s| s.ident.to_string())
                        .unwrap_or_default(),
                    other => other.to_token_stream().to_string(),
                };
                if i.trait_.is_some() {
                    add(owner, i);
                    continue;
                }
                for member in &i.items {
                    let name = match member {
                        syn::ImplItem::Fn(f) => f.sig.ident.to_string(),
                        syn::ImplItem::Const(c) => c.ident.to_string(),
                        other => other.to_token_stream().to_string(),
                    };
                    add(format!("{owner}::{name}"), member);
                }
            }
            syn::Item::Macro(m) => add(m.mac.tokens.to_string(), m),
            other => add("use".to_owned(), other),
        }
    }
    out
}

fn covers(subject: &str, message: &str, key: &str) -> bool {
    let client_wide = [
        "Client",
        "Client::DEFAULTS",
        "Client::builder",
        "Client::from_env",
    ];
    let owner = |path: &str| path.split("::").next().unwrap_or_default().to_owned();
    subject == key
        // A type's own methods follow its members (`as_str` follows the values); the
        // client's methods are each an operation of their own.
        || (owner(subject) == owner(key) && owner(key) != "Client")
        || subject.starts_with(&format!("{key}::"))
        || key.starts_with(&format!("{subject}::"))
        || message.contains(&format!("`{key}`"))
        || (subject.starts_with("Client") && client_wide.contains(&key))
        // Re-exports follow what the operations use.
        || key == "use"
}

/// The keys of items that differ between `old` and `new` and that no change names.
pub fn uncovered(old: &str, new: &str, report: &Report) -> Vec<String> {
    let (a, b) = (items(old), items(new));
    let mut keys: Vec<&String> = a.keys().chain(b.keys()).collect();
    keys.sort();
    keys.dedup();
    keys.into_iter()
        .filter(|k| a.get(*k) != b.get(*k))
        .filter(|k| {
            !report
                .changes
                .iter()
                .any(|c| covers(&c.subject, &c.message, k))
        })
        .cloned()
        .collect()
}
