//! The last guard against doctests: every fenced block of a doc comment opens as `text`.

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
