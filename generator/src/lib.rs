//! commet-codegen generates a typed Rust client for Commet's payments API from an OpenAPI 3.0
//! document.
//!
//! The pipeline, one module per stage:
//!
//! 1. [`load`]: YAML or JSON text → `openapiv3` document, with source positions;
//! 2. [`lower`]: resolve, validate and name → [`ir::Api`], or every [`diagnostic`] at once;
//! 3. [`emit`]: IR → formatted Rust, through `quote`, `syn` and `prettyplease`;
//! 4. [`diff`]: IR against IR: what an API change means for users of the client, as a
//!    changelog with a semver verdict;
//! 5. [`contract`]: the generated client compiled and called, operation by operation, against
//!    validating mocks made from the same document.
//!
//! Most users need only [`Builder`]:
//!
//! ```no_run
//! // build.rs
//! fn main() -> Result<(), commet_codegen::GenerateError> {
//!     commet_codegen::Builder::new("spec/commet.yaml").generate_to_out_dir("commet.rs")?;
//!     Ok(())
//! }
//! ```
#![deny(missing_docs)]

mod builder;
pub mod contract;
pub mod diagnostic;
pub mod diff;
pub mod doc;
pub mod emit;
pub mod ident;
pub mod ir;
pub mod load;
pub mod lower;
pub mod record;
mod write;

pub use builder::{Builder, GenerateError, Generated};
pub use diagnostic::{Detail, Diagnostic, Diagnostics, Severity};
pub use lower::IdempotencyChoice;
