//! What the fake remembers about each request it received.

use crate::fault::Fault;

/// One request as the fake received it, recorded before it was processed (so requests whose
/// connection was dropped by a fault are recorded too).
#[derive(Debug, Clone, PartialEq)]
pub struct RecordedRequest {
    /// The `x-request-id` the fake assigned (and sent back, if it answered).
    pub request_id: String,
    /// The HTTP method, e.g. `POST`.
    pub method: String,
    /// The path as received, including the `/api/v1` prefix, without the query string.
    pub path: String,
    /// The raw query string without the leading `?`, if any.
    pub query: Option<String>,
    /// Every header in arrival order, names lowercased; repeated headers appear repeatedly.
    /// Values that are not UTF-8 are converted lossily.
    pub headers: Vec<(String, String)>,
    /// The raw request body.
    pub body: Vec<u8>,
    /// The fault this request consumed from the queue, if any.
    pub fault: Option<Fault>,
}

impl RecordedRequest {
    /// The first value of header `name` (compared case-insensitively).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The body as text (lossy for bytes that are not UTF-8).
    pub fn body_str(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    /// The body parsed as JSON, if it is JSON.
    pub fn body_json(&self) -> Option<serde_json::Value> {
        serde_json::from_slice(&self.body).ok()
    }

    /// The `Commet-Version` header, if the client sent one.
    pub fn commet_version(&self) -> Option<&str> {
        self.header("commet-version")
    }

    /// The `Idempotency-Key` header, if the client sent one.
    pub fn idempotency_key(&self) -> Option<&str> {
        self.header("idempotency-key")
    }
}
