//! load: read a YAML or JSON document, keep where every node starts, and parse it as OpenAPI.
//!
//! `serde_yaml`/`serde_json` build the value that `openapiv3` reads. When a diagnostic needs a
//! place, the text is parsed a second time, into libyaml's events (JSON is YAML too), which
//! carry the source position of every node: that is what lets a diagnostic say
//! `spec.yaml:41:9` instead of just a pointer. A document without problems is parsed once.

use std::sync::OnceLock;

use openapiv3::OpenAPI;
use serde::Deserialize;

mod integer_bounds;
mod local_refs;
mod mistakes;
pub mod openapi31;
mod place;
mod positions;
mod schema_check;
mod structure;
mod value;

pub use local_refs::Hoisted;

pub use positions::PositionMap;
use structure::{invalid, structural_errors};

use crate::diagnostic::{Diagnostic, Diagnostics, Position};

/// Keys whose value is a map from names (paths, media types, statuses, component names…) to
/// objects: a name there is never a keyword, even when it reads `schema`.
pub(crate) const NAMED_MAPS: &[&str] = &[
    "paths",
    "webhooks",
    "content",
    "responses",
    "headers",
    "encoding",
    "links",
    "variables",
    "securitySchemes",
    "parameters",
    "requestBodies",
    "callbacks",
    "pathItems",
];

/// The input's syntax, decided by its content.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// A JSON document.
    Json,
    /// A YAML document.
    Yaml,
}

/// A parsed spec and the map from JSON pointers to source positions.
#[derive(Debug, Clone)]
pub struct Loaded {
    /// The document as `openapiv3` reads it.
    pub openapi: OpenAPI,
    /// The document as plain JSON, for the few things `openapiv3` does not keep.
    pub raw: serde_json::Value,
    /// Where each node starts: see [`Loaded::positions`].
    positions: LazyPositions,
    /// Schemas copied into `components.schemas` so that every `$ref` names a component.
    pub hoisted: Vec<Hoisted>,
    /// What reading the document noticed, located: warnings (wide integers, 3.1 keywords
    /// without a 3.0 meaning) and errors that did not stop the reading (a key given twice, a
    /// schema keyword of the wrong type, cut out). Lowering fails when there is an error here,
    /// after adding its own diagnostics, so one run reports them all.
    pub diagnostics: Diagnostics,
    /// Where schema parts that `openapiv3` would reject were cut out: what the lowering says
    /// at or under these places follows from a problem already reported.
    pub cut: Vec<String>,
}

impl Loaded {
    /// Where each node starts in the source file. The map costs a second parse of the text,
    /// so it is built the first time something needs locating: a document without problems
    /// is parsed once.
    pub fn positions(&self) -> &PositionMap {
        self.positions.get()
    }

    /// The pointer in the source file of a node of the loaded document: a node inside a
    /// hoisted copy lives where the copy came from.
    pub fn source_pointer(&self, pointer: &str) -> String {
        source_pointer(&self.hoisted, pointer)
    }
}

fn source_pointer(hoisted: &[Hoisted], pointer: &str) -> String {
    for h in hoisted {
        if let Some(rest) = pointer.strip_prefix(h.to.as_str())
            && (rest.is_empty() || rest.starts_with('/'))
        {
            return format!("{}{rest}", h.from);
        }
    }
    pointer.to_owned()
}

/// A [`PositionMap`] of a text, built on first use.
#[derive(Debug, Clone)]
struct LazyPositions {
    text: String,
    map: OnceLock<PositionMap>,
}

impl LazyPositions {
    fn get(&self) -> &PositionMap {
        self.map.get_or_init(|| PositionMap::from_text(&self.text))
    }
}

/// Decides the syntax from the text itself: a document that starts with `{` or `[` is read as
/// JSON first.
pub fn detect_format(text: &str) -> Format {
    match text
        .trim_start_matches('\u{feff}')
        .trim_start()
        .chars()
        .next()
    {
        Some('{') | Some('[') => Format::Json,
        _ => Format::Yaml,
    }
}

/// Parses `text` into an OpenAPI document, or explains why it can't.
pub fn load(text: &str) -> Result<Loaded, Diagnostics> {
    let mut diagnostics = Diagnostics::default();
    let positions = LazyPositions {
        text: text.to_owned(),
        map: OnceLock::new(),
    };
    let notes = value::Notes::default();
    let parsed = parse_value(text, &notes);
    diagnostics.extend(notes.into_inner().into_iter().map(|mut d| {
        // A repeated key: name both places.
        if let Some(again) = positions.get().repeated(&d.pointer) {
            d.help = Some(format!(
                "it is given again at line {}, column {}; remove one of the two",
                again.line, again.column
            ));
        }
        d
    }));
    let mut raw = match parsed {
        Ok(raw) => raw,
        Err(d) => {
            diagnostics.push(d);
            diagnostics.locate(|p| positions.get().find(p));
            return Err(diagnostics);
        }
    };

    if let Some(d) = check_version(&raw) {
        diagnostics.push(d);
        diagnostics.locate(|p| positions.get().find(p));
        return Err(diagnostics);
    }
    if openapi31::is_openapi_31(&raw) {
        diagnostics.extend(openapi31::downgrade(&mut raw));
    }
    diagnostics.extend(mistakes::repair(&mut raw));
    let mut fitted = integer_bounds::fit(&mut raw);
    diagnostics.extend(std::mem::take(&mut fitted.warnings));
    let hoisted = local_refs::hoist(&mut raw);

    // Schemas that openapiv3 would reject are cut out after they are reported, so that it
    // never meets them (see `schema_check`) and the rest of the document, down to the
    // lowering, is still checked in this run.
    let findings = schema_check::check_schemas(&raw);
    for (d, replacement) in findings.repairs {
        match replacement {
            Some(value) => schema_check::replace(&mut raw, &d.pointer, value),
            None => schema_check::cut(&mut raw, &d.pointer),
        }
        let mut d = d;
        d.pointer = source_pointer(&hoisted, &d.pointer);
        diagnostics.push(d);
    }
    let mut schema_problems = Diagnostics::default();
    for d in findings.problems {
        schema_check::cut(&mut raw, &d.pointer);
        schema_problems.push(d);
    }
    // Reported where the user wrote them, also inside schemas that were hoisted.
    schema_problems.map_pointers(|p| source_pointer(&hoisted, p));
    let cut: Vec<String> = schema_problems.iter().map(|d| d.pointer.clone()).collect();
    diagnostics.extend(schema_problems.into_vec());

    // Tracking the path costs a third of the reading: it is done only to explain a failure.
    let mut read = OpenAPI::deserialize(&raw)
        .or_else(|_| serde_path_to_error::deserialize::<_, OpenAPI>(&raw));
    if let Err(e) = &read {
        // openapiv3's flattened and untagged types hide where a mismatch is, and serde stops
        // at the first one; checking each part on its own finds them all, precisely.
        let mut found = structural_errors(&raw);
        if found.is_empty() {
            found.push(invalid("", e));
        }
        // An operation that can't be read costs only itself.
        match mistakes::leave_out_invalid_operations(&mut raw, found.clone()) {
            Some((remaining, left_out)) if remaining.is_empty() => {
                diagnostics.extend(left_out);
                read = OpenAPI::deserialize(&raw)
                    .or_else(|_| serde_path_to_error::deserialize::<_, OpenAPI>(&raw));
                if let Err(e) = &read {
                    let again = structural_errors(&raw);
                    if again.is_empty() {
                        diagnostics.push(invalid("", e));
                    }
                    diagnostics.extend(again);
                }
            }
            _ => diagnostics.extend(found),
        }
    }
    match read {
        Ok(openapi) => {
            fitted.restore(&mut raw);
            diagnostics.locate(|p| positions.get().find(p));
            Ok(Loaded {
                openapi,
                raw,
                positions,
                hoisted,
                diagnostics,
                cut,
            })
        }
        Err(_) => {
            diagnostics.locate(|p| positions.get().find(p));
            Err(diagnostics)
        }
    }
}

fn parse_value(text: &str, notes: &value::Notes) -> Result<serde_json::Value, Diagnostic> {
    // A byte-order mark is an encoding detail, not content (editors on Windows write one).
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if let Some(d) = control_character(text) {
        return Err(d);
    }
    let yaml = || {
        value::from_yaml(text, notes).map_err(|e| {
            let mut d = Diagnostic::error("", format!("invalid YAML: {e}"));
            d.position = e.location().map(|l| Position {
                line: l.line(),
                column: l.column(),
            });
            d
        })
    };
    match detect_format(text) {
        Format::Json => value::from_json(text, notes).or_else(|e| {
            // A YAML document may open with a flow mapping (`{openapi: 3.0.3, ...}`); only
            // when it is not YAML either is it reported, as the JSON it most likely meant to be.
            notes.borrow_mut().clear();
            yaml().map_err(|_| {
                let mut d = Diagnostic::error("", format!("invalid JSON: {e}"));
                d.position = Some(Position {
                    line: e.line(),
                    column: e.column(),
                });
                d
            })
        }),
        Format::Yaml => yaml(),
    }
}

/// Neither YAML nor JSON allows a control character other than tab and line breaks anywhere
/// in a document (JSON strings must escape them). The YAML parser reports one by byte offset
/// alone, so it is found and located here first.
fn control_character(text: &str) -> Option<Diagnostic> {
    let (offset, c) = text
        .char_indices()
        .find(|(_, c)| c.is_control() && !matches!(c, '\t' | '\n' | '\r' | '\u{85}'))?;
    let before = &text[..offset];
    let line = 1 + before.matches('\n').count();
    let column = 1 + before[before.rfind('\n').map_or(0, |i| i + 1)..]
        .chars()
        .count();
    let mut d = Diagnostic::error(
        "",
        format!(
            "the document holds the control character U+{:04X}",
            c as u32
        ),
    )
    .with_help("remove it; inside a string, write it as an escape (`\\u0000`) instead");
    d.position = Some(Position { line, column });
    Some(d)
}

/// The diagnostic for a file that is not UTF-8: where the first bad byte is.
pub fn not_utf8(bytes: &[u8], error: std::str::Utf8Error) -> Diagnostics {
    let valid = &bytes[..error.valid_up_to()];
    let line = 1 + valid.iter().filter(|b| **b == b'\n').count();
    let line_start = valid.iter().rposition(|b| *b == b'\n').map_or(0, |i| i + 1);
    // Columns count characters, and everything before the bad byte is valid UTF-8.
    let column = 1 + String::from_utf8_lossy(&valid[line_start..])
        .chars()
        .count();
    let mut d = Diagnostic::error(
        "",
        format!(
            "the document is not UTF-8 text: byte {} cannot start a character",
            error.valid_up_to()
        ),
    )
    .with_help("save the file as UTF-8");
    d.position = Some(Position { line, column });
    let mut diagnostics = Diagnostics::default();
    diagnostics.push(d);
    diagnostics
}

/// OpenAPI 2.0 and 3.1 differ enough that reading them as 3.0 would silently drop meaning.
fn check_version(raw: &serde_json::Value) -> Option<Diagnostic> {
    if raw.get("swagger").is_some() {
        return Some(
            Diagnostic::error("/swagger", "Swagger 2.0 documents are not supported")
                .with_help("convert the document to OpenAPI 3.0.3 first"),
        );
    }
    match raw.get("openapi").and_then(|v| v.as_str()) {
        Some(v) if v.starts_with("3.0.") || v.starts_with("3.1.") => None,
        Some(v) => Some(
            Diagnostic::error("/openapi", format!("OpenAPI version {v} is not supported"))
                .with_help("commet-codegen reads OpenAPI 3.0.x and 3.1.x"),
        ),
        // YAML reads `openapi: 3.0` as a number.
        None if raw.get("openapi").is_some_and(|v| !v.is_null()) => Some(
            Diagnostic::error("/openapi", "the `openapi` version must be a string")
                .with_help("quote it, with the patch number: `openapi: \"3.0.3\"`"),
        ),
        None => Some(
            Diagnostic::error("", "missing `openapi` version field")
                .with_help("start the document with `openapi: 3.0.3`"),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_yaml_flow_mapping_is_not_mistaken_for_broken_json() {
        let loaded = load("{openapi: 3.0.3, info: {title: T, version: '1'}, paths: {}}");
        assert!(loaded.is_ok(), "{:?}", loaded.err());
    }

    #[test]
    fn format_is_decided_by_content() {
        assert_eq!(detect_format("  {\"openapi\": \"3.0.3\"}"), Format::Json);
        assert_eq!(detect_format("openapi: 3.0.3\n"), Format::Yaml);
        assert_eq!(detect_format("\u{feff}{}"), Format::Json);
    }

    #[test]
    fn positions_point_at_keys() {
        let text = "a:\n  b:\n    - x\n    - c: 1\n";
        let map = PositionMap::from_text(text);
        assert_eq!(map.find("/a"), Some(Position { line: 1, column: 1 }));
        assert_eq!(map.find("/a/b"), Some(Position { line: 2, column: 3 }));
        assert_eq!(map.find("/a/b/1/c"), Some(Position { line: 4, column: 7 }));
        // An unknown child falls back to its nearest known ancestor.
        assert_eq!(map.find("/a/b/9"), Some(Position { line: 2, column: 3 }));
    }

    #[test]
    fn json_positions() {
        let text = "{\n  \"paths\": {\n    \"/x\": {}\n  }\n}\n";
        let map = PositionMap::from_text(text);
        assert_eq!(
            map.find("/paths/~1x"),
            Some(Position { line: 3, column: 5 })
        );
    }

    #[test]
    fn a_file_that_is_not_utf8_is_located() {
        // Read as a file would be: the bytes come at run time.
        let bytes = b"openapi: 3.0.3\ninfo:\n  title: caf\xe9\n".to_vec();
        let error = String::from_utf8(bytes).unwrap_err();
        let d = not_utf8(error.as_bytes(), error.utf8_error());
        let d = d.iter().next().unwrap();
        assert_eq!(
            d.position,
            Some(Position {
                line: 3,
                column: 13
            })
        );
        assert!(d.message.contains("byte 33"), "{}", d.message);
    }

    #[test]
    fn a_control_character_is_located() {
        for text in [
            "openapi: 3.0.3\ninfo:\n  title: T\u{0}x\n",
            "{\"openapi\": \"3.0.3\",\n\"info\":\n {\"title\": \"T\u{0}x\"}}",
        ] {
            let err = load(text).unwrap_err();
            let d = err.iter().next().unwrap();
            assert!(d.message.contains("U+0000"), "{}", d.message);
            assert_eq!(d.position.map(|p| p.line), Some(3), "{text:?}");
        }
        let d = control_character("a: b\n  c: d\u{7}").unwrap();
        assert_eq!(d.position, Some(Position { line: 2, column: 7 }));
        assert!(control_character("a:\tb\r\n").is_none());
    }

    #[test]
    fn rejects_other_versions() {
        for text in [
            "swagger: '2.0'\n",
            "openapi: 3.2.0\n",
            "info: {}\n",
            "openapi: 3.0\n",
        ] {
            let err = load(text).unwrap_err();
            assert_eq!(err.error_count(), 1, "{text}");
        }
    }
}
