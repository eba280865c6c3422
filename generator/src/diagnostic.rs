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
        if let Some(help) = &self.help {
            out.push_str(&format!("   = help: {help}\n"));
        }
        out
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

    /// Renders every diagnostic and a closing count, rustc style.
    pub fn render(&self, file: &str) -> String {
        let mut out = String::new();
        for d in &self.items {
            out.push_str(&d.render(file));
            out.push('\n');
        }
        let errors = self.error_count();
        let warnings = self.warning_count();
        if errors > 0 {
            out.push_str(&format!(
                "error: could not generate a client from {file}: {errors} error{}{}\n",
                plural(errors),
                if warnings > 0 {
                    format!(", {warnings} warning{}", plural(warnings))
                } else {
                    String::new()
                }
            ));
        } else if warnings > 0 {
            out.push_str(&format!(
                "warning: {file}: {warnings} warning{}\n",
                plural(warnings)
            ));
        }
        out
    }
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
}
