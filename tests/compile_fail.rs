//! Mistakes the generated client turns into compile errors, with the error a user would see.
//!
//! Each `tests/ui/*.rs` must fail to compile with exactly the error in its `.stderr` file.
//! After a deliberate change, regenerate them with `TRYBUILD=overwrite cargo test --test
//! compile_fail` and read the new errors before committing them.

#[test]
fn ui() {
    let cases = trybuild::TestCases::new();
    cases.compile_fail("tests/ui/*.rs");
}
