//! Request bodies: the argument each kind takes, the call that attaches it, and the type of
//! a multipart body.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::method::{Step, to_text};
use super::tokens::{self, ident};
use crate::doc;
use crate::ir::{Body, BodyContent, ParamStyle, Part, PartKind, TypeDef, TypeRef};

/// The method argument for a body.
pub fn argument(body: &Body) -> TokenStream {
    let by_value = |t: TokenStream| {
        if body.required {
            quote!(body: #t)
        } else {
            quote!(body: Option<#t>)
        }
    };
    match body.content {
        BodyContent::Json | BodyContent::Form(_) => {
            // A slice accepts more callers than `&Vec<T>` and serializes the same.
            let t = match &body.ty {
                TypeRef::Vec(item) => {
                    let item = tokens::ty(item);
                    quote!([#item])
                }
                // `&str` takes a literal too, and serializes as the same JSON string.
                TypeRef::String => quote!(str),
                other => tokens::ty(other),
            };
            by_value(quote!(&#t))
        }
        // It owns its files, which may be streams.
        BodyContent::Multipart => by_value(tokens::ty(&body.ty)),
        BodyContent::Binary if body.required => quote!(body: impl Into<rt::Upload>),
        BodyContent::Binary => quote!(body: Option<rt::Upload>),
        BodyContent::Text if body.required => quote!(body: impl Into<String>),
        BodyContent::Text => quote!(body: Option<String>),
    }
}

/// The step that attaches the body to the call.
pub fn step(body: &Body) -> Step {
    let media = &body.media_type;
    let attach = match &body.content {
        // A wildcard is not a type to send; JSON data under it goes as plain JSON.
        BodyContent::Json if media == "application/json" || media.contains('*') => {
            quote!(.json(body))
        }
        BodyContent::Json => quote!(.json_as(body, #media)),
        BodyContent::Form(fields) => {
            let fields = fields.iter().map(|f| {
                let name = &f.property;
                let style = match f.style {
                    ParamStyle::Form { explode } => quote!(rt::Style::Form { explode: #explode }),
                    ParamStyle::SpaceDelimited => quote!(rt::Style::SpaceDelimited),
                    ParamStyle::PipeDelimited => quote!(rt::Style::PipeDelimited),
                    ParamStyle::DeepObject => quote!(rt::Style::DeepObject),
                };
                quote!(rt::FormField { name: #name, style: #style })
            });
            quote!(.form(body, &[#(#fields),*]))
        }
        BodyContent::Multipart => quote!(.multipart(rt::Multipart::from(body))),
        BodyContent::Binary if body.required => quote!(.upload(body.into(), #media)),
        BodyContent::Binary => quote!(.upload(body, #media)),
        BodyContent::Text if body.required => quote!(.text(body, #media)),
        BodyContent::Text => quote!(.text(body, #media)),
    };
    if body.required {
        Step::Always(attach)
    } else {
        Step::Statement(quote! {
            if let Some(body) = body {
                call = call #attach;
            }
        })
    }
}

/// A multipart body: a struct whose files are [`rt::FilePart`]s, a constructor with the
/// required parts, setters for the rest, and the conversion into the runtime's form.
pub fn multipart_type(def: &TypeDef, parts: &[Part]) -> TokenStream {
    let name = format_ident!("{}", def.name);
    let docs = tokens::docs(&def.docs);
    let stored = |p: &Part| match &p.kind {
        PartKind::File => quote!(rt::FilePart),
        PartKind::Files => quote!(Vec<rt::FilePart>),
        PartKind::Text(ty) | PartKind::Json(ty) => tokens::ty(ty),
        PartKind::Texts(item) => {
            let item = tokens::ty(item);
            quote!(Vec<#item>)
        }
    };
    let fields = parts.iter().map(|p| {
        let fname = ident(&p.name);
        let fdocs = tokens::docs(&p.docs);
        let ty = stored(p);
        let ty = if p.required { ty } else { quote!(Option<#ty>) };
        quote! {
            #fdocs
            pub #fname: #ty,
        }
    });
    let marker = super::types::marker_field(parts.iter().map(|p| crate::ident::bare(&p.name)));
    let shown: Vec<_> = parts
        .iter()
        .map(|p| (ident(&p.name), crate::ident::bare(&p.name).to_owned()))
        .collect();
    let debug = super::types::debug_impl(&name, &shown, TokenStream::new());
    let required: Vec<&Part> = parts.iter().filter(|p| p.required).collect();
    let args = required.iter().map(|p| {
        let fname = ident(&p.name);
        let ty = stored(p);
        quote!(#fname: #ty)
    });
    let inits = parts.iter().map(|p| {
        let fname = ident(&p.name);
        if p.required {
            quote!(#fname)
        } else {
            quote!(#fname: None)
        }
    });
    let mut setter_names =
        crate::ident::Scope::with_reserved(crate::ident::TRAIT_METHODS.iter().copied());
    let setters = parts.iter().filter(|p| !p.required).map(|p| {
        let fname = ident(&p.name);
        let setter = ident(&setter_names.claim(p.name.clone()));
        let doc = tokens::doc_lines(&format!("Sets the {} part.", doc::code(&p.wire_name)));
        let ty = stored(p);
        quote! {
            #doc
            pub fn #setter(mut self, value: #ty) -> Self {
                self.#fname = Some(value);
                self
            }
        }
    });
    let adds = parts.iter().map(|p| {
        let wire = &p.wire_name;
        let content_type = match &p.content_type {
            Some(t) => quote!(Some(#t)),
            None => quote!(None),
        };
        let add = |value: TokenStream| match &p.kind {
            PartKind::File => quote!(form = form.file(#wire, #value, #content_type);),
            PartKind::Files => quote! {
                for file in #value {
                    form = form.file(#wire, file, #content_type);
                }
            },
            PartKind::Text(TypeRef::String) => quote!(form = form.text(#wire, #value);),
            PartKind::Text(ty) => {
                let text = to_text(ty, quote!(#value));
                quote!(form = form.text(#wire, #text);)
            }
            PartKind::Texts(item) => {
                let text = match item {
                    TypeRef::String => quote!(item),
                    other => to_text(other, quote!(item)),
                };
                quote! {
                    for item in #value {
                        form = form.text(#wire, #text);
                    }
                }
            }
            PartKind::Json(_) => quote!(form = form.json(#wire, &#value, #content_type);),
        };
        let fname = ident(&p.name);
        if p.required {
            add(quote!(body.#fname))
        } else {
            let inner = add(quote!(value));
            quote! {
                if let Some(value) = body.#fname {
                    #inner
                }
            }
        }
    });
    let many = if required.len() > 7 {
        quote!(#[allow(clippy::too_many_arguments)])
    } else {
        TokenStream::new()
    };
    let new_doc = if required.is_empty() {
        " A body with every optional part unset.".to_owned()
    } else {
        let list: Vec<String> = required.iter().map(|p| doc::code(&p.wire_name)).collect();
        format!(
            " A body from its required parts ({}); optional parts start unset.",
            list.join(", ")
        )
    };
    let new_allow = if required.is_empty() {
        quote!(#[allow(clippy::new_without_default)])
    } else {
        TokenStream::new()
    };
    // The runtime's form owns the files: no `Clone`, and no extra derives.
    let (arg, convert) = if parts.is_empty() {
        (quote!(_body), quote!(rt::Multipart::new()))
    } else {
        (
            quote!(body),
            quote! {
                let mut form = rt::Multipart::new();
                #(#adds)*
                form
            },
        )
    };
    quote! {
        #docs
        #[non_exhaustive]
        #[allow(clippy::manual_non_exhaustive)]
        pub struct #name {
            #(#fields)*
            #marker: (),
        }

        #debug

        impl #name {
            #[doc = #new_doc]
            #many
            #new_allow
            pub fn new(#(#args),*) -> Self {
                Self { #(#inits,)* #marker: () }
            }

            #(#setters)*
        }

        impl From<#name> for rt::Multipart {
            fn from(#arg: #name) -> Self {
                #convert
            }
        }
    }
}
