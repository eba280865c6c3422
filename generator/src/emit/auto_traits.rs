//! The unwind-safety auto traits of the types stored behind a `Box`, stated instead of
//! derived.
//!
//! rustdoc works out every auto trait of every type it documents, and the compiler proves an
//! auto trait of a struct from all its fields, one type inside another. Behind a `Box` that
//! proof takes five steps per field for `UnwindSafe` and `RefUnwindSafe`
//! (`Option<Box<T>>`, `Box`, `Unique`, `NonNull`, `*const T`), and a large recursive API
//! chains hundreds of such fields before the proof meets a type it has seen: Stripe's client
//! failed `cargo doc` with E0275 at rustc's default recursion limit of 128, unless the crate
//! raised it, which no user's crate does. A type stored behind a `Box` therefore states the two
//! traits itself, which ends the proof there. It is true of every such type: they hold plain
//! data (strings, numbers, collections, JSON, other generated types), never a cell, a lock or a
//! stream; those live only in multipart request bodies, which are never boxed. `Send`, `Sync`
//! and `Unpin` stay derived: a `Box` adds at most two steps to their proofs, and stating them
//! would take `unsafe`.

use std::collections::BTreeSet;

use proc_macro2::TokenStream;
use quote::quote;

use super::size;
use super::tokens::{Ctx, ident};
use crate::ir::{TypeDef, TypeKind, TypeRef};

/// The types the generated code stores behind a `Box`: recursive fields and large union
/// alternatives.
pub fn boxed_types(ctx: &Ctx) -> BTreeSet<String> {
    let mut boxed = BTreeSet::new();
    for def in &ctx.api.types {
        match &def.kind {
            TypeKind::Struct(fields) => {
                for f in fields.iter().filter(|f| f.boxed) {
                    named_in(ctx, &f.ty, &mut boxed);
                }
            }
            TypeKind::Union(u) => {
                for (v, is_boxed) in u.variants.iter().zip(size::boxed_variants(ctx, u)) {
                    if is_boxed {
                        named_in(ctx, &v.ty, &mut boxed);
                    }
                }
            }
            _ => {}
        }
    }
    boxed
}

/// The generated types `ty` names, through aliases (an alias states nothing itself).
fn named_in(ctx: &Ctx, ty: &TypeRef, out: &mut BTreeSet<String>) {
    match ty {
        TypeRef::Named(n) => {
            if !out.insert(n.clone()) {
                return;
            }
            if let Some(TypeDef {
                kind: TypeKind::Alias(target),
                ..
            }) = ctx.api.type_def(n)
            {
                named_in(ctx, target, out);
            }
        }
        TypeRef::Vec(inner) | TypeRef::Map(inner) | TypeRef::Nullable(inner) => {
            named_in(ctx, inner, out)
        }
        TypeRef::Tuple(items) => items.iter().for_each(|t| named_in(ctx, t, out)),
        _ => {}
    }
}

/// `UnwindSafe` and `RefUnwindSafe` for `def`, when it is stored behind a `Box`.
pub fn stated(ctx: &Ctx, def: &TypeDef) -> TokenStream {
    // An alias names another type, maybe one of std's: the type it names states them.
    if !ctx.boxed.contains(&def.name)
        || matches!(def.kind, TypeKind::Multipart(_) | TypeKind::Alias(_))
    {
        return TokenStream::new();
    }
    let name = ident(&def.name);
    let allow = ctx.allow_deprecated(def.deprecated);
    quote! {
        #allow
        impl ::std::panic::UnwindSafe for #name {}
        #allow
        impl ::std::panic::RefUnwindSafe for #name {}
    }
}
