//! Schemas → named types and type references: the entry points, objects and property facts.
//!
//! Combinations (`allOf`, `oneOf`, `anyOf`, null branches) are in `combine.rs`; strings,
//! numbers and enums in `scalars.rs`.

use std::collections::BTreeSet;

use openapiv3::{AdditionalProperties, ReferenceOr, Schema, SchemaKind, Type};

use super::Lowerer;
use super::refs::{self, SchemaRef};
use crate::diagnostic::{Diagnostic, child};
use crate::doc;
use crate::ident::{self, Scope};
use crate::ir::{Docs, Field, TypeDef, TypeKind, TypeRef};
use crate::load::openapi31::TUPLE_EXTENSION;

/// What a schema becomes: a definition that needs a name, or a reference to an existing type.
pub(super) enum Shape {
    Def(TypeKind),
    Ref(TypeRef),
}

/// One property on its way into a struct: merged `allOf` members contribute these too.
pub(super) struct Property<'a> {
    pub(super) name: String,
    pub(super) schema: SchemaRef<'a>,
    pub(super) pointer: String,
}

pub(super) type Properties = indexmap::IndexMap<String, ReferenceOr<Box<Schema>>>;

/// The `properties` of the schema at `at`, in spec order.
pub(super) fn properties<'a>(properties: &'a Properties, at: &str) -> Vec<Property<'a>> {
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
        let docs = data.map(|s| self.schema_docs(s, &at)).unwrap_or_default();
        self.types.push(TypeDef {
            name: rust.to_owned(),
            origin: format!("#/components/schemas/{name}"),
            docs: with_fallback(docs, format!("The {} schema.", doc::code(name))),
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
                    // The author named a schema and forgot to write it: what it holds is
                    // unknown, so it is kept whole, as JSON.
                    None => {
                        self.diags.push(
                            Diagnostic::mistake(
                                at,
                                format!("`{reference}` does not exist"),
                                "the value is read as untyped JSON (`serde_json::Value`)",
                            )
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
                // Claimed before lowering the schema, so nested types are named after it; given
                // back when the schema turns out to be a reference to another type.
                let name = self.type_scope.claim(ident::type_name(hint));
                match self.shape(schema, at, &name) {
                    Shape::Ref(ty) => {
                        self.type_scope.release(&name);
                        ty
                    }
                    Shape::Def(kind) => self.push_inline(name, at, schema, kind),
                }
            }
        }
    }

    /// The type of an array element or a map value: [`TypeRef::Nullable`] when the schema
    /// allows `null`, which a property expresses with [`Field::nullable`] instead.
    pub(super) fn element_type(&mut self, s: SchemaRef<'a>, at: &str, hint: &str) -> TypeRef {
        let ty = self.schema_type(s, at, hint);
        let nullable = refs::schema(self.doc, s, at).is_ok_and(|(schema, _)| self.nullable(schema));
        // `serde_json::Value` holds `null` already.
        if nullable && ty != TypeRef::Json {
            TypeRef::Nullable(Box::new(ty))
        } else {
            ty
        }
    }

    /// Records an inline schema as the named type `name`.
    fn push_inline(&mut self, name: String, at: &str, schema: &Schema, kind: TypeKind) -> TypeRef {
        let docs = self.schema_docs(schema, at);
        let ty = self.push_type(name, at, docs, kind);
        if let Some(def) = self.types.last_mut() {
            def.deprecated = schema.schema_data.deprecated;
        }
        ty
    }

    /// Records a type the lowering made up (no schema of its own) as the named type `name`.
    pub(super) fn push_type(
        &mut self,
        name: String,
        at: &str,
        docs: Docs,
        kind: TypeKind,
    ) -> TypeRef {
        self.types.push(TypeDef {
            name: name.clone(),
            origin: format!("#{at}"),
            docs: with_fallback(docs, format!("Inline schema at {}.", doc::code(at))),
            deprecated: false,
            kind,
            in_request: false,
        });
        TypeRef::Named(name)
    }

    /// Decides what a schema becomes. `name` is the Rust name it will carry if it is a
    /// definition; nested inline types are named after it.
    pub(super) fn shape(&mut self, schema: &'a Schema, at: &str, name: &str) -> Shape {
        if schema.schema_data.discriminator.is_some()
            && !matches!(
                &schema.schema_kind,
                SchemaKind::OneOf { .. } | SchemaKind::AnyOf { .. }
            )
            && !matches!(&schema.schema_kind, SchemaKind::Any(a) if !a.one_of.is_empty() || !a.any_of.is_empty())
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
            SchemaKind::Type(Type::String(s)) => self.string_shape(s, at),
            SchemaKind::Type(Type::Integer(i)) => {
                Shape::Ref(self.integer_type(Self::format_name(&i.format), at))
            }
            SchemaKind::Type(Type::Number(n)) => Shape::Ref(Self::number_type(&n.format)),
            SchemaKind::Type(Type::Boolean(_)) => Shape::Ref(TypeRef::Bool),
            SchemaKind::Type(Type::Array(a)) => {
                Shape::Ref(self.array_type(schema, a.items.as_ref(), at, name))
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
            SchemaKind::AllOf { all_of } => self.all_of(at, name, all_of, Vec::new(), &[]),
            SchemaKind::OneOf { one_of } => self.union(schema, at, name, one_of, "oneOf"),
            SchemaKind::AnyOf { any_of } => self.union(schema, at, name, any_of, "anyOf"),
            SchemaKind::Not { .. } => {
                self.diags.push(
                    Diagnostic::warning(
                        child(at, "not"),
                        "a `not` schema is not checked by the client; the value is free-form JSON",
                    )
                    .with_help("describe the allowed values positively to get a typed value"),
                );
                Shape::Ref(TypeRef::Json)
            }
            SchemaKind::Any(any) => {
                if !any.one_of.is_empty() || !any.all_of.is_empty() || !any.any_of.is_empty() {
                    return self.combined(schema, any, at, name);
                }
                if let Some(shape) = self.any_enum(any, at) {
                    return shape;
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
                if any.items.is_some() || any.typ.as_deref() == Some("array") {
                    return Shape::Ref(self.array_type(schema, any.items.as_ref(), at, name));
                }
                if any.not.is_some() && any.typ.is_none() {
                    return self.shape_of_not(at);
                }
                Shape::Ref(match any.typ.as_deref() {
                    Some("string") => self.string_format_type(any.format.as_deref()),
                    Some("integer") => self.integer_type(any.format.as_deref(), at),
                    Some("number") => match any.format.as_deref() {
                        Some("float") => TypeRef::F32,
                        _ => TypeRef::F64,
                    },
                    Some("boolean") => TypeRef::Bool,
                    _ => TypeRef::Json,
                })
            }
        }
    }

    fn shape_of_not(&mut self, at: &str) -> Shape {
        self.diags.push(
            Diagnostic::warning(
                child(at, "not"),
                "a `not` schema is not checked by the client; the value is free-form JSON",
            )
            .with_help("describe the allowed values positively to get a typed value"),
        );
        Shape::Ref(TypeRef::Json)
    }

    /// `Vec<T>`, or a tuple for a closed 3.1 `prefixItems` (see `load::openapi31`).
    fn array_type(
        &mut self,
        schema: &'a Schema,
        items: Option<&'a ReferenceOr<Box<Schema>>>,
        at: &str,
        name: &str,
    ) -> TypeRef {
        let items_at = child(at, "items");
        if schema.schema_data.extensions.get(TUPLE_EXTENSION)
            == Some(&serde_json::Value::Bool(true))
            && let Some(ReferenceOr::Item(items)) = items
            && let SchemaKind::AnyOf { any_of } = &items.schema_kind
        {
            let positions = any_of
                .iter()
                .enumerate()
                .map(|(i, position)| {
                    self.element_type(
                        position.into(),
                        &child(&child(&items_at, "anyOf"), &i.to_string()),
                        &format!("{name}{i}"),
                    )
                })
                .collect();
            return TypeRef::Tuple(positions);
        }
        let item = match items {
            Some(items) => self.element_type(items.into(), &items_at, &format!("{name}Item")),
            None => TypeRef::Json,
        };
        TypeRef::Vec(Box::new(item))
    }

    pub(super) fn object(
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
                // A bare `type: object` says nothing about its keys or values, and
                // `additionalProperties: false` alone is the empty object.
                _ => TypeRef::Json,
            });
        }
        // Extra keys that may be anything (`true`, `{}`) are allowed and ignored when
        // decoding, which loses nothing the document promised; typed extra values would be
        // dropped, and that costs the user data.
        let extra_at = child(at, "additionalProperties");
        let typed_extras = matches!(additional, Some(AdditionalProperties::Schema(_)))
            && !matches!(self.raw_at(&extra_at), Some(serde_json::Value::Object(m)) if m.is_empty());
        if typed_extras {
            self.diags.push(
                Diagnostic::warning(
                    extra_at,
                    "`additionalProperties` beside `properties` is not captured: the values of other keys are dropped when decoding",
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
                docs.push(format!("The {} property.", doc::code(&p.name)));
            }
            fields.push(Field {
                name: rust,
                wire_name: p.name.clone(),
                // `null` is the field's `Option`: a free-form value needs no second one.
                nullable: nullable && ty != TypeRef::Json,
                ty,
                required: required.contains(&p.name),
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
            Ok((schema, found_at)) => (
                self.nullable(schema),
                self.schema_docs(schema, &found_at),
                schema.schema_data.deprecated,
            ),
            // `schema_type` already reported the broken reference.
            Err(_) => (false, Docs::default(), false),
        }
    }

    /// Docs of a schema: title, description, and notes on what the Rust type can't say.
    pub(super) fn schema_docs(&self, schema: &Schema, at: &str) -> Docs {
        let mut docs = Docs::default();
        let data = &schema.schema_data;
        if let Some(t) = &data.title {
            docs.push(doc::sanitize(t));
        }
        if let Some(d) = &data.description {
            docs.push(doc::sanitize(d));
        }
        self.scalar_docs(schema, at, &mut docs);
        if let Some(default) = &data.default {
            docs.push(format!(
                "Defaults to `{}`.",
                doc::sanitize(&default.to_string())
            ));
        }
        docs
    }
}

/// The name a union variant takes after its payload when the payload is not a named type.
pub(super) fn primitive_name(ty: &TypeRef) -> &'static str {
    match ty {
        TypeRef::String => "String",
        TypeRef::I8
        | TypeRef::I16
        | TypeRef::I32
        | TypeRef::I64
        | TypeRef::U8
        | TypeRef::U16
        | TypeRef::U32
        | TypeRef::U64 => "Integer",
        TypeRef::F32 | TypeRef::F64 => "Number",
        TypeRef::Bool => "Boolean",
        TypeRef::DateTime => "DateTime",
        TypeRef::Date => "Date",
        TypeRef::Uuid => "Uuid",
        TypeRef::Json => "Json",
        TypeRef::Vec(_) => "Array",
        TypeRef::Map(_) => "Map",
        TypeRef::Tuple(_) => "Tuple",
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
