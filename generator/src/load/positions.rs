//! Source positions: where each node of a YAML or JSON document starts.
//!
//! libyaml's event stream (JSON is YAML too) is walked once, tracking the path through
//! mappings and sequences, so any JSON pointer maps to `line:column`. It is the parser
//! `serde_yaml` reads the document with, so a build compiles one YAML parser, and positions
//! agree with the ones in its errors. `serde_yaml` keeps the events to itself, so they are
//! read here through `libyaml-rs`, whose interface is libyaml's own: C-style and unsafe. All
//! of that is in [`events`].

use std::collections::BTreeMap;
use std::mem::MaybeUninit;

use libyaml_rs as yaml;

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
        if events(text, |event, at| builder.on_event(event, at)).is_err() {
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
    /// Called for every node. Returns the pointer of the node, or `None` when the node was a
    /// mapping key (keys are not nodes of the JSON value).
    fn node_pointer(&mut self, scalar_key: Option<&str>, at: Position) -> Option<String> {
        match self.stack.last_mut() {
            None => {
                self.map.entry(String::new()).or_insert(at);
                Some(String::new())
            }
            Some(Frame::Sequence {
                pointer,
                next_index,
            }) => {
                let p = format!("{pointer}/{next_index}");
                *next_index += 1;
                self.map.entry(p.clone()).or_insert(at);
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
                            slot.insert(at);
                        }
                        std::collections::btree_map::Entry::Occupied(seen) => {
                            self.repeats.entry(seen.key().clone()).or_insert(at);
                        }
                    }
                    *pending_key = Some(key);
                    None
                }
            },
        }
    }
}

impl PositionBuilder {
    fn on_event(&mut self, event: Event, at: Position) {
        match event {
            Event::Scalar(value) => {
                self.node_pointer(Some(&value), at);
            }
            Event::Alias => {
                self.node_pointer(None, at);
            }
            Event::MappingStart => {
                let pointer = self.node_pointer(None, at).unwrap_or_default();
                self.stack.push(Frame::Mapping {
                    pointer,
                    pending_key: None,
                });
            }
            Event::SequenceStart => {
                let pointer = self.node_pointer(None, at).unwrap_or_default();
                self.stack.push(Frame::Sequence {
                    pointer,
                    next_index: 0,
                });
            }
            Event::End => {
                self.stack.pop();
            }
        }
    }
}

/// The events the position map needs.
enum Event {
    Scalar(String),
    Alias,
    MappingStart,
    SequenceStart,
    /// The end of a mapping or a sequence.
    End,
}

/// Parses `text`, calling `on_event` with each node event and where it starts. An `Err` means
/// the text is not YAML; the events before the error have been seen.
fn events(text: &str, mut on_event: impl FnMut(Event, Position)) -> Result<(), ()> {
    let mut parser = MaybeUninit::<yaml::yaml_parser_t>::uninit();
    let parser = parser.as_mut_ptr();
    // SAFETY: libyaml's protocol, as its documentation gives it. The parser is initialised
    // before use and deleted once, on every path out of the loop. It reads `text` in place,
    // and `text` outlives it. Each event is filled by a successful `yaml_parser_parse`
    // before it is read, the scalar's bytes are read (and copied) before the event is
    // deleted, and every event is deleted once. `on_event` cannot unwind through libyaml: it
    // is called between libyaml's calls, with data copied out of the event.
    unsafe {
        if yaml::yaml_parser_initialize(parser).fail {
            return Err(());
        }
        yaml::yaml_parser_set_input_string(parser, text.as_ptr(), text.len() as u64);
        let result = loop {
            let mut event = MaybeUninit::<yaml::yaml_event_t>::uninit();
            let event = event.as_mut_ptr();
            if yaml::yaml_parser_parse(parser, event).fail {
                break Err(());
            }
            let mark = (*event).start_mark;
            // libyaml counts lines and columns (in characters) from 0.
            let at = Position {
                line: usize::try_from(mark.line)
                    .unwrap_or(usize::MAX)
                    .saturating_add(1),
                column: usize::try_from(mark.column)
                    .unwrap_or(usize::MAX)
                    .saturating_add(1),
            };
            let kind = (*event).type_;
            let node = match kind {
                yaml::YAML_SCALAR_EVENT => {
                    let scalar = (*event).data.scalar;
                    let length = usize::try_from(scalar.length).unwrap_or(0);
                    let bytes = if scalar.value.is_null() || length == 0 {
                        &[][..]
                    } else {
                        std::slice::from_raw_parts(scalar.value, length)
                    };
                    Some(Event::Scalar(String::from_utf8_lossy(bytes).into_owned()))
                }
                yaml::YAML_ALIAS_EVENT => Some(Event::Alias),
                yaml::YAML_MAPPING_START_EVENT => Some(Event::MappingStart),
                yaml::YAML_SEQUENCE_START_EVENT => Some(Event::SequenceStart),
                yaml::YAML_MAPPING_END_EVENT | yaml::YAML_SEQUENCE_END_EVENT => Some(Event::End),
                _ => None,
            };
            yaml::yaml_event_delete(event);
            if let Some(node) = node {
                on_event(node, at);
            }
            if kind == yaml::YAML_STREAM_END_EVENT {
                break Ok(());
            }
        };
        yaml::yaml_parser_delete(parser);
        result
    }
}
