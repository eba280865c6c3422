//! Commet's API changes between versions: the generator absorbs each one, and `diff` lists
//! every change and what it means for users of the client.
//!
//! `tests/api-versions/` holds the later contracts, transcribed from the project's API notes
//! like `spec/commet.yaml` (2026-06-10): 2026-07-11 requires a subscription to charge and adds
//! the `dlocal` provider; 2026-07-24 drops the `{"success": true, "data": …}` wrapper and tags
//! lists with `"object": "list"`. Smaller edits of the spec check single rules.

use std::path::Path;

use commet_codegen::Builder;
use commet_codegen::diff::{self, Bump, Class, Format, Report};
use serde_json::{Value, json};

#[path = "support/coverage.rs"]
mod coverage;

fn repo_file(path: &str) -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join(path))
        .unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn spec_2026_06_10() -> Value {
    serde_yaml::from_str(&repo_file("spec/commet.yaml")).unwrap()
}

fn builder(spec: &Value) -> Builder {
    Builder::from_text("spec.json", serde_json::to_string(spec).unwrap())
}

fn generate(spec: &Value) -> commet_codegen::Generated {
    builder(spec).generate().unwrap_or_else(|e| panic!("{e}"))
}

fn diff(old: &Value, new: &Value) -> Report {
    let snapshot = |spec| builder(spec).snapshot().unwrap_or_else(|e| panic!("{e}"));
    diff::diff(&snapshot(old), &snapshot(new))
}

fn lines(report: &Report) -> Vec<String> {
    report.changes.iter().map(ToString::to_string).collect()
}

/// A version of Commet's contract, by its file in the repository.
fn version(path: &str) -> Builder {
    Builder::from_text(path, repo_file(path))
}

/// The report from one contract to the next, checked to name every item of the client that
/// changes.
fn version_diff(old: &str, new: &str) -> (Report, String, String) {
    let snapshot = |p| version(p).snapshot().unwrap_or_else(|e| panic!("{e}"));
    let report = diff::diff(&snapshot(old), &snapshot(new));
    let code = |p| version(p).generate().unwrap_or_else(|e| panic!("{e}")).code;
    let (old_code, new_code) = (code(old), code(new));
    let uncovered = coverage::uncovered(&old_code, &new_code, &report);
    assert!(
        uncovered.is_empty(),
        "changed without a change: {uncovered:?}"
    );
    (report, old_code, new_code)
}

#[test]
fn commet_2026_07_11_requires_a_subscription_to_charge_and_adds_dlocal() {
    let (report, _, new) = version_diff("spec/commet.yaml", "tests/api-versions/2026-07-11.yaml");
    insta::assert_snapshot!(report.render(Format::Text));
    // The stricter charge is not silently compatible: it is there to review, with the text.
    let charge = report
        .changes
        .iter()
        .find(|c| c.subject == "Client::charge_payment")
        .expect("the charge's description change is listed");
    assert_eq!(charge.class, Class::Review);
    let words = charge.text.as_ref().expect("a word diff");
    assert!(words.old.contains("No subscription or plan required."));
    assert!(words.new.contains("must have a subscription in `active`"));
    assert_eq!(
        charge.old.as_ref().and_then(|l| l.line),
        Some(176),
        "located in the old spec"
    );
    assert!(lines(&report).contains(
        &"compatible (source): PaymentProvider::Dlocal: added: the value `dlocal`, which older \
          clients keep as `PaymentProvider::Unknown`"
            .to_owned()
    ));
    assert!(
        report
            .changes
            .iter()
            .any(|c| c.subject == "Client::API_VERSION" && c.class == Class::Review)
    );
    assert_eq!(report.source_breaking().count(), 0);
    assert_eq!(report.verdict.bump, Bump::Minor);
    assert!(new.contains("Dlocal,"));
}

#[test]
fn commet_2026_07_24_unwraps_responses_and_keeps_every_method_signature() {
    let (report, old, new) = version_diff(
        "tests/api-versions/2026-07-11.yaml",
        "tests/api-versions/2026-07-24.yaml",
    );
    insta::assert_snapshot!(report.render(Format::Text));
    assert_eq!(report.source_breaking().count(), 0, "{report:#?}");
    // The four single-payment operations lost their wrapper; the list changed its envelope.
    let unwrapped = report
        .changes
        .iter()
        .filter(|c| c.message.contains("no longer comes wrapped"))
        .count();
    assert_eq!(unwrapped, 4, "{report:#?}");
    assert!(report.changes.iter().any(|c| {
        c.subject == "Client::list_payments"
            && c.message
                .contains("now holds `object`, `data`, `hasMore`, `nextCursor`")
    }));

    // Same signatures, different decoding.
    for signature in [
        "pub fn get_payment(&self, id: &str) -> rt::Call<Payment, ApiError>",
        "pub fn charge_payment(\n        &self,\n        body: &ChargePaymentRequest,\n    ) -> rt::Call<Payment, ApiError>",
        ") -> rt::Call<Page<Payment>, ApiError>",
    ] {
        assert!(old.contains(signature), "old client lacks {signature:?}");
        assert!(new.contains(signature), "new client lacks {signature:?}");
    }
    assert!(old.contains(".envelope(rt::Envelope::Data)"));
    assert!(!new.contains(".envelope(rt::Envelope::Data)"));
    assert_eq!(
        new.matches(".envelope(rt::Envelope::Bare)").count(),
        4,
        "get, create, charge and cancel decode the bare payment"
    );
    assert!(new.contains(".envelope(rt::Envelope::List)"));
}

#[test]
fn signature_changes_are_breaking() {
    let mut spec = spec_2026_06_10();
    // `get-payment` gains its first optional parameter: the method gains a `params` argument.
    let get = spec
        .pointer_mut("/paths/~1payments~1{id}/get/parameters")
        .and_then(Value::as_array_mut)
        .expect("get-payment has parameters");
    get.push(json!({"name": "expand", "in": "query", "schema": {"type": "string"}}));
    // `create-payment`'s body becomes optional: `&T` turns into `Option<&T>`.
    spec["paths"]["/payments"]["post"]["requestBody"]["required"] = json!(false);
    let report = diff(&spec_2026_06_10(), &spec);
    let breaking: Vec<String> = report
        .changes
        .iter()
        .filter(|c| c.class == Class::Breaking)
        .map(ToString::to_string)
        .collect();
    assert_eq!(
        breaking,
        [
            "breaking (source): Client::create_payment: its body argument is now \
             `Option<&CreatePaymentRequest>` (was `&CreatePaymentRequest`)",
            "breaking (source): Client::get_payment: now takes a `GetPaymentParams` argument for \
             its optional parameters (`expand`)",
        ]
    );
}

#[test]
fn webhook_events_added_are_compatible_and_removed_are_breaking() {
    let mut spec = spec_2026_06_10();
    let webhooks = spec["x-webhooks"].as_object_mut().expect("x-webhooks");
    // A new event type, with a body of its own; and one that goes away.
    let mut renewed = webhooks["payment.failed"].clone();
    renewed["post"]["operationId"] = json!("subscriptionRenewedWebhook");
    renewed["post"]["requestBody"]["content"]["application/json"]["schema"]["$ref"] =
        json!("#/components/schemas/SubscriptionRenewedEvent");
    webhooks.insert("subscription.renewed".to_owned(), renewed);
    webhooks.remove("payment.failed");
    let mut event = spec["components"]["schemas"]["PaymentFailedEvent"].clone();
    event["allOf"][1]["properties"]["event"]["enum"] = json!(["subscription.renewed"]);
    spec["components"]["schemas"]["SubscriptionRenewedEvent"] = event;
    let new = generate(&spec);
    let webhook_changes: Vec<String> = lines(&diff(&spec_2026_06_10(), &spec))
        .into_iter()
        .filter(|c| c.contains("webhook event"))
        .collect();
    assert_eq!(
        webhook_changes,
        [
            "breaking (source): WebhookEvent::PaymentFailed: webhook event `payment.failed` removed",
            "compatible (source): WebhookEvent::SubscriptionRenewed: webhook event \
             `subscription.renewed` added; older clients decode it as `WebhookEvent::Unknown`",
        ]
    );
    assert!(
        new.code
            .contains("SubscriptionRenewed(Box<SubscriptionRenewedEvent>)")
    );
}

#[test]
fn another_media_type_is_a_compatible_new_method() {
    let mut spec = spec_2026_06_10();
    spec["paths"]["/payments/{id}"]["get"]["responses"]["200"]["content"]["application/pdf"] =
        json!({"schema": {"type": "string", "format": "binary"}});
    let new = generate(&spec);
    assert_eq!(
        lines(&diff(&spec_2026_06_10(), &spec)),
        [
            "compatible (source): Client::get_payment_as_pdf: added: the same call answered in \
          another media type"
        ]
    );
    assert!(new.code.contains("pub fn get_payment_as_pdf("));
}

/// The error object written inline instead of as a `$ref`, once in the shared envelope and
/// once in a copy per response: still one `ApiError`, the `Error` alias, and no warning that
/// an error response differs from the first.
#[test]
fn inline_error_objects_keep_one_error_type_and_the_alias() {
    let mut inline_in_envelope = spec_2026_06_10();
    let schemas = inline_in_envelope["components"]["schemas"]
        .as_object_mut()
        .expect("schemas");
    let api_error = schemas.shift_remove("ApiError").expect("ApiError");
    schemas["ErrorResponse"]["properties"]["error"] = api_error.clone();

    let mut copied_per_response = spec_2026_06_10();
    let schemas = copied_per_response["components"]["schemas"]
        .as_object_mut()
        .expect("schemas");
    schemas.shift_remove("ApiError");
    let mut envelope = schemas
        .shift_remove("ErrorResponse")
        .expect("ErrorResponse");
    envelope["properties"]["error"] = api_error;
    let responses = copied_per_response["components"]["responses"]
        .as_object_mut()
        .expect("responses");
    for (i, response) in responses.values_mut().enumerate() {
        let mut copy = envelope.clone();
        // Copies differ in their docs only.
        copy["description"] = json!(format!("Error envelope, copy {i}."));
        response["content"]["application/json"]["schema"] = copy;
    }

    for spec in [&inline_in_envelope, &copied_per_response] {
        let generated = generate(spec);
        assert!(
            generated.warnings.is_empty(),
            "{}",
            generated.warnings.render("spec.json")
        );
        assert!(
            generated
                .code
                .contains("pub type Error = rt::Error<ApiError>;")
        );
        assert_eq!(generated.code.matches("impl rt::ErrorBody for").count(), 1);
        assert!(!generated.code.contains("ErrorDetail"));
        // Callers see no change at all.
        let report = diff(&spec_2026_06_10(), spec);
        assert!(report.changes.is_empty(), "{:#?}", report.changes);
    }
}

/// An operation whose error answers are not documented fails with the error object every
/// other operation documents: the client keeps its one `Error` type, and dropping an
/// operation's error responses changes nothing for callers.
#[test]
fn an_operation_without_documented_errors_shares_the_error_type() {
    let mut spec = spec_2026_06_10();
    let responses = spec["paths"]["/payments/{id}"]["get"]["responses"]
        .as_object_mut()
        .expect("get-payment's responses");
    responses.retain(|status, _| status.starts_with('2'));
    let generated = generate(&spec);
    assert!(
        generated
            .code
            .contains("pub type Error = rt::Error<ApiError>;"),
        "the Error alias is gone"
    );
    let report = diff(&spec_2026_06_10(), &spec);
    assert_ne!(report.verdict.bump, Bump::Major, "{:#?}", report.changes);
}

/// What `generate` prints and a build script is told: the changes since the spec recorded
/// beside the output, under the builder's settings.
#[test]
fn generating_over_an_earlier_output_reports_the_changes_since() {
    let dir = tempfile::tempdir().unwrap();
    let spec = dir.path().join("commet.yaml");
    let output = dir.path().join("commet.rs");
    std::fs::write(&spec, repo_file("spec/commet.yaml")).unwrap();
    let first = Builder::new(&spec).generate_to_file(&output).unwrap();
    assert!(first.changes.is_none(), "nothing to compare with yet");

    std::fs::write(&spec, repo_file("tests/api-versions/2026-07-11.yaml")).unwrap();
    let second = Builder::new(&spec).generate_to_file(&output).unwrap();
    let report = second.changes.expect("compared with the recorded spec");
    assert_eq!(
        report.summary_line("commet.rs"),
        "commet.rs: 1 compatible, 2 to review, 8 patch (run diff for details)"
    );
    assert_eq!(
        std::fs::read_to_string(dir.path().join("commet.rs.spec")).unwrap(),
        repo_file("tests/api-versions/2026-07-11.yaml")
    );

    // A client trimmed to one operation sees only its changes.
    std::fs::write(&spec, repo_file("tests/api-versions/2026-07-24.yaml")).unwrap();
    let trimmed = Builder::new(&spec)
        .operations(["get-payment"])
        .generate_to_file(&output)
        .unwrap();
    let report = trimmed.changes.expect("compared");
    let subjects: Vec<&str> = report.changes.iter().map(|c| c.subject.as_str()).collect();
    assert_eq!(
        subjects,
        ["Client::API_VERSION", "Client::get_payment", "Client"]
    );
}

#[test]
fn the_version_header_is_sent_only_where_the_spec_declares_it_or_the_user_names_it() {
    let versioned = spec_2026_06_10();
    let code = generate(&versioned).code;
    assert!(code.contains("api_version: Some(Self::API_VERSION),"));
    assert!(code.contains("version_header: \"Commet-Version\","));

    // The same API with no operation declaring `Commet-Version`: nothing to send it in.
    let mut unversioned = versioned.clone();
    for item in unversioned["paths"].as_object_mut().unwrap().values_mut() {
        for operation in item.as_object_mut().unwrap().values_mut() {
            if let Some(parameters) = operation["parameters"].as_array_mut() {
                parameters.retain(|p| p["$ref"] != "#/components/parameters/CommetVersion");
            }
        }
    }
    let code = generate(&unversioned).code;
    assert!(code.contains("api_version: None,"));
    assert!(code.contains("version_header: \"\","));
    assert!(!code.contains("sent as `Commet-Version`"));

    // A header the user names is sent, declared or not.
    let named = builder(&unversioned)
        .version_header("X-Api-Version")
        .generate()
        .unwrap()
        .code;
    assert!(named.contains("api_version: Some(Self::API_VERSION),"));
    assert!(named.contains("version_header: \"X-Api-Version\","));

    assert!(
        lines(&diff(&versioned, &unversioned)).contains(
            &"review (behaviour): Client: the client no longer sends `Commet-Version`: the server \
          answers by the account's default version"
                .to_owned()
        )
    );
    // Without a version header, a new `info.version` changes a constant, not the requests.
    let mut bumped = unversioned.clone();
    bumped["info"]["version"] = json!("2026-07-11");
    let report = diff(&unversioned, &bumped);
    assert_eq!(
        lines(&report),
        [
            "compatible (source): Client::API_VERSION: `Client::API_VERSION` is now `2026-07-11` \
          (was `2026-06-10`); the client sends no version header, so requests do not change"
        ]
    );
}
