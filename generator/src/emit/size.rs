//! How large a generated type is, estimated from above, to decide which alternatives of a
//! union are stored behind a `Box`.
//!
//! clippy's `large_enum_variant` fires when an enum's largest variant is 200 bytes bigger than
//! the next; the client denies warnings. Every alternative whose estimate exceeds
//! [`BOX_ABOVE`] is boxed, and since estimates never undercount, the unboxed alternatives
//! that remain are all within 200 bytes of each other.

use super::tokens::Ctx;
use crate::ir::{Field, TypeKind, TypeRef, Union};

/// Alternatives estimated larger than this are boxed.
const BOX_ABOVE: usize = 128;

/// For each alternative of `u`, whether it is boxed.
pub fn boxed_variants(ctx: &Ctx, u: &Union) -> Vec<bool> {
    boxed_within(ctx, u, DEPTH)
}

fn boxed_within(ctx: &Ctx, u: &Union, depth: usize) -> Vec<bool> {
    if u.variants.len() < 2 {
        return vec![false; u.variants.len()];
    }
    u.variants
        .iter()
        .map(|v| estimate(ctx, &v.ty, BOX_ABOVE, depth) > BOX_ABOVE)
        .collect()
}

/// Whether a payload of type `ty` is boxed in an enum whose other variants may be empty.
pub fn is_large(ctx: &Ctx, ty: &TypeRef) -> bool {
    estimate(ctx, ty, BOX_ABOVE, DEPTH) > BOX_ABOVE
}

/// How many named types deep an estimate looks before it assumes the worst.
const DEPTH: usize = 8;

/// Size of `ty` in bytes, from above, or anything over `cap` once it is known to exceed it
/// (which bounds the work on large, deeply nested types).
fn estimate(ctx: &Ctx, ty: &TypeRef, cap: usize, depth: usize) -> usize {
    match ty {
        TypeRef::I8 | TypeRef::U8 | TypeRef::Bool => 8,
        TypeRef::I16 | TypeRef::U16 | TypeRef::I32 | TypeRef::U32 | TypeRef::F32 => 8,
        TypeRef::I64 | TypeRef::U64 | TypeRef::F64 | TypeRef::Date => 8,
        TypeRef::DateTime | TypeRef::Uuid => 16,
        TypeRef::String | TypeRef::Vec(_) | TypeRef::Map(_) => 24,
        TypeRef::Json => 72,
        TypeRef::Nullable(inner) => estimate(ctx, inner, cap, depth) + 8,
        TypeRef::Tuple(items) => {
            let mut total = 0;
            for t in items {
                total += estimate(ctx, t, cap, depth);
                if total > cap {
                    break;
                }
            }
            total
        }
        TypeRef::Named(name) => {
            if depth == 0 {
                return cap + 1;
            }
            match ctx.api.type_def(name).map(|t| &t.kind) {
                Some(TypeKind::Struct(fields)) => fields_size(ctx, fields, cap, depth - 1),
                // An open enum holds at most its `Unknown(String)`.
                Some(TypeKind::Enum(_)) => 32,
                Some(TypeKind::Union(u)) => {
                    let boxed = boxed_within(ctx, u, depth - 1);
                    u.variants
                        .iter()
                        .zip(boxed)
                        .map(|(v, boxed)| {
                            if boxed {
                                8
                            } else {
                                estimate(ctx, &v.ty, cap, depth - 1)
                            }
                        })
                        .max()
                        .unwrap_or(0)
                        + 8
                }
                Some(TypeKind::Alias(target)) => estimate(ctx, target, cap, depth - 1),
                // Never a union's payload: only an operation returns it.
                Some(TypeKind::Multipart(_) | TypeKind::Statuses(_)) | None => cap + 1,
            }
        }
    }
}

fn fields_size(ctx: &Ctx, fields: &[Field], cap: usize, depth: usize) -> usize {
    let mut total = 0;
    for f in fields {
        let inner = if f.boxed {
            8
        } else {
            estimate(ctx, &f.ty, cap, depth)
        };
        // Each `Option` layer adds at most a word.
        let layers =
            usize::from(!f.required || f.nullable) + usize::from(!f.required && f.nullable);
        total += inner + 8 * layers;
        if total > cap {
            return total;
        }
    }
    total
}
