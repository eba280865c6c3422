//! Shared pieces of emission: identifiers, type tokens, doc attributes, derives.

use std::collections::BTreeSet;

use proc_macro2::{Ident, Span, TokenStream};
use quote::{format_ident, quote};

use super::EmitOptions;
use crate::ir::{Api, Docs, TypeKind, TypeRef};

/// What every emitter function needs to know about the module as a whole.
pub struct Ctx<'a> {
    pub api: &'a Api,
    pub options: &'a EmitOptions,
    /// Types marked `deprecated`: code that mentions them must allow the lint, or the generated
    /// crate would warn about itself.
    pub deprecated: BTreeSet<String>,
    /// Types stored behind a `Box` somewhere (see [`super::auto_traits`]).
    pub boxed: BTreeSet<String>,
}

impl<'a> Ctx<'a> {
    pub fn new(api: &'a Api, options: &'a EmitOptions) -> Self {
        let deprecated = api
            .types
            .iter()
            .filter(|t| t.deprecated)
            .map(|t| t.name.clone())
            .collect();
        let mut ctx = Self {
            api,
            options,
            deprecated,
            boxed: BTreeSet::new(),
        };
        ctx.boxed = super::auto_traits::boxed_types(&ctx);
        ctx
    }

    /// True when `ty` names a deprecated type anywhere inside it.
    pub fn mentions_deprecated(&self, ty: &TypeRef) -> bool {
        match ty {
            TypeRef::Named(n) => self.deprecated.contains(n),
            TypeRef::Vec(inner) | TypeRef::Map(inner) | TypeRef::Nullable(inner) => {
                self.mentions_deprecated(inner)
            }
            TypeRef::Tuple(items) => items.iter().any(|t| self.mentions_deprecated(t)),
            _ => false,
        }
    }

    /// `#[allow(deprecated)]` when `needed`.
    pub fn allow_deprecated(&self, needed: bool) -> TokenStream {
        if needed {
            quote!(#[allow(deprecated)])
        } else {
            TokenStream::new()
        }
    }

    /// True for types written as one piece of text (see [`crate::ir::is_scalar`]).
    pub fn is_scalar(&self, ty: &TypeRef) -> bool {
        let lookup = |n: &str| self.api.type_def(n);
        crate::ir::is_scalar(ty, &lookup, self.api.types.len())
    }

    /// True when `ty` is a named string enum.
    pub fn is_enum(&self, ty: &TypeRef) -> bool {
        match ty {
            TypeRef::Named(n) => self
                .api
                .type_def(n)
                .is_some_and(|t| matches!(t.kind, TypeKind::Enum(_))),
            _ => false,
        }
    }

    /// True when `ty` names a union, directly or through aliases: a generated union decodes
    /// any value (keeping what it doesn't know), so a union holding it must ask whether it
    /// knew the value before choosing it.
    pub fn is_union(&self, ty: &TypeRef) -> bool {
        let mut ty = ty;
        // Alias chains are acyclic after lowering; the bound is for certainty.
        for _ in 0..=self.api.types.len() {
            let TypeRef::Named(n) = ty else {
                return false;
            };
            match self.api.type_def(n).map(|t| &t.kind) {
                Some(TypeKind::Union(_)) => return true,
                Some(TypeKind::Alias(target)) => ty = target,
                _ => return false,
            }
        }
        false
    }

    /// Extra derives from the builder.
    /// Extra derives from the builder, minus those the item derives already (`existing`, by
    /// last path segment): deriving `Eq` twice would not compile.
    pub fn extra_derives(&self, existing: &[&str]) -> TokenStream {
        let derives = self.options.derives.iter().filter(|d| {
            d.segments
                .last()
                .is_none_or(|last| !existing.iter().any(|e| last.ident == e))
        });
        quote!(#(, #derives)*)
    }
}

/// An identifier from an IR name, which may be a raw identifier (`r#type`).
pub fn ident(name: &str) -> Ident {
    match name.strip_prefix("r#") {
        Some(raw) => Ident::new_raw(raw, Span::call_site()),
        None => Ident::new(name, Span::call_site()),
    }
}

/// The Rust type for a type reference.
pub fn ty(t: &TypeRef) -> TokenStream {
    match t {
        TypeRef::String => quote!(String),
        TypeRef::I8 => quote!(i8),
        TypeRef::I16 => quote!(i16),
        TypeRef::I32 => quote!(i32),
        TypeRef::I64 => quote!(i64),
        TypeRef::U8 => quote!(u8),
        TypeRef::U16 => quote!(u16),
        TypeRef::U32 => quote!(u32),
        TypeRef::U64 => quote!(u64),
        TypeRef::F32 => quote!(f32),
        TypeRef::F64 => quote!(f64),
        TypeRef::Bool => quote!(bool),
        TypeRef::DateTime => quote!(rt::chrono::DateTime<rt::chrono::Utc>),
        TypeRef::Date => quote!(rt::chrono::NaiveDate),
        TypeRef::Uuid => quote!(rt::uuid::Uuid),
        TypeRef::Json => quote!(rt::serde_json::Value),
        TypeRef::Named(n) => {
            let n = format_ident!("{}", n);
            quote!(#n)
        }
        TypeRef::Vec(inner) => {
            let inner = ty(inner);
            quote!(Vec<#inner>)
        }
        TypeRef::Map(inner) => {
            let inner = ty(inner);
            quote!(::std::collections::BTreeMap<String, #inner>)
        }
        TypeRef::Nullable(inner) => {
            let inner = ty(inner);
            quote!(Option<#inner>)
        }
        TypeRef::Tuple(items) => {
            let items = items.iter().map(ty);
            quote!((#(#items,)*))
        }
    }
}

/// One `#[doc]` attribute per line, so prettyplease prints `///` comments rather than a
/// `/** */` block (which a `*/` in spec text could end early).
pub fn docs(docs: &Docs) -> TokenStream {
    let text = docs.paragraphs.join("\n\n");
    doc_lines(&text)
}

/// Doc attributes for free text. Every doc comment of generated code passes here, so this is
/// where the last guard against doctests from spec text stands.
pub fn doc_lines(text: &str) -> TokenStream {
    let text = crate::doc::fence_guard(text);
    let lines = text.lines().map(|l| {
        let l = if l.is_empty() {
            String::new()
        } else {
            format!(" {l}")
        };
        quote!(#[doc = #l])
    });
    quote!(#(#lines)*)
}

/// `#[deprecated]` when `deprecated`.
pub fn deprecated(deprecated: bool) -> TokenStream {
    if deprecated {
        quote!(#[deprecated])
    } else {
        TokenStream::new()
    }
}
