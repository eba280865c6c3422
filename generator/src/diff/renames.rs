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
    new_names: BTreeSet<String>,
}

impl Renames {
    /// The new name of an old type: itself unless it was renamed.
    pub(super) fn new_name<'n>(&'n self, old: &'n str) -> &'n str {
        self.types.get(old).map_or(old, String::as_str)
    }

    /// True when `new` is the new name of a renamed type.
    pub(super) fn is_new_name(&self, new: &str) -> bool {
        self.new_names.contains(new)
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
    // Only types of the same outline can have the same shape: comparing within outlines keeps
    // two very different versions of a large API (thousands of types gone, thousands new)
    // from comparing every pair.
    let removed = by_outline(old, old_names.difference(&new_names).copied());
    let added = by_outline(new, new_names.difference(&old_names).copied());
    let mut renames = Renames::default();
    loop {
        let mut found: Vec<(&str, &str)> = Vec::new();
        for (key, removed) in &removed {
            let Some(added) = added.get(key) else {
                continue;
            };
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
            for r in &open_removed {
                let mut candidates = open_added.iter().copied().filter(|a| matches(r, a));
                if let (Some(a), None) = (candidates.next(), candidates.next())
                    && open_removed
                        .iter()
                        .filter(|other| matches(other, a))
                        .count()
                        == 1
                {
                    found.push((r, a));
                }
            }
        }
        if found.is_empty() {
            return renames;
        }
        for (r, a) in found {
            renames.types.insert(r.to_owned(), a.to_owned());
            renames.new_names.insert(a.to_owned());
        }
    }
}

/// `names` grouped by the outline of their type on `side`.
fn by_outline<'n>(
    side: &Side,
    names: impl Iterator<Item = &'n str>,
) -> BTreeMap<Outline, Vec<&'n str>> {
    let mut groups: BTreeMap<Outline, Vec<&'n str>> = BTreeMap::new();
    for name in names {
        if let Some(def) = side.type_def(name) {
            groups.entry(outline(&def.kind)).or_default().push(name);
        }
    }
    groups
}

/// What of a type's shape does not depend on the names of the types it refers to, which a
/// rename may change: its kind, and its members' names and flags.
#[derive(PartialEq, Eq, PartialOrd, Ord)]
enum Outline {
    Struct(Vec<(String, String, bool, bool, bool)>),
    Enum(Vec<(String, String)>),
    Union(Option<String>, Vec<(String, Vec<String>)>),
    Alias,
    Statuses(Vec<(u16, String, bool)>),
    Multipart(usize),
}

fn outline(kind: &TypeKind) -> Outline {
    match kind {
        TypeKind::Struct(fields) => Outline::Struct(
            fields
                .iter()
                .map(|f| {
                    (
                        f.name.clone(),
                        f.wire_name.clone(),
                        f.required,
                        f.nullable,
                        f.boxed,
                    )
                })
                .collect(),
        ),
        TypeKind::Enum(variants) => Outline::Enum(
            variants
                .iter()
                .map(|v| (v.name.clone(), v.wire_value.clone()))
                .collect(),
        ),
        TypeKind::Union(u) => Outline::Union(
            u.tag.clone(),
            u.variants
                .iter()
                .map(|v| (v.name.clone(), v.tag_values.clone()))
                .collect(),
        ),
        TypeKind::Alias(_) => Outline::Alias,
        TypeKind::Statuses(answers) => Outline::Statuses(
            answers
                .iter()
                .map(|a| (a.status, a.name.clone(), a.ty.is_some()))
                .collect(),
        ),
        TypeKind::Multipart(parts) => Outline::Multipart(parts.len()),
    }
}

/// Same kind, same members, same types (through renames found so far); docs don't count.
fn same_shape(old: &Side, new: &Side, renames: &Renames, a: &str, b: &str) -> bool {
    #[cfg(test)]
    tests::COMPARED.with(|c| c.set(c.get() + 1));
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

#[cfg(test)]
mod tests {
    use std::cell::Cell;

    use super::{Side, detect};
    use crate::Builder;

    thread_local! {
        /// How many pairs of types `same_shape` compared on this thread.
        pub(super) static COMPARED: Cell<usize> = const { Cell::new(0) };
    }

    /// A spec whose schemas `{prefix}{i}` each have one string property `{field}{i}`, and
    /// `extra` more schemas, all used by one operation (types no operation uses are left out).
    fn spec(prefix: &str, field: &str, count: usize, extra: &[(&str, &str)]) -> String {
        let mut schemas = String::new();
        let mut uses = String::new();
        let mut add = |name: &str, property: &str| {
            schemas.push_str(&format!(
                "    {name}:\n      type: object\n      properties:\n        {property}: {{type: string}}\n"
            ));
            uses.push_str(&format!(
                "        use_{name}: {{$ref: '#/components/schemas/{name}'}}\n"
            ));
        };
        for i in 0..count {
            add(&format!("{prefix}{i}"), &format!("{field}{i}"));
        }
        for (name, property) in extra {
            add(name, property);
        }
        format!(
            "openapi: 3.0.3\ninfo: {{title: T, version: '1'}}\npaths:\n  /all:\n    get:\n      operationId: all\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: {{$ref: '#/components/schemas/All'}}\ncomponents:\n  schemas:\n    All:\n      type: object\n      properties:\n{uses}{schemas}"
        )
    }

    #[test]
    fn only_types_of_the_same_outline_are_compared() {
        let old = Builder::from_text("old.yaml", spec("Old", "a", 300, &[]))
            .snapshot()
            .unwrap();
        // Every type is gone and 301 are new; one of them has the fields of `Old7`.
        let new = Builder::from_text("new.yaml", spec("New", "b", 300, &[("Kept", "a7")]))
            .snapshot()
            .unwrap();
        COMPARED.with(|c| c.set(0));
        let renames = detect(&Side::new(&old), &Side::new(&new));
        assert_eq!(renames.new_name("Old7"), "Kept");
        assert_eq!(renames.new_name("Old8"), "Old8");
        // All pairs would be 300 × 301 per round.
        let compared = COMPARED.with(Cell::get);
        assert!(compared < 10, "{compared} comparisons");
    }
}
