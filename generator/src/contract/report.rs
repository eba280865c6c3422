//! Judging what each call did, and telling a person (a table, a summary line) and a tool
//! (JSON) about it.
//!
//! A call passes when the mock reports no violation of the request, the status is the one
//! wanted (2xx, or the error status asked for), exactly one request was sent, and the answer
//! decoded into the generated type (the typed API error, for an error status). A failure is
//! "ours" unless there is evidence that the mock is wrong: another validator accepting the
//! identical request, or a dynamic answer that ignores a discriminator where the document's
//! own example decoded. The evidence is printed with it.

use std::collections::BTreeSet;
use std::fmt::Write as _;

use serde::Serialize;
use serde_json::Value;

use super::calls::CallKind;
use super::mock::MockKind;
use super::run::Observation;

/// A violation or failure, with where in the document to look.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Problem {
    /// What is wrong, in the mock's or the client's words.
    pub message: String,
    /// JSON pointer of the document node it concerns.
    pub pointer: String,
    /// 1-based line of that node.
    pub line: usize,
    /// 1-based column of that node.
    pub column: usize,
}

/// Whose failure it is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Cause {
    /// The generated client or the runtime (until shown otherwise).
    Ours,
    /// The document contradicts itself (an example its own schema refuses, an operation
    /// with no response), with the evidence.
    Document {
        /// What in the document is wrong.
        evidence: String,
    },
    /// A known limitation of the mock, with the evidence.
    MockLimitation {
        /// Why the mock is to blame.
        evidence: String,
    },
}

/// One call under one mock.
#[derive(Debug, Clone, Serialize)]
pub struct CallResult {
    /// The operation's `operationId`.
    pub operation: String,
    /// The client method.
    pub method: String,
    /// `required`, `all`, `error 404`, …
    pub call: String,
    /// Which mock answered (`prism`, `prism -d`, `steady`, or `client` for calls that must
    /// not reach one).
    pub mock: String,
    /// Whether every condition held.
    pub passed: bool,
    /// What did not hold.
    pub problems: Vec<Problem>,
    /// Whose failure it is, for a failed call.
    pub cause: Option<Cause>,
}

/// An operation the run did not call.
#[derive(Debug, Clone, Serialize)]
pub struct SkippedOperation {
    /// The operation's `operationId`.
    pub operation: String,
    /// Why.
    pub reason: String,
    /// Where it is.
    pub pointer: String,
    /// 1-based line.
    pub line: usize,
    /// 1-based column.
    pub column: usize,
}

/// Everything a contract run found.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    /// The document's name.
    pub document: String,
    /// The mocks that ran.
    pub mocks: Vec<String>,
    /// Mocks that could not run here, and why.
    pub unavailable: Vec<String>,
    /// Operations generated.
    pub operations: usize,
    /// Every call under every mock.
    pub results: Vec<CallResult>,
    /// Operations not called.
    pub skipped: Vec<SkippedOperation>,
}

/// Where a judged call stands, before the evidence across mocks is weighed.
pub struct Judged {
    /// What did not hold.
    pub problems: Vec<Problem>,
    /// Whether a problem is a request violation the mock reported.
    pub violated: bool,
    /// The request violations: message and the request location they name.
    pub violations: Vec<(String, Vec<String>)>,
    /// Whether Prism said its own answer breaks the document's schema.
    pub answer_breaks_schema: bool,
    /// The error the mock stopped with while answering, when it did.
    pub mock_crash: Option<String>,
    /// The type of the problem document Prism answered with when it could not do what was
    /// asked (`NO_RESPONSE_RESPONSE_DEFINED`, `UNKNOWN`), without its URL.
    pub prism_error: Option<String>,
}

/// The request violations a mock reported in its headers: Prism's `sl-violations` (errors
/// only: warnings are not violations), Steady's numbered `x-steady-error-N-*`. Each is the
/// message and the place in the request it names (`query.limit`, `body`).
pub fn violations(observation: &Observation) -> Vec<(String, Vec<String>)> {
    let mut out = Vec::new();
    let mut prism: Vec<Value> = Vec::new();
    if let Some(text) = observation.mock_headers.get("sl-violations")
        && let Ok(Value::Array(list)) = serde_json::from_str::<Value>(text)
    {
        prism.extend(list);
    }
    // Without a 4xx of the document's to answer with, Prism answers 422 with a problem
    // document that lists the violations.
    if let Some(body) = &observation.body
        && let Ok(problem) = serde_json::from_str::<Value>(body)
        && let Some(Value::Array(list)) = problem.get("validation")
    {
        // Its locations start below the request: `["query", "limit"]`.
        prism.extend(list.iter().cloned().map(|mut v| {
            if let Some(Value::Array(location)) = v.get_mut("location") {
                location.insert(0, Value::String("request".to_owned()));
            }
            v
        }));
    }
    {
        for v in prism {
            if v.get("severity").and_then(Value::as_str) != Some("Error") {
                continue;
            }
            let location: Vec<String> = v
                .get("location")
                .and_then(Value::as_array)
                .map(|l| {
                    l.iter()
                        .map(|p| p.as_str().map_or_else(|| p.to_string(), str::to_owned))
                        .collect()
                })
                .unwrap_or_default();
            let message = v.get("message").and_then(Value::as_str).unwrap_or("");
            // Prism also checks its own answer; that says something about the document's
            // example, not about the request (`answer_notes` keeps it).
            if location.first().map(String::as_str) != Some("request") {
                continue;
            }
            out.push((
                format!("prism: {} ({})", message, location.join(".")),
                location,
            ));
        }
    }
    let count: usize = observation
        .mock_headers
        .get("x-steady-error-count")
        .and_then(|c| c.trim().parse().ok())
        .unwrap_or(0);
    for i in 1..=count.min(50) {
        let get = |what: &str| {
            observation
                .mock_headers
                .get(&format!("x-steady-error-{i}-{what}"))
                .cloned()
                .unwrap_or_default()
        };
        let path = get("path");
        let mut location = vec!["request".to_owned()];
        location.extend(path.split('.').filter(|p| !p.is_empty()).map(str::to_owned));
        out.push((
            format!("steady {}: {} ({path})", get("code"), get("message")),
            location,
        ));
    }
    out
}

/// Where a request location is in the document: pointer, line and column.
pub type Locate<'a> = dyn Fn(&[String]) -> (String, usize, usize) + 'a;

/// What Prism found wrong with its own answer (the document's example against its schema):
/// shown beside a failure to decode it, never a failure by itself.
pub fn answer_notes(observation: &Observation) -> Vec<(String, Vec<String>)> {
    let Some(text) = observation.mock_headers.get("sl-violations") else {
        return Vec::new();
    };
    let Ok(Value::Array(list)) = serde_json::from_str::<Value>(text) else {
        return Vec::new();
    };
    list.iter()
        .filter_map(|v| {
            let location: Vec<String> = v
                .get("location")?
                .as_array()?
                .iter()
                .map(|p| p.as_str().map_or_else(|| p.to_string(), str::to_owned))
                .collect();
            (location.first().map(String::as_str) == Some("response")).then(|| {
                let message = v.get("message").and_then(Value::as_str).unwrap_or("");
                (
                    format!(
                        "prism, of its own answer: {message} ({})",
                        location.join(".")
                    ),
                    location,
                )
            })
        })
        .collect()
}

/// Judges one observation of a call. `locate` gives the document place of a request
/// location (`["request", "query", "limit"]`), the operation's own for an empty one. A call
/// succeeds with a 2xx, or with a 3xx for an operation documented to answer with a redirect
/// (`redirect_is_success`).
pub fn judge(
    kind: &CallKind,
    error_has_body: bool,
    redirect_is_success: bool,
    observation: Option<&Observation>,
    locate: &Locate<'_>,
) -> Judged {
    let problem = |message: String, location: &[String]| {
        let (pointer, line, column) = locate(location);
        Problem {
            message,
            pointer,
            line,
            column,
        }
    };
    let Some(o) = observation else {
        return Judged {
            problems: vec![problem("the call printed no result".to_owned(), &[])],
            violated: false,
            violations: Vec::new(),
            answer_breaks_schema: false,
            mock_crash: None,
            prism_error: None,
        };
    };
    let mut problems = Vec::new();
    if let Some(crash) = &o.mock_crash {
        problems.push(problem(
            format!("the mock stopped while answering this call: {crash}"),
            &[],
        ));
    }
    let found = violations(o);
    let violated = !found.is_empty();
    for (message, location) in &found {
        problems.push(problem(message.clone(), location));
    }
    let detail = o.detail.clone().unwrap_or_default();
    match kind {
        CallKind::RequiredOnly | CallKind::AllParameters => {
            if o.result != "ok" {
                problems.push(problem(format!("{}: {detail}", o.result), &[]));
            } else if !o.status.is_some_and(|s| {
                (200..300).contains(&s) || (redirect_is_success && (300..400).contains(&s))
            }) {
                let wanted = if redirect_is_success {
                    "2xx or the documented redirect"
                } else {
                    "2xx"
                };
                problems.push(problem(format!("status {:?}, not {wanted}", o.status), &[]));
            }
        }
        CallKind::ErrorStatus(wanted) => {
            let typed = if error_has_body {
                o.result == "api_error"
            } else {
                o.result == "api_error" || o.result == "unexpected_status"
            };
            if o.status != Some(*wanted) {
                problems.push(problem(
                    format!(
                        "asked for {wanted}, got {:?} ({}: {detail})",
                        o.status, o.result
                    ),
                    &[],
                ));
            } else if !typed {
                problems.push(problem(
                    format!(
                        "status {wanted} did not give the typed API error: {}: {detail}",
                        o.result
                    ),
                    &[],
                ));
            }
        }
        CallKind::EmptyPathSegment(_) | CallKind::HeaderLineBreak(_) => {
            if o.result != "invalid_request" {
                problems.push(problem(
                    format!(
                        "the client did not refuse the argument: {}: {detail}",
                        o.result
                    ),
                    &[],
                ));
            }
            if o.connections != Some(0) {
                problems.push(problem(
                    format!(
                        "the client opened {} connection(s) for a request it must not send",
                        o.connections
                            .map_or("an unknown number of".to_owned(), |c| c.to_string())
                    ),
                    &[],
                ));
            }
        }
    }
    if kind.reaches_mock() && o.attempts.is_some_and(|a| a != 1) {
        problems.push(problem(
            format!(
                "{} requests were sent for one call",
                o.attempts.unwrap_or(0)
            ),
            &[],
        ));
    }
    let notes = answer_notes(o);
    if !problems.is_empty() {
        for (message, location) in &notes {
            problems.push(problem(message.clone(), location));
        }
    }
    Judged {
        problems,
        violated,
        violations: found,
        answer_breaks_schema: !notes.is_empty(),
        mock_crash: o.mock_crash.clone(),
        prism_error: prism_error(o),
    }
}

/// The problem type of a Prism error document the call was answered with, when it is not
/// the refusal of an invalid request (that one is a violation).
fn prism_error(observation: &Observation) -> Option<String> {
    let body: Value = serde_json::from_str(observation.body.as_deref()?).ok()?;
    let kind = body
        .get("type")?
        .as_str()?
        .strip_prefix("https://stoplight.io/prism/errors#")?;
    (kind != "UNPROCESSABLE_ENTITY").then(|| {
        let detail = body.get("detail").and_then(Value::as_str).unwrap_or("");
        format!("{kind}: {detail}")
    })
}

/// The label of a mock in results.
pub fn mock_label(kind: Option<MockKind>) -> String {
    kind.map_or("client", MockKind::label).to_owned()
}

impl Report {
    /// Operations by standing: every call passing under every mock; failing only for known
    /// limitations of a mock; failing (their ids).
    fn tally(&self) -> (usize, usize, Vec<&str>) {
        let mut failed: BTreeSet<&str> = BTreeSet::new();
        let mut blamed: BTreeSet<&str> = BTreeSet::new();
        let mut called: BTreeSet<&str> = BTreeSet::new();
        for r in &self.results {
            called.insert(&r.operation);
            match &r.cause {
                _ if r.passed => {}
                Some(Cause::MockLimitation { .. }) => {
                    blamed.insert(&r.operation);
                }
                _ => {
                    failed.insert(&r.operation);
                }
            }
        }
        let only_blamed = blamed.difference(&failed).count();
        (
            called.len() - failed.len() - only_blamed,
            only_blamed,
            failed.into_iter().collect(),
        )
    }

    /// True when no call failed but for a known limitation of a mock (those are listed
    /// with their evidence; skipped operations are listed with their reasons).
    pub fn passed(&self) -> bool {
        self.results
            .iter()
            .all(|r| r.passed || matches!(r.cause, Some(Cause::MockLimitation { .. })))
    }

    /// Failed calls blamed on a mock, with evidence.
    pub fn mock_limitations(&self) -> usize {
        self.results
            .iter()
            .filter(|r| !r.passed && matches!(r.cause, Some(Cause::MockLimitation { .. })))
            .count()
    }

    /// `412/420 operations pass; 5 more but for known limitations of the mock; 3 fail: a, b,
    /// c; 3 skipped`.
    pub fn summary_line(&self) -> String {
        let (passing, blamed, failed) = self.tally();
        let mut line = format!(
            "{}: {passing}/{} operations pass",
            self.document, self.operations
        );
        if blamed > 0 {
            let _ = write!(
                line,
                "; {blamed} more pass but for known limitations of the mock"
            );
        }
        if !failed.is_empty() {
            let shown: Vec<&str> = failed.iter().take(8).copied().collect();
            let more = if failed.len() > shown.len() {
                format!(", and {} more", failed.len() - shown.len())
            } else {
                String::new()
            };
            let _ = write!(line, "; {} fail: {}{more}", failed.len(), shown.join(", "));
        }
        if !self.skipped.is_empty() {
            let _ = write!(line, "; {} skipped", self.skipped.len());
        }
        let _ = write!(line, " (mocks: {})", self.mocks.join(", "));
        line
    }

    /// The table a person reads: one row per call and mock, each failure's problems under it,
    /// then the skipped operations and the summary line.
    pub fn render_text(&self) -> String {
        let mut out = String::new();
        let width = self
            .results
            .iter()
            .map(|r| r.operation.len())
            .max()
            .unwrap_or(9)
            .max(9);
        let _ = writeln!(
            out,
            "{:<width$}  {:<22}  {:<8}  result",
            "operation", "call", "mock"
        );
        for r in &self.results {
            let verdict = match (&r.passed, &r.cause) {
                (true, _) => "pass",
                (false, Some(Cause::MockLimitation { .. })) => "FAIL (mock limitation)",
                (false, Some(Cause::Document { .. })) => "FAIL (the document)",
                (false, _) => "FAIL",
            };
            let _ = writeln!(
                out,
                "{:<width$}  {:<22}  {:<8}  {verdict}",
                r.operation, r.call, r.mock
            );
            for p in &r.problems {
                let _ = writeln!(
                    out,
                    "    {} [at {} ({}:{})]",
                    p.message.replace('\n', " "),
                    p.pointer,
                    p.line,
                    p.column
                );
            }
            if let Some(Cause::MockLimitation { evidence } | Cause::Document { evidence }) =
                &r.cause
            {
                let _ = writeln!(out, "    evidence: {evidence}");
            }
        }
        for s in &self.skipped {
            let _ = writeln!(
                out,
                "skipped {}: {} [at {} ({}:{})]",
                s.operation, s.reason, s.pointer, s.line, s.column
            );
        }
        for u in &self.unavailable {
            let _ = writeln!(out, "not run: {u}");
        }
        let _ = writeln!(out, "{}", self.summary_line());
        out
    }

    /// The whole report as JSON, with the summary line.
    pub fn render_json(&self) -> String {
        let mut v = serde_json::to_value(self).unwrap_or(Value::Null);
        if let Value::Object(o) = &mut v {
            o.insert("summary".to_owned(), Value::String(self.summary_line()));
            o.insert("passed".to_owned(), Value::Bool(self.passed()));
        }
        serde_json::to_string_pretty(&v).unwrap_or_default()
    }
}
