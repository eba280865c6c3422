//! The `commet-codegen` binary: exit codes, output targets, `check`, `diff`, atomic writes.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_commet-codegen"))
        .args(args)
        .current_dir(repo())
        .output()
        .expect("the binary runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn golden() -> String {
    std::fs::read_to_string(repo().join("generated/commet.rs")).expect("golden is readable")
}

#[test]
fn generate_to_stdout_prints_the_client() {
    let out = run(&["generate", "spec/commet.yaml", "-o", "-"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(text(&out.stdout), golden());
}

#[test]
fn generate_writes_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("client.rs");
    let out = run(&[
        "generate",
        "spec/commet.yaml",
        "-o",
        target.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(std::fs::read_to_string(&target).unwrap(), golden());
    assert_eq!(text(&out.stderr), format!("wrote {}\n", target.display()));
    // The output and the record of its spec are left behind: the temporary files were
    // renamed, not copied.
    let mut names: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names, ["client.rs", "client.rs.spec"]);
    assert_eq!(
        std::fs::read_to_string(dir.path().join("client.rs.spec")).unwrap(),
        std::fs::read_to_string(repo().join("spec/commet.yaml")).unwrap()
    );
}

#[test]
fn generate_over_an_earlier_output_summarises_the_change() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("commet.rs");
    let target_arg = target.to_str().unwrap();
    let spec = std::fs::read_to_string(repo().join("spec/commet.yaml")).unwrap();
    let spec_path = dir.path().join("commet.yaml");
    std::fs::write(&spec_path, &spec).unwrap();
    let spec_arg = spec_path.to_str().unwrap();
    let first = run(&["generate", spec_arg, "-o", target_arg]);
    assert_eq!(first.status.code(), Some(0), "{}", text(&first.stderr));

    let again = run(&["generate", spec_arg, "-o", target_arg]);
    assert_eq!(
        text(&again.stderr),
        format!("{target_arg}: no API changes\n")
    );

    // A new provider (compatible) and a field gone (breaking).
    let newer = spec
        .replacen(
            "        - commet\n",
            "        - commet\n        - dlocal\n",
            1,
        )
        .replacen("        - url\n", "", 1)
        .replacen(
            "        url:\n          type: string\n          nullable: true\n",
            "        link:\n          type: string\n          nullable: true\n",
            1,
        );
    std::fs::write(&spec_path, &newer).unwrap();
    let changed = run(&["generate", spec_arg, "-o", target_arg]);
    assert_eq!(changed.status.code(), Some(0), "{}", text(&changed.stderr));
    assert_eq!(
        text(&changed.stderr),
        format!("{target_arg}: 1 breaking, 2 compatible (run diff for details)\n")
    );
    // The record follows the output.
    assert_eq!(
        std::fs::read_to_string(dir.path().join("commet.rs.spec")).unwrap(),
        newer
    );
}

#[test]
fn a_failing_run_leaves_the_existing_output_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("client.rs");
    let previous = b"// the previous client, byte for byte\n\xF0\x9F\x92\xB3\n";
    std::fs::write(&target, previous).unwrap();
    let out = run(&[
        "generate",
        "tests/diagnostics/many_errors.yaml",
        "--strict",
        "-o",
        target.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(std::fs::read(&target).unwrap(), previous);
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        1,
        "no temp file left"
    );
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("--> tests/diagnostics/many_errors.yaml:21:11"),
        "{stderr}"
    );
    assert!(stderr.contains("7 errors"), "{stderr}");
}

#[test]
fn io_errors_exit_with_2() {
    let missing = run(&["generate", "spec/does-not-exist.yaml", "-o", "-"]);
    assert_eq!(missing.status.code(), Some(2));
    assert!(text(&missing.stderr).contains("spec/does-not-exist.yaml"));

    let dir = tempfile::tempdir().unwrap();
    let into_dir = run(&[
        "generate",
        "spec/commet.yaml",
        "-o",
        dir.path().to_str().unwrap(),
    ]);
    assert_eq!(
        into_dir.status.code(),
        Some(2),
        "{}",
        text(&into_dir.stderr)
    );
}

#[test]
fn a_file_that_is_not_utf8_is_a_located_spec_error() {
    let dir = tempfile::tempdir().unwrap();
    let spec = dir.path().join("latin1.yaml");
    std::fs::write(&spec, b"openapi: 3.0.3\ninfo:\n  title: caf\xe9\n").unwrap();
    let out = run(&["generate", spec.to_str().unwrap(), "-o", "-"]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("not UTF-8") && stderr.contains(":3:13"),
        "{stderr}"
    );
}

#[test]
fn usage_errors_exit_with_2() {
    let out = run(&["generate", "--no-such-flag"]);
    assert_eq!(out.status.code(), Some(2));
    let out = run(&["frobnicate"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn help_has_examples() {
    let out = run(&["--help"]);
    assert_eq!(out.status.code(), Some(0));
    let help = text(&out.stdout);
    assert!(help.contains("Examples:"), "{help}");
    assert!(
        help.contains("commet-codegen check spec/commet.yaml"),
        "{help}"
    );
}

#[test]
fn check_passes_on_current_output() {
    let out = run(&[
        "check",
        "spec/commet.yaml",
        "--against",
        "generated/commet.rs",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(out.stdout.is_empty());
}

#[test]
fn check_fails_with_a_diff_on_stale_output() {
    let dir = tempfile::tempdir().unwrap();
    let stale = dir.path().join("commet.rs");
    let edited = golden().replacen(
        "pub struct Payment {",
        "pub struct Payment {\n    pub stale: bool,",
        1,
    );
    std::fs::write(&stale, &edited).unwrap();
    let out = run(&[
        "check",
        "spec/commet.yaml",
        "--against",
        stale.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(1));
    let diff = text(&out.stdout);
    assert!(diff.contains("@@"), "{diff}");
    assert!(diff.contains("-    pub stale: bool,"), "{diff}");
    let stderr = text(&out.stderr);
    assert!(stderr.contains("is stale; regenerate it with"), "{stderr}");
    assert!(
        !stderr.contains("commet-codegen diff"),
        "no record, no diff to suggest"
    );
    // `check` never writes.
    assert_eq!(std::fs::read_to_string(&stale).unwrap(), edited);
}

#[test]
fn diff_classifies_api_changes() {
    let dir = tempfile::tempdir().unwrap();
    let spec = std::fs::read_to_string(repo().join("spec/commet.yaml")).unwrap();
    // The 2026-07-11 change: `provider` gains `dlocal`.
    let newer = spec.replacen(
        "        - commet\n",
        "        - commet\n        - dlocal\n",
        1,
    );
    assert_ne!(newer, spec, "the edit must apply");
    let new_path = dir.path().join("newer.yaml");
    std::fs::write(&new_path, newer).unwrap();
    let new_arg = new_path.to_str().unwrap();
    let out = run(&["diff", "spec/commet.yaml", new_arg, "--fail-on", "breaking"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let line = |n: usize, c: usize| format!("{}:{n}:{c}", new_arg);
    assert_eq!(
        text(&out.stdout),
        format!(
            "spec/commet.yaml (2026-06-10) -> {new_arg} (2026-06-10)\n\
             \n\
             compatible (source): PaymentProvider::Dlocal: added: the value `dlocal`, which older \
             clients keep as `PaymentProvider::Unknown`\n  \
             new --> {} #/components/schemas/PaymentProvider/enum/2\n\
             \n\
             semver: minor (1 compatible); for a 0.x crate, bump the patch version\n",
            line(973, 11)
        )
    );

    // Going back removes the value: breaking, and `--deny-breaking` is `--fail-on breaking`.
    for flags in [&["--fail-on", "breaking"][..], &["--deny-breaking"][..]] {
        let mut args = vec!["diff", new_arg, "spec/commet.yaml"];
        args.extend_from_slice(flags);
        let out = run(&args);
        assert_eq!(out.status.code(), Some(1), "{flags:?}");
        assert!(
            text(&out.stdout).contains("breaking (source): PaymentProvider::Dlocal: removed"),
            "{}",
            text(&out.stdout)
        );
        assert!(text(&out.stderr).contains("1 change is breaking or worse"));
    }

    // JSON for tools, Markdown for a pull request.
    let out = run(&["diff", "spec/commet.yaml", new_arg, "--format", "json"]);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(json["verdict"]["bump"], "minor");
    assert_eq!(json["changes"][0]["class"], "compatible");
    assert_eq!(json["changes"][0]["aspect"], "source");
    assert_eq!(json["changes"][0]["subject"], "PaymentProvider::Dlocal");
    assert_eq!(json["changes"][0]["new"]["line"], 973);
    let out = run(&["diff", "spec/commet.yaml", new_arg, "--format", "markdown"]);
    let markdown = text(&out.stdout);
    assert!(
        markdown.contains("#### Compatible\n\n- `PaymentProvider::Dlocal` (source)"),
        "{markdown}"
    );
}

#[test]
fn diff_fails_on_review_when_asked() {
    let dir = tempfile::tempdir().unwrap();
    let spec = std::fs::read_to_string(repo().join("spec/commet.yaml")).unwrap();
    let newer = spec.replacen(
        "invoice, and sends a receipt. No subscription or plan required.",
        "invoice, and sends a receipt. Requires an active subscription.",
        1,
    );
    assert_ne!(newer, spec, "the edit must apply");
    let new_path = dir.path().join("newer.yaml");
    std::fs::write(&new_path, newer).unwrap();
    let new_arg = new_path.to_str().unwrap();
    let out = run(&["diff", "spec/commet.yaml", new_arg, "--fail-on", "breaking"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let report = text(&out.stdout);
    assert!(
        report.contains(
            "   | Charge a customer's vaulted payment method off-session. Calculates tax, \
             generates an invoice, and sends a receipt. [-No subscription or plan required.-]\
             {+Requires an active subscription.+}\n"
        ),
        "{report}"
    );
    let out = run(&["diff", "spec/commet.yaml", new_arg, "--fail-on", "review"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("1 change is review or worse"));
}

#[test]
fn diff_of_a_trimmed_client_reports_only_its_operations() {
    let dir = tempfile::tempdir().unwrap();
    let spec = std::fs::read_to_string(repo().join("spec/commet.yaml")).unwrap();
    // Charging changes; a client of get-payment alone doesn't see it.
    let newer = spec.replacen(
        "invoice, and sends a receipt. No subscription or plan required.",
        "invoice, and sends a receipt. Requires an active subscription.",
        1,
    );
    let new_path = dir.path().join("newer.yaml");
    std::fs::write(&new_path, newer).unwrap();
    let new_arg = new_path.to_str().unwrap();
    let whole = run(&["diff", "spec/commet.yaml", new_arg]);
    assert!(text(&whole.stdout).contains("Client::charge_payment"));
    let trimmed = run(&[
        "diff",
        "spec/commet.yaml",
        new_arg,
        "--operation",
        "get-payment",
    ]);
    assert_eq!(trimmed.status.code(), Some(0), "{}", text(&trimmed.stderr));
    assert!(
        text(&trimmed.stdout).contains("no changes that affect the client"),
        "{}",
        text(&trimmed.stdout)
    );
}

#[test]
fn check_holds_the_spec_record_to_the_spec() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("commet.rs");
    std::fs::write(&target, golden()).unwrap();
    let check = || {
        run(&[
            "check",
            "spec/commet.yaml",
            "--against",
            target.to_str().unwrap(),
        ])
    };
    // No record: nothing to hold it to.
    assert_eq!(check().status.code(), Some(0));
    let record = dir.path().join("commet.rs.spec");
    std::fs::write(&record, "openapi: 3.0.3\n").unwrap();
    let out = check();
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("records another spec than spec/commet.yaml"));
    std::fs::copy(repo().join("spec/commet.yaml"), &record).unwrap();
    assert_eq!(check().status.code(), Some(0));
}

#[test]
fn settings_flags_match_the_builder() {
    let out = run(&[
        "generate",
        "spec/commet.yaml",
        "-o",
        "-",
        "--operation",
        "get-payment",
        "--derive",
        "Eq",
        "--env-prefix",
        "BILLING",
        "--runtime-path",
        "crate::rt_reexport",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let code = text(&out.stdout);
    assert!(
        code.contains("use crate::rt_reexport as rt;"),
        "runtime path"
    );
    assert!(code.contains("pub fn get_payment("), "kept operation");
    assert!(
        !code.contains("pub fn charge_payment("),
        "filtered operation"
    );
    assert!(
        !code.contains("pub struct ChargePaymentRequest"),
        "unused types pruned"
    );
    assert!(code.contains("\"BILLING_API_KEY\""), "env prefix");
    // `Eq` is added to structs, and not derived twice on enums that have it already.
    assert!(
        code.contains("rt::serde::Deserialize, Eq)]"),
        "derive on structs"
    );
    assert!(!code.contains("Eq, Hash, Eq"), "no duplicate derive");

    let bad = run(&["generate", "-o", "-", "--env-prefix", "not valid"]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(text(&bad.stderr).contains("environment prefix `not valid`"));
}

/// Warnings of one cause are grouped, and `--verbose` lists every one; the count is whole.
#[test]
fn verbose_lists_every_warning_that_a_group_counts() {
    let dir = tempfile::tempdir().unwrap();
    let spec = dir.path().join("spec.yaml");
    let properties: String = (0..5)
        .map(|i| format!("    T{i}: {{type: object, required: [gone], properties: {{a: {{type: string}}}}}}\n"))
        .collect();
    let refs: String = (0..5)
        .map(|i| format!("                  t{i}: {{$ref: '#/components/schemas/T{i}'}}\n"))
        .collect();
    std::fs::write(
        &spec,
        format!(
            "openapi: 3.0.3
info: {{title: T, version: '1'}}
servers: [{{url: 'https://api.example.com'}}]
paths:
  /a:
    get:
      operationId: getA
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema:
                type: object
                properties:
{refs}components:
  schemas:
{properties}"
        ),
    )
    .unwrap();
    let spec = spec.to_str().unwrap();
    let grouped = text(&run(&["generate", spec, "-o", "-"]).stderr);
    assert_eq!(
        grouped.matches("is required but not declared").count(),
        3,
        "{grouped}"
    );
    assert!(
        grouped.contains("= note: and 2 more like this (`--verbose` lists them)"),
        "{grouped}"
    );
    assert!(grouped.ends_with(": 5 warnings\n"), "{grouped}");
    let all = text(&run(&["generate", spec, "-o", "-", "--verbose"]).stderr);
    assert_eq!(
        all.matches("is required but not declared").count(),
        5,
        "{all}"
    );
    assert!(!all.contains("more like this"), "{all}");
    assert!(all.ends_with(": 5 warnings\n"), "{all}");
}

#[test]
fn idempotency_is_named_per_operation_on_the_command_line() {
    let out = run(&[
        "generate",
        "tests/fixtures/idempotency_styles.yaml",
        "-o",
        "-",
        "--idempotency",
        "*=header:Idempotency-Key",
        "--idempotency",
        "chargePayment=header:X-Mine",
        "--idempotency",
        "createNote=none",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let code = text(&out.stdout);
    assert!(
        code.contains(r#".idempotent_header("X-Mine")"#),
        "the operation's choice wins"
    );
    assert!(
        !code.contains("PayPal-Request-Id\")"),
        "over the document's"
    );
    assert!(
        !code.contains("idempotent_in_body"),
        "`*` wins over the body field"
    );

    for bad in [
        "chargePayment",
        "=none",
        "chargePayment=cookie:k",
        "x=header:",
    ] {
        let out = run(&[
            "generate",
            "tests/fixtures/idempotency_styles.yaml",
            "-o",
            "-",
            "--idempotency",
            bad,
        ]);
        assert_eq!(out.status.code(), Some(2), "{bad}: {}", text(&out.stderr));
    }
    let out = run(&[
        "generate",
        "tests/fixtures/idempotency_styles.yaml",
        "-o",
        "-",
        "--idempotency",
        "noSuchOperation=none",
    ]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    assert!(
        text(&out.stderr).contains("operation `noSuchOperation`"),
        "{}",
        text(&out.stderr)
    );
}
