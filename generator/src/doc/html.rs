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
pub fn to_markdown(text: &str) -> std::borrow::Cow<'_, str> {
    let pieces = html_pieces(text);
    if !pieces.iter().any(|r| holds_known_tag(&text[r.clone()])) {
        return text.into();
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
    let mut out = render_blocks(&root, false).join("\n\n");
    let trimmed = out.trim_end().len();
    out.truncate(trimmed);
    out.into()
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
                    if !KNOWN.contains(&name.as_str()) {
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

fn is_block(node: &Node) -> bool {
    matches!(node, Node::Element(e) if BLOCK.contains(&e.name.as_str()) || is_table(e))
}

fn is_table(e: &Element) -> bool {
    e.name == "table"
}

/// The blocks of `element`'s children, each as Markdown text; runs of inline content become
/// paragraphs. `in_html` says text is inside an HTML block, where line breaks are spaces.
fn render_blocks(element: &Element, in_html: bool) -> Vec<String> {
    let mut blocks = Vec::new();
    let mut inline: Vec<&Node> = Vec::new();
    let flush = |inline: &mut Vec<&Node>, blocks: &mut Vec<String>| {
        let text = render_inline(inline, in_html);
        for paragraph in text.split("\n\n") {
            let paragraph = trim_breaks(paragraph);
            if !paragraph.trim().is_empty() {
                blocks.push(paragraph.to_owned());
            }
        }
        inline.clear();
    };
    for child in &element.children {
        if is_block(child) {
            flush(&mut inline, &mut blocks);
            if let Node::Element(e) = child {
                blocks.extend(render_block(e));
            }
        } else {
            inline.push(child);
        }
    }
    flush(&mut inline, &mut blocks);
    blocks
}

/// A paragraph without the line breaks or spaces that would dangle at its ends (a hard break
/// must be followed by text).
fn trim_breaks(paragraph: &str) -> &str {
    let mut p = paragraph.trim_matches(|c: char| c == ' ' || c == '\t');
    loop {
        let before = p.len();
        p = p.trim_end_matches(['\n', ' ']).trim_end_matches('\\');
        p = p.trim_start_matches(['\n', ' ']);
        if p.len() == before {
            return p;
        }
    }
}

fn render_block(e: &Element) -> Vec<String> {
    match e.name.as_str() {
        "ul" | "ol" => vec![render_list(e)],
        "blockquote" => {
            let inner = render_blocks(e, true).join("\n\n");
            if inner.is_empty() {
                return Vec::new();
            }
            vec![
                inner
                    .lines()
                    .map(|l| {
                        if l.is_empty() {
                            ">".to_owned()
                        } else {
                            format!("> {l}")
                        }
                    })
                    .collect::<Vec<_>>()
                    .join("\n"),
            ]
        }
        "pre" => {
            let code = raw_text(e);
            let code = code.trim_matches('\n');
            if code.trim().is_empty() {
                return Vec::new();
            }
            let longest = longest_run(code, '`');
            let fence = "`".repeat(longest.max(2) + 1);
            vec![format!("{fence}text\n{code}\n{fence}")]
        }
        "table" => render_table(e).into_iter().collect(),
        "hr" => vec!["---".to_owned()],
        name @ ("h1" | "h2" | "h3" | "h4" | "h5" | "h6") => {
            let level = usize::from(name.as_bytes()[1] - b'0');
            let text = one_line(&render_inline(&e.children.iter().collect::<Vec<_>>(), true));
            if text.is_empty() {
                return Vec::new();
            }
            vec![format!("{} {text}", "#".repeat(level))]
        }
        "dt" => {
            let text = one_line(&render_inline(&e.children.iter().collect::<Vec<_>>(), true));
            if text.is_empty() {
                return Vec::new();
            }
            vec![emphasised("**", &text)]
        }
        // `p`, `div`, `section`, `dl`, `dd`, a stray `li` or table part: their content.
        _ => render_blocks(e, true),
    }
}

/// A list, one item a line where the items are single paragraphs; an item's further blocks
/// are indented under its text.
fn render_list(list: &Element) -> String {
    let ordered = list.name == "ol";
    let mut number: u64 = list
        .attr("start")
        .and_then(|s| s.trim().parse().ok())
        .unwrap_or(1)
        .min(999_999_999);
    let mut items = Vec::new();
    let mut loose = false;
    for child in &list.children {
        let blocks = match child {
            Node::Element(e) if e.name == "li" => render_blocks(e, true),
            Node::Text { text, .. } if text.trim().is_empty() => continue,
            Node::Element(e) if e.name == "ul" || e.name == "ol" => {
                // A list put directly in a list belongs to the item before it.
                if let Some(last) = items.last_mut() {
                    let last: &mut String = last;
                    let indent = marker_width(last);
                    last.push('\n');
                    last.push_str(&indented(&render_list(e), indent));
                }
                continue;
            }
            other => render_blocks(
                &Element {
                    children: vec![clone_node(other)],
                    ..Element::default()
                },
                true,
            ),
        };
        let marker = if ordered {
            let m = format!("{number}. ");
            number += 1;
            m
        } else {
            "- ".to_owned()
        };
        let mut item = marker.clone();
        let mut previous_is_list = false;
        for (i, block) in blocks.iter().enumerate() {
            let is_list = starts_list(block);
            let text = indented(block, marker.len());
            if i == 0 {
                item.push_str(&text[marker.len()..]);
            } else {
                // A nested list follows its item's text on the next line; other blocks are
                // paragraphs of the item, which make the list loose.
                item.push_str(if is_list && !previous_is_list {
                    "\n"
                } else {
                    "\n\n"
                });
                loose |= !is_list;
                item.push_str(&text);
            }
            previous_is_list = is_list;
        }
        items.push(item.trim_end().to_owned());
    }
    let separator = if loose { "\n\n" } else { "\n" };
    items.join(separator)
}

fn clone_node(node: &Node) -> Node {
    match node {
        Node::Text { text, markdown } => Node::Text {
            text: text.clone(),
            markdown: *markdown,
        },
        Node::Element(e) => Node::Element(Element {
            written: e.written.clone(),
            name: e.name.clone(),
            attrs: e.attrs.clone(),
            children: e.children.iter().map(clone_node).collect(),
        }),
    }
}

fn starts_list(block: &str) -> bool {
    block.starts_with("- ") || {
        let digits = block.chars().take_while(char::is_ascii_digit).count();
        digits > 0 && block[digits..].starts_with(". ")
    }
}

fn marker_width(item: &str) -> usize {
    let digits = item.chars().take_while(char::is_ascii_digit).count();
    if digits > 0 { digits + 2 } else { 2 }
}

/// Every line but blank ones indented by `by` spaces.
fn indented(text: &str, by: usize) -> String {
    text.lines()
        .map(|l| {
            if l.trim().is_empty() {
                String::new()
            } else {
                format!("{}{l}", " ".repeat(by))
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// A GitHub-flavoured table: the first row is the header, every cell one line.
fn render_table(table: &Element) -> Option<String> {
    let mut rows: Vec<Vec<String>> = Vec::new();
    collect_rows(table, &mut rows);
    let columns = rows.iter().map(Vec::len).max().unwrap_or(0);
    if columns == 0 {
        return None;
    }
    let line = |cells: &[String]| {
        let mut out = String::from("|");
        for i in 0..columns {
            let cell = cells.get(i).map_or("", String::as_str);
            out.push(' ');
            out.push_str(cell);
            out.push_str(" |");
        }
        out
    };
    let mut out = vec![line(&rows[0]), line(&vec!["---".to_owned(); columns])];
    out.extend(rows[1..].iter().map(|r| line(r)));
    let caption = table.children.iter().find_map(|c| match c {
        Node::Element(e) if e.name == "caption" => Some(one_line(&render_inline(
            &e.children.iter().collect::<Vec<_>>(),
            true,
        ))),
        _ => None,
    });
    let table = out.join("\n");
    Some(match caption {
        Some(c) if !c.is_empty() => format!("{}\n\n{table}", emphasised("**", &c)),
        _ => table,
    })
}

fn collect_rows(e: &Element, rows: &mut Vec<Vec<String>>) {
    for child in &e.children {
        let Node::Element(c) = child else { continue };
        match c.name.as_str() {
            "tr" => {
                let cells = c
                    .children
                    .iter()
                    .filter_map(|cell| match cell {
                        Node::Element(cell) if cell.name == "td" || cell.name == "th" => {
                            Some(table_cell(cell))
                        }
                        _ => None,
                    })
                    .collect::<Vec<_>>();
                if !cells.is_empty() {
                    rows.push(cells);
                }
            }
            "thead" | "tbody" | "tfoot" => collect_rows(c, rows),
            _ => {}
        }
    }
}

/// A cell's content on one line: its paragraphs and items joined, `|` escaped.
fn table_cell(cell: &Element) -> String {
    let blocks = render_blocks(cell, true);
    let text = blocks
        .iter()
        .map(|b| one_line(&b.replace("\\\n", " ")))
        .collect::<Vec<_>>()
        .join(" ");
    text.replace('|', "\\|")
}

/// Text on one line, its whitespace runs made single spaces.
fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Inline content as Markdown. Text inside HTML has its whitespace collapsed; Markdown text is
/// kept as written.
fn render_inline(nodes: &[&Node], in_html: bool) -> String {
    let mut out = String::new();
    let mut breaks = 0;
    for node in nodes {
        match node {
            Node::Text { text, markdown } => {
                if *markdown && !in_html {
                    out.push_str(text);
                } else {
                    push_collapsed(&mut out, text);
                }
            }
            Node::Element(e) if e.name == "br" => {
                breaks += 1;
                // Two breaks in a row end a paragraph; one is a hard line break.
                let trimmed = out.trim_end_matches([' ', '\\', '\n']).len();
                out.truncate(trimmed);
                out.push_str(if breaks >= 2 { "\n\n" } else { "\\\n" });
                continue;
            }
            Node::Element(e) => {
                let text = inline_element(e, in_html);
                // The space moved out of emphasis may meet one before it.
                let text = if out.is_empty() || out.ends_with([' ', '\n']) {
                    text.trim_start_matches(' ')
                } else {
                    &text
                };
                out.push_str(text);
            }
        }
        breaks = 0;
    }
    out
}

/// Appends HTML text with its whitespace collapsed to single spaces (none at a line's start).
fn push_collapsed(out: &mut String, text: &str) {
    let mut space = false;
    for c in text.chars() {
        if c.is_whitespace() {
            space = true;
            continue;
        }
        if space && !out.is_empty() && !out.ends_with([' ', '\n']) {
            out.push(' ');
        }
        space = false;
        out.push(c);
    }
    if space && !out.is_empty() && !out.ends_with([' ', '\n']) {
        out.push(' ');
    }
}

fn inline_element(e: &Element, in_html: bool) -> String {
    let children: Vec<&Node> = e.children.iter().collect();
    match e.name.as_str() {
        "b" | "strong" => emphasised("**", &render_inline(&children, in_html)),
        "i" | "em" | "cite" | "var" => emphasised("*", &render_inline(&children, in_html)),
        "s" | "strike" => emphasised("~~", &render_inline(&children, in_html)),
        "code" | "tt" | "kbd" | "samp" => {
            let text = one_line(&raw_text(e));
            if text.is_empty() {
                String::new()
            } else {
                span_around(&text)
            }
        }
        "a" => {
            let label = render_inline(&children, in_html);
            let label = label.trim();
            match e.attr("href").map(str::trim).filter(|h| is_web(h)) {
                Some(href) if label.is_empty() || label == href => format!("<{}>", url(href)),
                Some(href) => format!("[{}]({})", label.replace('\n', " "), url(href)),
                None => label.to_owned(),
            }
        }
        "img" => {
            let alt = one_line(e.attr("alt").unwrap_or_default());
            match e.attr("src").map(str::trim).filter(|s| is_web(s)) {
                Some(src) => format!("![{}]({})", alt.replace(['[', ']'], ""), url(src)),
                None => alt,
            }
        }
        _ => render_inline(&children, in_html),
    }
}

fn is_web(target: &str) -> bool {
    (target.starts_with("https://") || target.starts_with("http://"))
        && target.len() > "https://".len()
        || target.starts_with("mailto:")
}

/// A link target as Markdown reads it whole: no spaces, angle brackets or unbalanced parentheses.
fn url(target: &str) -> String {
    let mut out = String::with_capacity(target.len());
    for c in target.chars() {
        match c {
            ' ' => out.push_str("%20"),
            '(' => out.push_str("%28"),
            ')' => out.push_str("%29"),
            '<' => out.push_str("%3C"),
            '>' => out.push_str("%3E"),
            c if c.is_whitespace() || c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// `text` between emphasis markers, which must touch the text: its outer spaces go outside.
fn emphasised(marker: &str, text: &str) -> String {
    let inner = text.trim();
    if inner.is_empty() {
        return text.to_owned();
    }
    let before = if text.starts_with(char::is_whitespace) {
        " "
    } else {
        ""
    };
    let after = if text.ends_with(char::is_whitespace) {
        " "
    } else {
        ""
    };
    format!("{before}{marker}{inner}{marker}{after}")
}

/// A code span that holds `text` whatever backticks it has.
fn span_around(text: &str) -> String {
    let fence = "`".repeat(longest_run(text, '`') + 1);
    let pad = if text.starts_with('`') || text.ends_with('`') {
        " "
    } else {
        ""
    };
    format!("{fence}{pad}{text}{pad}{fence}")
}

fn longest_run(text: &str, of: char) -> usize {
    let mut longest = 0;
    let mut run = 0;
    for c in text.chars() {
        run = if c == of { run + 1 } else { 0 };
        longest = longest.max(run);
    }
    longest
}

/// The text of an element and everything in it, tags left out (code shows no markup).
fn raw_text(e: &Element) -> String {
    let mut out = String::new();
    for child in &e.children {
        match child {
            Node::Text { text, .. } => out.push_str(text),
            Node::Element(c) if c.name == "br" => out.push('\n'),
            Node::Element(c) => out.push_str(&raw_text(c)),
        }
    }
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
        ] {
            assert_eq!(to_markdown(html), markdown, "{html:?}");
        }
    }
}
