//! A JSON reply (status, body, extra headers) and its conversion into an HTTP response.

use axum::body::Body;
use axum::http::{HeaderName, HeaderValue, StatusCode, header};
use axum::response::Response;
use serde_json::{Value, json};

/// A processed request's answer, before faults that alter it are applied.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Reply {
    pub(crate) status: u16,
    pub(crate) body: Value,
    pub(crate) headers: Vec<(&'static str, String)>,
}

impl Reply {
    pub(crate) fn new(status: u16, body: Value) -> Self {
        Reply {
            status,
            body,
            headers: Vec::new(),
        }
    }

    /// `{"success": true, "data": data}` with the given status.
    pub(crate) fn data(status: u16, data: Value) -> Self {
        Reply::new(status, json!({"success": true, "data": data}))
    }

    /// Serializes the body and builds the response.
    pub(crate) fn into_response(self) -> Response {
        let bytes = serde_json::to_vec(&self.body).unwrap_or_default();
        let mut response = raw_response(self.status, "application/json", bytes);
        for (name, value) in self.headers {
            if let Ok(value) = HeaderValue::try_from(value) {
                response
                    .headers_mut()
                    .insert(HeaderName::from_static(name), value);
            }
        }
        response
    }
}

/// A complete response with the given status (500 if it is not a valid final status), content
/// type and body bytes.
pub(crate) fn raw_response(status: u16, content_type: &'static str, body: Vec<u8>) -> Response {
    let mut response = Response::new(Body::from(body));
    *response.status_mut() = final_status(status);
    response
        .headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    response
}

/// `status` as a status code if it is a final (non-1xx) HTTP status, else 500.
fn final_status(status: u16) -> StatusCode {
    match StatusCode::from_u16(status) {
        Ok(code) if (200..=599).contains(&status) => code,
        _ => StatusCode::INTERNAL_SERVER_ERROR,
    }
}
