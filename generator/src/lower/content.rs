//! Media types, and request bodies of every kind: JSON, forms, multipart, binary and text.

use openapiv3::{
    MediaType, ReferenceOr, Schema, SchemaKind, StringFormat, Type, VariantOrUnknownOrEmpty,
};

use super::Lowerer;
use super::refs;
use super::schema::properties;
use crate::diagnostic::{Diagnostic, child};
use crate::doc;
use crate::ident::{self, Scope};
use crate::ir::{
    Body, BodyContent, Docs, FormEncoding, ParamStyle, Part, PartKind, TypeDef, TypeKind, TypeRef,
};

/// What a media type carries, as far as the client is concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum MediaKind {
    /// `application/json`, `application/*+json`, with any parameters.
    Json,
    /// `application/x-www-form-urlencoded`.
    Form,
    /// `multipart/form-data`.
    Multipart,
    /// `text/*` and XML: a string the caller reads or writes.
    Text,
    /// Anything else: bytes.
    Binary,
}

/// Classifies a media type. `*/*` (and other wildcards) carry JSON when their schema is JSON
/// data, else bytes.
pub(super) fn classify(media: &str, schema: Option<&Schema>) -> MediaKind {
    let essence = media
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    let binary_schema = schema.is_some_and(is_binary);
    if binary_schema {
        return MediaKind::Binary;
    }
    match essence.as_str() {
        "application/json" | "text/json" => MediaKind::Json,
        e if e.starts_with("application/") && e.ends_with("+json") => MediaKind::Json,
        "application/x-www-form-urlencoded" => MediaKind::Form,
        "multipart/form-data" => MediaKind::Multipart,
        "application/xml" => MediaKind::Text,
        e if e.ends_with("+xml") || e.starts_with("text/") => MediaKind::Text,
        e if e.contains('*') && schema.is_some_and(is_json_data) => MediaKind::Json,
        _ => MediaKind::Binary,
    }
}

/// `type: string, format: binary` (3.1's `contentMediaType` becomes that when loading).
pub(super) fn is_binary(schema: &Schema) -> bool {
    match &schema.schema_kind {
        SchemaKind::Type(Type::String(s)) => {
            matches!(
                s.format,
                VariantOrUnknownOrEmpty::Item(StringFormat::Binary)
            )
        }
        SchemaKind::Any(a) => a.format.as_deref() == Some("binary"),
        _ => false,
    }
}

/// A schema that describes JSON data rather than raw content.
fn is_json_data(schema: &Schema) -> bool {
    !matches!(
        &schema.schema_kind,
        SchemaKind::Type(Type::String(_)) | SchemaKind::Any(_)
    ) || matches!(&schema.schema_kind, SchemaKind::Any(a) if !a.properties.is_empty())
}

/// The most natural of the offered media types: JSON first, then forms, multipart, text and
/// bytes.
pub(super) fn preferred<'c>(
    doc: &openapiv3::OpenAPI,
    content: &'c indexmap::IndexMap<String, MediaType>,
) -> Option<(&'c String, &'c MediaType, MediaKind)> {
    content
        .iter()
        .map(|(m, c)| {
            let schema = c
                .schema
                .as_ref()
                .and_then(|s| refs::schema(doc, s.into(), "").ok())
                .map(|(s, _)| s);
            (m, c, classify(m, schema))
        })
        .min_by_key(|(_, _, kind)| *kind)
}

impl<'a> Lowerer<'a> {
    pub(super) fn body(
        &mut self,
        op: &'a openapiv3::Operation,
        at: &str,
        type_base: &str,
    ) -> Option<Body> {
        let body = op.request_body.as_ref()?;
        let body_at = child(at, "requestBody");
        let (body, resolved_at) = match refs::request_body(self.doc, body, &body_at) {
            Ok(found) => found,
            Err(d) => {
                self.diags.push(d);
                return None;
            }
        };
        let content_at = child(&resolved_at, "content");
        let Some((media, content, kind)) = preferred(self.doc, &body.content) else {
            self.diags.push(
                Diagnostic::warning(
                    &content_at,
                    "the request body lists no content; none is sent",
                )
                .with_help("add a media type such as `application/json` with its schema"),
            );
            return None;
        };
        let schema_at = child(&child(&content_at, media), "schema");
        let hint = format!("{type_base}Request");
        let schema = content.schema.as_ref();
        let (ty, content_kind) = match kind {
            MediaKind::Json => (
                self.body_schema(schema, &schema_at, &hint),
                BodyContent::Json,
            ),
            MediaKind::Form => (
                self.body_schema(schema, &schema_at, &hint),
                BodyContent::Form(self.form_encodings(content, &child(&content_at, media))),
            ),
            MediaKind::Multipart => (
                self.multipart(schema, content, &schema_at, &hint)?,
                BodyContent::Multipart,
            ),
            MediaKind::Text => (TypeRef::String, BodyContent::Text),
            MediaKind::Binary => (TypeRef::Json, BodyContent::Binary),
        };
        Some(Body {
            ty,
            required: body.required,
            content: content_kind,
            media_type: media.clone(),
        })
    }

    fn body_schema(
        &mut self,
        schema: Option<&'a ReferenceOr<Schema>>,
        at: &str,
        hint: &str,
    ) -> TypeRef {
        match schema {
            Some(s) => self.schema_type(s.into(), at, hint),
            None => TypeRef::Json,
        }
    }

    /// A multipart body becomes a type of its own: its binary properties are files (bytes or
    /// a stream, with a file name), the rest text or JSON parts.
    fn multipart(
        &mut self,
        schema: Option<&'a ReferenceOr<Schema>>,
        media: &'a MediaType,
        at: &str,
        hint: &str,
    ) -> Option<TypeRef> {
        let resolved = schema.and_then(|s| match refs::schema(self.doc, s.into(), at) {
            Ok(found) => Some(found),
            Err(d) => {
                self.diags.push(d);
                None
            }
        });
        let (props, required) = match resolved.map(|(s, p)| (&s.schema_kind, p)) {
            Some((SchemaKind::Type(Type::Object(o)), p)) => {
                (properties(&o.properties, &p), &o.required)
            }
            Some((SchemaKind::Any(a), p))
                if a.one_of.is_empty() && a.any_of.is_empty() && a.all_of.is_empty() =>
            {
                (properties(&a.properties, &p), &a.required)
            }
            None if schema.is_none() => (Vec::new(), &Vec::new()),
            _ => {
                self.diags.push(
                    Diagnostic::error(
                        at,
                        "a multipart body must be an object schema with properties",
                    )
                    .with_help("describe each part as a property of one object schema")
                    .unsupported(),
                );
                return None;
            }
        };
        let name = self.type_scope.claim(ident::type_name(hint));
        let mut scope = Scope::default();
        let mut parts = Vec::new();
        for p in props {
            let (schema, _) = match refs::schema(self.doc, p.schema, &p.pointer) {
                Ok(found) => found,
                Err(d) => {
                    self.diags.push(d);
                    continue;
                }
            };
            let file_items = match &schema.schema_kind {
                SchemaKind::Type(Type::Array(a)) => a
                    .items
                    .as_ref()
                    .and_then(|i| refs::schema(self.doc, i.into(), &p.pointer).ok())
                    .is_some_and(|(item, _)| is_binary(item)),
                _ => false,
            };
            let kind = if is_binary(schema) {
                PartKind::File
            } else if file_items {
                PartKind::Files
            } else {
                let ty = self.schema_type(
                    p.schema,
                    &p.pointer,
                    &format!("{name}{}", ident::type_name(&p.name)),
                );
                let declared_json = media
                    .encoding
                    .get(&p.name)
                    .and_then(|e| e.content_type.as_deref())
                    .is_some_and(|t| t.contains("json"));
                match ty {
                    ty if self.is_scalar(&ty) => PartKind::Text(ty),
                    // OpenAPI sends an array of scalars as one part per item unless the
                    // encoding asks for JSON.
                    TypeRef::Vec(item) if !declared_json && self.is_scalar(&item) => {
                        PartKind::Texts(*item)
                    }
                    ty => PartKind::Json(ty),
                }
            };
            let content_type = media
                .encoding
                .get(&p.name)
                .and_then(|e| e.content_type.clone());
            let mut docs = match kind {
                // A file is bytes, not the string its schema's `format: binary` describes.
                PartKind::File | PartKind::Files => {
                    let mut docs = Docs::default();
                    let data = &schema.schema_data;
                    for text in data.title.iter().chain(&data.description) {
                        docs.push(doc::sanitize(text));
                    }
                    docs.push(match &content_type {
                        Some(t) => format!(
                            "Sent as a file part of type {} unless the part says otherwise.",
                            doc::code(t)
                        ),
                        None => "Sent as a file part.".to_owned(),
                    });
                    docs
                }
                _ => self.schema_docs(schema, &p.pointer),
            };
            if docs.is_empty() {
                docs.push(format!("The {} part.", doc::code(&p.name)));
            }
            parts.push(Part {
                name: scope.claim(ident::snake(&p.name)),
                required: required.contains(&p.name),
                content_type,
                wire_name: p.name,
                kind,
                docs,
            });
        }
        let mut docs = Docs::default();
        docs.push(format!(
            "The `multipart/form-data` body of `{}`: one part per field.",
            hint.trim_end_matches("Request")
        ));
        self.types.push(TypeDef {
            name: name.clone(),
            origin: format!("#{at}"),
            docs,
            deprecated: false,
            kind: TypeKind::Multipart(parts),
            in_request: true,
        });
        Some(TypeRef::Named(name))
    }
}

impl Lowerer<'_> {
    /// The `encoding` of a form body: how each listed property is written. openapiv3 reads a
    /// missing `explode` as `false`, so the document says whether it was given.
    fn form_encodings(&self, media: &MediaType, media_at: &str) -> Vec<FormEncoding> {
        media
            .encoding
            .iter()
            .filter_map(|(property, e)| {
                let explode_at = child(&child(&child(media_at, "encoding"), property), "explode");
                let explode = self
                    .raw_at(&explode_at)
                    .and_then(serde_json::Value::as_bool);
                let style = match e.style.as_ref() {
                    None if explode.is_none() => return None,
                    None | Some(openapiv3::QueryStyle::Form) => ParamStyle::Form {
                        explode: explode.unwrap_or(true),
                    },
                    Some(openapiv3::QueryStyle::SpaceDelimited) => ParamStyle::SpaceDelimited,
                    Some(openapiv3::QueryStyle::PipeDelimited) => ParamStyle::PipeDelimited,
                    Some(openapiv3::QueryStyle::DeepObject) => ParamStyle::DeepObject,
                };
                Some(FormEncoding {
                    property: property.clone(),
                    style,
                })
            })
            .collect()
    }
}
