//! Parameters: path, query, header and cookie, with their styles.

use openapiv3::{Parameter, ParameterSchemaOrContent, PathItem, QueryStyle};

use super::Lowerer;
use super::idempotency::KeyHeaderRule;
use super::refs;
use crate::diagnostic::{Diagnostic, child};
use crate::doc;
use crate::ident::{self, Scope};
use crate::ir::{Docs, Param, ParamLocation, ParamStyle, TypeRef};

/// Headers that OpenAPI says to ignore as parameters: the client sets them itself.
const IGNORED_HEADERS: &[&str] = &["accept", "content-type", "authorization"];

/// The parameters of one operation.
pub(super) struct Params {
    /// Lowered, grouped by location.
    pub(super) list: Vec<Param>,
    /// The header parameter that carries the operation's idempotency key, as declared.
    pub(super) key_header: Option<String>,
    /// Path parameters that were declared but could not be lowered: their diagnostic already
    /// explains the path, so the template check leaves them alone.
    pub(super) rejected_path: Vec<String>,
    /// A parameter could not even be resolved: any path variable may be the one it declared.
    pub(super) unresolved: bool,
    /// The one value a declared `Accept` header parameter allows (its only `enum` value, or
    /// its `default`). OpenAPI says to ignore such a parameter, and it is no argument; but an
    /// author who declares one says what the server wants (Dwolla's
    /// `application/vnd.dwolla.v1.hal+json`), which the operation sends where its responses
    /// name no media type of their own.
    pub(super) declared_accept: Option<String>,
}

/// The one value a header parameter's schema allows: its only `enum` value, else its default.
fn single_value(doc: &openapiv3::OpenAPI, data: &openapiv3::ParameterData) -> Option<String> {
    let ParameterSchemaOrContent::Schema(schema) = &data.format else {
        return None;
    };
    let (schema, _) = refs::schema(doc, schema.into(), "").ok()?;
    if let openapiv3::SchemaKind::Type(openapiv3::Type::String(s)) = &schema.schema_kind
        && let [Some(only)] = s.enumeration.as_slice()
    {
        return Some(only.clone());
    }
    schema
        .schema_data
        .default
        .as_ref()
        .and_then(|d| d.as_str())
        .map(str::to_owned)
}

impl<'a> Lowerer<'a> {
    /// Path-level parameters, overridden by operation-level ones with the same name and place.
    pub(super) fn params(
        &mut self,
        item: &'a PathItem,
        op: &'a openapiv3::Operation,
        at: &str,
        type_base: &str,
        key_rule: &KeyHeaderRule,
    ) -> Params {
        let doc = self.doc;
        let path_at = at.rsplit_once('/').map(|(p, _)| p).unwrap_or(at).to_owned();
        let mut resolved: Vec<(&'a Parameter, String)> = Vec::new();
        let sources = [
            (&item.parameters, child(&path_at, "parameters")),
            (&op.parameters, child(at, "parameters")),
        ];
        let key = |x: &Parameter| {
            let d = x.parameter_data_ref();
            (d.name.clone(), std::mem::discriminant(x))
        };
        let mut unresolved = false;
        for (list, list_at) in sources {
            // An operation may override a path-level parameter, but one list may not name the
            // same parameter twice: which one was meant is anyone's guess.
            let mut in_this_list = Vec::new();
            for (i, p) in list.iter().enumerate() {
                let p_at = child(&list_at, &i.to_string());
                match refs::parameter(doc, p, &p_at) {
                    Ok((param, found_at)) => {
                        if in_this_list.contains(&key(param)) {
                            self.diags.push(
                                Diagnostic::error(&p_at, format!("parameter `{}` is declared twice", param.parameter_data_ref().name))
                                    .with_help("a parameter is identified by its name and location; keep one declaration"),
                            );
                            continue;
                        }
                        in_this_list.push(key(param));
                        resolved.retain(|(existing, _)| key(existing) != key(param));
                        // Later diagnostics point where the parameter is defined.
                        resolved.push((param, found_at));
                    }
                    Err(d) => {
                        self.diags.push(d);
                        unresolved = true;
                    }
                }
            }
        }

        // `call` is the request the generated method builds; a parameter of that name would
        // shadow it.
        let mut scope = Scope::with_reserved(["self", "body", "params", "call"]);
        let mut out = Params {
            list: Vec::new(),
            key_header: None,
            rejected_path: Vec::new(),
            unresolved,
            declared_accept: None,
        };
        for (param, p_at) in resolved {
            let data = param.parameter_data_ref();
            let (location, style) = match param {
                Parameter::Path { .. } => (ParamLocation::Path, ParamStyle::Form { explode: true }),
                Parameter::Query { style, .. } => (
                    ParamLocation::Query,
                    match style {
                        QueryStyle::Form => ParamStyle::Form {
                            explode: data.explode.unwrap_or(true),
                        },
                        QueryStyle::SpaceDelimited => ParamStyle::SpaceDelimited,
                        QueryStyle::PipeDelimited => ParamStyle::PipeDelimited,
                        QueryStyle::DeepObject => ParamStyle::DeepObject,
                    },
                ),
                Parameter::Header { .. } => {
                    let lower = data.name.to_ascii_lowercase();
                    if out.key_header.is_none()
                        && key_rule.is_key(data, &self.options.idempotency_header)
                    {
                        // Sent by the runtime, one key per call (see `idempotency.rs`).
                        out.key_header = Some(data.name.clone());
                        continue;
                    }
                    if data.name.eq_ignore_ascii_case(&self.options.version_header) {
                        // Sent client-wide, with `info.version`: not a method argument.
                        self.version_header_declared = true;
                        continue;
                    }
                    if IGNORED_HEADERS.contains(&lower.as_str()) {
                        if lower == "accept" {
                            out.declared_accept = single_value(doc, data);
                        }
                        continue;
                    }
                    (ParamLocation::Header, ParamStyle::Form { explode: true })
                }
                Parameter::Cookie { .. } => {
                    (ParamLocation::Cookie, ParamStyle::Form { explode: true })
                }
            };
            let reject = |out: &mut Params| {
                if location == ParamLocation::Path {
                    out.rejected_path.push(data.name.clone());
                }
            };
            let schema = match &data.format {
                ParameterSchemaOrContent::Schema(s) => s,
                ParameterSchemaOrContent::Content(_) => {
                    self.diags.push(
                        Diagnostic::error(
                            child(&p_at, "content"),
                            format!(
                                "parameter `{}` uses `content`, which is not supported",
                                data.name
                            ),
                        )
                        .with_help("describe the parameter with `schema` instead")
                        .unsupported(),
                    );
                    reject(&mut out);
                    continue;
                }
            };
            // A path variable always has a value: an author who left out `required` on a
            // path parameter meant it.
            let required = data.required || location == ParamLocation::Path;
            if location == ParamLocation::Path && !data.required {
                self.diags.push(
                    Diagnostic::mistake(
                        &p_at,
                        format!("path parameter `{}` is not marked `required`", data.name),
                        "read as required, since the path always needs it",
                    )
                    .with_help("set `required: true`; OpenAPI requires it for path parameters"),
                );
            }
            let schema_at = child(&p_at, "schema");
            let hint = format!("{type_base}{}", ident::type_name(&data.name));
            let ty = self.schema_type(schema.into(), &schema_at, &hint);
            if !self.param_type_supported(&ty, location) {
                self.diags.push(
                    Diagnostic::error(&schema_at, format!("parameter `{}` has a type that cannot be sent in the {}", data.name, location_name(location)))
                        .with_help(match location {
                            ParamLocation::Query => "query parameters can be any value",
                            _ => "path, header and cookie parameters must be strings, numbers, booleans, enums, dates, uuids, unions of those, or arrays of them",
                        })
                        .unsupported(),
                );
                reject(&mut out);
                continue;
            }
            // A style only changes how arrays and objects are written; on a scalar it is
            // accepted and means nothing.
            let style = if self.is_scalar(&ty) {
                ParamStyle::Form { explode: true }
            } else {
                style
            };
            let mut docs = Docs::default();
            if let Some(d) = &data.description {
                docs.push(doc::sanitize(d));
            }
            if let Ok((s, found_at)) = refs::schema(self.doc, schema.into(), &schema_at) {
                for p in self.schema_docs(s, &found_at).paragraphs {
                    docs.push(p);
                }
            }
            if docs.is_empty() {
                docs.push(format!(
                    "The `{}` {} parameter.",
                    data.name,
                    location_name(location)
                ));
            }
            out.list.push(Param {
                name: scope.claim(ident::snake(&data.name)),
                wire_name: data.name.clone(),
                location,
                ty,
                style,
                required,
                docs,
                deprecated: data.deprecated.unwrap_or(false),
            });
        }
        // Grouped by location, in declaration order; `operation` orders path parameters by
        // the template.
        out.list.sort_by_key(|p| location_rank(p.location));
        out
    }

    /// What each location can carry: a query any value (the runtime writes arrays and
    /// objects in the parameter's style); the path, headers and cookies scalars, or arrays of
    /// them joined with commas.
    fn param_type_supported(&self, ty: &TypeRef, location: ParamLocation) -> bool {
        if location == ParamLocation::Query {
            return true;
        }
        match ty {
            TypeRef::Vec(inner) => location != ParamLocation::Path && self.is_scalar(inner),
            other => self.is_scalar(other),
        }
    }

    /// Strings, numbers, booleans, dates, uuids, enums, and untagged unions and aliases of
    /// those: values that are written as one piece of text.
    pub(super) fn is_scalar(&self, ty: &TypeRef) -> bool {
        let lookup = |n: &str| self.types.iter().find(|t| t.name == n);
        crate::ir::is_scalar(ty, &lookup, self.types.len())
    }
}

pub(super) fn location_rank(location: ParamLocation) -> usize {
    match location {
        ParamLocation::Path => 0,
        ParamLocation::Query => 1,
        ParamLocation::Header => 2,
        ParamLocation::Cookie => 3,
    }
}

pub(super) fn location_name(location: ParamLocation) -> &'static str {
    match location {
        ParamLocation::Path => "path",
        ParamLocation::Query => "query",
        ParamLocation::Header => "header",
        ParamLocation::Cookie => "cookie",
    }
}
