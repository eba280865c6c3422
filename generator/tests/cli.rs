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
    // Only the output file is left behind: the temporary file was renamed, not copied.
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
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
    let out = run(&[
        "diff",
        "spec/commet.yaml",
        new_path.to_str().unwrap(),
        "--deny-breaking",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(
        text(&out.stdout),
        "compatible: `PaymentProvider`: value `dlocal` added (older clients keep it as `Unknown`)\n"
    );

    let out = run(&[
        "diff",
        new_path.to_str().unwrap(),
        "spec/commet.yaml",
        "--deny-breaking",
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stdout).contains("breaking: `PaymentProvider`: value `dlocal` removed"));
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
