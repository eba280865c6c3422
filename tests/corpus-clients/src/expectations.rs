//! The checked-in list of corpus documents that don't generate a client, shared by this
//! crate's build script and the generator's corpus test.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// `expectations.yaml`.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Expectations {
    /// Documents that don't generate, by file name.
    #[serde(default)]
    pub exceptions: BTreeMap<String, Exception>,
    /// Operations left out of a generated client, by file name: exactly these.
    #[serde(default)]
    pub left_out: BTreeMap<String, Vec<String>>,
}

/// A document that doesn't generate.
#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Exception {
    /// The first error diagnostic's message line, exactly.
    pub diagnostic: String,
    /// Why it is out of scope.
    pub reason: String,
}

/// The corpus folder: `COMMET_CORPUS_DIR`, else the copy vendored in the repository
/// (`tests/vendored/corpus`, kept equal to its source by `tests/vendored_copies.rs`), so a bare
/// clone runs the corpus test.
pub fn corpus_dir(repo_root: &Path) -> PathBuf {
    match std::env::var_os("COMMET_CORPUS_DIR") {
        Some(dir) => PathBuf::from(dir),
        None => repo_root.join("tests/vendored/corpus"),
    }
}

/// The documents in the corpus, in file-name order.
pub fn documents(dir: &Path) -> Result<Vec<PathBuf>, String> {
    let entries = std::fs::read_dir(dir).map_err(|e| {
        format!(
            "the corpus of public OpenAPI documents is not at {} ({e}); set COMMET_CORPUS_DIR to its folder",
            dir.display()
        )
    })?;
    let mut docs: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.extension()
                .is_some_and(|e| e == "json" || e == "yaml" || e == "yml")
        })
        .collect();
    docs.sort();
    Ok(docs)
}

/// Reads `expectations.yaml`.
pub fn read(path: &Path) -> Result<Expectations, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    serde_yaml::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))
}

/// A Rust module name for a document's file name.
pub fn module_name(path: &Path) -> String {
    let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or("doc");
    let mut name: String = stem
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '_'
            }
        })
        .collect();
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        name.insert(0, '_');
    }
    name
}
