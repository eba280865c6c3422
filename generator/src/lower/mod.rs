//! lower: resolves, validates and names everything in an OpenAPI document, producing the IR.
//!
//! Every problem becomes a [`Diagnostic`]; lowering goes on after one so that a single run
//! reports all of them. Whatever could not be lowered is replaced by a harmless stand-in
//! (`serde_json::Value`, a skipped operation) that is never emitted, because a spec with errors
//! produces no output.

mod combine;
mod envelope;
mod graph;
mod operation;
mod refs;
mod scalars;
mod schema;
mod security;

use std::collections::{BTreeMap, BTreeSet};

use openapiv3::OpenAPI;

use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::doc;
use crate::ident::{self, Scope};
use crate::ir::{Api, Docs, TypeDef};
use crate::load::Loaded;

/// Choices that shape lowering, set through the [`crate::Builder`].
#[derive(Debug, Clone)]
pub struct Options {
    /// The request header that carries an idempotency key. An operation that declares it is
    /// idempotent: the runtime generates the key and may retry it.
    pub idempotency_header: String,
    /// The request header that pins the API version. It is set client-wide, not per call.
    pub version_header: String,
    /// Only these operationIds, when set.
    pub operations: Option<BTreeSet<String>>,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            idempotency_header: "Idempotency-Key".to_owned(),
            version_header: "Commet-Version".to_owned(),
            operations: None,
        }
    }
}

/// The result of a successful lowering: the IR and any warnings.
#[derive(Debug, Clone)]
pub struct Lowered {
    /// The API.
    pub api: Api,
    /// Warnings (never errors).
    pub warnings: Diagnostics,
}

/// Lowers a loaded document. On error, returns every diagnostic found, warnings included.
pub fn lower(loaded: &Loaded, options: &Options) -> Result<Lowered, Diagnostics> {
    let mut lowerer = Lowerer::new(&loaded.openapi, &loaded.raw, options);
    let api = lowerer.run();
    let mut diagnostics = lowerer.diags;
    diagnostics.map_pointers(|p| loaded.source_pointer(p));
    diagnostics.locate(|p| loaded.positions.find(p));
    if diagnostics.has_errors() {
        Err(diagnostics)
    } else {
        Ok(Lowered {
            api,
            warnings: diagnostics,
        })
    }
}

/// The state of one lowering run.
pub(crate) struct Lowerer<'a> {
    doc: &'a OpenAPI,
    /// The same document as JSON, for what openapiv3 does not keep (an empty `enum`, bounds
    /// beyond the `i64` range).
    raw: &'a serde_json::Value,
    options: &'a Options,
    diags: Diagnostics,
    types: Vec<TypeDef>,
    type_scope: Scope,
    /// Component schema name → Rust type name.
    components: BTreeMap<String, String>,
}

impl<'a> Lowerer<'a> {
    fn new(doc: &'a OpenAPI, raw: &'a serde_json::Value, options: &'a Options) -> Self {
        Self {
            doc,
            raw,
            options,
            diags: Diagnostics::default(),
            types: Vec::new(),
            type_scope: Scope::with_reserved(["Client", "ClientBuilder", "Error"]),
            components: BTreeMap::new(),
        }
    }

    fn run(&mut self) -> Api {
        let doc = self.doc;
        self.name_components();
        self.lower_components();
        let auth = self.auth();
        let operations = self.operations();
        self.check_filter(&operations);
        graph::box_recursive_fields(&mut self.types);
        self.diags.extend(graph::alias_cycles(&self.types));
        self.diags.extend(graph::union_cycles(&self.types));
        let mut types = graph::reachable(std::mem::take(&mut self.types), &operations);
        graph::mark_request_types(&mut types, &operations);

        let mut description = Docs::default();
        if let Some(d) = &doc.info.description {
            description.push(doc::sanitize(d));
        }
        Api {
            title: doc.info.title.clone(),
            version: doc.info.version.clone(),
            description: (!description.is_empty()).then(|| description.paragraphs.join("\n\n")),
            base_url: self.base_url(),
            auth,
            types,
            operations,
        }
    }

    /// Names every component schema up front, in sorted order, so references resolve to the
    /// same name whatever order the document lists them in.
    fn name_components(&mut self) {
        let Some(components) = &self.doc.components else {
            return;
        };
        let mut names: Vec<&String> = components.schemas.keys().collect();
        names.sort();
        for name in names {
            let rust = self.type_scope.claim(ident::type_name(name));
            self.components.insert(name.clone(), rust);
        }
    }

    fn lower_components(&mut self) {
        let Some(components) = &self.doc.components else {
            return;
        };
        let mut names: Vec<(&String, &openapiv3::ReferenceOr<openapiv3::Schema>)> =
            components.schemas.iter().collect();
        names.sort_by(|a, b| a.0.cmp(b.0));
        for (name, schema) in names {
            let rust = self.components.get(name).cloned().unwrap_or_default();
            self.lower_component(name, &rust, schema.into());
        }
    }

    /// The node at `pointer` in the document as written.
    fn raw_at(&self, pointer: &str) -> Option<&'a serde_json::Value> {
        self.raw.pointer(pointer)
    }

    fn base_url(&mut self) -> Option<String> {
        let Some(server) = self.doc.servers.first() else {
            self.diags.push(
                Diagnostic::warning("", "the spec has no `servers`")
                    .with_help("add `servers: [{url: https://…}]`; until then users must set a base URL on the client builder"),
            );
            return None;
        };
        let mut url = server.url.clone();
        // Server variables take their defaults: the client has one base URL, overridable.
        if let Some(vars) = &server.variables {
            for (name, var) in vars {
                url = url.replace(&format!("{{{name}}}"), &var.default);
            }
        }
        if !(url.starts_with("http://") || url.starts_with("https://")) {
            self.diags.push(
                Diagnostic::warning(
                    "/servers/0/url",
                    format!("server URL `{url}` is not absolute"),
                )
                .with_help("users will have to set a base URL on the client builder"),
            );
            return None;
        }
        Some(url.trim_end_matches('/').to_owned())
    }

    fn check_filter(&mut self, operations: &[crate::ir::Operation]) {
        let Some(wanted) = &self.options.operations else {
            return;
        };
        let found: BTreeSet<&str> = operations.iter().map(|o| o.id.as_str()).collect();
        for id in wanted {
            if !found.contains(id.as_str()) {
                self.diags.push(
                    Diagnostic::error("/paths", format!("operation `{id}` is not in the spec"))
                        .with_help(
                            "the operation filter takes operationIds as the spec spells them",
                        ),
                );
            }
        }
    }
}
