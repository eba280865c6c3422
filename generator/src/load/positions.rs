//! Source positions: where each node of a YAML or JSON document starts.
//!
//! `yaml-rust2`'s event stream (JSON is YAML too) is walked once, tracking the path through
//! mappings and sequences, so any JSON pointer maps to `line:column`.

use std::collections::BTreeMap;

use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser};
use yaml_rust2::scanner::Marker;

use crate::diagnostic::{Position, escape_token};

/// JSON pointer → position of the node (for a mapping value: of its key).
#[derive(Debug, Clone, Default)]
pub struct PositionMap {
    map: BTreeMap<String, Position>,
    /// Where a mapping key appears again, for keys given twice.
    repeats: BTreeMap<String, Position>,
}

impl PositionMap {
    /// The position of `pointer`, or of its nearest ancestor that has one; the document's
    /// first line when none has (an empty document, or text only the serde pass could read):
    /// the whole document is then the most precise place known, and a diagnostic always
    /// carries a line and column.
    pub fn find(&self, pointer: &str) -> Option<Position> {
        let mut p = pointer;
        loop {
            if let Some(pos) = self.map.get(p) {
                return Some(*pos);
            }
            match p.rfind('/') {
                Some(i) => p = &p[..i],
                None => return Some(Position { line: 1, column: 1 }),
            }
        }
    }

    /// Where the key at `pointer` appears a second time, when it does.
    pub fn repeated(&self, pointer: &str) -> Option<Position> {
        self.repeats.get(pointer).copied()
    }

    /// Builds the map from YAML (or JSON) text. Text that does not scan yields an empty map; the
    /// serde pass reports that error with its own position.
    pub fn from_text(text: &str) -> Self {
        let mut builder = PositionBuilder::default();
        let mut parser = Parser::new_from_str(text);
        if parser.load(&mut builder, false).is_err() {
            return Self::default();
        }
        Self {
            map: builder.map,
            repeats: builder.repeats,
        }
    }
}

/// Tracks the path through nested mappings and sequences while events stream by.
#[derive(Default)]
struct PositionBuilder {
    map: BTreeMap<String, Position>,
    repeats: BTreeMap<String, Position>,
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
                    match self.map.entry(p) {
                        std::collections::btree_map::Entry::Vacant(slot) => {
                            slot.insert(Self::position(mark));
                        }
                        std::collections::btree_map::Entry::Occupied(seen) => {
                            self.repeats
                                .entry(seen.key().clone())
                                .or_insert(Self::position(mark));
                        }
                    }
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
