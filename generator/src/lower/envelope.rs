//! Recognises response envelopes so the client returns what the caller wants.
//!
//! Commet wraps results as `{"success": true, "data": …}` and errors as
//! `{"success": false, "error": …}`; lists add `hasMore` and `nextCursor` beside `data` (later
//! API versions drop `success` and tag lists with `"object": "list"`). A client that returned
//! the envelope would make every caller write `.data`; this module finds the payload instead.

use openapiv3::{ReferenceOr, Schema, SchemaKind, Type};

use super::Lowerer;
use super::refs::{self, SchemaRef};
use crate::diagnostic::child;
use crate::ir::{ErrorShape, ResponseShape};

type Properties = indexmap::IndexMap<String, ReferenceOr<Box<Schema>>>;

fn object_properties(schema: &Schema) -> Option<&Properties> {
    match &schema.schema_kind {
        SchemaKind::Type(Type::Object(o)) => Some(&o.properties),
        SchemaKind::Any(a) if !a.properties.is_empty() => Some(&a.properties),
        _ => None,
    }
}

impl<'a> Lowerer<'a> {
    /// The shape of a success body.
    pub(super) fn success_shape(
        &mut self,
        s: SchemaRef<'a>,
        at: &str,
        hint: &str,
    ) -> ResponseShape {
        let Ok((schema, pointer)) = refs::schema(self.doc, s, at) else {
            return ResponseShape::Bare(self.schema_type(s, at, hint));
        };
        let Some(props) = object_properties(schema) else {
            return ResponseShape::Bare(self.schema_type(s, at, hint));
        };
        let Some(data) = props.get("data") else {
            return ResponseShape::Bare(self.schema_type(s, at, hint));
        };
        let data_at = child(&child(&pointer, "properties"), "data");
        let is_list = props.contains_key("hasMore") || props.contains_key("nextCursor");
        if is_list
            && let Ok((data_schema, data_ptr)) = refs::schema(self.doc, data.into(), &data_at)
            && let SchemaKind::Type(Type::Array(array)) = &data_schema.schema_kind
            && let Some(items) = &array.items
        {
            let item = self.schema_type(
                items.into(),
                &child(&data_ptr, "items"),
                &format!("{hint}Item"),
            );
            return ResponseShape::List(item);
        }
        let only_envelope = props.keys().all(|k| k == "data" || k == "success");
        if props.contains_key("success") && only_envelope {
            return ResponseShape::Data(self.schema_type(
                data.into(),
                &data_at,
                &format!("{hint}Data"),
            ));
        }
        ResponseShape::Bare(self.schema_type(s, at, hint))
    }

    /// The error object of an error body, and the envelope property holding it.
    pub(super) fn error_shape(&mut self, s: SchemaRef<'a>, at: &str) -> ErrorShape {
        if let Ok((schema, pointer)) = refs::schema(self.doc, s, at)
            && let Some(props) = object_properties(schema)
            && let Some(error) = props.get("error")
            && props.keys().all(|k| k == "error" || k == "success")
        {
            let error_at = child(&child(&pointer, "properties"), "error");
            return ErrorShape {
                ty: self.error_object(error.into(), &error_at),
                field: Some("error".to_owned()),
            };
        }
        ErrorShape {
            ty: self.error_object(s, at),
            field: None,
        }
    }

    /// The type of an error object. A component keeps its name. An inline object is named
    /// `ApiError` whichever operation declares it first, and every copy of the same shape
    /// (docs aside) is that one type: so the client has one error type and its `Error` alias
    /// however the spec spells its error bodies, and the name survives adding or removing an
    /// operation.
    fn error_object(&mut self, s: SchemaRef<'a>, at: &str) -> crate::ir::TypeRef {
        let SchemaRef::Item(_) = s else {
            return self.schema_type(s, at, "ApiError");
        };
        let Some(shape) = self.raw.pointer(at).map(without_docs) else {
            return self.schema_type(s, at, "ApiError");
        };
        if let Some((_, ty)) = self.inline_errors.iter().find(|(seen, _)| *seen == shape) {
            return ty.clone();
        }
        let ty = self.schema_type(s, at, "ApiError");
        self.inline_errors.push((shape, ty.clone()));
        ty
    }
}

/// A schema without the keywords that only document it, to compare shapes.
fn without_docs(schema: &serde_json::Value) -> serde_json::Value {
    use serde_json::Value;
    match schema {
        Value::Object(map) => map
            .iter()
            .filter(|(k, _)| {
                !matches!(
                    k.as_str(),
                    "description" | "example" | "examples" | "title" | "externalDocs"
                )
            })
            .map(|(k, v)| {
                let v = match (k.as_str(), v) {
                    // Maps of schemas: the keys are names, not keywords.
                    ("properties" | "patternProperties", Value::Object(named)) => named
                        .iter()
                        .map(|(name, s)| (name.clone(), without_docs(s)))
                        .collect(),
                    // Values, not schemas.
                    ("enum" | "default" | "const", v) => v.clone(),
                    (_, v) => without_docs(v),
                };
                (k.clone(), v)
            })
            .collect(),
        Value::Array(items) => items.iter().map(without_docs).collect(),
        other => other.clone(),
    }
}
