//! The generated client depends on what the spec says, never on how it is written down: the
//! same spec gives the same bytes on every run, whatever the order of its maps, in YAML or JSON.

use std::path::{Path, PathBuf};

use commet_codegen::Builder;
use serde_json::Value;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// The real spec and every fixture, as (name, YAML text).
fn specs() -> Vec<(String, String)> {
    let mut paths = vec![root().join("spec/commet.yaml")];
    let mut fixtures: Vec<PathBuf> = std::fs::read_dir(root().join("tests/fixtures"))
        .expect("tests/fixtures is readable")
        .map(|entry| entry.expect("directory entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    fixtures.sort();
    paths.extend(fixtures);
    paths
        .into_iter()
        .map(|p| {
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            let text = std::fs::read_to_string(&p).expect("spec is readable");
            (name, text)
        })
        .collect()
}

fn generate(name: &str, text: &str) -> String {
    Builder::from_text(name, text)
        .generate()
        .unwrap_or_else(|e| panic!("{name} must generate:\n{e}"))
        .code
}

/// The first line where two outputs differ, for a readable failure.
fn first_difference(a: &str, b: &str) -> String {
    let (a_lines, b_lines): (Vec<&str>, Vec<&str>) = (a.lines().collect(), b.lines().collect());
    let at = a_lines
        .iter()
        .zip(&b_lines)
        .position(|(x, y)| x != y)
        .unwrap_or(a_lines.len().min(b_lines.len()));
    format!(
        "line {}:\n  - {}\n  + {}",
        at + 1,
        a_lines.get(at).unwrap_or(&"<end>"),
        b_lines.get(at).unwrap_or(&"<end>")
    )
}

#[track_caller]
fn assert_same(what: &str, expected: &str, actual: &str) {
    assert!(
        expected == actual,
        "{what} changed the output, first at {}",
        first_difference(expected, actual)
    );
}

fn parse(text: &str) -> Value {
    serde_yaml::from_str(text).expect("the spec is YAML")
}

/// Reorders the entries of the object at `pointer`, if there is one, with a permutation drawn
/// from `rng`.
fn shuffle_at(doc: &mut Value, pointer: &str, rng: &mut fastrand::Rng) {
    let Some(Value::Object(map)) = doc.pointer_mut(pointer) else {
        return;
    };
    let mut entries: Vec<(String, Value)> = std::mem::take(map).into_iter().collect();
    rng.shuffle(&mut entries);
    map.extend(entries);
}

#[test]
fn generating_twice_gives_identical_bytes() {
    let spec = root().join("spec/commet.yaml");
    let first = Builder::new(&spec).generate().expect("generates").code;
    let second = Builder::new(&spec).generate().expect("generates").code;
    assert_same("a second run", &first, &second);
}

#[test]
fn the_order_of_schemas_paths_parameters_and_responses_does_not_matter() {
    for (name, text) in specs() {
        let expected = generate(&name, &text);
        let original = parse(&text);
        let mut reordered = false;
        for seed in [1, 2, 3, 42, 2026] {
            let mut rng = fastrand::Rng::with_seed(seed);
            let mut doc = original.clone();
            for pointer in [
                "/components/schemas",
                "/paths",
                "/components/parameters",
                "/components/responses",
            ] {
                shuffle_at(&mut doc, pointer, &mut rng);
            }
            reordered |= keys(&doc) != keys(&original);
            let shuffled = serde_yaml::to_string(&doc).expect("serializes");
            assert_same(
                &format!("shuffling {name} with seed {seed}"),
                &expected,
                &generate(&name, &shuffled),
            );
        }
        let shuffleable = keys(&original).iter().any(|k| k.len() > 1);
        assert!(
            reordered || !shuffleable,
            "no seed reordered {name}: the test would prove nothing"
        );
    }
}

/// The keys of the shuffled maps, in document order.
fn keys(doc: &Value) -> Vec<Vec<String>> {
    ["/components/schemas", "/paths"]
        .iter()
        .map(|p| match doc.pointer(p) {
            Some(Value::Object(map)) => map.keys().cloned().collect(),
            _ => Vec::new(),
        })
        .collect()
}

#[test]
fn json_and_yaml_forms_give_identical_output() {
    for (name, text) in specs() {
        let json = serde_json::to_string_pretty(&parse(&text)).expect("serializes");
        assert_same(
            &format!("writing {name} as JSON"),
            &generate(&name, &text),
            &generate(&name.replace(".yaml", ".json"), &json),
        );
    }
}
