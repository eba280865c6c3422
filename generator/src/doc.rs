//! Doc text: makes spec prose safe to paste into rustdoc.
//!
//! Spec descriptions are Markdown written for a web page. In rustdoc the same text can warn
//! (bare URLs, `[x]` read as a broken intra-doc link, `<placeholder>` read as an HTML tag) or,
//! worse, turn into a doctest (an indented or unlabeled code block) that fails `cargo test`.
//! The generated crate denies warnings, so every description passes through [`sanitize`].

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

/// The last line of defence for every doc comment the generator writes, whatever built the
/// text: each fenced block is opened as `text` (whatever its info string said), so no fence
/// in spec text can become a doctest, and a fence left open is closed.
///
/// Fences are found by CommonMark's own rules (pulldown-cmark, the parser rustdoc uses), so a
/// fence inside a list item, a blockquote, a nested list or written with tildes is found
/// where rustdoc would find it; a line-by-line scan can't tell those apart from prose.
pub fn fence_guard(text: &str) -> String {
    let mut rewritten = String::with_capacity(text.len() + 16);
    let mut copied = 0;
    for (event, range) in pulldown_cmark::Parser::new(text).into_offset_iter() {
        let pulldown_cmark::Event::Start(pulldown_cmark::Tag::CodeBlock(
            pulldown_cmark::CodeBlockKind::Fenced(info),
        )) = event
        else {
            continue;
        };
        if info.trim() == "text" {
            continue;
        }
        // The fence starts the block's range, after any container marker (`> `, `- `).
        let line_end = text[range.start..]
            .find('\n')
            .map_or(text.len(), |i| range.start + i);
        let line = &text[range.start..line_end];
        let Some(at) = line.find(['`', '~']) else {
            continue;
        };
        let marker = line[at..].chars().next().unwrap_or('`');
        let run = line[at..].chars().take_while(|&c| c == marker).count();
        let info_start = range.start + at + run;
        rewritten.push_str(&text[copied..info_start]);
        rewritten.push_str("text");
        copied = line_end;
    }
    rewritten.push_str(&text[copied..]);
    close_fences(&rewritten)
}

/// Opens each top-level fenced block as `text` and closes one left open.
fn close_fences(text: &str) -> String {
    let mut out: Vec<String> = Vec::new();
    // The open fence's character and length.
    let mut open: Option<(char, usize)> = None;
    for line in text.lines() {
        let trimmed = line.trim_start();
        let indent = line.len() - trimmed.len();
        let run = |c: char| trimmed.chars().take_while(|&x| x == c).count();
        match open {
            None if indent <= 3 => {
                // A backtick fence's info string holds no backtick (CommonMark): a line
                // that starts with a long code span is not a fence.
                let marker = ['`', '~']
                    .into_iter()
                    .find(|&c| run(c) >= 3 && (c == '~' || !trimmed[run(c)..].contains('`')));
                if let Some(c) = marker {
                    let n = run(c);
                    open = Some((c, n));
                    out.push(format!(
                        "{}{}text",
                        &line[..indent],
                        c.to_string().repeat(n)
                    ));
                    continue;
                }
            }
            Some((c, n)) if indent <= 3 && run(c) >= n && trimmed[run(c)..].trim().is_empty() => {
                open = None;
            }
            _ => {}
        }
        out.push(line.to_owned());
    }
    if let Some((c, n)) = open {
        out.push(c.to_string().repeat(n));
    }
    out.join("\n")
}

/// Rewrites `text` so rustdoc renders it without warnings and runs none of it as a test.
pub fn sanitize(text: &str) -> String {
    let text = if text.contains('\r') {
        std::borrow::Cow::Owned(text.replace("\r\n", "\n").replace('\r', "\n"))
    } else {
        std::borrow::Cow::Borrowed(text)
    };
    let mut out = Vec::new();
    // Prose is escaped a paragraph at a time: a link or a code span may span lines.
    let mut prose: Vec<String> = Vec::new();
    let mut in_fence = false;
    // The indentation that continues the current list item's text.
    let mut list_indent: Option<usize> = None;
    for line in dedent(&text).lines() {
        let trimmed = line.trim_start();
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            flush(&mut prose, &mut out);
            list_indent = None;
            // Any fence opens a `text` block: spec examples are JSON or shell, not Rust.
            out.push(if in_fence { "```" } else { "```text" }.to_owned());
            in_fence = !in_fence;
            continue;
        }
        if in_fence {
            out.push(line.to_owned());
            continue;
        }
        // Indentation would start a code block (a doctest), so prose lines lose it; the
        // continuation of a list item gets the item's own indentation, which keeps it in the
        // item (clippy's `doc_lazy_continuation`) and is never deep enough for code.
        if trimmed.is_empty() {
            list_indent = None;
            prose.push(String::new());
        } else if let Some(width) = list_marker_width(trimmed) {
            list_indent = Some(width);
            prose.push(shallow_markers(trimmed));
        } else if trimmed.starts_with(['#', '|', '>']) {
            // A heading, table or quote starts a block of its own: the list item ends. Right
            // after an item it needs a blank line to say so, or it is read as the item's lazy
            // continuation (clippy's `doc_lazy_continuation`; a `>` is escaped, so it opens
            // no quote that would end the list by itself).
            if list_indent.take().is_some() {
                prose.push(String::new());
            }
            prose.push(trimmed.to_owned());
        } else if let Some(width) = list_indent {
            prose.push(format!("{}{trimmed}", " ".repeat(width)));
        } else {
            prose.push(trimmed.to_owned());
        }
    }
    flush(&mut prose, &mut out);
    if in_fence {
        out.push("```".to_owned());
    }
    // Trailing blank lines would become empty `///` lines.
    while out.last().is_some_and(|l| l.trim().is_empty()) {
        out.pop();
    }
    while out.first().is_some_and(|l| l.trim().is_empty()) {
        out.remove(0);
    }
    out.join("\n")
}

/// Escapes the prose lines gathered so far and moves them to `out`.
fn flush(prose: &mut Vec<String>, out: &mut Vec<String>) {
    if prose.is_empty() {
        return;
    }
    let escaped = escape_block(&prose.join("\n"));
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
/// doctest): five spaces after a marker open one. (A `>` is escaped, so it starts no quote.)
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

/// Escapes prose, leaving inline code spans as they are and keeping Markdown links to web
/// pages working, also when their text holds code spans or they run over a line break.
fn escape_block(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    let mut plain = String::new();
    let mut rest = text;
    loop {
        // Only a code span or a link is not plain text: move to the next that may start one.
        let next = rest.find(['`', '[']).unwrap_or(rest.len());
        plain.push_str(&rest[..next]);
        rest = &rest[next..];
        let Some(c) = rest.chars().next() else {
            break;
        };
        if c == '`'
            && let Some(len) = code_span_len(rest)
        {
            out.push_str(&escape_prose(&plain));
            plain.clear();
            out.push_str(&rest[..len]);
            rest = &rest[len..];
            continue;
        }
        if c == '['
            && let Some((label, target, len)) = web_link(rest)
        {
            out.push_str(&escape_prose(&plain));
            plain.clear();
            out.push('[');
            out.push_str(&escape_block(label));
            out.push_str("](");
            out.push_str(target);
            out.push(')');
            rest = &rest[len..];
            continue;
        }
        plain.push(c);
        rest = &rest[c.len_utf8()..];
    }
    out.push_str(&escape_prose(&plain));
    out
}

/// The length of ` "title"` (or `'title'`) before a link's closing `)`, which must follow.
fn link_title_len(text: &str) -> Option<usize> {
    let trimmed = text.trim_start();
    let quote = trimmed.chars().next().filter(|c| *c == '"' || *c == '\'')?;
    let close = trimmed[1..].find(quote)? + 2;
    let after = &trimmed[close..];
    let spaces = after.len() - after.trim_start().len();
    after
        .trim_start()
        .starts_with(')')
        .then(|| text.len() - after.len() + spaces)
}

/// The length of the code span that `text` starts with: a run of backticks, then the same
/// run again (Markdown's rule), not counting a blank line in between.
fn code_span_len(text: &str) -> Option<usize> {
    let run = text.chars().take_while(|&c| c == '`').count();
    let fence = &text[..run];
    let mut from = run;
    while let Some(i) = text[from..].find(fence) {
        let at = from + i;
        let after = text[at..].chars().take_while(|&c| c == '`').count();
        if text[run..at].contains("\n\n") {
            return None;
        }
        if after == run {
            return Some(at + run);
        }
        from = at + after;
    }
    None
}

/// A link `[label](target)` at the start of `text` whose target is a web page or an e-mail
/// address: those work in rustdoc; anything else (a path of the API's own docs, `not a url`)
/// would be a broken link, so it stays text. Returns the label, the target and the length.
fn web_link(text: &str) -> Option<(&str, &str, usize)> {
    let mut depth = 0usize;
    let mut i = 1;
    let bytes = text.as_bytes();
    let close = loop {
        let c = *bytes.get(i)?;
        match c {
            b'`' => i += code_span_len(&text[i..]).unwrap_or(1),
            b'\\' => i += 2,
            b'[' => {
                depth += 1;
                i += 1;
            }
            b']' if depth == 0 => break i,
            b']' => {
                depth -= 1;
                i += 1;
            }
            _ => i += 1,
        }
    };
    let after = &text[close + 1..];
    let target_text = after.strip_prefix('(')?;
    let mut parens = 0usize;
    let mut end = None;
    for (j, c) in target_text.char_indices() {
        match c {
            '(' => parens += 1,
            ')' if parens == 0 => {
                end = Some(j);
                break;
            }
            ')' => parens -= 1,
            // A title may follow the URL: `[x](https://… "title")`.
            c if c.is_whitespace() => {
                end = Some(j + link_title_len(&target_text[j..])?);
                break;
            }
            _ => {}
        }
    }
    let target = &target_text[..end?];
    let web = target.starts_with("https://")
        || target.starts_with("http://")
        || target.starts_with("mailto:");
    web.then(|| (&text[1..close], target, close + 2 + target.len() + 1))
}

fn escape_prose(text: &str) -> String {
    // `<https://…>` is a Markdown autolink already; escaping its brackets would leave a bare URL.
    let mut out = String::with_capacity(text.len() + 8);
    let mut rest = text;
    while let Some((start, end)) = find_autolink(rest) {
        out.push_str(&escape_plain(&rest[..start]));
        out.push_str(&rest[start..end]);
        rest = &rest[end..];
    }
    out.push_str(&escape_plain(rest));
    out
}

/// The byte range of the first `<http(s)://…>` autolink in `text`.
fn find_autolink(text: &str) -> Option<(usize, usize)> {
    let mut from = 0;
    while let Some(i) = text[from..].find('<') {
        let start = from + i;
        let inner = &text[start + 1..];
        if (inner.starts_with("https://") || inner.starts_with("http://"))
            && let Some(close) = inner.find(|c: char| c == '>' || c == '<' || c.is_whitespace())
            && inner[close..].starts_with('>')
        {
            return Some((start, start + close + 2));
        }
        from = start + 1;
    }
    None
}

fn escape_plain(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            // Links to web pages were taken out before; any bracket left would read as an
            // intra-doc link.
            '[' => out.push_str("\\["),
            ']' => out.push_str("\\]"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            // `*/` must not read as the end of a block comment.
            '*' if chars.peek() == Some(&'/') => {
                chars.next();
                out.push_str("*&#47;");
            }
            c => out.push(c),
        }
    }
    if find_url(&out).is_some() {
        link_urls(&out)
    } else {
        out
    }
}

/// Wraps bare `http(s)://` URLs in `<…>` so rustdoc renders them as links instead of warning.
fn link_urls(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 4);
    let mut rest = text;
    while let Some(start) = find_url(rest) {
        let (before, url_on) = rest.split_at(start);
        out.push_str(before);
        let end = url_on
            .find(|c: char| c.is_whitespace() || c == '"' || c == '\'')
            .unwrap_or(url_on.len());
        let mut url = &url_on[..end];
        // Sentence punctuation after a URL is not part of it.
        while let Some(last) = url.chars().last() {
            // A `)` closes the sentence's parenthesis unless it balances one in the URL.
            let balanced = last == ')' && url.matches('(').count() >= url.matches(')').count();
            if matches!(last, '.' | ',' | ';' | ':' | '!' | '?' | ')') && !balanced {
                url = &url[..url.len() - last.len_utf8()];
            } else {
                break;
            }
        }
        let inside_link = before.ends_with("](");
        if inside_link || url.len() <= "https://".len() {
            out.push_str(url);
        } else {
            out.push('<');
            out.push_str(url);
            out.push('>');
        }
        rest = &url_on[url.len()..];
    }
    out.push_str(rest);
    out
}

fn find_url(text: &str) -> Option<usize> {
    match (text.find("https://"), text.find("http://")) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
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
            // A quote, heading or table right after a list item is a block of its own.
            (
                "* John-7 - allowed.\n> If details don't match",
                "* John-7 - allowed.\n\n&gt; If details don't match",
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
            ("a\r\nb", "a\nb"),
        ];
        for (input, want) in table {
            assert_eq!(sanitize(input), want, "sanitize({input:?})");
        }
    }
}
