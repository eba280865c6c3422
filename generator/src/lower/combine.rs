//! `allOf`, `oneOf` and `anyOf`, alone or beside `type` and `properties`, and the null branch
//! that makes a value optional.

use std::collections::BTreeSet;

use openapiv3::{AnySchema, ReferenceOr, Schema, SchemaKind, Type};
use serde_json::Value;

use super::Lowerer;
use super::refs::{self, SchemaRef};
use super::scalars::variants;
use super::schema::{Properties, Property, Shape, primitive_name, properties};
use crate::diagnostic::{Diagnostic, child};
use crate::doc;
use crate::ident::{self, Scope};
use crate::ir::{Docs, TypeKind, TypeRef, Union, UnionVariant};

type Members = [ReferenceOr<Schema>];

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
    fn is_null_member(&self, member: &ReferenceOr<Schema>) -> bool {
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
                tag_values[k] = vec![v];
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
    fn fixed_values(&self, member: &'a ReferenceOr<Schema>, property: &str) -> Vec<String> {
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

    /// Finds a property that every alternative requires and fixes to a different single value:
    /// a tag in all but name.
    fn const_tag(
        &mut self,
        kept: &[(usize, &'a ReferenceOr<Schema>)],
        at: &str,
    ) -> Option<(String, Vec<String>)> {
        let mut per_member: Vec<Vec<(String, String)>> = Vec::new();
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
                if let SchemaKind::Type(Type::String(st)) = &ps.schema_kind
                    && let [Some(value)] = st.enumeration.as_slice()
                {
                    consts.push((prop.clone(), value.clone()));
                }
            }
            per_member.push(consts);
        }
        let first = per_member.first()?;
        for (prop, _) in first {
            let values: Option<Vec<String>> = per_member
                .iter()
                .map(|c| c.iter().find(|(p, _)| p == prop).map(|(_, v)| v.clone()))
                .collect();
            if let Some(values) = values {
                let distinct: BTreeSet<&String> = values.iter().collect();
                if distinct.len() == values.len() {
                    return Some((prop.clone(), values));
                }
            }
        }
        None
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

/// An inline alternative of a discriminated union that no tag value selects.
fn untaggable_inline(at: &str, property: &str) -> Diagnostic {
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
