//! The clients commet-codegen generates for the public OpenAPI documents in the corpus, one
//! module per document. That this crate builds without warnings under `deny(missing_docs)`,
//! clippy and rustdoc with `-D warnings` is the test; `expectations.yaml` lists the documents
//! that don't generate, and `generator/tests/corpus.rs` holds that list to the truth.
#![deny(missing_docs)]

include!(concat!(env!("OUT_DIR"), "/mods.rs"));
