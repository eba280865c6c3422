//! Contract tests: every generated operation called against validating mocks made from the
//! same document.
//!
//! The order of work: generate the client with the caller's settings; plan the calls of each
//! operation with values from the document (`calls.rs`, `values.rs`, `pattern.rs`); write
//! and compile a small crate around the client (`program.rs`, `run.rs`); start each mock
//! (`mock.rs`), run the calls against it and stop it; judge what happened and weigh the
//! evidence across mocks (`report.rs`, `evidence.rs`).
//!
//! This stage uses `ir`, `emit` and the builder; nothing else in the generator imports it.

mod bounds;
mod calls;
mod evidence;
mod mock;
mod pattern;
mod program;
mod report;
mod run;
pub mod values;

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

use serde_json::Value;

pub use calls::CallKind;
pub use mock::{MockKind, Mocks};
pub use program::RuntimeSource;
pub use report::{CallResult, Cause, Problem, Report, SkippedOperation};

use crate::builder::{Builder, GenerateError};
use crate::ir::Api;
use crate::load::Loaded;
use run::Observation;

/// Configures and runs the contract tests of one document.
///
/// ```no_run
/// use commet_codegen::{Builder, contract::Contract};
/// let report = Contract::new(Builder::new("openapi.yaml")).run()?;
/// println!("{}", report.render_text());
/// # Ok::<(), commet_codegen::contract::ContractError>(())
/// ```
#[derive(Debug, Clone)]
pub struct Contract {
    builder: Builder,
    runtime: RuntimeSource,
    work_dir: PathBuf,
    target_dir: Option<PathBuf>,
    mocks: Mocks,
    seed_lock: Option<PathBuf>,
    steady: bool,
}

/// Why a contract run could not be made (as opposed to calls that failed, which the
/// [`Report`] lists).
#[derive(Debug)]
pub enum ContractError {
    /// The client could not be generated.
    Generate(GenerateError),
    /// A file of the work folder could not be written.
    Io(PathBuf, std::io::Error),
    /// The program around the client did not compile, or cargo could not run.
    Build(String),
    /// Prism is not installed, or did not start.
    Mock(String),
}

impl fmt::Display for ContractError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Generate(e) => write!(f, "{e}"),
            Self::Io(path, e) => write!(f, "error: {}: {e}", path.display()),
            Self::Build(message) | Self::Mock(message) => write!(f, "error: {message}"),
        }
    }
}

impl std::error::Error for ContractError {}

impl Contract {
    /// Contract tests of the client `builder` generates (its trimming and settings apply;
    /// the runtime path is always `::commet_runtime`, the dependency the test crate names).
    pub fn new(builder: Builder) -> Self {
        Self {
            builder,
            runtime: RuntimeSource::default(),
            work_dir: PathBuf::from("target/commet-contract"),
            target_dir: None,
            mocks: Mocks::new("tools/contract-mocks/node_modules"),
            seed_lock: None,
            steady: true,
        }
    }

    /// Where the test crate takes `commet-runtime` from (default: crates.io, this
    /// generator's version).
    pub fn runtime(mut self, runtime: RuntimeSource) -> Self {
        self.runtime = runtime;
        self
    }

    /// The folder for the test crate, its build and the mocks' logs (default
    /// `target/commet-contract`). Kept between runs, so later builds are quick.
    pub fn work_dir(mut self, dir: impl Into<PathBuf>) -> Self {
        self.work_dir = dir.into();
        self
    }

    /// The cargo target folder of the test crate (default `target` in the work folder). Runs
    /// of several documents can share one, so the runtime's dependencies compile once.
    pub fn target_dir(mut self, dir: impl Into<PathBuf>) -> Self {
        self.target_dir = Some(dir.into());
        self
    }

    /// Where the mocks are installed (default `tools/contract-mocks/node_modules`, as
    /// `scripts/install-contract-mocks` puts them).
    pub fn mocks(mut self, mocks: Mocks) -> Self {
        self.mocks = mocks;
        self
    }

    /// A `Cargo.lock` to start the test crate's from, so its build reuses versions a
    /// workspace already pinned.
    pub fn seed_lock(mut self, lock: impl Into<PathBuf>) -> Self {
        self.seed_lock = Some(lock.into());
        self
    }

    /// Whether to run Steady too, where it is installed (default yes).
    pub fn steady(mut self, steady: bool) -> Self {
        self.steady = steady;
        self
    }

    /// Generates, compiles and runs every call against every mock; the report of the calls.
    pub fn run(&self) -> Result<Report, ContractError> {
        let builder = self.builder.clone().runtime_path("::commet_runtime");
        let (generated, loaded, text) = builder
            .generate_with_document()
            .map_err(ContractError::Generate)?;
        let api = &generated.api;
        let plan = calls::plan(api, &loaded.raw);
        let main = program::main_rs(api, &plan.calls).map_err(ContractError::Build)?;

        let io = |path: &Path| {
            let path = path.to_path_buf();
            move |e| ContractError::Io(path, e)
        };
        std::fs::create_dir_all(&self.work_dir).map_err(io(&self.work_dir))?;
        let work_dir = std::fs::canonicalize(&self.work_dir).map_err(io(&self.work_dir))?;
        let crate_dir = work_dir.join("calls");
        let name = program::crate_name(&work_dir);
        program::write_crate(
            &crate_dir,
            &name,
            &self.runtime,
            &generated.code,
            &main,
            self.seed_lock.as_deref(),
        )
        .map_err(io(&crate_dir))?;
        // The mocks read the document as published, with the bounds of its integer formats
        // written out (`bounds.rs`): a copy only when there are some to write.
        let published: Result<Value, String> = match crate::load::detect_format(&text) {
            crate::load::Format::Json => serde_json::from_str(&text).map_err(|e| e.to_string()),
            _ => serde_yaml::from_str(&text).map_err(|e| e.to_string()),
        };
        let mut published = published
            .map_err(|e| ContractError::Mock(format!("the document can't be read again: {e}")))?;
        let document = if bounds::write_out_integer_bounds(&mut published) > 0 {
            let path = work_dir.join("document.json");
            std::fs::write(&path, published.to_string()).map_err(io(&path))?;
            path
        } else if let Some(path) = builder.spec_path() {
            path.to_path_buf()
        } else {
            let path = work_dir.join(match crate::load::detect_format(&text) {
                crate::load::Format::Json => "document.json",
                _ => "document.yaml",
            });
            std::fs::write(&path, &text).map_err(io(&path))?;
            path
        };
        let target_dir = self
            .target_dir
            .clone()
            .unwrap_or_else(|| work_dir.join("target"));
        let exe = run::build(&crate_dir, &name, &target_dir).map_err(ContractError::Build)?;

        let mut kinds = vec![MockKind::PrismStatic, MockKind::PrismDynamic];
        let mut unavailable = Vec::new();
        if self.mocks.prism().is_none() {
            return Err(ContractError::Mock(format!(
                "Prism is not installed under {} (run scripts/install-contract-mocks)",
                self.mocks.node_modules.display()
            )));
        }
        match (self.steady, self.mocks.steady()) {
            (true, Some(_)) => kinds.push(MockKind::Steady),
            (true, None) => unavailable.push(format!(
                "steady: not installed under {} for this platform",
                self.mocks.node_modules.display()
            )),
            (false, _) => {}
        }

        // Every mock's observations of every call it was given.
        let mut seen: Vec<(MockKind, BTreeMap<usize, Observation>)> = Vec::new();
        for &kind in &kinds {
            let indices: Vec<usize> = plan
                .calls
                .iter()
                .enumerate()
                .filter(|(_, c)| match kind {
                    // Error statuses are asked of Prism (`Prefer: code=`) and the refused
                    // calls never reach a mock: once is enough for both.
                    MockKind::PrismStatic => true,
                    MockKind::PrismDynamic | MockKind::Steady => {
                        matches!(c.kind, CallKind::RequiredOnly | CallKind::AllParameters)
                    }
                })
                .map(|(i, _)| i)
                .collect();
            let log = work_dir.join(format!("{}.log", kind.label().replace([' ', '-'], "")));
            let observed =
                run_surviving_crashes(&self.mocks, kind, &document, &log, &exe, indices)?;
            seen.push((kind, observed));
        }

        let results = judge_all(api, &loaded, &plan, &seen);
        let skipped = plan
            .skipped
            .iter()
            .map(|s| {
                let op = &api.operations[s.operation];
                let pointer = calls::operation_pointer(op);
                let (line, column) = position(&loaded, &pointer);
                SkippedOperation {
                    operation: op.id.clone(),
                    reason: s.reason.clone(),
                    pointer,
                    line,
                    column,
                }
            })
            .collect();
        Ok(Report {
            document: builder.display_name(),
            mocks: kinds.iter().map(|k| k.label().to_owned()).collect(),
            unavailable,
            operations: api.operations.len(),
            results,
            skipped,
        })
    }
}

/// How many times a mock that stopped during a run is started again for the calls left.
const MAX_RESTARTS: usize = 16;

/// Runs `indices` against a fresh `kind` mock. When the mock stops during the run (Prism has
/// crashed on a request), the call it stopped on keeps its failure with the mock's last words,
/// and the calls after it run against a new one: one crash costs one call, not the rest.
fn run_surviving_crashes(
    mocks: &Mocks,
    kind: MockKind,
    document: &Path,
    log: &Path,
    exe: &Path,
    indices: Vec<usize>,
) -> Result<BTreeMap<usize, Observation>, ContractError> {
    let mut observed = BTreeMap::new();
    let mut remaining = indices;
    for attempt in 0..=MAX_RESTARTS {
        let log = if attempt == 0 {
            log.to_path_buf()
        } else {
            log.with_extension(format!("{attempt}.log"))
        };
        let mut mock = match mock::start(mocks, kind, document, &log) {
            Ok(m) => m,
            Err(e) if attempt == 0 => return Err(ContractError::Mock(e)),
            // It ran before: the calls left fail as the mock's, and the report still comes.
            Err(e) => {
                for i in &remaining {
                    observed.insert(
                        *i,
                        Observation {
                            result: "mock_unavailable".to_owned(),
                            detail: Some(e.clone()),
                            mock_crash: Some(format!("it could not be started again: {e}")),
                            ..Observation::default()
                        },
                    );
                }
                return Ok(observed);
            }
        };
        let got = run::run(exe, &mock.base_url, &remaining).map_err(ContractError::Build)?;
        let crash = mock.stopped().then(|| mock.last_error());
        drop(mock);
        let refused = |i: &usize| {
            got.get(i).is_some_and(|o| {
                o.result == "transport"
                    && o.detail
                        .as_deref()
                        .is_some_and(|d| d.contains("Connection refused"))
            })
        };
        let (Some(crash), Some(first_refused)) = (crash, remaining.iter().position(refused)) else {
            observed.extend(got);
            return Ok(observed);
        };
        let (done, left) = remaining.split_at(first_refused);
        for i in done {
            if let Some(o) = got.get(i) {
                observed.insert(*i, o.clone());
            }
        }
        // The last call answered before the refusals is the one the mock stopped on.
        if let Some(last) = done.last()
            && let Some(o) = observed.get_mut(last)
        {
            o.mock_crash = Some(crash);
        }
        if attempt == MAX_RESTARTS {
            observed.extend(left.iter().filter_map(|i| Some((*i, got.get(i)?.clone()))));
            break;
        }
        remaining = left.to_vec();
    }
    Ok(observed)
}

fn position(loaded: &Loaded, pointer: &str) -> (usize, usize) {
    let source = loaded.source_pointer(pointer);
    loaded
        .positions()
        .find(&source)
        .map_or((1, 1), |p| (p.line, p.column))
}

/// The document place a request location names: a parameter, the body, else the operation.
fn locate(
    loaded: &Loaded,
    op: &crate::ir::Operation,
    location: &[String],
) -> (String, usize, usize) {
    let op_pointer = calls::operation_pointer(op);
    let pointer = match location {
        [_, place, name, ..] if ["query", "path", "header", "cookie"].contains(&place.as_str()) => {
            param_pointer(&loaded.raw, &op_pointer, place, name).unwrap_or(op_pointer)
        }
        [first, ..] if first == "response" => format!("{op_pointer}/responses"),
        [_, body, ..] if body == "body" => format!("{op_pointer}/requestBody"),
        _ => op_pointer,
    };
    let (line, column) = position(loaded, &pointer);
    (pointer, line, column)
}

fn param_pointer(document: &Value, op_pointer: &str, place: &str, name: &str) -> Option<String> {
    let path_item = op_pointer.rsplit_once('/').map_or("", |(p, _)| p);
    for owner in [op_pointer, path_item] {
        let list = document.pointer(&format!("{owner}/parameters"))?.as_array();
        for (i, p) in list.into_iter().flatten().enumerate() {
            let p = values::Values::new(document).resolve(p);
            if p.get("in").and_then(Value::as_str) == Some(place)
                && p.get("name")
                    .and_then(Value::as_str)
                    .is_some_and(|n| n.eq_ignore_ascii_case(name))
            {
                return Some(format!("{owner}/parameters/{i}"));
            }
        }
    }
    None
}

/// Judges every observation, then weighs the evidence across mocks for the failures.
fn judge_all(
    api: &Api,
    loaded: &Loaded,
    plan: &calls::Plan,
    seen: &[(MockKind, BTreeMap<usize, Observation>)],
) -> Vec<CallResult> {
    let mut results = Vec::new();
    for (index, call) in plan.calls.iter().enumerate() {
        let op = &api.operations[call.operation];
        let locator = |location: &[String]| locate(loaded, op, location);
        let judged: Vec<(MockKind, report::Judged)> = seen
            .iter()
            .filter_map(|(kind, observed)| {
                let ran = match kind {
                    MockKind::PrismStatic => true,
                    _ => matches!(call.kind, CallKind::RequiredOnly | CallKind::AllParameters),
                };
                ran.then(|| {
                    (
                        *kind,
                        report::judge(
                            &call.kind,
                            call.error_has_body,
                            (300..400).contains(&op.success.status),
                            observed.get(&index),
                            &locator,
                        ),
                    )
                })
            })
            .collect();
        for (kind, j) in &judged {
            let passed = j.problems.is_empty();
            let cause = (!passed).then(|| evidence::cause(api, op, &call.kind, *kind, j, &judged));
            results.push(CallResult {
                operation: op.id.clone(),
                method: op.name.clone(),
                call: call.kind.label(),
                mock: report::mock_label(call.kind.reaches_mock().then_some(*kind)),
                passed,
                problems: j.problems.clone(),
                cause,
            });
        }
    }
    results
}
