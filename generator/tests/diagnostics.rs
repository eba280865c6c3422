//! Broken and unsupported specs: every problem is reported, with its full text and location.
//!
//! Each file in `tests/diagnostics/` is a spec with one or more problems; its rendered
//! diagnostics are snapshotted whole, so a change in wording, location or count shows up in
//! review.

use std::path::Path;

use commet_codegen::{Builder, GenerateError};

fn diagnostics_of(file: &str) -> String {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/diagnostics");
    let text = std::fs::read_to_string(dir.join(file)).expect("fixture is readable");
    // The display name is fixed so the snapshots don't depend on where the repo lives.
    // Strict, so that what the client can't support shows as the errors it is.
    match Builder::from_text(format!("tests/diagnostics/{file}"), text)
        .strict(true)
        .generate()
    {
        Ok(_) => panic!("{file} generated a client; it should have been rejected"),
        Err(e @ GenerateError::Spec { .. }) => e.to_string(),
        Err(other) => panic!("{file}: expected spec diagnostics, got: {other}"),
    }
}

macro_rules! diagnostics_test {
    ($name:ident, $file:literal) => {
        #[test]
        fn $name() {
            insta::assert_snapshot!(diagnostics_of($file));
        }
    };
}

diagnostics_test!(many_errors_in_one_spec, "many_errors.yaml");
diagnostics_test!(reference_and_allof_cycles, "cycles.yaml");
diagnostics_test!(parameter_problems, "parameters.yaml");
diagnostics_test!(schema_problems, "schemas.yaml");
diagnostics_test!(operation_problems, "operations.yaml");
diagnostics_test!(structurally_invalid, "not_openapi.yaml");
diagnostics_test!(yaml_syntax, "yaml_syntax.yaml");
diagnostics_test!(json_syntax, "json_syntax.json");
diagnostics_test!(openapi_32, "openapi_32.yaml");
diagnostics_test!(swagger_2, "swagger_2.yaml");
diagnostics_test!(repeated_keys, "repeated_keys.yaml");
diagnostics_test!(authors_mistakes_when_strict, "authors_mistakes.yaml");

/// Every author's mistake of the README's policy, in one document: without `--strict` each is
/// read as meant with one warning, and the client is generated with what the author meant.
#[test]
fn authors_mistakes_are_read_as_meant_with_a_warning_each() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/diagnostics");
    let text =
        std::fs::read_to_string(dir.join("authors_mistakes.yaml")).expect("fixture is readable");
    let file = "tests/diagnostics/authors_mistakes.yaml";
    let generated = Builder::from_text(file, text)
        .generate()
        .unwrap_or_else(|e| panic!("must generate:\n{e}"));
    assert_eq!(generated.warnings.error_count(), 0);
    assert!(
        generated.warnings.iter().all(|d| d.reading.is_some()),
        "every warning here is a mistake read as meant"
    );
    let code = &generated.code;
    // `{cardInvitationId}` is the declared `card_invitation_id`.
    assert!(code.contains("card_invitation_id: &str"), "{code}");
    // `{sub}` has no parameter: a required string; `gone` is not in the path: ignored; `id`
    // is required although not marked so.
    assert!(
        code.contains("pub fn get_item(&self, id: &str, sub: &str)"),
        "{code}"
    );
    assert!(!code.contains("gone"), "{code}");
    // The undefined scheme leaves `getItem` with no alternative: sent without credentials.
    assert!(code.contains(".security(&[])"), "{code}");
    // The operation that isn't valid OpenAPI is left out; the rest is there.
    assert!(!code.contains("fn broken"), "{code}");
    // Bounds written as strings: `100` is a number, prose is ignored.
    assert!(code.contains("100"), "{code}");
    insta::assert_snapshot!(generated.warnings.render(file));
}

/// Numbers beyond 64 bits don't stop the load: each is a located warning.
#[test]
fn wide_numbers_are_warnings() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/diagnostics");
    let text = std::fs::read_to_string(dir.join("wide_numbers.yaml")).expect("fixture is readable");
    let file = "tests/diagnostics/wide_numbers.yaml";
    let generated = Builder::from_text(file, text)
        .strict(true)
        .generate()
        .unwrap_or_else(|e| panic!("must generate:\n{e}"));
    assert_eq!(generated.warnings.error_count(), 0);
    // The bounds beyond i64 are dropped; the type still comes from `type: integer`.
    assert!(
        generated.code.contains("pub wide: Option<i64>"),
        "{}",
        generated.code
    );
    insta::assert_snapshot!(generated.warnings.render(file));
}

#[test]
fn every_error_in_a_spec_is_reported() {
    let text = diagnostics_of("many_errors.yaml");
    let reported = text
        .lines()
        .filter(|l| l.starts_with("error: ") && !l.starts_with("error: could not generate"))
        .count();
    assert_eq!(reported, 7, "{text}");
    assert!(text.ends_with(": 7 errors, 2 warnings"), "{text}");
}

#[test]
fn unknown_operation_in_filter_is_reported() {
    let spec = Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec/commet.yaml");
    let text = std::fs::read_to_string(spec).expect("spec is readable");
    let err = Builder::from_text("spec/commet.yaml", text)
        .operations(["charge-payment", "refund-payment"])
        .generate()
        .expect_err("an unknown operation id must be an error");
    insta::assert_snapshot!(err.to_string());
}

#[test]
fn bad_builder_settings_are_config_errors() {
    let err = Builder::from_text("x.yaml", "openapi: 3.0.3")
        .runtime_path("not a path")
        .generate()
        .expect_err("an invalid runtime path must be rejected");
    assert!(matches!(err, GenerateError::Config(_)), "{err}");
    assert!(
        err.to_string().contains("`not a path` is not a Rust path"),
        "{err}"
    );
}

#[test]
fn operation_level_security_alone_still_authenticates_the_client() {
    let spec = r#"
openapi: 3.0.3
info: {title: T, version: "1"}
servers: [{url: "https://example.com"}]
paths:
  /a:
    get:
      operationId: getA
      security: [{key: []}]
      responses: {"204": {description: ok}}
components:
  securitySchemes:
    key: {type: apiKey, in: header, name: X-API-Key}
"#;
    let generated = Builder::from_text("t.yaml", spec)
        .generate()
        .expect("generates");
    assert!(generated.warnings.is_empty(), "{}", generated.warnings);
    assert!(
        generated.code.contains(r#"name: "X-API-Key""#)
            && generated.code.contains("credentials_required: true"),
        "{}",
        generated.code
    );
}

#[test]
fn a_bad_value_deep_in_nested_schemas_is_found_at_once() {
    // Thirty levels of arrays around an invalid schema once took openapiv3 exponential time;
    // the shape check finds it before openapiv3 runs. (A regression shows as a hung test.)
    let mut schema = "7".to_owned();
    for _ in 0..30 {
        schema = format!(r#"{{"type": "array", "items": {schema}}}"#);
    }
    let spec = format!(
        r#"{{"openapi": "3.0.3", "info": {{"title": "T", "version": "1"}},
        "servers": [{{"url": "https://api.example.com"}}],
        "paths": {{"/a": {{"get": {{"responses": {{"200": {{"description": "x",
        "content": {{"application/json": {{"schema": {schema}}}}}}}}}}}}}}},
        "components": {{"schemas": {{"Typo": {{"type": "strin"}}, "Habit": {{"type": "object",
        "properties": {{"name": {{"type": "string", "required": true}}}}}}}}}}}}"#
    );
    let err = Builder::from_text("deep.json", spec)
        .generate()
        .expect_err("invalid schemas are rejected");
    let text = err.to_string();
    assert!(
        text.contains("a schema must be an object, found `7`"),
        "{text}"
    );
    assert!(
        text.contains(&format!("{}\n", "/items".repeat(30))),
        "{text}"
    );
    assert!(text.contains("unknown type `strin`"), "{text}");
    assert!(
        text.contains("at: #/components/schemas/Habit/properties/name/required"),
        "{text}"
    );
    assert!(text.ends_with(": 3 errors"), "{text}");
}

#[test]
fn wrongly_typed_keywords_deep_down_and_lowering_errors_come_out_in_one_run() {
    // Each bad keyword thirty levels down once took time doubling with every level. (The
    // linear bound is asserted by a step count in `load::schema_check`'s unit tests.)
    let bad = [
        ("minLength", "true", "a whole number, 0 or more"),
        ("maxLength", "-1", "a whole number, 0 or more"),
        ("multipleOf", "[2]", "a number"),
        ("discriminator", "7", "a Discriminator Object"),
        ("externalDocs", "5", "an External Documentation Object"),
    ];
    let mut schemas = String::new();
    for (keyword, value, _) in bad {
        let mut schema = format!("{{type: string, {keyword}: {value}}}");
        for _ in 0..30 {
            schema = format!("{{type: object, properties: {{a: {schema}}}}}");
        }
        schemas.push_str(&format!("    {keyword}: {schema}\n"));
    }
    let spec = format!(
        "openapi: 3.0.3
info: {{title: T, version: '1'}}
servers: [{{url: 'https://api.example.com'}}]
paths:
  /a:
    get:
      operationId: twice
      responses:
        '200': {{description: ok, content: {{application/json: {{schema: {{$ref: '#/components/schemas/Gone'}}}}}}}}
  /b:
    get:
      operationId: twice
      responses:
        '204': {{description: ok}}
components:
  schemas:
{schemas}"
    );
    let err = Builder::from_text("deep.yaml", spec)
        .generate()
        .expect_err("the document has errors");
    let text = err.to_string();
    for (keyword, value, expected) in bad {
        let pointer = format!("{}/{keyword}\n", "/properties/a".repeat(30));
        assert!(text.contains(&pointer), "{keyword} at its place:\n{text}");
        let value = match value {
            "[2]" => "[2]".to_owned(),
            _ if value.parse::<f64>().is_ok() || value == "true" => value.to_owned(),
            _ => format!("\"{value}\""),
        };
        assert!(
            text.contains(&format!("`{keyword}` must be {expected}"))
                && text.contains(&format!("found `{value}`")),
            "{keyword} named with its type:\n{text}"
        );
    }
    // The lowering ran too: the operations' problems are in the same report.
    assert!(text.contains("operationId `twice` is used twice"), "{text}");
    assert!(
        text.contains("`#/components/schemas/Gone` does not exist"),
        "{text}"
    );
    assert!(text.ends_with(": 6 errors, 1 warning"), "{text}");
}

#[test]
fn a_byte_order_mark_is_not_content() {
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/diagnostics/byte_order_mark.yaml");
    let text = std::fs::read_to_string(path).expect("fixture is readable");
    assert!(
        text.starts_with('\u{feff}'),
        "the fixture keeps its byte-order mark"
    );
    let generated = Builder::from_text("byte_order_mark.yaml", text)
        .generate()
        .expect("a document with a byte-order mark generates");
    assert!(generated.warnings.is_empty(), "{}", generated.warnings);
}

/// A chain of types nested deeper than rustc checks at its default recursion limit: no shape
/// of generated code avoids it, so it is a located warning and the client's docs say it.
#[test]
fn types_nested_past_the_default_recursion_limit_are_a_located_warning() {
    let chain = |depth: usize| {
        let mut schemas = String::new();
        for i in 0..depth {
            let next = if i + 1 < depth {
                format!(", next: {{$ref: '#/components/schemas/Level{}'}}", i + 1)
            } else {
                String::new()
            };
            schemas.push_str(&format!(
                "    Level{i}: {{type: object, properties: {{n: {{type: integer}}{next}}}}}\n"
            ));
        }
        format!(
            "openapi: 3.0.3
info: {{title: Deep, version: '1'}}
servers: [{{url: 'https://api.example.com'}}]
paths:
  /deep:
    get:
      operationId: getDeep
      responses:
        '200': {{description: ok, content: {{application/json: {{schema: {{$ref: '#/components/schemas/Level0'}}}}}}}}
components:
  schemas:
{schemas}"
        )
    };
    let generated = Builder::from_text("deep.yaml", chain(80))
        .generate()
        .expect("generates");
    let text = generated.warnings.render("deep.yaml");
    assert!(
        text.starts_with("warning: types nest 80 deep here (`Level0` → `Level1` → … → `Level79`)"),
        "{text}"
    );
    assert!(
        text.contains("= at: #/components/schemas/Level0\n"),
        "{text}"
    );
    assert!(
        generated
            .code
            .contains("This API's types nest 80 deep (from [`Level0`])"),
        "the client's docs say it"
    );
    // Within the limit, nothing is said.
    let shallow = Builder::from_text("deep.yaml", chain(40))
        .generate()
        .expect("generates");
    assert!(shallow.warnings.is_empty(), "{}", shallow.warnings);
}
