//! diff: what an API change means for users of the generated client, as a changelog.
//!
//! Two versions of a spec are lowered with the same settings and their IRs compared. Every
//! difference that reaches the generated client is one [`Change`], classified for the people
//! who upgrade:
//!
//! - **breaking**: code written against the old client stops compiling ([`Aspect::Source`]),
//!   or compiles but stops working ([`Aspect::Behaviour`]: credentials no longer sent,
//!   retries no longer safe);
//! - **review**: the client's behaviour may change in ways the spec's structure can't show (a
//!   new API version, an operation's description); a person decides;
//! - **compatible**: old code compiles and works; the client gained something, or follows a
//!   new wire contract by itself (a moved path, a renamed auth header);
//! - **patch**: only documentation changed.
//!
//! Verdicts hold in both ways the README tells people to use the client, as a dependency and
//! `include!`d into their own crate, because the generated code keeps struct literals and
//! exhaustive matches out of reach in both (see ARCHITECTURE.md). `generator/tests/verdicts.rs`
//! proves each rule by compiling a user program against both clients.
//!
//! The rules are split by concern: `api.rs` (version, server, authentication, environment,
//! webhooks), `operations.rs` (methods, arguments, bodies, responses), `types.rs` (structs,
//! enums, unions), `renames.rs` (a type under a new name), `side.rs` (one version: lookups
//! and where things are in the spec), `words.rs` (word diffs) and `render.rs` (text,
//! Markdown, JSON).

mod api;
mod operations;
mod params;
mod payloads;
mod renames;
mod render;
mod side;
mod types;
mod words;

use serde::Serialize;

use crate::ir::Api;
use crate::load::Loaded;

pub use render::Format;
pub use words::{Word, WordKind};

use side::Side;

/// How a change matters to users of the client. Ordered from most to least serious.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Class {
    /// Existing code stops compiling, or stops working.
    Breaking,
    /// Behaviour may change; a person must read the change and decide.
    Review,
    /// Existing code keeps compiling and working.
    Compatible,
    /// Only documentation changed.
    Patch,
}

impl Class {
    /// The word used in reports: `breaking`, `review`, `compatible`, `patch`.
    pub fn label(self) -> &'static str {
        match self {
            Self::Breaking => "breaking",
            Self::Review => "review",
            Self::Compatible => "compatible",
            Self::Patch => "patch",
        }
    }
}

/// What a verdict is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Aspect {
    /// The Rust API: what callers' code names and how it compiles.
    Source,
    /// What the client does at run time: what it sends and accepts on the wire, and what it
    /// reads from the environment.
    Behaviour,
    /// Documentation only.
    Docs,
}

impl Aspect {
    /// The word used in reports: `source`, `behaviour`, `docs`.
    pub fn label(self) -> &'static str {
        match self {
            Self::Source => "source",
            Self::Behaviour => "behaviour",
            Self::Docs => "docs",
        }
    }
}

/// Where one side of a change is in its spec file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Location {
    /// The spec's name as given.
    pub file: String,
    /// JSON pointer of the node, with the leading `#`.
    pub pointer: String,
    /// 1-based line, when the node is in the file.
    pub line: Option<usize>,
    /// 1-based column, when the node is in the file.
    pub column: Option<usize>,
}

impl std::fmt::Display for Location {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match (self.line, self.column) {
            (Some(line), Some(column)) => write!(f, "{}:{line}:{column}", self.file)?,
            _ => write!(f, "{}", self.file)?,
        }
        write!(f, " {}", self.pointer)
    }
}

/// A changed text (a description), old and new, and the word diff between them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TextChange {
    /// The old text.
    pub old: String,
    /// The new text.
    pub new: String,
    /// The words, each kept, removed or added, in reading order.
    pub words: Vec<Word>,
}

/// One difference between two versions of an API, as users of the client see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Change {
    /// Breaking, review, compatible or patch.
    pub class: Class,
    /// Whether the verdict is about source, behaviour or docs.
    pub aspect: Aspect,
    /// The Rust item users see: `Payment::url`, `PaymentProvider::Dlocal`,
    /// `Client::charge_payment`.
    pub subject: String,
    /// What changed, and what it means, in one line.
    pub message: String,
    /// Where it was in the old spec (absent for an addition).
    pub old: Option<Location>,
    /// Where it is in the new spec (absent for a removal).
    pub new: Option<Location>,
    /// For a changed description: both texts and their word diff.
    pub text: Option<TextChange>,
}

impl std::fmt::Display for Change {
    /// One line: `breaking (source): Payment::url: removed`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} ({}): {}: {}",
            self.class.label(),
            self.aspect.label(),
            self.subject,
            self.message
        )
    }
}

/// The semver bump a change list asks of the client crate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Bump {
    /// Nothing users can see changed.
    None,
    /// Documentation only.
    Patch,
    /// Additions, wire changes the client follows by itself, and changes to review.
    Minor,
    /// At least one breaking change.
    Major,
}

impl Bump {
    /// `none`, `patch`, `minor` or `major`.
    pub fn label(self) -> &'static str {
        match self {
            Self::None => "none",
            Self::Patch => "patch",
            Self::Minor => "minor",
            Self::Major => "major",
        }
    }
}

/// The semver verdict for the client crate, and what it rests on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Verdict {
    /// The bump.
    pub bump: Bump,
    /// How many changes break callers.
    pub breaking: usize,
    /// How many a person must review (they may make the release major).
    pub review: usize,
    /// How many are compatible.
    pub compatible: usize,
    /// How many touch documentation only.
    pub patch: usize,
}

/// One version of an API, ready to be compared: the IR, and the spec it came from so that
/// changes can say where they are.
#[derive(Debug, Clone)]
pub struct Snapshot {
    /// The spec's name, as locations show it.
    pub file: String,
    /// The lowered API.
    pub api: Api,
    /// The prefix of the environment variables the client reads (`COMMET`).
    pub env_prefix: String,
    /// The loaded document, for pointers and line numbers; `None` gives pointers only.
    pub loaded: Option<Loaded>,
}

impl Snapshot {
    /// A snapshot of an IR alone: changes carry pointers derived from the IR, no positions.
    pub fn from_api(file: impl Into<String>, api: Api) -> Self {
        let env_prefix = crate::builder::default_env_prefix(&api.title);
        Self {
            file: file.into(),
            api,
            env_prefix,
            loaded: None,
        }
    }
}

/// Every change from `old` to `new`, with the verdict.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Report {
    /// The old spec's name.
    pub old_file: String,
    /// The new spec's name.
    pub new_file: String,
    /// The old `info.version`.
    pub old_version: String,
    /// The new `info.version`.
    pub new_version: String,
    /// The changes, most serious first.
    pub changes: Vec<Change>,
    /// The semver verdict.
    pub verdict: Verdict,
}

impl Report {
    /// How many changes are of `class`.
    pub fn count(&self, class: Class) -> usize {
        self.changes.iter().filter(|c| c.class == class).count()
    }

    /// True when a change is at least as serious as `threshold` (`Breaking` fails on breaking
    /// changes only; `Review` on breaking changes and changes to review).
    pub fn fails(&self, threshold: Class) -> bool {
        self.changes.iter().any(|c| c.class <= threshold)
    }

    /// The changes that stop old code from compiling: the ones a user program written against
    /// the old client proves.
    pub fn source_breaking(&self) -> impl Iterator<Item = &Change> {
        self.changes
            .iter()
            .filter(|c| c.class == Class::Breaking && c.aspect == Aspect::Source)
    }
}

/// Compares two versions of an API.
pub fn diff(old: &Snapshot, new: &Snapshot) -> Report {
    let old_side = Side::new(old);
    let new_side = Side::new(new);
    let renames = renames::detect(&old_side, &new_side);
    let mut found = Found::default();
    api::compare(&old_side, &new_side, &renames, &mut found);
    operations::compare(&old_side, &new_side, &renames, &mut found);
    types::compare(&old_side, &new_side, &renames, &mut found);
    let mut changes: Vec<Change> = found
        .items
        .into_iter()
        .map(|f| f.locate(&old_side, &new_side))
        .collect();
    changes.sort_by(|a, b| {
        (a.class, &a.subject, &a.message, a.aspect)
            .cmp(&(b.class, &b.subject, &b.message, b.aspect))
    });
    changes.dedup();
    let count = |class| changes.iter().filter(|c| c.class == class).count();
    let (breaking, review, compatible, patch) = (
        count(Class::Breaking),
        count(Class::Review),
        count(Class::Compatible),
        count(Class::Patch),
    );
    let bump = if breaking > 0 {
        Bump::Major
    } else if review + compatible > 0 {
        Bump::Minor
    } else if patch > 0 {
        Bump::Patch
    } else {
        Bump::None
    };
    Report {
        old_file: old.file.clone(),
        new_file: new.file.clone(),
        old_version: old.api.version.clone(),
        new_version: new.api.version.clone(),
        changes,
        verdict: Verdict {
            bump,
            breaking,
            review,
            compatible,
            patch,
        },
    }
}

/// A change as the rules find it: pointers only, located at the end.
struct Item {
    class: Class,
    aspect: Aspect,
    subject: String,
    message: String,
    old_at: Option<String>,
    new_at: Option<String>,
    text: Option<(String, String)>,
}

impl Item {
    fn locate(self, old: &Side, new: &Side) -> Change {
        Change {
            class: self.class,
            aspect: self.aspect,
            subject: self.subject,
            message: self.message,
            old: self.old_at.map(|p| old.locate(&p)),
            new: self.new_at.map(|p| new.locate(&p)),
            text: self.text.map(|(old, new)| TextChange {
                words: words::diff(&old, &new),
                old,
                new,
            }),
        }
    }
}

/// What the rules found so far.
#[derive(Default)]
struct Found {
    items: Vec<Item>,
}

impl Found {
    /// A deprecation added (callers now get warnings; `added` says so) or lifted (docs only),
    /// at `was` and `now`.
    fn deprecation(
        &mut self,
        before: bool,
        after: bool,
        subject: impl Into<String>,
        added: &str,
        (was, now): (&str, &str),
    ) {
        let (class, aspect, message) = match (before, after) {
            (false, true) => (Class::Compatible, Aspect::Source, added),
            (true, false) => (Class::Patch, Aspect::Docs, "no longer deprecated"),
            _ => return,
        };
        self.push(class, aspect, subject, message).at(was, now);
    }

    /// A changed description (docs only), with the old and new text, at `was` and `now`.
    fn description(
        &mut self,
        before: &crate::ir::Docs,
        after: &crate::ir::Docs,
        subject: impl Into<String>,
        (was, now): (&str, &str),
    ) {
        if before != after {
            self.push(Class::Patch, Aspect::Docs, subject, "description changed")
                .at(was, now)
                .text(
                    before.paragraphs.join("\n\n"),
                    after.paragraphs.join("\n\n"),
                );
        }
    }

    /// Starts a change; the builder's `at` methods add its locations.
    fn push(
        &mut self,
        class: Class,
        aspect: Aspect,
        subject: impl Into<String>,
        message: impl Into<String>,
    ) -> &mut Item {
        self.items.push(Item {
            class,
            aspect,
            subject: subject.into(),
            message: message.into(),
            old_at: None,
            new_at: None,
            text: None,
        });
        let last = self.items.len() - 1;
        &mut self.items[last]
    }
}

impl Item {
    /// Where it was in the old spec.
    fn was(&mut self, pointer: impl Into<String>) -> &mut Self {
        self.old_at = Some(pointer.into());
        self
    }

    /// Where it is in the new spec.
    fn now(&mut self, pointer: impl Into<String>) -> &mut Self {
        self.new_at = Some(pointer.into());
        self
    }

    /// Both sides at once.
    fn at(&mut self, old: impl Into<String>, new: impl Into<String>) -> &mut Self {
        self.was(old).now(new)
    }

    /// A changed description, old and new.
    fn text(&mut self, old: impl Into<String>, new: impl Into<String>) -> &mut Self {
        self.text = Some((old.into(), new.into()));
        self
    }
}
