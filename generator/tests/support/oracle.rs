//! The generator's promise to a build.rs user, as one check shared by the robustness tests and
//! the fuzz targets (`fuzz/src/lib.rs` includes this file): whatever the document holds,
//! generation never panics, and either yields Rust that parses and whose docs cannot break the
//! user's build, or fails with errors that each say where in the file the problem is. (Hangs
//! are caught by libFuzzer's `-timeout`.)

use commet_codegen::{Builder, Diagnostics, GenerateError, Generated, Severity};
use pulldown_cmark::{CodeBlockKind, Event, Parser, Tag};

/// The name diagnostics are reported under.
const FILE: &str = "spec.yaml";

/// A spec file's bytes, as the generator reads them from disk: text must generate or fail
/// with located errors, and bytes that are not UTF-8 must be a located error too.
pub fn check_bytes(data: &[u8]) {
    match std::str::from_utf8(data) {
        Ok(text) => check_generation(text),
        Err(e) => check_errors(&commet_codegen::load::not_utf8(data, e)),
    }
}

/// Generates a client from `text` and panics (which libFuzzer reports as a crash) when the
/// outcome breaks a promise.
pub fn check_generation(text: &str) {
    check_outcome(&Builder::from_text(FILE, text).generate());
}

/// Panics when a generation's outcome breaks a promise.
pub fn check_outcome(outcome: &Result<Generated, GenerateError>) {
    match outcome {
        Ok(generated) => check_code(&generated.code),
        Err(GenerateError::Spec { diagnostics, .. }) => check_errors(diagnostics),
        Err(GenerateError::Emit(e)) => panic!("the generator emitted invalid Rust: {e}"),
        Err(other) => panic!("a generation from text failed outside the spec: {other}"),
    }
}

/// A failure has at least one error, and every error says what and where.
fn check_errors(diagnostics: &Diagnostics) {
    assert!(
        diagnostics.has_errors(),
        "generation failed without an error:\n{}",
        diagnostics.render(FILE)
    );
    for d in diagnostics.iter().filter(|d| d.severity == Severity::Error) {
        assert!(
            d.position.is_some(),
            "an error without a line and column:\n{}",
            d.render(FILE)
        );
        assert!(
            !d.message.trim().is_empty(),
            "an error without a message at {}",
            d.pointer
        );
    }
}

/// The generated module parses, and no comment in it can fail the user's build.
fn check_code(code: &str) {
    if let Err(e) = syn::parse_file(code) {
        panic!("the generated module does not parse: {e}");
    }
    for line in code.lines() {
        if line.trim_start().starts_with("//") {
            assert!(
                !line.chars().any(|c| c == '\t' || forbidden_in_comment(c)),
                "a comment holds a tab, a bidi or a control character: {line:?}"
            );
        }
    }
    for block in doc_blocks(code) {
        check_no_doctest(&block);
    }
}

/// rustc denies bidi controls in comments; control characters have no place in docs.
fn forbidden_in_comment(c: char) -> bool {
    matches!(
        c,
        '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}' | '\u{061C}'
    ) || c.is_control()
}

/// The Markdown of every doc comment: runs of consecutive `///` (or `//!`) lines.
fn doc_blocks(code: &str) -> Vec<String> {
    let mut blocks = Vec::new();
    let mut current: Option<(&str, String)> = None;
    for line in code.lines() {
        let trimmed = line.trim_start();
        let marker = ["///", "//!"].into_iter().find(|m| trimmed.starts_with(m));
        match (marker, current.as_mut()) {
            (Some(m), Some((open, text))) if *open == m => {
                text.push_str(doc_text(trimmed, m));
                text.push('\n');
            }
            (Some(m), _) => {
                if let Some((_, text)) = current.take() {
                    blocks.push(text);
                }
                current = Some((m, format!("{}\n", doc_text(trimmed, m))));
            }
            (None, _) => blocks.extend(current.take().map(|(_, text)| text)),
        }
    }
    blocks.extend(current.map(|(_, text)| text));
    blocks
}

fn doc_text<'a>(line: &'a str, marker: &str) -> &'a str {
    let rest = &line[marker.len()..];
    rest.strip_prefix(' ').unwrap_or(rest)
}

/// rustdoc runs every code block whose language is Rust, written or implied, as a test: spec
/// text must never become one.
fn check_no_doctest(markdown: &str) {
    for event in Parser::new(markdown) {
        if let Event::Start(Tag::CodeBlock(kind)) = event {
            let info = match &kind {
                CodeBlockKind::Indented => "",
                CodeBlockKind::Fenced(info) => info.as_ref(),
            };
            assert!(
                !is_rust_block(info),
                "a doc comment holds a code block rustdoc would run as a test:\n{markdown}"
            );
        }
    }
}

/// rustdoc's rule: a block is Rust unless its info string names another language.
fn is_rust_block(info: &str) -> bool {
    info.split(|c: char| c == ',' || c.is_whitespace())
        .filter(|token| !token.is_empty())
        .all(|token| {
            matches!(
                token,
                "rust"
                    | "ignore"
                    | "should_panic"
                    | "no_run"
                    | "compile_fail"
                    | "test_harness"
                    | "standalone_crate"
            ) || token.starts_with("edition")
                || token.starts_with("ignore-")
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rust_blocks_are_told_from_other_languages() {
        for rust in [
            "",
            "rust",
            "no_run",
            "rust,ignore",
            "edition2021",
            "ignore-windows",
        ] {
            assert!(is_rust_block(rust), "{rust:?}");
        }
        for other in ["text", "json", "rust,text", "sh"] {
            assert!(!is_rust_block(other), "{other:?}");
        }
    }

    #[test]
    #[should_panic(expected = "rustdoc would run")]
    fn an_indented_block_in_docs_is_caught() {
        check_code("/// Example:\n///\n///     let x = 1;\npub struct X;\n");
    }

    #[test]
    #[should_panic(expected = "bidi")]
    fn a_bidi_control_in_a_comment_is_caught() {
        check_code("/// a \u{202E} b\npub struct X;\n");
    }

    #[test]
    #[should_panic(expected = "without a line and column")]
    fn an_unlocated_error_is_caught() {
        let mut diagnostics = Diagnostics::default();
        diagnostics.push(commet_codegen::Diagnostic::error("/paths", "broken"));
        check_errors(&diagnostics);
    }
}
