//! OpenAPI 3.0 and 3.1 documents that mean the same thing give the same client, byte for byte:
//! `tests/equivalence/payments-3.1.yaml` says in 3.1's words (`type` lists with `"null"`,
//! `const`, `examples`, a numeric `exclusiveMinimum`, `contentEncoding`, a `oneOf` with a null
//! branch, `components.pathItems`, `license.identifier`) what
//! `payments-3.0.yaml` says in 3.0's.

use std::path::Path;

use commet_codegen::Builder;

fn generate(file: &str) -> (String, usize) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../tests/equivalence")
        .join(file);
    let text = std::fs::read_to_string(&path).expect("the document is readable");
    let generated = Builder::from_text("equivalence.yaml", text)
        .strict(true)
        .generate()
        .unwrap_or_else(|e| panic!("{file} must generate:\n{e}"));
    (generated.code, generated.warnings.warning_count())
}

#[test]
fn a_document_written_in_3_0_and_in_3_1_gives_the_same_client() {
    let (from_30, warnings_30) = generate("payments-3.0.yaml");
    let (from_31, _) = generate("payments-3.1.yaml");
    assert_eq!(warnings_30, 0);
    // A mismatch prints both in full; the first differing line is the place to look.
    let first_difference = from_30
        .lines()
        .zip(from_31.lines())
        .position(|(a, b)| a != b);
    assert!(
        from_30 == from_31,
        "first difference at line {first_difference:?}\n--- 3.0 ---\n{from_30}\n--- 3.1 ---\n{from_31}"
    );
    // The document is not trivial: every construct reached the client.
    for needle in [
        "pub fee: Option<Option<Money>>",
        "pub note: Option<Option<String>>",
        "pub status: Option<Option<PaymentStatus>>",
        "Always `payment`.",
        "More than",
    ] {
        assert!(from_30.contains(needle), "{needle} missing:\n{from_30}");
    }
}
