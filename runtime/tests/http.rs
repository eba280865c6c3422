//! End-to-end behaviour over a real HTTP/1.1 server on 127.0.0.1 that each test starts itself:
//! the server answers from a script of raw responses and records every request it gets.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use commet_runtime::futures_util::StreamExt;
use commet_runtime::reqwest::{Method, StatusCode};
use commet_runtime::serde_json::{self, Value, json};
use commet_runtime::{
    Call, Client, ClientDefaults, Envelope, Error, ErrorEnvelope, Page, PageStream, RetryPolicy,
};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

const DEFAULTS: ClientDefaults = ClientDefaults {
    base_url: "http://127.0.0.1:9/unused",
    api_version: Some("2026-06-10"),
    version_header: "Commet-Version",
    schemes: &[commet_runtime::Scheme::api_key_header(
        "ApiKeyAuth",
        "x-api-key",
    )],
    security: &[&["ApiKeyAuth"]],
    credentials_required: true,
    api_key_env: "COMMET_RUNTIME_TEST_UNSET_API_KEY",
    bearer_token_env: "COMMET_RUNTIME_TEST_UNSET_BEARER_TOKEN",
    basic_auth_env: (
        "COMMET_RUNTIME_TEST_UNSET_USERNAME",
        "COMMET_RUNTIME_TEST_UNSET_PASSWORD",
    ),
    base_url_env: "COMMET_RUNTIME_TEST_UNSET_BASE_URL",
    idempotency_header: "Idempotency-Key",
    user_agent: "commet-rust/test",
};

const KEY: &str = "ck_sandbox_topsecret";

/// One scripted answer: wait `delay`, then write `raw` (a full HTTP response).
struct Reply {
    delay: Duration,
    raw: String,
}

fn reply(status: &str, extra_headers: &[(&str, &str)], body: &str) -> Reply {
    let mut raw = format!(
        "HTTP/1.1 {status}\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n",
        body.len()
    );
    for (name, value) in extra_headers {
        raw.push_str(&format!("{name}: {value}\r\n"));
    }
    raw.push_str("\r\n");
    raw.push_str(body);
    Reply {
        delay: Duration::ZERO,
        raw,
    }
}

fn delayed(delay: Duration, r: Reply) -> Reply {
    Reply { delay, ..r }
}

/// What the server saw: request line and lower-cased headers.
#[derive(Debug, Clone)]
struct Seen {
    request_line: String,
    headers: Vec<(String, String)>,
    body: String,
}

impl Seen {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

struct Server {
    base_url: String,
    seen: Arc<Mutex<Vec<Seen>>>,
}

impl Server {
    async fn start(script: Vec<Reply>) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let seen = Arc::new(Mutex::new(Vec::new()));
        let log = seen.clone();
        tokio::spawn(async move {
            // One connection per scripted reply; the server stops after the script.
            for reply in script {
                let Ok((stream, _)) = listener.accept().await else {
                    return;
                };
                let log = log.clone();
                tokio::spawn(serve(stream, reply, log));
            }
        });
        Server {
            base_url: format!("http://{addr}/api/v1"),
            seen,
        }
    }

    fn client(&self) -> Client {
        Client::builder(DEFAULTS)
            .api_key(KEY)
            .base_url(&self.base_url)
            .retry_policy(fast_policy())
            .build()
            .unwrap()
    }

    fn seen(&self) -> Vec<Seen> {
        self.seen.lock().unwrap().clone()
    }
}

fn fast_policy() -> RetryPolicy {
    RetryPolicy {
        max_retries: 3,
        initial_backoff: Duration::from_millis(1),
        max_backoff: Duration::from_millis(5),
        max_retry_after: Duration::from_secs(2),
        ..RetryPolicy::default()
    }
}

async fn serve(mut stream: TcpStream, reply: Reply, log: Arc<Mutex<Vec<Seen>>>) {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    // Read the head, then as many body bytes as content-length says.
    let head_end = loop {
        if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break i + 4;
        }
        match stream.read(&mut chunk).await {
            Ok(0) | Err(_) => return,
            Ok(n) => buf.extend_from_slice(&chunk[..n]),
        }
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).into_owned();
    let mut lines = head.split("\r\n");
    let request_line = lines.next().unwrap_or_default().to_owned();
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_owned()))
        .collect();
    let length: usize = headers
        .iter()
        .find(|(n, _)| n == "content-length")
        .and_then(|(_, v)| v.parse().ok())
        .unwrap_or(0);
    while buf.len() < head_end + length {
        match stream.read(&mut chunk).await {
            Ok(0) | Err(_) => break,
            Ok(n) => buf.extend_from_slice(&chunk[..n]),
        }
    }
    let body = String::from_utf8_lossy(&buf[head_end..]).into_owned();
    log.lock().unwrap().push(Seen {
        request_line,
        headers,
        body,
    });
    tokio::time::sleep(reply.delay).await;
    let _ = stream.write_all(reply.raw.as_bytes()).await;
    let _ = stream.shutdown().await;
}

fn ok_payment(id: &str) -> String {
    json!({"success": true, "data": {"id": id, "status": "pending"}}).to_string()
}

fn err_body(kind: &str, code: &str, message: &str) -> String {
    json!({"success": false, "error": {"type": kind, "code": code, "message": message}}).to_string()
}

type PaymentCall = Call<Value, Value>;

fn charge(client: &Client) -> PaymentCall {
    Call::new(client, Method::POST, &["payments", "charge"])
        .json(&json!({"customerId": "cus_1", "amount": 100, "currency": "usd", "description": "x"}))
        .envelope(Envelope::Data)
        .error_envelope(ErrorEnvelope::Field("error"))
}

#[tokio::test]
async fn retries_503_then_succeeds_with_the_same_idempotency_key() {
    let server = Server::start(vec![
        reply(
            "503 Service Unavailable",
            &[("x-request-id", "req_1")],
            "<html>down</html>",
        ),
        reply(
            "409 Conflict",
            &[("x-request-id", "req_2")],
            &err_body("conflict_error", "idempotency_in_progress", "in flight"),
        ),
        reply("200 OK", &[("x-request-id", "req_3")], &ok_payment("pay_1")),
    ])
    .await;
    let client = server.client();
    let response = charge(&client).idempotent().send().await.unwrap();
    assert_eq!(response.status, StatusCode::OK);
    assert_eq!(response.request_id(), Some("req_3"));
    assert_eq!(response.data["id"], "pay_1");

    let seen = server.seen();
    assert_eq!(seen.len(), 3);
    let keys: Vec<_> = seen
        .iter()
        .map(|s| s.header("idempotency-key").unwrap())
        .collect();
    assert!(keys.iter().all(|k| *k == keys[0]), "{keys:?}");
    assert_eq!(uuid_version(keys[0]), 4);
    for s in &seen {
        assert_eq!(s.request_line, "POST /api/v1/payments/charge HTTP/1.1");
        assert_eq!(s.header("x-api-key"), Some(KEY));
        assert_eq!(s.header("commet-version"), Some("2026-06-10"));
        assert_eq!(s.header("user-agent"), Some("commet-rust/test"));
        assert_eq!(s.header("content-type"), Some("application/json"));
        let body: Value = serde_json::from_str(&s.body).unwrap();
        assert_eq!(body["customerId"], "cus_1");
    }

    // A second logical call gets a fresh key.
    let server2 = Server::start(vec![reply("200 OK", &[], &ok_payment("pay_2"))]).await;
    let client2 = server2.client();
    let data: Value = charge(&client2).idempotent().await.unwrap();
    assert_eq!(data["id"], "pay_2");
    assert_ne!(server2.seen()[0].header("idempotency-key"), Some(keys[0]));
}

fn uuid_version(s: &str) -> usize {
    commet_runtime::uuid::Uuid::parse_str(s)
        .unwrap()
        .get_version_num()
}

#[tokio::test]
async fn user_key_is_reused_and_get_never_carries_one() {
    let server = Server::start(vec![
        reply(
            "500 Internal Server Error",
            &[],
            &err_body("internal_error", "internal_error", "x"),
        ),
        reply("200 OK", &[], &ok_payment("pay_1")),
        reply("200 OK", &[], &ok_payment("pay_1")),
    ])
    .await;
    let client = server.client();
    charge(&client)
        .idempotent()
        .idempotency_key("my-key-1")
        .send()
        .await
        .unwrap();
    let _: Value = Call::<Value, Value>::new(&client, Method::GET, &["payments", "pay/1"])
        .idempotent()
        .envelope(Envelope::Data)
        .await
        .unwrap();
    let seen = server.seen();
    assert_eq!(seen[0].header("idempotency-key"), Some("my-key-1"));
    assert_eq!(seen[1].header("idempotency-key"), Some("my-key-1"));
    assert_eq!(
        seen[2].request_line,
        "GET /api/v1/payments/pay%2F1 HTTP/1.1"
    );
    assert_eq!(seen[2].header("idempotency-key"), None);
}

#[tokio::test]
async fn no_retry_on_400_and_the_error_is_one_useful_line() {
    let server = Server::start(vec![
        reply(
            "409 Conflict",
            &[("x-request-id", "req_abc")],
            &err_body(
                "conflict_error",
                "payment_not_cancelable",
                "Payment pay_1 cannot be canceled",
            ),
        ),
        reply(
            "400 Bad Request",
            &[("x-request-id", "req_def")],
            &err_body("validation_error", "validation_error", "bad"),
        ),
        reply("200 OK", &[], &ok_payment("never")),
    ])
    .await;
    let client = server.client();
    let cancel = PaymentCall::new(&client, Method::POST, &["payments", "pay_1", "cancel"])
        .idempotent()
        .envelope(Envelope::Data)
        .error_envelope(ErrorEnvelope::Field("error"));
    let key = cancel.get_idempotency_key().expect("a key").to_owned();
    let err = cancel.send().await.unwrap_err();
    let line = err.to_string();
    assert_eq!(
        line,
        format!(
            "409 Conflict: conflict_error/payment_not_cancelable: Payment pay_1 cannot be canceled \
             (request req_abc); not applied; idempotency key {key}"
        )
    );
    assert_eq!(
        server.seen()[0].header("idempotency-key"),
        Some(key.as_str())
    );
    assert!(!line.contains("topsecret") && !format!("{err:?}").contains("topsecret"));
    assert_eq!(err.request_id(), Some("req_abc"));

    let err = charge(&client).idempotent().send().await.unwrap_err();
    assert_eq!(err.status(), Some(StatusCode::BAD_REQUEST));
    assert_eq!(err.code(), Some("validation_error"));
    assert!(!err.is_retryable());
    assert_eq!(server.seen().len(), 2, "neither 409 nor 400 was retried");
}

#[tokio::test]
async fn post_without_idempotency_is_never_retried() {
    let server = Server::start(vec![
        reply(
            "503 Service Unavailable",
            &[("x-request-id", "req_x")],
            "<html>\nBad gateway\n</html>",
        ),
        reply("200 OK", &[], &ok_payment("never")),
    ])
    .await;
    let client = server.client();
    let err = charge(&client).send().await.unwrap_err();
    match &err {
        Error::UnexpectedStatus(u) => {
            assert_eq!(u.status, StatusCode::SERVICE_UNAVAILABLE);
            assert_eq!(u.request_id.as_deref(), Some("req_x"));
            assert!(u.body.contains("Bad gateway"));
        }
        other => panic!("{other:?}"),
    }
    assert!(
        err.is_retryable(),
        "retryable in principle, but not safe for this POST"
    );
    let seen = server.seen();
    assert_eq!(seen.len(), 1);
    assert_eq!(seen[0].header("idempotency-key"), None);
}

#[tokio::test]
async fn retry_after_is_honoured_up_to_the_limit() {
    let server = Server::start(vec![
        reply(
            "429 Too Many Requests",
            &[("retry-after", "1")],
            &err_body("rate_limit_error", "rate_limited", "slow down"),
        ),
        reply("200 OK", &[], &ok_payment("pay_1")),
        reply("503 Service Unavailable", &[("retry-after", "3600")], ""),
        reply("200 OK", &[], &ok_payment("pay_2")),
    ])
    .await;
    let client = server.client();
    let get = |id: &str| {
        PaymentCall::new(&client, Method::GET, &["payments", id])
            .envelope(Envelope::Data)
            .error_envelope(ErrorEnvelope::Field("error"))
    };
    let started = Instant::now();
    get("pay_1").send().await.unwrap();
    let waited = started.elapsed();
    assert!(
        waited >= Duration::from_millis(950),
        "Retry-After: 1 was not honoured: {waited:?}"
    );
    assert!(waited < Duration::from_secs(2), "{waited:?}");

    // 3600 s is more than max_retry_after, here 100 ms: the call ends with the advice.
    let err = get("pay_2")
        .retry_policy(RetryPolicy {
            max_retry_after: Duration::from_millis(100),
            ..fast_policy()
        })
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(StatusCode::SERVICE_UNAVAILABLE));
    assert_eq!(err.retry_after(), Some(Duration::from_secs(3600)));
    assert_eq!(
        err.report().map(|r| r.stop_reason().clone()),
        Some(commet_runtime::StopReason::RetryAfterTooLong {
            retry_after: Duration::from_secs(3600),
            limit: Duration::from_millis(100),
        })
    );
    assert_eq!(
        server.seen().len(),
        3,
        "no retry after a wait over the limit"
    );
}

#[tokio::test]
async fn timeout_is_mapped_to_error_timeout_and_retried() {
    let slow = || {
        delayed(
            Duration::from_secs(5),
            reply("200 OK", &[], &ok_payment("late")),
        )
    };
    let server = Server::start(vec![slow(), slow()]).await;
    let client = server.client();
    let started = Instant::now();
    let err = PaymentCall::new(&client, Method::GET, &["payments", "pay_1"])
        .timeout(Duration::from_millis(150))
        .max_retries(1)
        .send()
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Timeout(_)), "{err:?}");
    assert!(err.is_retryable());
    assert!(
        err.to_string().starts_with("request timed out after 150ms"),
        "{err}"
    );
    assert!(started.elapsed() < Duration::from_secs(2));
    assert_eq!(server.seen().len(), 2, "the timeout was retried once");
}

#[tokio::test]
async fn connection_refused_is_a_transport_error() {
    // Bind then drop, so the port is (almost certainly) closed.
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let client = Client::builder(DEFAULTS)
        .api_key(KEY)
        .base_url(format!("http://127.0.0.1:{port}/v1"))
        .retry_policy(fast_policy())
        .build()
        .unwrap();
    let err = PaymentCall::new(&client, Method::GET, &["payments"])
        .send()
        .await
        .unwrap_err();
    match &err {
        Error::Transport(t) => assert!(t.is_connect(), "{t:?}"),
        other => panic!("{other:?}"),
    }
    assert!(std::error::Error::source(&err).is_some());
    assert!(!err.to_string().contains("topsecret"));
}

#[tokio::test]
async fn decode_error_keeps_path_status_and_request_id() {
    let body = json!({"success": true, "data": {"id": 42}}).to_string();
    let server = Server::start(vec![
        reply("200 OK", &[("x-request-id", "req_c")], &body),
        reply("200 OK", &[("x-request-id", "req_d")], &body),
    ])
    .await;
    let client = server.client();

    // Generated code derives through the re-export, exactly like this.
    #[derive(Debug, commet_runtime::serde::Deserialize)]
    #[serde(crate = "::commet_runtime::serde")]
    #[allow(dead_code)]
    struct Payment {
        id: String,
    }
    let err = Call::<Payment, Value>::new(&client, Method::GET, &["payments", "x"])
        .envelope(Envelope::Data)
        .max_retries(1)
        .send()
        .await
        .unwrap_err();
    match &err {
        Error::Decode(d) => {
            assert_eq!(d.path, "data.id");
            assert_eq!(d.status, StatusCode::OK);
            assert_eq!(d.request_id.as_deref(), Some("req_d"));
            assert_eq!(d.body, body);
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(server.seen().len(), 2, "an unreadable success is retried");
    let report = err.report().expect("a report");
    assert_eq!(err.attempts(), 2);
    assert_eq!(report.attempts()[0].request_id(), Some("req_c"));
    assert_eq!(err.outcome(), commet_runtime::Outcome::Applied);
}

fn page(ids: &[&str], has_more: bool, cursor: Option<&str>) -> Reply {
    let data: Vec<Value> = ids.iter().map(|id| json!({"id": id})).collect();
    let mut body = json!({"success": true, "data": data, "hasMore": has_more});
    if let Some(c) = cursor {
        body["nextCursor"] = json!(c);
    }
    reply("200 OK", &[], &body.to_string())
}

fn list(client: &Client) -> PageStream<Value, Value> {
    let first = Call::<Page<Value>, Value>::new(client, Method::GET, &["payments"])
        .query("limit", "2")
        .envelope(Envelope::List)
        .error_envelope(ErrorEnvelope::Field("error"));
    PageStream::new(first, "cursor")
}

async fn drain(mut stream: PageStream<Value, Value>) -> (Vec<String>, Option<Error<Value>>) {
    let mut ids = Vec::new();
    while let Some(item) = stream.next().await {
        match item {
            Ok(v) => ids.push(v["id"].as_str().unwrap().to_owned()),
            Err(e) => {
                assert!(stream.next().await.is_none(), "an error ends the stream");
                return (ids, Some(e));
            }
        }
    }
    (ids, None)
}

#[tokio::test]
async fn page_stream_of_a_keyed_post_gives_each_page_its_own_key() {
    let server = Server::start(vec![
        page(&["a"], true, Some("c1")),
        page(&["b"], true, Some("c2")),
        page(&[], false, None),
    ])
    .await;
    let client = server.client();
    let first = Call::<Page<Value>, Value>::new(&client, Method::POST, &["payments", "search"])
        .json(&json!({"status": "succeeded"}))
        .idempotent()
        .envelope(Envelope::List);
    let first_key = first.get_idempotency_key().expect("a key").to_owned();
    let (ids, error) = drain(PageStream::new(first, "cursor")).await;
    assert!(error.is_none(), "{error:?}");
    assert_eq!(ids, ["a", "b"]);
    let keys: Vec<Option<String>> = server
        .seen()
        .iter()
        .map(|s| s.header("idempotency-key").map(str::to_owned))
        .collect();
    assert_eq!(keys.len(), 3);
    assert_eq!(
        keys[0].as_deref(),
        Some(first_key.as_str()),
        "the key read first"
    );
    assert!(keys.iter().all(Option::is_some));
    assert!(
        keys[0] != keys[1] && keys[1] != keys[2] && keys[0] != keys[2],
        "{keys:?}"
    );
}

#[tokio::test]
async fn page_stream_follows_cursors_lazily() {
    let server = Server::start(vec![
        page(&["a", "b"], true, Some("c1")),
        page(&["c"], true, Some("c2")),
        page(&[], false, None),
    ])
    .await;
    let client = server.client();
    let mut stream = list(&client);
    assert!(
        server.seen().is_empty(),
        "nothing is fetched before polling"
    );
    let first = stream.next().await.unwrap().unwrap();
    assert_eq!(first["id"], "a");
    assert_eq!(server.seen().len(), 1);
    let (rest, err) = drain(stream).await;
    assert_eq!(rest, ["b", "c"]);
    assert!(err.is_none());
    let lines: Vec<_> = server.seen().into_iter().map(|s| s.request_line).collect();
    assert_eq!(
        lines,
        [
            "GET /api/v1/payments?limit=2 HTTP/1.1",
            "GET /api/v1/payments?limit=2&cursor=c1 HTTP/1.1",
            "GET /api/v1/payments?limit=2&cursor=c2 HTTP/1.1",
        ]
    );
}

#[tokio::test]
async fn page_stream_detects_repeated_and_missing_cursors() {
    let server = Server::start(vec![
        page(&["a"], true, Some("c1")),
        page(&["b"], true, Some("c1")),
        page(&["x"], true, None),
    ])
    .await;
    let client = server.client();
    let (ids, err) = drain(list(&client)).await;
    assert_eq!(ids, ["a", "b"]);
    assert!(
        matches!(err, Some(Error::Pagination(ref m)) if m.contains("c1")),
        "{err:?}"
    );

    let (ids, err) = drain(list(&client)).await;
    assert_eq!(ids, ["x"]);
    assert!(
        matches!(err, Some(Error::Pagination(ref m)) if m.contains("nextCursor")),
        "{err:?}"
    );
    assert_eq!(server.seen().len(), 3);
}
