//! Where a walk of the document is, kept as a chain of keys on the stack.

use crate::diagnostic::child;

/// Where a node is: its parent's place and its key or index. The JSON pointer is spelled out
/// only when something is reported there: most documents need none, and building one string
/// per node was a tenth of the loading time.
#[derive(Clone, Copy)]
pub(super) enum Place<'p> {
    Root,
    Key(&'p Place<'p>, &'p str),
    Index(&'p Place<'p>, usize),
}

impl Place<'_> {
    pub(super) fn pointer(&self) -> String {
        match self {
            Place::Root => String::new(),
            Place::Key(parent, key) => child(&parent.pointer(), key),
            Place::Index(parent, index) => child(&parent.pointer(), &index.to_string()),
        }
    }

    /// The key this place is under, if it is a key.
    pub(super) fn key(&self) -> Option<&str> {
        match self {
            Place::Key(_, key) => Some(key),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Place;

    #[test]
    fn pointers_are_spelled_out_escaped() {
        let components = Place::Key(&Place::Root, "components");
        let schema = Place::Key(&components, "a/b~c");
        let item = Place::Index(&schema, 2);
        assert_eq!(Place::Root.pointer(), "");
        assert_eq!(item.pointer(), "/components/a~1b~0c/2");
        assert_eq!(schema.key(), Some("a/b~c"));
        assert_eq!(item.key(), None);
    }
}
