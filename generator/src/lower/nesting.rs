//! How deep the generated types nest, and a warning where rustc's default recursion limit
//! can't hold it.
//!
//! rustc proves an auto trait (`Send`, `Sync`) of a struct from its fields, one nested type at
//! a time, two steps a level (`Option<T>`, then `T`); rustdoc proves every auto trait of every
//! type it documents. A chain of about 64 distinct types nested in one another goes past the
//! default recursion limit of 128 (E0275 in `cargo doc`), and about 200 past it in `cargo check`
//! too (E0320, drop-check). No shape of generated code shortens a `Send` proof without
//! `unsafe`, so a document whose types nest that deep gets a located warning, and the client's
//! docs say what the including crate needs. A recursive group of types counts as one level:
//! a proof that meets a type again succeeds there (auto traits are coinductive).

use std::collections::BTreeMap;

use crate::diagnostic::Diagnostic;
use crate::ir::{Nesting, TypeDef};

/// Past this many nested types, `cargo doc` fails at the default recursion limit.
pub(super) const MOST_NESTED: usize = 60;

/// The deepest chain of nested types, when it is deeper than [`MOST_NESTED`], with its warning.
pub(super) fn too_deep(types: &[TypeDef]) -> Option<(Nesting, Diagnostic)> {
    let graph = super::graph::full_graph(types);
    let components = strongly_connected(&graph);
    // The depth of each component: itself plus the deepest it reaches. Tarjan's algorithm
    // finds components in reverse topological order, so every successor is done first.
    let mut depth: Vec<usize> = vec![0; components.groups.len()];
    let mut next: Vec<Option<usize>> = vec![None; components.groups.len()];
    for (c, members) in components.groups.iter().enumerate() {
        for member in members {
            for to in graph.get(member).into_iter().flatten() {
                let Some(&d) = components.of.get(to.as_str()) else {
                    continue;
                };
                if d != c && depth[d] > next[c].map_or(0, |n| depth[n]) {
                    next[c] = Some(d);
                }
            }
        }
        depth[c] = 1 + next[c].map_or(0, |n| depth[n]);
    }
    let (deepest, &levels) = depth
        .iter()
        .enumerate()
        .max_by_key(|(c, d)| (**d, usize::MAX - c))?;
    if levels <= MOST_NESTED {
        return None;
    }
    let mut chain = Vec::new();
    let mut at = Some(deepest);
    while let Some(c) = at {
        chain.push(components.groups[c][0].clone());
        at = next[c];
    }
    let root = chain[0].clone();
    let def = types.iter().find(|t| t.name == root)?;
    let shown = match chain.as_slice() {
        [first, second, .., last] => format!("`{first}` → `{second}` → … → `{last}`"),
        _ => format!("`{root}`"),
    };
    let warning = Diagnostic::warning(
        def.origin.trim_start_matches('#'),
        format!("types nest {levels} deep here ({shown}), past what rustc checks at its default recursion limit"),
    )
    .with_help(
        "a crate that includes this client needs `#![recursion_limit = \"256\"]` for `cargo doc` (and for `cargo check` past about 200 levels); flattening the schema avoids it. The nesting comes from the document, and proving `Send` for it takes no fewer steps in any shape of generated code",
    );
    Some((
        Nesting {
            root,
            depth: levels,
        },
        warning,
    ))
}

/// Strongly connected components, each a list of type names, in reverse topological order.
struct Components<'g> {
    groups: Vec<Vec<String>>,
    of: BTreeMap<&'g str, usize>,
}

/// Tarjan's algorithm, iterative: a chain of thousands of types must not exhaust the stack.
fn strongly_connected(graph: &BTreeMap<String, Vec<String>>) -> Components<'_> {
    let mut index: BTreeMap<&str, usize> = BTreeMap::new();
    let mut low: BTreeMap<&str, usize> = BTreeMap::new();
    let mut on_stack: BTreeMap<&str, bool> = BTreeMap::new();
    let mut stack: Vec<&str> = Vec::new();
    let mut out = Components {
        groups: Vec::new(),
        of: BTreeMap::new(),
    };
    let mut counter = 0;
    for start in graph.keys() {
        if index.contains_key(start.as_str()) {
            continue;
        }
        // (node, the next successor to look at)
        let mut work: Vec<(&str, usize)> = vec![(start.as_str(), 0)];
        while let Some((node, i)) = work.pop() {
            if i == 0 {
                index.insert(node, counter);
                low.insert(node, counter);
                counter += 1;
                stack.push(node);
                on_stack.insert(node, true);
            }
            let successors = graph.get(node).map(Vec::as_slice).unwrap_or_default();
            if let Some(to) = successors.get(i) {
                work.push((node, i + 1));
                let to = to.as_str();
                if !graph.contains_key(to) {
                    continue;
                }
                match index.get(to) {
                    None => work.push((to, 0)),
                    Some(&to_index) if on_stack.get(to).copied().unwrap_or(false) => {
                        let l = low[node].min(to_index);
                        low.insert(node, l);
                    }
                    Some(_) => {}
                }
                continue;
            }
            // All successors seen: settle the node, and tell its parent.
            if low[node] == index[node] {
                let mut group = Vec::new();
                while let Some(member) = stack.pop() {
                    on_stack.insert(member, false);
                    out.of.insert(member, out.groups.len());
                    group.push(member.to_owned());
                    if member == node {
                        break;
                    }
                }
                group.reverse();
                out.groups.push(group);
            }
            if let Some(&(parent, _)) = work.last() {
                let l = low[parent].min(low[node]);
                low.insert(parent, l);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn graph(edges: &[(&str, &[&str])]) -> BTreeMap<String, Vec<String>> {
        edges
            .iter()
            .map(|(from, to)| {
                (
                    (*from).to_owned(),
                    to.iter().map(|t| (*t).to_owned()).collect(),
                )
            })
            .collect()
    }

    #[test]
    fn components_come_in_reverse_topological_order() {
        let g = graph(&[("A", &["B"]), ("B", &["C", "A"]), ("C", &["D"]), ("D", &[])]);
        let c = strongly_connected(&g);
        assert_eq!(c.groups, [vec!["D"], vec!["C"], vec!["A", "B"]]);
        assert_eq!(c.of["A"], c.of["B"]);
    }
}
