//! Embeds the project's own documents as the structure-aware target's seeds: the Commet spec,
//! its later contracts and every generator fixture. New fixtures become seeds without an edit.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut seeds = vec![root.join("spec/commet.yaml")];
    for dir in ["tests/fixtures", "tests/api-versions"] {
        let dir = root.join(dir);
        println!("cargo:rerun-if-changed={}", dir.display());
        let mut found: Vec<PathBuf> = std::fs::read_dir(&dir)
            .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
            .map(|entry| entry.expect("a readable directory entry").path())
            .filter(|path| {
                path.extension()
                    .is_some_and(|ext| ext == "yaml" || ext == "json")
            })
            .collect();
        found.sort();
        seeds.extend(found);
    }
    let mut list = String::from("&[\n");
    for path in &seeds {
        println!("cargo:rerun-if-changed={}", path.display());
        let path = path.canonicalize().expect("a seed that exists");
        let name = path.file_name().expect("a file name").to_string_lossy();
        writeln!(list, "    ({name:?}, include_str!({:?})),", path.display()).expect("a String");
    }
    list.push(']');
    let out = PathBuf::from(std::env::var_os("OUT_DIR").expect("OUT_DIR set by cargo"));
    std::fs::write(out.join("seeds.rs"), list).expect("OUT_DIR is writable");
}
