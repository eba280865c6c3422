//! A document's servers as named environments: PayPal's and Dwolla's sandbox and live servers
//! by name, from their own documents.

use std::path::{Path, PathBuf};

use commet_codegen::Builder;

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn generate(name: &str, text: String) -> String {
    Builder::from_text(name.to_owned(), text)
        .generate()
        .unwrap_or_else(|e| panic!("{e}"))
        .code
}

#[test]
fn paypal_can_be_built_for_its_sandbox_or_live_server_by_name() {
    let name = "tests/vendored/corpus/paypal-checkout-orders-v2.json";
    let code = generate(
        name,
        std::fs::read_to_string(repo().join(name)).expect("readable"),
    );
    assert!(
        code.contains("pub enum Environment {"),
        "an environment enum"
    );
    assert!(code.contains(r#"Self::Sandbox => "https://api-m.sandbox.paypal.com".to_owned(),"#));
    assert!(code.contains(r#"Self::Live => "https://api-m.paypal.com".to_owned(),"#));
    assert!(code.contains(
        r#"pub const DEFAULT_BASE_URL: &'static str = "https://api-m.sandbox.paypal.com";"#
    ));
}

#[test]
fn dwolla_can_be_built_for_its_sandbox_or_live_server_by_name() {
    // Dwolla's document does not generate whole yet: its servers, with one operation.
    let path = repo().join("tests/vendored/corpus/dwolla-openapi.yaml");
    let doc: serde_json::Value =
        serde_yaml::from_str(&std::fs::read_to_string(path).expect("readable")).expect("YAML");
    let small = serde_json::json!({
        "openapi": doc["openapi"],
        "info": doc["info"],
        "servers": doc["servers"],
        "paths": {"/ping": {"get": {"operationId": "ping", "responses": {"200": {"description": "ok"}}}}},
    });
    let code = generate("dwolla-openapi.yaml (servers)", small.to_string());
    assert!(
        code.contains(r#"Self::Live => "https://api.dwolla.com".to_owned(),"#),
        "Production is Live"
    );
    assert!(code.contains(r#"Self::Sandbox => "https://api-sandbox.dwolla.com".to_owned(),"#));
}

#[test]
fn one_server_gives_no_environment_enum() {
    let name = "tests/vendored/corpus/adyen-checkout-v72.json";
    let code = generate(
        name,
        std::fs::read_to_string(repo().join(name)).expect("readable"),
    );
    assert!(!code.contains("enum Environment"));
}

#[test]
fn diff_reports_an_operations_server_for_an_environment_that_moves() {
    let old =
        std::fs::read_to_string(repo().join("tests/fixtures/environments.yaml")).expect("readable");
    let new = old.replace(
        "http://127.0.0.1:9/live-exports",
        "http://127.0.0.1:9/live-exports-v2",
    );
    assert_ne!(old, new, "the fixture has a live export host");
    let snapshot = |text: &str| {
        Builder::from_text("environments.yaml", text.to_owned())
            .snapshot()
            .unwrap_or_else(|e| panic!("{e}"))
    };
    let report = commet_codegen::diff::diff(&snapshot(&old), &snapshot(&new));
    let lines: Vec<String> = report.changes.iter().map(ToString::to_string).collect();
    assert!(
        lines.iter().any(|l| l.starts_with("review (behaviour)")
            && l.contains("create_export")
            && l.contains("`http://127.0.0.1:9/live-exports-v2` on Live")),
        "{lines:#?}"
    );
}
