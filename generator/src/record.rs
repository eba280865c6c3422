//! The spec an output was generated from, kept beside it as `<output>.spec`. `check` also
//! holds the record to the spec, and points `diff` at it when the output is stale.
//!
//! The next generation into the same file compares against it and says what changed for users
//! of the client (`generate` prints one line, the `Builder` tells Cargo). A verbatim copy of
//! the spec rather than a summary of the API: the old side is then lowered by the same
//! generator as the new one, so the summary is exactly what `diff` would report, and the record
//! itself can be passed to `diff`.

use std::path::{Path, PathBuf};

/// Where the record of `output` lives; `None` for an output that is not a plain file (a
/// device or a pipe, like `-o /dev/null`).
pub fn path_for(output: &Path) -> Option<PathBuf> {
    if let Ok(meta) = std::fs::metadata(output)
        && !meta.is_file()
    {
        return None;
    }
    let mut name = output.file_name()?.to_os_string();
    name.push(".spec");
    Some(output.with_file_name(name))
}

/// The recorded spec of `output`, when there is one.
pub fn read(output: &Path) -> Option<(PathBuf, String)> {
    let path = path_for(output)?;
    let text = std::fs::read_to_string(&path).ok()?;
    Some((path, text))
}

/// Records `spec` as the source of `output`.
pub fn write(output: &Path, spec: &str) -> std::io::Result<()> {
    match path_for(output) {
        Some(path) => crate::write::atomic(&path, spec.as_bytes()),
        None => Ok(()),
    }
}
