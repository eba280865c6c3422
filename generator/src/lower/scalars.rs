//! Strings, numbers and enums: which Rust type each becomes, and what their docs say.

use std::collections::BTreeSet;

use openapiv3::{
    AnySchema, IntegerFormat, NumberFormat, Schema, SchemaKind, StringFormat, StringType, Type,
    VariantOrUnknownOrEmpty,
};
use serde_json::Value;

use super::Lowerer;
use super::schema::Shape;
use crate::diagnostic::{Diagnostic, child};
use crate::doc;
use crate::ident::{self, Scope};
use crate::ir::{Docs, TypeKind, TypeRef, Variant};

impl<'a> Lowerer<'a> {
    /// A string schema: an open enum when it lists several values, else a string, date,
    /// date-time or uuid by its format.
    pub(super) fn string_shape(&mut self, s: &StringType, at: &str) -> Shape {
        let values: Vec<&String> = s.enumeration.iter().flatten().collect();
        if values.is_empty() {
            self.empty_enum(at);
        }
        if values.len() > 1 {
            let described = values.into_iter().map(|v| (v.clone(), Docs::default()));
            return Shape::Def(TypeKind::Enum(variants(described)));
        }
        Shape::Ref(self.string_format_type(match &s.format {
            VariantOrUnknownOrEmpty::Item(StringFormat::DateTime) => Some("date-time"),
            VariantOrUnknownOrEmpty::Item(StringFormat::Date) => Some("date"),
            VariantOrUnknownOrEmpty::Unknown(f) => Some(f.as_str()),
            _ => None,
        }))
    }

    /// `enum: []` allows no value at all; openapiv3 reads it as no `enum`, so the document is
    /// asked directly.
    fn empty_enum(&mut self, at: &str) {
        if let Some(Value::Array(values)) = self.raw_at(&child(at, "enum"))
            && values.is_empty()
        {
            self.diags.push(
                Diagnostic::warning(
                    child(at, "enum"),
                    "`enum` lists no values; no value can match",
                )
                .with_help("list the allowed values, or remove `enum`"),
            );
        }
    }

    pub(super) fn string_format_type(&self, format: Option<&str>) -> TypeRef {
        match format {
            Some("date-time") => TypeRef::DateTime,
            Some("date") => TypeRef::Date,
            Some("uuid") => TypeRef::Uuid,
            _ => TypeRef::String,
        }
    }

    /// The name of an integer format, whether openapiv3 knows it or not.
    pub(super) fn format_name(format: &VariantOrUnknownOrEmpty<IntegerFormat>) -> Option<&str> {
        match format {
            VariantOrUnknownOrEmpty::Item(IntegerFormat::Int32) => Some("int32"),
            VariantOrUnknownOrEmpty::Item(IntegerFormat::Int64) => Some("int64"),
            VariantOrUnknownOrEmpty::Unknown(f) => Some(f.as_str()),
            VariantOrUnknownOrEmpty::Empty => None,
        }
    }

    /// The Rust integer for a format, widened to unsigned when the bounds need it (a `maximum`
    /// past the signed range with a `minimum` of zero or more). Bounds are read from the
    /// document itself, where they keep their full range.
    pub(super) fn integer_type(&self, format: Option<&str>, at: &str) -> TypeRef {
        let minimum = self.raw_at(&child(at, "minimum")).and_then(Value::as_f64);
        let maximum = self.raw_at(&child(at, "maximum")).and_then(Value::as_f64);
        let non_negative = minimum.is_some_and(|m| m >= 0.0);
        let above = |limit: f64| non_negative && maximum.is_some_and(|m| m > limit);
        match format {
            Some("int8") => TypeRef::I8,
            Some("int16") => TypeRef::I16,
            Some("int32") if above(f64::from(i32::MAX)) => TypeRef::U32,
            Some("int32") => TypeRef::I32,
            Some("uint8") => TypeRef::U8,
            Some("uint16") => TypeRef::U16,
            Some("uint32") => TypeRef::U32,
            Some("uint64" | "uint") => TypeRef::U64,
            _ if above(i64::MAX as f64) => TypeRef::U64,
            _ => TypeRef::I64,
        }
    }

    pub(super) fn number_type(format: &VariantOrUnknownOrEmpty<NumberFormat>) -> TypeRef {
        match format {
            VariantOrUnknownOrEmpty::Item(NumberFormat::Float) => TypeRef::F32,
            _ => TypeRef::F64,
        }
    }

    /// An `enum` on a schema openapiv3 could not type: strings make an open enum; values of
    /// several JSON types can't be one Rust type, so the value stays free-form, with a warning.
    pub(super) fn any_enum(&mut self, any: &AnySchema, at: &str) -> Option<Shape> {
        let strings: Vec<&String> = any
            .enumeration
            .iter()
            .filter_map(Value::as_str_ref)
            .collect();
        let kinds: BTreeSet<&str> = any
            .enumeration
            .iter()
            .filter(|v| !v.is_null())
            .map(json_kind)
            .collect();
        if kinds.len() > 1 {
            let listed: Vec<&str> = kinds.into_iter().collect();
            self.diags.push(
                Diagnostic::warning(
                    child(at, "enum"),
                    format!(
                        "`enum` mixes values of several types ({}); the value is free-form JSON",
                        listed.join(", ")
                    ),
                )
                .with_help("give every value the same type, or split the schema with `oneOf`"),
            );
            return Some(Shape::Ref(TypeRef::Json));
        }
        if any.typ.as_deref().is_some_and(|t| t != "string") && !strings.is_empty() {
            self.diags.push(
                Diagnostic::warning(
                    child(at, "enum"),
                    format!(
                        "`enum` lists strings but `type` is `{}`; the value is free-form JSON",
                        any.typ.as_deref().unwrap_or_default()
                    ),
                )
                .with_help("make `type` match the values"),
            );
            return Some(Shape::Ref(TypeRef::Json));
        }
        if strings.len() > 1 {
            let described = strings.into_iter().map(|v| (v.clone(), Docs::default()));
            return Some(Shape::Def(TypeKind::Enum(variants(described))));
        }
        if any.enumeration.is_empty() && any.typ.as_deref() == Some("string") {
            self.empty_enum(at);
        }
        None
    }

    /// Notes for the docs on what the Rust type of a scalar can't say: formats kept as
    /// strings, bounds, fixed values.
    pub(super) fn scalar_docs(&self, schema: &Schema, at: &str, docs: &mut Docs) {
        match &schema.schema_kind {
            SchemaKind::Type(Type::String(s)) => {
                if let [Some(value)] = s.enumeration.as_slice() {
                    docs.push(format!("Always {}.", doc::code(value)));
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
                    VariantOrUnknownOrEmpty::Unknown(f) if f != "uuid" => {
                        docs.push(format!("Format: {} (kept as a string).", doc::code(f)))
                    }
                    _ => {}
                }
            }
            SchemaKind::Type(Type::Integer(i)) => {
                let ty = self.integer_type(Self::format_name(&i.format), at);
                if let VariantOrUnknownOrEmpty::Unknown(f) = &i.format
                    && !KNOWN_INTEGER_FORMATS.contains(&f.as_str())
                {
                    docs.push(format!(
                        "Format: {} (kept as an `{}`).",
                        doc::code(f),
                        primitive_rust(&ty)
                    ));
                }
                self.bound_docs(at, docs);
                let values: Vec<String> =
                    i.enumeration.iter().flatten().map(i64::to_string).collect();
                if !values.is_empty() {
                    docs.push(format!("One of: {}.", values.join(", ")));
                }
            }
            SchemaKind::Type(Type::Number(_)) => self.bound_docs(at, docs),
            SchemaKind::Type(Type::Boolean(b)) => {
                if let [Some(value)] = b.enumeration.as_slice() {
                    docs.push(format!("Always `{value}`."));
                }
            }
            _ => {}
        }
    }

    /// The bounds of a number as the document writes them (beyond what `i64` holds, too),
    /// inclusive or exclusive.
    fn bound_docs(&self, at: &str, docs: &mut Docs) {
        let bound = |key: &str, flag: &str| {
            let value = self.raw_at(&child(at, key)).filter(|v| v.is_number())?;
            let exclusive = self.raw_at(&child(at, flag)) == Some(&Value::Bool(true));
            Some((value, exclusive))
        };
        let text = match (
            bound("minimum", "exclusiveMinimum"),
            bound("maximum", "exclusiveMaximum"),
        ) {
            (Some((lo, false)), Some((hi, false))) => format!("Between {lo} and {hi}."),
            (Some((lo, lo_exclusive)), Some((hi, hi_exclusive))) => format!(
                "{} {lo} and {} {hi}.",
                if lo_exclusive {
                    "More than"
                } else {
                    "At least"
                },
                if hi_exclusive { "less than" } else { "at most" },
            ),
            (Some((lo, true)), None) => format!("More than {lo}."),
            (Some((lo, false)), None) => format!("At least {lo}."),
            (None, Some((hi, true))) => format!("Less than {hi}."),
            (None, Some((hi, false))) => format!("At most {hi}."),
            (None, None) => return,
        };
        docs.push(text);
    }
}

/// Integer formats that pick a Rust type of their own, so the docs need not mention them.
const KNOWN_INTEGER_FORMATS: &[&str] = &[
    "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64", "uint",
];

fn primitive_rust(ty: &TypeRef) -> &'static str {
    match ty {
        TypeRef::U64 => "u64",
        TypeRef::U32 => "u32",
        TypeRef::I32 => "i32",
        _ => "i64",
    }
}

fn json_kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// `Value::as_str`, as a `&String` for the callers that collect them.
trait AsStrRef {
    fn as_str_ref(&self) -> Option<&String>;
}

impl AsStrRef for Value {
    fn as_str_ref(&self) -> Option<&String> {
        match self {
            Value::String(s) => Some(s),
            _ => None,
        }
    }
}

/// Enum variants from wire values (first occurrence wins) and their docs.
pub(super) fn variants(values: impl IntoIterator<Item = (String, Docs)>) -> Vec<Variant> {
    let mut scope = Scope::with_reserved(["Unknown"]);
    let mut seen = BTreeSet::new();
    values
        .into_iter()
        .filter(|(v, _)| seen.insert(v.clone()))
        .map(|(v, docs)| Variant {
            name: scope.claim(ident::variant(&v)),
            wire_value: v,
            docs,
        })
        .collect()
}
