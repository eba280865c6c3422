//! The tree of a description's HTML written out as Markdown: blocks (paragraphs, lists,
//! quotes, tables, code) apart, inline elements (emphasis, code spans, links) in the text.

use super::{BLOCK, Element, Node};

fn is_block(node: &Node) -> bool {
    matches!(node, Node::Element(e) if BLOCK.contains(&e.name.as_str()) || is_table(e))
}

fn is_table(e: &Element) -> bool {
    e.name == "table"
}

/// The blocks of `element`'s children, each as Markdown text; runs of inline content become
/// paragraphs. `in_html` says text is inside an HTML block, where line breaks are spaces.
pub(super) fn render_blocks(element: &Element, in_html: bool) -> Vec<String> {
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
            if i == 0 {
                // The first line follows the marker; the rest go under it.
                let (first, rest) = block.split_once('\n').unwrap_or((block, ""));
                item.push_str(first);
                if !rest.is_empty() {
                    item.push('\n');
                    item.push_str(&indented(rest, marker.len()));
                }
            } else {
                let text = indented(block, marker.len());
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
