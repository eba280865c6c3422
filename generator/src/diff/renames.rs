//! Renamed types: a type that disappeared and one that appeared with the same shape are one
//! rename, not a removal and an addition. Types that refer to a renamed type are compared
//! through the rename, so the rename is reported once, where it happened.

use std::collections::{BTreeMap, BTreeSet};

use super::side::Side;
use crate::ir::{Field, TypeKind, TypeRef};

/// Old type name → new type name.
#[derive(Debug, Default)]
pub(super) struct Renames {
    types: BTreeMap<String, String>,
}

impl Renames {
    /// The new name of an old type: itself unless it was renamed.
    pub(super) fn new_name<'n>(&'n self, old: &'n str) -> &'n str {
        self.types.get(old).map_or(old, String::as_str)
    }

    /// True when `new` is the new name of a renamed type.
    pub(super) fn is_new_name(&self, new: &str) -> bool {
        self.types.values().any(|n| n == new)
    }

    /// An old type reference in new names.
    fn rename(&self, ty: &TypeRef) -> TypeRef {
        match ty {
            TypeRef::Named(n) => TypeRef::Named(self.new_name(n).to_owned()),
            TypeRef::Vec(t) => TypeRef::Vec(Box::new(self.rename(t))),
            TypeRef::Map(t) => TypeRef::Map(Box::new(self.rename(t))),
            TypeRef::Nullable(t) => TypeRef::Nullable(Box::new(self.rename(t))),
            TypeRef::Tuple(items) => TypeRef::Tuple(items.iter().map(|t| self.rename(t)).collect()),
            other => other.clone(),
        }
    }

    /// True when an old and a new reference are the same Rust type to callers: aliases
    /// followed, renames applied.
    pub(super) fn same(&self, old: &Side, new: &Side, a: &TypeRef, b: &TypeRef) -> bool {
        self.rename(&old.canon(a)) == new.canon(b)
    }

    /// The old reference spelled in new names, aliases followed: what callers wrote.
    pub(super) fn in_new_names(&self, old: &Side, ty: &TypeRef) -> TypeRef {
        self.rename(&old.canon(ty))
    }
}

/// Finds renamed types: each disappeared type whose shape matches exactly one new type, and
/// that new type no other. Repeated, so a type that refers to a renamed one is found too.
pub(super) fn detect(old: &Side, new: &Side) -> Renames {
    let new_names: BTreeSet<&str> = new.api.types.iter().map(|t| t.name.as_str()).collect();
    let old_names: BTreeSet<&str> = old.api.types.iter().map(|t| t.name.as_str()).collect();
    let removed: Vec<&str> = old_names.difference(&new_names).copied().collect();
    let added: Vec<&str> = new_names.difference(&old_names).copied().collect();
    let mut renames = Renames::default();
    loop {
        let open_removed: Vec<&str> = removed
            .iter()
            .copied()
            .filter(|r| !renames.types.contains_key(*r))
            .collect();
        let open_added: Vec<&str> = added
            .iter()
            .copied()
            .filter(|a| !renames.is_new_name(a))
            .collect();
        let matches = |r: &str, a: &str| same_shape(old, new, &renames, r, a);
        let found: Vec<(&str, &str)> = open_removed
            .iter()
            .filter_map(|r| {
                let candidates: Vec<&str> = open_added
                    .iter()
                    .copied()
                    .filter(|a| matches(r, a))
                    .collect();
                match candidates.as_slice() {
                    [a] if open_removed
                        .iter()
                        .filter(|other| matches(other, a))
                        .count()
                        == 1 =>
                    {
                        Some((*r, *a))
                    }
                    _ => None,
                }
            })
            .collect();
        if found.is_empty() {
            return renames;
        }
        for (r, a) in found {
            renames.types.insert(r.to_owned(), a.to_owned());
        }
    }
}

/// Same kind, same members, same types (through renames found so far); docs don't count.
fn same_shape(old: &Side, new: &Side, renames: &Renames, a: &str, b: &str) -> bool {
    let (Some(a), Some(b)) = (old.type_def(a), new.type_def(b)) else {
        return false;
    };
    let same = |x: &TypeRef, y: &TypeRef| renames.same(old, new, x, y);
    let same_fields = |x: &[Field], y: &[Field]| {
        x.len() == y.len()
            && x.iter().zip(y).all(|(f, g)| {
                (&f.name, &f.wire_name, f.required, f.nullable, f.boxed)
                    == (&g.name, &g.wire_name, g.required, g.nullable, g.boxed)
                    && same(&f.ty, &g.ty)
            })
    };
    match (&a.kind, &b.kind) {
        (TypeKind::Struct(x), TypeKind::Struct(y)) => same_fields(x, y),
        (TypeKind::Enum(x), TypeKind::Enum(y)) => {
            x.len() == y.len()
                && x.iter()
                    .zip(y)
                    .all(|(v, w)| (&v.name, &v.wire_value) == (&w.name, &w.wire_value))
        }
        (TypeKind::Union(x), TypeKind::Union(y)) => {
            x.tag == y.tag
                && x.variants.len() == y.variants.len()
                && x.variants.iter().zip(&y.variants).all(|(v, w)| {
                    (&v.name, &v.tag_values) == (&w.name, &w.tag_values) && same(&v.ty, &w.ty)
                })
        }
        (TypeKind::Alias(x), TypeKind::Alias(y)) => same(x, y),
        (TypeKind::Statuses(x), TypeKind::Statuses(y)) => {
            x.len() == y.len()
                && x.iter().zip(y).all(|(v, w)| {
                    (v.status, &v.name) == (w.status, &w.name)
                        && match (&v.ty, &w.ty) {
                            (Some(s), Some(t)) => same(s, t),
                            (None, None) => true,
                            _ => false,
                        }
                })
        }
        (TypeKind::Multipart(x), TypeKind::Multipart(y)) => x.len() == y.len() && x == y,
        _ => false,
    }
}
