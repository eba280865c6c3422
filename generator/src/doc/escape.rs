//! Escaping of prose: what would still be read as HTML (a stray `<`), as an intra-doc link
//! (`[x]`) or as the end of a block comment (`*/`) is escaped; code spans, links to web pages
//! and autolinks are kept, and bare URLs become autolinks (rustdoc's `bare_urls`).

/// Escapes prose, leaving inline code spans as they are and keeping Markdown links to web
/// pages working, also when their text holds code spans or they run over a line break.
pub(super) fn escape_block(text: &str) -> String {
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
