//! Doc text: makes spec prose safe to paste into rustdoc.
//!
//! Spec descriptions are Markdown written for a web page. In rustdoc the same text can warn
//! (bare URLs, `[x]` read as a broken intra-doc link, `<placeholder>` read as an HTML tag) or,
//! worse, turn into a doctest (an indented or unlabeled code block) that fails `cargo test`.
//! The generated crate denies warnings, so every description passes through [`sanitize`].

/// Rewrites `text` so rustdoc renders it without warnings and runs none of it as a test.
pub fn sanitize(text: &str) -> String {
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    let mut out = Vec::new();
    let mut in_fence = false;
    for line in dedent(&text).lines() {
        let trimmed = line.trim_start();
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            // Any fence opens a `text` block: spec examples are JSON or shell, not Rust.
            out.push(if in_fence { "```" } else { "```text" }.to_owned());
            in_fence = !in_fence;
            continue;
        }
        if in_fence {
            out.push(line.to_owned());
        } else {
            // Indentation would start a code block (a doctest), so prose lines lose it.
            out.push(escape_line(trimmed));
        }
    }
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

/// Escapes one line of prose, leaving inline code spans as they are.
fn escape_line(line: &str) -> String {
    let mut out = String::with_capacity(line.len() + 8);
    for (i, part) in line.split('`').enumerate() {
        if i > 0 {
            out.push('`');
        }
        if i % 2 == 1 {
            out.push_str(part);
        } else {
            out.push_str(&escape_prose(part));
        }
    }
    out
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
    let text = escape_brackets(text);
    let text = text.replace('<', "&lt;").replace('>', "&gt;");
    let text = text.replace("*/", "*&#47;");
    link_urls(&text)
}

/// Escapes `[` and `]` unless they form a Markdown link `[text](target)`.
fn escape_brackets(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut keep = vec![false; chars.len()];
    let mut i = 0;
    while i < chars.len() {
        if chars[i] == '['
            && let Some(close) = chars[i..].iter().position(|&c| c == ']').map(|p| p + i)
            && chars.get(close + 1) == Some(&'(')
            && chars[close..].contains(&')')
        {
            keep[i] = true;
            keep[close] = true;
            i = close + 1;
            continue;
        }
        i += 1;
    }
    let mut out = String::with_capacity(text.len());
    for (c, keep) in chars.into_iter().zip(keep) {
        if (c == '[' || c == ']') && !keep {
            out.push('\\');
        }
        out.push(c);
    }
    out
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
    use super::sanitize;

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
