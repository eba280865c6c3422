//! The verdicts of `diff`, proven by compiling user code.
//!
//! Each directory of `tests/api-changes/` is one rule: `new.yaml` changes one thing of the old
//! spec (`old.yaml`, or the shared `base.yaml`), and `user.rs` is a small program written
//! against the old client the way users write code. The diff report of each pair is a
//! snapshot; and each program must compile against the old client, and against the new one
//! exactly when the report has no source-breaking change. Both ways the README tells people
//! to use a client: as a dependency crate, and `include!`d into the program's own crate.
//! `tests/api-changes/misuse/` holds what no program may do (a struct literal, a match without
//! a wildcard arm): each must fail against the base client, both ways.
//!
//! The compile check is one `cargo check` of a generated workspace: every old and every new
//! client as a module of one library crate each, and every program as a bin of its own, so
//! a failure is attributed to its program, and the whole runs in about a minute once the
//! runtime's dependencies are checked.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

use commet_codegen::Builder;
use commet_codegen::diff::{self, Format, Report};

#[path = "support/coverage.rs"]
mod coverage;

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .canonicalize()
        .expect("the repository root")
}

/// One rule: a pair of specs and a program written against the old one.
struct Rule {
    name: String,
    old: PathBuf,
    new: PathBuf,
    user: PathBuf,
}

impl Rule {
    /// The module and bin name: `response-field-added` → `response_field_added`.
    fn ident(&self) -> String {
        self.name.replace('-', "_")
    }
}

fn rules() -> Vec<Rule> {
    let dir = repo().join("tests/api-changes");
    let mut rules: Vec<Rule> = std::fs::read_dir(&dir)
        .expect("tests/api-changes")
        .map(|e| e.expect("an entry").path())
        .filter(|p| p.join("new.yaml").exists())
        .map(|p| {
            let own_old = p.join("old.yaml");
            Rule {
                name: p.file_name().unwrap().to_string_lossy().into_owned(),
                old: if own_old.exists() {
                    own_old
                } else {
                    dir.join("base.yaml")
                },
                new: p.join("new.yaml"),
                user: p.join("user.rs"),
            }
        })
        .collect();
    rules.sort_by(|a, b| a.name.cmp(&b.name));
    assert!(rules.len() >= 30, "only {} rules found", rules.len());
    rules
}

/// A builder for `path`, named as the repository names it (so reports don't depend on where
/// the repository is).
fn builder(path: &Path) -> Builder {
    let name = path
        .strip_prefix(repo())
        .unwrap_or(path)
        .display()
        .to_string();
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{name}: {e}"));
    Builder::from_text(name, text)
}

fn report(rule: &Rule) -> Report {
    let snapshot = |p: &Path| builder(p).snapshot().unwrap_or_else(|e| panic!("{e}"));
    diff::diff(&snapshot(&rule.old), &snapshot(&rule.new))
}

fn generate(path: &Path) -> String {
    builder(path)
        .generate()
        .unwrap_or_else(|e| panic!("{e}"))
        .code
}

#[test]
fn every_rule_reports_its_verdict() {
    for rule in rules() {
        let report = report(&rule);
        insta::assert_snapshot!(rule.name.clone(), report.render(Format::Text));
        // Nothing changes in the client without a change in the report.
        let uncovered = coverage::uncovered(&generate(&rule.old), &generate(&rule.new), &report);
        assert!(
            uncovered.is_empty(),
            "{}: items changed without a change that names them: {uncovered:?}",
            rule.name
        );
    }
}

/// What `cargo check --message-format=json` said about each target.
#[derive(Default)]
struct Outcome {
    /// Targets that were checked without errors.
    checked: BTreeSet<String>,
    /// Targets with errors, and their first error.
    failed: BTreeMap<String, String>,
}

fn cargo_check(workspace: &Path) -> Outcome {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let output = Command::new(cargo)
        .args([
            "check",
            "--workspace",
            "--bins",
            "--lib",
            "--keep-going",
            "--message-format=json",
            "--quiet",
        ])
        .arg("--target-dir")
        .arg(workspace.join("target"))
        .current_dir(workspace)
        .env_remove("RUSTFLAGS")
        .output()
        .expect("cargo runs");
    let mut outcome = Outcome::default();
    for line in String::from_utf8_lossy(&output.stdout).lines() {
        let Ok(message) = serde_json::from_str::<serde_json::Value>(line) else {
            continue;
        };
        let target = message["target"]["name"].as_str().unwrap_or_default();
        match message["reason"].as_str() {
            Some("compiler-artifact") => {
                outcome.checked.insert(target.to_owned());
            }
            Some("compiler-message") if message["message"]["level"] == "error" => {
                let rendered = message["message"]["rendered"]
                    .as_str()
                    .unwrap_or_default()
                    .to_owned();
                outcome.failed.entry(target.to_owned()).or_insert(rendered);
            }
            _ => {}
        }
    }
    assert!(
        !outcome.checked.is_empty(),
        "cargo checked nothing:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    outcome
}

/// Writes `text` to `path` unless it is there already, so cargo sees unchanged files as
/// unchanged and checks only what a change touched.
fn write(path: &Path, text: &str) {
    if std::fs::read_to_string(path).is_ok_and(|t| t == text) {
        return;
    }
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

fn manifest(name: &str, deps: &[(&str, &Path)], bins: &[String]) -> String {
    let mut out = format!(
        "[package]\nname = \"{name}\"\nversion = \"0.0.0\"\nedition = \"2024\"\npublish = false\n\n[dependencies]\n"
    );
    for (dep, path) in deps {
        let _ = writeln!(out, "{dep} = {{ path = {:?} }}", path.display().to_string());
    }
    for bin in bins {
        let _ = write!(
            out,
            "\n[[bin]]\nname = \"{bin}\"\npath = \"src/{bin}.rs\"\n"
        );
    }
    out
}

/// A program that uses the client as a dependency: `api` is a module of the clients crate.
fn as_dependency(clients: &str, module: &str, program: &Path) -> String {
    format!(
        "use {clients}::{module} as api;\n\ninclude!({:?});\n",
        program.display().to_string()
    )
}

/// A program with the client `include!`d into its own crate, as the README's build.rs
/// section shows.
fn included(client: &Path, program: &Path) -> String {
    format!(
        "#[allow(dead_code)]\npub mod api {{\n    include!({:?});\n}}\n\ninclude!({:?});\n",
        client.display().to_string(),
        program.display().to_string()
    )
}

#[test]
fn user_programs_compile_exactly_when_the_verdict_is_compatible() {
    let rules = rules();
    let root = repo();
    let work = Path::new(env!("CARGO_TARGET_TMPDIR")).join("verdicts");
    let runtime = root.join("runtime");
    let misuse_dir = root.join("tests/api-changes/misuse");
    let mut misuse: Vec<PathBuf> = std::fs::read_dir(&misuse_dir)
        .expect("tests/api-changes/misuse")
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "rs"))
        .collect();
    misuse.sort();
    assert!(!misuse.is_empty());

    // Every client, old and new, as a module of one library per side.
    let mut verdicts = BTreeMap::new();
    let mut libs = BTreeMap::from([("old", String::new()), ("new", String::new())]);
    let base = root.join("tests/api-changes/base.yaml");
    // The misuse programs use the base client.
    let base_client = work.join("clients/old/base.rs");
    write(&base_client, &generate(&base));
    let _ = writeln!(
        libs.get_mut("old").unwrap(),
        "pub mod base {{\n    include!({:?});\n}}",
        base_client.display().to_string()
    );
    for rule in &rules {
        for (side, spec) in [("old", &rule.old), ("new", &rule.new)] {
            let file = work.join(format!("clients/{side}/{}.rs", rule.name));
            write(&file, &generate(spec));
            let _ = writeln!(
                libs.get_mut(side).unwrap(),
                "pub mod {} {{\n    include!({:?});\n}}",
                rule.ident(),
                file.display().to_string()
            );
        }
        verdicts.insert(rule.name.clone(), report(rule));
    }

    // One bin per program, side and way of use.
    for side in ["old", "new"] {
        let clients = format!("{side}_clients");
        write(
            &work.join(format!("{side}-clients/Cargo.toml")),
            &manifest(
                &format!("{side}-clients"),
                &[("commet-runtime", &runtime)],
                &[],
            ),
        );
        write(
            &work.join(format!("{side}-clients/src/lib.rs")),
            &libs[side],
        );
        let mut bins = Vec::new();
        let programs = work.join(format!("against-{side}"));
        for rule in &rules {
            let client = work.join(format!("clients/{side}/{}.rs", rule.name));
            let dep = format!("{side}-dep-{}", rule.name);
            let inc = format!("{side}-inc-{}", rule.name);
            write(
                &programs.join(format!("src/{dep}.rs")),
                &as_dependency(&clients, &rule.ident(), &rule.user),
            );
            write(
                &programs.join(format!("src/{inc}.rs")),
                &included(&client, &rule.user),
            );
            bins.extend([dep, inc]);
        }
        if side == "old" {
            let client = &base_client;
            for program in &misuse {
                let stem = program
                    .file_stem()
                    .unwrap()
                    .to_string_lossy()
                    .replace('_', "-");
                let dep = format!("misuse-dep-{stem}");
                let inc = format!("misuse-inc-{stem}");
                write(
                    &programs.join(format!("src/{dep}.rs")),
                    &as_dependency(&clients, "base", program),
                );
                write(
                    &programs.join(format!("src/{inc}.rs")),
                    &included(client, program),
                );
                bins.extend([dep, inc]);
            }
        }
        write(
            &programs.join("Cargo.toml"),
            &manifest(
                &format!("against-{side}"),
                &[
                    ("commet-runtime", &runtime),
                    (
                        &format!("{side}-clients"),
                        &work.join(format!("{side}-clients")),
                    ),
                ],
                &bins,
            ),
        );
    }
    write(
        &work.join("Cargo.toml"),
        "[workspace]\nmembers = [\"old-clients\", \"new-clients\", \"against-old\", \"against-new\"]\nresolver = \"3\"\n",
    );
    // The project's versions of every dependency.
    if !work.join("Cargo.lock").exists() {
        std::fs::copy(root.join("Cargo.lock"), work.join("Cargo.lock")).unwrap();
    }

    let outcome = cargo_check(&work);
    let mut problems = Vec::new();
    let mut expect = |target: String, compiles: bool, why: &str| {
        let failed = outcome.failed.get(&target);
        let checked = outcome.checked.contains(&target);
        match (compiles, failed, checked) {
            (true, None, true) | (false, Some(_), _) => {}
            (true, Some(error), _) => {
                problems.push(format!("{target} should compile ({why}), but:\n{error}"));
            }
            (false, None, true) => {
                problems.push(format!("{target} should not compile ({why}), but it does"));
            }
            (_, None, false) => problems.push(format!("{target} was not checked")),
        }
    };
    for lib in ["old-clients", "new-clients"] {
        expect(lib.replace('-', "_"), true, "every client compiles");
    }
    for rule in &rules {
        for way in ["dep", "inc"] {
            expect(
                format!("old-{way}-{}", rule.name),
                true,
                "written against the old client",
            );
            let report = &verdicts[&rule.name];
            let breaking: Vec<String> = report.source_breaking().map(|c| c.to_string()).collect();
            let why = if breaking.is_empty() {
                "diff finds no source-breaking change".to_owned()
            } else {
                format!("diff says: {}", breaking.join("; "))
            };
            expect(
                format!("new-{way}-{}", rule.name),
                breaking.is_empty(),
                &why,
            );
        }
    }
    for program in &misuse {
        let stem = program
            .file_stem()
            .unwrap()
            .to_string_lossy()
            .replace('_', "-");
        for way in ["dep", "inc"] {
            expect(
                format!("misuse-{way}-{stem}"),
                false,
                "no program may do this to a generated client",
            );
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n\n"));
}
