//! Word diffs of changed descriptions: what a reader needs to see at a glance when an
//! operation's description changes (`No subscription or plan required.` → `Requires an active
//! subscription.`).

use serde::Serialize;
use similar::{ChangeTag, TextDiff};

/// Whether a run of words was kept, removed or added.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum WordKind {
    /// In both texts.
    Same,
    /// Only in the old text.
    Removed,
    /// Only in the new text.
    Added,
}

/// A run of text of one kind, whitespace included.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Word {
    /// Kept, removed or added.
    pub kind: WordKind,
    /// The text.
    pub text: String,
}

/// The word diff from `old` to `new`, as phrases: a single kept word between two changes
/// joins them, so a rewritten sentence reads as one removal and one addition rather than
/// alternating fragments.
pub fn diff(old: &str, new: &str) -> Vec<Word> {
    let diff = TextDiff::from_words(old, new);
    let runs: Vec<(WordKind, &str)> = diff
        .iter_all_changes()
        .map(|change| {
            let kind = match change.tag() {
                ChangeTag::Equal => WordKind::Same,
                ChangeTag::Delete => WordKind::Removed,
                ChangeTag::Insert => WordKind::Added,
            };
            (kind, change.value())
        })
        .collect();
    // Group into stretches of kept text and changed stretches; a changed stretch holds its
    // removed and added text apart.
    let mut out: Vec<Word> = Vec::new();
    let mut removed = String::new();
    let mut added = String::new();
    let mut kept = String::new();
    let flush_change = |out: &mut Vec<Word>, removed: &mut String, added: &mut String| {
        for (kind, text) in [(WordKind::Removed, removed), (WordKind::Added, added)] {
            if !text.is_empty() {
                out.push(Word {
                    kind,
                    text: std::mem::take(text),
                });
            }
        }
    };
    let mut i = 0;
    while i < runs.len() {
        let (kind, text) = runs[i];
        match kind {
            WordKind::Same => {
                // One word (and its spaces) between two changes belongs to the change.
                let mut j = i;
                let mut stretch = String::new();
                while j < runs.len() && runs[j].0 == WordKind::Same {
                    stretch.push_str(runs[j].1);
                    j += 1;
                }
                let between_changes = (!removed.is_empty() || !added.is_empty()) && j < runs.len();
                if between_changes && stretch.split_whitespace().count() <= 1 {
                    removed.push_str(&stretch);
                    added.push_str(&stretch);
                } else {
                    flush_change(&mut out, &mut removed, &mut added);
                    kept.push_str(&stretch);
                    out.push(Word {
                        kind: WordKind::Same,
                        text: std::mem::take(&mut kept),
                    });
                }
                i = j;
            }
            WordKind::Removed => {
                removed.push_str(text);
                i += 1;
            }
            WordKind::Added => {
                added.push_str(text);
                i += 1;
            }
        }
    }
    flush_change(&mut out, &mut removed, &mut added);
    out
}

/// The diff as plain text, the way `git diff --word-diff` writes it: `[-removed-]{+added+}`.
/// Whitespace at the edges of a change stays outside the markers.
pub fn plain(words: &[Word]) -> String {
    mark(words, ("[-", "-]"), ("{+", "+}"))
}

/// The diff as Markdown: removed words struck through, added ones in bold, a space apart.
pub fn markdown(words: &[Word]) -> String {
    let mut spaced = Vec::with_capacity(words.len());
    for pair in words.windows(2) {
        spaced.push(pair[0].clone());
        if pair[0].kind == WordKind::Removed && pair[1].kind == WordKind::Added {
            spaced.push(Word {
                kind: WordKind::Same,
                text: " ".to_owned(),
            });
        }
    }
    spaced.extend(words.last().cloned());
    mark(&spaced, ("~~", "~~"), ("**", "**"))
}

fn mark(words: &[Word], removed: (&str, &str), added: (&str, &str)) -> String {
    let mut out = String::new();
    for w in words {
        let (open, close) = match w.kind {
            WordKind::Same => {
                out.push_str(&w.text);
                continue;
            }
            WordKind::Removed => removed,
            WordKind::Added => added,
        };
        let inner = w.text.trim();
        if inner.is_empty() {
            // Only spacing changed: the new text's spacing keeps words apart.
            if w.kind == WordKind::Added {
                out.push_str(&w.text);
            }
            continue;
        }
        let lead = &w.text[..w.text.len() - w.text.trim_start().len()];
        let trail = &w.text[w.text.trim_end().len()..];
        out.push_str(lead);
        out.push_str(open);
        out.push_str(inner);
        out.push_str(close);
        out.push_str(trail);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marks_removed_and_added_words() {
        let words = diff(
            "Calculates tax. No subscription or plan required.",
            "Calculates tax. Requires an active subscription.",
        );
        assert_eq!(
            plain(&words),
            "Calculates tax. [-No subscription or plan required.-]{+Requires an active subscription.+}"
        );
        assert_eq!(
            markdown(&words),
            "Calculates tax. ~~No subscription or plan required.~~ **Requires an active subscription.**"
        );
    }

    #[test]
    fn changed_spacing_keeps_words_apart() {
        let words = diff("a b\nc d", "a b c d");
        assert_eq!(plain(&words), "a b c d");
    }

    #[test]
    fn unchanged_text_has_no_markers() {
        assert_eq!(plain(&diff("same words", "same words")), "same words");
    }
}
