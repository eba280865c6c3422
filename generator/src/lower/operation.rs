//! Paths and operations → IR operations: parameters, bodies, responses.

use openapiv3::{
    Parameter, ParameterSchemaOrContent, PathItem, QueryStyle, ReferenceOr, StatusCode,
};

use super::Lowerer;
use super::refs;
use crate::diagnostic::{Diagnostic, child};
use crate::doc;
use crate::ident::{self, Scope};
use crate::ir::{
    Body, Docs, ErrorShape, Operation, Param, ParamLocation, ResponseDoc, ResponseShape, Segment,
    StatusMatch, Stream, Success, TypeKind, TypeRef,
};

/// Headers that OpenAPI says to ignore as parameters: the client sets them itself.
const IGNORED_HEADERS: &[&str] = &["accept", "content-type", "authorization"];

impl<'a> Lowerer<'a> {
    /// All operations, sorted by path and then by method.
    pub(super) fn operations(&mut self) -> Vec<Operation> {
        let doc = self.doc;
        let mut paths: Vec<(&String, &ReferenceOr<PathItem>)> = doc.paths.paths.iter().collect();
        paths.sort_by(|a, b| a.0.cmp(b.0));
        // The client's own methods, and `new` (clippy expects `new` to return `Self`).
        let mut methods =
            Scope::with_reserved(["builder", "from_env", "runtime", "clone", "fmt", "new"]);
        let mut out = Vec::new();
        let mut ids = std::collections::BTreeMap::new();
        for (path, item) in paths {
            let at = child("/paths", path);
            let item = match item {
                ReferenceOr::Item(item) => item,
                ReferenceOr::Reference { .. } => {
                    self.diags.push(
                        Diagnostic::error(&at, "a `$ref` path item is not supported")
                            .with_help("define the path's operations inline"),
                    );
                    continue;
                }
            };
            let all = [
                ("GET", &item.get),
                ("PUT", &item.put),
                ("POST", &item.post),
                ("DELETE", &item.delete),
                ("OPTIONS", &item.options),
                ("HEAD", &item.head),
                ("PATCH", &item.patch),
                ("TRACE", &item.trace),
            ];
            for (method, op) in all {
                let Some(op) = op else { continue };
                let op_at = child(&at, &method.to_lowercase());
                let id = op.operation_id.clone().unwrap_or_else(|| {
                    format!("{} {}", method.to_lowercase(), path.replace(['{', '}'], ""))
                });
                // operationIds name the methods and the operation filter: they must be unique.
                if let Some(first) = ids.insert(id.clone(), op_at.clone()) {
                    self.diags.push(
                        Diagnostic::error(
                            child(&op_at, "operationId"),
                            format!("operationId `{id}` is used twice"),
                        )
                        .with_help(format!(
                            "it is also the operationId at `#{first}`; give each operation its own"
                        )),
                    );
                    continue;
                }
                if let Some(wanted) = &self.options.operations
                    && !wanted.contains(&id)
                {
                    continue;
                }
                if let Some(lowered) =
                    self.operation(path, method, item, op, &op_at, id, &mut methods)
                {
                    out.push(lowered);
                }
            }
        }
        out
    }

    #[allow(clippy::too_many_arguments)]
    fn operation(
        &mut self,
        path: &str,
        method: &str,
        item: &'a PathItem,
        op: &'a openapiv3::Operation,
        at: &str,
        id: String,
        methods: &mut Scope,
    ) -> Option<Operation> {
        let name = methods.claim(ident::snake(&id));
        let type_base = ident::type_name(&id);
        self.unsupported_operation_parts(op, at);

        let (mut params, idempotent) = self.params(item, op, at, &type_base);
        // Path arguments follow the template (`/{owner}/{repo}` takes owner, then repo), so
        // reordering declarations in the spec can't silently swap two `&str` arguments.
        params.sort_by_key(|p| match p.location {
            ParamLocation::Path => (
                0,
                path.find(&format!("{{{}}}", p.wire_name))
                    .unwrap_or(usize::MAX),
            ),
            ParamLocation::Query => (1, 0),
            ParamLocation::Header => (2, 0),
        });
        let segments = self.segments(path, &params, at);
        let body = self.body(op, at, &type_base);
        let (success, error, responses) = self.responses(op, at, &type_base);

        let cursor_param = match &success.shape {
            ResponseShape::List(_) => params
                .iter()
                .find(|p| {
                    p.location == ParamLocation::Query && p.wire_name == "cursor" && !p.required
                })
                .map(|p| p.wire_name.clone()),
            _ => None,
        };
        let stream = cursor_param.map(|cursor_param| Stream {
            method: methods.claim(format!("{}_stream", ident::bare(&name))),
            cursor_param,
        });
        let params_type = params
            .iter()
            .any(|p| !p.required)
            .then(|| self.type_scope.claim(format!("{type_base}Params")));

        let mut docs = Docs::default();
        if let Some(s) = &op.summary {
            docs.push(doc::sanitize(s));
        }
        if let Some(d) = &op.description {
            docs.push(doc::sanitize(d));
        }
        docs.push(format!("`{method} {path}`"));
        Some(Operation {
            name,
            id,
            method: method.to_owned(),
            path: path.to_owned(),
            segments: segments?,
            docs,
            deprecated: op.deprecated,
            params,
            idempotent,
            body,
            success,
            error,
            responses,
            stream,
            params_type,
        })
    }

    fn unsupported_operation_parts(&mut self, op: &openapiv3::Operation, at: &str) {
        if !op.callbacks.is_empty() {
            self.diags.push(
                Diagnostic::warning(
                    child(at, "callbacks"),
                    "callbacks are not part of the generated client",
                )
                .with_help(
                    "callbacks describe requests the server makes; handle them in your web server",
                ),
            );
        }
        // Without global security, operation requirements are what `auth` reads.
        if op.security.is_some() && self.doc.security.is_some() && op.security != self.doc.security
        {
            self.diags.push(
                Diagnostic::warning(
                    child(at, "security"),
                    "per-operation security is not supported; the client authenticates every request the same way",
                )
                .with_help("remove the operation-level `security`, or make it match the global one"),
            );
        }
        if !op.servers.is_empty() {
            self.diags.push(
                Diagnostic::warning(child(at, "servers"), "per-operation servers are ignored")
                    .with_help("the client sends every request to its one base URL"),
            );
        }
    }

    /// Path-level parameters, overridden by operation-level ones with the same name and place.
    fn params(
        &mut self,
        item: &'a PathItem,
        op: &'a openapiv3::Operation,
        at: &str,
        type_base: &str,
    ) -> (Vec<Param>, bool) {
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
                    Err(d) => self.diags.push(d),
                }
            }
        }

        // `call` is the request the generated method builds; a parameter of that name would
        // shadow it.
        let mut scope = Scope::with_reserved(["self", "body", "params", "call"]);
        let mut idempotent = false;
        let mut out = Vec::new();
        for (param, p_at) in resolved {
            let data = param.parameter_data_ref();
            let location = match param {
                Parameter::Path { .. } => ParamLocation::Path,
                Parameter::Query { style, .. } => {
                    let style_name = match style {
                        QueryStyle::Form => None,
                        QueryStyle::SpaceDelimited => Some("spaceDelimited"),
                        QueryStyle::PipeDelimited => Some("pipeDelimited"),
                        QueryStyle::DeepObject => Some("deepObject"),
                    };
                    if let Some(style_name) = style_name {
                        self.diags.push(
                            Diagnostic::error(
                                child(&p_at, "style"),
                                format!("query style `{style_name}` is not supported"),
                            )
                            .with_help("use the default `form` style"),
                        );
                        continue;
                    }
                    ParamLocation::Query
                }
                Parameter::Header { .. } => {
                    let lower = data.name.to_ascii_lowercase();
                    if data
                        .name
                        .eq_ignore_ascii_case(&self.options.idempotency_header)
                    {
                        idempotent = true;
                        continue;
                    }
                    if data.name.eq_ignore_ascii_case(&self.options.version_header)
                        || IGNORED_HEADERS.contains(&lower.as_str())
                    {
                        continue;
                    }
                    ParamLocation::Header
                }
                Parameter::Cookie { .. } => {
                    self.diags.push(
                        Diagnostic::error(
                            &p_at,
                            format!("cookie parameter `{}` is not supported", data.name),
                        )
                        .with_help("pass the value as a header or query parameter instead"),
                    );
                    continue;
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
                        .with_help("describe the parameter with `schema` instead"),
                    );
                    continue;
                }
            };
            if location == ParamLocation::Path && !data.required {
                self.diags.push(
                    Diagnostic::error(
                        child(&p_at, "required"),
                        format!("path parameter `{}` must be required", data.name),
                    )
                    .with_help("set `required: true`; OpenAPI requires it for path parameters"),
                );
            }
            if location == ParamLocation::Query && data.explode == Some(false) {
                self.diags.push(
                    Diagnostic::error(
                        child(&p_at, "explode"),
                        format!("`explode: false` on `{}` is not supported", data.name),
                    )
                    .with_help("remove `explode` to send repeated keys (`a=1&a=2`)"),
                );
                continue;
            }
            let schema_at = child(&p_at, "schema");
            let hint = format!("{type_base}{}", ident::type_name(&data.name));
            let ty = self.schema_type(schema.into(), &schema_at, &hint);
            if !self.param_type_supported(&ty, location) {
                self.diags.push(
                    Diagnostic::error(&schema_at, format!("parameter `{}` has a type that cannot be sent in the {}", data.name, location_name(location)))
                        .with_help("parameters must be strings, numbers, booleans, enums, dates or uuids (arrays of them in a query)"),
                );
                continue;
            }
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
            out.push(Param {
                name: scope.claim(ident::snake(&data.name)),
                wire_name: data.name.clone(),
                location,
                ty,
                required: data.required,
                docs,
                deprecated: data.deprecated.unwrap_or(false),
            });
        }
        // Grouped by location, in declaration order; `operation` orders path parameters by
        // the template.
        out.sort_by_key(|p| match p.location {
            ParamLocation::Path => 0,
            ParamLocation::Query => 1,
            ParamLocation::Header => 2,
        });
        (out, idempotent)
    }

    fn param_type_supported(&self, ty: &TypeRef, location: ParamLocation) -> bool {
        match ty {
            TypeRef::Json | TypeRef::Map(_) | TypeRef::Nullable(_) => false,
            TypeRef::Vec(inner) => {
                location == ParamLocation::Query
                    && !matches!(**inner, TypeRef::Vec(_))
                    && self.param_type_supported(inner, ParamLocation::Path)
            }
            // An enum, or an alias of something sendable (`CustomerId: {type: string}`).
            TypeRef::Named(_) => match self.resolve_alias(ty) {
                TypeRef::Named(n) => self
                    .types
                    .iter()
                    .find(|t| &t.name == n)
                    .is_some_and(|t| matches!(t.kind, TypeKind::Enum(_))),
                // An alias of an array would need the array's repeated-key handling, which
                // is keyed on the parameter's own type; only scalar aliases are taken.
                resolved => {
                    !matches!(resolved, TypeRef::Vec(_))
                        && self.param_type_supported(&resolved.clone(), location)
                }
            },
            _ => true,
        }
    }

    /// Follows aliases to the type they stand for. Bounded, because alias cycles are only
    /// diagnosed after operations are lowered.
    fn resolve_alias<'t>(&'t self, ty: &'t TypeRef) -> &'t TypeRef {
        let mut current = ty;
        for _ in 0..=self.types.len() {
            let TypeRef::Named(n) = current else { break };
            match self.types.iter().find(|t| &t.name == n).map(|t| &t.kind) {
                Some(TypeKind::Alias(target)) => current = target,
                _ => break,
            }
        }
        current
    }

    /// Splits the path template, checking that template variables and path parameters agree.
    fn segments(&mut self, path: &str, params: &[Param], at: &str) -> Option<Vec<Segment>> {
        let mut segments = Vec::new();
        let mut ok = true;
        for part in path.split('/').filter(|s| !s.is_empty()) {
            if let Some(var) = part.strip_prefix('{').and_then(|p| p.strip_suffix('}'))
                && !var.contains(['{', '}'])
            {
                match params
                    .iter()
                    .find(|p| p.location == ParamLocation::Path && p.wire_name == var)
                {
                    Some(p) => segments.push(Segment::Param(p.name.clone())),
                    None => {
                        ok = false;
                        self.diags.push(
                            Diagnostic::error(
                                at,
                                format!("path variable `{{{var}}}` has no path parameter"),
                            )
                            .with_help(format!("declare a parameter `{var}` with `in: path`")),
                        );
                    }
                }
            } else if part.contains(['{', '}']) {
                ok = false;
                self.diags.push(
                    Diagnostic::error(
                        at,
                        format!(
                            "path segment `{part}` mixes text and variables, which is not supported"
                        ),
                    )
                    .with_help("make each variable a whole path segment"),
                );
            } else {
                segments.push(Segment::Literal(part.to_owned()));
            }
        }
        for p in params.iter().filter(|p| p.location == ParamLocation::Path) {
            if !segments.contains(&Segment::Param(p.name.clone())) {
                ok = false;
                self.diags.push(
                    Diagnostic::error(
                        at,
                        format!(
                            "path parameter `{}` does not appear in the path `{path}`",
                            p.wire_name
                        ),
                    )
                    .with_help("add `{name}` to the path, or remove the parameter"),
                );
            }
        }
        ok.then_some(segments)
    }

    fn body(&mut self, op: &'a openapiv3::Operation, at: &str, type_base: &str) -> Option<Body> {
        let body = op.request_body.as_ref()?;
        let body_at = child(at, "requestBody");
        let (body, resolved_at) = match refs::request_body(self.doc, body, &body_at) {
            Ok(found) => found,
            Err(d) => {
                self.diags.push(d);
                return None;
            }
        };
        let Some((media, content)) = body.content.iter().find(|(m, _)| is_json(m)) else {
            let types: Vec<&str> = body.content.keys().map(String::as_str).collect();
            self.diags.push(
                Diagnostic::error(
                    child(&resolved_at, "content"),
                    format!("request body type {} is not supported", quoted(&types)),
                )
                .with_help("commet-codegen sends JSON bodies (`application/json`); multipart, form and XML bodies are not supported"),
            );
            return None;
        };
        let schema_at = child(&child(&child(&resolved_at, "content"), media), "schema");
        let ty = match &content.schema {
            Some(s) => self.schema_type(s.into(), &schema_at, &format!("{type_base}Request")),
            None => TypeRef::Json,
        };
        Some(Body {
            ty,
            required: body.required,
        })
    }

    fn responses(
        &mut self,
        op: &'a openapiv3::Operation,
        at: &str,
        type_base: &str,
    ) -> (Success, Option<ErrorShape>, Vec<ResponseDoc>) {
        let doc = self.doc;
        let responses_at = child(at, "responses");
        let mut all: Vec<(StatusMatch, &'a ReferenceOr<openapiv3::Response>, String)> = op
            .responses
            .responses
            .iter()
            .map(|(code, r)| {
                let status = match code {
                    StatusCode::Code(c) => StatusMatch::Code(*c),
                    StatusCode::Range(r) => StatusMatch::Range(*r),
                };
                (status, r, child(&responses_at, &code.to_string()))
            })
            .collect();
        if let Some(d) = &op.responses.default {
            all.push((StatusMatch::Default, d, child(&responses_at, "default")));
        }
        all.sort_by(|a, b| a.0.cmp(&b.0));

        let mut success: Option<Success> = None;
        // A success response that was rejected already has its own diagnostic.
        let mut success_declared = false;
        let mut error: Option<ErrorShape> = None;
        let mut docs = Vec::new();
        for (status, response, r_at) in all {
            let (response, resolved_at) = match refs::response(doc, response, &r_at) {
                Ok(found) => found,
                Err(d) => {
                    self.diags.push(d);
                    continue;
                }
            };
            docs.push(ResponseDoc {
                status: status.clone(),
                description: doc::sanitize(&response.description),
            });
            let is_success = matches!(status, StatusMatch::Code(200..=299) | StatusMatch::Range(2));
            success_declared |= is_success;
            let content_at = child(&resolved_at, "content");
            let json = response.content.iter().find(|(m, _)| is_json(m));
            if json.is_none() && !response.content.is_empty() {
                let types: Vec<&str> = response.content.keys().map(String::as_str).collect();
                let d = Diagnostic::error(
                    &content_at,
                    format!("response type {} is not supported", quoted(&types)),
                )
                .with_help("commet-codegen reads JSON responses (`application/json`)");
                self.diags.push(d);
                continue;
            }
            let schema = json.and_then(|(m, c)| c.schema.as_ref().map(|s| (m, s)));
            if is_success {
                let no_content = match status {
                    StatusMatch::Code(code @ (204 | 205)) => Some(code),
                    _ => None,
                };
                let shape = match (schema, json) {
                    // A 204 has no body, whatever the spec says.
                    (_, Some(_)) if no_content.is_some() => {
                        let code = no_content.unwrap_or_default();
                        self.diags.push(
                            Diagnostic::warning(
                                &content_at,
                                format!("a {code} response has no body; its content is ignored"),
                            )
                            .with_help("remove the content, or use 200 for a response with a body"),
                        );
                        ResponseShape::Empty
                    }
                    (Some((m, s)), _) => {
                        let s_at = child(&child(&content_at, m), "schema");
                        self.success_shape(s.into(), &s_at, &format!("{type_base}Response"))
                    }
                    // JSON without a schema: keep the body, untyped.
                    (None, Some(_)) => ResponseShape::Bare(TypeRef::Json),
                    (None, None) => ResponseShape::Empty,
                };
                let code = match status {
                    StatusMatch::Code(c) => c,
                    _ => 200,
                };
                match &success {
                    None => {
                        success = Some(Success {
                            status: code,
                            shape,
                        })
                    }
                    Some(first) if first.shape != shape => self.diags.push(
                        Diagnostic::warning(
                            &r_at,
                            "a second success response with a different body is ignored",
                        )
                        .with_help(format!(
                            "the client decodes every success as the {} response",
                            first.status
                        )),
                    ),
                    Some(_) => {}
                }
            } else if let Some((m, s)) = schema {
                let s_at = child(&child(&content_at, m), "schema");
                let shape = self.error_shape(s.into(), &s_at, &format!("{type_base}Error"));
                match &error {
                    None => error = Some(shape),
                    Some(first) if *first != shape => self.diags.push(
                        Diagnostic::warning(&r_at, "this error response has a different body than the operation's first one")
                            .with_help("the client decodes every error body as the first declared one"),
                    ),
                    Some(_) => {}
                }
            }
        }
        let success = success.unwrap_or_else(|| {
            if success_declared {
                return Success {
                    status: 200,
                    shape: ResponseShape::Empty,
                };
            }
            self.diags.push(
                Diagnostic::warning(
                    &responses_at,
                    "no success (2XX) response is declared; the call returns nothing",
                )
                .with_help("declare the 200 response"),
            );
            Success {
                status: 200,
                shape: ResponseShape::Empty,
            }
        });
        (success, error, docs)
    }
}

fn is_json(media: &str) -> bool {
    let essence = media
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    essence == "application/json"
        || (essence.starts_with("application/") && essence.ends_with("+json"))
}

fn quoted(items: &[&str]) -> String {
    items
        .iter()
        .map(|i| format!("`{i}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn location_name(location: ParamLocation) -> &'static str {
    match location {
        ParamLocation::Path => "path",
        ParamLocation::Query => "query",
        ParamLocation::Header => "header",
    }
}
