//! The `Environment` enum: the document's servers as named choices on the client builder,
//! given with `Client::builder().environment(Environment::Sandbox)`.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::tokens::{self, Ctx};
use crate::ir::{Docs, Environments};

/// The enum, its `base_url`, and its `rt::NamedServer` impl.
pub(super) fn environments(ctx: &Ctx, envs: &Environments) -> TokenStream {
    let name = format_ident!("{}", envs.type_name);
    let env_var = format!("{}_BASE_URL", ctx.options.env_prefix);
    let mut docs = Docs::default();
    docs.push("The servers the API document lists, by name.");
    docs.push(format!(
        "Given with `Client::builder().environment({}::{})`. Where the client sends its \
         requests, from the strongest choice to the weakest: `.base_url(..)`, then \
         `.environment(..)`, then the `{env_var}` environment variable, then the first server \
         ([`Client::DEFAULT_BASE_URL`]).",
        envs.type_name,
        envs.servers.first().map_or("", |s| s.name.as_str()),
    ));
    let doc_tokens = tokens::docs(&docs);
    let variants = envs.servers.iter().map(|s| {
        let variant = format_ident!("{}", s.name);
        let docs = tokens::docs(&s.docs);
        quote! { #docs #variant, }
    });
    let arms = envs.servers.iter().map(|s| {
        let variant = format_ident!("{}", s.name);
        let url = &s.url;
        quote! { Self::#variant => #url, }
    });
    quote! {
        #doc_tokens
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum #name {
            #(#variants)*
            #[doc(hidden)]
            __NonExhaustive(rt::NonExhaustive),
        }

        impl #name {
            /// The server's base URL.
            pub fn base_url(&self) -> &'static str {
                match self {
                    #(#arms)*
                    Self::__NonExhaustive(never) => never.unreachable(),
                }
            }
        }

        impl rt::NamedServer for #name {
            fn base_url(&self) -> &'static str {
                #name::base_url(self)
            }
        }
    }
}
