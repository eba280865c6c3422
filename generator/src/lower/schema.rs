//! Schemas → named types and type references.

use std::collections::BTreeSet;

use openapiv3::{
    AdditionalProperties, IntegerFormat, ReferenceOr, Schema, SchemaKind, StringFormat, Type,
    VariantOrUnknownOrEmpty,
};

use super::Lowerer;
use super::refs::{self, SchemaRef};
use crate::diagnostic::{Diagnostic, child};
use crate::doc;
use crate::ident::{self, Scope};
use crate::ir::{Docs, Field, TypeDef, TypeKind, TypeRef, Union, UnionVariant, Variant};

/// What a schema becomes: a definition that needs a name, or a reference to an existing type.
enum Shape {
    Def(TypeKind),
    Ref(TypeRef),
}

/// One property on its way into a struct: merged `allOf` members contribute these too.
struct Property<'a> {
    name: String,
    schema: SchemaRef<'a>,
    pointer: String,
}

type Properties = indexmap::IndexMap<String, ReferenceOr<Box<Schema>>>;

/// The `properties` of the schema at `at`, in spec order.
fn properties<'a>(properties: &'a Properties, at: &str) -> Vec<Property<'a>> {
    let at = child(at, "properties");
    properties
        .iter()
        .map(|(name, schema)| Property {
            name: name.clone(),
            schema: schema.into(),
            pointer: child(&at, name),
        })
        .collect()
}

impl<'a> Lowerer<'a> {
    /// Lowers a component schema under its pre-assigned Rust name.
    pub(super) fn lower_component(&mut self, name: &str, rust: &str, schema: SchemaRef<'a>) {
        let at = refs::component_pointer("schemas", name);
        let (shape, data) = match schema {
            SchemaRef::Ref(_) => (Shape::Ref(self.schema_type(schema, &at, rust)), None),
            SchemaRef::Item(s) => (self.shape(s, &at, rust), Some(s)),
        };
        let kind = match shape {
            Shape::Def(kind) => kind,
            Shape::Ref(ty) => TypeKind::Alias(ty),
        };
        let docs = data.map(|s| self.schema_docs(s)).unwrap_or_default();
        self.types.push(TypeDef {
            name: rust.to_owned(),
            origin: format!("#/components/schemas/{name}"),
            docs: with_fallback(docs, format!("The `{name}` schema.")),
            deprecated: data.is_some_and(|s| s.schema_data.deprecated),
            kind,
            in_request: false,
        });
    }

    /// The Rust type of a schema position. Inline objects, enums and unions become named types
    /// called after `hint`.
    pub(super) fn schema_type(&mut self, s: SchemaRef<'a>, at: &str, hint: &str) -> TypeRef {
        match s {
            SchemaRef::Ref(reference) => match refs::component_name(reference, "schemas", at) {
                Ok(name) => match self.components.get(&name) {
                    Some(rust) => TypeRef::Named(rust.clone()),
                    None => {
                        self.diags.push(
                            Diagnostic::error(at, format!("`{reference}` does not exist"))
                                .with_help(format!("define `{name}` under `components.schemas`")),
                        );
                        TypeRef::Json
                    }
                },
                Err(d) => {
                    self.diags.push(d);
                    TypeRef::Json
                }
            },
            SchemaRef::Item(schema) => {
                if !needs_name(schema) {
                    return match self.shape(schema, at, hint) {
                        Shape::Ref(ty) => ty,
                        // `needs_name` and `shape` agree, so this arm only guards against drift.
                        Shape::Def(kind) => self.define(hint, at, schema, kind),
                    };
                }
                // Claimed before lowering the schema, so nested types are named after it.
                let name = self.type_scope.claim(ident::type_name(hint));
                match self.shape(schema, at, &name) {
                    Shape::Ref(ty) => ty,
                    Shape::Def(kind) => self.push_inline(name, at, schema, kind),
                }
            }
        }
    }

    /// The type of an array element or a map value: [`TypeRef::Nullable`] when the schema
    /// allows `null`, which a property expresses with [`Field::nullable`] instead.
    fn element_type(&mut self, s: SchemaRef<'a>, at: &str, hint: &str) -> TypeRef {
        let ty = self.schema_type(s, at, hint);
        let nullable = refs::schema(self.doc, s, at).is_ok_and(|(schema, _)| {
            schema.schema_data.nullable
                || matches!(
                    &schema.schema_kind,
                    SchemaKind::Type(Type::String(st)) if st.enumeration.iter().any(Option::is_none)
                )
        });
        // `serde_json::Value` holds `null` already.
        if nullable && ty != TypeRef::Json {
            TypeRef::Nullable(Box::new(ty))
        } else {
            ty
        }
    }

    fn define(&mut self, hint: &str, at: &str, schema: &Schema, kind: TypeKind) -> TypeRef {
        let name = self.type_scope.claim(ident::type_name(hint));
        self.push_inline(name, at, schema, kind)
    }

    /// Records an inline schema as the named type `name`.
    fn push_inline(&mut self, name: String, at: &str, schema: &Schema, kind: TypeKind) -> TypeRef {
        let docs = self.schema_docs(schema);
        self.types.push(TypeDef {
            name: name.clone(),
            origin: format!("#{at}"),
            docs: with_fallback(docs, format!("Inline schema at `{at}`.")),
            deprecated: schema.schema_data.deprecated,
            kind,
            in_request: false,
        });
        TypeRef::Named(name)
    }

    /// Decides what a schema becomes. `name` is the Rust name it will carry if it is a
    /// definition; nested inline types are named after it.
    fn shape(&mut self, schema: &'a Schema, at: &str, name: &str) -> Shape {
        if schema.schema_data.discriminator.is_some()
            && !matches!(
                schema.schema_kind,
                SchemaKind::OneOf { .. } | SchemaKind::AnyOf { .. }
            )
        {
            self.diags.push(
                Diagnostic::warning(
                    child(at, "discriminator"),
                    "`discriminator` without `oneOf`/`anyOf` has no effect here",
                )
                .with_help("put the discriminator on the schema that lists the alternatives"),
            );
        }
        match &schema.schema_kind {
            SchemaKind::Type(Type::String(s)) => {
                let values: Vec<&String> = s.enumeration.iter().flatten().collect();
                if values.len() > 1 {
                    return Shape::Def(TypeKind::Enum(variants(values)));
                }
                Shape::Ref(match &s.format {
                    VariantOrUnknownOrEmpty::Item(StringFormat::DateTime) => TypeRef::DateTime,
                    VariantOrUnknownOrEmpty::Item(StringFormat::Date) => TypeRef::Date,
                    VariantOrUnknownOrEmpty::Unknown(f) if f == "uuid" => TypeRef::Uuid,
                    _ => TypeRef::String,
                })
            }
            SchemaKind::Type(Type::Integer(i)) => Shape::Ref(match &i.format {
                VariantOrUnknownOrEmpty::Item(IntegerFormat::Int32) => TypeRef::I32,
                _ => TypeRef::I64,
            }),
            SchemaKind::Type(Type::Number(_)) => Shape::Ref(TypeRef::F64),
            SchemaKind::Type(Type::Boolean(_)) => Shape::Ref(TypeRef::Bool),
            SchemaKind::Type(Type::Array(a)) => {
                let item = match &a.items {
                    Some(items) => {
                        self.element_type(items.into(), &child(at, "items"), &format!("{name}Item"))
                    }
                    None => TypeRef::Json,
                };
                Shape::Ref(TypeRef::Vec(Box::new(item)))
            }
            SchemaKind::Type(Type::Object(o)) => {
                let props = properties(&o.properties, at);
                self.object(
                    at,
                    name,
                    props,
                    &o.required,
                    o.additional_properties.as_ref(),
                )
            }
            SchemaKind::AllOf { all_of } => self.all_of(at, name, all_of),
            SchemaKind::OneOf { one_of } => self.union(schema, at, name, one_of, "oneOf"),
            SchemaKind::AnyOf { any_of } => self.union(schema, at, name, any_of, "anyOf"),
            SchemaKind::Not { .. } => {
                self.diags.push(
                    Diagnostic::error(child(at, "not"), "`not` schemas are not supported")
                        .with_help("describe the allowed values positively, or use a free-form `{}` schema"),
                );
                Shape::Ref(TypeRef::Json)
            }
            SchemaKind::Any(any) => {
                let combined = !any.one_of.is_empty()
                    || !any.all_of.is_empty()
                    || !any.any_of.is_empty()
                    || any.not.is_some();
                if combined {
                    self.diags.push(
                        Diagnostic::error(
                            at,
                            "this combination of `type`, `properties` and `oneOf`/`anyOf`/`allOf`/`not` is not supported",
                        )
                        .with_help("move the properties into an `allOf` member, or the alternatives into their own schema"),
                    );
                    return Shape::Ref(TypeRef::Json);
                }
                if !any.properties.is_empty() || any.typ.as_deref() == Some("object") {
                    let props = properties(&any.properties, at);
                    return self.object(
                        at,
                        name,
                        props,
                        &any.required,
                        any.additional_properties.as_ref(),
                    );
                }
                if let Some(items) = &any.items {
                    let item = self.element_type(
                        items.into(),
                        &child(at, "items"),
                        &format!("{name}Item"),
                    );
                    return Shape::Ref(TypeRef::Vec(Box::new(item)));
                }
                let strings: Vec<&String> = any
                    .enumeration
                    .iter()
                    .filter_map(|v| match v {
                        serde_json::Value::String(s) => Some(s),
                        _ => None,
                    })
                    .collect();
                if strings.len() > 1 && strings.len() == any.enumeration.len() {
                    return Shape::Def(TypeKind::Enum(variants(strings)));
                }
                Shape::Ref(match any.typ.as_deref() {
                    Some("string") => TypeRef::String,
                    Some("integer") => TypeRef::I64,
                    Some("number") => TypeRef::F64,
                    Some("boolean") => TypeRef::Bool,
                    _ => TypeRef::Json,
                })
            }
        }
    }

    fn object(
        &mut self,
        at: &str,
        name: &str,
        props: Vec<Property<'a>>,
        required: &[String],
        additional: Option<&'a AdditionalProperties>,
    ) -> Shape {
        if props.is_empty() {
            return Shape::Ref(match additional {
                Some(AdditionalProperties::Schema(s)) => {
                    let value = self.element_type(
                        s.as_ref().into(),
                        &child(at, "additionalProperties"),
                        &format!("{name}Value"),
                    );
                    TypeRef::Map(Box::new(value))
                }
                Some(AdditionalProperties::Any(true)) => TypeRef::Map(Box::new(TypeRef::Json)),
                // A bare `type: object` says nothing about its keys or values.
                _ => TypeRef::Json,
            });
        }
        if matches!(
            additional,
            Some(AdditionalProperties::Schema(_)) | Some(AdditionalProperties::Any(true))
        ) {
            self.diags.push(
                Diagnostic::warning(
                    child(at, "additionalProperties"),
                    "`additionalProperties` beside `properties` is not captured; unknown keys are ignored when decoding",
                )
                .with_help("declare the extra keys as properties, or move them into a map-valued property"),
            );
        }
        let known: BTreeSet<&str> = props.iter().map(|p| p.name.as_str()).collect();
        for r in required {
            if !known.contains(r.as_str()) {
                self.diags.push(
                    Diagnostic::warning(
                        child(at, "required"),
                        format!("`{r}` is required but not declared in `properties`"),
                    )
                    .with_help("add the property, or remove it from `required`"),
                );
            }
        }
        let mut scope = Scope::default();
        let mut fields = Vec::new();
        for p in props {
            let rust = scope.claim(ident::snake(&p.name));
            let hint = format!("{name}{}", ident::type_name(&p.name));
            let ty = self.schema_type(p.schema, &p.pointer, &hint);
            let (nullable, mut docs, deprecated) = self.property_facts(p.schema, &p.pointer);
            if docs.is_empty() {
                docs.push(format!("The `{}` property.", p.name));
            }
            fields.push(Field {
                name: rust,
                wire_name: p.name.clone(),
                ty,
                required: required.contains(&p.name),
                nullable,
                boxed: false,
                docs,
                deprecated,
            });
        }
        Shape::Def(TypeKind::Struct(fields))
    }

    /// Nullability, docs and deprecation of a property. For a `$ref` the facts come from the
    /// target, since OpenAPI 3.0 ignores a `$ref`'s siblings.
    fn property_facts(&mut self, s: SchemaRef<'a>, at: &str) -> (bool, Docs, bool) {
        match refs::schema(self.doc, s, at) {
            Ok((schema, _)) => {
                let string_enum_null = matches!(
                    &schema.schema_kind,
                    SchemaKind::Type(Type::String(st)) if st.enumeration.iter().any(Option::is_none)
                );
                (
                    schema.schema_data.nullable || string_enum_null,
                    self.schema_docs(schema),
                    schema.schema_data.deprecated,
                )
            }
            // `schema_type` already reported the broken reference.
            Err(_) => (false, Docs::default(), false),
        }
    }

    fn all_of(&mut self, at: &str, name: &str, members: &'a [ReferenceOr<Schema>]) -> Shape {
        // `allOf: [$ref]` is the 3.0 idiom for "this type, with my own description".
        if let [only] = members {
            return Shape::Ref(self.schema_type(
                only.into(),
                &child(&child(at, "allOf"), "0"),
                name,
            ));
        }
        let mut props = Vec::new();
        let mut required = Vec::new();
        // The chain of schemas being merged: meeting one of them again is a cycle.
        let mut seen = BTreeSet::from([at.to_owned()]);
        for (i, member) in members.iter().enumerate() {
            let member_at = child(&child(at, "allOf"), &i.to_string());
            self.collect_all_of(
                member.into(),
                &member_at,
                &mut props,
                &mut required,
                &mut seen,
            );
        }
        // A later member may restate a property; the last statement wins, in first position.
        let mut merged: Vec<Property<'a>> = Vec::new();
        for p in props {
            match merged.iter_mut().find(|m| m.name == p.name) {
                Some(existing) => *existing = p,
                None => merged.push(p),
            }
        }
        self.object(at, name, merged, &required, None)
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
            SchemaKind::Any(a)
                if a.one_of.is_empty() && a.any_of.is_empty() && a.all_of.is_empty() =>
            {
                (&a.properties, &a.required)
            }
            SchemaKind::AllOf { all_of } => {
                for (i, m) in all_of.iter().enumerate() {
                    let nested = child(&child(&pointer, "allOf"), &i.to_string());
                    self.collect_all_of(m.into(), &nested, props, required, seen);
                }
                seen.remove(&pointer);
                return;
            }
            _ => {
                self.diags.push(
                    Diagnostic::error(at, "an `allOf` member is not an object schema").with_help(
                        "only object schemas can be merged; use `oneOf` for alternatives",
                    ),
                );
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

    fn union(
        &mut self,
        schema: &'a Schema,
        at: &str,
        name: &str,
        members: &'a [ReferenceOr<Schema>],
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
        let mut scope = Scope::default();
        let mut variants = Vec::new();
        let mut tag = None;
        let mut tag_values: Vec<Vec<String>> = vec![Vec::new(); members.len()];
        if let Some(d) = &schema.schema_data.discriminator {
            tag = Some(d.property_name.clone());
            for (i, member) in members.iter().enumerate() {
                match member {
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
                        tag_values[i] = if mapped.is_empty() {
                            vec![component]
                        } else {
                            mapped
                        };
                    }
                    ReferenceOr::Item(_) => {
                        self.diags.push(
                            Diagnostic::error(
                                child(&list_at, &i.to_string()),
                                "an inline alternative cannot be selected by a `discriminator`",
                            )
                            .with_help(
                                "move the alternative into `components.schemas` and `$ref` it",
                            ),
                        );
                    }
                }
            }
        } else if let Some((property, values)) = self.const_tag(members, &list_at) {
            tag = Some(property);
            for (i, v) in values.into_iter().enumerate() {
                tag_values[i] = vec![v];
            }
        }
        for (i, member) in members.iter().enumerate() {
            let member_at = child(&list_at, &i.to_string());
            let ty = self.schema_type(member.into(), &member_at, &format!("{name}Variant{i}"));
            let candidate = match &ty {
                TypeRef::Named(n) => n.clone(),
                other => ident::variant(primitive_name(other)),
            };
            variants.push(UnionVariant {
                name: scope.claim(candidate),
                tag_values: std::mem::take(&mut tag_values[i]),
                ty,
            });
        }
        Shape::Def(TypeKind::Union(Union { tag, variants }))
    }

    /// Finds a property that every alternative requires and fixes to a different single value:
    /// a tag in all but name.
    fn const_tag(
        &mut self,
        members: &'a [ReferenceOr<Schema>],
        at: &str,
    ) -> Option<(String, Vec<String>)> {
        let mut per_member: Vec<Vec<(String, String)>> = Vec::new();
        for (i, m) in members.iter().enumerate() {
            let (schema, _) = refs::schema(self.doc, m.into(), &child(at, &i.to_string())).ok()?;
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

    /// Docs of a schema: title, description, and notes on what the Rust type can't say.
    pub(super) fn schema_docs(&self, schema: &Schema) -> Docs {
        let mut docs = Docs::default();
        let data = &schema.schema_data;
        if let Some(t) = &data.title {
            docs.push(doc::sanitize(t));
        }
        if let Some(d) = &data.description {
            docs.push(doc::sanitize(d));
        }
        match &schema.schema_kind {
            SchemaKind::Type(Type::String(s)) => {
                if let [Some(value)] = s.enumeration.as_slice() {
                    docs.push(format!("Always `{value}`."));
                }
                match &s.format {
                    VariantOrUnknownOrEmpty::Item(StringFormat::Password) => {
                        docs.push("Format: `password` (kept as a string).")
                    }
                    VariantOrUnknownOrEmpty::Item(StringFormat::Byte) => {
                        docs.push("Format: `byte`, base64 text (kept as a string).")
                    }
                    VariantOrUnknownOrEmpty::Item(StringFormat::Binary) => {
                        docs.push("Format: `binary` (kept as a string).")
                    }
                    VariantOrUnknownOrEmpty::Unknown(f) if f != "uuid" => docs.push(format!(
                        "Format: `{}` (kept as a string).",
                        doc::sanitize(f)
                    )),
                    _ => {}
                }
            }
            SchemaKind::Type(Type::Integer(i)) => {
                if let VariantOrUnknownOrEmpty::Unknown(f) = &i.format {
                    docs.push(format!(
                        "Format: `{}` (kept as an `i64`).",
                        doc::sanitize(f)
                    ));
                }
                match (i.minimum, i.maximum) {
                    (Some(lo), Some(hi)) => docs.push(format!("Between {lo} and {hi}.")),
                    (Some(lo), None) => docs.push(format!("At least {lo}.")),
                    (None, Some(hi)) => docs.push(format!("At most {hi}.")),
                    (None, None) => {}
                }
                let values: Vec<String> =
                    i.enumeration.iter().flatten().map(i64::to_string).collect();
                if !values.is_empty() {
                    docs.push(format!("One of: {}.", values.join(", ")));
                }
            }
            SchemaKind::Type(Type::Boolean(b)) => {
                if let [Some(value)] = b.enumeration.as_slice() {
                    docs.push(format!("Always `{value}`."));
                }
            }
            _ => {}
        }
        if let Some(default) = &data.default {
            docs.push(format!(
                "Defaults to `{}`.",
                doc::sanitize(&default.to_string())
            ));
        }
        docs
    }
}

/// True for schemas that become a named type of their own.
fn needs_name(schema: &Schema) -> bool {
    match &schema.schema_kind {
        SchemaKind::Type(Type::String(s)) => s.enumeration.iter().flatten().count() > 1,
        SchemaKind::Type(Type::Object(o)) => !o.properties.is_empty(),
        SchemaKind::AllOf { all_of } => all_of.len() > 1,
        SchemaKind::OneOf { one_of } => !one_of.is_empty(),
        SchemaKind::AnyOf { any_of } => !any_of.is_empty(),
        SchemaKind::Any(a) => {
            let combined = !a.one_of.is_empty() || !a.all_of.is_empty() || !a.any_of.is_empty();
            let strings = a.enumeration.iter().filter(|v| v.is_string()).count();
            !combined
                && (!a.properties.is_empty()
                    || (a.items.is_none() && strings > 1 && strings == a.enumeration.len()))
        }
        _ => false,
    }
}

fn variants(values: Vec<&String>) -> Vec<Variant> {
    let mut scope = Scope::with_reserved(["Unknown"]);
    let mut seen = BTreeSet::new();
    values
        .into_iter()
        .filter(|v| seen.insert(v.as_str()))
        .map(|v| Variant {
            name: scope.claim(ident::variant(v)),
            wire_value: v.clone(),
        })
        .collect()
}

fn primitive_name(ty: &TypeRef) -> &'static str {
    match ty {
        TypeRef::String => "String",
        TypeRef::I32 | TypeRef::I64 => "Integer",
        TypeRef::F64 => "Number",
        TypeRef::Bool => "Boolean",
        TypeRef::DateTime => "DateTime",
        TypeRef::Date => "Date",
        TypeRef::Uuid => "Uuid",
        TypeRef::Json => "Json",
        TypeRef::Vec(_) => "Array",
        TypeRef::Map(_) => "Map",
        TypeRef::Named(_) => "Named",
        TypeRef::Nullable(inner) => primitive_name(inner),
    }
}

fn with_fallback(mut docs: Docs, fallback: String) -> Docs {
    if docs.is_empty() {
        docs.push(fallback);
    }
    docs
}
