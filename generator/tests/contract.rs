//! `contract` against the real mocks: Commet's spec passes every call, and a document built to
//! break each pass condition fails exactly there, with the mock's words and the document
//! location.
//!
//! The mocks are the pinned ones `scripts/install-contract-mocks` installs (`.ci/run` does, so
//! CI never skips); without them these tests say so and return. The test crate is built
//! against this checkout's runtime, into a target folder the tests share.

use std::path::{Path, PathBuf};

use commet_codegen::Builder;
use commet_codegen::contract::{CallResult, Cause, Contract, Mocks, Report, RuntimeSource};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the generator lives in the workspace")
        .to_path_buf()
}

/// The pinned mocks, or `None` (with the reason printed) when they are not installed.
fn mocks() -> Option<Mocks> {
    let mocks = Mocks::new(root().join("tools/contract-mocks/node_modules"));
    if mocks.prism().is_none() {
        eprintln!(
            "SKIPPED: Prism is not installed; run scripts/install-contract-mocks (.ci/run does)"
        );
        return None;
    }
    Some(mocks)
}

fn contract(builder: Builder, name: &str, mocks: Mocks) -> Contract {
    let root = root();
    Contract::new(builder)
        .runtime(RuntimeSource::Path(root.join("runtime")))
        .work_dir(root.join("target/contract-tests").join(name))
        .target_dir(root.join("target/contract-tests/target"))
        .seed_lock(root.join("Cargo.lock"))
        .mocks(mocks)
}

fn find<'r>(report: &'r Report, operation: &str, call: &str, mock: &str) -> &'r CallResult {
    report
        .results
        .iter()
        .find(|r| r.operation == operation && r.call == call && r.mock == mock)
        .unwrap_or_else(|| {
            panic!(
                "no result for {operation} {call} under {mock}:\n{}",
                report.render_text()
            )
        })
}

#[test]
fn commet_passes_every_operation_call_and_error_status() {
    let Some(mocks) = mocks() else { return };
    let spec = root().join("spec/commet.yaml");
    let report = contract(Builder::new(&spec), "commet", mocks.clone())
        .run()
        .unwrap_or_else(|e| panic!("{e}"));
    let text = report.render_text();
    assert!(report.passed(), "{text}");
    assert!(report.results.iter().all(|r| r.passed), "{text}");
    assert!(report.skipped.is_empty(), "{text}");
    let api = Builder::new(&spec).lower().expect("the spec lowers").api;
    let mut mock_names = vec!["prism", "prism -d"];
    if mocks.steady().is_some() {
        mock_names.push("steady");
    }
    assert_eq!(report.mocks, mock_names, "{text}");
    for op in &api.operations {
        for call in ["required", "all"] {
            for mock in &mock_names {
                assert!(find(&report, &op.id, call, mock).passed, "{text}");
            }
        }
        // Every documented error status was asked for, and gave the typed error.
        for response in &op.responses {
            if let commet_codegen::ir::StatusMatch::Code(status) = response.status
                && status >= 400
            {
                assert!(
                    find(&report, &op.id, &format!("error {status}"), "prism").passed,
                    "{text}"
                );
            }
        }
    }
    assert!(
        report.summary_line().contains(&format!(
            "{n}/{n} operations pass",
            n = api.operations.len()
        )),
        "{}",
        report.summary_line()
    );
}

/// Two operations break one pass condition each: `list-items` documents an example its own
/// schema refuses (limit 1000, at most 100), `get-broken` an answer its type can't decode;
/// `upload-file` (multipart, a file and text parts) passes.
const PROBE: &str = r##"openapi: 3.0.3
info:
  title: Probe API
  version: "1"
servers:
  - url: https://probe.example/v1
paths:
  /items/{id}:
    get:
      operationId: list-items
      parameters:
        - name: id
          in: path
          required: true
          schema: { type: string, example: it_1 }
        - name: X-Trace
          in: header
          schema: { type: string, example: trace-1 }
        - name: limit
          in: query
          schema: { type: integer, maximum: 100, example: 1000 }
      responses:
        "200":
          description: The item.
          content:
            application/json:
              schema: { $ref: "#/components/schemas/Item" }
        "404":
          description: No such item.
          content:
            application/json:
              schema: { $ref: "#/components/schemas/Problem" }
              example: { code: not_found, message: No such item }
  /broken:
    get:
      operationId: get-broken
      responses:
        "200":
          description: An answer whose example is not an Item.
          content:
            application/json:
              schema: { $ref: "#/components/schemas/Item" }
              example: { id: 5 }
  /upload:
    post:
      operationId: upload-file
      requestBody:
        required: true
        content:
          multipart/form-data:
            schema:
              type: object
              required: [file, note]
              properties:
                file: { type: string, format: binary }
                note: { type: string, minLength: 3, example: hello }
                tags: { type: array, items: { type: string, enum: [a, b] } }
      responses:
        "204":
          description: Stored.
components:
  schemas:
    Item:
      type: object
      required: [id]
      properties:
        id: { type: string, example: it_1 }
    Problem:
      type: object
      required: [code, message]
      properties:
        code: { type: string }
        message: { type: string }
"##;

#[test]
fn each_pass_condition_fails_where_it_is_broken() {
    let Some(mocks) = mocks() else { return };
    let report = contract(Builder::from_text("probe.yaml", PROBE), "probe", mocks)
        .steady(false)
        .run()
        .unwrap_or_else(|e| panic!("{e}"));
    let text = report.render_text();
    assert!(!report.passed(), "{text}");

    // The required-only call sends no `limit`, and passes.
    assert!(
        find(&report, "list-items", "required", "prism").passed,
        "{text}"
    );
    // The all-parameters call sends the document's `limit: 1000`: Prism's violation, located
    // at the parameter (line 19 of PROBE).
    let all = find(&report, "list-items", "all", "prism");
    assert!(!all.passed, "{text}");
    assert_eq!(all.cause, Some(Cause::Ours), "{text}");
    let violation = all
        .problems
        .iter()
        .find(|p| p.message.starts_with("prism:") && p.message.contains("limit"))
        .unwrap_or_else(|| panic!("no violation for limit:\n{text}"));
    assert_eq!(
        violation.pointer, "/paths/~1items~1{id}/get/parameters/2",
        "{text}"
    );
    assert_eq!((violation.line, violation.column), (19, 11), "{text}");

    // The documented 404 comes back as the typed API error.
    assert!(
        find(&report, "list-items", "error 404", "prism").passed,
        "{text}"
    );
    // Arguments the client must refuse reach no server.
    assert!(
        find(&report, "list-items", "empty path `id`", "client").passed,
        "{text}"
    );
    assert!(
        find(&report, "list-items", "CR/LF header `X-Trace`", "client").passed,
        "{text}"
    );

    // The static example `{id: 5}` does not decode into `Item`; Prism's dynamic answer does.
    let broken = find(&report, "get-broken", "required", "prism");
    assert!(!broken.passed, "{text}");
    assert!(
        broken
            .problems
            .iter()
            .any(|p| p.message.starts_with("decode_error")),
        "{text}"
    );
    assert!(
        find(&report, "get-broken", "required", "prism -d").passed,
        "{text}"
    );
    // A multipart body passes whole; with its optional array of one item, Prism reads that
    // one part as a string: a known limitation, told apart with its evidence.
    for mock in ["prism", "prism -d"] {
        assert!(
            find(&report, "upload-file", "required", mock).passed,
            "{text}"
        );
        let all = find(&report, "upload-file", "all", mock);
        let evidence = match &all.cause {
            Some(Cause::MockLimitation { evidence }) => evidence.as_str(),
            _ => "",
        };
        assert!(evidence.contains("multipart array"), "{text}");
    }
    assert!(
        report.summary_line().starts_with(
            "probe.yaml: 0/3 operations pass; 1 more pass but for known limitations of the \
             mock; 2 fail: get-broken, list-items"
        ),
        "{}",
        report.summary_line()
    );
}

#[test]
fn the_command_exits_1_on_a_failed_call_and_writes_json() {
    let Some(_) = mocks() else { return };
    let root = root();
    let work = root.join("target/contract-tests/cli");
    std::fs::create_dir_all(&work).expect("the work folder");
    let spec = work.join("probe.yaml");
    std::fs::write(&spec, PROBE).expect("the probe document");
    let json_path = work.join("report.json");
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_commet-codegen"))
        .arg("contract")
        .arg(&spec)
        .arg("--runtime-dir")
        .arg(root.join("runtime"))
        .arg("--work-dir")
        .arg(&work)
        .arg("--target-dir")
        .arg(root.join("target/contract-tests/target"))
        .arg("--mocks")
        .arg(root.join("tools/contract-mocks/node_modules"))
        .arg("--no-steady")
        .arg("--json")
        .arg(&json_path)
        .output()
        .expect("the command runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stdout}\n{stderr}");
    let last = stdout.lines().last().unwrap_or_default();
    assert!(
        last.ends_with(
            "0/3 operations pass; 1 more pass but for known limitations of the mock; 2 fail: \
             get-broken, list-items (mocks: prism, prism -d)"
        ),
        "{stdout}"
    );
    let report: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&json_path).expect("the JSON report"))
            .expect("the report is JSON");
    assert_eq!(report["passed"], false);
    assert_eq!(report["operations"], 3);
    let failed = report["results"]
        .as_array()
        .expect("results")
        .iter()
        .filter(|r| r["passed"] == false)
        .count();
    // get-broken (required, all) under prism; list-items (all) and upload-file (all) under
    // prism and prism -d.
    assert_eq!(failed, 6, "{report:#}");
}
