//! Raw bytes as a document: the loader's ground (encodings, YAML and JSON syntax, anchors,
//! duplicate keys, nesting), where most inputs never become an OpenAPI document.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| commet_codegen_fuzz::check_bytes(data));
