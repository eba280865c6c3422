//! Checks that `spec/commet.yaml` states the facts of Commet's `2026-06-10` payments contract
//! (as transcribed in the project's API notes and the seed page), so that a careless edit of the
//! spec cannot silently change the generated client.
//!
//! `fidelity_problems` lists every difference it finds; the tests assert that the real spec has
//! none, and that mutated copies of it are caught. The webhook events are checked against the
//! table of payment event fields in the vendored notes (`tests/vendored/commet-api.md`), read
//! from the file itself (`support/event_table.rs`, `support/webhook_fidelity.rs`).

use std::collections::BTreeSet;

#[path = "support/event_table.rs"]
mod event_table;
#[path = "support/webhook_fidelity.rs"]
mod webhook_fidelity;

use openapiv3::{
    APIKeyLocation, AdditionalProperties, IntegerFormat, OpenAPI, Operation, Parameter,
    ParameterSchemaOrContent, ReferenceOr, Response, Schema, SchemaKind, SecurityScheme,
    StatusCode, StringFormat, Type, VariantOrUnknownOrEmpty,
};

const SCHEMA_PREFIX: &str = "#/components/schemas/";
const PARAMETER_PREFIX: &str = "#/components/parameters/";
const RESPONSE_PREFIX: &str = "#/components/responses/";

/// The five operations: method, path, operationId, docs title (summary), and the exact
/// description (seed wording for create/charge/cancel, API notes for get/list).
const OPERATIONS: [(&str, &str, &str, &str, &str); 5] = [
    (
        "post",
        "/payments",
        "create-payment",
        "Create a payment link",
        "Create a hosted payment link. Returns a url the customer opens to pay with any card. \
         Calculates tax, generates an invoice, and vaults the payment method on confirmation. \
         No subscription or plan required.",
    ),
    (
        "post",
        "/payments/charge",
        "charge-payment",
        "Charge a customer",
        "Charge a customer's vaulted payment method off-session. Calculates tax, generates an \
         invoice, and sends a receipt. No subscription or plan required.",
    ),
    (
        "get",
        "/payments/{id}",
        "get-payment",
        "Get payment",
        "Retrieve a payment by its public id.",
    ),
    (
        "get",
        "/payments",
        "list-payments",
        "List payments",
        "List payments with cursor-based pagination, newest first, optionally filtered by \
         customer. `limit` defaults to 25 and is at most 100; pass the previous page's \
         `nextCursor` as `cursor` to get the next page.",
    ),
    (
        "post",
        "/payments/{id}/cancel",
        "cancel-payment",
        "Cancel a payment link",
        "Cancel a pending payment link so it can no longer be paid. Only a link that has not \
         been paid or started processing can be canceled; canceling an already canceled link is \
         a no-op. Charges cannot be canceled.",
    ),
];

/// Parameter components each operation references.
fn expected_parameters(operation_id: &str) -> &'static [&'static str] {
    match operation_id {
        "list-payments" => &["CommetVersion", "CustomerIdQuery", "Cursor", "Limit"],
        "get-payment" => &["CommetVersion", "PaymentId"],
        "create-payment" | "charge-payment" => &["CommetVersion", "IdempotencyKey"],
        "cancel-payment" => &["CommetVersion", "IdempotencyKey", "PaymentId"],
        _ => &[],
    }
}

/// Error statuses each operation documents (a transcription choice: the seed shows only counts).
fn expected_error_statuses(operation_id: &str) -> &'static [u16] {
    match operation_id {
        "list-payments" => &[400, 401, 429, 500],
        "get-payment" | "create-payment" => &[400, 401, 404, 429, 500],
        "charge-payment" => &[400, 401, 402, 404, 409, 500],
        "cancel-payment" => &[400, 401, 404, 409, 429, 500],
        _ => &[],
    }
}

/// The response component of each error status, and the error type its example shows.
const ERROR_RESPONSES: [(u16, &str, &str); 7] = [
    (400, "BadRequest", "validation_error"),
    (401, "Unauthorized", "authentication_error"),
    (402, "PaymentRequired", "billing_error"),
    (404, "NotFound", "not_found_error"),
    (409, "Conflict", "conflict_error"),
    (429, "RateLimited", "rate_limit_error"),
    (500, "InternalError", "internal_error"),
];

/// (location, name, required) of each parameter component.
const PARAMETERS: [(&str, &str, &str, bool); 6] = [
    ("PaymentId", "path", "id", true),
    ("CustomerIdQuery", "query", "customerId", false),
    ("Cursor", "query", "cursor", false),
    ("Limit", "query", "limit", false),
    ("CommetVersion", "header", "Commet-Version", false),
    ("IdempotencyKey", "header", "Idempotency-Key", false),
];

const PAYMENT_PROPERTIES: [&str; 17] = [
    "id",
    "customerId",
    "kind",
    "status",
    "provider",
    "amountSubtotal",
    "taxAmount",
    "amountTotal",
    "currency",
    "description",
    "metadata",
    "url",
    "expiresAt",
    "createdAt",
    "updatedAt",
    "object",
    "livemode",
];
const PAYMENT_NULLABLE: [&str; 4] = ["customerId", "metadata", "url", "expiresAt"];

const ENUMS: [(&str, &[&str]); 5] = [
    ("PaymentKind", &["link", "charge"]),
    (
        "PaymentStatus",
        &[
            "pending",
            "processing",
            "succeeded",
            "requires_action",
            "failed",
            "canceled",
        ],
    ),
    ("PaymentProvider", &["stripe", "commet"]),
    (
        "ErrorType",
        &[
            "validation_error",
            "authentication_error",
            "not_found_error",
            "conflict_error",
            "billing_error",
            "rate_limit_error",
            "internal_error",
        ],
    ),
    (
        "ErrorCode",
        &[
            "validation_error",
            "invalid_json",
            "unauthorized",
            "forbidden",
            "customer_not_found",
            "payment_not_found",
            "payment_method_not_found",
            "payment_not_cancelable",
            "no_payment_method",
            "subscription_required",
            "provider_unsupported",
            "payment_failed",
            "idempotency_key_mismatch",
            "idempotency_in_progress",
            "idempotency_unavailable",
            "rate_limited",
            "internal_error",
        ],
    ),
];

/// What a schema (or a property schema) is expected to look like, in a few words.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Shape<'s> {
    String,
    DateTime,
    Uri,
    Int64,
    Boolean,
    FreeObject,
    StringMap,
    Ref(&'s str),
    ArrayOf(&'s str),
    /// No `type`: any JSON value, null included.
    Any,
}

/// A property expectation: name, shape, required, nullable.
type Prop = (&'static str, Shape<'static>, bool, bool);

const CHARGE_REQUEST: [Prop; 5] = [
    ("customerId", Shape::String, true, false),
    ("amount", Shape::Int64, true, false),
    ("currency", Shape::String, true, false),
    ("description", Shape::String, true, false),
    ("metadata", Shape::Ref("Metadata"), false, false),
];
const CREATE_REQUEST: [Prop; 6] = [
    ("amount", Shape::Int64, true, false),
    ("currency", Shape::String, true, false),
    ("description", Shape::String, true, false),
    ("customerId", Shape::String, false, false),
    ("successUrl", Shape::Uri, false, false),
    ("metadata", Shape::Ref("Metadata"), false, false),
];
const PAYMENT: [Prop; 17] = [
    ("id", Shape::String, true, false),
    ("customerId", Shape::String, true, true),
    ("kind", Shape::Ref("PaymentKind"), true, false),
    ("status", Shape::Ref("PaymentStatus"), true, false),
    ("provider", Shape::Ref("PaymentProvider"), true, false),
    ("amountSubtotal", Shape::Int64, true, false),
    ("taxAmount", Shape::Int64, true, false),
    ("amountTotal", Shape::Int64, true, false),
    ("currency", Shape::String, true, false),
    ("description", Shape::String, true, false),
    ("metadata", Shape::FreeObject, true, true),
    ("url", Shape::String, true, true),
    ("expiresAt", Shape::DateTime, true, true),
    ("createdAt", Shape::DateTime, true, false),
    ("updatedAt", Shape::DateTime, true, false),
    ("object", Shape::String, true, false),
    ("livemode", Shape::Boolean, true, false),
];
const PAYMENT_RESPONSE: [Prop; 2] = [
    ("success", Shape::Boolean, true, false),
    ("data", Shape::Ref("Payment"), true, false),
];
const PAYMENT_LIST_RESPONSE: [Prop; 4] = [
    ("success", Shape::Boolean, true, false),
    ("data", Shape::ArrayOf("Payment"), true, false),
    ("hasMore", Shape::Boolean, true, false),
    ("nextCursor", Shape::String, false, true),
];
const ERROR_RESPONSE: [Prop; 2] = [
    ("success", Shape::Boolean, true, false),
    ("error", Shape::Ref("ApiError"), true, false),
];
const API_ERROR: [Prop; 6] = [
    ("type", Shape::Ref("ErrorType"), true, false),
    ("code", Shape::Ref("ErrorCode"), true, false),
    ("message", Shape::String, true, false),
    ("param", Shape::String, false, true),
    ("details", Shape::Any, false, false),
    ("doc_url", Shape::Uri, false, false),
];

/// Every difference between `spec` and the facts of the 2026-06-10 contract.
pub fn fidelity_problems(spec: &OpenAPI) -> Vec<String> {
    let mut c = Checker {
        spec,
        problems: Vec::new(),
    };
    c.check_document();
    c.check_operations();
    c.check_parameter_components();
    c.check_schemas();
    c.check_response_components();
    c.problems
}

struct Checker<'a> {
    spec: &'a OpenAPI,
    problems: Vec<String>,
}

impl<'a> Checker<'a> {
    fn problem(&mut self, message: impl Into<String>) {
        self.problems.push(message.into());
    }

    fn check_document(&mut self) {
        let spec = self.spec;
        if spec.openapi != "3.0.3" {
            self.problem(format!("openapi is {:?}, expected \"3.0.3\"", spec.openapi));
        }
        if spec.info.version != "2026-06-10" {
            self.problem(format!(
                "info.version is {:?}, expected \"2026-06-10\"",
                spec.info.version
            ));
        }
        let urls: Vec<&str> = spec.servers.iter().map(|s| s.url.as_str()).collect();
        if urls != ["https://commet.co/api/v1"] {
            self.problem(format!(
                "servers are {urls:?}, expected [\"https://commet.co/api/v1\"]"
            ));
        }
        match spec
            .components
            .as_ref()
            .and_then(|c| c.security_schemes.get("ApiKeyAuth"))
        {
            Some(ReferenceOr::Item(SecurityScheme::APIKey { location, name, .. }))
                if *location == APIKeyLocation::Header && name == "x-api-key" => {}
            other => self.problem(format!(
                "security scheme ApiKeyAuth should be an apiKey in header x-api-key, found {other:?}"
            )),
        }
        let global_ok = spec.security.as_ref().is_some_and(|reqs| {
            reqs.len() == 1
                && reqs[0].len() == 1
                && reqs[0]
                    .get("ApiKeyAuth")
                    .is_some_and(|scopes| scopes.is_empty())
        });
        if !global_ok {
            self.problem(format!(
                "the global security requirement should be exactly [{{ApiKeyAuth: []}}], found {:?}",
                spec.security
            ));
        }
    }

    fn check_operations(&mut self) {
        let spec = self.spec;
        let mut found = BTreeSet::new();
        for (path, item) in spec.paths.iter() {
            let ReferenceOr::Item(item) = item else {
                self.problem(format!(
                    "path {path} is a $ref; expected an inline path item"
                ));
                continue;
            };
            if !item.parameters.is_empty() {
                self.problem(format!(
                    "path {path} has path-level parameters; expected them on the operations"
                ));
            }
            for (method, op) in item.iter() {
                let id = op.operation_id.clone().unwrap_or_default();
                found.insert((method.to_string(), path.clone(), id));
            }
        }
        let expected: BTreeSet<(String, String, String)> = OPERATIONS
            .iter()
            .map(|(m, p, id, _, _)| (m.to_string(), p.to_string(), id.to_string()))
            .collect();
        for missing in expected.difference(&found) {
            self.problem(format!(
                "missing operation {missing:?} (method, path, operationId)"
            ));
        }
        for extra in found.difference(&expected) {
            self.problem(format!(
                "unexpected operation {extra:?} (method, path, operationId)"
            ));
        }

        for (method, path, id, summary, description) in OPERATIONS {
            let Some(op) = self.operation(method, path) else {
                continue;
            };
            if op.operation_id.as_deref() != Some(id) {
                // Already reported above as missing/unexpected; skip the details.
                continue;
            }
            self.check_operation(op, id, summary, description);
        }
    }

    fn operation(&self, method: &str, path: &str) -> Option<&'a Operation> {
        let spec: &'a OpenAPI = self.spec;
        match spec.paths.paths.get(path)? {
            ReferenceOr::Item(item) => item.iter().find(|(m, _)| *m == method).map(|(_, op)| op),
            ReferenceOr::Reference { .. } => None,
        }
    }

    fn check_operation(&mut self, op: &Operation, id: &str, summary: &str, description: &str) {
        if op.summary.as_deref() != Some(summary) {
            self.problem(format!(
                "{id}: summary is {:?}, expected {summary:?}",
                op.summary
            ));
        }
        match op.description.as_deref() {
            Some(d) if normalize(d) == normalize(description) => {}
            other => self.problem(format!(
                "{id}: description is {other:?}, expected {description:?}"
            )),
        }
        if op.tags != ["Payments"] {
            self.problem(format!(
                "{id}: tags are {:?}, expected [\"Payments\"]",
                op.tags
            ));
        }
        if op.security.is_some() {
            self.problem(format!("{id}: overrides the global security requirement"));
        }
        if op.extensions.get("x-commet-error-statuses")
            != Some(&serde_json::Value::from("transcribed"))
        {
            self.problem(format!(
                "{id}: lacks `x-commet-error-statuses: transcribed` (its error statuses are a transcription choice)"
            ));
        }

        // Parameters: by reference to the named components, nothing inline.
        let mut refs = BTreeSet::new();
        for p in &op.parameters {
            match p {
                ReferenceOr::Reference { reference } => {
                    match reference.strip_prefix(PARAMETER_PREFIX) {
                        Some(name) => {
                            refs.insert(name.to_string());
                        }
                        None => self.problem(format!(
                            "{id}: parameter $ref {reference} is not a parameter component"
                        )),
                    }
                }
                ReferenceOr::Item(p) => self.problem(format!(
                    "{id}: inline parameter {:?}; expected a $ref to a component",
                    p.parameter_data_ref().name
                )),
            }
        }
        let expected: BTreeSet<String> = expected_parameters(id)
            .iter()
            .map(|s| s.to_string())
            .collect();
        if refs != expected {
            self.problem(format!(
                "{id}: parameters are {refs:?}, expected {expected:?}"
            ));
        }

        // Request body.
        let expected_body = match id {
            "create-payment" => Some("CreatePaymentRequest"),
            "charge-payment" => Some("ChargePaymentRequest"),
            _ => None,
        };
        match (&op.request_body, expected_body) {
            (None, None) => {}
            (Some(ReferenceOr::Item(body)), Some(schema)) => {
                if !body.required {
                    self.problem(format!("{id}: request body should be required"));
                }
                let found = body
                    .content
                    .get("application/json")
                    .and_then(|m| m.schema.as_ref())
                    .and_then(ref_name);
                if found != Some(schema) {
                    self.problem(format!(
                        "{id}: request body schema is {found:?}, expected {schema}"
                    ));
                }
                if body.content.len() != 1 {
                    self.problem(format!(
                        "{id}: request body should be application/json only"
                    ));
                }
            }
            (found, expected) => self.problem(format!(
                "{id}: request body is {found:?}, expected {expected:?}"
            )),
        }

        // Responses: 200 plus exactly the transcribed error statuses.
        let responses = &op.responses;
        if responses.default.is_some() {
            self.problem(format!("{id}: has a default response"));
        }
        let mut statuses = BTreeSet::new();
        for code in responses.responses.keys() {
            match code {
                StatusCode::Code(n) => {
                    statuses.insert(*n);
                }
                StatusCode::Range(n) => self.problem(format!("{id}: status range {n}XX")),
            }
        }
        let mut expected: BTreeSet<u16> = expected_error_statuses(id).iter().copied().collect();
        expected.insert(200);
        if statuses != expected {
            self.problem(format!(
                "{id}: response statuses are {statuses:?}, expected {expected:?}"
            ));
        }
        for (code, response) in &responses.responses {
            let StatusCode::Code(code) = code else {
                continue;
            };
            if *code == 200 {
                let envelope = if id == "list-payments" {
                    "PaymentListResponse"
                } else {
                    "PaymentResponse"
                };
                match response {
                    ReferenceOr::Item(r) => {
                        self.check_response_body(&format!("{id} 200"), r, envelope);
                        self.check_request_id_header(&format!("{id} 200"), r);
                        self.check_response_example(&format!("{id} 200"), r, |ex| {
                            ex.get("success") == Some(&serde_json::Value::Bool(true))
                        });
                    }
                    ReferenceOr::Reference { reference } => self.problem(format!(
                        "{id} 200: is a $ref to {reference}; expected an inline response"
                    )),
                }
                continue;
            }
            let expected_component = ERROR_RESPONSES
                .iter()
                .find(|(status, _, _)| status == code)
                .map(|(_, name, _)| *name);
            let found = match response {
                ReferenceOr::Reference { reference } => reference.strip_prefix(RESPONSE_PREFIX),
                ReferenceOr::Item(_) => None,
            };
            if found.is_none() || found != expected_component {
                self.problem(format!(
                    "{id} {code}: response is {response:?}, expected a $ref to {expected_component:?}"
                ));
            }
        }
    }

    fn check_parameter_components(&mut self) {
        let Some(components) = self.spec.components.as_ref() else {
            self.problem("no components");
            return;
        };
        let names: BTreeSet<&str> = components.parameters.keys().map(String::as_str).collect();
        let expected: BTreeSet<&str> = PARAMETERS.iter().map(|(c, _, _, _)| *c).collect();
        if names != expected {
            self.problem(format!(
                "parameter components are {names:?}, expected {expected:?}"
            ));
        }
        for (component, location, name, required) in PARAMETERS {
            let Some(ReferenceOr::Item(param)) = components.parameters.get(component) else {
                self.problem(format!(
                    "parameter component {component} is missing or a $ref"
                ));
                continue;
            };
            let found_location = match param {
                Parameter::Query { .. } => "query",
                Parameter::Header { .. } => "header",
                Parameter::Path { .. } => "path",
                Parameter::Cookie { .. } => "cookie",
            };
            let data = param.parameter_data_ref();
            if (found_location, data.name.as_str(), data.required) != (location, name, required) {
                self.problem(format!(
                    "parameter {component} is ({found_location}, {:?}, required: {}), expected ({location}, {name:?}, required: {required})",
                    data.name, data.required
                ));
            }
            if data.description.as_deref().is_none_or(str::is_empty) {
                self.problem(format!("parameter {component} has no description"));
            }
            let schema = match &data.format {
                ParameterSchemaOrContent::Schema(ReferenceOr::Item(schema)) => schema,
                other => {
                    self.problem(format!(
                        "parameter {component} should have an inline schema, found {other:?}"
                    ));
                    continue;
                }
            };
            if component == "Limit" {
                match &schema.schema_kind {
                    SchemaKind::Type(Type::Integer(int))
                        if int.format == VariantOrUnknownOrEmpty::Item(IntegerFormat::Int32)
                            && int.minimum == Some(1)
                            && int.maximum == Some(100)
                            && !int.exclusive_minimum
                            && !int.exclusive_maximum => {}
                    other => self.problem(format!(
                        "parameter Limit should be an int32 integer in 1..=100, found {other:?}"
                    )),
                }
                if schema.schema_data.default != Some(serde_json::Value::from(25)) {
                    self.problem(format!(
                        "parameter Limit default is {:?}, expected 25",
                        schema.schema_data.default
                    ));
                }
            } else if !matches!(schema.schema_kind, SchemaKind::Type(Type::String(_))) {
                self.problem(format!("parameter {component} should be a string"));
            }
        }
    }

    fn check_schemas(&mut self) {
        let expected_names: BTreeSet<&str> = [
            "ChargePaymentRequest",
            "CreatePaymentRequest",
            "Metadata",
            "Payment",
            "PaymentKind",
            "PaymentStatus",
            "PaymentProvider",
            "PaymentResponse",
            "PaymentListResponse",
            "ErrorResponse",
            "ApiError",
            "ErrorType",
            "ErrorCode",
            // Webhooks: the envelope, and each event with its data.
            "WebhookMode",
            "WebhookEnvelope",
            "PaymentLinkData",
            "PaymentLinkCreatedEvent",
            "PaymentLinkCompletedData",
            "PaymentLinkCompletedEvent",
            "PaymentLinkFailedData",
            "PaymentLinkFailedEvent",
            "PaymentLinkCanceledEvent",
            "PaymentReceivedData",
            "PaymentReceivedEvent",
            "PaymentFailedData",
            "PaymentFailedEvent",
            "PaymentRecoveredData",
            "PaymentRecoveredEvent",
            "PaymentRetryFailedData",
            "PaymentRetryFailedEvent",
            "PaymentRefundedData",
            "PaymentRefundedEvent",
            "PaymentDisputedData",
            "PaymentDisputedEvent",
            "DisputeOutcome",
            "PaymentDisputeResolvedData",
            "PaymentDisputeResolvedEvent",
        ]
        .into_iter()
        .collect();
        let names: BTreeSet<&str> = self
            .spec
            .components
            .iter()
            .flat_map(|c| c.schemas.keys())
            .map(String::as_str)
            .collect();
        if names != expected_names {
            self.problem(format!(
                "schema components are {names:?}, expected {expected_names:?}"
            ));
        }

        self.check_object("ChargePaymentRequest", &CHARGE_REQUEST);
        self.check_object("CreatePaymentRequest", &CREATE_REQUEST);
        self.check_object("Payment", &PAYMENT);
        self.check_object("PaymentResponse", &PAYMENT_RESPONSE);
        self.check_object("PaymentListResponse", &PAYMENT_LIST_RESPONSE);
        self.check_object("ErrorResponse", &ERROR_RESPONSE);
        self.check_object("ApiError", &API_ERROR);

        // The Payment facts spelled out once more, in the terms of the API notes, so that a
        // mistake in the PAYMENT table above cannot hide one in the spec.
        if let Some(obj) = self.object("Payment") {
            let props: Vec<&str> = obj.0.keys().map(String::as_str).collect();
            if props.len() != PAYMENT_PROPERTIES.len()
                || PAYMENT_PROPERTIES.iter().any(|p| !props.contains(p))
            {
                self.problem(format!(
                    "Payment has properties {props:?}, expected the 17 {PAYMENT_PROPERTIES:?}"
                ));
            }
            let nullable: BTreeSet<&str> = obj
                .0
                .iter()
                .filter(|(_, s)| matches!(s, ReferenceOr::Item(s) if s.schema_data.nullable))
                .map(|(n, _)| n.as_str())
                .collect();
            if nullable != PAYMENT_NULLABLE.into_iter().collect() {
                self.problem(format!(
                    "Payment nullable properties are {nullable:?}, expected {PAYMENT_NULLABLE:?}"
                ));
            }
            let required: BTreeSet<&str> = obj.1.iter().map(String::as_str).collect();
            if required != PAYMENT_PROPERTIES.into_iter().collect() {
                self.problem(format!(
                    "Payment required properties are {required:?}, expected all 17"
                ));
            }
        }

        // Constants.
        self.check_property_enum("Payment", "object", &["payment"]);
        self.check_boolean_const("PaymentResponse", true);
        self.check_boolean_const("PaymentListResponse", true);
        self.check_boolean_const("ErrorResponse", false);
        self.check_min_one("ChargePaymentRequest");
        self.check_min_one("CreatePaymentRequest");

        // Named enums.
        for (name, values) in ENUMS {
            match self.schema(name) {
                Some(s) => match &s.schema_kind {
                    SchemaKind::Type(Type::String(st)) => {
                        let found: Vec<Option<&str>> =
                            st.enumeration.iter().map(Option::as_deref).collect();
                        let expected: Vec<Option<&str>> = values.iter().map(|v| Some(*v)).collect();
                        if found != expected {
                            self.problem(format!(
                                "{name} values are {found:?}, expected {values:?}"
                            ));
                        }
                        if s.schema_data.nullable {
                            self.problem(format!("{name} should not be nullable"));
                        }
                    }
                    other => {
                        self.problem(format!("{name} should be a string enum, found {other:?}"))
                    }
                },
                None => self.problem(format!("schema {name} is missing")),
            }
        }

        // Metadata: an object of string values.
        match self.schema("Metadata").map(|s| &s.schema_kind) {
            Some(kind) if shape_of(kind) == Some(Shape::StringMap) => {}
            other => self.problem(format!(
                "Metadata should be an object of string values, found {other:?}"
            )),
        }

        // Every schema and every property has a description (the generator's rustdoc).
        let components = self.spec.components.iter().flat_map(|c| c.schemas.iter());
        let mut undocumented = Vec::new();
        for (name, schema) in components {
            let ReferenceOr::Item(schema) = schema else {
                continue;
            };
            if schema
                .schema_data
                .description
                .as_deref()
                .is_none_or(str::is_empty)
            {
                undocumented.push(name.clone());
            }
            if let Some((props, _)) = object_parts(&schema.schema_kind) {
                for (prop, schema) in props {
                    let described = match schema {
                        ReferenceOr::Item(s) => s
                            .schema_data
                            .description
                            .as_deref()
                            .is_some_and(|d| !d.is_empty()),
                        // A bare $ref: the referenced schema carries the description.
                        ReferenceOr::Reference { .. } => true,
                    };
                    if !described {
                        undocumented.push(format!("{name}.{prop}"));
                    }
                }
            }
        }
        if !undocumented.is_empty() {
            self.problem(format!("schemas without a description: {undocumented:?}"));
        }
    }

    fn check_response_components(&mut self) {
        let Some(components) = self.spec.components.as_ref() else {
            return;
        };
        let names: BTreeSet<&str> = components.responses.keys().map(String::as_str).collect();
        let expected: BTreeSet<&str> = ERROR_RESPONSES.iter().map(|(_, n, _)| *n).collect();
        if names != expected {
            self.problem(format!(
                "response components are {names:?}, expected {expected:?}"
            ));
        }
        for (status, name, error_type) in ERROR_RESPONSES {
            let Some(ReferenceOr::Item(response)) = components.responses.get(name) else {
                self.problem(format!("response component {name} is missing or a $ref"));
                continue;
            };
            let what = format!("response {name} ({status})");
            self.check_response_body(&what, response, "ErrorResponse");
            self.check_request_id_header(&what, response);
            self.check_response_example(&what, response, |ex| {
                ex.get("success") == Some(&serde_json::Value::Bool(false))
                    && ex.pointer("/error/type") == Some(&serde_json::Value::from(error_type))
            });
            let has_retry_after = response.headers.get("Retry-After")
                == Some(&ReferenceOr::Reference {
                    reference: "#/components/headers/RetryAfter".to_string(),
                });
            if has_retry_after != (status == 429) {
                self.problem(format!(
                    "{what}: Retry-After header should be declared on the 429 response only"
                ));
            }
        }
        match components.headers.get("RetryAfter") {
            Some(ReferenceOr::Item(h)) => match &h.format {
                ParameterSchemaOrContent::Schema(ReferenceOr::Item(s))
                    if matches!(s.schema_kind, SchemaKind::Type(Type::Integer(_))) => {}
                other => self.problem(format!(
                    "header RetryAfter should be an integer (seconds), found {other:?}"
                )),
            },
            other => self.problem(format!("header component RetryAfter: {other:?}")),
        }
        if !matches!(
            components.headers.get("RequestId"),
            Some(ReferenceOr::Item(_))
        ) {
            self.problem("header component RequestId is missing");
        }
    }

    // ----- helpers -----

    fn schema(&self, name: &str) -> Option<&'a Schema> {
        let spec: &'a OpenAPI = self.spec;
        match spec.components.as_ref()?.schemas.get(name)? {
            ReferenceOr::Item(s) => Some(s),
            ReferenceOr::Reference { .. } => None,
        }
    }

    #[allow(clippy::type_complexity)]
    fn object(
        &self,
        name: &str,
    ) -> Option<(
        &'a indexmap::IndexMap<String, ReferenceOr<Box<Schema>>>,
        &'a Vec<String>,
    )> {
        object_parts(&self.schema(name)?.schema_kind)
    }

    fn property(&self, schema: &str, property: &str) -> Option<&'a Schema> {
        match self.object(schema)?.0.get(property)? {
            ReferenceOr::Item(s) => Some(s),
            ReferenceOr::Reference { .. } => None,
        }
    }

    fn check_object(&mut self, name: &str, expected: &[Prop]) {
        let Some((props, required)) = self.object(name) else {
            self.problem(format!("schema {name} is missing or not an object"));
            return;
        };
        let found: Vec<&str> = props.keys().map(String::as_str).collect();
        let wanted: Vec<&str> = expected.iter().map(|(n, _, _, _)| *n).collect();
        let found_set: BTreeSet<&str> = found.iter().copied().collect();
        let wanted_set: BTreeSet<&str> = wanted.iter().copied().collect();
        if found_set != wanted_set {
            self.problem(format!(
                "{name} properties are {found:?}, expected {wanted:?}"
            ));
        }
        for &(prop, shape, is_required, nullable) in expected {
            if required.iter().any(|r| r == prop) != is_required {
                self.problem(format!(
                    "{name}.{prop} should {}be required",
                    if is_required { "" } else { "not " }
                ));
            }
            let Some(schema) = props.get(prop) else {
                continue;
            };
            let (found_shape, found_nullable) = match schema {
                ReferenceOr::Reference { reference } => {
                    (reference.strip_prefix(SCHEMA_PREFIX).map(Shape::Ref), false)
                }
                ReferenceOr::Item(s) => (shape_of(&s.schema_kind), s.schema_data.nullable),
            };
            if found_shape != Some(shape) {
                self.problem(format!(
                    "{name}.{prop} is {found_shape:?}, expected {shape:?}"
                ));
            }
            if found_nullable != nullable {
                self.problem(format!(
                    "{name}.{prop} should {}be nullable",
                    if nullable { "" } else { "not " }
                ));
            }
        }
        for r in required {
            if !props.contains_key(r) {
                self.problem(format!("{name} requires undefined property {r}"));
            }
        }
    }

    fn check_property_enum(&mut self, schema: &str, property: &str, values: &[&str]) {
        let found = self
            .property(schema, property)
            .and_then(|s| match &s.schema_kind {
                SchemaKind::Type(Type::String(st)) => Some(
                    st.enumeration
                        .iter()
                        .map(|v| v.clone().unwrap_or_default())
                        .collect::<Vec<_>>(),
                ),
                _ => None,
            });
        if found
            .as_deref()
            .map(|v| v.iter().map(String::as_str).collect::<Vec<_>>())
            != Some(values.to_vec())
        {
            self.problem(format!(
                "{schema}.{property} should be a string with the single value {values:?}, found {found:?}"
            ));
        }
    }

    fn check_boolean_const(&mut self, schema: &str, value: bool) {
        let found = self
            .property(schema, "success")
            .and_then(|s| match &s.schema_kind {
                SchemaKind::Type(Type::Boolean(b)) => Some(b.enumeration.clone()),
                _ => None,
            });
        if found != Some(vec![Some(value)]) {
            self.problem(format!(
                "{schema}.success should be a boolean with the single value {value}, found {found:?}"
            ));
        }
    }

    fn check_min_one(&mut self, schema: &str) {
        let ok = self.property(schema, "amount").is_some_and(|s| {
            matches!(&s.schema_kind, SchemaKind::Type(Type::Integer(i)) if i.minimum == Some(1))
        });
        if !ok {
            self.problem(format!("{schema}.amount should have minimum 1"));
        }
    }

    fn check_response_body(&mut self, what: &str, response: &Response, envelope: &str) {
        let found = response
            .content
            .get("application/json")
            .and_then(|m| m.schema.as_ref())
            .and_then(ref_name);
        if found != Some(envelope) || response.content.len() != 1 {
            self.problem(format!(
                "{what}: body should be application/json {envelope}, found {found:?}"
            ));
        }
    }

    fn check_request_id_header(&mut self, what: &str, response: &Response) {
        let ok = response.headers.get("x-request-id")
            == Some(&ReferenceOr::Reference {
                reference: "#/components/headers/RequestId".to_string(),
            });
        if !ok {
            self.problem(format!(
                "{what}: should declare the x-request-id header ($ref RequestId)"
            ));
        }
    }

    fn check_response_example(
        &mut self,
        what: &str,
        response: &Response,
        is_right: impl Fn(&serde_json::Value) -> bool,
    ) {
        let example = response
            .content
            .get("application/json")
            .and_then(|m| m.example.as_ref());
        match example {
            Some(ex) if is_right(ex) => {}
            other => self.problem(format!("{what}: missing or wrong example: {other:?}")),
        }
    }
}

fn ref_name(schema: &ReferenceOr<Schema>) -> Option<&str> {
    match schema {
        ReferenceOr::Reference { reference } => reference.strip_prefix(SCHEMA_PREFIX),
        ReferenceOr::Item(_) => None,
    }
}

#[allow(clippy::type_complexity)]
fn object_parts(
    kind: &SchemaKind,
) -> Option<(
    &indexmap::IndexMap<String, ReferenceOr<Box<Schema>>>,
    &Vec<String>,
)> {
    match kind {
        SchemaKind::Type(Type::Object(o)) => Some((&o.properties, &o.required)),
        _ => None,
    }
}

fn shape_of(kind: &SchemaKind) -> Option<Shape<'_>> {
    Some(match kind {
        SchemaKind::Type(Type::String(s)) => match &s.format {
            VariantOrUnknownOrEmpty::Empty => Shape::String,
            VariantOrUnknownOrEmpty::Item(StringFormat::DateTime) => Shape::DateTime,
            VariantOrUnknownOrEmpty::Unknown(f) if f == "uri" => Shape::Uri,
            _ => return None,
        },
        SchemaKind::Type(Type::Integer(i))
            if i.format == VariantOrUnknownOrEmpty::Item(IntegerFormat::Int64) =>
        {
            Shape::Int64
        }
        SchemaKind::Type(Type::Boolean(_)) => Shape::Boolean,
        SchemaKind::Type(Type::Object(o)) if o.properties.is_empty() => {
            match &o.additional_properties {
                Some(AdditionalProperties::Any(true)) => Shape::FreeObject,
                Some(AdditionalProperties::Schema(s))
                    if matches!(
                        s.as_ref(),
                        ReferenceOr::Item(Schema {
                            schema_kind: SchemaKind::Type(Type::String(_)),
                            ..
                        })
                    ) =>
                {
                    Shape::StringMap
                }
                _ => return None,
            }
        }
        SchemaKind::Type(Type::Array(a)) => match &a.items {
            Some(ReferenceOr::Reference { reference }) => {
                Shape::ArrayOf(reference.strip_prefix(SCHEMA_PREFIX)?)
            }
            _ => return None,
        },
        SchemaKind::Any(any) if *any == openapiv3::AnySchema::default() => Shape::Any,
        _ => return None,
    })
}

fn normalize(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

// ----- tests -----

fn load_spec() -> OpenAPI {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../spec/commet.yaml");
    let text = std::fs::read_to_string(path).expect("read spec/commet.yaml");
    serde_yaml::from_str(&text).expect("spec/commet.yaml parses as OpenAPI 3.0")
}

fn assert_reports(spec: &OpenAPI, needle: &str) {
    let problems = fidelity_problems(spec);
    assert!(
        problems.iter().any(|p| p.contains(needle)),
        "expected a problem mentioning {needle:?}, got {problems:#?}"
    );
}

fn schema_mut<'s>(spec: &'s mut OpenAPI, name: &str) -> &'s mut Schema {
    match spec.components.as_mut().unwrap().schemas.get_mut(name) {
        Some(ReferenceOr::Item(s)) => s,
        _ => panic!("schema {name}"),
    }
}

#[test]
fn the_spec_states_the_2026_06_10_contract() {
    let problems = fidelity_problems(&load_spec());
    assert!(problems.is_empty(), "spec/commet.yaml: {problems:#?}");
}

/// The vendored copy of the project's Commet API notes, whose table of payment event fields
/// the webhook schemas must match.
fn notes() -> String {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../tests/vendored/commet-api.md"
    );
    std::fs::read_to_string(path).expect("read tests/vendored/commet-api.md")
}

fn raw_spec() -> serde_json::Value {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../spec/commet.yaml");
    serde_yaml::from_str(&std::fs::read_to_string(path).expect("readable")).expect("YAML")
}

#[test]
fn the_spec_states_every_payment_event_as_the_notes_type_it() {
    let rows = event_table::parse(&notes());
    let problems = webhook_fidelity::problems(&raw_spec(), &rows);
    assert!(problems.is_empty(), "spec/commet.yaml: {problems:#?}");
}

#[test]
fn the_notes_table_is_read_whole() {
    let table = event_table::by_event(&event_table::parse(&notes()));
    let events: Vec<&str> = table.keys().map(String::as_str).collect();
    assert_eq!(
        events,
        [
            "payment.dispute_resolved",
            "payment.disputed",
            "payment.failed",
            "payment.received",
            "payment.recovered",
            "payment.refunded",
            "payment.retry_failed",
            "payment_link.canceled",
            "payment_link.completed",
            "payment_link.created",
            "payment_link.failed",
        ]
    );
    let fields = |event: &str, nullable: bool| -> Vec<String> {
        table[event]
            .iter()
            .filter(|f| f.nullable == nullable)
            .map(|f| f.name.clone())
            .collect()
    };
    // "the same as created, plus": the created row's, not the completed row's just above.
    assert_eq!(
        fields("payment_link.failed", false),
        [
            "paymentId",
            "status",
            "amount",
            "currency",
            "description",
            "failureCode",
            "failureMessage"
        ]
    );
    assert_eq!(fields("payment_link.failed", true), ["customerId"]);
    // The fix that started it: `currency` nullable, `customerId` not.
    assert!(fields("payment.received", true).contains(&"currency".to_owned()));
    assert!(fields("payment.received", false).contains(&"customerId".to_owned()));
    let paid_at = table["payment.received"]
        .iter()
        .find(|f| f.name == "paidAt")
        .expect("paidAt");
    assert!(!paid_at.required && !paid_at.nullable, "{paid_at:?}");
    assert!(fields("payment.retry_failed", true).is_empty());
    // "as `payment.disputed`, plus `outcome` (`won` or `lost`)", on both sides.
    let outcome = table["payment.dispute_resolved"]
        .iter()
        .find(|f| f.name == "outcome")
        .expect("outcome");
    assert_eq!(outcome.values, ["won", "lost"]);
    assert_eq!(
        fields("payment.dispute_resolved", true),
        fields("payment.disputed", true)
    );
    assert_eq!(fields("payment.disputed", true).len(), 6);
}

#[test]
fn a_changed_table_is_a_problem_with_the_unchanged_spec() {
    // A field the notes no longer call nullable, and an event they add.
    let notes = notes()
        .replacen(
            "`subscriptionId`, `paymentTransactionId`, `provider`, `grossAmount`, `currency`,",
            "`subscriptionId`, `paymentTransactionId`, `provider`, `grossAmount`,",
            1,
        )
        .replacen(
            "| `payment.recovered` |",
            "| `payment.recovered`, `payment.paused` |",
            1,
        );
    let problems = webhook_fidelity::problems(&raw_spec(), &event_table::parse(&notes));
    for needle in [
        "payment.received: data has currency, which the table doesn't list",
        "x-webhooks lacks the event payment.paused",
    ] {
        assert!(
            problems.iter().any(|p| p == needle),
            "{needle:?} not in {problems:#?}"
        );
    }
}

#[test]
fn reports_webhook_fields_whose_nullability_or_presence_is_wrong() {
    let rows = event_table::parse(&notes());
    let mut spec = raw_spec();
    let received = &mut spec["components"]["schemas"]["PaymentReceivedData"];
    received["properties"]["currency"]["nullable"] = false.into();
    received["properties"]["customerId"]["nullable"] = true.into();
    received["required"]
        .as_array_mut()
        .expect("required")
        .push("paidAt".into());
    spec["components"]["schemas"]["DisputeOutcome"]["enum"] = serde_json::json!(["won"]);
    spec["components"]["schemas"]["PaymentRetryFailedData"]["properties"]
        .as_object_mut()
        .expect("properties")
        .shift_remove("reason");
    spec["x-webhooks"]
        .as_object_mut()
        .expect("x-webhooks")
        .shift_remove("payment.recovered");
    spec["components"]["schemas"]["PaymentDisputedData"]["properties"]["disputeAmount"]["type"] =
        "number".into();
    let problems = webhook_fidelity::problems(&spec, &rows);
    for needle in [
        "payment.received: data.currency should be nullable",
        "payment.received: data.customerId should not be nullable",
        "payment.received: data.paidAt should not be required",
        "payment.dispute_resolved: data.outcome should allow exactly [\"won\", \"lost\"], found [\"won\"]",
        "payment.retry_failed: data lacks reason",
        "x-webhooks lacks the event payment.recovered",
        "payment.disputed: data.disputeAmount is an amount in minor units: it should be an int64 integer",
    ] {
        assert!(
            problems.iter().any(|p| p == needle),
            "{needle:?} not in {problems:#?}"
        );
    }
}

#[test]
fn reports_a_payment_field_that_is_no_longer_required() {
    let mut spec = load_spec();
    match &mut schema_mut(&mut spec, "Payment").schema_kind {
        SchemaKind::Type(Type::Object(o)) => o.required.retain(|r| r != "url"),
        _ => panic!("Payment is an object"),
    }
    assert_reports(&spec, "Payment.url should be required");
}

#[test]
fn reports_a_payment_field_that_is_dropped() {
    let mut spec = load_spec();
    match &mut schema_mut(&mut spec, "Payment").schema_kind {
        SchemaKind::Type(Type::Object(o)) => {
            o.required.retain(|r| r != "livemode");
            o.properties.shift_remove("livemode");
        }
        _ => panic!("Payment is an object"),
    }
    assert_reports(&spec, "expected the 17");
}

#[test]
fn reports_an_extra_status_value() {
    let mut spec = load_spec();
    match &mut schema_mut(&mut spec, "PaymentStatus").schema_kind {
        SchemaKind::Type(Type::String(s)) => s.enumeration.push(Some("refunded".into())),
        _ => panic!("PaymentStatus is a string enum"),
    }
    assert_reports(&spec, "PaymentStatus values are");
}

#[test]
fn reports_a_changed_operation_id() {
    let mut spec = load_spec();
    match spec.paths.paths.get_mut("/payments/{id}") {
        Some(ReferenceOr::Item(item)) => {
            item.get.as_mut().unwrap().operation_id = Some("retrieve-payment".into())
        }
        _ => panic!("/payments/{{id}}"),
    }
    assert_reports(
        &spec,
        "missing operation (\"get\", \"/payments/{id}\", \"get-payment\")",
    );
    assert_reports(
        &spec,
        "unexpected operation (\"get\", \"/payments/{id}\", \"retrieve-payment\")",
    );
}

#[test]
fn reports_a_missing_security_requirement() {
    let mut spec = load_spec();
    spec.security = None;
    assert_reports(&spec, "global security requirement");
}

#[test]
fn reports_idempotency_key_on_a_get() {
    let mut spec = load_spec();
    match spec.paths.paths.get_mut("/payments") {
        Some(ReferenceOr::Item(item)) => {
            item.get
                .as_mut()
                .unwrap()
                .parameters
                .push(ReferenceOr::Reference {
                    reference: format!("{PARAMETER_PREFIX}IdempotencyKey"),
                })
        }
        _ => panic!("/payments"),
    }
    assert_reports(&spec, "list-payments: parameters are");
}

#[test]
fn reports_a_changed_error_status_and_nullability() {
    let mut spec = load_spec();
    match spec.paths.paths.get_mut("/payments/charge") {
        Some(ReferenceOr::Item(item)) => {
            let responses = &mut item.post.as_mut().unwrap().responses.responses;
            let conflict = responses.shift_remove(&StatusCode::Code(409)).unwrap();
            responses.insert(StatusCode::Code(422), conflict);
        }
        _ => panic!("/payments/charge"),
    }
    match &mut schema_mut(&mut spec, "Payment").schema_kind {
        SchemaKind::Type(Type::Object(o)) => match o.properties.get_mut("currency") {
            Some(ReferenceOr::Item(s)) => s.schema_data.nullable = true,
            _ => panic!("Payment.currency"),
        },
        _ => panic!("Payment is an object"),
    }
    assert_reports(&spec, "charge-payment: response statuses are");
    assert_reports(&spec, "Payment.currency should not be nullable");
}
