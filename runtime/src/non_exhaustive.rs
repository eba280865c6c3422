//! Keeps generated enums open inside the crate that `include!`s them.
//!
//! `#[non_exhaustive]` only binds other crates. A client generated in a build script and
//! included into the user's own crate (the usual way) is part of that crate, so an enum there
//! could be matched without a wildcard arm, and a new value in the API would stop that code
//! compiling. Every generated enum therefore has one more, hidden variant holding a
//! [`NonExhaustive`]: a value nobody can make, whose emptiness is private, so a `match` must
//! still end with `_`, wherever it is written.

/// A value that cannot exist: the payload of the hidden variant of generated enums.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct NonExhaustive(Never);

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
enum Never {}

impl NonExhaustive {
    /// Never returns: there is no value to call it on. Generated code uses it in the arm of
    /// the hidden variant.
    pub fn unreachable(&self) -> ! {
        match self.0 {}
    }
}
