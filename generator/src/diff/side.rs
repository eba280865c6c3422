//! One version of the API as the rules see it: the IR, type lookups, and where each item is
//! in the spec (a JSON pointer, then a line and column).
//!
//! The IR keeps only a type's origin, so the pointers of operations, parameters, fields and
//! enum values are found again in the raw document, following `$ref`s to where each is
//! defined: that is where a user would edit it.

use serde_json::Value;

use super::{Location, Snapshot};
use crate::diagnostic::child;
use crate::ir::{Api, Operation, Param, ParamLocation, TypeDef, TypeKind, TypeRef};

/// How deep `$ref` chains and `allOf` nesting are followed when looking for a node.
const MAX_HOPS: usize = 16;

pub(super) struct Side<'a> {
    pub(super) api: &'a Api,
    pub(super) env_prefix: &'a str,
    snapshot: &'a Snapshot,
}

impl<'a> Side<'a> {
    pub(super) fn new(snapshot: &'a Snapshot) -> Self {
        Self {
            api: &snapshot.api,
            env_prefix: &snapshot.env_prefix,
            snapshot,
        }
    }

    pub(super) fn type_def(&self, name: &str) -> Option<&'a TypeDef> {
        self.api.type_def(name)
    }

    /// `ty` with every alias replaced by what it names: `type Metadata = BTreeMap<..>` is the
    /// map to callers.
    pub(super) fn canon(&self, ty: &TypeRef) -> TypeRef {
        self.canon_within(ty, MAX_HOPS)
    }

    fn canon_within(&self, ty: &TypeRef, hops: usize) -> TypeRef {
        let inner = |t: &TypeRef| Box::new(self.canon_within(t, hops));
        match ty {
            TypeRef::Named(n) => match self.type_def(n).map(|t| &t.kind) {
                // Bounded: lowering rejects alias cycles, but a diff must not hang on any IR.
                Some(TypeKind::Alias(target)) if hops > 0 => self.canon_within(target, hops - 1),
                _ => ty.clone(),
            },
            TypeRef::Vec(t) => TypeRef::Vec(inner(t)),
            TypeRef::Map(t) => TypeRef::Map(inner(t)),
            TypeRef::Nullable(t) => TypeRef::Nullable(inner(t)),
            TypeRef::Tuple(items) => {
                TypeRef::Tuple(items.iter().map(|t| self.canon_within(t, hops)).collect())
            }
            other => other.clone(),
        }
    }

    /// The spec location of `pointer` (without `#`).
    pub(super) fn locate(&self, pointer: &str) -> Location {
        let (source, position) = match &self.snapshot.loaded {
            Some(loaded) => {
                let source = loaded.source_pointer(pointer);
                let position = loaded.positions().find(&source);
                (source, position)
            }
            None => (pointer.to_owned(), None),
        };
        Location {
            file: self.snapshot.file.clone(),
            pointer: format!("#{source}"),
            line: position.map(|p| p.line),
            column: position.map(|p| p.column),
        }
    }

    fn raw(&self, pointer: &str) -> Option<&'a Value> {
        self.snapshot.loaded.as_ref()?.raw.pointer(pointer)
    }

    /// Follows `$ref` from `pointer` to the node it names, within the document.
    fn deref(&self, pointer: &str) -> String {
        let mut at = pointer.to_owned();
        for _ in 0..MAX_HOPS {
            match self
                .raw(&at)
                .and_then(|v| v.get("$ref"))
                .and_then(Value::as_str)
                .and_then(|r| r.strip_prefix('#'))
            {
                Some(target) if self.raw(target).is_some() => at = target.to_owned(),
                _ => break,
            }
        }
        at
    }

    /// The operation: `/paths/~1payments/post`.
    pub(super) fn operation_at(&self, op: &Operation) -> String {
        child(&child("/paths", &op.path), &op.method.to_lowercase())
    }

    /// A part of the operation: its `description`, `requestBody`, a response.
    pub(super) fn operation_part(&self, op: &Operation, part: &[&str]) -> String {
        let mut at = self.operation_at(op);
        for token in part {
            let next = child(&at, token);
            at = if self.raw(&next).is_some() {
                self.deref(&next)
            } else {
                return at;
            };
        }
        at
    }

    /// A place inside the operation, where the operation refers to what it uses (its
    /// `responses/404` entry rather than the shared response it names).
    pub(super) fn operation_site(&self, op: &Operation, part: &[&str]) -> String {
        let mut at = self.operation_at(op);
        for token in part {
            let next = child(&at, token);
            if self.raw(&next).is_none() {
                break;
            }
            at = next;
        }
        at
    }

    /// The top-level properties of an operation's success body, as the spec declares them:
    /// for an envelope, the keys around the payload (`success`, `data`, `hasMore`, ...).
    pub(super) fn success_properties(&self, op: &Operation) -> Option<Vec<String>> {
        let media = op.success.media_type.as_deref()?;
        let at = self.operation_part(
            op,
            &[
                "responses",
                &op.success.status.to_string(),
                "content",
                media,
                "schema",
            ],
        );
        let properties = self.raw(&child(&at, "properties"))?.as_object()?;
        Some(properties.keys().cloned().collect())
    }

    /// Where a parameter is defined: the operation's or the path's `parameters` entry, or
    /// the component it refers to.
    pub(super) fn param_at(&self, op: &Operation, param: &Param) -> String {
        let op_at = self.operation_at(op);
        let path_at = child("/paths", &op.path);
        let location = match param.location {
            ParamLocation::Path => "path",
            ParamLocation::Query => "query",
            ParamLocation::Header => "header",
            ParamLocation::Cookie => "cookie",
        };
        for list in [child(&op_at, "parameters"), child(&path_at, "parameters")] {
            let Some(Value::Array(items)) = self.raw(&list) else {
                continue;
            };
            for i in 0..items.len() {
                let at = self.deref(&child(&list, &i.to_string()));
                let Some(p) = self.raw(&at) else { continue };
                if p.get("name").and_then(Value::as_str) == Some(param.wire_name.as_str())
                    && p.get("in").and_then(Value::as_str) == Some(location)
                {
                    return at;
                }
            }
        }
        op_at
    }

    /// A type's schema.
    pub(super) fn type_at(&self, name: &str) -> String {
        match self.type_def(name) {
            Some(def) => def.origin.trim_start_matches('#').to_owned(),
            None => String::new(),
        }
    }

    /// A property of a struct: under the schema's `properties`, or under one of its `allOf`
    /// members (followed through `$ref`s).
    pub(super) fn field_at(&self, type_name: &str, wire: &str) -> String {
        let schema = self.type_at(type_name);
        self.find_property(&schema, wire, MAX_HOPS)
            .unwrap_or(schema)
    }

    fn find_property(&self, schema: &str, wire: &str, hops: usize) -> Option<String> {
        let schema = self.deref(schema);
        let direct = child(&child(&schema, "properties"), wire);
        if self.raw(&direct).is_some() {
            return Some(direct);
        }
        if hops == 0 {
            return None;
        }
        for combinator in ["allOf", "oneOf", "anyOf"] {
            let list = child(&schema, combinator);
            if let Some(Value::Array(items)) = self.raw(&list) {
                for i in 0..items.len() {
                    let member = child(&list, &i.to_string());
                    if let Some(found) = self.find_property(&member, wire, hops - 1) {
                        return Some(found);
                    }
                }
            }
        }
        None
    }

    /// A value of a string enum: its entry in `enum`, or the `oneOf` alternative that allows
    /// it; else the enum's schema.
    pub(super) fn variant_at(&self, type_name: &str, wire: &str) -> String {
        let schema = self.deref(&self.type_at(type_name));
        let is_value = |v: &Value| v.as_str() == Some(wire);
        if let Some(Value::Array(values)) = self.raw(&child(&schema, "enum"))
            && let Some(i) = values.iter().position(is_value)
        {
            return child(&child(&schema, "enum"), &i.to_string());
        }
        for combinator in ["oneOf", "anyOf"] {
            let list = child(&schema, combinator);
            if let Some(Value::Array(items)) = self.raw(&list) {
                for (i, item) in items.iter().enumerate() {
                    let allows = item.get("const").is_some_and(is_value)
                        || item
                            .get("enum")
                            .and_then(Value::as_array)
                            .is_some_and(|values| values.iter().any(is_value));
                    if allows {
                        return child(&list, &i.to_string());
                    }
                }
            }
        }
        schema
    }

    /// A security scheme.
    pub(super) fn scheme_at(&self, name: &str) -> String {
        child("/components/securitySchemes", name)
    }

    /// A webhook event: under 3.1's `webhooks` or 3.0's `x-webhooks`.
    pub(super) fn webhook_at(&self, event: &str) -> String {
        for root in ["/webhooks", "/x-webhooks"] {
            let at = child(root, event);
            if self.raw(&at).is_some() {
                return at;
            }
        }
        child("/x-webhooks", event)
    }
}

/// The Rust spelling of a type, as users read it in the generated code.
pub(super) fn rust_type(ty: &TypeRef) -> String {
    match ty {
        TypeRef::String => "String".to_owned(),
        TypeRef::I8 => "i8".to_owned(),
        TypeRef::I16 => "i16".to_owned(),
        TypeRef::I32 => "i32".to_owned(),
        TypeRef::I64 => "i64".to_owned(),
        TypeRef::U8 => "u8".to_owned(),
        TypeRef::U16 => "u16".to_owned(),
        TypeRef::U32 => "u32".to_owned(),
        TypeRef::U64 => "u64".to_owned(),
        TypeRef::F32 => "f32".to_owned(),
        TypeRef::F64 => "f64".to_owned(),
        TypeRef::Bool => "bool".to_owned(),
        TypeRef::DateTime => "DateTime<Utc>".to_owned(),
        TypeRef::Date => "NaiveDate".to_owned(),
        TypeRef::Uuid => "Uuid".to_owned(),
        TypeRef::Json => "serde_json::Value".to_owned(),
        TypeRef::Named(n) => n.clone(),
        TypeRef::Vec(t) => format!("Vec<{}>", rust_type(t)),
        TypeRef::Map(t) => format!("BTreeMap<String, {}>", rust_type(t)),
        TypeRef::Nullable(t) => format!("Option<{}>", rust_type(t)),
        TypeRef::Tuple(items) => {
            let items: Vec<String> = items.iter().map(rust_type).collect();
            format!("({})", items.join(", "))
        }
    }
}
