//! `allOf`, `oneOf` and `anyOf`, alone or beside `type` and `properties`, `allOf` merged into
//! one object, and the null branch that makes a value optional. What a `oneOf`/`anyOf`
//! becomes (a union, a string enum or the one alternative) is in `union.rs`.

use std::collections::BTreeSet;

use openapiv3::{AnySchema, ReferenceOr, Schema, SchemaKind, Type};
use serde_json::Value;

use super::Lowerer;
use super::refs::{self, SchemaRef};
use super::schema::{Properties, Property, Shape, properties};
use super::union::untaggable_inline;
use crate::diagnostic::{Diagnostic, child};
use crate::doc;
use crate::ident::{self, Scope};
use crate::ir::{Docs, TypeKind, TypeRef, Union, UnionVariant};

/// The alternatives or parts of a combinator.
pub(super) type Members = [ReferenceOr<Schema>];

impl<'a> Lowerer<'a> {
    /// True when a value of this schema may be `null`: `nullable`, an `enum` that lists
    /// `null`, or a `oneOf`/`anyOf` with a null branch.
    pub(super) fn nullable(&self, schema: &Schema) -> bool {
        if schema.schema_data.nullable {
            return true;
        }
        match &schema.schema_kind {
            SchemaKind::Type(Type::String(s)) => s.enumeration.iter().any(Option::is_none),
            SchemaKind::Type(Type::Integer(i)) => i.enumeration.iter().any(Option::is_none),
            SchemaKind::Type(Type::Number(n)) => n.enumeration.iter().any(Option::is_none),
            SchemaKind::Type(Type::Boolean(b)) => b.enumeration.iter().any(Option::is_none),
            SchemaKind::OneOf { one_of: members } | SchemaKind::AnyOf { any_of: members } => {
                members.iter().any(|m| self.is_null_member(m))
            }
            SchemaKind::Any(a) => {
                a.enumeration.iter().any(Value::is_null)
                    || a.one_of
                        .iter()
                        .chain(&a.any_of)
                        .any(|m| self.is_null_member(m))
            }
            _ => false,
        }
    }

    /// A branch whose only value is `null` (3.1's `type: "null"`, 3.0's `enum: [null]`).
    pub(super) fn is_null_member(&self, member: &ReferenceOr<Schema>) -> bool {
        let Ok((schema, _)) = refs::schema(self.doc, member.into(), "") else {
            return false;
        };
        match &schema.schema_kind {
            SchemaKind::Any(a) => {
                !a.enumeration.is_empty()
                    && a.enumeration.iter().all(Value::is_null)
                    && a.properties.is_empty()
                    && a.items.is_none()
            }
            SchemaKind::Type(Type::String(s)) => {
                !s.enumeration.is_empty() && s.enumeration.iter().all(Option::is_none)
            }
            _ => false,
        }
    }

    /// A schema with combinators beside other keywords (openapiv3's `Any`).
    pub(super) fn combined(
        &mut self,
        schema: &'a Schema,
        any: &'a AnySchema,
        at: &str,
        name: &str,
    ) -> Shape {
        let alternatives = if !any.one_of.is_empty() {
            Some((any.one_of.as_slice(), "oneOf"))
        } else if !any.any_of.is_empty() {
            Some((any.any_of.as_slice(), "anyOf"))
        } else {
            None
        };
        if !any.all_of.is_empty() {
            let props = properties(&any.properties, at);
            if let Some((alternatives, keyword)) = alternatives
                && !self.constraints_only(alternatives, &any.properties)
            {
                let (props, required) = self.merge(at, &any.all_of, props, &any.required);
                return self.distributed(
                    schema,
                    at,
                    name,
                    (props, &required),
                    alternatives,
                    keyword,
                );
            }
            return self.all_of(at, name, &any.all_of, props, &any.required);
        }
        let Some((alternatives, keyword)) = alternatives else {
            return Shape::Ref(TypeRef::Json);
        };
        if any.properties.is_empty() && any.additional_properties.is_none() {
            // `type: object` (or `nullable`) beside the alternatives restates what they say.
            return self.union(schema, at, name, alternatives, keyword);
        }
        let props = properties(&any.properties, at);
        if !self.constraints_only(alternatives, &any.properties) {
            return self.distributed(
                schema,
                at,
                name,
                (props, &any.required),
                alternatives,
                keyword,
            );
        }
        self.object(
            at,
            name,
            props,
            &any.required,
            any.additional_properties.as_ref(),
        )
    }

    /// Properties beside `oneOf`/`anyOf` belong to every alternative: `{P, oneOf: [A, B]}`
    /// means `oneOf: [P + A, P + B]`. Each alternative becomes a struct of the shared
    /// properties merged with its own, and the type is the union of those structs, tagged when
    /// a `discriminator` says how.
    fn distributed(
        &mut self,
        schema: &'a Schema,
        at: &str,
        name: &str,
        (shared, shared_required): (Vec<Property<'a>>, &[String]),
        alternatives: &'a Members,
        keyword: &str,
    ) -> Shape {
        let list_at = child(at, keyword);
        let schema_at = |i: usize| child(&list_at, &i.to_string());
        let mut scope = Scope::default();
        let mut variants = Vec::new();
        let tag = schema.schema_data.discriminator.as_ref();
        for (i, member) in alternatives.iter().enumerate() {
            if self.is_null_member(member) {
                continue;
            }
            let member_at = schema_at(i);
            let (own, target_name) = match member {
                ReferenceOr::Item(s) => (s.schema_data.title.clone(), None),
                ReferenceOr::Reference { reference } => (
                    None,
                    refs::component_name(reference, "schemas", &member_at).ok(),
                ),
            };
            let label = own
                .as_deref()
                .filter(|t| !t.trim().is_empty())
                .map(ident::type_name)
                .or_else(|| target_name.as_deref().map(ident::type_name))
                .unwrap_or_else(|| format!("Variant{i}"));
            let mut props: Vec<Property<'a>> = shared
                .iter()
                .map(|p| Property {
                    name: p.name.clone(),
                    schema: p.schema,
                    pointer: p.pointer.clone(),
                })
                .collect();
            let mut required = shared_required.to_vec();
            let mut seen = BTreeSet::from([at.to_owned()]);
            self.collect_all_of(
                member.into(),
                &member_at,
                &mut props,
                &mut required,
                &mut seen,
            );
            let type_name = self
                .type_scope
                .claim(ident::type_name(&format!("{name}{label}")));
            let kind = match self.object(&member_at, &type_name, last_wins(props), &required, None)
            {
                Shape::Def(kind) => kind,
                Shape::Ref(ty) => TypeKind::Alias(ty),
            };
            let mut docs = Docs::default();
            if let Ok((schema, found_at)) = refs::schema(self.doc, member.into(), &member_at) {
                docs = self.schema_docs(schema, &found_at);
            }
            if docs.is_empty() {
                docs.push(format!(
                    "One of the alternatives of `{name}`: its shared properties and those of {}.",
                    doc::code(&format!("#{member_at}"))
                ));
            }
            let ty = self.push_type(type_name.clone(), &member_at, docs, kind);
            let tag_values = match tag {
                Some(d) => {
                    let property = &d.property_name;
                    let own = self.fixed_values(member, property);
                    match (own.is_empty(), target_name) {
                        (false, _) => own,
                        (true, Some(target)) => {
                            let mapped: Vec<String> = d
                                .mapping
                                .iter()
                                .filter(|(_, to)| to.rsplit('/').next() == Some(target.as_str()))
                                .map(|(value, _)| value.clone())
                                .collect();
                            if mapped.is_empty() {
                                vec![target]
                            } else {
                                mapped
                            }
                        }
                        (true, None) => {
                            self.diags.push(untaggable_inline(&member_at, property));
                            Vec::new()
                        }
                    }
                }
                None => Vec::new(),
            };
            variants.push(UnionVariant {
                name: scope.claim(ident::variant(&label)),
                tag_values,
                ty,
            });
        }
        if variants.is_empty() {
            return self.object(at, name, shared, shared_required, None);
        }
        Shape::Def(TypeKind::Union(Union {
            tag: tag.map(|d| d.property_name.clone()),
            variants,
        }))
    }

    fn not_captured(&mut self, at: &str, keyword: &str, beside: &str, kept: &str) {
        self.diags.push(
            Diagnostic::warning(
                child(at, keyword),
                format!("the alternatives of `{keyword}` beside {beside} are not captured; the type holds {kept}"),
            )
            .with_help("move the alternatives into their own schema, or `$ref` that schema where it is merged"),
        );
    }

    /// Alternatives that only constrain the schema's own properties (which are required, a
    /// narrower enum): GitHub's `anyOf: [{required: [a]}, {required: [b]}]`. They change no
    /// type, so the struct of the shared properties says everything.
    fn constraints_only(&self, alternatives: &Members, base: &Properties) -> bool {
        alternatives.iter().all(|alt| {
            let Ok((schema, _)) = refs::schema(self.doc, alt.into(), "") else {
                return false;
            };
            match &schema.schema_kind {
                SchemaKind::Type(Type::Object(o)) => {
                    o.properties.keys().all(|k| base.contains_key(k))
                }
                SchemaKind::Any(a) => {
                    a.one_of.is_empty()
                        && a.any_of.is_empty()
                        && a.all_of.is_empty()
                        && a.items.is_none()
                        && a.enumeration.is_empty()
                        && a.typ.as_deref().is_none_or(|t| t == "object")
                        && a.properties.keys().all(|k| base.contains_key(k))
                }
                _ => false,
            }
        })
    }

    /// Members that only annotate (a `description`, `nullable`, a `default`) say nothing about
    /// the shape.
    fn annotation_only(member: &ReferenceOr<Schema>) -> bool {
        let ReferenceOr::Item(schema) = member else {
            return false;
        };
        match &schema.schema_kind {
            SchemaKind::Any(a) => {
                a.typ.is_none()
                    && a.properties.is_empty()
                    && a.required.is_empty()
                    && a.items.is_none()
                    && a.enumeration.is_empty()
                    && a.additional_properties.is_none()
                    && a.format.is_none()
                    && a.one_of.is_empty()
                    && a.any_of.is_empty()
                    && a.all_of.is_empty()
                    && a.not.is_none()
            }
            _ => false,
        }
    }

    /// True for members that merge as objects: object schemas, `required` lists, nested
    /// `allOf`s.
    fn object_like(&self, member: &ReferenceOr<Schema>) -> bool {
        let Ok((schema, _)) = refs::schema(self.doc, member.into(), "") else {
            // A broken reference is reported when it is merged.
            return true;
        };
        match &schema.schema_kind {
            SchemaKind::Type(Type::Object(_)) | SchemaKind::AllOf { .. } => true,
            SchemaKind::Any(a) => {
                !a.properties.is_empty()
                    || !a.required.is_empty()
                    || a.typ.as_deref() == Some("object")
                    || !a.all_of.is_empty()
            }
            _ => false,
        }
    }

    /// `allOf`: the merge of its object members (and of `base`, the properties beside it).
    /// One shaped member is that member's type (`allOf: [$ref]` is 3.0's way to annotate a
    /// reference); members that are not objects (a string with a pattern, an enum) narrow one
    /// value, and the most specific one is its type.
    pub(super) fn all_of(
        &mut self,
        at: &str,
        name: &str,
        members: &'a Members,
        base: Vec<Property<'a>>,
        base_required: &[String],
    ) -> Shape {
        let list_at = child(at, "allOf");
        let shaped: Vec<(usize, &'a ReferenceOr<Schema>)> = members
            .iter()
            .enumerate()
            .filter(|(_, m)| !Self::annotation_only(m))
            .collect();
        let objects: Vec<(usize, &'a ReferenceOr<Schema>)> = shaped
            .iter()
            .copied()
            .filter(|(_, m)| self.object_like(m))
            .collect();
        if base.is_empty() && objects.len() < shaped.len() {
            if !objects.is_empty() {
                self.diags.push(
                    Diagnostic::warning(
                        &list_at,
                        "an `allOf` that merges objects with other schemas keeps only the objects",
                    )
                    .with_help("merge object schemas only; narrow a single value in one member"),
                );
            } else {
                return match self.most_specific(&shaped) {
                    Some((i, member)) => Shape::Ref(self.schema_type(
                        member.into(),
                        &child(&list_at, &i.to_string()),
                        name,
                    )),
                    None => Shape::Ref(TypeRef::Json),
                };
            }
        }
        if let ([(i, only)], true) = (objects.as_slice(), base.is_empty()) {
            return Shape::Ref(self.schema_type(
                (*only).into(),
                &child(&list_at, &i.to_string()),
                name,
            ));
        }
        let (merged, required) = self.merge(at, members, base, base_required);
        self.object(at, name, merged, &required, None)
    }

    /// The properties and `required` list of `base` merged with the object members of the
    /// `allOf` at `at`.
    fn merge(
        &mut self,
        at: &str,
        members: &'a Members,
        base: Vec<Property<'a>>,
        base_required: &[String],
    ) -> (Vec<Property<'a>>, Vec<String>) {
        let list_at = child(at, "allOf");
        let mut props = base;
        let mut required = base_required.to_vec();
        // The chain of schemas being merged: meeting one of them again is a cycle.
        let mut seen = BTreeSet::from([at.to_owned()]);
        for (i, member) in members.iter().enumerate() {
            if Self::annotation_only(member) || !self.object_like(member) {
                continue;
            }
            let member_at = child(&list_at, &i.to_string());
            self.collect_all_of(
                member.into(),
                &member_at,
                &mut props,
                &mut required,
                &mut seen,
            );
        }
        (last_wins(props), required)
    }

    /// Of members that each narrow one value, the one whose type says most: an enum over a
    /// plain string.
    fn most_specific(
        &self,
        shaped: &[(usize, &'a ReferenceOr<Schema>)],
    ) -> Option<(usize, &'a ReferenceOr<Schema>)> {
        let is_enum = |m: &ReferenceOr<Schema>| {
            refs::schema(self.doc, m.into(), "").is_ok_and(|(s, _)| match &s.schema_kind {
                SchemaKind::Type(Type::String(st)) => st.enumeration.iter().flatten().count() > 1,
                _ => false,
            })
        };
        shaped
            .iter()
            .copied()
            .find(|(_, m)| matches!(m, ReferenceOr::Reference { .. }) || is_enum(m))
            .or_else(|| shaped.first().copied())
    }

    fn collect_all_of(
        &mut self,
        member: SchemaRef<'a>,
        at: &str,
        props: &mut Vec<Property<'a>>,
        required: &mut Vec<String>,
        seen: &mut BTreeSet<String>,
    ) {
        let (schema, pointer) = match refs::schema(self.doc, member, at) {
            Ok(found) => found,
            Err(d) => {
                self.diags.push(d);
                return;
            }
        };
        if !seen.insert(pointer.clone()) {
            self.diags
                .push(Diagnostic::error(at, "`allOf` includes itself").with_help(
                    "break the cycle: a schema cannot extend one of its own extensions",
                ));
            return;
        }
        let (member_properties, req) = match &schema.schema_kind {
            SchemaKind::Type(Type::Object(o)) => (&o.properties, &o.required),
            SchemaKind::Any(a) => {
                if !a.one_of.is_empty() || !a.any_of.is_empty() {
                    let (alternatives, keyword) = if a.one_of.is_empty() {
                        (&a.any_of, "anyOf")
                    } else {
                        (&a.one_of, "oneOf")
                    };
                    if !self.constraints_only(alternatives, &a.properties) {
                        self.not_captured(
                            &pointer,
                            keyword,
                            "`properties`",
                            "the common properties",
                        );
                    }
                }
                for (i, m) in a.all_of.iter().enumerate() {
                    let nested = child(&child(&pointer, "allOf"), &i.to_string());
                    self.collect_all_of(m.into(), &nested, props, required, seen);
                }
                (&a.properties, &a.required)
            }
            SchemaKind::AllOf { all_of } => {
                for (i, m) in all_of.iter().enumerate() {
                    if Self::annotation_only(m) {
                        continue;
                    }
                    let nested = child(&child(&pointer, "allOf"), &i.to_string());
                    self.collect_all_of(m.into(), &nested, props, required, seen);
                }
                seen.remove(&pointer);
                return;
            }
            _ => {
                self.diags.push(
                    Diagnostic::warning(
                        at,
                        "an `allOf` member that is not an object schema is left out of the merge",
                    )
                    .with_help("only object schemas can be merged; use `oneOf` for alternatives"),
                );
                seen.remove(&pointer);
                return;
            }
        };
        props.extend(properties(member_properties, &pointer));
        for r in req {
            if !required.contains(r) {
                required.push(r.clone());
            }
        }
        seen.remove(&pointer);
    }
}

/// A later `allOf` member may restate a property; the last statement wins, in first position.
fn last_wins(props: Vec<Property<'_>>) -> Vec<Property<'_>> {
    let mut merged: Vec<Property<'_>> = Vec::new();
    for p in props {
        match merged.iter_mut().find(|m| m.name == p.name) {
            Some(existing) => *existing = p,
            None => merged.push(p),
        }
    }
    merged
}
