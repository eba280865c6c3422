//! Where the payload sits in a response body, and decoding it with a JSON path on failure.

use reqwest::StatusCode;
use reqwest::header::HeaderMap;
use serde::Deserialize;
use serde::de::DeserializeOwned;

use crate::error::{
    ApiError, BODY_PREFIX_LIMIT, DecodeError, Error, ErrorBody, UnexpectedStatus, body_prefix,
};

/// How to find the success type `T` in a 2xx body.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Envelope {
    /// The body is `T` itself.
    #[default]
    Bare,
    /// The body is `{"success": true, "data": T}`; other fields are ignored.
    Data,
    /// `T` is a [`Page`](crate::Page), read from `{"data": [..], "hasMore": b, "nextCursor": s?}`,
    /// with or without `success` / `object` (other fields are ignored).
    List,
    /// `T` is `()`; the body, if any, is ignored.
    Empty,
    /// `T` is a `String`: the body as UTF-8 text.
    Text,
    /// `T` is [`bytes::Bytes`]: the body as it came.
    Bytes,
    /// `T` is an enum chosen by the status: it is read from `{"status": "201", "body": B}`
    /// (`body` left out when there is none), so a generated
    /// `#[serde(tag = "status", content = "body")]` enum picks its variant by status.
    Status,
}

/// How to find the error type `E` in a non-2xx body.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ErrorEnvelope {
    /// The body is `E` itself.
    #[default]
    Bare,
    /// `E` is in this field of a JSON object: `{"success": false, "error": E}` is `Field("error")`.
    Field(&'static str),
}

/// A successful response: status, headers, request id and the decoded data.
#[derive(Debug, Clone)]
pub struct Response<T> {
    /// The HTTP status.
    pub status: StatusCode,
    /// The response headers.
    pub headers: HeaderMap,
    /// The `x-request-id` response header.
    pub request_id: Option<String>,
    /// The idempotency key every attempt carried, if the call had one.
    pub idempotency_key: Option<String>,
    /// The decoded payload.
    pub data: T,
}

impl<T> Response<T> {
    /// The HTTP status.
    pub fn status(&self) -> StatusCode {
        self.status
    }
    /// The response headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }
    /// The `x-request-id` response header.
    pub fn request_id(&self) -> Option<&str> {
        self.request_id.as_deref()
    }
    /// The idempotency key every attempt carried, if the call had one (to keep with the
    /// result, or to quote to support).
    pub fn idempotency_key(&self) -> Option<&str> {
        self.idempotency_key.as_deref()
    }
    /// The decoded payload.
    pub fn data(&self) -> &T {
        &self.data
    }
    /// Takes the decoded payload.
    pub fn into_data(self) -> T {
        self.data
    }
    /// Transforms the payload, keeping status, headers and request id.
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Response<U> {
        Response {
            status: self.status,
            headers: self.headers,
            request_id: self.request_id,
            idempotency_key: self.idempotency_key,
            data: f(self.data),
        }
    }
}

/// `{"data": T, ...}`: serde ignores `success` and any other field.
#[derive(Deserialize)]
#[serde(bound = "T: DeserializeOwned")]
struct DataEnvelope<T> {
    data: T,
}

/// Why a body failed to decode: where, and what serde said.
#[derive(Debug)]
pub(crate) struct Failure {
    pub(crate) path: String,
    pub(crate) message: String,
}

/// Deserializes `T` from JSON, recording the path of the first failure.
pub(crate) fn from_json<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, Failure> {
    // Tracking the path costs on every field (each key is kept as it is read), so the bytes are
    // read plainly first; only a failure is read again, the same way, to say where it failed.
    match serde_json::from_slice(bytes) {
        Ok(value) => Ok(value),
        Err(_) => from_json_tracked(bytes),
    }
}

/// [`from_json`] with the path of every value tracked, for the failure's `path`.
fn from_json_tracked<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, Failure> {
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let value = serde_path_to_error::deserialize(&mut de).map_err(|e| Failure {
        path: e.path().to_string(),
        message: e.into_inner().to_string(),
    })?;
    // Trailing garbage after the JSON value is an error, as in `serde_json::from_slice`.
    de.end().map_err(|e| Failure {
        path: ".".to_owned(),
        message: e.to_string(),
    })?;
    Ok(value)
}

/// Decodes a 2xx body according to `envelope`.
pub(crate) fn decode_success<T: DeserializeOwned>(
    envelope: Envelope,
    status: StatusCode,
    bytes: &[u8],
) -> Result<T, Failure> {
    let blank = bytes.iter().all(u8::is_ascii_whitespace);
    match envelope {
        // No payload: `()` (or an `Option`) is read from `null`.
        Envelope::Empty => from_json(b"null"),
        // 204 or an empty 200 for a bare `T`: `()` / `Option` still decode.
        Envelope::Bare if blank => from_json(b"null"),
        Envelope::Bare | Envelope::List => from_json(bytes),
        Envelope::Data => from_json::<DataEnvelope<T>>(bytes).map(|d| d.data),
        Envelope::Status => {
            let mut outcome = serde_json::Map::new();
            outcome.insert(
                "status".to_owned(),
                serde_json::Value::String(status.as_u16().to_string()),
            );
            if !blank {
                outcome.insert("body".to_owned(), from_json(bytes)?);
            }
            serde_path_to_error::deserialize(serde_json::Value::Object(outcome)).map_err(|e| {
                Failure {
                    path: e.path().to_string(),
                    message: format!("a {status} answer: {}", e.into_inner()),
                }
            })
        }
        // Through serde's own value deserializers, so `T` stays any `DeserializeOwned`.
        Envelope::Text => {
            let text = std::str::from_utf8(bytes).map_err(|e| Failure {
                path: ".".to_owned(),
                message: format!("the body is not UTF-8 text: {e}"),
            })?;
            T::deserialize(serde::de::value::StrDeserializer::<serde_json::Error>::new(
                text,
            ))
            .map_err(|e| Failure {
                path: ".".to_owned(),
                message: e.to_string(),
            })
        }
        Envelope::Bytes => {
            T::deserialize(serde::de::value::BytesDeserializer::<serde_json::Error>::new(bytes))
                .map_err(|e| Failure {
                    path: ".".to_owned(),
                    message: e.to_string(),
                })
        }
    }
}

/// Turns a non-2xx response into [`Error::Api`] when its body matches the error envelope,
/// else [`Error::UnexpectedStatus`].
pub(crate) fn decode_error<E: ErrorBody>(
    envelope: ErrorEnvelope,
    status: StatusCode,
    headers: HeaderMap,
    request_id: Option<String>,
    bytes: &[u8],
) -> Error<E> {
    // The error object as plain JSON, kept when it does not match `E`.
    let mut raw_error = None;
    let parsed: Result<E, String> = match envelope {
        ErrorEnvelope::Bare => match from_json::<serde_json::Value>(bytes) {
            Ok(value) => {
                let result = serde_path_to_error::deserialize(&value)
                    .map_err(|e| format!("at `{}`: {}", e.path(), e.inner()));
                raw_error = Some(value);
                result
            }
            Err(f) => Err(f.message),
        },
        ErrorEnvelope::Field(name) => match from_json::<serde_json::Value>(bytes) {
            Ok(serde_json::Value::Object(mut map)) => match map.remove(name) {
                Some(inner) => {
                    let result = serde_path_to_error::deserialize(&inner)
                        .map_err(|e| format!("at `{name}.{}`: {}", e.path(), e.inner()));
                    raw_error = Some(inner);
                    result
                }
                // The error object itself, without the envelope (a proxy or an older endpoint
                // may send it bare): its code must still drive retries and handling.
                None if is_error_object(&map) => {
                    let whole = serde_json::Value::Object(map);
                    let result = serde_path_to_error::deserialize(&whole).map_err(|e| {
                        format!("no `{name}` field, and at `{}`: {}", e.path(), e.inner())
                    });
                    raw_error = Some(whole);
                    result
                }
                None => Err(format!("no `{name}` field")),
            },
            Ok(_) => Err("body is not a JSON object".to_owned()),
            Err(f) => Err(f.message),
        },
    };
    match parsed {
        Ok(body) => Error::Api(Box::new(ApiError {
            status,
            headers,
            request_id,
            body,
            report: None,
        })),
        Err(reason) => {
            let (body, body_truncated) = body_prefix(bytes, BODY_PREFIX_LIMIT);
            Error::UnexpectedStatus(Box::new(UnexpectedStatus {
                status,
                headers,
                request_id,
                body,
                body_truncated,
                reason,
                error: raw_error.filter(serde_json::Value::is_object),
                report: None,
            }))
        }
    }
}

/// Whether a JSON object has the shape of an API error object: a string `type` or `code`.
fn is_error_object(map: &serde_json::Map<String, serde_json::Value>) -> bool {
    ["type", "code"]
        .iter()
        .any(|field| map.get(*field).is_some_and(serde_json::Value::is_string))
}

/// Builds a [`DecodeError`] for a 2xx body that did not decode.
pub(crate) fn decode_failure(
    failure: Failure,
    status: StatusCode,
    headers: HeaderMap,
    request_id: Option<String>,
    bytes: &[u8],
) -> DecodeError {
    let (body, body_truncated) = body_prefix(bytes, BODY_PREFIX_LIMIT);
    DecodeError {
        status,
        headers,
        request_id,
        body,
        body_truncated,
        path: failure.path,
        message: failure.message,
        report: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Page;
    use serde::Deserialize;

    #[derive(Debug, Deserialize, PartialEq)]
    #[serde(rename_all = "camelCase")]
    struct Payment {
        id: String,
        amount_total: i64,
    }

    fn ok<T: DeserializeOwned>(e: Envelope, body: &str) -> T {
        match decode_success(e, StatusCode::OK, body.as_bytes()) {
            Ok(v) => v,
            Err(f) => panic!("{} at {}", f.message, f.path),
        }
    }

    fn fail<T: DeserializeOwned>(e: Envelope, body: &str) -> Failure {
        match decode_success::<T>(e, StatusCode::OK, body.as_bytes()) {
            Ok(_) => panic!("decoded {body}"),
            Err(f) => f,
        }
    }

    #[derive(Debug, Deserialize, PartialEq)]
    #[serde(tag = "status", content = "body")]
    enum Outcome {
        #[serde(rename = "201")]
        Created(Payment),
        #[serde(rename = "204")]
        NoContent,
    }

    fn ok_with<T: DeserializeOwned>(status: StatusCode, body: &str) -> T {
        match decode_success(Envelope::Status, status, body.as_bytes()) {
            Ok(v) => v,
            Err(f) => panic!("{} at {}", f.message, f.path),
        }
    }

    #[test]
    fn status_envelope_picks_the_variant_by_status() {
        let created: Outcome = ok_with(StatusCode::CREATED, r#"{"id":"pay_1","amountTotal":5}"#);
        assert_eq!(
            created,
            Outcome::Created(Payment {
                id: "pay_1".to_owned(),
                amount_total: 5
            })
        );
        let none: Outcome = ok_with(StatusCode::NO_CONTENT, "");
        assert_eq!(none, Outcome::NoContent);
        let bad = decode_success::<Outcome>(Envelope::Status, StatusCode::CREATED, br#"{"id":1}"#)
            .unwrap_err();
        assert_eq!(bad.path, "body.id");
        let unknown =
            decode_success::<Outcome>(Envelope::Status, StatusCode::ACCEPTED, b"").unwrap_err();
        assert!(unknown.message.contains("202"), "{}", unknown.message);
    }

    #[test]
    fn data_envelope_ignores_unknown_fields() {
        let p: Payment = ok(
            Envelope::Data,
            r#"{"success":true,"data":{"id":"pay_1","amountTotal":5,"newField":[1]},"extra":1}"#,
        );
        assert_eq!(
            p,
            Payment {
                id: "pay_1".into(),
                amount_total: 5
            }
        );
    }

    #[test]
    fn bare_and_empty() {
        let p: Payment = ok(Envelope::Bare, r#"{"id":"pay_2","amountTotal":7}"#);
        assert_eq!(p.id, "pay_2");
        let () = ok(Envelope::Empty, "<html>ignored</html>");
        let () = ok(Envelope::Bare, "");
        let none: Option<Payment> = ok(Envelope::Bare, "  ");
        assert_eq!(none, None);
    }

    #[test]
    fn list_with_and_without_success() {
        let wrapped: Page<Payment> = ok(
            Envelope::List,
            r#"{"success":true,"data":[{"id":"a","amountTotal":1}],"hasMore":true,"nextCursor":"c1"}"#,
        );
        assert_eq!(wrapped.data.len(), 1);
        assert!(wrapped.has_more);
        assert_eq!(wrapped.next_cursor.as_deref(), Some("c1"));
        let bare: Page<Payment> = ok(
            Envelope::List,
            r#"{"object":"list","data":[],"hasMore":false,"nextCursor":null,"url":"/x"}"#,
        );
        assert!(bare.data.is_empty() && !bare.has_more && bare.next_cursor.is_none());
        let no_cursor: Page<Payment> = ok(Envelope::List, r#"{"data":[],"hasMore":false}"#);
        assert!(no_cursor.next_cursor.is_none());
    }

    #[test]
    fn failures_carry_the_json_path() {
        let f = fail::<Payment>(
            Envelope::Data,
            r#"{"success":true,"data":{"id":"pay_1","amountTotal":"5"}}"#,
        );
        assert_eq!(f.path, "data.amountTotal");
        assert!(f.message.contains("invalid type"), "{}", f.message);
        let f = fail::<Page<Payment>>(
            Envelope::List,
            r#"{"data":[{"id":"a","amountTotal":1},{"id":2,"amountTotal":1}],"hasMore":false}"#,
        );
        assert_eq!(f.path, "data[1].id");
        let f = fail::<Payment>(Envelope::Bare, r#"{"id":"a","amountTotal":1} trailing"#);
        assert_eq!(f.path, ".");
        let f = fail::<Payment>(Envelope::Bare, "<html>");
        assert!(!f.message.is_empty());
    }

    #[test]
    fn decode_failure_bounds_the_body() {
        let body = format!(r#"{{"data":"{}"}}"#, "x".repeat(10_000));
        let f = fail::<Payment>(Envelope::Data, &body);
        let e = decode_failure(
            f,
            StatusCode::OK,
            HeaderMap::new(),
            Some("req_1".into()),
            body.as_bytes(),
        );
        assert!(e.body_truncated);
        assert_eq!(e.body.len(), BODY_PREFIX_LIMIT);
        assert_eq!(e.path, "data");
        let line = e.to_string();
        assert!(
            line.starts_with("could not decode 200 OK response at `data`: invalid type"),
            "{line}"
        );
        assert!(line.ends_with("(request req_1)"), "{line}");
    }

    #[test]
    fn error_envelopes() {
        let body = br#"{"success":false,"error":{"type":"not_found_error","code":"payment_not_found","message":"No such payment","doc_url":null}}"#;
        let e: Error<serde_json::Value> = decode_error(
            ErrorEnvelope::Field("error"),
            StatusCode::NOT_FOUND,
            HeaderMap::new(),
            None,
            body,
        );
        let api = e.api_error().expect("api error");
        assert_eq!(api.code(), Some("payment_not_found"));
        assert_eq!(
            e.to_string(),
            "404 Not Found: not_found_error/payment_not_found: No such payment"
        );

        let html = b"<html>bad gateway</html>";
        let e: Error<serde_json::Value> = decode_error(
            ErrorEnvelope::Field("error"),
            StatusCode::BAD_GATEWAY,
            HeaderMap::new(),
            None,
            html,
        );
        match e {
            Error::UnexpectedStatus(u) => {
                assert_eq!(u.body, "<html>bad gateway</html>");
                assert_eq!(u.status, StatusCode::BAD_GATEWAY);
            }
            other => panic!("{other:?}"),
        }
        let e: Error<serde_json::Value> = decode_error(
            ErrorEnvelope::Field("error"),
            StatusCode::BAD_REQUEST,
            HeaderMap::new(),
            None,
            br#"{"message":"no envelope"}"#,
        );
        assert!(
            matches!(e, Error::UnexpectedStatus(ref u) if u.reason.contains("no `error` field"))
        );
        let e: Error<serde_json::Value> = decode_error(
            ErrorEnvelope::Bare,
            StatusCode::BAD_REQUEST,
            HeaderMap::new(),
            None,
            br#"{"code":"x"}"#,
        );
        assert_eq!(e.code(), Some("x"));
    }

    #[test]
    fn a_bare_error_object_is_read_without_its_envelope() {
        let bare = br#"{"type":"conflict_error","code":"idempotency_in_progress","message":"Still working"}"#;
        let e: Error<serde_json::Value> = decode_error(
            ErrorEnvelope::Field("error"),
            StatusCode::CONFLICT,
            HeaderMap::new(),
            Some("req_7".into()),
            bare,
        );
        let api = e.api_error().expect("an API error");
        assert_eq!(api.error_type(), Some("conflict_error"));
        assert_eq!(api.message(), Some("Still working"));
        assert!(
            e.is_retryable(),
            "a retryable code is retried without the envelope"
        );

        // The typed body misses a field: still the code, as UnexpectedStatus.
        let e: Error<StrictError> = decode_error(
            ErrorEnvelope::Field("error"),
            StatusCode::CONFLICT,
            HeaderMap::new(),
            None,
            br#"{"code":"idempotency_in_progress","message":"Still working"}"#,
        );
        let Error::UnexpectedStatus(u) = &e else {
            panic!("{e:?}");
        };
        assert!(u.reason.contains("missing field `type`"), "{}", u.reason);
        assert_eq!(e.code(), Some("idempotency_in_progress"));
        assert_eq!(u.message(), Some("Still working"));

        // An object that is no error object stays unexplained.
        let e: Error<serde_json::Value> = decode_error(
            ErrorEnvelope::Field("error"),
            StatusCode::BAD_REQUEST,
            HeaderMap::new(),
            None,
            br#"{"type":1,"detail":"x"}"#,
        );
        assert!(
            matches!(&e, Error::UnexpectedStatus(u) if u.error.is_none()),
            "{e:?}"
        );
    }

    /// The declared error type requires `type`; a body without it must still yield its code.
    #[derive(Debug, Deserialize)]
    struct StrictError {
        #[allow(dead_code)]
        r#type: String,
    }

    impl ErrorBody for StrictError {
        fn error_type(&self) -> Option<&str> {
            Some(&self.r#type)
        }
        fn code(&self) -> Option<&str> {
            None
        }
        fn message(&self) -> Option<&str> {
            None
        }
    }

    #[test]
    fn an_error_object_that_misses_a_field_keeps_its_code() {
        let body = br#"{"success":false,"error":{"code":"idempotency_in_progress","message":"Still working"}}"#;
        let e: Error<StrictError> = decode_error(
            ErrorEnvelope::Field("error"),
            StatusCode::CONFLICT,
            HeaderMap::new(),
            Some("req_9".into()),
            body,
        );
        let Error::UnexpectedStatus(u) = &e else {
            panic!("{e:?}");
        };
        assert!(u.reason.contains("missing field `type`"), "{}", u.reason);
        assert_eq!(e.code(), Some("idempotency_in_progress"));
        assert!(
            e.is_retryable(),
            "a retryable code is retried even off-schema"
        );
        assert_eq!(
            e.to_string(),
            "unexpected response 409 Conflict: idempotency_in_progress: Still working (request req_9)"
        );
    }
}
