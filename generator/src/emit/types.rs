//! Named types: structs, open enums, unions and aliases.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::tokens::{self, Ctx, ident};
use crate::doc;
use crate::ident::{Scope, bare};
use crate::ir::{Field, TypeDef, TypeKind, TypeRef, Union, Variant};

pub fn type_def(ctx: &Ctx, def: &TypeDef) -> TokenStream {
    let defined = match &def.kind {
        TypeKind::Struct(fields) => structure(ctx, def, fields),
        TypeKind::Enum(variants) => open_enum(ctx, def, variants),
        TypeKind::Union(u) => union(ctx, def, u),
        TypeKind::Alias(target) => alias(ctx, def, target),
        TypeKind::Multipart(parts) => super::body::multipart_type(def, parts),
        TypeKind::Statuses(answers) => super::statuses::statuses(ctx, def, answers),
    };
    let stated = super::auto_traits::stated(ctx, def);
    quote!(#defined #stated)
}

/// The stored type of a field: `required`/`nullable` decide the `Option` layers.
fn field_type(f: &Field) -> TokenStream {
    let inner = tokens::ty(&f.ty);
    let inner = if f.boxed { quote!(Box<#inner>) } else { inner };
    match (f.required, f.nullable) {
        (true, false) => inner,
        (true, true) | (false, false) => quote!(Option<#inner>),
        // Absent and `null` mean different things to the server (leave as is, or clear), so
        // both survive a round trip.
        (false, true) => quote!(Option<Option<#inner>>),
    }
}

fn serde_field_attrs(f: &Field) -> TokenStream {
    let mut parts = Vec::new();
    if bare(&f.name) != f.wire_name {
        let wire = &f.wire_name;
        parts.push(quote!(rename = #wire));
    }
    match (f.required, f.nullable) {
        (false, false) => parts.push(quote!(default, skip_serializing_if = "Option::is_none")),
        (false, true) => parts.push(quote!(
            default,
            skip_serializing_if = "Option::is_none",
            with = "rt::nullable"
        )),
        _ => {}
    }
    if parts.is_empty() {
        TokenStream::new()
    } else {
        quote!(#[serde(#(#parts),*)])
    }
}

/// The private field that keeps a struct out of literals and exhaustive patterns outside the
/// generated module, in both ways the client is used: as a dependency (where
/// `#[non_exhaustive]` would do) and `include!`d into the user's crate (where it does nothing).
/// Adding a field is then never a breaking change. Spec properties never get a leading
/// underscore, so the name is free; the loop is for certainty.
pub(super) fn marker_field<'f>(
    fields: impl Iterator<Item = &'f str> + Clone,
) -> proc_macro2::Ident {
    let mut name = "_non_exhaustive".to_owned();
    while fields.clone().any(|f| f == name) {
        name.push('_');
    }
    format_ident!("{}", name)
}

/// `Debug` for a struct with a marker field: the fields, then `..`, as for a non-exhaustive
/// struct. (A derived `Debug` would print the marker.)
pub(super) fn debug_impl(
    name: &proc_macro2::Ident,
    fields: &[(proc_macro2::Ident, String)],
    allow: TokenStream,
) -> TokenStream {
    let shown = fields
        .iter()
        .map(|(f, label)| quote!(.field(#label, &self.#f)));
    let title = name.to_string();
    quote! {
        #allow
        impl ::std::fmt::Debug for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.debug_struct(#title)
                    #(#shown)*
                    .finish_non_exhaustive()
            }
        }
    }
}

/// The hidden last variant of every generated enum: `match` needs a wildcard arm wherever it
/// is written, as `#[non_exhaustive]` only demands in other crates (see `rt::NonExhaustive`).
pub(super) fn hidden_variant(ctx: &Ctx) -> TokenStream {
    let attrs = hidden_attrs(ctx);
    quote! {
        #attrs
        __NonExhaustive(rt::NonExhaustive),
    }
}

/// What every hidden variant carries: out of the docs, and out of a derived schema.
fn hidden_attrs(ctx: &Ctx) -> TokenStream {
    // A `JsonSchema` derive would ask the runtime's type for a schema it doesn't have.
    let schemars_skip = if ctx
        .options
        .derives
        .iter()
        .any(|d| d.segments.last().is_some_and(|s| s.ident == "JsonSchema"))
    {
        quote!(#[schemars(skip)])
    } else {
        TokenStream::new()
    };
    quote! {
        #[doc(hidden)]
        #schemars_skip
    }
}

/// The hidden last variant of every union: an alternative this version doesn't know, kept
/// with its tag and raw JSON instead of failing the response. Being hidden and last, it makes
/// a `match` need a wildcard arm, as `hidden_variant` does for enums, so a later version that
/// knows the alternative is not a breaking change.
fn unknown_alternative(
    ctx: &Ctx,
    name: &proc_macro2::Ident,
    allow: &TokenStream,
) -> (TokenStream, TokenStream) {
    let attrs = hidden_attrs(ctx);
    let variant = quote! {
        #attrs
        __Unknown(rt::UnknownAlternative),
    };
    let accessor = quote! {
        #allow
        impl #name {
            /// An alternative this version of the client doesn't know (one the API added
            /// later), with its tag and the JSON as received, to log or forward; `None` for a
            /// known alternative. Serializing the union writes that JSON back unchanged.
            pub fn unknown(&self) -> Option<&rt::UnknownAlternative> {
                match self {
                    Self::__Unknown(unknown) => Some(unknown),
                    _ => None,
                }
            }
        }
    };
    (variant, accessor)
}

fn structure(ctx: &Ctx, def: &TypeDef, fields: &[Field]) -> TokenStream {
    let name = format_ident!("{}", def.name);
    let docs = tokens::docs(&def.docs);
    let deprecated = tokens::deprecated(def.deprecated);
    let extra = ctx.extra_derives(&["Debug", "Clone", "PartialEq", "Serialize", "Deserialize"]);
    let marker = marker_field(fields.iter().map(|f| bare(&f.name)));
    let touches_deprecated = def.deprecated
        || fields
            .iter()
            .any(|f| f.deprecated || ctx.mentions_deprecated(&f.ty));
    let allow = ctx.allow_deprecated(fields.iter().any(|f| ctx.mentions_deprecated(&f.ty)));
    let field_tokens = fields.iter().map(|f| {
        let fname = ident(&f.name);
        let fdocs = tokens::docs(&f.docs);
        let fdep = tokens::deprecated(f.deprecated);
        let serde = serde_field_attrs(f);
        let fty = field_type(f);
        quote! {
            #fdocs
            #fdep
            #serde
            pub #fname: #fty,
        }
    });
    let builder = if def.in_request {
        request_methods(ctx, def, fields, touches_deprecated, &marker)
    } else {
        TokenStream::new()
    };
    let shown: Vec<_> = fields
        .iter()
        .map(|f| (ident(&f.name), bare(&f.name).to_owned()))
        .collect();
    let debug = debug_impl(
        &name,
        &shown,
        ctx.allow_deprecated(def.deprecated || fields.iter().any(|f| f.deprecated)),
    );
    quote! {
        #docs
        #deprecated
        #allow
        #[derive(Clone, PartialEq, rt::serde::Serialize, rt::serde::Deserialize #extra)]
        #[serde(crate = "rt::serde")]
        #[non_exhaustive]
        #[allow(clippy::manual_non_exhaustive)]
        pub struct #name {
            #(#field_tokens)*
            #[serde(skip)]
            #marker: (),
        }

        #debug

        #builder
    }
}

/// The type a constructor or setter takes for a value stored as `ty`: strings take anything
/// that converts into a `String`.
fn arg_type(ty: &TypeRef) -> (TokenStream, bool) {
    match ty {
        TypeRef::String => (quote!(impl Into<String>), true),
        other => (tokens::ty(other), false),
    }
}

/// `new` with the required fields, and a setter per optional field: the only way to build the
/// struct outside the generated module, so adding an optional field is not a breaking change.
fn request_methods(
    ctx: &Ctx,
    def: &TypeDef,
    fields: &[Field],
    allow: bool,
    marker: &proc_macro2::Ident,
) -> TokenStream {
    let name = format_ident!("{}", def.name);
    let allow = ctx.allow_deprecated(allow);
    let required: Vec<&Field> = fields.iter().filter(|f| f.required).collect();
    let args = required.iter().map(|f| {
        let fname = ident(&f.name);
        let (aty, into) = arg_type(&f.ty);
        // `Option<impl Into<String>>` would make a plain `None` argument fail to infer.
        let aty = match (f.nullable, into) {
            (true, true) => quote!(Option<String>),
            (true, false) => quote!(Option<#aty>),
            (false, _) => aty,
        };
        quote!(#fname: #aty)
    });
    let inits = fields.iter().map(|f| {
        let fname = ident(&f.name);
        if !f.required {
            return quote!(#fname: None);
        }
        let (_, into) = arg_type(&f.ty);
        let value = match (f.nullable, into, f.boxed) {
            (false, true, _) => quote!(#fname.into()),
            (false, false, true) => quote!(Box::new(#fname)),
            (true, false, true) => quote!(#fname.map(Box::new)),
            // Shorthand, as clippy and people prefer.
            (true, true, _) | (_, false, false) => return quote!(#fname),
        };
        quote!(#fname: #value)
    });
    let many = if required.len() > 7 {
        quote!(#[allow(clippy::too_many_arguments)])
    } else {
        TokenStream::new()
    };
    let required_list = required
        .iter()
        .map(|f| doc::code(&f.wire_name))
        .collect::<Vec<_>>()
        .join(", ");
    let new_doc = if required.is_empty() {
        format!(" A new `{}` with every optional field unset.", def.name)
    } else {
        format!(
            " A new `{}` from its required fields ({required_list}); optional fields start unset.",
            def.name
        )
    };
    let mut setters_scope = Scope::with_reserved(crate::ident::TRAIT_METHODS.iter().copied());
    let setters = fields.iter().filter(|f| !f.required).map(|f| {
        let fname = ident(&f.name);
        let setter = ident(&setters_scope.claim(f.name.clone()));
        let (aty, into) = arg_type(&f.ty);
        let value = if into {
            quote!(value.into())
        } else {
            quote!(value)
        };
        let value = if f.boxed {
            quote!(Box::new(#value))
        } else {
            value
        };
        let doc = format!("Sets {}.", doc::code(&f.wire_name));
        // Setting a deprecated property should warn like reading it does.
        let dep = tokens::deprecated(f.deprecated);
        let doc = if f.nullable {
            tokens::doc_lines(&format!("{doc}\n\n`None` sends an explicit `null`."))
        } else {
            tokens::doc_lines(&doc)
        };
        if f.nullable {
            let aty = if into {
                quote!(Option<String>)
            } else {
                quote!(Option<#aty>)
            };
            let value = if f.boxed {
                quote!(value.map(Box::new))
            } else {
                quote!(value)
            };
            quote! {
                #doc
                #dep
                pub fn #setter(mut self, value: #aty) -> Self {
                    self.#fname = Some(#value);
                    self
                }
            }
        } else {
            quote! {
                #doc
                #dep
                pub fn #setter(mut self, value: #aty) -> Self {
                    self.#fname = Some(#value);
                    self
                }
            }
        }
    });
    let new_fn = if required.is_empty() {
        // A struct with no required fields is built with `Default`-like `new()`.
        quote! {
            #[doc = #new_doc]
            #[allow(clippy::new_without_default)]
            pub fn new() -> Self {
                Self { #(#inits,)* #marker: () }
            }
        }
    } else {
        quote! {
            #[doc = #new_doc]
            #many
            pub fn new(#(#args),*) -> Self {
                Self { #(#inits,)* #marker: () }
            }
        }
    };
    quote! {
        #allow
        impl #name {
            #new_fn
            #(#setters)*
        }
    }
}

fn open_enum(ctx: &Ctx, def: &TypeDef, variants: &[Variant]) -> TokenStream {
    let name = format_ident!("{}", def.name);
    let docs = tokens::docs(&def.docs);
    let deprecated = tokens::deprecated(def.deprecated);
    let allow = ctx.allow_deprecated(def.deprecated);
    let extra = ctx.extra_derives(&["Debug", "Clone", "PartialEq", "Eq", "Hash"]);
    let idents: Vec<_> = variants
        .iter()
        .map(|v| format_ident!("{}", v.name))
        .collect();
    let wires: Vec<&String> = variants.iter().map(|v| &v.wire_value).collect();
    let variant_docs = variants.iter().map(|v| {
        let value = match v.wire_value.as_str() {
            // An empty code span renders as two stray backticks.
            "" => "The empty string.".to_owned(),
            value => doc::code(value),
        };
        let mut docs = crate::ir::Docs::default();
        docs.push(value);
        for p in &v.docs.paragraphs {
            docs.push(p.clone());
        }
        tokens::docs(&docs)
    });
    let unknown_doc = " A value this version of the client does not know; the raw value is kept.";
    let unknown_doc2 = " Compare with [`Self::as_str`] rather than matching on this variant: a value \
                        that is unknown today may get its own variant in a later version.";
    let hidden = hidden_variant(ctx);
    quote! {
        #docs
        #[doc = ""]
        #[doc = " New values may appear at any time: unknown ones are kept in `Unknown`, never an error."]
        #deprecated
        #[derive(Debug, Clone, PartialEq, Eq, Hash #extra)]
        #[non_exhaustive]
        pub enum #name {
            #(
                #variant_docs
                #idents,
            )*
            #[doc = #unknown_doc]
            #[doc = ""]
            #[doc = #unknown_doc2]
            Unknown(String),
            #hidden
        }

        #allow
        impl #name {
            /// The value as sent on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    #(Self::#idents => #wires,)*
                    Self::Unknown(value) => value,
                    Self::__NonExhaustive(never) => never.unreachable(),
                }
            }
        }

        #allow
        impl From<&str> for #name {
            fn from(value: &str) -> Self {
                match value {
                    #(#wires => Self::#idents,)*
                    other => Self::Unknown(other.to_owned()),
                }
            }
        }

        // FromStr, Display and serde follow from `as_str` and `From<&str>` alike for every
        // enum, so they live in the runtime.
        rt::open_enum_impls!(#name);
    }
}

fn union(ctx: &Ctx, def: &TypeDef, u: &Union) -> TokenStream {
    let name = format_ident!("{}", def.name);
    let docs = tokens::docs(&def.docs);
    let deprecated = tokens::deprecated(def.deprecated);
    let extra = ctx.extra_derives(&["Debug", "Clone", "PartialEq", "Serialize", "Deserialize"]);
    let allow = ctx.allow_deprecated(
        def.deprecated || u.variants.iter().any(|v| ctx.mentions_deprecated(&v.ty)),
    );
    let boxed = super::size::boxed_variants(ctx, u);
    let variants = u.variants.iter().zip(&boxed).map(|(v, boxed)| {
        let vname = format_ident!("{}", v.name);
        let vty = tokens::ty(&v.ty);
        // A large alternative is stored behind a `Box`, so the union stays small.
        let vty = if *boxed { quote!(Box<#vty>) } else { vty };
        let doc = match &v.ty {
            TypeRef::Named(n) => format!(" {} [`{n}`].", crate::ident::article(n)),
            _ => " The value of this alternative.".to_owned(),
        };
        quote! {
            #[doc = #doc]
            #vname(#vty),
        }
    });
    let (unknown, accessor) = unknown_alternative(ctx, &name, &allow);
    let Some(tag) = &u.tag else {
        let display = scalar_display(ctx, def, u);
        let (derived, decode) = untagged_decode(ctx, def, u, &boxed, &allow);
        let open_doc = tokens::doc_lines(
            "\nTold apart by shape: the first alternative the value fits is chosen. A value that \
             fits none is kept, not an error: see [`Self::unknown`].",
        );
        return quote! {
            #docs
            #open_doc
            #deprecated
            #allow
            #[derive(Debug, Clone, PartialEq, rt::serde::Serialize #derived #extra)]
            #[serde(crate = "rt::serde", untagged)]
            #[non_exhaustive]
            pub enum #name {
                #(#variants)*
                #unknown
            }

            #accessor

            #decode

            #display
        };
    };
    let selected_doc = tokens::doc_lines(&format!(
        "\nSelected by the {} property. New alternatives may appear at any time: one this \
         version doesn't know is kept, not an error: see [`Self::unknown`].",
        doc::code(tag)
    ));
    // One arm per tag value. Alternatives that share a value (two kinds of `message`) are
    // tried in the spec's order, so the first that decodes wins.
    let mut by_tag: Vec<(&String, Vec<(&str, bool)>)> = Vec::new();
    for (v, boxed) in u.variants.iter().zip(&boxed) {
        for value in &v.tag_values {
            match by_tag.iter_mut().find(|(t, _)| *t == value) {
                Some((_, candidates)) => candidates.push((&v.name, *boxed)),
                None => by_tag.push((value, vec![(&v.name, *boxed)])),
            }
        }
    }
    let arms = by_tag.iter().map(|(value, candidates)| {
        let last = candidates.len() - 1;
        let attempts = candidates.iter().enumerate().map(|(i, (vname, boxed))| {
            let vname = format_ident!("{}", vname);
            let input = if i == last {
                quote!(value)
            } else {
                quote!(value.clone())
            };
            let wrap = if *boxed {
                quote!(|v| Self::#vname(Box::new(v)))
            } else {
                quote!(Self::#vname)
            };
            quote!(rt::serde_json::from_value(#input).map(#wrap))
        });
        let mut attempts = attempts.collect::<Vec<_>>().into_iter();
        let first = attempts.next().unwrap_or_default();
        let rest = attempts.map(|a| quote!(.or_else(|_| #a)));
        quote!(#value => #first #(#rest)*)
    });
    quote! {
        #docs
        #selected_doc
        #deprecated
        #allow
        #[derive(Debug, Clone, PartialEq, rt::serde::Serialize #extra)]
        #[serde(crate = "rt::serde", untagged)]
        #[non_exhaustive]
        pub enum #name {
            #(#variants)*
            #unknown
        }

        #accessor

        #allow
        impl<'de> rt::serde::Deserialize<'de> for #name {
            fn deserialize<D: rt::serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                use rt::serde::de::Error as _;
                let value = rt::serde_json::Value::deserialize(deserializer)?;
                let tag = rt::tag_of::<D::Error>(&value, #tag)?;
                match tag.as_str() {
                    #(#arms,)*
                    // A value the API added after this version: kept, so the response decodes.
                    _ => return Ok(Self::__Unknown(rt::UnknownAlternative::tagged(tag, value))),
                }
                .map_err(D::Error::custom)
            }
        }
    }
}

/// How an untagged union decodes: serde's derive tries the alternatives in order, the hidden
/// one last. An alternative that is itself a union would take any value (keeping what it
/// doesn't know), hiding the alternatives after it, so a union holding one decodes by hand:
/// a nested union is chosen only when it knew the value. Returns the derive to add and the
/// hand-written impl, one of them empty.
fn untagged_decode(
    ctx: &Ctx,
    def: &TypeDef,
    u: &Union,
    boxed: &[bool],
    allow: &TokenStream,
) -> (TokenStream, TokenStream) {
    if !u.variants.iter().any(|v| ctx.is_union(&v.ty)) {
        return (quote!(, rt::serde::Deserialize), TokenStream::new());
    }
    let name = format_ident!("{}", def.name);
    let attempts = u.variants.iter().zip(boxed).map(|(v, boxed)| {
        let vname = format_ident!("{}", v.name);
        let vty = tokens::ty(&v.ty);
        let wrap = if *boxed {
            quote!(Box::new(decoded))
        } else {
            quote!(decoded)
        };
        let decoded = quote!(rt::serde_json::from_value::<#vty>(value.clone()));
        if ctx.is_union(&v.ty) {
            quote! {
                // No `let` chain: the generated code compiles under older editions too.
                if let Some(decoded) = #decoded.ok().filter(|d| d.unknown().is_none()) {
                    return Ok(Self::#vname(#wrap));
                }
            }
        } else {
            quote! {
                if let Ok(decoded) = #decoded {
                    return Ok(Self::#vname(#wrap));
                }
            }
        }
    });
    let decode = quote! {
        #allow
        impl<'de> rt::serde::Deserialize<'de> for #name {
            fn deserialize<D: rt::serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let value = rt::serde_json::Value::deserialize(deserializer)?;
                #(#attempts)*
                Ok(Self::__Unknown(rt::UnknownAlternative::deserialize(value).map_err(rt::serde::de::Error::custom)?))
            }
        }
    };
    (TokenStream::new(), decode)
}

/// An untagged union of scalars (nexus's `NameOrId`: a name or a uuid) can be a path or
/// query parameter: `Display` writes the chosen alternative's text.
fn scalar_display(ctx: &Ctx, def: &TypeDef, u: &Union) -> TokenStream {
    if !ctx.is_scalar(&TypeRef::Named(def.name.clone())) {
        return TokenStream::new();
    }
    let name = format_ident!("{}", def.name);
    let arms = u.variants.iter().map(|v| {
        let vname = format_ident!("{}", v.name);
        match &v.ty {
            TypeRef::DateTime => quote! {
                Self::#vname(value) => f.write_str(&value.to_rfc3339_opts(rt::chrono::SecondsFormat::AutoSi, true))
            },
            _ => quote!(Self::#vname(value) => ::std::fmt::Display::fmt(value, f)),
        }
    });
    quote! {
        impl ::std::fmt::Display for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                match self {
                    #(#arms,)*
                    Self::__Unknown(value) => ::std::fmt::Display::fmt(value, f),
                }
            }
        }
    }
}

fn alias(ctx: &Ctx, def: &TypeDef, target: &TypeRef) -> TokenStream {
    let name = format_ident!("{}", def.name);
    let docs = tokens::docs(&def.docs);
    let deprecated = tokens::deprecated(def.deprecated);
    let allow = ctx.allow_deprecated(ctx.mentions_deprecated(target));
    let target = tokens::ty(target);
    quote! {
        #docs
        #deprecated
        #allow
        pub type #name = #target;
    }
}
