//! Doc comments wrapped at 100 columns, as rustfmt's `comment_width = 100` would.
//!
//! The width counts the whole line (indentation and `/// ` included), so wrapping happens
//! when the code is printed and each comment's indentation is known ([`doc_comments`]).
//! Only paragraph text is reflowed: code blocks, tables, headings, link reference definitions
//! and a word longer than the line (a long URL) are left as they are. A list item's lines
//! continue under its text, a quote's keep their `>`.
//!
//! Reflowing must not change what rustdoc shows, so no line may start with what would begin
//! a block (`-`, `1.`, `#`, `>`, `|`, a fence): such a word stays on the line before. Then
//! the comment is parsed again, and if CommonMark reads any other structure or text than
//! before, the comment is kept as it was written.

use pulldown_cmark::{Event, Options, Parser};

/// The widest a doc comment line may be.
pub const WIDTH: usize = 100;

/// `code` (printed Rust) with every run of doc comment lines (`///` or `//!` at one
/// indentation) wrapped to [`WIDTH`] columns.
pub fn doc_comments(code: &str) -> String {
    let lines: Vec<&str> = code.split_inclusive('\n').collect();
    let mut out = String::with_capacity(code.len() + code.len() / 32);
    let mut i = 0;
    while i < lines.len() {
        let Some((indent, marker)) = comment_start(lines[i]) else {
            out.push_str(lines[i]);
            i += 1;
            continue;
        };
        let lead = format!("{indent}{marker}");
        let mut text = Vec::new();
        let mut ends_with_newline = false;
        while let Some(line) = lines.get(i) {
            let body = line.strip_suffix('\n').unwrap_or(line);
            let Some(rest) = body.strip_prefix(lead.as_str()) else {
                break;
            };
            if rest.starts_with('/') || rest.starts_with('!') {
                break;
            }
            text.push(rest.strip_prefix(' ').unwrap_or(rest));
            ends_with_newline = line.ends_with('\n');
            i += 1;
        }
        let width = WIDTH.saturating_sub(lead.chars().count() + 1).max(20);
        let wrapped = markdown(&text.join("\n"), width);
        let mut lines_out = wrapped.split('\n').peekable();
        while let Some(line) = lines_out.next() {
            out.push_str(&lead);
            if !line.is_empty() {
                out.push(' ');
                out.push_str(line);
            }
            if lines_out.peek().is_some() || ends_with_newline {
                out.push('\n');
            }
        }
    }
    out
}

/// The indentation and marker (`///`, `//!`) of a doc comment line.
fn comment_start(line: &str) -> Option<(&str, &'static str)> {
    let trimmed = line.trim_start();
    let indent = &line[..line.len() - trimmed.len()];
    let marker = if trimmed.starts_with("///") && !trimmed.starts_with("////") {
        "///"
    } else if trimmed.starts_with("//!") {
        "//!"
    } else {
        return None;
    };
    Some((indent, marker))
}

/// Markdown `text` with its paragraphs wrapped at `width` columns, or `text` itself where
/// wrapping would change how it reads.
pub fn markdown(text: &str, width: usize) -> String {
    if text.lines().all(|l| l.chars().count() <= width) {
        return text.to_owned();
    }
    let wrapped = reflow(text, width);
    if wrapped != text && reading(&wrapped) != reading(text) {
        return text.to_owned();
    }
    wrapped
}

/// A line split into its container part (indentation, quote markers, a list marker) and text.
struct Line<'a> {
    /// What the line starts with, as written.
    lead: &'a str,
    /// What a continuation line of the same paragraph starts with.
    continued: String,
    /// Whether the lead holds a list marker (the line starts an item).
    item: bool,
    text: &'a str,
}

fn split_line(line: &str) -> Line<'_> {
    let bytes = line.as_bytes();
    let mut at = 0;
    let mut continued = String::new();
    loop {
        let spaces = bytes[at..].iter().take_while(|&&b| b == b' ').count();
        if bytes.get(at + spaces) == Some(&b'>') {
            continued.push_str(&line[at..at + spaces + 1]);
            at += spaces + 1;
            if bytes.get(at) == Some(&b' ') {
                continued.push(' ');
                at += 1;
            }
            continue;
        }
        continued.push_str(&line[at..at + spaces]);
        at += spaces;
        break;
    }
    let rest = &line[at..];
    if let Some(width) = marker_width(rest) {
        continued.push_str(&" ".repeat(width));
        return Line {
            lead: &line[..at + width],
            continued,
            item: true,
            text: &rest[width..],
        };
    }
    Line {
        lead: &line[..at],
        continued,
        item: false,
        text: rest,
    }
}

/// The width of a list marker and the space after it at the start of `text`.
fn marker_width(text: &str) -> Option<usize> {
    let digits = text.chars().take_while(char::is_ascii_digit).count();
    let marker = match text[digits..].chars().next()? {
        '-' | '*' | '+' if digits == 0 => 1,
        '.' | ')' if (1..=9).contains(&digits) => digits + 1,
        _ => return None,
    };
    let spaces = text[marker..].chars().take_while(|&c| c == ' ').count();
    (1..=4).contains(&spaces).then_some(marker + spaces)
}

/// Whether a line's text may be reflowed: it is paragraph text, not a block of another kind.
fn is_prose(text: &str) -> bool {
    let t = text.trim_start();
    !(t.is_empty()
        || t.starts_with(['#', '|', '<'])
        || t.starts_with("```")
        || t.starts_with("~~~")
        || (t.starts_with('[') && t.contains("]:"))
        || t.chars().all(|c| matches!(c, '-' | '=' | '*' | '_' | ' ')))
}

/// Whether `word` may begin a line inside a paragraph without beginning a block.
fn may_start_line(word: &str) -> bool {
    let digits = word.chars().take_while(char::is_ascii_digit).count();
    let numbered = digits > 0 && matches!(&word[digits..], "." | ")");
    !(numbered
        || matches!(word, "-" | "+" | "*")
        || word.starts_with(['#', '>', '|', '='])
        || word.starts_with('<') && !word.starts_with("<http")
        || word.starts_with("```")
        || word.starts_with("~~~")
        || word.chars().all(|c| matches!(c, '-' | '_' | '*')))
}

/// The paragraphs of `text` refilled; every other line as it was.
fn reflow(text: &str, width: usize) -> String {
    let lines: Vec<&str> = text.split('\n').collect();
    let mut out: Vec<String> = Vec::with_capacity(lines.len());
    let mut fence: Option<(String, char, usize)> = None;
    let mut i = 0;
    while i < lines.len() {
        let line = split_line(lines[i]);
        let trimmed = line.text.trim_start();
        // A fenced block is copied up to the fence that closes it.
        if let Some((lead, c, n)) = &fence {
            let closes = lines[i].starts_with(lead.as_str())
                && trimmed.chars().take_while(|x| x == c).count() >= *n
                && trimmed.trim_start_matches(*c).trim().is_empty();
            if closes {
                fence = None;
            }
            out.push(lines[i].to_owned());
            i += 1;
            continue;
        }
        if let Some(c) = ['`', '~']
            .into_iter()
            .find(|&c| trimmed.starts_with(&c.to_string().repeat(3)))
        {
            let n = trimmed.chars().take_while(|&x| x == c).count();
            fence = Some((line.continued.clone(), c, n));
            out.push(lines[i].to_owned());
            i += 1;
            continue;
        }
        if !is_prose(line.text) {
            out.push(lines[i].to_owned());
            i += 1;
            continue;
        }
        // The paragraph: this line and those after it with the same container and prose text.
        let mut words: Vec<String> = Vec::new();
        let mut breaks = Vec::new();
        let first_lead = line.lead.to_owned();
        let continued = line.continued.clone();
        push_words(&mut words, line.text);
        let mut hard = hard_break(lines[i]);
        i += 1;
        while let Some(next) = lines.get(i) {
            let next_line = split_line(next);
            if next_line.item || next_line.lead != continued || !is_prose(next_line.text) {
                break;
            }
            if let Some(end) = hard.take() {
                breaks.push((words.len(), end));
            }
            push_words(&mut words, next_line.text);
            hard = hard_break(next);
            i += 1;
        }
        let tail = hard.unwrap_or_default();
        fill(
            &words,
            &breaks,
            &first_lead,
            &continued,
            width,
            &tail,
            &mut out,
        );
    }
    out.join("\n")
}

/// What ends a line that breaks hard (`\` is kept as a word; two spaces are kept here).
fn hard_break(line: &str) -> Option<String> {
    if line.ends_with('\\') {
        Some(String::new())
    } else if line.ends_with("  ") && !line.trim().is_empty() {
        Some("  ".to_owned())
    } else {
        None
    }
}

/// Appends a line's words, each glued to the one before where it may not start a line.
fn push_words(words: &mut Vec<String>, text: &str) {
    for word in text.split_whitespace() {
        match words.last_mut() {
            Some(last) if !may_start_line(word) => {
                last.push(' ');
                last.push_str(word);
            }
            _ => words.push(word.to_owned()),
        }
    }
}

/// Lays `words` out in lines at most `width` wide (a word longer than that alone on its line),
/// breaking where the source broke hard (`breaks`: the index of the word after the break).
fn fill(
    words: &[String],
    breaks: &[(usize, String)],
    first_lead: &str,
    continued: &str,
    width: usize,
    tail: &str,
    out: &mut Vec<String>,
) {
    let mut line = first_lead.to_owned();
    let mut empty = true;
    // `breaks` is in word order: the next one is all that needs looking at.
    let mut next_break = breaks.iter().peekable();
    for (index, word) in words.iter().enumerate() {
        if let Some((_, end)) = next_break.next_if(|(at, _)| *at == index)
            && !empty
        {
            line.push_str(end);
            out.push(std::mem::replace(&mut line, continued.to_owned()));
            empty = true;
        }
        let fits = line.chars().count() + 1 + word.chars().count() <= width;
        if !empty && !fits {
            out.push(std::mem::replace(&mut line, continued.to_owned()));
            empty = true;
        }
        if !empty {
            line.push(' ');
        }
        line.push_str(word);
        empty = false;
    }
    line.push_str(tail);
    out.push(line);
}

/// What CommonMark reads in `text` (with rustdoc's extensions), with line breaks inside a
/// paragraph and runs of spaces counted as one space: two texts that read the same render
/// the same.
fn reading(text: &str) -> Vec<String> {
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_SMART_PUNCTUATION;
    let mut read = Vec::new();
    let mut words = String::new();
    let collapse = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
    for event in Parser::new_ext(text, options) {
        match event {
            Event::Text(t) => {
                words.push_str(&t);
            }
            Event::SoftBreak => words.push(' '),
            other => {
                if !words.trim().is_empty() {
                    read.push(collapse(&words));
                }
                words.clear();
                read.push(match other {
                    Event::Code(c) => format!("code {}", collapse(&c)),
                    Event::InlineHtml(h) | Event::Html(h) => format!("html {}", collapse(&h)),
                    other => format!("{other:?}"),
                });
            }
        }
    }
    if !words.trim().is_empty() {
        read.push(collapse(&words));
    }
    read
}

#[cfg(test)]
mod tests {
    use super::{doc_comments, markdown};

    #[test]
    fn paragraphs_fill_the_width() {
        let text = "one two three four five six seven eight nine ten";
        assert_eq!(
            markdown(text, 20),
            "one two three four\nfive six seven eight\nnine ten"
        );
        assert_eq!(markdown("short\nlines stay", 20), "short\nlines stay");
    }

    #[test]
    fn structure_is_kept() {
        for (text, wrapped) in [
            // A list item continues under its text, a quote keeps its marker.
            (
                "- item with words that go on and on\n- b",
                "- item with words\n  that go on and on\n- b",
            ),
            (
                "> quoted words that go on and on",
                "> quoted words that\n> go on and on",
            ),
            // A word that would start a block stays on the line before.
            (
                "costs a lot of money - 5 or more",
                "costs a lot of\nmoney - 5 or more",
            ),
            ("pick one of them # 1 ok", "pick one of them # 1\nok"),
            // Code, tables, headings and long words are never broken.
            (
                "```text\na very long line of code here\n```",
                "```text\na very long line of code here\n```",
            ),
            (
                "| a long cell | another cell |",
                "| a long cell | another cell |",
            ),
            (
                "# a heading that is too long",
                "# a heading that is too long",
            ),
            (
                "see <https://example.com/a/very/long/url>",
                "see\n<https://example.com/a/very/long/url>",
            ),
            // A hard break stays where it was.
            (
                "first line\\\nsecond line that is long",
                "first line\\\nsecond line that is\nlong",
            ),
        ] {
            assert_eq!(markdown(text, 20), wrapped, "{text:?}");
        }
    }

    #[test]
    fn the_whole_line_counts() {
        let words = "word ".repeat(30);
        let code = format!("    /// {}\n    fn f() {{}}\n", words.trim());
        let wrapped = doc_comments(&code);
        for line in wrapped.lines() {
            assert!(line.len() <= 100, "{line:?}");
        }
        assert!(
            wrapped
                .lines()
                .nth(1)
                .is_some_and(|l| l.starts_with("    /// word"))
        );
        assert!(wrapped.ends_with("    fn f() {}\n"));
    }
}
