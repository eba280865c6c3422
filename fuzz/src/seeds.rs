//! The documents the structure-aware target starts from (listed by build.rs).

/// `(file name, text)` of each seed, in a fixed order.
pub const SEEDS: &[(&str, &str)] = include!(concat!(env!("OUT_DIR"), "/seeds.rs"));
