//! Criterion benchmarks of the generation pipeline.
//!
//! - `generate/commet`: the whole generation of `spec/commet.yaml`, as `Builder::generate` runs it
//!   (reading the file included);
//! - `stage/load`, `stage/lower`, `stage/emit`: each stage alone, on that spec, with the previous
//!   stage's output prepared outside the timed loop;
//! - `scale/generate/N`: whole generation of a synthetic spec holding N copies of the Commet
//!   spec's schemas, shared responses and operations under distinct names, built here from the
//!   real spec, to show how generation time grows with the size of an API.
//!
//! Run with `cargo bench -p commet-codegen`; BENCHMARKS.md at the repository root explains the
//! numbers.

use std::hint::black_box;
use std::path::{Path, PathBuf};

use commet_codegen::emit::{self, EmitOptions};
use commet_codegen::lower::{self, Options};
use commet_codegen::{Builder, load};
use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
#[path = "support/synthetic.rs"]
mod synthetic;

/// The copy counts of the scaling benchmark.
const SCALES: [usize; 3] = [1, 10, 50];

fn spec_path() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec/commet.yaml")
}

fn spec_text() -> String {
    std::fs::read_to_string(spec_path()).expect("spec/commet.yaml is readable")
}

/// The options `Builder` uses by default, with the prefix it would derive from the title.
fn emit_options() -> EmitOptions {
    EmitOptions {
        runtime: syn::parse_str("::commet_runtime").expect("a Rust path"),
        derives: Vec::new(),
        env_prefix: "COMMET".to_owned(),
        idempotency_header: "Idempotency-Key".to_owned(),
    }
}

fn whole(c: &mut Criterion) {
    let path = spec_path();
    c.bench_function("generate/commet", |b| {
        b.iter(|| {
            Builder::new(black_box(&path))
                .generate()
                .expect("the spec generates")
        })
    });
}

fn stages(c: &mut Criterion) {
    let text = spec_text();
    let loaded = load::load(&text).expect("the spec loads");
    let options = Options::default();
    let lowered = lower::lower(&loaded, &options).expect("the spec lowers");
    let emit_options = emit_options();

    let mut group = c.benchmark_group("stage");
    group.bench_function("load", |b| {
        b.iter(|| load::load(black_box(&text)).expect("the spec loads"))
    });
    group.bench_function("lower", |b| {
        b.iter(|| lower::lower(black_box(&loaded), &options).expect("the spec lowers"))
    });
    group.bench_function("emit", |b| {
        b.iter(|| emit::emit(black_box(&lowered.api), &emit_options).expect("the IR emits"))
    });
    group.finish();
}

fn scale(c: &mut Criterion) {
    let base = Builder::new(spec_path())
        .generate()
        .expect("the spec generates");
    let mut group = c.benchmark_group("scale/generate");
    group.sample_size(20);
    for copies in SCALES {
        let text = synthetic::replicated_spec(&spec_text(), copies);
        let builder = Builder::from_text(format!("commet-x{copies}.json"), text.clone());
        // Once, outside the timed loop: the copies really are distinct operations and types.
        let generated = builder.generate().expect("the replicated spec generates");
        assert_eq!(
            generated.api.operations.len(),
            copies * base.api.operations.len()
        );
        assert_eq!(generated.api.types.len(), copies * base.api.types.len());
        // Operations per second: flat across N when generation time grows linearly.
        group.throughput(Throughput::Elements(generated.api.operations.len() as u64));
        group.bench_with_input(
            BenchmarkId::from_parameter(copies),
            &builder,
            |b, builder| b.iter(|| builder.generate().expect("the replicated spec generates")),
        );
    }
    group.finish();
}

criterion_group!(benches, whole, stages, scale);
criterion_main!(benches);
