//! A report as text for a terminal, Markdown for a pull request or a CHANGELOG, JSON for
//! tools, or one summary line for `generate`.

use std::fmt::Write as _;

use super::words;
use super::{Change, Class, Report};

/// How `diff` prints its report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Format {
    /// Lines for a terminal, with spec locations and word diffs.
    #[default]
    Text,
    /// A Markdown section to paste into a pull request or a CHANGELOG.
    Markdown,
    /// The whole report as JSON, for tools.
    Json,
}

impl std::str::FromStr for Format {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "text" => Ok(Self::Text),
            "markdown" | "md" => Ok(Self::Markdown),
            "json" => Ok(Self::Json),
            other => Err(format!(
                "unknown format `{other}`: use text, markdown or json"
            )),
        }
    }
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

impl Report {
    /// The report in `format`.
    pub fn render(&self, format: Format) -> String {
        match format {
            Format::Text => self.text(),
            Format::Markdown => self.markdown(),
            Format::Json => {
                let mut json = serde_json::to_string_pretty(self)
                    .unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"));
                json.push('\n');
                json
            }
        }
    }

    /// The counts, most serious first, the empty ones left out: `1 breaking, 2 compatible,
    /// 1 to review`.
    pub fn counts(&self) -> String {
        let v = &self.verdict;
        let parts: Vec<String> = [
            (v.breaking, "breaking"),
            (v.compatible, "compatible"),
            (v.review, "to review"),
            (v.patch, "patch"),
        ]
        .into_iter()
        .filter(|(n, _)| *n > 0)
        .map(|(n, word)| format!("{n} {word}"))
        .collect();
        if parts.is_empty() {
            "no API changes".to_owned()
        } else {
            parts.join(", ")
        }
    }

    /// The line `generate` prints when it overwrites an output:
    /// `generated/commet.rs: 1 breaking, 2 compatible, 1 to review (run diff for details)`.
    pub fn summary_line(&self, output: &str) -> String {
        if self.changes.is_empty() {
            format!("{output}: no API changes")
        } else {
            format!("{output}: {} (run diff for details)", self.counts())
        }
    }

    /// `semver: major (2 breaking, ...)`, with what a 0.x crate bumps instead.
    fn verdict_line(&self) -> String {
        let bump = self.verdict.bump;
        let zero = match bump {
            super::Bump::Major => "; for a 0.x crate, bump the minor version",
            super::Bump::Minor => "; for a 0.x crate, bump the patch version",
            _ => "",
        };
        let review = if self.verdict.review > 0 && bump != super::Bump::Major {
            format!(
                "; {} to review may make it major",
                plural(self.verdict.review, "change", "changes")
            )
        } else {
            String::new()
        };
        format!("semver: {} ({}){review}{zero}", bump.label(), self.counts())
    }

    fn text(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(
            out,
            "{} ({}) -> {} ({})",
            self.old_file, self.old_version, self.new_file, self.new_version
        );
        if self.changes.is_empty() {
            out.push_str("no changes that affect the client\n");
        }
        for c in &self.changes {
            let _ = writeln!(out, "\n{c}");
            if let Some(l) = &c.old {
                let _ = writeln!(out, "  old --> {l}");
            }
            if let Some(l) = &c.new {
                let _ = writeln!(out, "  new --> {l}");
            }
            if let Some(t) = &c.text {
                for line in words::plain(&t.words).lines() {
                    let _ = writeln!(out, "   | {line}");
                    out.truncate(out.trim_end().len());
                    out.push('\n');
                }
            }
        }
        let _ = writeln!(out, "\n{}", self.verdict_line());
        out
    }

    fn markdown(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(
            out,
            "### API changes: `{}` → `{}`\n",
            self.old_version, self.new_version
        );
        let _ = writeln!(out, "**{}**", self.verdict_line());
        let sections = [
            (Class::Breaking, "Breaking"),
            (Class::Review, "To review: behaviour may change"),
            (Class::Compatible, "Compatible"),
            (Class::Patch, "Documentation"),
        ];
        for (class, title) in sections {
            let items: Vec<&Change> = self.changes.iter().filter(|c| c.class == class).collect();
            if items.is_empty() {
                continue;
            }
            let _ = writeln!(out, "\n#### {title}\n");
            for c in items {
                let location = c
                    .new
                    .as_ref()
                    .or(c.old.as_ref())
                    .map(|l| match (l.line, l.column) {
                        (Some(line), Some(column)) => format!(" (`{}:{line}:{column}`)", l.file),
                        _ => format!(" (`{}`)", l.pointer),
                    })
                    .unwrap_or_default();
                let _ = writeln!(
                    out,
                    "- `{}` ({}): {}{location}",
                    c.subject,
                    c.aspect.label(),
                    c.message
                );
                if let Some(t) = &c.text {
                    for line in words::markdown(&t.words).lines() {
                        let _ = writeln!(out, "  > {line}");
                        out.truncate(out.trim_end().len());
                        out.push('\n');
                    }
                }
            }
        }
        out
    }
}
