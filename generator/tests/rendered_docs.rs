//! Rendering under `cargo doc` is the test of generated docs: the client of
//! `tests/fixtures/rich_docs.yaml` (PayPal-style HTML descriptions and Stripe-style Markdown
//! ones) is put in a crate of its own that sets nothing, rustdoc runs on it with `-D warnings`,
//! and the HTML it writes for a few items is snapshotted, so a person can read what users will
//! see: quotes, links, tables, lists, line breaks and emphasis rendered, nothing escaped.
//!
//! Only the rendered doc blocks are kept, and rustdoc's own chrome (heading anchors) is
//! stripped, so the snapshot changes when the docs do, not with rustdoc's page layout.

use std::path::{Path, PathBuf};
use std::process::Command;

use commet_codegen::Builder;

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// Writes `text` to `path` unless it is there already, so cargo sees an unchanged file as
/// unchanged.
fn write(path: &Path, text: &str) {
    if std::fs::read_to_string(path).is_ok_and(|t| t == text) {
        return;
    }
    std::fs::create_dir_all(path.parent().expect("a parent")).expect("the directory");
    std::fs::write(path, text).expect("the file is written");
}

/// The pages and the items on them whose docs the snapshot holds: `top` is the page's own.
const ITEMS: &[(&str, &[&str])] = &[
    (
        "struct.Client.html",
        &["method.create_order", "method.create_charge"],
    ),
    (
        "struct.Order.html",
        &[
            "top",
            "structfield.intent",
            "structfield.processing_instruction",
            "structfield.soft_descriptor",
        ],
    ),
    (
        "struct.Charge.html",
        &[
            "top",
            "structfield.amount",
            "structfield.statement_descriptor",
        ],
    ),
];

/// Every `<div class="docblock">` of a page with the id of the item it documents (the nearest
/// `id` before it that names an item; `top` for the page's own docs).
fn doc_blocks(page: &str) -> Vec<(String, String)> {
    const OPEN: &str = "<div class=\"docblock\">";
    let mut blocks = Vec::new();
    let mut from = 0;
    while let Some(i) = page[from..].find(OPEN) {
        let start = from + i + OPEN.len();
        // The block ends at the `</div>` that balances it.
        let mut depth = 1;
        let mut at = start;
        while depth > 0 {
            let next_open = page[at..].find("<div").map(|j| at + j);
            let Some(next_close) = page[at..].find("</div>").map(|j| at + j) else {
                break;
            };
            match next_open {
                Some(o) if o < next_close => {
                    depth += 1;
                    at = o + 4;
                }
                _ => {
                    depth -= 1;
                    at = next_close + "</div>".len();
                }
            }
        }
        let end = at - "</div>".len();
        let before = &page[..from + i];
        // The page's own docs sit in the `top-doc` toggle, just before.
        let near = &before[before.len().saturating_sub(200)..];
        let item = if near.contains("top-doc") {
            "top".to_owned()
        } else {
            before
                .rmatch_indices(" id=\"")
                .map(|(j, m)| {
                    let id = &before[j + m.len()..];
                    &id[..id.find('"').unwrap_or(0)]
                })
                .find(|id| id.contains('.'))
                .unwrap_or("?")
                .to_owned()
        };
        blocks.push((item, page[start..end].to_owned()));
        from = at;
    }
    blocks
}

/// A doc block's HTML with rustdoc's anchors taken out and a line break after each block
/// element, for a snapshot a person can read.
fn readable(html: &str) -> String {
    let mut out = html.to_owned();
    while let Some(i) = out.find("<a class=\"doc-anchor\"") {
        let Some(len) = out[i..].find("</a>") else {
            break;
        };
        out.replace_range(i..i + len + "</a>".len(), "");
    }
    for tag in [
        "</p>",
        "<ul>",
        "</ul>",
        "<ol>",
        "</ol>",
        "</li>",
        "<table>",
        "</table>",
        "<thead>",
        "</thead>",
        "<tbody>",
        "</tbody>",
        "</tr>",
        "<blockquote>",
        "</blockquote>",
        "</pre>",
    ] {
        out = out.replace(tag, &format!("{tag}\n"));
    }
    out.lines()
        .map(str::trim_end)
        .filter(|l| !l.trim().is_empty())
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn rustdoc_renders_html_and_markdown_descriptions_as_written() {
    let root = repo();
    let spec = root.join("tests/fixtures/rich_docs.yaml");
    let text = std::fs::read_to_string(&spec).expect("the fixture reads");
    let client = Builder::from_text("tests/fixtures/rich_docs.yaml", text)
        .generate()
        .unwrap_or_else(|e| panic!("{e}"))
        .code;

    let work = Path::new(env!("CARGO_TARGET_TMPDIR")).join("rendered-docs");
    write(
        &work.join("Cargo.toml"),
        &format!(
            "[package]\nname = \"rendered-docs\"\nversion = \"0.0.0\"\nedition = \"2024\"\n\
             publish = false\n\n[dependencies]\ncommet-runtime = {{ path = {:?} }}\n\n[workspace]\n",
            root.join("runtime").display().to_string()
        ),
    );
    // The workspace's versions of every dependency, so nothing new is resolved or fetched.
    if !work.join("Cargo.lock").exists() {
        std::fs::copy(root.join("Cargo.lock"), work.join("Cargo.lock")).expect("Cargo.lock");
    }
    write(
        &work.join("src/lib.rs"),
        "//! The client of `tests/fixtures/rich_docs.yaml`, in a crate that sets nothing.\n\n\
         include!(\"client.rs\");\n",
    );
    write(&work.join("src/client.rs"), &client);

    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let output = Command::new(cargo)
        .args(["doc", "--no-deps", "--quiet"])
        .arg("--target-dir")
        .arg(work.join("target"))
        .current_dir(&work)
        .env_remove("RUSTFLAGS")
        .env("RUSTDOCFLAGS", "-D warnings")
        .output()
        .expect("cargo runs");
    assert!(
        output.status.success(),
        "rustdoc failed on the generated docs:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );

    let doc = work.join("target/doc/rendered_docs");
    let mut snapshot = String::new();
    for (page, items) in ITEMS {
        let html =
            std::fs::read_to_string(doc.join(page)).unwrap_or_else(|e| panic!("{page}: {e}"));
        let blocks = doc_blocks(&html);
        for item in *items {
            let Some((_, block)) = blocks.iter().find(|(id, _)| id == item) else {
                panic!(
                    "{page} has no docs for {item}; it has {:?}",
                    blocks.iter().map(|b| &b.0).collect::<Vec<_>>()
                );
            };
            snapshot.push_str(&format!("== {page} {item}\n{}\n\n", readable(block)));
        }
    }
    // Nothing rendered shows an escaped tag: HTML became Markdown, which rustdoc rendered.
    assert!(!snapshot.contains("&lt;strong"), "{snapshot}");
    assert!(!snapshot.contains("&lt;a "), "{snapshot}");
    insta::assert_snapshot!(snapshot);
}
