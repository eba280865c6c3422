use super::*;
use serde_json::json;

fn api(status: u16, body: serde_json::Value) -> Error<serde_json::Value> {
    let mut headers = HeaderMap::new();
    headers.insert("x-request-id", "req_abc".parse().unwrap());
    Error::Api(Box::new(ApiError {
        status: StatusCode::from_u16(status).unwrap(),
        headers,
        request_id: Some("req_abc".into()),
        body,
        report: None,
    }))
}

fn unexpected(status: u16, body: &str) -> Error<serde_json::Value> {
    Error::UnexpectedStatus(Box::new(UnexpectedStatus {
        status: StatusCode::from_u16(status).unwrap(),
        headers: HeaderMap::new(),
        request_id: None,
        body: body.into(),
        body_truncated: false,
        reason: "expected value".into(),
        error: None,
        report: None,
    }))
}

fn transport_error() -> reqwest::Error {
    // A builder error is the only reqwest::Error that can be made without I/O.
    reqwest::Client::builder()
        .build()
        .unwrap()
        .get("not a url")
        .build()
        .unwrap_err()
}

#[test]
fn api_error_display_is_one_useful_line() {
    let e = api(
        409,
        json!({"type": "conflict_error", "code": "payment_not_cancelable",
                   "message": "Payment pay_1 cannot be canceled", "param": null}),
    );
    assert_eq!(
        e.to_string(),
        "409 Conflict: conflict_error/payment_not_cancelable: Payment pay_1 cannot be canceled (request req_abc)"
    );
    assert_eq!(e.status(), Some(StatusCode::CONFLICT));
    assert_eq!(e.request_id(), Some("req_abc"));
    assert_eq!(e.code(), Some("payment_not_cancelable"));
    let e = api(500, json!("boom"));
    assert_eq!(e.to_string(), "500 Internal Server Error (request req_abc)");
    let e = api(400, json!({"message": "bad\nthing"}));
    assert_eq!(
        e.to_string(),
        "400 Bad Request: bad thing (request req_abc)"
    );
}

#[test]
fn unexpected_status_display_has_snippet_on_one_line() {
    let e = unexpected(502, "<html>\n<body>Bad gateway</body>\n</html>");
    assert_eq!(
        e.to_string(),
        "unexpected response 502 Bad Gateway: <html> <body>Bad gateway</body> </html>"
    );
    let long = "x".repeat(5000);
    let line = unexpected(502, &long).to_string();
    assert!(line.len() < 300 && !line.contains('\n'));
}

#[test]
fn is_retryable_matrix() {
    let body = || json!({"type": "x", "code": "y"});
    for status in [408, 429, 500, 502, 503, 504] {
        assert!(api(status, body()).is_retryable(), "{status}");
        assert!(unexpected(status, "").is_retryable(), "{status}");
    }
    for status in [400, 401, 402, 403, 404, 409, 422, 501] {
        assert!(!api(status, body()).is_retryable(), "{status}");
        assert!(!unexpected(status, "").is_retryable(), "{status}");
    }
    let in_progress = api(
        409,
        json!({"type": "conflict_error", "code": "idempotency_in_progress"}),
    );
    assert!(in_progress.is_retryable());
    let mismatch = api(
        409,
        json!({"type": "conflict_error", "code": "idempotency_key_mismatch"}),
    );
    assert!(!mismatch.is_retryable());

    let decode: Error<serde_json::Value> = Error::Decode(Box::new(DecodeError {
        status: StatusCode::OK,
        headers: HeaderMap::new(),
        request_id: None,
        body: String::new(),
        body_truncated: false,
        path: ".".into(),
        message: "m".into(),
        report: None,
    }));
    // A success that can't be read is replayed by a retry with the same key.
    assert!(decode.is_retryable());
    let keep_unreadable = RetryPolicy {
        retry_unreadable_success: false,
        ..RetryPolicy::default()
    };
    assert!(!decode.is_retryable_under(&keep_unreadable));
    let too_large = |status: u16| -> Error<serde_json::Value> {
        Error::BodyTooLarge(Box::new(BodyTooLarge {
            status: StatusCode::from_u16(status).unwrap(),
            headers: HeaderMap::new(),
            request_id: None,
            limit: 10,
            report: None,
        }))
    };
    assert!(!too_large(200).is_retryable());
    assert!(too_large(503).is_retryable());
    assert_eq!(
        too_large(200).to_string(),
        "the 200 OK response's body is larger than the 10 byte limit"
    );
    assert!(!Error::<serde_json::Value>::InvalidRequest("x".into()).is_retryable());
    assert!(!Error::<serde_json::Value>::Pagination("x".into()).is_retryable());
    let timeout: Error<serde_json::Value> =
        Error::Timeout(TimeoutError::new(Duration::from_secs(1), transport_error()));
    assert!(timeout.is_retryable());
    assert!(
        timeout
            .to_string()
            .starts_with("request timed out after 1s")
    );
    // Builder errors are deterministic, so not worth retrying.
    let builder: Error<serde_json::Value> =
        Error::Transport(TransportError::new(transport_error()));
    assert!(!builder.is_retryable());
    assert!(StdError::source(&builder).is_some());

    // A custom policy decides for itself.
    let policy = RetryPolicy {
        retry_statuses: vec![409],
        retry_codes: vec![],
        ..RetryPolicy::default()
    };
    assert!(mismatch.is_retryable_under(&policy));
    assert!(!api(503, body()).is_retryable_under(&policy));
}

#[test]
fn body_prefix_is_bounded_on_char_boundary() {
    let (text, cut) = body_prefix(b"short", BODY_PREFIX_LIMIT);
    assert_eq!((text.as_str(), cut), ("short", false));

    let big = "é".repeat(3000); // 6000 bytes, 2-byte chars
    let (text, cut) = body_prefix(big.as_bytes(), BODY_PREFIX_LIMIT);
    assert!(cut);
    assert!(text.len() <= BODY_PREFIX_LIMIT);
    assert!(text.chars().all(|c| c == 'é'));

    // A 3-byte char split by the limit is dropped, not turned into garbage.
    let s = format!("ab{}", "€".repeat(10));
    let (text, cut) = body_prefix(s.as_bytes(), 4);
    assert_eq!((text.as_str(), cut), ("ab", true));

    // Invalid UTF-8 is replaced and still bounded.
    let bytes = vec![0xFFu8; 5000];
    let (text, cut) = body_prefix(&bytes, BODY_PREFIX_LIMIT);
    assert!(cut && text.len() <= BODY_PREFIX_LIMIT);
    let (text, cut) = body_prefix(&[0xFF, b'a'], 10);
    assert_eq!((text.as_str(), cut), ("\u{FFFD}a", false));
}
