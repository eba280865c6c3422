//! The fuzz targets' shared parts: the oracle every target asserts (the same check the
//! robustness tests run), and the seed documents the structure-aware target mutates.

#[path = "../../generator/tests/support/oracle.rs"]
mod oracle;

pub mod mutate;
pub mod seeds;

pub use oracle::{check_bytes, check_generation, check_outcome};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_seed_parses_and_generates_a_client_the_oracle_accepts() {
        assert!(seeds::SEEDS.len() > 3, "the seeds were not found");
        for (_, text) in seeds::SEEDS {
            check_generation(text);
        }
        let mut u = libfuzzer_sys::arbitrary::Unstructured::new(&[7; 64]);
        let edited = mutate::mutated_document(&mut u).expect("enough input for one edit");
        check_generation(&edited);
    }
}
