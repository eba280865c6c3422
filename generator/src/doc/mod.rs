//! Doc text: makes spec prose safe to paste into rustdoc.
//!
//! Spec descriptions are Markdown or HTML written for a web page. In rustdoc the same text can
//! warn (bare URLs, `[x]` read as a broken intra-doc link, `<placeholder>` read as an HTML tag)
//! or, worse, turn into a doctest (an indented or unlabeled code block) that fails `cargo test`.
//! The generated crate denies warnings, so every description passes through [`sanitize`]:
//! HTML becomes Markdown (`html`), then the Markdown is made safe line by line (this file) and
//! its prose escaped (`escape`). Every doc comment, whatever wrote it, then passes
//! [`fence_guard`] (`guard`), and the printer wraps it at 100 columns ([`wrap`]).

mod escape;
mod guard;
mod html;
pub mod wrap;

pub use guard::fence_guard;

/// Characters no comment of generated code may hold: bidi controls (rustc's
/// `text_direction_codepoint_in_comment` is deny-by-default) and other control characters.
fn unsafe_in_comment(c: char) -> bool {
    matches!(
        c,
        '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}' | '\u{061C}'
    ) || (c.is_control() && c != '\t')
}

/// A line of generated code made safe when it is a comment: bidi and control characters are
/// dropped and tabs become spaces (clippy's `tabs_in_doc_comments`). Code lines are left
/// alone: text from the spec reaches code only inside string literals, which are escaped.
pub fn comment_safe(line: &str) -> std::borrow::Cow<'_, str> {
    if !line.trim_start().starts_with("//")
        || !line.chars().any(|c| c == '\t' || unsafe_in_comment(c))
    {
        return std::borrow::Cow::Borrowed(line);
    }
    line.chars()
        .filter(|c| !unsafe_in_comment(*c))
        .map(|c| if c == '\t' { ' ' } else { c })
        .collect::<String>()
        .into()
}

/// `text` (a name or value from the spec) as an inline code span that shows it literally,
/// whatever it holds: line breaks, tabs and other control characters are written as escapes
/// (`\n`), bidi controls too, and the span's fence is longer than any run of backticks inside
/// (CommonMark's rule), so nothing in the text can end the span or start a block.
pub fn code(text: &str) -> String {
    let mut shown = String::with_capacity(text.len() + 2);
    for c in text.chars() {
        if c.is_control() || unsafe_in_comment(c) {
            shown.extend(c.escape_default());
        } else {
            shown.push(c);
        }
    }
    if shown.trim().is_empty() {
        // An empty or blank code span would not render as one.
        shown = format!("{shown:?}");
    }
    let mut longest = 0;
    let mut run = 0;
    for c in shown.chars() {
        run = if c == '`' { run + 1 } else { 0 };
        longest = longest.max(run);
    }
    let fence = "`".repeat(longest + 1);
    // A span that starts or ends with a backtick needs a space between it and the fence; one
    // space on each side is stripped when rendered.
    let pad = if shown.starts_with('`') || shown.ends_with('`') {
        " "
    } else {
        ""
    };
    format!("{fence}{pad}{shown}{pad}{fence}")
}

/// Rewrites `text` so rustdoc renders it without warnings and runs none of it as a test: HTML
/// becomes Markdown, and the Markdown is made safe.
pub fn sanitize(text: &str) -> String {
    let text = if text.contains('\r') {
        std::borrow::Cow::Owned(text.replace("\r\n", "\n").replace('\r', "\n"))
    } else {
        std::borrow::Cow::Borrowed(text)
    };
    let text = html::to_markdown(&text);
    let mut out = sanitize_lines(&text, 0);
    // Trailing blank lines would become empty `///` lines.
    while out.last().is_some_and(|l| l.trim().is_empty()) {
        out.pop();
    }
    while out.first().is_some_and(|l| l.trim().is_empty()) {
        out.remove(0);
    }
    out.join("\n")
}

/// An open list item: where its text starts in the text read, and in the text written.
#[derive(Clone, Copy)]
struct Item {
    read: usize,
    written: usize,
}

/// How deep quotes may nest; a deeper `>` is text (quotes are made safe by recursion).
const MAX_QUOTE_DEPTH: usize = 8;

/// Markdown made safe line by line; the lines of a quote are made safe as a text of their own,
/// `depth` quotes deep.
fn sanitize_lines(text: &str, depth: usize) -> Vec<String> {
    let mut out = Vec::new();
    // Prose is escaped a paragraph at a time: a link or a code span may span lines.
    let mut prose: Vec<String> = Vec::new();
    let mut in_fence = false;
    // The list items open around the current line, the outermost first.
    let mut items: Vec<Item> = Vec::new();
    let mut after_blank = false;
    let dedented = dedent(text);
    let lines: Vec<&str> = dedented.lines().collect();
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i];
        i += 1;
        let trimmed = line.trim_start();
        let indent = line.len() - trimmed.len();
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            flush(&mut prose, &mut out);
            items.clear();
            // Any fence opens a `text` block: spec examples are JSON or shell, not Rust.
            out.push(if in_fence { "```" } else { "```text" }.to_owned());
            in_fence = !in_fence;
            continue;
        }
        if in_fence {
            out.push(line.to_owned());
            continue;
        }
        if trimmed.is_empty() {
            after_blank = true;
            prose.push(String::new());
            continue;
        }
        // Which open items this line is inside: a line indented to an item's text is in it;
        // one that isn't, right after a blank line, ends the list (a line with no blank
        // before it is the item's lazy continuation, and stays in it).
        // A line that starts a block (an item, a quote, a heading, a table) is never lazy.
        let starts_block =
            list_marker_width(trimmed).is_some() || trimmed.starts_with(['>', '#', '|']);
        let had_items = !items.is_empty();
        if starts_block || after_blank {
            while items.last().is_some_and(|item| item.read > indent) {
                items.pop();
            }
        }
        // Right after a list item, a blank line says a block is not the item's (clippy's
        // `doc_lazy_continuation`).
        let ends_list = had_items && items.is_empty() && !after_blank;
        after_blank = false;
        let inside = items.last().map_or(0, |item| item.written);
        let pad = " ".repeat(inside);
        // Indentation would start a code block (a doctest), so lines lose what they had and
        // get the open item's own, which keeps them in the item (clippy's
        // `doc_lazy_continuation`) and is never deep enough for code.
        if let Some(width) = list_marker_width(trimmed) {
            // The item's text is written where its marker, made shallow, puts it.
            let nested = shallow_markers(trimmed);
            items.push(Item {
                read: indent + width,
                written: inside + list_marker_width(&nested).unwrap_or(width),
            });
            prose.push(format!("{pad}{nested}"));
        } else if quote_marker(trimmed) && depth < MAX_QUOTE_DEPTH {
            // A quote: its lines without their `>`, made safe as a text of their own.
            let mut quoted = vec![strip_quote(trimmed)];
            while let Some(next) = lines.get(i).map(|l| l.trim_start()) {
                if next.is_empty() || next.starts_with("```") || next.starts_with("~~~") {
                    break;
                }
                quoted.push(if quote_marker(next) {
                    strip_quote(next)
                } else {
                    next
                });
                i += 1;
            }
            if ends_list {
                prose.push(String::new());
            }
            flush(&mut prose, &mut out);
            let inner = sanitize_lines(&quoted.join("\n"), depth + 1);
            let start = inner.iter().position(|l| !l.trim().is_empty()).unwrap_or(0);
            let end = inner
                .iter()
                .rposition(|l| !l.trim().is_empty())
                .map_or(0, |e| e + 1);
            for l in &inner[start..end] {
                out.push(if l.is_empty() {
                    format!("{pad}>")
                } else {
                    format!("{pad}> {l}")
                });
            }
        } else if starts_block {
            // A heading or table outside an item ends the list (a `>` that is no quote is
            // escaped, so it opens no quote that would end the list by itself).
            if ends_list {
                prose.push(String::new());
            }
            prose.push(format!("{pad}{trimmed}"));
        } else {
            prose.push(format!("{pad}{trimmed}"));
        }
    }
    flush(&mut prose, &mut out);
    if in_fence {
        out.push("```".to_owned());
    }
    out
}

/// Whether `line` (its indentation removed) starts a quote as its author meant one: `>` then a
/// space, another `>` or the line's end. Five spaces after it would make the quote's text an
/// indented code block, which no one means in a description, so that `>` is text.
fn quote_marker(line: &str) -> bool {
    let Some(rest) = line.strip_prefix('>') else {
        return false;
    };
    let spaces = rest.len() - rest.trim_start_matches(' ').len();
    rest.is_empty() || rest.starts_with('>') || (1..=4).contains(&spaces) || rest.trim().is_empty()
}

/// A quote line's text: without its `>` and the one space after it.
fn strip_quote(line: &str) -> &str {
    let rest = line.strip_prefix('>').unwrap_or(line);
    rest.strip_prefix(' ').unwrap_or(rest)
}

/// Escapes the prose lines gathered so far and moves them to `out`.
fn flush(prose: &mut Vec<String>, out: &mut Vec<String>) {
    if prose.is_empty() {
        return;
    }
    let escaped = escape::escape_block(&prose.join("\n"));
    out.extend(escaped.split('\n').map(str::to_owned));
    prose.clear();
}

/// Where a list item's text starts: after its marker (`-`, `*`, `+`, `1.`, `10)`) and the
/// spaces that follow it (`*   item` continues at column 4).
fn list_marker_width(line: &str) -> Option<usize> {
    let digits = line.chars().take_while(char::is_ascii_digit).count();
    let marker = match line[digits..].chars().next()? {
        '-' | '*' | '+' if digits == 0 => 1,
        '.' | ')' if (1..=3).contains(&digits) => digits + 1,
        _ => return None,
    };
    let spaces = line[marker..].chars().take_while(|&c| c == ' ').count();
    match spaces {
        0 => None,
        // Five or more spaces make the text an indented code block inside the item; its
        // continuation belongs one space after the marker.
        1..=4 => Some(marker + spaces),
        _ => Some(marker + 1),
    }
}

/// `line` with the text after each list marker it starts with (`-`, `1.`, nested too) brought
/// close enough to its marker that it cannot be an indented code block inside the item (a
/// doctest): five spaces after a marker open one. (A quote is made safe as a text of its own.)
fn shallow_markers(line: &str) -> String {
    match list_marker_width(line) {
        // `width` ends one space after the marker when more would make code.
        Some(width) => format!(
            "{}{}",
            &line[..width],
            shallow_markers(line[width..].trim_start())
        ),
        None => line.to_owned(),
    }
}

/// Removes the indentation that all non-blank lines share.
fn dedent(text: &str) -> String {
    let indent = text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| l.len() - l.trim_start().len())
        .min()
        .unwrap_or(0);
    text.lines()
        .map(|l| l.get(indent..).unwrap_or_else(|| l.trim_start()))
        .collect::<Vec<_>>()
        .join("\n")
}

#[cfg(test)]
mod tests {
    use super::{code, comment_safe, fence_guard, sanitize};

    #[test]
    fn code_spans_show_any_text_literally() {
        assert_eq!(code("amount"), "`amount`");
        assert_eq!(code("a`b"), "``a`b``");
        assert_eq!(code("`x``"), "``` `x`` ```");
        assert_eq!(code("we\nird```rust"), "````we\\nird```rust````");
        assert_eq!(code("a\u{202E}b\tc"), "`a\\u{202e}b\\tc`");
        assert_eq!(code(""), "`\"\"`");
    }

    #[test]
    fn no_fence_survives_as_anything_but_text() {
        assert_eq!(fence_guard("a\n```rust\nx\n```"), "a\n```text\nx\n```");
        assert_eq!(
            fence_guard("````.\nassert!(false)"),
            "````text\nassert!(false)\n````"
        );
        assert_eq!(fence_guard("~~~\ny\n~~~\nz"), "~~~text\ny\n~~~\nz");
        // A shorter run does not close a longer fence.
        assert_eq!(fence_guard("````\n```\n````"), "````text\n```\n````");
        assert_eq!(fence_guard("Sets `a`."), "Sets `a`.");
        assert_eq!(fence_guard("```` a\\n``` ````"), "```` a\\n``` ````");
    }

    #[test]
    fn fences_in_every_markdown_position_are_text() {
        for (given, expected) in [
            // Inside a list item, indented as its content.
            (
                "- item\n\n    ```rust\n    assert!(false);\n    ```",
                "- item\n\n    ```text\n    assert!(false);\n    ```",
            ),
            // In a nested list.
            (
                "1. a\n   - b\n\n     ~~~\n     boom();\n     ~~~",
                "1. a\n   - b\n\n     ~~~text\n     boom();\n     ~~~",
            ),
            // In a blockquote, and in a list inside a blockquote.
            ("> ```\n> boom();\n> ```", "> ```text\n> boom();\n> ```"),
            (
                "> - x\n>\n>   ```js\n>   y\n>   ```",
                "> - x\n>\n>   ```text\n>   y\n>   ```",
            ),
            // Already text: untouched.
            (
                "- a\n\n  ```text\n  b\n  ```",
                "- a\n\n  ```text\n  b\n  ```",
            ),
        ] {
            assert_eq!(fence_guard(given), expected, "{given:?}");
        }
    }

    #[test]
    fn comments_lose_bidi_controls_and_tabs() {
        assert_eq!(comment_safe("/// a\u{202E}b\tc\u{7}"), "/// ab c");
        assert_eq!(comment_safe("// x\u{2066}y"), "// xy");
        // Code is not touched (a string literal keeps its escapes anyway).
        assert_eq!(comment_safe("let a = \"\t\";"), "let a = \"\t\";");
    }

    #[test]
    fn deep_or_long_hostile_text_is_handled_in_linear_time() {
        let started = std::time::Instant::now();
        for text in [
            "> ".repeat(20_000),
            "<b>".repeat(20_000),
            "<ul><li>".repeat(10_000),
            format!("{}=\\\"", "<".repeat(50_000)),
            format!("<b>{}</b>", "x\\\n".repeat(20_000)),
            "<blockquote>".repeat(5_000),
        ] {
            let out = sanitize(&text);
            assert!(!out.contains("<b>"), "{}", &out[..out.len().min(200)]);
        }
        assert!(started.elapsed().as_secs() < 20, "{:?}", started.elapsed());
    }

    #[test]
    fn quotes_are_kept_where_meant() {
        for (given, expected) in [
            ("> a note", "> a note"),
            ("> **Note:** see <b>this</b>.", "> **Note:** see **this**."),
            ("> a\n>\n> b", "> a\n>\n> b"),
            ("> > nested", "> > nested"),
            // A `>` that no one means as a quote is text.
            (">5 items", "&gt;5 items"),
            ("a > b", "a &gt; b"),
            // A quote's own fences are made safe as anywhere else; five spaces after `>` would
            // make code, which no one means there, so that `>` is text.
            ("> ```\n> x\n> ```", "> ```text\n> x\n> ```"),
            (">     code", "&gt;     code"),
        ] {
            assert_eq!(sanitize(given), expected, "{given:?}");
        }
    }

    #[test]
    fn table() {
        let table = [
            ("plain text", "plain text"),
            (
                "see https://commet.co/docs.",
                "see <https://commet.co/docs>.",
            ),
            (
                "a [link](https://x.io) stays",
                "a [link](https://x.io) stays",
            ),
            ("an [x] is not a link", "an \\[x\\] is not a link"),
            (
                "(see https://x.io/a_(b)) or https://x.io/c).",
                "(see <https://x.io/a_(b)>) or <https://x.io/c>).",
            ),
            ("replace <placeholder>", "replace &lt;placeholder&gt;"),
            (
                "an autolink <https://x.io/a> stays, <b> does not",
                "an autolink <https://x.io/a> stays, &lt;b&gt; does not",
            ),
            ("<http://x.io <b>", "&lt;<http://x.io> &lt;b&gt;"),
            ("ends a comment */ here", "ends a comment *&#47; here"),
            ("code `a<b> [c]` stays", "code `a<b> [c]` stays"),
            ("  indented\n  twice", "indented\ntwice"),
            ("line\n\n    indented code", "line\n\nindented code"),
            (
                "the [`check_suite` event](https://x.io/e#c) fires",
                "the [`check_suite` event](https://x.io/e#c) fires",
            ),
            (
                "see [GitHub's\nAPI](https://x.io/api).",
                "see [GitHub's\nAPI](https://x.io/api).",
            ),
            (
                "- a list item that\ngoes on\n\nafter",
                "- a list item that\n  goes on\n\nafter",
            ),
            ("1. first\n   wrapped", "1. first\n   wrapped"),
            ("-      code in an item", "- code in an item"),
            ("*   three spaces stay", "*   three spaces stay"),
            ("- 1.      nested", "- 1. nested"),
            (">      not a quote", "&gt;      not a quote"),
            // A quote, heading or table right after a list item is a block of its own; the
            // quote is kept as one.
            (
                "* John-7 - allowed.\n> If details don't match",
                "* John-7 - allowed.\n\n> If details don't match",
            ),
            ("- a\n| b | c |", "- a\n\n| b | c |"),
            (
                "[x](not a url) and [y](/docs)",
                "\\[x\\](not a url) and \\[y\\](/docs)",
            ),
            ("`a\nb` spans lines", "`a\nb` spans lines"),
            (
                "an ![:s:](https://x.io/s.png \":s:\") image",
                "an ![:s:](https://x.io/s.png \":s:\") image",
            ),
            ("```\n{\"a\": 1}\n```", "```text\n{\"a\": 1}\n```"),
            ("```json\n{}\n```", "```text\n{}\n```"),
            ("~~~\n{\"a\": 1}\n~~~", "```text\n{\"a\": 1}\n```"),
            ("open fence\n```", "open fence\n```text\n```"),
            ("\n\ntrimmed\n\n", "trimmed"),
            // HTML becomes Markdown first, then is made safe like any Markdown.
            (
                "<blockquote><strong>Note:</strong> see <a href=\"https://x.io\">x</a> [beta]</blockquote>",
                "> **Note:** see [x](https://x.io) \\[beta\\]",
            ),
            (
                "Values:<ul><li><code>A</code>: use <placeholder>.</li></ul>",
                "Values:\n\n- `A`: use &lt;placeholder&gt;.",
            ),
            ("a\r\nb", "a\nb"),
        ];
        for (input, want) in table {
            assert_eq!(sanitize(input), want, "sanitize({input:?})");
        }
    }
}
