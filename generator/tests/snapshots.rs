//! The generated client of every fixture spec in `tests/fixtures/`, snapshotted whole: a change
//! in the output of any construct shows up in review as a diff of the `.snap` file.
//!
//! That each of these clients compiles cleanly, and behaves at run time as its fixture says, is
//! checked by the `fixture-clients` crate.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use commet_codegen::Builder;

fn fixtures_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures")
}

fn generate(fixture: &str) -> String {
    let path = fixtures_dir().join(format!("{fixture}.yaml"));
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{} is readable: {e}", path.display()));
    // The display name is fixed so the snapshots don't depend on where the repo lives.
    let generated = Builder::from_text(format!("tests/fixtures/{fixture}.yaml"), text)
        .generate()
        .unwrap_or_else(|e| panic!("{fixture} must generate:\n{e}"));
    assert!(
        generated.warnings.is_empty(),
        "{fixture} should generate without warnings:\n{}",
        generated
            .warnings
            .render(&format!("tests/fixtures/{fixture}.yaml"))
    );
    generated.code
}

macro_rules! fixtures {
    ($($name:ident),* $(,)?) => {
        $(
            #[test]
            fn $name() {
                insta::assert_snapshot!(generate(stringify!($name)));
            }
        )*

        const FIXTURES: &[&str] = &[$(stringify!($name)),*];
    };
}

fixtures!(
    all_of,
    auth_schemes,
    binary_alternative,
    binary_bodies,
    bodies,
    collisions,
    const_tag,
    deprecated,
    enums,
    environments,
    form_bodies,
    formats,
    hostile_docs,
    hostile_names,
    idempotency_styles,
    keywords,
    maps,
    multipart,
    no_auth,
    nullable_vs_optional,
    numbers,
    openapi31,
    one_of_discriminator,
    one_of_untagged,
    param_styles,
    parameters,
    recursion,
    responses,
    rich_docs,
    schema_shapes,
    unusual_answers,
    webhooks,
);

/// A fixture added to the directory but not to the list above would never be snapshotted.
#[test]
fn every_fixture_is_snapshotted() {
    let on_disk: BTreeSet<String> = std::fs::read_dir(fixtures_dir())
        .expect("tests/fixtures is readable")
        .map(|entry| entry.expect("directory entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .filter_map(|p| p.file_stem().and_then(|s| s.to_str()).map(str::to_owned))
        .collect();
    let listed: BTreeSet<String> = FIXTURES.iter().map(|s| (*s).to_owned()).collect();
    assert_eq!(on_disk, listed, "list every fixture in `fixtures!`");
}
