//! Whole-module passes over the types: boxing recursion, alias cycles, and pruning to what the
//! operations use.

use std::collections::{BTreeMap, BTreeSet};

use crate::diagnostic::Diagnostic;
use crate::ir::{Operation, PartKind, ResponseShape, TypeDef, TypeKind, TypeRef};

/// Names a type refers to without indirection (`Vec` and maps already allocate).
fn direct_refs(ty: &TypeRef, out: &mut Vec<String>) {
    match ty {
        TypeRef::Named(n) => out.push(n.clone()),
        // A tuple stores its positions inline.
        TypeRef::Tuple(items) => items.iter().for_each(|t| direct_refs(t, out)),
        _ => {}
    }
}

/// Names a type refers to, through any container.
fn all_refs(ty: &TypeRef, out: &mut Vec<String>) {
    match ty {
        TypeRef::Named(n) => out.push(n.clone()),
        TypeRef::Vec(inner) | TypeRef::Map(inner) | TypeRef::Nullable(inner) => {
            all_refs(inner, out)
        }
        TypeRef::Tuple(items) => items.iter().for_each(|t| all_refs(t, out)),
        _ => {}
    }
}

fn edges(def: &TypeDef, follow: fn(&TypeRef, &mut Vec<String>)) -> Vec<String> {
    let mut out = Vec::new();
    match &def.kind {
        TypeKind::Struct(fields) => fields.iter().for_each(|f| follow(&f.ty, &mut out)),
        TypeKind::Union(u) => u.variants.iter().for_each(|v| follow(&v.ty, &mut out)),
        TypeKind::Alias(ty) => follow(ty, &mut out),
        TypeKind::Multipart(parts) => parts.iter().for_each(|p| match &p.kind {
            PartKind::Text(ty) | PartKind::Texts(ty) | PartKind::Json(ty) => follow(ty, &mut out),
            PartKind::File | PartKind::Files => {}
        }),
        TypeKind::Statuses(answers) => answers
            .iter()
            .filter_map(|a| a.ty.as_ref())
            .for_each(|ty| follow(ty, &mut out)),
        TypeKind::Enum(_) => {}
    }
    out
}

fn reaches(
    graph: &BTreeMap<String, Vec<String>>,
    from: &str,
    target: &str,
    seen: &mut BTreeSet<String>,
) -> bool {
    if from == target {
        return true;
    }
    if !seen.insert(from.to_owned()) {
        return false;
    }
    graph
        .get(from)
        .is_some_and(|next| next.iter().any(|n| reaches(graph, n, target, seen)))
}

/// Boxes every struct field whose type leads back to the struct without passing through a
/// `Vec` or a map; without the box the type would have infinite size. Every such cycle has a
/// struct in it: a cycle of unions alone is rejected by [`union_cycles`].
pub fn box_recursive_fields(types: &mut [TypeDef]) {
    let graph: BTreeMap<String, Vec<String>> = types
        .iter()
        .map(|t| (t.name.clone(), edges(t, direct_refs)))
        .collect();
    for def in types.iter_mut() {
        let name = def.name.clone();
        if let TypeKind::Struct(fields) = &mut def.kind {
            for f in fields {
                let mut targets = Vec::new();
                direct_refs(&f.ty, &mut targets);
                f.boxed = targets
                    .iter()
                    .any(|target| reaches(&graph, target, &name, &mut BTreeSet::new()));
            }
        }
    }
}

/// A union that leads back to itself through unions and aliases alone can't be decoded: on a
/// value that matches no alternative, trying them would recurse forever. An object, array or
/// map anywhere in the cycle consumes a level of the input, so only cycles without one are
/// rejected.
pub fn union_cycles(types: &[TypeDef]) -> Vec<Diagnostic> {
    let graph: BTreeMap<String, Vec<String>> = types
        .iter()
        .filter(|t| matches!(t.kind, TypeKind::Union(_) | TypeKind::Alias(_)))
        // An array or map, like an object, consumes a level of the input.
        .map(|t| (t.name.clone(), edges(t, direct_refs)))
        .collect();
    types
        .iter()
        .filter(|t| matches!(t.kind, TypeKind::Union(_)))
        .filter(|t| {
            graph[&t.name]
                .iter()
                .any(|n| reaches(&graph, n, &t.name, &mut BTreeSet::new()))
        })
        .map(|t| {
            Diagnostic::error(
                t.origin.trim_start_matches('#'),
                format!("`{}` contains itself through `oneOf`/`anyOf` alone", t.name),
            )
            .with_help("put an object between the alternatives and the recursion, e.g. an object with the nested value as a property")
        })
        .collect()
}

/// Type aliases that expand into themselves cannot be written in Rust at all.
pub fn alias_cycles(types: &[TypeDef]) -> Vec<Diagnostic> {
    let aliases: BTreeMap<String, Vec<String>> = types
        .iter()
        .filter(|t| matches!(t.kind, TypeKind::Alias(_)))
        .map(|t| (t.name.clone(), edges(t, all_refs)))
        .collect();
    let mut out = Vec::new();
    for def in types {
        let Some(next) = aliases.get(&def.name) else {
            continue;
        };
        if next
            .iter()
            .any(|n| reaches(&aliases, n, &def.name, &mut BTreeSet::new()))
        {
            let pointer = def.origin.trim_start_matches('#').to_owned();
            out.push(
                Diagnostic::error(
                    pointer,
                    format!("`{}` is defined only in terms of itself", def.name),
                )
                .with_help("give the recursive schema at least one object in the cycle"),
            );
        }
    }
    out
}

/// The names reachable from `roots` in `graph`, roots included.
fn closure(graph: &BTreeMap<String, Vec<String>>, mut roots: Vec<String>) -> BTreeSet<String> {
    let mut reached = BTreeSet::new();
    while let Some(name) = roots.pop() {
        if reached.insert(name.clone())
            && let Some(next) = graph.get(&name)
        {
            roots.extend(next.iter().cloned());
        }
    }
    reached
}

pub(super) fn full_graph(types: &[TypeDef]) -> BTreeMap<String, Vec<String>> {
    types
        .iter()
        .map(|t| (t.name.clone(), edges(t, all_refs)))
        .collect()
}

/// Types named by the operations' parameters and bodies (`requests`) and, unless
/// `requests_only`, by their responses too.
fn operation_roots(operations: &[Operation], requests_only: bool) -> Vec<String> {
    let mut roots = Vec::new();
    for op in operations {
        op.params.iter().for_each(|p| all_refs(&p.ty, &mut roots));
        if let Some(b) = &op.body {
            all_refs(&b.ty, &mut roots);
        }
        if requests_only {
            continue;
        }
        match &op.success.shape {
            ResponseShape::Bare(t)
            | ResponseShape::Data(t)
            | ResponseShape::List(t)
            | ResponseShape::Status(t) => all_refs(t, &mut roots),
            ResponseShape::Empty | ResponseShape::Text | ResponseShape::Bytes => {}
        }
        if let Some(e) = &op.error {
            all_refs(&e.ty, &mut roots);
        }
    }
    roots
}

/// The types each operation uses, directly or through other types.
pub fn used_by_each(types: &[TypeDef], operations: &[Operation]) -> Vec<BTreeSet<String>> {
    let graph = full_graph(types);
    operations
        .iter()
        .map(|op| closure(&graph, operation_roots(std::slice::from_ref(op), false)))
        .collect()
}

/// Keeps the types that the operations use, directly or through other types, in their
/// original order. Envelopes and unused components would only be noise in the client.
/// The types the operations use, and those under `extra_roots` (webhook events).
pub fn reachable(
    types: Vec<TypeDef>,
    operations: &[Operation],
    extra_roots: &[TypeRef],
) -> Vec<TypeDef> {
    let mut roots = operation_roots(operations, false);
    extra_roots.iter().for_each(|t| all_refs(t, &mut roots));
    let keep = closure(&full_graph(&types), roots);
    types
        .into_iter()
        .filter(|t| keep.contains(&t.name))
        .collect()
}

/// Marks types that appear in requests, so they get constructors and setters.
pub fn mark_request_types(types: &mut [TypeDef], operations: &[Operation]) {
    let marked = closure(&full_graph(types), operation_roots(operations, true));
    for t in types {
        t.in_request = marked.contains(&t.name);
    }
}

/// Untagged unions decode by trying their alternatives in order, and a Rust struct also
/// decodes from a JSON array (serde fills its fields by position). So an array that an array
/// alternative would take could be taken by an earlier struct alternative instead. Array
/// alternatives are moved first: no other kind of alternative decodes an array rightly, and
/// for every other value their place changes nothing.
pub fn arrays_first_in_untagged_unions(types: &mut [TypeDef]) {
    let arrays: BTreeSet<String> = types
        .iter()
        .filter(|t| matches!(&t.kind, TypeKind::Alias(ty) if is_array(ty, &BTreeSet::new())))
        .map(|t| t.name.clone())
        .collect();
    for def in types.iter_mut() {
        if let TypeKind::Union(union) = &mut def.kind
            && union.tag.is_none()
        {
            union.variants.sort_by_key(|v| !is_array(&v.ty, &arrays));
        }
    }
}

/// A `Vec`, a tuple, or an alias of one (as listed in `array_aliases`).
fn is_array(ty: &TypeRef, array_aliases: &BTreeSet<String>) -> bool {
    match ty {
        TypeRef::Vec(_) | TypeRef::Tuple(_) => true,
        TypeRef::Named(name) => array_aliases.contains(name),
        _ => false,
    }
}
