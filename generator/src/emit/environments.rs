//! The `Environment` enum: the document's servers as named choices on the client builder,
//! given with `Client::builder().environment(Environment::Sandbox)`. A templated server's
//! variables are the fields of its variant (an enum where the document lists the values), and
//! a constructor makes it with every variable at its default.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::tokens::{self, Ctx};
use crate::doc;
use crate::ident;
use crate::ir::{Docs, Environment, Environments, ServerVariable};

/// The enum, its `base_url`, its constructors, its `rt::NamedServer` impl and the enums of its
/// variables.
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
    let templated = envs.servers.iter().any(|s| !s.variables.is_empty());
    let copy = if templated {
        TokenStream::new()
    } else {
        quote!(Copy,)
    };
    let variants = envs.servers.iter().map(variant);
    let arms = envs.servers.iter().map(url_arm);
    let names = envs.servers.iter().map(|s| {
        let variant = format_ident!("{}", s.name);
        let name = &s.name;
        if s.variables.is_empty() {
            quote! { Self::#variant => #name, }
        } else {
            quote! { Self::#variant { .. } => #name, }
        }
    });
    let constructors = envs
        .servers
        .iter()
        .filter(|s| !s.variables.is_empty())
        .map(constructor);
    let choices = envs
        .servers
        .iter()
        .flat_map(|s| &s.variables)
        .filter_map(choice_enum);
    quote! {
        #doc_tokens
        #[derive(Debug, Clone, #copy PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum #name {
            #(#variants)*
            #[doc(hidden)]
            __NonExhaustive(rt::NonExhaustive),
        }

        impl #name {
            /// The server's base URL, with its variables filled in.
            pub fn base_url(&self) -> String {
                match self {
                    #(#arms)*
                    Self::__NonExhaustive(never) => never.unreachable(),
                }
            }
            #(#constructors)*
        }

        impl rt::NamedServer for #name {
            fn base_url(&self) -> String {
                #name::base_url(self)
            }
            fn name(&self) -> &'static str {
                match self {
                    #(#names)*
                    Self::__NonExhaustive(never) => never.unreachable(),
                }
            }
        }

        #(#choices)*
    }
}

fn field_type(v: &ServerVariable) -> TokenStream {
    match &v.choices {
        Some((type_name, _)) => {
            let t = format_ident!("{}", type_name);
            quote!(#t)
        }
        None => quote!(String),
    }
}

fn variant(s: &Environment) -> TokenStream {
    let variant = format_ident!("{}", s.name);
    let docs = tokens::docs(&s.docs);
    if s.variables.is_empty() {
        return quote! { #docs #variant, };
    }
    let fields = s.variables.iter().map(|v| {
        let field = tokens::ident(&v.field);
        let ty = field_type(v);
        let docs = tokens::docs(&v.docs);
        quote! { #docs #field: #ty, }
    });
    quote! { #docs #variant { #(#fields)* }, }
}

fn url_arm(s: &Environment) -> TokenStream {
    let variant = format_ident!("{}", s.name);
    let url = &s.url;
    if s.variables.is_empty() {
        return quote! { Self::#variant => #url.to_owned(), };
    }
    let fields: Vec<_> = s
        .variables
        .iter()
        .map(|v| tokens::ident(&v.field))
        .collect();
    let replaced = s.variables.iter().map(|v| {
        let field = tokens::ident(&v.field);
        let placeholder = format!("{{{}}}", v.wire_name);
        match &v.choices {
            // The document's own values, as written.
            Some(_) => quote! { .replace(#placeholder, #field.as_str()) },
            // The user's value, encoded unless it is the document's default.
            None => {
                let default = &v.default;
                quote! { .replace(#placeholder, &rt::server_variable(#field, #default)) }
            }
        }
    });
    quote! { Self::#variant { #(#fields),* } => #url.to_owned() #(#replaced)*, }
}

fn constructor(s: &Environment) -> TokenStream {
    let variant = format_ident!("{}", s.name);
    let function = tokens::ident(&ident::snake(&s.name));
    let defaults: Vec<String> = s
        .variables
        .iter()
        .map(|v| format!("{} {}", doc::code(&v.field), doc::code(&v.default)))
        .collect();
    let docs = tokens::docs(&Docs {
        paragraphs: vec![format!(
            "[`Self::{}`] with every variable at its default: {}.",
            s.name,
            defaults.join(", ")
        )],
    });
    let fields = s.variables.iter().map(|v| {
        let field = tokens::ident(&v.field);
        let value = match &v.choices {
            Some((type_name, _)) => {
                let t = format_ident!("{}", type_name);
                quote!(#t::default())
            }
            None => {
                let d = &v.default;
                quote!(#d.to_owned())
            }
        };
        quote! { #field: #value, }
    });
    quote! {
        #docs
        pub fn #function() -> Self {
            Self::#variant { #(#fields)* }
        }
    }
}

fn choice_enum(v: &ServerVariable) -> Option<TokenStream> {
    let (type_name, values) = v.choices.as_ref()?;
    let name = format_ident!("{}", type_name);
    let docs = tokens::docs(&Docs {
        paragraphs: vec![format!(
            "The values of the server variable {}.",
            doc::code(&v.wire_name)
        )],
    });
    let variants = values.iter().map(|(variant, value)| {
        let variant = format_ident!("{}", variant);
        let doc = tokens::docs(&Docs {
            paragraphs: vec![doc::code(value)],
        });
        let default = if *value == v.default {
            quote!(#[default])
        } else {
            TokenStream::new()
        };
        quote! { #doc #default #variant, }
    });
    let arms = values.iter().map(|(variant, value)| {
        let variant = format_ident!("{}", variant);
        quote! { Self::#variant => #value, }
    });
    Some(quote! {
        #docs
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
        #[non_exhaustive]
        pub enum #name {
            #(#variants)*
            #[doc(hidden)]
            __NonExhaustive(rt::NonExhaustive),
        }

        impl #name {
            /// The value as the URL holds it.
            pub fn as_str(&self) -> &'static str {
                match self {
                    #(#arms)*
                    Self::__NonExhaustive(never) => never.unreachable(),
                }
            }
        }
    })
}
