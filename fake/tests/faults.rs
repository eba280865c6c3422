//! Every fault variant, over real HTTP.

mod common;

use std::time::Duration;

use commet_fake::Fault;
use common::{Api, charge_body, send};
use serde_json::json;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

fn status(status: u16) -> Fault {
    Fault::Status {
        status,
        retry_after: None,
        body: None,
    }
}

#[tokio::test]
async fn status_faults_answer_without_processing() {
    let api = Api::new().await;
    api.fake.add_customer("cus_1", None, true);
    api.fake.push_fault(status(503));
    api.fake.push_fault(Fault::Status {
        status: 429,
        retry_after: Some("2".to_string()),
        body: None,
    });
    api.fake.push_fault(Fault::Status {
        status: 500,
        retry_after: None,
        body: Some("{\"oops\":true}".to_string()),
    });
    api.fake.push_fault(status(402));
    assert_eq!(api.fake.pending_faults(), 4);

    let unavailable = api
        .post("/payments/charge", &charge_body("cus_1", 10))
        .await;
    assert_eq!(unavailable.status, 503);
    assert_eq!(
        unavailable.error_code(),
        ("internal_error", "internal_error")
    );
    assert_eq!(unavailable.body["success"], false);
    assert!(unavailable.header("x-request-id").is_some());

    let limited = api.get("/payments").await;
    assert_eq!(limited.status, 429);
    assert_eq!(limited.error_code(), ("rate_limit_error", "rate_limited"));
    assert_eq!(limited.header("retry-after"), Some("2"));
    assert_eq!(limited.header("ratelimit-remaining"), Some("0"));
    assert!(limited.header("x-request-id").is_some());

    let custom = api.get("/payments").await;
    assert_eq!(
        (custom.status, custom.text.as_str()),
        (500, "{\"oops\":true}")
    );

    let declined = api
        .post("/payments/charge", &charge_body("cus_1", 10))
        .await;
    assert_eq!(declined.error_code(), ("billing_error", "payment_failed"));

    assert_eq!(api.fake.pending_faults(), 0);
    assert!(
        api.fake.charges().is_empty(),
        "faulted requests were not processed"
    );
    let ok = api
        .post("/payments/charge", &charge_body("cus_1", 10))
        .await;
    assert_eq!(ok.status, 200, "the queue is empty again");

    // Faults apply before authentication, and are recorded.
    api.fake.push_fault(status(502));
    let unauthenticated = send(api.http.get(api.url("/payments"))).await;
    assert_eq!(unauthenticated.status, 502);
    let log = api.fake.requests();
    assert_eq!(log[0].fault, Some(status(503)));
    assert_eq!(log[4].fault, None);
    assert_eq!(log[5].fault, Some(status(502)));
}

#[tokio::test]
async fn filtered_faults_wait_for_their_route() {
    let api = Api::new().await;
    api.fake.add_customer("cus_1", None, true);
    api.fake
        .push_fault_for("POST", "/payments/charge", status(503));
    api.fake
        .push_fault_for("post", "/payments/*/cancel", status(429));
    api.fake.push_fault(status(500));

    // The GET skips the charge and cancel faults and takes the unfiltered one.
    assert_eq!(api.get("/payments").await.status, 500);
    assert_eq!(api.get("/payments").await.status, 200);
    assert_eq!(api.fake.pending_faults(), 2);
    let link = api
        .post(
            "/payments",
            &json!({"amount": 5, "currency": "usd", "description": "d"}),
        )
        .await;
    assert_eq!(link.status, 200);
    let id = link.data()["id"].as_str().expect("id").to_string();
    assert_eq!(
        api.post(&format!("/payments/{id}/cancel"), &json!({}))
            .await
            .status,
        429
    );
    assert_eq!(
        api.post("/payments/charge", &charge_body("cus_1", 1))
            .await
            .status,
        503
    );
    assert_eq!(
        api.post("/payments/charge", &charge_body("cus_1", 1))
            .await
            .status,
        200
    );
    api.fake.push_fault(status(503));
    api.fake.clear_faults();
    assert_eq!(api.fake.pending_faults(), 0);
}

#[tokio::test]
async fn delay_trips_client_timeouts_and_still_processes() {
    let api = Api::new().await;
    api.fake.add_customer("cus_1", None, true);
    api.fake
        .push_fault(Fault::Delay(Duration::from_millis(400)));
    let err = api
        .request(reqwest::Method::POST, "/payments/charge")
        .timeout(Duration::from_millis(100))
        .header("Idempotency-Key", "slow")
        .json(&charge_body("cus_1", 700))
        .send()
        .await
        .expect_err("times out");
    assert!(err.is_timeout(), "{err:?}");
    // The retry with the same key is processed at once...
    let retry = api
        .post_keyed("/payments/charge", "slow", &charge_body("cus_1", 700))
        .await;
    assert_eq!(retry.status, 200);
    assert_eq!(api.fake.charges().len(), 1);
    // ...and the delayed first attempt, processed later, replays instead of charging again.
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(api.fake.charges().len(), 1);

    // A delay shorter than the timeout just slows the answer.
    api.fake.push_fault(Fault::Delay(Duration::from_millis(50)));
    let started = std::time::Instant::now();
    assert_eq!(api.get("/payments").await.status, 200);
    assert!(started.elapsed() >= Duration::from_millis(50));

    // Without a key, the abandoned request still charges once its delay is over.
    api.fake
        .push_fault(Fault::Delay(Duration::from_millis(300)));
    let abandoned = api
        .request(reqwest::Method::POST, "/payments/charge")
        .timeout(Duration::from_millis(50))
        .json(&charge_body("cus_1", 800))
        .send()
        .await;
    assert!(abandoned.is_err());
    assert_eq!(api.fake.charges().len(), 1);
    let mut waited = Duration::ZERO;
    while api.fake.charges().len() < 2 && waited < Duration::from_secs(3) {
        tokio::time::sleep(Duration::from_millis(25)).await;
        waited += Duration::from_millis(25);
    }
    assert_eq!(api.fake.charges().len(), 2);
    assert!(waited >= Duration::from_millis(150), "not before the delay");
}

#[tokio::test]
async fn drop_before_processing_closes_the_connection_without_a_response() {
    let api = Api::new().await;
    api.fake.add_customer("cus_1", None, true);
    api.fake.push_fault(Fault::DropBeforeProcessing);
    let err = api
        .request(reqwest::Method::POST, "/payments/charge")
        .header("Idempotency-Key", "drop1")
        .json(&charge_body("cus_1", 100))
        .send()
        .await
        .expect_err("no response");
    assert!(
        !err.is_timeout() && !err.is_status() && !err.is_decode(),
        "{err:?}"
    );
    assert!(
        err.is_request() || err.is_connect(),
        "a connection-level error: {err:?}"
    );
    assert!(api.fake.charges().is_empty());
    let log = api.fake.requests();
    assert_eq!(log.len(), 1);
    assert_eq!(log[0].fault, Some(Fault::DropBeforeProcessing));

    // Not processed, so the key is still free.
    let retry = api
        .post_keyed("/payments/charge", "drop1", &charge_body("cus_1", 100))
        .await;
    assert_eq!(retry.status, 200);
    assert_eq!(retry.header("idempotent-replayed"), None);
    assert_eq!(api.fake.charges().len(), 1);
}

#[tokio::test]
async fn a_dropped_connection_sends_no_bytes_at_all() {
    let api = Api::new().await;
    api.fake.push_fault(Fault::DropBeforeProcessing);
    let mut stream = tokio::net::TcpStream::connect(api.fake.addr())
        .await
        .expect("connects");
    let request = format!(
        "GET /api/v1/payments HTTP/1.1\r\nhost: localhost\r\nx-api-key: {}\r\n\r\n",
        api.fake.api_key()
    );
    stream.write_all(request.as_bytes()).await.expect("writes");
    let mut received = Vec::new();
    let read = tokio::time::timeout(Duration::from_secs(5), stream.read_to_end(&mut received))
        .await
        .expect("the server closes the connection");
    // Either a clean EOF or a reset; never a byte of a response.
    if read.is_ok() {
        assert!(
            received.is_empty(),
            "got {:?}",
            String::from_utf8_lossy(&received)
        );
    }
}

#[tokio::test]
async fn drop_after_processing_commits_then_closes() {
    let api = Api::new().await;
    api.fake.add_customer("cus_1", None, true);
    api.fake.push_fault(Fault::DropAfterProcessing);
    let err = api
        .request(reqwest::Method::POST, "/payments/charge")
        .header("Idempotency-Key", "drop2")
        .json(&charge_body("cus_1", 100))
        .send()
        .await
        .expect_err("no response");
    assert!(err.is_request() || err.is_connect(), "{err:?}");
    let charges = api.fake.charges();
    assert_eq!(charges.len(), 1, "the charge happened");

    let retry = api
        .post_keyed("/payments/charge", "drop2", &charge_body("cus_1", 100))
        .await;
    assert_eq!(retry.status, 200);
    assert_eq!(retry.header("idempotent-replayed"), Some("true"));
    assert_eq!(retry.data()["id"], charges[0]["id"]);
    assert_eq!(api.fake.charges().len(), 1, "no double charge");
}

#[tokio::test]
async fn truncated_body_is_a_complete_message_with_cut_json() {
    let api = Api::new().await;
    api.fake.add_customer("cus_1", None, true);
    api.fake.push_fault(Fault::TruncatedBody);
    let response = api
        .request(reqwest::Method::POST, "/payments/charge")
        .json(&charge_body("cus_1", 100))
        .send()
        .await
        .expect("a response");
    assert_eq!(response.status().as_u16(), 200);
    assert!(response.headers().contains_key("x-request-id"));
    let length = response.content_length().expect("content-length");
    let bytes = response
        .bytes()
        .await
        .expect("the whole (short) body arrives");
    assert_eq!(bytes.len() as u64, length);
    assert!(!bytes.is_empty());
    assert!(serde_json::from_slice::<serde_json::Value>(&bytes).is_err());
    assert!(bytes.starts_with(b"{"));
    assert_eq!(api.fake.charges().len(), 1, "processed");
}

#[tokio::test]
async fn cut_body_announces_the_whole_length_and_closes_halfway() {
    let api = Api::new().await;
    api.fake.add_customer("cus_1", None, true);
    api.fake.push_fault(Fault::CutBody);
    let response = api
        .request(reqwest::Method::POST, "/payments/charge")
        .header("Idempotency-Key", "cut1")
        .json(&charge_body("cus_1", 100))
        .send()
        .await
        .expect("the head arrives");
    assert_eq!(response.status().as_u16(), 200);
    let length = response.content_length().expect("content-length");
    let err = response.bytes().await.expect_err("the body is cut");
    assert!(err.is_body() || err.is_decode(), "{err:?}");
    let charges = api.fake.charges();
    assert_eq!(charges.len(), 1, "processed");
    assert!(length > 100);

    // The key replays the whole answer.
    let retry = api
        .post_keyed("/payments/charge", "cut1", &charge_body("cus_1", 100))
        .await;
    assert_eq!(retry.header("idempotent-replayed"), Some("true"));
    assert_eq!(retry.data()["id"], charges[0]["id"]);
    assert_eq!(retry.text.len() as u64, length);
}

#[tokio::test]
async fn oversized_body_is_padded_with_or_without_its_length() {
    let api = Api::new().await;
    api.fake.add_customer("cus_1", None, true);
    for announce_length in [true, false] {
        api.fake.push_fault(Fault::OversizedBody {
            bytes: 100_000,
            announce_length,
        });
        let response = api
            .request(reqwest::Method::POST, "/payments/charge")
            .header("Idempotency-Key", format!("big-{announce_length}"))
            .json(&charge_body("cus_1", 100))
            .send()
            .await
            .expect("a response");
        assert_eq!(response.status().as_u16(), 200);
        let announced = response.content_length();
        let bytes = response.bytes().await.expect("the whole body");
        assert!(bytes.len() >= 100_000, "{}", bytes.len());
        assert_eq!(announced, announce_length.then_some(bytes.len() as u64));
        let body: serde_json::Value = serde_json::from_slice(&bytes).expect("JSON");
        assert!(body["data"]["id"].is_string());

        let replay = api
            .post_keyed(
                "/payments/charge",
                &format!("big-{announce_length}"),
                &charge_body("cus_1", 100),
            )
            .await;
        assert!(replay.text.len() < 10_000, "the record is unpadded");
        assert_eq!(replay.data()["id"], body["data"]["id"]);
    }
    assert_eq!(api.fake.charges().len(), 2, "each processed once");
}

#[tokio::test]
async fn malformed_body_is_not_json_and_not_processed() {
    let api = Api::new().await;
    api.fake.add_customer("cus_1", None, true);
    api.fake.push_fault(Fault::MalformedBody);
    let resp = api
        .post("/payments/charge", &charge_body("cus_1", 100))
        .await;
    assert_eq!(resp.status, 200);
    assert!(resp.header("x-request-id").is_some());
    assert!(serde_json::from_str::<serde_json::Value>(&resp.text).is_err());
    assert!(api.fake.charges().is_empty());
}

#[tokio::test]
async fn patch_response_adds_unknown_values_to_data() {
    let api = Api::new().await;
    api.fake.add_customer("cus_1", None, true);
    api.fake.push_fault(Fault::PatchResponse(
        json!({"provider": "dlocal", "newField": 1}),
    ));
    let resp = api
        .post("/payments/charge", &charge_body("cus_1", 100))
        .await;
    assert_eq!(resp.status, 200);
    assert_eq!(resp.data()["provider"], "dlocal");
    assert_eq!(resp.data()["newField"], 1);
    assert_eq!(resp.data()["amountSubtotal"], 100, "other fields untouched");
    let id = resp.data()["id"].as_str().expect("id").to_string();
    // Only the response was patched, not the payment.
    let stored = api.get(&format!("/payments/{id}")).await;
    assert_eq!(stored.data()["provider"], "stripe");
    assert!(stored.data().get("newField").is_none());

    api.fake.seed_payments(None, 2);
    api.fake
        .push_fault(Fault::PatchResponse(json!({"status": "refunded"})));
    let list = api.get("/payments").await;
    let items = list.data().as_array().expect("list");
    assert_eq!(items.len(), 3);
    assert!(items.iter().all(|p| p["status"] == "refunded"));
    assert_eq!(list.body["hasMore"], false);
}

#[tokio::test]
async fn idempotency_in_progress_fault() {
    let api = Api::new().await;
    api.fake.add_customer("cus_1", None, true);
    api.fake.push_fault(Fault::IdempotencyInProgress);
    let resp = api
        .post_keyed("/payments/charge", "busy", &charge_body("cus_1", 100))
        .await;
    assert_eq!(resp.status, 409);
    assert_eq!(
        resp.error_code(),
        ("conflict_error", "idempotency_in_progress")
    );
    assert!(resp.header("x-request-id").is_some());
    assert!(api.fake.charges().is_empty());
    let retry = api
        .post_keyed("/payments/charge", "busy", &charge_body("cus_1", 100))
        .await;
    assert_eq!(retry.status, 200);
    assert_eq!(api.fake.charges().len(), 1);
}

#[tokio::test]
async fn server_stops_when_the_last_handle_is_dropped() {
    let api = Api::new().await;
    let addr = api.fake.addr();
    let clone = api.fake.clone();
    drop(api);
    // A clone keeps it alive.
    assert!(tokio::net::TcpStream::connect(addr).await.is_ok());
    drop(clone);
    let mut refused = false;
    for _ in 0..50 {
        if tokio::net::TcpStream::connect(addr).await.is_err() {
            refused = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    assert!(refused, "the listener closed");
}
