//! Commet error envelopes: `{"success": false, "error": {type, code, message, param, details, doc_url}}`.

use serde_json::{Value, json};

use crate::reply::Reply;

/// One invalid field of a request body, as listed in a validation error's `details`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct FieldError {
    pub(crate) field: String,
    pub(crate) message: String,
}

impl FieldError {
    pub(crate) fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        FieldError {
            field: field.into(),
            message: message.into(),
        }
    }
}

/// An API error: HTTP status plus the fields of the error envelope.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ApiError {
    pub(crate) status: u16,
    pub(crate) kind: &'static str,
    pub(crate) code: &'static str,
    pub(crate) message: String,
    pub(crate) param: Option<String>,
    /// Boxed to keep `Result<_, ApiError>` small.
    pub(crate) details: Box<Value>,
}

impl ApiError {
    pub(crate) fn new(
        status: u16,
        kind: &'static str,
        code: &'static str,
        message: impl Into<String>,
    ) -> Self {
        ApiError {
            status,
            kind,
            code,
            message: message.into(),
            param: None,
            details: Box::new(Value::Null),
        }
    }

    pub(crate) fn with_param(mut self, param: impl Into<String>) -> Self {
        self.param = Some(param.into());
        self
    }

    /// Missing or wrong `x-api-key`.
    pub(crate) fn unauthorized() -> Self {
        ApiError::new(
            401,
            "authentication_error",
            "unauthorized",
            "Missing or invalid API key. Send it in the x-api-key header.",
        )
    }

    /// The body is not JSON at all.
    pub(crate) fn invalid_json(message: impl Into<String>) -> Self {
        ApiError::new(400, "validation_error", "invalid_json", message)
    }

    /// One or more invalid fields; `param` is the first one.
    pub(crate) fn validation(errors: Vec<FieldError>) -> Self {
        let param = errors.first().map(|e| e.field.clone());
        let message = match errors.first() {
            Some(first) if errors.len() == 1 => format!("{} {}", first.field, first.message),
            Some(first) => format!(
                "{} {} (and {} more invalid field(s))",
                first.field,
                first.message,
                errors.len() - 1
            ),
            None => "Invalid request.".to_string(),
        };
        let details = errors
            .iter()
            .map(|e| json!({"field": e.field, "message": e.message}))
            .collect();
        ApiError {
            param,
            details: Box::new(Value::Array(details)),
            ..ApiError::new(400, "validation_error", "validation_error", message)
        }
    }

    /// An invalid query or path parameter.
    pub(crate) fn bad_param(param: &str, message: impl Into<String>) -> Self {
        let message = message.into();
        ApiError {
            details: Box::new(json!([{"field": param, "message": message}])),
            ..ApiError::new(
                400,
                "validation_error",
                "validation_error",
                format!("{param} {message}"),
            )
            .with_param(param)
        }
    }

    pub(crate) fn customer_not_found(customer: &str) -> Self {
        ApiError::new(
            404,
            "not_found_error",
            "customer_not_found",
            format!("No customer with id or external id '{customer}'."),
        )
        .with_param("customerId")
    }

    pub(crate) fn payment_not_found(id: &str) -> Self {
        ApiError::new(
            404,
            "not_found_error",
            "payment_not_found",
            format!("No payment with id '{id}'."),
        )
        .with_param("id")
    }

    pub(crate) fn no_payment_method(customer: &str) -> Self {
        ApiError::new(
            400,
            "billing_error",
            "no_payment_method",
            format!("Customer '{customer}' has no saved payment method to charge."),
        )
        .with_param("customerId")
    }

    pub(crate) fn not_cancelable(id: &str, kind: &str, status: &str) -> Self {
        ApiError::new(
            409,
            "conflict_error",
            "payment_not_cancelable",
            format!("Payment '{id}' ({kind}, {status}) cannot be canceled."),
        )
        .with_param("id")
    }

    pub(crate) fn idempotency_mismatch() -> Self {
        ApiError::new(
            409,
            "conflict_error",
            "idempotency_key_mismatch",
            "This Idempotency-Key was already used with a different request.",
        )
    }

    pub(crate) fn idempotency_in_progress() -> Self {
        ApiError::new(
            409,
            "conflict_error",
            "idempotency_in_progress",
            "A request with this Idempotency-Key is still being processed. Retry later.",
        )
    }

    pub(crate) fn route_not_found(method: &str, path: &str) -> Self {
        ApiError::new(
            404,
            "not_found_error",
            "not_found",
            format!("No route for {method} {path}."),
        )
    }

    pub(crate) fn method_not_allowed(method: &str, path: &str) -> Self {
        ApiError::new(
            405,
            "validation_error",
            "method_not_allowed",
            format!("Method {method} is not allowed on {path}."),
        )
    }

    pub(crate) fn body_too_large(limit: usize) -> Self {
        ApiError::new(
            413,
            "validation_error",
            "request_too_large",
            format!("The request body could not be read or exceeds {limit} bytes."),
        )
    }

    /// The envelope a fault with `status` answers with when it has no explicit body.
    pub(crate) fn for_status(status: u16) -> Self {
        let (kind, code, message) = match status {
            400 | 422 => ("validation_error", "validation_error", "Invalid request."),
            401 => (
                "authentication_error",
                "unauthorized",
                "Missing or invalid API key.",
            ),
            402 => (
                "billing_error",
                "payment_failed",
                "The payment was declined.",
            ),
            403 => (
                "authentication_error",
                "forbidden",
                "This key may not do that.",
            ),
            404 => ("not_found_error", "not_found", "Not found."),
            409 => ("conflict_error", "conflict", "Conflict."),
            429 => (
                "rate_limit_error",
                "rate_limited",
                "Too many requests. Slow down.",
            ),
            500..=599 => (
                "internal_error",
                "internal_error",
                "Internal error. Try again.",
            ),
            _ => ("api_error", "api_error", "Unexpected error."),
        };
        ApiError::new(status, kind, code, message)
    }

    /// The JSON envelope.
    pub(crate) fn body(&self) -> Value {
        json!({
            "success": false,
            "error": {
                "type": self.kind,
                "code": self.code,
                "message": self.message,
                "param": self.param,
                "details": self.details,
                "doc_url": format!("https://commet.co/docs/api/errors#{}", self.code),
            }
        })
    }
}

impl From<ApiError> for Reply {
    fn from(err: ApiError) -> Reply {
        Reply::new(err.status, err.body())
    }
}
