//! Idempotency keys: the first response for a key is stored and replayed for the same payload.

use std::collections::HashMap;

use axum::http::HeaderMap;
use serde_json::Value;

use crate::error::ApiError;
use crate::reply::Reply;

/// Where the fake reads a request's idempotency key: Commet's is the `Idempotency-Key` header;
/// other payments APIs use a header of another name (`PayPal-Request-Id`) or a top-level field
/// of the JSON body (Square's `idempotency_key`). Whichever it is, keyed requests are stored
/// and replayed the same way.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeyStyle {
    /// A request header (compared case-insensitively).
    Header(String),
    /// A top-level string field of the JSON body.
    BodyField(String),
}

impl Default for KeyStyle {
    /// Commet's `Idempotency-Key` header.
    fn default() -> Self {
        KeyStyle::Header("Idempotency-Key".to_owned())
    }
}

impl KeyStyle {
    /// The non-empty key a request with these headers and body carries.
    pub(crate) fn key_in(&self, headers: &HeaderMap, body: &[u8]) -> Option<String> {
        let key = match self {
            KeyStyle::Header(name) => headers.get(name.as_str())?.to_str().ok()?.trim().to_owned(),
            KeyStyle::BodyField(field) => {
                let body: Value = serde_json::from_slice(body).ok()?;
                body.get(field)?.as_str()?.to_owned()
            }
        };
        (!key.is_empty()).then_some(key)
    }

    /// The key a recorded request carried, read the same way.
    pub fn key_of(&self, request: &crate::RecordedRequest) -> Option<String> {
        let key = match self {
            KeyStyle::Header(name) => request.header(name)?.trim().to_owned(),
            KeyStyle::BodyField(field) => request.body_fields()?.get(field)?.as_str()?.to_owned(),
        };
        (!key.is_empty()).then_some(key)
    }
}

/// What the store says about an incoming keyed request.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Lookup {
    /// The key is new: process the request, then [`IdempotencyStore::store`] its reply.
    Fresh,
    /// Same key, same payload: answer with this stored reply.
    Replay(Reply),
    /// Same key, different payload.
    Mismatch(Reply),
}

#[derive(Debug, Clone)]
struct Record {
    fingerprint: String,
    reply: Reply,
}

/// Key → (request fingerprint, first reply).
#[derive(Debug, Default)]
pub(crate) struct IdempotencyStore {
    records: HashMap<String, Record>,
}

impl IdempotencyStore {
    pub(crate) fn lookup(&self, key: &str, fingerprint: &str) -> Lookup {
        match self.records.get(key) {
            None => Lookup::Fresh,
            Some(record) if record.fingerprint == fingerprint => {
                let mut reply = record.reply.clone();
                reply
                    .headers
                    .push(("idempotent-replayed", "true".to_string()));
                Lookup::Replay(reply)
            }
            Some(_) => Lookup::Mismatch(ApiError::idempotency_mismatch().into()),
        }
    }

    pub(crate) fn store(&mut self, key: &str, fingerprint: String, reply: &Reply) {
        self.records
            .entry(key.to_string())
            .or_insert_with(|| Record {
                fingerprint,
                reply: reply.clone(),
            });
    }
}

/// The payload identity of a request: method, path and body. A JSON body is compared by value
/// (key order and whitespace do not matter); any other body byte for byte.
pub(crate) fn fingerprint(method: &str, path: &str, body: &[u8]) -> String {
    let body = match serde_json::from_slice::<Value>(body) {
        Ok(value) => format!("json:{}", canonical(&value)),
        Err(_) => format!("raw:{}", String::from_utf8_lossy(body)),
    };
    format!("{method} {path}\n{body}")
}

/// JSON text with object keys sorted at every level. `Value`'s own key order depends on
/// whether some crate in the build enabled serde_json's `preserve_order`, so it can't be trusted
/// to compare payloads.
fn canonical(value: &Value) -> String {
    match value {
        Value::Object(map) => {
            let mut entries: Vec<(&String, &Value)> = map.iter().collect();
            entries.sort_by(|a, b| a.0.cmp(b.0));
            let fields: Vec<String> = entries
                .into_iter()
                .map(|(k, v)| format!("{}:{}", Value::from(k.as_str()), canonical(v)))
                .collect();
            format!("{{{}}}", fields.join(","))
        }
        Value::Array(items) => {
            let items: Vec<String> = items.iter().map(canonical).collect();
            format!("[{}]", items.join(","))
        }
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn fingerprint_ignores_json_formatting() {
        let a = fingerprint("POST", "/payments", br#"{"a":1,"b":2}"#);
        let b = fingerprint("POST", "/payments", b"{ \"b\": 2, \"a\": 1 }");
        assert_eq!(a, b);
        let nested_a = fingerprint(
            "POST",
            "/p",
            br#"{"m":{"x":"1","y":"2"},"l":[{"b":1,"a":2}]}"#,
        );
        let nested_b = fingerprint(
            "POST",
            "/p",
            br#"{"l":[{"a":2,"b":1}],"m":{"y":"2","x":"1"}}"#,
        );
        assert_eq!(nested_a, nested_b);
        assert_ne!(
            a,
            fingerprint("POST", "/payments/charge", br#"{"a":1,"b":2}"#)
        );
        assert_ne!(a, fingerprint("POST", "/payments", br#"{"a":1,"b":3}"#));
    }

    #[test]
    fn replays_first_reply_and_rejects_other_payloads() {
        let mut store = IdempotencyStore::default();
        assert_eq!(store.lookup("k", "f1"), Lookup::Fresh);
        let reply = Reply::data(201, json!({"id": "pay_1"}));
        store.store("k", "f1".into(), &reply);
        store.store("k", "f1".into(), &Reply::data(200, json!({"id": "pay_2"})));
        match store.lookup("k", "f1") {
            Lookup::Replay(r) => {
                assert_eq!((r.status, &r.body), (201, &reply.body));
            }
            other => panic!("expected replay, got {other:?}"),
        }
        assert!(matches!(store.lookup("k", "f2"), Lookup::Mismatch(r) if r.status == 409));
    }
}
