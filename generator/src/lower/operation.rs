//! Paths and operations → IR operations. Parameters are in `params.rs`, path templates in
//! `path.rs`, request bodies in `content.rs`, responses in `responses.rs`.

use openapiv3::{PathItem, ReferenceOr};

use super::Lowerer;
use super::params::location_rank;
use crate::diagnostic::{Diagnostic, Diagnostics, Severity, child};
use crate::doc;
use crate::ident::{self, Scope};
use crate::ir::{Alternative, Docs, Operation, ParamLocation, ResponseShape, Stream};

/// An operation and the diagnostics its own parts raised.
pub(super) struct LoweredOperation {
    /// Its operationId.
    pub(super) id: String,
    pub(super) operation: Option<Operation>,
    pub(super) diagnostics: Diagnostics,
    /// Where it is, for the diagnostic that says it was left out.
    pub(super) pointer: String,
}

impl<'a> Lowerer<'a> {
    /// All operations, sorted by path and then by method, each with its own diagnostics.
    pub(super) fn operations(&mut self) -> Vec<LoweredOperation> {
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
                            .with_help("define the path's operations inline")
                            .unsupported(),
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
                // Each operation's diagnostics are kept apart, so that an operation the
                // client can't support can be left out with a warning instead.
                let outer = std::mem::take(&mut self.diags);
                let operation =
                    self.operation(path, method, item, op, &op_at, id.clone(), &mut methods);
                let diagnostics = std::mem::replace(&mut self.diags, outer);
                out.push(LoweredOperation {
                    id,
                    operation,
                    diagnostics,
                    pointer: op_at,
                });
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
        // Only a prefix of other names (`SelfParams`), so a keyword needs no escaping here:
        // `Self_Params` would be a rustc warning.
        let type_base = ident::type_name(&id);
        let type_base = type_base.strip_suffix('_').unwrap_or(&type_base).to_owned();
        self.unsupported_operation_parts(op, at);
        let own_server = self.own_server(item, op, at);

        let key_rule = self.key_header_rule(&id, method);
        let lowered = self.params(item, op, at, &type_base, &key_rule);
        let mut params = lowered.list;
        let segments = self.segments(
            path,
            &mut params,
            &lowered.rejected_path,
            lowered.unresolved,
            at,
        );
        // Path arguments follow the template (`/{owner}/{repo}` takes owner, then repo), so
        // reordering declarations in the spec can't silently swap two `&str` arguments.
        params.sort_by_key(|p| {
            let place = match p.location {
                ParamLocation::Path => path
                    .find(&format!("{{{}}}", p.wire_name))
                    .unwrap_or(usize::MAX),
                _ => 0,
            };
            (location_rank(p.location), place)
        });
        let body = self.body(op, at, &type_base);
        let idempotency = self.idempotency(op, method, &id, at, lowered.key_header, body.as_ref());
        let mut responses = self.responses(op, at, &type_base);
        if responses.success.shape == ResponseShape::Empty && responses.success.media_type.is_none()
        {
            // No body to read, but the server may still insist on what it is asked for.
            let named = responses.media_types.join(", ");
            responses.success.media_type = lowered
                .declared_accept
                .clone()
                .or_else(|| (!named.is_empty()).then_some(named))
                .filter(|m| !m.eq_ignore_ascii_case("application/json"));
        }
        let security = self.operation_security(op, at);

        let cursor_param = match &responses.success.shape {
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
        let alternatives = responses
            .alternatives
            .into_iter()
            .map(|(suffix, success)| Alternative {
                name: methods.claim(format!("{}_as_{suffix}", ident::bare(&name))),
                success,
            })
            .collect();

        let mut docs = Docs::default();
        if let Some(s) = &op.summary {
            docs.push(doc::sanitize(s));
        }
        if let Some(d) = &op.description {
            docs.push(doc::sanitize(d));
        }
        docs.push(doc::code(&format!("{method} {path}")));
        Some(Operation {
            name,
            id,
            method: method.to_owned(),
            path: path.to_owned(),
            segments: segments?,
            server: own_server.as_ref().map(|s| s.first.clone()),
            server_by_environment: own_server.map_or_else(Vec::new, |s| s.by_environment),
            docs,
            deprecated: op.deprecated,
            params,
            idempotency,
            body,
            success: responses.success,
            error: responses.error,
            responses: responses.docs,
            stream,
            params_type,
            security,
            alternatives,
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
    }
}

/// The warnings that replace an operation's errors when it is left out of the client.
pub(super) fn left_out(id: &str, pointer: &str, diagnostics: Diagnostics) -> Vec<Diagnostic> {
    let mut out = vec![
        Diagnostic::warning(
            pointer,
            format!("operation `{id}` is left out of the client: the client can't support all of it"),
        )
        .with_help(format!(
            "the reasons follow; ask for it by name (`--operation {id}`) to see them as errors, or use `--strict` to fail on any such operation"
        )),
    ];
    for mut d in diagnostics.into_vec() {
        if d.severity == Severity::Error {
            d.severity = Severity::Warning;
            d.message = format!("in `{id}`: {}", d.message);
        }
        out.push(d);
    }
    out
}

/// The pointer of an operation in the document.
pub(super) fn pointer_of(op: &Operation) -> String {
    child(&child("/paths", &op.path), &op.method.to_lowercase())
}
