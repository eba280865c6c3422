//! load: read a YAML or JSON document, keep where every node starts, and parse it as OpenAPI.
//!
//! Parsing happens twice on purpose: `serde_yaml`/`serde_json` build the value that `openapiv3`
//! reads, and `yaml-rust2`'s event stream (JSON is YAML too) yields the source position of every
//! node. The second pass is what lets a diagnostic say `spec.yaml:41:9` instead of just a pointer.

use std::collections::BTreeMap;

use openapiv3::OpenAPI;
use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser};
use yaml_rust2::scanner::Marker;

use crate::diagnostic::{Diagnostic, Diagnostics, Position, child, escape_token};

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
    /// Where each node starts.
    pub positions: PositionMap,
}

/// JSON pointer → position of the node (for a mapping value: of its key).
#[derive(Debug, Clone, Default)]
pub struct PositionMap {
    map: BTreeMap<String, Position>,
}

impl PositionMap {
    /// The position of `pointer`, or of its nearest ancestor that has one.
    pub fn find(&self, pointer: &str) -> Option<Position> {
        let mut p = pointer;
        loop {
            if let Some(pos) = self.map.get(p) {
                return Some(*pos);
            }
            match p.rfind('/') {
                Some(i) => p = &p[..i],
                None => return None,
            }
        }
    }

    /// Builds the map from YAML (or JSON) text. Text that does not scan yields an empty map; the
    /// serde pass reports that error with its own position.
    pub fn from_text(text: &str) -> Self {
        let mut builder = PositionBuilder::default();
        let mut parser = Parser::new_from_str(text);
        if parser.load(&mut builder, false).is_err() {
            return Self::default();
        }
        Self { map: builder.map }
    }
}

/// Tracks the path through nested mappings and sequences while events stream by.
#[derive(Default)]
struct PositionBuilder {
    map: BTreeMap<String, Position>,
    stack: Vec<Frame>,
}

enum Frame {
    /// A mapping: `pending_key` holds the key whose value comes next.
    Mapping {
        pointer: String,
        pending_key: Option<String>,
    },
    Sequence {
        pointer: String,
        next_index: usize,
    },
}

impl PositionBuilder {
    fn position(mark: Marker) -> Position {
        // yaml-rust2 counts lines from 1 and columns from 0.
        Position {
            line: mark.line(),
            column: mark.col() + 1,
        }
    }

    /// Called for every node. Returns the pointer of the node, or `None` when the node was a
    /// mapping key (keys are not nodes of the JSON value).
    fn node_pointer(&mut self, scalar_key: Option<&str>, mark: Marker) -> Option<String> {
        match self.stack.last_mut() {
            None => {
                self.map
                    .entry(String::new())
                    .or_insert(Self::position(mark));
                Some(String::new())
            }
            Some(Frame::Sequence {
                pointer,
                next_index,
            }) => {
                let p = format!("{pointer}/{next_index}");
                *next_index += 1;
                self.map.entry(p.clone()).or_insert(Self::position(mark));
                Some(p)
            }
            Some(Frame::Mapping {
                pointer,
                pending_key,
            }) => match pending_key.take() {
                Some(key) => Some(format!("{pointer}/{}", escape_token(&key))),
                None => {
                    // This node is a key. Record the key's position for the value's pointer,
                    // so a diagnostic points at `name:` rather than past it.
                    let key = scalar_key.unwrap_or_default().to_owned();
                    let p = format!("{pointer}/{}", escape_token(&key));
                    self.map.entry(p).or_insert(Self::position(mark));
                    *pending_key = Some(key);
                    None
                }
            },
        }
    }
}

impl MarkedEventReceiver for PositionBuilder {
    fn on_event(&mut self, event: Event, mark: Marker) {
        match event {
            Event::Scalar(value, ..) => {
                self.node_pointer(Some(&value), mark);
            }
            Event::Alias(_) => {
                self.node_pointer(None, mark);
            }
            Event::MappingStart(..) => {
                let pointer = self.node_pointer(None, mark).unwrap_or_default();
                self.stack.push(Frame::Mapping {
                    pointer,
                    pending_key: None,
                });
            }
            Event::SequenceStart(..) => {
                let pointer = self.node_pointer(None, mark).unwrap_or_default();
                self.stack.push(Frame::Sequence {
                    pointer,
                    next_index: 0,
                });
            }
            Event::MappingEnd | Event::SequenceEnd => {
                self.stack.pop();
            }
            _ => {}
        }
    }
}

/// Decides the syntax from the text itself: a document that starts with `{` is JSON.
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
    let positions = PositionMap::from_text(text);
    let raw = match parse_value(text) {
        Ok(raw) => raw,
        Err(d) => {
            diagnostics.push(d);
            return Err(diagnostics);
        }
    };

    if let Some(d) = check_version(&raw) {
        diagnostics.push(d);
        diagnostics.locate(|p| positions.find(p));
        return Err(diagnostics);
    }

    match serde_path_to_error::deserialize::<_, OpenAPI>(&raw) {
        Ok(openapi) => Ok(Loaded {
            openapi,
            raw,
            positions,
        }),
        Err(e) => {
            // openapiv3's flattened and untagged types hide where a mismatch is, and serde stops
            // at the first one; checking each part on its own finds them all, precisely.
            let found = structural_errors(&raw);
            if found.is_empty() {
                diagnostics.push(invalid("", &e));
            } else {
                diagnostics.extend(found);
            }
            diagnostics.locate(|p| positions.find(p));
            Err(diagnostics)
        }
    }
}

fn parse_value(text: &str) -> Result<serde_json::Value, Diagnostic> {
    match detect_format(text) {
        Format::Json => serde_json::from_str(text).map_err(|e| {
            let mut d = Diagnostic::error("", format!("invalid JSON: {e}"));
            d.position = Some(Position {
                line: e.line(),
                column: e.column(),
            });
            d
        }),
        Format::Yaml => serde_yaml::from_str(text).map_err(|e| {
            let mut d = Diagnostic::error("", format!("invalid YAML: {e}"));
            d.position = e.location().map(|l| Position {
                line: l.line(),
                column: l.column(),
            });
            d
        }),
    }
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
        Some(v) if v.starts_with("3.0.") => None,
        Some(v) => Some(
            Diagnostic::error("/openapi", format!("OpenAPI version {v} is not supported"))
                .with_help("commet-codegen reads OpenAPI 3.0.x; set `openapi: 3.0.3`"),
        ),
        None => Some(
            Diagnostic::error("", "missing `openapi` version field")
                .with_help("start the document with `openapi: 3.0.3`"),
        ),
    }
}

fn invalid(at: &str, e: &serde_path_to_error::Error<serde_json::Error>) -> Diagnostic {
    let pointer = format!("{at}{}", path_to_pointer(e.path()));
    Diagnostic::error(
        pointer,
        format!("not a valid OpenAPI 3.0 document: {}", e.inner()),
    )
    .with_help("check this node against the OpenAPI 3.0.3 specification")
}

/// Deserializes `value` as `T`; on failure records a diagnostic under `at` and returns true.
fn check<T: serde::de::DeserializeOwned>(
    value: &serde_json::Value,
    at: &str,
    out: &mut Vec<Diagnostic>,
) -> bool {
    match serde_path_to_error::deserialize::<_, T>(value) {
        Ok(_) => false,
        Err(e) => {
            out.push(invalid(at, &e));
            true
        }
    }
}

/// Checks every entry of a map-valued node as `T`. Returns true when one failed.
fn check_entries<T: serde::de::DeserializeOwned>(
    value: Option<&serde_json::Value>,
    at: &str,
    out: &mut Vec<Diagnostic>,
) -> bool {
    let mut failed = false;
    match value {
        Some(serde_json::Value::Object(map)) => {
            for (key, entry) in map.iter().filter(|(k, _)| !k.starts_with("x-")) {
                failed |= check::<T>(entry, &child(at, key), out);
            }
        }
        Some(serde_json::Value::Array(items)) => {
            for (i, entry) in items.iter().enumerate() {
                failed |= check::<T>(entry, &child(at, &i.to_string()), out);
            }
        }
        _ => {}
    }
    failed
}

/// Finds every structurally invalid part of a document, as deep as the parts go.
fn structural_errors(raw: &serde_json::Value) -> Vec<Diagnostic> {
    use openapiv3::{
        Info, Operation, Parameter, PathItem, ReferenceOr, RequestBody, Response, Schema,
        SecurityScheme, Server,
    };
    let mut out = Vec::new();
    if let Some(info) = raw.get("info") {
        check::<Info>(info, "/info", &mut out);
    } else {
        out.push(
            Diagnostic::error("", "missing `info`")
                .with_help("add `info` with a `title` and a `version`"),
        );
    }
    if let Some(servers) = raw.get("servers") {
        check::<Vec<Server>>(servers, "/servers", &mut out);
    }
    if let Some(serde_json::Value::Object(paths)) = raw.get("paths") {
        for (path, item) in paths.iter().filter(|(k, _)| !k.starts_with("x-")) {
            let at = child("/paths", path);
            let Err(e) = serde_path_to_error::deserialize::<_, ReferenceOr<PathItem>>(item) else {
                continue;
            };
            let mut found = false;
            if let serde_json::Value::Object(fields) = item {
                for (key, value) in fields {
                    let key_at = child(&at, key);
                    match key.as_str() {
                        "get" | "put" | "post" | "delete" | "options" | "head" | "patch"
                        | "trace" => {
                            if serde_path_to_error::deserialize::<_, Operation>(value).is_ok() {
                                continue;
                            }
                            let before = out.len();
                            check_entries::<ReferenceOr<Parameter>>(
                                value.get("parameters"),
                                &child(&key_at, "parameters"),
                                &mut out,
                            );
                            check_entries::<ReferenceOr<Response>>(
                                value.get("responses"),
                                &child(&key_at, "responses"),
                                &mut out,
                            );
                            if let Some(body) = value.get("requestBody") {
                                check::<ReferenceOr<RequestBody>>(
                                    body,
                                    &child(&key_at, "requestBody"),
                                    &mut out,
                                );
                            }
                            if out.len() == before {
                                check::<Operation>(value, &key_at, &mut out);
                            }
                            found = true;
                        }
                        "parameters" => {
                            found |= check_entries::<ReferenceOr<Parameter>>(
                                Some(value),
                                &key_at,
                                &mut out,
                            );
                        }
                        _ => {}
                    }
                }
            }
            if !found {
                out.push(invalid(&at, &e));
            }
        }
    } else {
        check::<openapiv3::Paths>(
            raw.get("paths").unwrap_or(&serde_json::Value::Null),
            "/paths",
            &mut out,
        );
    }
    if let Some(components) = raw.get("components") {
        let at = "/components";
        check_entries::<ReferenceOr<Schema>>(
            components.get("schemas"),
            &child(at, "schemas"),
            &mut out,
        );
        check_entries::<ReferenceOr<Response>>(
            components.get("responses"),
            &child(at, "responses"),
            &mut out,
        );
        check_entries::<ReferenceOr<Parameter>>(
            components.get("parameters"),
            &child(at, "parameters"),
            &mut out,
        );
        check_entries::<ReferenceOr<RequestBody>>(
            components.get("requestBodies"),
            &child(at, "requestBodies"),
            &mut out,
        );
        check_entries::<ReferenceOr<SecurityScheme>>(
            components.get("securitySchemes"),
            &child(at, "securitySchemes"),
            &mut out,
        );
    }
    out
}

fn path_to_pointer(path: &serde_path_to_error::Path) -> String {
    use serde_path_to_error::Segment;
    let mut pointer = String::new();
    for segment in path.iter() {
        match segment {
            Segment::Seq { index } => pointer.push_str(&format!("/{index}")),
            Segment::Map { key } => pointer.push_str(&format!("/{}", escape_token(key))),
            Segment::Enum { .. } | Segment::Unknown => {}
        }
    }
    pointer
}

#[cfg(test)]
mod tests {
    use super::*;

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
    fn rejects_other_versions() {
        for text in ["swagger: '2.0'\n", "openapi: 3.1.0\n", "info: {}\n"] {
            let err = load(text).unwrap_err();
            assert_eq!(err.error_count(), 1, "{text}");
        }
    }
}
