//! The docs of every client generated from the corpus (`tests/vendored/corpus`) read as if a
//! person wrote them: no HTML tag shows escaped (`&lt;strong&gt;`), HTML having become
//! Markdown, and no line of prose is wider than 100 columns. Code blocks, tables, headings and
//! a line that can't be broken (one long URL) are not prose that wraps.

use std::path::Path;

use commet_codegen::Builder;

// The list of documents is read the way the corpus test reads it.
#[allow(dead_code)]
#[path = "../../tests/corpus-clients/src/expectations.rs"]
mod expectations;

/// HTML's elements: one of these escaped in a doc comment is HTML shown as text.
const HTML_ELEMENTS: &[&str] = &[
    "a",
    "abbr",
    "address",
    "article",
    "aside",
    "b",
    "bdi",
    "bdo",
    "blockquote",
    "body",
    "br",
    "button",
    "caption",
    "cite",
    "code",
    "col",
    "colgroup",
    "dd",
    "del",
    "details",
    "dfn",
    "div",
    "dl",
    "dt",
    "em",
    "figcaption",
    "figure",
    "footer",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hr",
    "html",
    "i",
    "img",
    "ins",
    "kbd",
    "li",
    "main",
    "mark",
    "nav",
    "ol",
    "p",
    "pre",
    "q",
    "s",
    "samp",
    "section",
    "small",
    "span",
    "strike",
    "strong",
    "sub",
    "summary",
    "sup",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "tr",
    "tt",
    "u",
    "ul",
    "var",
];

const WIDTH: usize = 100;

/// The HTML element an escaped tag at the start of `text` (just after `&lt;`) names.
fn escaped_element(text: &str) -> Option<&str> {
    let name_on = text.strip_prefix('/').unwrap_or(text);
    let len = name_on
        .find(|c: char| !c.is_ascii_alphanumeric())
        .unwrap_or(name_on.len());
    let name = &name_on[..len];
    let after = &name_on[len..];
    let ends_tag =
        after.starts_with("&gt;") || after.starts_with(' ') || after.starts_with("/&gt;");
    (ends_tag && HTML_ELEMENTS.contains(&name.to_ascii_lowercase().as_str())).then_some(name)
}

/// A line's text without its container part: indentation, quote markers, a list marker.
fn text_of(line: &str) -> &str {
    let mut rest = line.trim_start();
    while let Some(r) = rest.strip_prefix('>') {
        rest = r.trim_start();
    }
    let digits = rest.chars().take_while(char::is_ascii_digit).count();
    let after_marker = if digits > 0 {
        rest[digits..]
            .strip_prefix(". ")
            .or_else(|| rest[digits..].strip_prefix(") "))
    } else {
        rest.strip_prefix("- ")
            .or_else(|| rest.strip_prefix("* "))
            .or_else(|| rest.strip_prefix("+ "))
    };
    after_marker.map_or(rest, str::trim_start)
}

/// Whether `word` could begin a line of a paragraph without beginning another block.
fn may_start_line(word: &str) -> bool {
    let digits = word.chars().take_while(char::is_ascii_digit).count();
    !(matches!(word, "-" | "+" | "*")
        || (digits > 0 && matches!(&word[digits..], "." | ")"))
        || word.starts_with(['#', '>', '|', '=', '<', '`', '~'])
        || word.chars().all(|c| matches!(c, '-' | '_' | '*')))
}

/// Whether a line had a place to break: a word after its first that may start a line. (A
/// line over the width with none is one word too long for any line, with any words glued to
/// it that may not start one.)
fn breakable(line: &str) -> bool {
    text_of(line).split_whitespace().skip(1).any(may_start_line)
}

/// The problems of one generated client's doc comments.
fn doc_problems(name: &str, code: &str) -> Vec<String> {
    let mut problems = Vec::new();
    let mut fence: Option<char> = None;
    for (number, line) in code.lines().enumerate() {
        let trimmed = line.trim_start();
        let Some(doc) = trimmed
            .strip_prefix("///")
            .or_else(|| trimmed.strip_prefix("//!"))
        else {
            fence = None;
            continue;
        };
        let doc = doc.strip_prefix(' ').unwrap_or(doc);
        let text = text_of(doc);
        let at = format!("{name}:{}", number + 1);
        for (i, _) in doc.match_indices("&lt;") {
            if let Some(element) = escaped_element(&doc[i + 4..]) {
                problems.push(format!("{at}: an escaped <{element}> tag: {line}"));
            }
        }
        if let Some(c) = fence {
            if text.starts_with(&c.to_string().repeat(3)) {
                fence = None;
            }
            continue;
        }
        if let Some(c) = ['`', '~']
            .into_iter()
            .find(|&c| text.starts_with(&c.to_string().repeat(3)))
        {
            fence = Some(c);
            continue;
        }
        let table_or_heading = text.starts_with(['|', '#']);
        let reference = text.starts_with('[') && text.contains("]: ");
        if line.chars().count() > WIDTH && !table_or_heading && !reference && breakable(doc) {
            problems.push(format!("{at}: {} columns: {line}", line.chars().count()));
        }
    }
    problems
}

#[test]
fn corpus_docs_show_no_escaped_html_and_no_prose_past_100_columns() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let docs = expectations::documents(&expectations::corpus_dir(&root)).expect("corpus");
    assert!(!docs.is_empty(), "the corpus is empty");
    let mut problems = Vec::new();
    for doc in &docs {
        let name = doc.file_name().and_then(|n| n.to_str()).unwrap_or("?");
        let generated = Builder::new(doc)
            .generate()
            .unwrap_or_else(|e| panic!("{name} generates:\n{e}"));
        problems.extend(doc_problems(name, &generated.code));
    }
    let shown: Vec<&String> = problems.iter().take(40).collect();
    assert!(
        problems.is_empty(),
        "{} problems, the first:\n{}",
        problems.len(),
        shown
            .iter()
            .map(|s| s.as_str())
            .collect::<Vec<_>>()
            .join("\n")
    );
}

#[test]
fn the_check_finds_what_it_looks_for() {
    let long = format!("/// {}", "word ".repeat(30).trim());
    let code = format!("/// An &lt;strong&gt;escaped&lt;/strong&gt; tag.\n{long}\n");
    let problems = doc_problems("x", &code);
    assert_eq!(problems.len(), 3, "{problems:?}");
    // A single long URL, a table, code and a placeholder are fine.
    let url = format!("/// <https://x.io/{}>", "a".repeat(120));
    let table = format!("/// | {} |", "cell ".repeat(30));
    let fenced = format!("/// ```text\n/// {}\n/// ```", "code ".repeat(30));
    let code = format!("{url}\n{table}\n{fenced}\n/// Replace &lt;id&gt; here.\n");
    assert_eq!(doc_problems("x", &code), Vec::<String>::new());
}
