//! Diagnostics: what is wrong with a spec, where, and what to do about it.
//!
//! Every stage pushes into one [`Diagnostics`] list instead of returning early, so a user sees
//! every problem of a spec in one run.

use std::fmt;

/// How serious a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// Generation cannot produce a faithful client.
    Error,
    /// The client is generated, but something in the spec deserves a look.
    Warning,
}

/// A line and column (both 1-based) in the spec file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Position {
    /// 1-based line.
    pub line: usize,
    /// 1-based column.
    pub column: usize,
}

/// One problem found in a spec.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// What is wrong, in one line.
    pub message: String,
    /// JSON pointer (RFC 6901) of the offending node, `""` for the whole document.
    pub pointer: String,
    /// Where the node starts in the file, when the file could be mapped.
    pub position: Option<Position>,
    /// What to do about it.
    pub help: Option<String>,
    /// The document is valid, but the client can't support this construct: an operation
    /// with only such errors can be left out of the client instead of failing it.
    pub unsupported: bool,
    /// An author's mistake whose meaning is clear, and how the generator reads it ("read as
    /// required"). It is a warning unless the run is strict, which makes it an error (see
    /// [`Diagnostics::escalate_mistakes`]). The README lists every such mistake.
    /// (A boxed `str` keeps a `Diagnostic` small: it travels in every `Result`'s error.)
    pub reading: Option<Box<str>>,
}

impl Diagnostic {
    /// An error at `pointer`.
    pub fn error(pointer: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            severity: Severity::Error,
            message: message.into(),
            pointer: pointer.into(),
            position: None,
            help: None,
            unsupported: false,
            reading: None,
        }
    }

    /// An author's mistake at `pointer` whose meaning is clear: a warning that says what is
    /// wrong (`message`) and how the document is read instead (`reading`).
    pub fn mistake(
        pointer: impl Into<String>,
        message: impl Into<String>,
        reading: impl Into<String>,
    ) -> Self {
        Self {
            reading: Some(reading.into().into_boxed_str()),
            ..Self::warning(pointer, message)
        }
    }

    /// A warning at `pointer`.
    pub fn warning(pointer: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            severity: Severity::Warning,
            ..Self::error(pointer, message)
        }
    }

    /// Marks the problem as a construct the client can't support (see [`Self::unsupported`]).
    pub fn unsupported(mut self) -> Self {
        self.unsupported = true;
        self
    }

    /// Adds advice on how to fix the problem.
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Renders the diagnostic like rustc does, naming `file` in the location line.
    pub fn render(&self, file: &str) -> String {
        let mut out = String::new();
        let label = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        out.push_str(&format!("{label}: {}\n", self.message));
        match self.position {
            Some(p) => out.push_str(&format!("  --> {file}:{}:{}\n", p.line, p.column)),
            None => out.push_str(&format!("  --> {file}\n")),
        }
        let pointer = if self.pointer.is_empty() {
            "/"
        } else {
            &self.pointer
        };
        out.push_str(&format!("   = at: #{pointer}\n"));
        if let Some(reading) = &self.reading {
            match self.severity {
                Severity::Warning => out.push_str(&format!(
                    "   = note: {reading} (`--strict` makes this an error)\n"
                )),
                Severity::Error => out.push_str(&format!(
                    "   = note: without `--strict`, a warning: {reading}\n"
                )),
            }
        }
        if let Some(help) = &self.help {
            out.push_str(&format!("   = help: {help}\n"));
        }
        out
    }

    /// One line for a build script's output: what, where, and what to do.
    pub fn render_line(&self, file: &str) -> String {
        let label = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        let mut line = format!("{label}: {}", self.message);
        if let Some(reading) = &self.reading {
            line.push_str(&format!("; {reading}"));
        }
        match self.position {
            Some(p) => line.push_str(&format!(" ({file}:{}:{})", p.line, p.column)),
            None => line.push_str(&format!(" ({file})")),
        }
        line
    }

    /// What makes two diagnostics "the same cause": the message with the names and values it
    /// quotes (code spans and numbers) left out. `` `a` is required but not declared `` and
    /// `` `b` is required but not declared `` are one cause met twice.
    pub fn cause(&self) -> (Severity, String) {
        let mut cause = String::with_capacity(self.message.len());
        let mut in_code = false;
        for c in self.message.chars() {
            match c {
                '`' => {
                    in_code = !in_code;
                    if in_code {
                        cause.push('_');
                    }
                }
                _ if in_code => {}
                c if c.is_ascii_digit() => {
                    if !cause.ends_with('#') {
                        cause.push('#');
                    }
                }
                c => cause.push(c),
            }
        }
        (self.severity, cause)
    }
}

/// An ordered collection of diagnostics.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
}

impl Diagnostics {
    /// Adds one diagnostic.
    pub fn push(&mut self, diagnostic: Diagnostic) {
        self.items.push(diagnostic);
    }

    /// True when every error is an unsupported construct (see [`Diagnostic::unsupported`]).
    pub fn errors_are_unsupported(&self) -> bool {
        self.items
            .iter()
            .all(|d| d.severity != Severity::Error || d.unsupported)
    }

    /// True when at least one diagnostic is an error.
    pub fn has_errors(&self) -> bool {
        self.items.iter().any(|d| d.severity == Severity::Error)
    }

    /// Number of errors.
    pub fn error_count(&self) -> usize {
        self.items
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .count()
    }

    /// Number of warnings.
    pub fn warning_count(&self) -> usize {
        self.items.len() - self.error_count()
    }

    /// Takes the diagnostics out, in the order they were found.
    pub fn into_vec(self) -> Vec<Diagnostic> {
        self.items
    }

    /// All diagnostics, in the order they were found.
    pub fn iter(&self) -> impl Iterator<Item = &Diagnostic> {
        self.items.iter()
    }

    /// True when there is nothing to report.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// Keeps only the diagnostics for which `keep` is true.
    pub fn retain(&mut self, keep: impl Fn(&Diagnostic) -> bool) {
        self.items.retain(|d| keep(d));
    }

    /// Rewrites every pointer, e.g. from a node of a normalised document to its source.
    pub fn map_pointers(&mut self, map: impl Fn(&str) -> String) {
        for d in &mut self.items {
            d.pointer = map(&d.pointer);
        }
    }

    /// Fills in line and column from a pointer lookup, and orders the list by position so the
    /// report reads top to bottom like the file.
    pub fn locate(&mut self, lookup: impl Fn(&str) -> Option<Position>) {
        for d in &mut self.items {
            if d.position.is_none() {
                d.position = lookup(&d.pointer);
            }
        }
        // A stable sort keeps the discovery order for diagnostics at the same place.
        self.items.sort_by_key(|d| d.position);
    }

    /// Makes every author's mistake (see [`Diagnostic::reading`]) an error: a strict run
    /// accepts no document that had to be read generously.
    pub fn escalate_mistakes(&mut self) {
        for d in &mut self.items {
            if d.reading.is_some() {
                d.severity = Severity::Error;
            }
        }
    }

    /// The diagnostics grouped by cause (see [`Diagnostic::cause`]), each group in the order
    /// its members were found, the groups in the order of their first member.
    pub fn groups(&self) -> Vec<Vec<&Diagnostic>> {
        let mut index: std::collections::BTreeMap<(Severity, String), usize> =
            std::collections::BTreeMap::new();
        let mut groups: Vec<Vec<&Diagnostic>> = Vec::new();
        for d in &self.items {
            let slot = *index.entry(d.cause()).or_insert_with(|| {
                groups.push(Vec::new());
                groups.len() - 1
            });
            groups[slot].push(d);
        }
        groups
    }

    /// Renders the diagnostics and a closing count, rustc style. Diagnostics with the same
    /// cause are grouped: the first [`GROUP_SHOWN`] of each with their locations, then how
    /// many more there are. Plaid's document has one cause behind a thousand warnings; a
    /// thousand screens of them would hide the three that matter.
    pub fn render(&self, file: &str) -> String {
        self.render_as(file, Detail::Grouped)
    }

    /// Renders every diagnostic, none grouped (`--verbose`), and the closing count.
    pub fn render_all(&self, file: &str) -> String {
        self.render_as(file, Detail::All)
    }

    /// Renders as `detail` says, with the closing count.
    pub fn render_as(&self, file: &str, detail: Detail) -> String {
        let mut out = String::new();
        match detail {
            Detail::All => {
                for d in &self.items {
                    out.push_str(&d.render(file));
                    out.push('\n');
                }
            }
            Detail::Grouped => {
                for group in self.groups() {
                    for (i, d) in group.iter().take(GROUP_SHOWN).enumerate() {
                        out.push_str(&d.render(file));
                        let more = group.len() - GROUP_SHOWN.min(group.len());
                        if i + 1 == GROUP_SHOWN && more > 0 {
                            out.push_str(&format!(
                                "   = note: and {} more like this (`--verbose` lists them)\n",
                                thousands(more)
                            ));
                        }
                        out.push('\n');
                    }
                }
            }
        }
        out.push_str(&self.closing_line(file));
        out
    }

    /// The lines a build script prints as `cargo:warning`s: one per cause with how many more
    /// share it, at most [`BUILD_LINES`] in all, then how to see the rest (`detail` says
    /// whether to list every diagnostic instead, one line each).
    pub fn build_lines(&self, file: &str, detail: Detail) -> Vec<String> {
        let mut lines: Vec<String> = match detail {
            Detail::All => self.items.iter().map(|d| d.render_line(file)).collect(),
            Detail::Grouped => self
                .groups()
                .into_iter()
                .map(|group| {
                    let mut line = group[0].render_line(file);
                    if group.len() > 1 {
                        line.push_str(&format!(
                            ", and {} more like this",
                            thousands(group.len() - 1)
                        ));
                    }
                    line
                })
                .collect(),
        };
        if detail == Detail::Grouped && lines.len() > BUILD_LINES {
            let rest = lines.len() - (BUILD_LINES - 1);
            lines.truncate(BUILD_LINES - 1);
            lines.push(format!(
                "... and {rest} more kinds of diagnostic: set {VERBOSE_ENV}=1 to list every one"
            ));
        } else if detail == Detail::Grouped && lines.len() < self.items.len() {
            lines.push(format!(
                "{file}: {} in {} kinds: set {VERBOSE_ENV}=1 to list every one",
                self.count_words(),
                lines.len()
            ));
        }
        lines
    }

    fn count_words(&self) -> String {
        let errors = self.error_count();
        let warnings = self.warning_count();
        match (errors, warnings) {
            (0, w) => format!("{} warning{}", thousands(w), plural(w)),
            (e, 0) => format!("{} error{}", thousands(e), plural(e)),
            (e, w) => format!(
                "{} error{}, {} warning{}",
                thousands(e),
                plural(e),
                thousands(w),
                plural(w)
            ),
        }
    }

    fn closing_line(&self, file: &str) -> String {
        let errors = self.error_count();
        let warnings = self.warning_count();
        if errors > 0 {
            format!(
                "error: could not generate a client from {file}: {}\n",
                self.count_words()
            )
        } else if warnings > 0 {
            format!("warning: {file}: {}\n", self.count_words())
        } else {
            String::new()
        }
    }
}

/// How many diagnostics of one cause [`Diagnostics::render`] shows before it counts the rest.
pub const GROUP_SHOWN: usize = 3;

/// At most this many `cargo:warning` lines for one document from a build script.
pub const BUILD_LINES: usize = 30;

/// The environment variable that makes a build script list every diagnostic.
pub const VERBOSE_ENV: &str = "COMMET_CODEGEN_VERBOSE";

/// How much of a list of diagnostics to show.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Detail {
    /// Grouped by cause, the first few of each (the default).
    #[default]
    Grouped,
    /// Every diagnostic (`--verbose`).
    All,
}

/// `1090` as `1,090`.
fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

impl Extend<Diagnostic> for Diagnostics {
    fn extend<T: IntoIterator<Item = Diagnostic>>(&mut self, iter: T) {
        self.items.extend(iter);
    }
}

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.render("spec"))
    }
}

/// The name a JSON pointer token escapes: [`escape_token`] undone.
pub fn unescape_token(token: &str) -> String {
    token.replace("~1", "/").replace("~0", "~")
}

/// Escapes one JSON pointer token (RFC 6901): `~` becomes `~0`, `/` becomes `~1`.
pub fn escape_token(token: &str) -> String {
    let mut escaped = String::with_capacity(token.len());
    push_escaped(&mut escaped, token);
    escaped
}

/// Joins a pointer and one more token. Documents are walked node by node, and every node
/// needs its pointer: one allocation each.
pub fn child(pointer: &str, token: &str) -> String {
    let mut joined = String::with_capacity(pointer.len() + 1 + token.len());
    joined.push_str(pointer);
    joined.push('/');
    push_escaped(&mut joined, token);
    joined
}

fn push_escaped(out: &mut String, token: &str) {
    for c in token.chars() {
        match c {
            '~' => out.push_str("~0"),
            '/' => out.push_str("~1"),
            c => out.push(c),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_like_rustc() {
        let mut d = Diagnostic::error("/paths/~1a/get", "unsupported thing").with_help("remove it");
        d.position = Some(Position { line: 4, column: 7 });
        assert_eq!(
            d.render("spec.yaml"),
            "error: unsupported thing\n  --> spec.yaml:4:7\n   = at: #/paths/~1a/get\n   = help: remove it\n"
        );
    }

    #[test]
    fn pointer_tokens_are_escaped() {
        assert_eq!(child("", "/payments/{id}"), "/~1payments~1{id}");
        assert_eq!(child("/a", "x~y"), "/a/x~0y");
        assert_eq!(child("", "é~/"), "/é~0~1");
        assert_eq!(escape_token("~/"), "~0~1");
        assert_eq!(unescape_token("~0~1"), "~/");
    }

    fn many(n: usize) -> Diagnostics {
        let mut all = Diagnostics::default();
        for i in 0..n {
            let mut d = Diagnostic::warning(format!("/p/{i}"), format!("`f{i}` is odd"))
                .with_help("fix it");
            d.position = Some(Position {
                line: i + 1,
                column: 1,
            });
            all.push(d);
        }
        let mut other = Diagnostic::warning("/q", "another cause");
        other.position = Some(Position { line: 1, column: 9 });
        all.push(other);
        all
    }

    #[test]
    fn one_cause_is_one_group_whatever_names_and_numbers_it_quotes() {
        let all = many(1_200);
        let groups = all.groups();
        assert_eq!(groups.len(), 2);
        assert_eq!(groups[0].len(), 1_200);
        let text = all.render("s.yaml");
        assert_eq!(text.matches("is odd").count(), GROUP_SHOWN);
        assert!(text.contains("   = note: and 1,197 more like this (`--verbose` lists them)\n"));
        assert!(
            text.ends_with("warning: s.yaml: 1,201 warnings\n"),
            "{text}"
        );
        let all_text = all.render_all("s.yaml");
        assert_eq!(all_text.matches("is odd").count(), 1_200);
        assert!(all_text.ends_with("warning: s.yaml: 1,201 warnings\n"));
    }

    #[test]
    fn a_build_script_prints_one_line_per_cause_and_a_screenful_at_most() {
        let lines = many(50).build_lines("s.yaml", Detail::Grouped);
        assert_eq!(
            lines,
            [
                "warning: `f0` is odd (s.yaml:1:1), and 49 more like this",
                "warning: another cause (s.yaml:1:9)",
                "s.yaml: 51 warnings in 2 kinds: set COMMET_CODEGEN_VERBOSE=1 to list every one",
            ]
        );
        assert_eq!(many(50).build_lines("s.yaml", Detail::All).len(), 51);
        // Many causes: the list is cut, and says how to see the rest.
        let mut causes = Diagnostics::default();
        for i in 0..100 {
            causes.push(Diagnostic::warning("", format!("cause {}", "x".repeat(i))));
        }
        let lines = causes.build_lines("s.yaml", Detail::Grouped);
        assert_eq!(lines.len(), BUILD_LINES);
        assert_eq!(
            lines.last().map(String::as_str),
            Some(
                "... and 71 more kinds of diagnostic: set COMMET_CODEGEN_VERBOSE=1 to list every one"
            )
        );
    }

    #[test]
    fn a_strict_run_makes_every_mistake_an_error_and_says_what_a_lenient_one_reads() {
        let mut all = Diagnostics::default();
        all.push(Diagnostic::mistake("/a", "`x` is odd", "read as even"));
        all.push(Diagnostic::warning("/b", "plain"));
        let lenient = all.render("s.yaml");
        assert!(lenient.contains("   = note: read as even (`--strict` makes this an error)\n"));
        all.escalate_mistakes();
        assert_eq!(all.error_count(), 1);
        let strict = all.render("s.yaml");
        assert!(strict.starts_with("error: `x` is odd\n"), "{strict}");
        assert!(strict.contains("   = note: without `--strict`, a warning: read as even\n"));
    }
}
