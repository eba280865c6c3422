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
    pub(super) fn error_shape(&mut self, s: SchemaRef<'a>, at: &str, hint: &str) -> ErrorShape {
        if let Ok((schema, pointer)) = refs::schema(self.doc, s, at)
            && let Some(props) = object_properties(schema)
            && let Some(error) = props.get("error")
            && props.keys().all(|k| k == "error" || k == "success")
        {
            let error_at = child(&child(&pointer, "properties"), "error");
            return ErrorShape {
                ty: self.schema_type(error.into(), &error_at, &format!("{hint}Detail")),
                field: Some("error".to_owned()),
            };
        }
        ErrorShape {
            ty: self.schema_type(s, at, hint),
            field: None,
        }
    }
}
