//! `oneOf`/`anyOf` as a type: a tagged or untagged union, a string enum when every alternative
//! is a one-value string enum (how schemars writes a documented enum), or the one alternative.

use std::collections::BTreeSet;

use openapiv3::{ReferenceOr, Schema, SchemaKind, Type};

use super::Lowerer;
use super::combine::Members;
use super::refs;
use super::scalars::variants;
use super::schema::{Properties, Shape, primitive_name};
use crate::diagnostic::{Diagnostic, child};
use crate::doc;
use crate::ident::{self, Scope};
use crate::ir::{Docs, TypeKind, TypeRef, Union, UnionVariant};

impl<'a> Lowerer<'a> {
    /// `oneOf`/`anyOf`: a tagged or untagged union of the alternatives that are not `null`
    /// (the null branch makes the value optional instead), a string enum when every
    /// alternative is a string enum (how schemars writes a documented enum), or the one
    /// alternative itself.
    pub(super) fn union(
        &mut self,
        schema: &'a Schema,
        at: &str,
        name: &str,
        members: &'a Members,
        keyword: &str,
    ) -> Shape {
        let list_at = child(at, keyword);
        if members.is_empty() {
            self.diags.push(
                Diagnostic::error(&list_at, format!("`{keyword}` lists no alternatives"))
                    .with_help("list at least one schema"),
            );
            return Shape::Ref(TypeRef::Json);
        }
        let kept: Vec<(usize, &'a ReferenceOr<Schema>)> = members
            .iter()
            .enumerate()
            .filter(|(_, m)| !self.is_null_member(m))
            .collect();
        let discriminator = schema.schema_data.discriminator.as_ref();
        if discriminator.is_none() {
            // One alternative beside a null branch is that alternative (a `$ref` stays the
            // named type, not a copy of it).
            match kept.as_slice() {
                [] => return Shape::Ref(TypeRef::Json),
                [(i, only)] => {
                    return Shape::Ref(self.schema_type(
                        (*only).into(),
                        &child(&list_at, &i.to_string()),
                        name,
                    ));
                }
                _ => {}
            }
            if let Some(values) = self.enum_alternatives(&kept) {
                return Shape::Def(TypeKind::Enum(variants(values)));
            }
        }
        let mut scope = Scope::default();
        let mut tag = None;
        let mut tag_values: Vec<Vec<String>> = vec![Vec::new(); kept.len()];
        if let Some(d) = discriminator {
            tag = Some(d.property_name.clone());
            for (k, (i, member)) in kept.iter().enumerate() {
                // The values the alternative itself allows for the tag are what the wire
                // carries; a name the alternative's own schema would reject can't be.
                let own = self.fixed_values(member, &d.property_name);
                match member {
                    ReferenceOr::Reference { .. } if d.mapping.is_empty() && !own.is_empty() => {
                        tag_values[k] = own;
                    }
                    ReferenceOr::Item(_) if !own.is_empty() => tag_values[k] = own,
                    ReferenceOr::Reference { reference } => {
                        let component = reference.rsplit('/').next().unwrap_or_default().to_owned();
                        let mapped: Vec<String> = d
                            .mapping
                            .iter()
                            .filter(|(_, target)| {
                                *target == reference || target.as_str() == component
                            })
                            .map(|(value, _)| value.clone())
                            .collect();
                        tag_values[k] = if mapped.is_empty() {
                            vec![component]
                        } else {
                            mapped
                        };
                    }
                    ReferenceOr::Item(_) => {
                        self.diags.push(untaggable_inline(
                            &child(&list_at, &i.to_string()),
                            &d.property_name,
                        ));
                    }
                }
            }
        } else if let Some((property, values)) = self.const_tag(&kept, &list_at) {
            tag = Some(property);
            for (k, v) in values.into_iter().enumerate() {
                tag_values[k] = v;
            }
        }
        let mut variants = Vec::new();
        for (k, (i, member)) in kept.iter().enumerate() {
            let member_at = child(&list_at, &i.to_string());
            // An inline alternative's `title` names it (schemars writes one per variant).
            let title = match member {
                ReferenceOr::Item(s) => s
                    .schema_data
                    .title
                    .as_deref()
                    .filter(|t| !t.trim().is_empty()),
                ReferenceOr::Reference { .. } => None,
            };
            let hint = match title {
                Some(t) => format!("{name}{}", ident::type_name(t)),
                None => format!("{name}Variant{i}"),
            };
            let ty = self.schema_type((*member).into(), &member_at, &hint);
            let candidate = match (&ty, title) {
                (_, Some(t)) => ident::variant(t),
                (TypeRef::Named(n), None) => n.clone(),
                (other, None) => ident::variant(primitive_name(other)),
            };
            variants.push(UnionVariant {
                name: scope.claim(candidate),
                tag_values: std::mem::take(&mut tag_values[k]),
                ty,
            });
        }
        Shape::Def(TypeKind::Union(Union { tag, variants }))
    }

    /// When every alternative is a string with listed values (or a plain string, which the
    /// enum's `Unknown` holds), the values in order, each with its alternative's docs.
    fn enum_alternatives(
        &self,
        kept: &[(usize, &'a ReferenceOr<Schema>)],
    ) -> Option<Vec<(String, Docs)>> {
        let mut values = Vec::new();
        let mut listed = false;
        for (_, member) in kept {
            let (schema, _) = refs::schema(self.doc, (*member).into(), "").ok()?;
            let mut docs = Docs::default();
            if let Some(d) = schema
                .schema_data
                .description
                .as_ref()
                .or(schema.schema_data.title.as_ref())
            {
                docs.push(doc::sanitize(d));
            }
            let member_values: Vec<String> = match &schema.schema_kind {
                SchemaKind::Type(Type::String(s))
                    if s.format.is_empty() || !s.enumeration.is_empty() =>
                {
                    s.enumeration.iter().flatten().cloned().collect()
                }
                SchemaKind::Any(a)
                    if a.typ.as_deref().is_none_or(|t| t == "string")
                        && !a.enumeration.is_empty()
                        && a.enumeration.iter().all(|v| v.is_string() || v.is_null())
                        && a.properties.is_empty() =>
                {
                    a.enumeration
                        .iter()
                        .filter_map(|v| v.as_str().map(str::to_owned))
                        .collect()
                }
                _ => return None,
            };
            listed |= !member_values.is_empty();
            // One description for several values would repeat on each; it stays with a
            // single value only.
            let single = member_values.len() == 1;
            for v in member_values {
                values.push((
                    v,
                    if single {
                        docs.clone()
                    } else {
                        Docs::default()
                    },
                ));
            }
        }
        (listed && !values.is_empty()).then_some(values)
    }

    /// The string values an alternative allows for `property` (an `enum` or a `const`), if it
    /// lists any.
    pub(super) fn fixed_values(
        &self,
        member: &'a ReferenceOr<Schema>,
        property: &str,
    ) -> Vec<String> {
        self.allowed_strings(member, 0)
            .into_iter()
            .find(|(name, _)| name == property)
            .map(|(_, values)| values)
            .unwrap_or_default()
    }

    /// The string values each property of a schema allows (an `enum` or a `const`), for the
    /// properties that list any. An `allOf` (a `$ref` with siblings, in 3.1) is searched
    /// member by member, a later member narrowing what an earlier one allowed; a schema with
    /// alternatives (`oneOf`/`anyOf`) allows, for a property every alternative fixes, the
    /// values of all of them: a union nested in a tagged union is selected by any of its own
    /// tag values.
    pub(super) fn allowed_strings(
        &self,
        member: &'a ReferenceOr<Schema>,
        depth: usize,
    ) -> Vec<(String, Vec<String>)> {
        // Deep enough for real documents, and a bound on `allOf` and union cycles.
        const MAX_DEPTH: usize = 8;
        let Ok((schema, _)) = refs::schema(self.doc, member.into(), "") else {
            return Vec::new();
        };
        let no_members: &'a [ReferenceOr<Schema>] = &[];
        let (properties, all_of, alternatives) = match &schema.schema_kind {
            SchemaKind::Type(Type::Object(o)) => (Some(&o.properties), no_members, no_members),
            SchemaKind::Any(a) => {
                let alternatives = if a.one_of.is_empty() {
                    &a.any_of
                } else {
                    &a.one_of
                };
                (
                    Some(&a.properties),
                    a.all_of.as_slice(),
                    alternatives.as_slice(),
                )
            }
            SchemaKind::AllOf { all_of } => (None, all_of.as_slice(), no_members),
            SchemaKind::OneOf {
                one_of: alternatives,
            }
            | SchemaKind::AnyOf {
                any_of: alternatives,
            } => (None, no_members, alternatives.as_slice()),
            _ => return Vec::new(),
        };
        let mut out = properties
            .map(|p| self.listed_strings(p))
            .unwrap_or_default();
        if depth >= MAX_DEPTH {
            return out;
        }
        let mut narrow = |found: Vec<(String, Vec<String>)>| {
            for (name, values) in found {
                out.retain(|(n, _)| *n != name);
                out.push((name, values));
            }
        };
        for m in all_of {
            narrow(self.allowed_strings(m, depth + 1));
        }
        let per_alternative: Vec<Vec<(String, Vec<String>)>> = alternatives
            .iter()
            .filter(|m| !self.is_null_member(m))
            .map(|m| self.allowed_strings(m, depth + 1))
            .collect();
        if let Some((first, rest)) = per_alternative.split_first() {
            let mut joined = Vec::new();
            for (name, values) in first {
                let mut all = values.clone();
                let fixed_in_every =
                    rest.iter()
                        .all(|alt| match alt.iter().find(|(n, _)| n == name) {
                            Some((_, more)) => {
                                for v in more {
                                    if !all.contains(v) {
                                        all.push(v.clone());
                                    }
                                }
                                true
                            }
                            None => false,
                        });
                if fixed_in_every {
                    joined.push((name.clone(), all));
                }
            }
            narrow(joined);
        }
        out
    }

    /// The string values each property lists (an `enum` or a `const`), for those that list any.
    fn listed_strings(&self, properties: &'a Properties) -> Vec<(String, Vec<String>)> {
        let mut out = Vec::new();
        for (name, property) in properties {
            let Ok((prop, _)) = refs::schema(self.doc, property.into(), "") else {
                continue;
            };
            let values: Vec<String> = match &prop.schema_kind {
                SchemaKind::Type(Type::String(st)) => {
                    st.enumeration.iter().flatten().cloned().collect()
                }
                SchemaKind::Any(a) => a
                    .enumeration
                    .iter()
                    .filter_map(|v| v.as_str().map(str::to_owned))
                    .collect(),
                _ => Vec::new(),
            };
            if !values.is_empty() {
                out.push((name.clone(), values));
            }
        }
        out
    }

    /// Finds a property that every alternative requires and restricts to string values of its
    /// own: a tag in all but name. Most alternatives fix one value; one may allow a few (Adyen's
    /// SDK action is `sdk` or `wechatpaySDK`), as long as no value is allowed by two. Reading
    /// such a union by its tag is what lets it keep a value it doesn't know: told apart by shape,
    /// an unknown action would be taken for whichever alternative it happens to fit.
    fn const_tag(
        &mut self,
        kept: &[(usize, &'a ReferenceOr<Schema>)],
        at: &str,
    ) -> Option<(String, Vec<Vec<String>>)> {
        let mut per_member: Vec<Vec<(String, Vec<String>)>> = Vec::new();
        for (i, m) in kept {
            let (schema, _) =
                refs::schema(self.doc, (*m).into(), &child(at, &i.to_string())).ok()?;
            let SchemaKind::Type(Type::Object(o)) = &schema.schema_kind else {
                return None;
            };
            let mut consts = Vec::new();
            for (prop, s) in &o.properties {
                if !o.required.contains(prop) {
                    continue;
                }
                let Ok((ps, _)) = refs::schema(self.doc, s.into(), at) else {
                    continue;
                };
                let SchemaKind::Type(Type::String(st)) = &ps.schema_kind else {
                    continue;
                };
                // A `null` among the values would be no tag a union can be chosen by.
                let values: Option<Vec<String>> = st.enumeration.iter().cloned().collect();
                if let Some(values) = values.filter(|v| !v.is_empty()) {
                    consts.push((prop.clone(), values));
                }
            }
            per_member.push(consts);
        }
        let first = per_member.first()?;
        for (prop, _) in first {
            let values: Option<Vec<Vec<String>>> = per_member
                .iter()
                .map(|c| c.iter().find(|(p, _)| p == prop).map(|(_, v)| v.clone()))
                .collect();
            if let Some(values) = values {
                let count: usize = values.iter().map(Vec::len).sum();
                let distinct: BTreeSet<&String> = values.iter().flatten().collect();
                if distinct.len() == count {
                    return Some((prop.clone(), values));
                }
            }
        }
        None
    }
}

/// An inline alternative of a discriminated union that no tag value selects.
pub(super) fn untaggable_inline(at: &str, property: &str) -> Diagnostic {
    Diagnostic::error(
        at,
        "an inline alternative cannot be selected by a `discriminator` \
         unless it fixes the tag property's value",
    )
    .with_help(format!(
        "give the alternative a `{property}` property with one `enum` value, \
         or move it into `components.schemas` and `$ref` it"
    ))
    .unsupported()
}
