//! The corpus of public OpenAPI documents (`tests/vendored/corpus`): every document generates a
//! client, or is listed in `tests/corpus-clients/expectations.yaml` with the exact error it
//! fails with. The list is a ratchet: a listed document that starts generating, or fails
//! differently, fails this test, and so does an operation left out of a client unlisted (or
//! listed and back). That the clients compile clean is the `corpus-clients` crate's build.

use std::path::Path;

use commet_codegen::{Builder, Detail, GenerateError, Severity};

// The test reads the list; module names are the build script's business.
#[allow(dead_code)]
#[path = "../../tests/corpus-clients/src/expectations.rs"]
mod expectations;

/// What one document may print by default: kinds of diagnostic (a group is one), and a
/// build script's `cargo:warning` lines.
const MOST_DIAGNOSTICS: usize = 15;
const MOST_BUILD_LINES: usize = 40;

#[test]
fn every_corpus_document_generates_or_fails_exactly_as_listed() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let listed = expectations::read(&root.join("tests/corpus-clients/expectations.yaml"))
        .expect("expectations.yaml reads");
    let docs = expectations::documents(&expectations::corpus_dir(&root)).expect("corpus");
    assert!(!docs.is_empty(), "the corpus is empty");
    let names: Vec<String> = docs
        .iter()
        .filter_map(|d| d.file_name()?.to_str().map(str::to_owned))
        .collect();
    for name in listed.exceptions.keys().chain(listed.left_out.keys()) {
        assert!(
            names.contains(name),
            "{name} is listed but not in the corpus"
        );
    }
    // No document may fail: each one gives a client (authors' mistakes are read as meant).
    assert!(
        listed.exceptions.is_empty(),
        "{} exceptions; every corpus document must generate",
        listed.exceptions.len()
    );

    let mut problems = Vec::new();
    for (doc, name) in docs.iter().zip(&names) {
        let result = Builder::new(doc).generate();
        match (result, listed.exceptions.get(name)) {
            (Ok(generated), None) => {
                // A group of warnings with one cause counts as one (issue: at most 15 per
                // document by default, and a screenful of `cargo:warning` lines).
                let groups = generated.warnings.groups().len();
                if groups > MOST_DIAGNOSTICS {
                    problems.push(format!(
                        "{name}: {groups} kinds of diagnostic; at most {MOST_DIAGNOSTICS} are allowed:\n{}",
                        generated.warnings.render(name)
                    ));
                }
                let lines = generated.warnings.build_lines(name, Detail::Grouped).len();
                if lines > MOST_BUILD_LINES {
                    problems.push(format!(
                        "{name}: a build script would print {lines} `cargo:warning` lines; at most {MOST_BUILD_LINES}"
                    ));
                }
                let left_out: Vec<String> = generated
                    .warnings
                    .iter()
                    .filter(|d| d.severity == Severity::Warning)
                    .filter_map(|d| {
                        let rest = d.message.strip_prefix("operation `")?;
                        let (id, tail) = rest.split_once('`')?;
                        tail.starts_with(" is left out").then(|| id.to_owned())
                    })
                    .collect();
                let expected = listed.left_out.get(name).cloned().unwrap_or_default();
                if left_out != expected {
                    problems.push(format!(
                        "{name}: operations left out {left_out:?}, expectations.yaml lists {expected:?}"
                    ));
                }
            }
            (Ok(_), Some(_)) => problems.push(format!(
                "{name} generates now: move it out of the exceptions in expectations.yaml"
            )),
            (Err(e), listed) => {
                let first = match &e {
                    GenerateError::Spec { diagnostics, .. } => diagnostics
                        .iter()
                        .find(|d| d.severity == Severity::Error)
                        .map(|d| format!("error: {}", d.message)),
                    other => Some(other.to_string()),
                }
                .unwrap_or_default();
                match listed {
                    Some(exception) if exception.diagnostic == first => {
                        assert!(!exception.reason.trim().is_empty(), "{name}: give a reason");
                    }
                    Some(exception) => problems.push(format!(
                        "{name} fails with `{first}`, expectations.yaml says `{}`",
                        exception.diagnostic
                    )),
                    None => problems.push(format!("{name} does not generate:\n{e}")),
                }
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n\n"));
}
