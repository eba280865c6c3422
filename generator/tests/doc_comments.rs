//! No doc comment of a generated client holds a block that rustdoc would run as a doctest,
//! whatever the spec's text says. Each doc comment is read with pulldown-cmark, the Markdown
//! parser rustdoc itself uses: every code block must be fenced and marked `text`.
//!
//! The fixtures include `hostile_docs.yaml` and `hostile_names.yaml`, which hold every kind of
//! text that once became a doctest (bare and labeled fences in descriptions, indented code, a
//! fence inside a property or parameter name, an unclosed fence).

use std::path::Path;

use commet_codegen::Builder;
use pulldown_cmark::{CodeBlockKind, Event, Parser, Tag};

/// The doc comments of `code`, each as the Markdown rustdoc reads.
fn doc_comments(code: &str) -> Vec<String> {
    let mut comments = Vec::new();
    let mut current: Option<String> = None;
    for line in code.lines() {
        let trimmed = line.trim_start();
        let text = trimmed
            .strip_prefix("///")
            .or_else(|| trimmed.strip_prefix("//!"));
        match text {
            Some(text) => {
                let text = text.strip_prefix(' ').unwrap_or(text);
                let comment = current.get_or_insert_with(String::new);
                comment.push_str(text);
                comment.push('\n');
            }
            None => comments.extend(current.take()),
        }
    }
    comments.extend(current);
    comments
}

/// The code blocks of one doc comment that are not `text`: what rustdoc would test.
fn doctests(markdown: &str) -> Vec<String> {
    Parser::new(markdown)
        .filter_map(|event| match event {
            Event::Start(Tag::CodeBlock(CodeBlockKind::Indented)) => Some("indented".to_owned()),
            Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info))) if &*info != "text" => {
                Some(format!("fenced `{info}`"))
            }
            _ => None,
        })
        .collect()
}

fn generated(path: &Path) -> String {
    let text = std::fs::read_to_string(path).expect("the spec is readable");
    Builder::from_text(path.display().to_string(), text)
        .generate()
        .unwrap_or_else(|e| panic!("{} generates:\n{e}", path.display()))
        .code
}

#[test]
fn no_generated_doc_comment_holds_a_doctest() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut specs: Vec<_> = std::fs::read_dir(root.join("tests/fixtures"))
        .expect("tests/fixtures is readable")
        .map(|e| e.expect("an entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    specs.sort();
    specs.push(root.join("spec/commet.yaml"));
    let mut checked = 0;
    for spec in &specs {
        for comment in doc_comments(&generated(spec)) {
            let found = doctests(&comment);
            assert!(
                found.is_empty(),
                "{}: a doc comment holds {found:?}:\n{comment}",
                spec.display()
            );
            checked += 1;
        }
    }
    assert!(checked > 1000, "only {checked} doc comments were read");
}

#[test]
fn the_check_finds_what_rustdoc_would_run() {
    assert_eq!(doctests("a\n\n```\nx\n```\n"), ["fenced ``"]);
    assert_eq!(doctests("a\n\n    let x = 1;\n"), ["indented"]);
    assert_eq!(doctests("```rust\nx\n```\n"), ["fenced `rust`"]);
    assert!(doctests("```text\nx\n```\n").is_empty());
    assert_eq!(
        doc_comments("/// a\n///\n///     b\nfn f() {}\n/// c\n"),
        ["a\n\n    b\n", "c\n"]
    );
}
