//! Mistakes the generated client turns into compile errors, with the error a user would see.
//!
//! Each `tests/ui/*.rs` must fail to compile with exactly the error in its `.stderr` file.
//! After a deliberate change, regenerate them with `TRYBUILD=overwrite cargo test --test
//! compile_fail` and read the new errors before committing them.

/// The client `tests/ui/union_exhaustive_match.rs` is compiled against: the fixture with
/// discriminated unions, checked in (a UI case is one file and has no build script), and kept
/// equal to what the generator makes of the fixture.
#[test]
fn the_union_client_of_the_ui_cases_is_fresh() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let fresh = commet_codegen::Builder::new(root.join("tests/fixtures/one_of_discriminator.yaml"))
        .generate()
        .expect("the fixture generates");
    let checked_in = std::fs::read_to_string(root.join("tests/ui/unions/one_of_discriminator.rs"))
        .expect("the checked-in client reads");
    assert!(
        fresh.code == checked_in,
        "tests/ui/unions/one_of_discriminator.rs is stale; regenerate it with:\n    cargo run -p \
         commet-codegen --features cli -- generate tests/fixtures/one_of_discriminator.yaml -o \
         tests/ui/unions/one_of_discriminator.rs"
    );
}

#[test]
fn ui() {
    let cases = trybuild::TestCases::new();
    cases.compile_fail("tests/ui/*.rs");
}
