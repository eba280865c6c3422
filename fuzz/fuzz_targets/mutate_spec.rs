//! Real documents, edited: the fuzz input chooses a seed (the Commet spec, its later contracts or
//! a fixture) and the edits to its tree, so that lowering and emitting see documents that parse.
#![no_main]

use libfuzzer_sys::arbitrary::Unstructured;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut u = Unstructured::new(data);
    if let Ok(document) = commet_codegen_fuzz::mutate::mutated_document(&mut u) {
        commet_codegen_fuzz::check_generation(&document);
    }
});
