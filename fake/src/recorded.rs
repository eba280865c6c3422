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

    /// The body's fields as JSON: the body itself when it is JSON, an object of its fields
    /// (each a string, names as sent: `metadata[order]`) when it is a form; `None` otherwise.
    pub fn body_fields(&self) -> Option<serde_json::Value> {
        if let Some(json) = self.body_json() {
            return Some(json);
        }
        let is_form = self.header("content-type").is_some_and(|t| {
            t.split(';').next().is_some_and(|t| {
                t.trim()
                    .eq_ignore_ascii_case("application/x-www-form-urlencoded")
            })
        });
        is_form.then(|| {
            form_urlencoded::parse(&self.body)
                .map(|(name, value)| {
                    (
                        name.into_owned(),
                        serde_json::Value::from(value.into_owned()),
                    )
                })
                .collect::<serde_json::Map<_, _>>()
                .into()
        })
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
