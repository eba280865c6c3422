//! The tests read public material that the project receives in a folder beside the repository
//! (`../shared`): the corpus of OpenAPI documents with its sources README, and the notes on
//! Commet's API. A bare clone has no such folder, so the tests read copies vendored under
//! `tests/vendored/`. These tests keep each copy byte for byte equal to its original whenever
//! the folder is there, and fail when new material arrives that is not vendored yet.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn vendored() -> PathBuf {
    repo().join("tests/vendored")
}

/// `../shared`, when it is beside the repository.
fn shared() -> Option<PathBuf> {
    let dir = repo().join("../shared");
    dir.is_dir().then_some(dir)
}

fn file_names(dir: &Path) -> BTreeSet<String> {
    std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(|e| e.ok())
        .filter(|e| e.path().is_file())
        .filter_map(|e| e.file_name().into_string().ok())
        .collect()
}

/// Each vendored file against its original: the same bytes, and nothing on either side alone.
fn compare(original: &Path, copy: &Path, problems: &mut Vec<String>) {
    let originals = file_names(original);
    let copies = file_names(copy);
    for name in originals.difference(&copies) {
        problems.push(format!(
            "{name} arrived in {} and is not vendored: copy it to {}",
            original.display(),
            copy.display()
        ));
    }
    for name in copies.difference(&originals) {
        problems.push(format!(
            "{} holds {name}, which {} no longer has: remove the copy",
            copy.display(),
            original.display()
        ));
    }
    for name in originals.intersection(&copies) {
        let a = std::fs::read(original.join(name)).expect("readable original");
        let b = std::fs::read(copy.join(name)).expect("readable copy");
        if a != b {
            problems.push(format!(
                "{} differs from its original {}: copy it again",
                copy.join(name).display(),
                original.join(name).display()
            ));
        }
    }
}

#[test]
fn vendored_copies_equal_their_originals_when_those_are_beside_the_repository() {
    let Some(shared) = shared() else {
        eprintln!("../shared is not beside the repository: the vendored copies are all there is");
        return;
    };
    let mut problems = Vec::new();
    compare(
        &shared.join("corpus"),
        &vendored().join("corpus"),
        &mut problems,
    );
    let notes = std::fs::read(shared.join("commet-api.md")).expect("../shared/commet-api.md");
    let copy = std::fs::read(vendored().join("commet-api.md")).expect("vendored commet-api.md");
    if notes != copy {
        problems.push(
            "tests/vendored/commet-api.md differs from ../shared/commet-api.md: copy it again"
                .to_owned(),
        );
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// Every vendored document names its source in the corpus README, and every document the
/// README names is there: a bare clone can tell where each document came from.
#[test]
fn the_vendored_corpus_readme_names_the_source_of_every_document() {
    let dir = vendored().join("corpus");
    let readme = std::fs::read_to_string(dir.join("README.md")).expect("corpus README");
    let listed: BTreeSet<String> = readme
        .lines()
        .filter_map(|line| line.strip_prefix("| "))
        .filter_map(|row| row.split(" |").next())
        .map(str::trim)
        .filter(|name| name.ends_with(".json") || name.ends_with(".yaml") || name.ends_with(".yml"))
        .map(str::to_owned)
        .collect();
    let documents: BTreeSet<String> = file_names(&dir)
        .into_iter()
        .filter(|name| name != "README.md")
        .collect();
    assert!(!documents.is_empty(), "the vendored corpus is empty");
    assert_eq!(
        listed, documents,
        "the corpus README's table and the vendored documents disagree"
    );
}
