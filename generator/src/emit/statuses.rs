//! The answer of an operation whose success statuses carry different bodies: an enum with one
//! variant per status, which the runtime decodes from the status and the body together
//! (`Envelope::Status`).

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::tokens::{self, Ctx};
use crate::ir::{StatusVariant, TypeDef};

pub fn statuses(ctx: &Ctx, def: &TypeDef, answers: &[StatusVariant]) -> TokenStream {
    let name = format_ident!("{}", def.name);
    let docs = tokens::docs(&def.docs);
    let extra = ctx.extra_derives(&["Debug", "Clone", "PartialEq", "Deserialize"]);
    let allow = ctx.allow_deprecated(
        answers
            .iter()
            .filter_map(|a| a.ty.as_ref())
            .any(|ty| ctx.mentions_deprecated(ty)),
    );
    let variants = answers.iter().map(|a| {
        let vname = format_ident!("{}", a.name);
        let status = a.status.to_string();
        let doc = tokens::docs(&a.docs);
        match &a.ty {
            Some(body) => {
                let ty = tokens::ty(body);
                // Beside bodiless variants, a large body is boxed, so the enum stays small.
                let ty = if super::size::is_large(ctx, body) {
                    quote!(Box<#ty>)
                } else {
                    ty
                };
                quote! {
                    #doc
                    #[serde(rename = #status)]
                    #vname(#ty),
                }
            }
            None => quote! {
                #doc
                #[serde(rename = #status)]
                #vname,
            },
        }
    });
    let hidden = super::types::hidden_variant(ctx);
    quote! {
        #docs
        #allow
        #[derive(Debug, Clone, PartialEq, rt::serde::Deserialize #extra)]
        #[serde(crate = "rt::serde", tag = "status", content = "body")]
        #[non_exhaustive]
        pub enum #name {
            #(#variants)*
            #[serde(skip)]
            #hidden
        }
    }
}
