//! HTML in descriptions, rewritten as the Markdown it means.
//!
//! Many documents (PayPal's among them) write descriptions in HTML: `<p>`, `<a href>`,
//! `<strong>`, `<ul><li>`, `<table>`, `<br>`. rustdoc would show most of it escaped, so each
//! tag it knows is turned into Markdown: emphasis, code spans, links, lists, quotes, tables,
//! line breaks. Tags it doesn't know (`<placeholder>`, `<customer-id>`) are written back as
//! text, which the escaping after this shows literally.
//!
//! Where HTML sits is decided by CommonMark (pulldown-cmark's inline and block HTML events),
//! so a tag inside a code span or a code block is code, not HTML, and Markdown around the tags
//! is kept as written. Only the HTML pieces are read by `html5gum`, a WHATWG tokenizer (entities,
//! unquoted attributes, self-closing tags, tag soup).

mod render;

use std::ops::Range;

use html5gum::{Token, Tokenizer};
use pulldown_cmark::{Event, Parser};

/// Tags turned into Markdown; any other tag is text.
const KNOWN: &[&str] = &[
    "a",
    "abbr",
    "b",
    "blockquote",
    "br",
    "caption",
    "cite",
    "code",
    "dd",
    "div",
    "dl",
    "dt",
    "em",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "i",
    "img",
    "kbd",
    "li",
    "mark",
    "ol",
    "p",
    "pre",
    "s",
    "samp",
    "section",
    "small",
    "span",
    "strike",
    "strong",
    "sub",
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

/// Inline tags that, never closed, were text: `a <b> c`, `the <code> field`.
const TEXT_IF_UNCLOSED: &[&str] = &[
    "a", "b", "code", "em", "i", "kbd", "s", "samp", "strong", "tt", "u", "var",
];

/// How deep elements may nest; deeper tags are shown as text.
const MAX_DEPTH: usize = 32;

/// Tags that hold no content.
const VOID: &[&str] = &["br", "hr", "img"];

/// Tags that are blocks: they stand apart from the text around them.
const BLOCK: &[&str] = &[
    "blockquote",
    "div",
    "dl",
    "dd",
    "dt",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "li",
    "ol",
    "p",
    "pre",
    "section",
    "table",
    "ul",
];

/// `text` with its HTML rewritten as Markdown; text without any known tag comes back as it is.
pub fn to_markdown(original: &str) -> std::borrow::Cow<'_, str> {
    let unescaped = unescape_quotes(original);
    let text = unescaped.as_deref().unwrap_or(original);
    let pieces = html_pieces(text);
    if !pieces.iter().any(|r| holds_known_tag(&text[r.clone()])) {
        return original.into();
    }
    let mut tree = Tree::default();
    let mut copied = 0;
    for range in pieces {
        if range.start > copied {
            tree.text(&text[copied..range.start], true);
        }
        // A block's line ending is Markdown's (a blank line after it ends a paragraph), not
        // HTML's whitespace, which collapses.
        let piece = &text[range.clone()];
        let body = piece.trim_end_matches('\n');
        tree.html(body);
        if body.len() < piece.len() {
            tree.text(&piece[body.len()..], true);
        }
        copied = range.end;
    }
    tree.text(&text[copied..], true);
    let root = tree.finish();
    let mut out = render::render_blocks(&root, false).join("\n\n");
    let trimmed = out.trim_end().len();
    out.truncate(trimmed);
    out.into()
}

/// `text` with the quotes of known tags' attributes unescaped, where an author escaped them
/// twice (`<a href=\"/x\">`, which is no tag to CommonMark); `None` if there are none.
fn unescape_quotes(text: &str) -> Option<String> {
    if !text.contains("=\\\"") {
        return None;
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('<') {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        let Some(end) = rest.find('>').map(|e| e + 1) else {
            break;
        };
        let tag = &rest[..end];
        let name: String = tag[1..]
            .chars()
            .take_while(char::is_ascii_alphanumeric)
            .collect();
        if KNOWN.contains(&name.to_ascii_lowercase().as_str()) && !tag[1..].contains('<') {
            out.push_str(&tag.replace("\\\"", "\""));
        } else {
            out.push('<');
            rest = &rest[1..];
            continue;
        }
        rest = &rest[end..];
    }
    out.push_str(rest);
    Some(out)
}

/// The byte ranges CommonMark reads as HTML (inline tags, and HTML blocks line by line),
/// adjacent ones merged.
fn html_pieces(text: &str) -> Vec<Range<usize>> {
    let mut pieces: Vec<Range<usize>> = Vec::new();
    for (event, range) in Parser::new(text).into_offset_iter() {
        if !matches!(event, Event::Html(_) | Event::InlineHtml(_)) {
            continue;
        }
        match pieces.last_mut() {
            Some(last) if last.end == range.start => last.end = range.end,
            _ => pieces.push(range),
        }
    }
    pieces
}

/// Whether `html` opens or closes a tag of [`KNOWN`].
fn holds_known_tag(html: &str) -> bool {
    let lower = html.to_ascii_lowercase();
    lower.match_indices('<').any(|(at, _)| {
        let rest = lower[at + 1..].trim_start_matches('/');
        let name: String = rest
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect();
        KNOWN.contains(&name.as_str())
    })
}

/// A node of the description read as HTML.
#[derive(Debug)]
enum Node {
    /// Text: Markdown written around the tags (`markdown`, kept as written), or text inside
    /// HTML (whose whitespace collapses).
    Text {
        text: String,
        markdown: bool,
    },
    Element(Element),
}

#[derive(Debug, Default)]
struct Element {
    name: String,
    /// The attributes this conversion reads: `href`, `src`, `alt`, `start`.
    attrs: Vec<(String, String)>,
    /// The start tag as written, shown as text if the element is never closed.
    written: String,
    children: Vec<Node>,
}

impl Element {
    fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// Builds the tree as tokens come; end tags close the nearest open element of their name
/// (and any left open inside it), as browsers forgive tag soup.
#[derive(Default)]
struct Tree {
    /// The open elements, the root first.
    open: Vec<Element>,
}

impl Tree {
    fn current(&mut self) -> &mut Element {
        if self.open.is_empty() {
            self.open.push(Element::default());
        }
        let last = self.open.len() - 1;
        &mut self.open[last]
    }

    fn text(&mut self, text: &str, markdown: bool) {
        if text.is_empty() {
            return;
        }
        let children = &mut self.current().children;
        if let Some(Node::Text {
            text: last,
            markdown: m,
        }) = children.last_mut()
            && *m == markdown
        {
            last.push_str(text);
            return;
        }
        children.push(Node::Text {
            text: text.to_owned(),
            markdown,
        });
    }

    fn html(&mut self, html: &str) {
        for token in Tokenizer::new(html).flatten() {
            match token {
                Token::StartTag(tag) => {
                    let name = String::from_utf8_lossy(&tag.name).to_ascii_lowercase();
                    // Past a sane depth a tag is text: the tree is walked by recursion.
                    if !KNOWN.contains(&name.as_str()) || self.open.len() > MAX_DEPTH {
                        self.text(&written_tag(&name, &tag.attributes), false);
                        continue;
                    }
                    // A new item or row closes the one before (`<li>a<li>b`).
                    if matches!(name.as_str(), "li" | "tr" | "td" | "th" | "p" | "dt" | "dd") {
                        self.close_sibling(&name);
                    }
                    let attrs = tag
                        .attributes
                        .iter()
                        .map(|(k, v)| {
                            (
                                String::from_utf8_lossy(k).to_ascii_lowercase(),
                                String::from_utf8_lossy(v).into_owned(),
                            )
                        })
                        .collect();
                    let element = Element {
                        written: written_tag(&name, &tag.attributes),
                        name,
                        attrs,
                        children: Vec::new(),
                    };
                    if VOID.contains(&element.name.as_str()) || tag.self_closing {
                        self.current().children.push(Node::Element(element));
                    } else {
                        self.current();
                        self.open.push(element);
                    }
                }
                Token::EndTag(tag) => {
                    let name = String::from_utf8_lossy(&tag.name).to_ascii_lowercase();
                    if !KNOWN.contains(&name.as_str()) {
                        self.text(&format!("</{name}>"), false);
                    } else if name == "br" {
                        // `</br>` is read as `<br>` by browsers.
                        self.current().children.push(Node::Element(Element {
                            name,
                            ..Element::default()
                        }));
                    } else {
                        self.close(&name);
                    }
                }
                Token::String(s) => self.text(&String::from_utf8_lossy(&s), false),
                Token::Comment(_) | Token::Doctype(_) | Token::Error(_) => {}
            }
        }
    }

    /// Closes an open `name` (or its sibling kind: `td` for `th`) if no container of it
    /// stands between: `<li>a<li>b` is two items, `<ul><li><ul><li>` a nested one.
    fn close_sibling(&mut self, name: &str) {
        let siblings: &[&str] = match name {
            "td" | "th" => &["td", "th"],
            "dt" | "dd" => &["dt", "dd"],
            "li" => &["li"],
            "tr" => &["tr"],
            _ => &["p"],
        };
        let stop: &[&str] = match name {
            "li" => &["ul", "ol"],
            "tr" | "td" | "th" => &["table", "tr", "thead", "tbody", "tfoot"],
            "dt" | "dd" => &["dl"],
            _ => BLOCK,
        };
        for i in (1..self.open.len()).rev() {
            let open = self.open[i].name.clone();
            if siblings.contains(&open.as_str()) {
                self.close(&open);
                return;
            }
            if stop.contains(&open.as_str()) {
                return;
            }
        }
    }

    /// Closes the nearest open `name`. An inline end tag that closes nothing was text (`</b>`
    /// in prose), and is kept as such; a stray block end tag (`</p>`) is dropped, as browsers do.
    fn close(&mut self, name: &str) {
        let Some(at) = self
            .open
            .iter()
            .rposition(|e| e.name == name)
            .filter(|&at| at > 0)
        else {
            if TEXT_IF_UNCLOSED.contains(&name) {
                self.text(&format!("</{name}>"), false);
            }
            return;
        };
        while self.open.len() > at {
            let element = self.open.pop().unwrap_or_default();
            self.current().children.push(Node::Element(element));
        }
    }

    /// The root. An inline element still open at the end was text that looked like a tag
    /// (`a <b> c`), not HTML: it is shown as written. Blocks (`<p>`, `<li>`) close themselves.
    fn finish(mut self) -> Element {
        while self.open.len() > 1 {
            let element = self.open.pop().unwrap_or_default();
            if BLOCK.contains(&element.name.as_str())
                || !TEXT_IF_UNCLOSED.contains(&element.name.as_str())
            {
                self.current().children.push(Node::Element(element));
            } else {
                self.text(&element.written, false);
                self.current().children.extend(element.children);
            }
        }
        self.open.pop().unwrap_or_default()
    }
}

/// An unknown tag as it was written (its attributes re-quoted), shown as text.
fn written_tag(
    name: &str,
    attrs: &std::collections::BTreeMap<
        html5gum::HtmlString,
        html5gum::Spanned<html5gum::HtmlString, ()>,
    >,
) -> String {
    let mut out = format!("<{name}");
    for (k, v) in attrs {
        out.push(' ');
        out.push_str(&String::from_utf8_lossy(k));
        if !v.is_empty() {
            out.push_str(&format!("=\"{}\"", String::from_utf8_lossy(v)));
        }
    }
    out.push('>');
    out
}

#[cfg(test)]
mod tests {
    use super::to_markdown;

    #[test]
    fn html_becomes_markdown() {
        for (html, markdown) in [
            ("no tags, *Markdown* stays", "no tags, *Markdown* stays"),
            ("<p>The <strong>order</strong> ID.</p>", "The **order** ID."),
            (
                "See <a href=\"https://x.io/a b\">the <code>guide</code></a>.",
                "See [the `guide`](https://x.io/a%20b).",
            ),
            ("A <a href=\"/docs\">relative</a> link.", "A relative link."),
            ("line<br>next<br/><br/>para", "line\\\nnext\n\npara"),
            (
                "<ul><li>one</li><li>two<ul><li>nested</li></ul></li></ul>",
                "- one\n- two\n  - nested",
            ),
            (
                "<ol start=\"3\"><li><p>a</p><p>b</p></li><li>c</li></ol>",
                "3. a\n\n   b\n\n4. c",
            ),
            (
                "<blockquote><strong>Note:</strong> Read <i>this</i>.</blockquote>",
                "> **Note:** Read *this*.",
            ),
            (
                "<table><tr><th>Name</th><th>Use</th></tr><tr><td>a|b</td><td>x<br>y</td></tr></table>",
                "| Name | Use |\n| --- | --- |\n| a\\|b | x y |",
            ),
            (
                "<pre>{\n  \"a\": 1\n}</pre>",
                "```text\n{\n  \"a\": 1\n}\n```",
            ),
            // Tags in code are code.
            ("`<b>` and <b>bold</b>", "`<b>` and **bold**"),
            // Unknown tags and unclosed inline tags are text, left for the escaping.
            (
                "Replace <id> with <b>yours</b>",
                "Replace <id> with **yours**",
            ),
            ("a <b> c <p>x</p>", "a <b> c\n\nx"),
            ("<b><i>both</i></b>", "***both***"),
            ("1 &lt; 2 <em> spaced </em>.", "1 &lt; 2 *spaced* ."),
            (
                "<p>Markdown\nafter</p>\n\n- item",
                "Markdown after\n\n- item",
            ),
            // Quotes escaped twice in a tag are read as quotes; outside tags they stay.
            (
                r#"see <a href=\"https://x.io\">this</a>, \"quoted\""#,
                r#"see [this](https://x.io), \"quoted\""#,
            ),
        ] {
            assert_eq!(to_markdown(html), markdown, "{html:?}");
        }
    }
}
