//! Atomic file output: a failed run never leaves a half-written or emptied file behind.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

/// Writes `bytes` to `path` through a temporary file in the same directory and a rename, so
/// readers see either the old file or the new one, never a mix.
pub fn atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    // A device or a pipe (`-o /dev/null`) is written to, never renamed over: replacing it
    // would put a regular file where the system expects `/dev/null`.
    if let Ok(existing) = std::fs::metadata(path)
        && !existing.is_file()
        && !existing.is_dir()
    {
        return std::fs::OpenOptions::new()
            .write(true)
            .open(path)?
            .write_all(bytes);
    }
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let mut temp = Temp::create(dir, path)?;
    let mut file = &temp.file;
    file.write_all(bytes)?;
    // The output keeps the mode of the file it replaces, or gets the usual one for a source
    // file.
    let permissions = match std::fs::metadata(path) {
        Ok(existing) => existing.permissions(),
        Err(_) => default_permissions(&temp.file)?,
    };
    temp.file.set_permissions(permissions)?;
    temp.file.sync_all()?;
    std::fs::rename(&temp.path, path)?;
    temp.renamed = true;
    Ok(())
}

/// A new file beside the output, removed again unless it was renamed into place.
///
/// Written with the standard library rather than the `tempfile` crate, which a build script
/// would compile (with `rustix`) for these few lines: `create_new` opens only a file it
/// creates, so a name that is taken, or a link planted under it, is never written through.
struct Temp {
    path: PathBuf,
    file: std::fs::File,
    renamed: bool,
}

impl Temp {
    fn create(dir: &Path, output: &Path) -> std::io::Result<Self> {
        static COUNTER: AtomicUsize = AtomicUsize::new(0);
        let name = output
            .file_name()
            .map_or_else(|| "output".into(), |n| n.to_string_lossy());
        let mut attempts = 0;
        loop {
            let n = COUNTER.fetch_add(1, Ordering::Relaxed);
            let path = dir.join(format!(".{name}.{}.{n}.tmp", std::process::id()));
            match std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(&path)
            {
                Ok(file) => {
                    return Ok(Self {
                        path,
                        file,
                        renamed: false,
                    });
                }
                // Left by a process that had this id before, or made by someone else.
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists && attempts < 100 => {
                    attempts += 1;
                }
                Err(e) => return Err(e),
            }
        }
    }
}

impl Drop for Temp {
    fn drop(&mut self) {
        if !self.renamed {
            let _ = std::fs::remove_file(&self.path);
        }
    }
}

#[cfg(unix)]
fn default_permissions(_: &std::fs::File) -> std::io::Result<std::fs::Permissions> {
    use std::os::unix::fs::PermissionsExt;
    Ok(std::fs::Permissions::from_mode(0o644))
}

#[cfg(not(unix))]
fn default_permissions(file: &std::fs::File) -> std::io::Result<std::fs::Permissions> {
    Ok(file.metadata()?.permissions())
}

#[cfg(all(test, unix))]
mod tests {
    use std::os::unix::fs::PermissionsExt;

    use super::atomic;

    fn mode(path: &std::path::Path) -> u32 {
        std::fs::metadata(path).unwrap().permissions().mode() & 0o777
    }

    #[test]
    fn a_device_is_written_to_not_replaced() {
        use std::os::unix::fs::FileTypeExt;
        let null = std::path::Path::new("/dev/null");
        atomic(null, b"discarded").unwrap();
        assert!(
            std::fs::metadata(null)
                .unwrap()
                .file_type()
                .is_char_device()
        );
    }

    #[test]
    fn a_new_file_is_readable_by_others_and_a_replaced_one_keeps_its_mode() {
        let dir = tempfile::tempdir().unwrap();
        let fresh = dir.path().join("fresh.rs");
        atomic(&fresh, b"a").unwrap();
        assert_eq!(mode(&fresh), 0o644);

        let existing = dir.path().join("existing.rs");
        std::fs::write(&existing, b"old").unwrap();
        std::fs::set_permissions(&existing, std::fs::Permissions::from_mode(0o664)).unwrap();
        atomic(&existing, b"new").unwrap();
        assert_eq!(mode(&existing), 0o664);
        assert_eq!(std::fs::read(&existing).unwrap(), b"new");
    }

    #[test]
    fn a_failed_write_leaves_no_temporary_file() {
        let dir = tempfile::tempdir().unwrap();
        // A directory where the file should go: the rename fails.
        let taken = dir.path().join("taken.rs");
        std::fs::create_dir(&taken).unwrap();
        assert!(atomic(&taken, b"x").is_err());
        let names: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, ["taken.rs"]);
    }
}
