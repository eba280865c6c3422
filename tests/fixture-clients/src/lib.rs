//! The clients commet-codegen generates for the fixture specs in `tests/fixtures`, one module
//! per fixture, and for Commet's later contracts in `tests/api-versions`. That this crate
//! builds without warnings (under `deny(missing_docs)`, clippy and rustdoc with `-D warnings`)
//! is the first test; the unit tests below check at run time that each construct behaves as
//! its fixture says, and that each contract's client works over HTTP.
#![deny(missing_docs)]

include!(concat!(env!("OUT_DIR"), "/mods.rs"));

#[cfg(test)]
mod tests;
