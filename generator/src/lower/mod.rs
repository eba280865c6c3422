//! lower: resolves, validates and names everything in an OpenAPI document, producing the IR.
//!
//! Every problem becomes a [`Diagnostic`]; lowering goes on after one so that a single run
//! reports all of them. Whatever could not be lowered is replaced by a harmless stand-in
//! (`serde_json::Value`, a skipped operation) that is never emitted, because a spec with errors
//! produces no output.

mod combine;
mod content;
mod envelope;
mod graph;
mod idempotency;
mod nesting;
mod operation;
mod params;
mod path;
mod refs;
mod responses;
mod scalars;
mod schema;
mod security;
mod servers;
mod union;
mod webhooks;

use std::collections::{BTreeMap, BTreeSet};

use openapiv3::OpenAPI;

use crate::diagnostic::{Diagnostic, Diagnostics, Severity};
use crate::doc;
use crate::ident::{self, Scope};
use crate::ir::{Api, Docs, TypeDef};
use crate::load::Loaded;

pub use idempotency::{EVERY_WRITE, IdempotencyChoice};

/// Choices that shape lowering, set through the [`crate::Builder`].
#[derive(Debug, Clone)]
pub struct Options {
    /// The request header that carries an idempotency key. An operation that declares it is
    /// idempotent: the runtime generates the key and may retry it.
    pub idempotency_header: String,
    /// The user's idempotency mechanism per operationId ([`EVERY_WRITE`] for every operation
    /// that is not a read): it wins over what the document says.
    pub idempotency: BTreeMap<String, IdempotencyChoice>,
    /// The request header that pins the API version. It is set client-wide, not per call.
    pub version_header: String,
    /// Send `info.version` in [`Self::version_header`] even where no operation declares that
    /// header. Off by default: a client does not send a header its API never asked for.
    pub always_send_version: bool,
    /// Only these operationIds, when set.
    pub operations: Option<BTreeSet<String>>,
    /// Fail on an operation the client can't support, instead of leaving it out with a
    /// warning, and on every author's mistake (see [`Diagnostic::mistake`]) instead of
    /// reading it as its author meant. Operations asked for by name are never left out.
    pub strict: bool,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            idempotency_header: "Idempotency-Key".to_owned(),
            idempotency: BTreeMap::new(),
            version_header: "Commet-Version".to_owned(),
            always_send_version: false,
            operations: None,
            strict: false,
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
    // Where loading cut a broken part out, the lowering sees its absence: not news.
    diagnostics.retain(|d| !loaded.cut.iter().any(|c| is_at_or_under(&d.pointer, c)));
    // What loading noticed is already located in the source.
    diagnostics.extend(loaded.diagnostics.iter().cloned());
    diagnostics.locate(|p| loaded.positions().find(p));
    if options.strict {
        diagnostics.escalate_mistakes();
    }
    if diagnostics.has_errors() {
        Err(diagnostics)
    } else {
        Ok(Lowered {
            api,
            warnings: diagnostics,
        })
    }
}

/// True when `pointer` is `place` or a node inside it.
fn is_at_or_under(pointer: &str, place: &str) -> bool {
    pointer
        .strip_prefix(place)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
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
    /// Security schemes named by requirements: `None` for one the client can't send.
    schemes: BTreeMap<String, Option<crate::ir::SecurityScheme>>,
    /// Inline error objects lowered so far, by their shape: one type for every copy.
    inline_errors: Vec<(serde_json::Value, crate::ir::TypeRef)>,
    /// An operation declares the version header as a parameter.
    version_header_declared: bool,
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
            schemes: BTreeMap::new(),
            inline_errors: Vec::new(),
            version_header_declared: false,
        }
    }

    fn run(&mut self) -> Api {
        let doc = self.doc;
        self.name_components();
        let component_diags = self.lower_components();
        let security = self.document_security();
        let (mut operations, present) = self.keep_operations(&component_diags);
        responses::share_documented_error(&mut operations);
        self.check_filter(&present);
        self.check_idempotency_choices(&present);
        let webhooks = self.webhooks();
        let webhook_types: Vec<crate::ir::TypeRef> = webhooks
            .iter()
            .flat_map(|w| w.events.iter().map(|e| e.ty.clone()))
            .collect();
        let mut types =
            graph::reachable(std::mem::take(&mut self.types), &operations, &webhook_types);
        // A schema nothing kept uses is not part of the client: its problems are warnings.
        let kept: BTreeSet<&str> = types.iter().map(|t| t.name.as_str()).collect();
        for (name, diags) in component_diags {
            if kept.contains(name.as_str()) {
                self.diags.extend(diags.into_vec());
            } else {
                self.diags.extend(diags.into_vec().into_iter().map(|mut d| {
                    if d.severity == Severity::Error {
                        d.severity = Severity::Warning;
                        d.message = format!("in the unused schema `{name}`: {}", d.message);
                    }
                    d
                }));
            }
        }
        graph::box_recursive_fields(&mut types);
        graph::arrays_first_in_untagged_unions(&mut types);
        self.diags.extend(graph::alias_cycles(&types));
        self.diags.extend(graph::union_cycles(&types));
        graph::mark_request_types(&mut types, &operations);
        let nesting = nesting::too_deep(&types).map(|(nesting, warning)| {
            self.diags.push(warning);
            nesting
        });

        let mut description = Docs::default();
        // 3.1's `info.summary`, which openapiv3 does not read.
        if let Some(summary) = self.raw_at("/info/summary").and_then(|v| v.as_str()) {
            description.push(doc::sanitize(summary));
        }
        if let Some(d) = &doc.info.description {
            description.push(doc::sanitize(d));
        }
        Api {
            title: doc.info.title.clone(),
            version: doc.info.version.clone(),
            version_header: (self.version_header_declared || self.options.always_send_version)
                .then(|| self.options.version_header.clone()),
            description: (!description.is_empty()).then(|| description.paragraphs.join("\n\n")),
            base_url: self.base_url(),
            environments: self.environments(),
            security_schemes: self.used_schemes(),
            security,
            types,
            operations,
            webhooks,
            nesting,
            type_index: Default::default(),
        }
    }

    /// The operations that go into the client. Unless the run is strict or asks for
    /// operations by name, one that the client can't support (its own parts, or a schema it
    /// uses) is left out with warnings, so one exotic endpoint doesn't cost the other 299.
    /// Also returns the operationIds the spec has, whether or not they lowered.
    fn keep_operations(
        &mut self,
        component_diags: &BTreeMap<String, Diagnostics>,
    ) -> (Vec<crate::ir::Operation>, BTreeSet<String>) {
        let may_leave_out = !self.options.strict && self.options.operations.is_none();
        let mut kept = Vec::new();
        let mut present = BTreeSet::new();
        for lowered in self.operations() {
            present.insert(lowered.id.clone());
            let failed = lowered.diagnostics.has_errors() || lowered.operation.is_none();
            if failed && may_leave_out && lowered.diagnostics.errors_are_unsupported() {
                self.diags.extend(operation::left_out(
                    &lowered.id,
                    &lowered.pointer,
                    lowered.diagnostics,
                ));
                continue;
            }
            self.diags.extend(lowered.diagnostics.into_vec());
            kept.extend(lowered.operation);
        }
        let broken: BTreeSet<&str> = component_diags
            .iter()
            .filter(|(_, d)| d.has_errors() && d.errors_are_unsupported())
            .map(|(name, _)| name.as_str())
            .collect();
        if !may_leave_out || broken.is_empty() {
            return (kept, present);
        }
        let used = graph::used_by_each(&self.types, &kept);
        let mut out = Vec::new();
        for (op, uses) in kept.into_iter().zip(used) {
            match uses.iter().find(|t| broken.contains(t.as_str())) {
                Some(schema) => self.diags.push(
                    Diagnostic::warning(
                        operation::pointer_of(&op),
                        format!("operation `{}` is left out of the client: it uses the schema `{schema}`, which the client can't support", op.id),
                    )
                    .with_help("the schema's own diagnostics say why; use `--strict` to fail instead"),
                ),
                None => out.push(op),
            }
        }
        (out, present)
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

    /// Lowers every component schema, keeping each one's diagnostics apart (by Rust name):
    /// whether they matter depends on whether the client uses the schema.
    fn lower_components(&mut self) -> BTreeMap<String, Diagnostics> {
        let mut out = BTreeMap::new();
        let Some(components) = &self.doc.components else {
            return out;
        };
        let mut names: Vec<(&String, &openapiv3::ReferenceOr<openapiv3::Schema>)> =
            components.schemas.iter().collect();
        names.sort_by(|a, b| a.0.cmp(b.0));
        for (name, schema) in names {
            let rust = self.components.get(name).cloned().unwrap_or_default();
            let outer = std::mem::take(&mut self.diags);
            self.lower_component(name, &rust, schema.into());
            let own = std::mem::replace(&mut self.diags, outer);
            if !own.is_empty() {
                out.insert(rust, own);
            }
        }
        out
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

    /// An operation asked for by name must exist. One that exists but failed to lower has
    /// its own diagnostics already; saying it is missing would be wrong.
    fn check_filter(&mut self, present: &BTreeSet<String>) {
        let Some(wanted) = &self.options.operations else {
            return;
        };
        for id in wanted {
            if !present.contains(id) {
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
