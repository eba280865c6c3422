//! The five operations over real HTTP: auth, validation, not-found, fields, cancel rules, list
//! pagination, request ids and the request log.

mod common;

use std::collections::HashSet;

use commet_fake::{FakeCommet, tax_for};
use common::{Api, Resp, charge_body, parse_utc_ms, send};
use reqwest::Method;
use serde_json::{Value, json};

#[tokio::test]
async fn missing_or_wrong_api_key_is_401() {
    let api = Api::new().await;
    api.fake.add_customer("cus_1", None, true);
    let missing = send(api.http.get(api.url("/payments"))).await;
    assert_eq!(missing.status, 401);
    assert_eq!(
        missing.error_code(),
        ("authentication_error", "unauthorized")
    );
    assert_eq!(missing.body["success"], false);
    assert!(missing.header("x-request-id").is_some());

    let wrong = send(
        api.http
            .post(api.url("/payments/charge"))
            .header("x-api-key", "ck_sandbox_wrong")
            .json(&charge_body("cus_1", 100)),
    )
    .await;
    assert_eq!(wrong.status, 401);
    assert_eq!(wrong.error_code(), ("authentication_error", "unauthorized"));
    assert!(
        api.fake.charges().is_empty(),
        "no charge without a valid key"
    );

    // The key is checked before anything else, even routing.
    let unknown_route = send(api.http.get(api.url("/nope"))).await;
    assert_eq!(unknown_route.status, 401);
}

#[tokio::test]
async fn custom_api_key() {
    let fake = FakeCommet::start_with_api_key("ck_sandbox_other")
        .await
        .expect("starts");
    assert_eq!(fake.api_key(), "ck_sandbox_other");
    let http = reqwest::Client::new();
    let url = format!("{}/payments", fake.base_url());
    let ok = send(http.get(&url).header("x-api-key", "ck_sandbox_other")).await;
    assert_eq!(ok.status, 200);
    let default = send(
        http.get(&url)
            .header("x-api-key", commet_fake::DEFAULT_API_KEY),
    )
    .await;
    assert_eq!(default.status, 401);
}

#[tokio::test]
async fn validation_errors_name_the_first_bad_field_and_list_all() {
    let api = Api::new().await;
    let resp = api
        .post(
            "/payments/charge",
            &json!({"amount": 0, "currency": "USD", "description": 5, "metadata": {"a": "x", "b": 2}}),
        )
        .await;
    assert_eq!(resp.status, 400);
    assert_eq!(resp.error_code(), ("validation_error", "validation_error"));
    assert_eq!(resp.body["error"]["param"], "customerId");
    let fields: Vec<&str> = resp.body["error"]["details"]
        .as_array()
        .expect("details is an array")
        .iter()
        .map(|d| {
            assert!(d["message"].is_string());
            d["field"].as_str().expect("field")
        })
        .collect();
    assert_eq!(
        fields,
        [
            "customerId",
            "amount",
            "currency",
            "description",
            "metadata.b"
        ]
    );
    assert!(resp.body["error"]["doc_url"].is_string());

    let link = api
        .post(
            "/payments",
            &json!({"amount": "10", "currency": "usd", "description": "d"}),
        )
        .await;
    assert_eq!(link.status, 400);
    assert_eq!(link.body["error"]["param"], "amount");

    let metadata_not_object = api
        .post(
            "/payments",
            &json!({"amount": 10, "currency": "usd", "description": "d", "metadata": ["x"]}),
        )
        .await;
    assert_eq!(metadata_not_object.body["error"]["param"], "metadata");
    assert!(api.fake.payments().is_empty());
}

#[tokio::test]
async fn invalid_json_is_400_invalid_json() {
    let api = Api::new().await;
    for body in ["{\"amount\": ", "", "not json", "\u{0}\u{1}"] {
        let resp = send(
            api.request(Method::POST, "/payments/charge")
                .header("content-type", "application/json")
                .body(body.to_string()),
        )
        .await;
        assert_eq!(resp.status, 400, "{body:?}");
        assert_eq!(resp.error_code(), ("validation_error", "invalid_json"));
    }
    let array = api.post("/payments", &json!([1, 2])).await;
    assert_eq!(array.status, 400);
    assert_eq!(array.error_code(), ("validation_error", "validation_error"));
}

#[tokio::test]
async fn unknown_customers_and_payments_are_404() {
    let api = Api::new().await;
    let charge = api
        .post("/payments/charge", &charge_body("cus_missing", 100))
        .await;
    assert_eq!(charge.status, 404);
    assert_eq!(
        charge.error_code(),
        ("not_found_error", "customer_not_found")
    );
    assert_eq!(charge.body["error"]["param"], "customerId");

    let link = api
        .post(
            "/payments",
            &json!({"amount": 10, "currency": "usd", "description": "d", "customerId": "cus_missing"}),
        )
        .await;
    assert_eq!(link.status, 404);
    assert_eq!(link.error_code(), ("not_found_error", "customer_not_found"));

    let get = api.get("/payments/pay_missing").await;
    assert_eq!(get.status, 404);
    assert_eq!(get.error_code(), ("not_found_error", "payment_not_found"));
    let cancel = api.post("/payments/pay_missing/cancel", &json!({})).await;
    assert_eq!(cancel.status, 404);
    assert_eq!(
        cancel.error_code(),
        ("not_found_error", "payment_not_found")
    );
    assert!(api.fake.payments().is_empty());
}

#[tokio::test]
async fn charge_without_payment_method_is_a_billing_error() {
    let api = Api::new().await;
    api.fake.add_customer("cus_nopm", None, false);
    let resp = api
        .post("/payments/charge", &charge_body("cus_nopm", 100))
        .await;
    assert_eq!(resp.status, 400);
    assert_eq!(resp.error_code(), ("billing_error", "no_payment_method"));
    assert!(api.fake.charges().is_empty());
}

fn assert_payment_shape(p: &Value) {
    let obj = p.as_object().expect("payment is an object");
    for field in [
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
    ] {
        assert!(obj.contains_key(field), "missing {field} in {p}");
    }
    assert_eq!(obj.len(), 17);
    assert_eq!(p["object"], "payment");
    assert_eq!(p["livemode"], false);
    assert!(p["id"].as_str().is_some_and(|id| id.starts_with("pay_")));
    let subtotal = p["amountSubtotal"].as_i64().expect("subtotal");
    assert_eq!(p["taxAmount"].as_i64(), Some(tax_for(subtotal)));
    assert_eq!(
        p["amountTotal"].as_i64(),
        Some(subtotal + tax_for(subtotal))
    );
    parse_utc_ms(p["createdAt"].as_str().expect("createdAt"));
    parse_utc_ms(p["updatedAt"].as_str().expect("updatedAt"));
}

#[tokio::test]
async fn charge_fields_and_arithmetic() {
    let api = Api::new().await;
    api.fake.add_customer("cus_1", Some("user-42"), true);
    let mut body = charge_body("user-42", 1999);
    body["metadata"] = json!({"order": "A-1"});
    body["unknownField"] = json!(true);
    let resp = api.post("/payments/charge", &body).await;
    assert_eq!(resp.status, 200, "{}", resp.text);
    assert_eq!(resp.body["success"], true);
    let p = resp.data();
    assert_payment_shape(p);
    assert_eq!(p["kind"], "charge");
    assert_eq!(p["status"], "succeeded");
    assert_eq!(p["provider"], "stripe");
    assert_eq!(
        p["customerId"], "cus_1",
        "external id resolves to the Commet id"
    );
    assert_eq!(p["amountSubtotal"], 1999);
    assert_eq!(p["taxAmount"], 160);
    assert_eq!(p["amountTotal"], 2159);
    assert_eq!(p["currency"], "usd");
    assert_eq!(p["description"], "Test charge");
    assert_eq!(p["metadata"], json!({"order": "A-1"}));
    assert_eq!(p["url"], Value::Null);
    assert_eq!(p["expiresAt"], Value::Null);
    assert_eq!(p["createdAt"], p["updatedAt"]);

    let id = p["id"].as_str().expect("id");
    let got = api.get(&format!("/payments/{id}")).await;
    assert_eq!(got.status, 200);
    assert_eq!(got.data(), p);
    assert_eq!(api.fake.charges(), vec![p.clone()]);

    let plain = api
        .post("/payments/charge", &charge_body("cus_1", 1000))
        .await;
    assert_eq!(plain.data()["metadata"], Value::Null);
    assert_eq!(plain.data()["taxAmount"], 80);
    assert_ne!(plain.data()["id"], p["id"]);
    assert!(
        parse_utc_ms(plain.data()["createdAt"].as_str().expect("ts"))
            > parse_utc_ms(p["createdAt"].as_str().expect("ts"))
    );
    assert_eq!(api.fake.charges().len(), 2);
}

#[tokio::test]
async fn create_link_fields() {
    let api = Api::new().await;
    let resp = api
        .post(
            "/payments",
            &json!({"amount": 2500, "currency": "eur", "description": "Pro plan",
                    "successUrl": "https://example.com/thanks"}),
        )
        .await;
    assert_eq!(resp.status, 200, "{}", resp.text);
    let p = resp.data();
    assert_payment_shape(p);
    assert_eq!(p["kind"], "link");
    assert_eq!(p["status"], "pending");
    assert_eq!(p["customerId"], Value::Null);
    assert_eq!(p["taxAmount"], 200);
    assert_eq!(p["amountTotal"], 2700);
    let id = p["id"].as_str().expect("id");
    assert_eq!(p["url"], format!("https://commet.co/pay/{id}"));
    let created = parse_utc_ms(p["createdAt"].as_str().expect("createdAt"));
    let expires = parse_utc_ms(p["expiresAt"].as_str().expect("expiresAt"));
    assert_eq!(expires - created, 24 * 3600 * 1000);
    assert!(api.fake.charges().is_empty(), "a link is not a charge");

    api.fake.add_customer("cus_7", None, false);
    let for_customer = api
        .post(
            "/payments",
            &json!({"amount": 1, "currency": "brl", "description": "d", "customerId": "cus_7"}),
        )
        .await;
    assert_eq!(for_customer.status, 200, "links need no payment method");
    assert_eq!(for_customer.data()["customerId"], "cus_7");
}

#[tokio::test]
async fn cancel_rules() {
    let api = Api::new().await;
    api.fake.add_customer("cus_1", None, true);
    let link = api
        .post(
            "/payments",
            &json!({"amount": 100, "currency": "usd", "description": "d"}),
        )
        .await;
    let link = link.data().clone();
    let id = link["id"].as_str().expect("id");

    let canceled = api
        .post(&format!("/payments/{id}/cancel"), &json!({}))
        .await;
    assert_eq!(canceled.status, 200);
    let c = canceled.data();
    assert_eq!(c["status"], "canceled");
    assert_eq!(c["createdAt"], link["createdAt"]);
    assert_ne!(c["updatedAt"], link["updatedAt"]);
    assert_eq!(
        api.get(&format!("/payments/{id}")).await.data()["status"],
        "canceled"
    );

    // Canceling again is a no-op that returns the payment unchanged; a body is optional.
    let again = send(api.request(Method::POST, &format!("/payments/{id}/cancel"))).await;
    assert_eq!(again.status, 200);
    assert_eq!(again.data(), c);

    let charge = api
        .post("/payments/charge", &charge_body("cus_1", 100))
        .await;
    let charge_id = charge.data()["id"].as_str().expect("id").to_string();
    let refused = api
        .post(&format!("/payments/{charge_id}/cancel"), &json!({}))
        .await;
    assert_eq!(refused.status, 409);
    assert_eq!(
        refused.error_code(),
        ("conflict_error", "payment_not_cancelable")
    );

    for status in ["succeeded", "processing"] {
        let ids = api.fake.seed_payments(None, 1);
        assert!(api.fake.set_payment_status(&ids[0], status));
        let resp = api
            .post(&format!("/payments/{}/cancel", ids[0]), &json!({}))
            .await;
        assert_eq!(resp.status, 409, "{status}");
        assert_eq!(
            resp.error_code(),
            ("conflict_error", "payment_not_cancelable")
        );
        assert_eq!(api.fake.payment(&ids[0]).expect("exists")["status"], status);
    }
    assert!(!api.fake.set_payment_status("pay_missing", "succeeded"));
}

async fn list_page(api: &Api, query: &str) -> Resp {
    let resp = api.get(&format!("/payments{query}")).await;
    assert_eq!(resp.status, 200, "{query}: {}", resp.text);
    assert_eq!(resp.body["success"], true);
    resp
}

fn ids(resp: &Resp) -> Vec<String> {
    resp.data()
        .as_array()
        .expect("data is a list")
        .iter()
        .map(|p| p["id"].as_str().expect("id").to_string())
        .collect()
}

#[tokio::test]
async fn list_paginates_newest_first() {
    let api = Api::new().await;
    let seeded = api.fake.seed_payments(None, 60);
    let mut newest_first = seeded.clone();
    newest_first.reverse();

    let mut collected = Vec::new();
    let mut query = "?limit=25".to_string();
    let mut sizes = Vec::new();
    loop {
        let page = list_page(&api, &query).await;
        let page_ids = ids(&page);
        sizes.push(page_ids.len());
        collected.extend(page_ids.iter().cloned());
        let has_more = page.body["hasMore"].as_bool().expect("hasMore");
        match page.body["nextCursor"].as_str() {
            Some(cursor) => {
                assert!(has_more);
                assert_eq!(Some(cursor), page_ids.last().map(String::as_str));
                query = format!("?limit=25&cursor={cursor}");
            }
            None => {
                assert!(!has_more);
                assert_eq!(page.body["nextCursor"], Value::Null);
                break;
            }
        }
        assert!(sizes.len() < 10, "pagination does not end");
    }
    assert_eq!(sizes, [25, 25, 10]);
    assert_eq!(collected, newest_first);
    assert_eq!(collected.iter().collect::<HashSet<_>>().len(), 60);

    // createdAt strictly decreases down the list.
    let all = list_page(&api, "?limit=100").await;
    let times: Vec<i64> = all
        .data()
        .as_array()
        .expect("list")
        .iter()
        .map(|p| parse_utc_ms(p["createdAt"].as_str().expect("createdAt")))
        .collect();
    assert!(times.windows(2).all(|w| w[0] > w[1]));

    let default = list_page(&api, "").await;
    assert_eq!(ids(&default).len(), 25, "default limit");
    assert_eq!(default.body["hasMore"], true);
}

#[tokio::test]
async fn list_limit_is_clamped_and_validated() {
    let api = Api::new().await;
    api.fake.seed_payments(None, 130);
    for (query, expected) in [
        ("?limit=0", 1),
        ("?limit=-3", 1),
        ("?limit=1", 1),
        ("?limit=100", 100),
        ("?limit=101", 100),
        ("?limit=99999999999999999999999999999", 100),
    ] {
        let page = list_page(&api, query).await;
        assert_eq!(ids(&page).len(), expected, "{query}");
        assert_eq!(page.body["hasMore"], true);
    }
    for bad in ["?limit=abc", "?limit=", "?limit=2.5"] {
        let resp = api.get(&format!("/payments{bad}")).await;
        assert_eq!(resp.status, 400, "{bad}");
        assert_eq!(resp.error_code(), ("validation_error", "validation_error"));
        assert_eq!(resp.body["error"]["param"], "limit");
    }
    let cursor = api.get("/payments?cursor=pay_doesnotexist").await;
    assert_eq!(cursor.status, 400);
    assert_eq!(cursor.body["error"]["param"], "cursor");
}

#[tokio::test]
async fn list_filters_by_customer() {
    let api = Api::new().await;
    api.fake.add_customer("cus_a", Some("ext a"), true);
    api.fake.add_customer("cus_b", None, true);
    let a = api.fake.seed_payments(Some("cus_a"), 3);
    api.fake.seed_payments(Some("cus_b"), 4);
    let charge = api
        .post("/payments/charge", &charge_body("cus_a", 50))
        .await;
    let charge_id = charge.data()["id"].as_str().expect("id").to_string();

    let page = list_page(&api, "?customerId=cus_a").await;
    let expected = vec![charge_id.clone(), a[2].clone(), a[1].clone(), a[0].clone()];
    assert_eq!(ids(&page), expected);
    assert_eq!(page.body["hasMore"], false);
    // By external id, percent-encoded.
    let by_external = list_page(&api, "?customerId=ext%20a").await;
    assert_eq!(ids(&by_external), expected);
    // Paginating a filtered list.
    let first = list_page(&api, "?customerId=cus_a&limit=3").await;
    assert_eq!(ids(&first), expected[..3]);
    let cursor = first.body["nextCursor"].as_str().expect("cursor");
    let second = list_page(&api, &format!("?customerId=cus_a&limit=3&cursor={cursor}")).await;
    assert_eq!(ids(&second), expected[3..]);
    assert_eq!(second.body["hasMore"], false);

    let nobody = list_page(&api, "?customerId=cus_nobody").await;
    assert!(ids(&nobody).is_empty());
    assert_eq!(nobody.body["hasMore"], false);
    assert_eq!(list_page(&api, "").await.body["hasMore"], false);
    assert_eq!(ids(&list_page(&api, "").await).len(), 8);
}

#[tokio::test]
async fn every_response_has_a_distinct_request_id() {
    let api = Api::new().await;
    let responses = [
        api.get("/payments").await,
        api.get("/payments/pay_x").await,
        api.post("/payments/charge", &json!({})).await,
        api.get("/elsewhere").await,
        send(api.request(Method::DELETE, "/payments/pay_x")).await,
        send(api.http.get(api.url("/payments"))).await,
    ];
    let statuses: Vec<u16> = responses.iter().map(|r| r.status).collect();
    assert_eq!(statuses, [200, 404, 400, 404, 405, 401]);
    let ids: HashSet<String> = responses
        .iter()
        .map(|r| {
            let id = r.header("x-request-id").expect("x-request-id");
            assert!(id.starts_with("req_"));
            id.to_string()
        })
        .collect();
    assert_eq!(ids.len(), responses.len());
    assert_eq!(responses[3].error_code(), ("not_found_error", "not_found"));
    assert_eq!(responses[4].error_code().1, "method_not_allowed");
    // The log knows the ids it sent.
    let recorded: HashSet<String> = api
        .fake
        .requests()
        .into_iter()
        .map(|r| r.request_id)
        .collect();
    assert_eq!(recorded, ids);
}

#[tokio::test]
async fn requests_are_recorded() {
    let api = Api::new().await;
    api.fake.add_customer("cus_1", None, true);
    let body = charge_body("cus_1", 100);
    let resp = send(
        api.request(Method::POST, "/payments/charge")
            .header("Commet-Version", "2026-06-10")
            .header("Idempotency-Key", "key-1")
            .header("X-Custom", "Value")
            .json(&body),
    )
    .await;
    assert_eq!(resp.status, 200);
    api.get("/payments?limit=5&customerId=cus_1").await;

    let log = api.fake.requests();
    assert_eq!(log.len(), 2);
    let charge = &log[0];
    assert_eq!(charge.method, "POST");
    assert_eq!(charge.path, "/api/v1/payments/charge");
    assert_eq!(charge.query, None);
    assert_eq!(charge.commet_version(), Some("2026-06-10"));
    assert_eq!(charge.idempotency_key(), Some("key-1"));
    assert_eq!(charge.header("x-api-key"), Some(api.fake.api_key()));
    assert!(
        charge
            .headers
            .iter()
            .any(|(n, v)| n == "x-custom" && v == "Value")
    );
    assert!(
        charge
            .headers
            .iter()
            .all(|(n, _)| *n == n.to_ascii_lowercase())
    );
    assert_eq!(charge.body_json(), Some(body.clone()));
    assert_eq!(
        charge.body_str(),
        serde_json::to_string(&body).expect("json")
    );
    assert_eq!(charge.fault, None);
    assert_eq!(
        Some(charge.request_id.as_str()),
        resp.header("x-request-id")
    );

    let list = &log[1];
    assert_eq!(list.method, "GET");
    assert_eq!(list.path, "/api/v1/payments");
    assert_eq!(list.query.as_deref(), Some("limit=5&customerId=cus_1"));
    assert_eq!(list.commet_version(), None);
    assert!(list.body.is_empty());

    api.fake.clear_requests();
    assert!(api.fake.requests().is_empty());
}

#[tokio::test]
async fn odd_input_never_breaks_the_server() {
    let api = Api::new().await;
    let odd_paths = [
        "/payments//",
        "/payments/%00/cancel",
        "/payments/%F0%9F%92%B3",
        "/payments/a/b/c/d",
        "/payments?limit=%FF%FE",
        "/payments?cursor=&customerId=",
        "/payments?limit=1&limit=5000",
    ];
    for path in odd_paths {
        let resp = api.get(path).await;
        assert!(resp.status < 500, "{path}: {}", resp.status);
        assert!(resp.body.is_object(), "{path}: {}", resp.text);
    }
    let binary = send(
        api.request(Method::POST, "/payments")
            .body(vec![0xff, 0xfe, 0x00, 0x7b]),
    )
    .await;
    assert_eq!(binary.error_code().1, "invalid_json");
    let big = send(
        api.request(Method::POST, "/payments")
            .body(vec![b' '; 2 << 20]),
    )
    .await;
    assert_eq!(big.status, 413);
    let deep = "[".repeat(100_000);
    let nested = send(api.request(Method::POST, "/payments/charge").body(deep)).await;
    assert_eq!(nested.error_code().1, "invalid_json");
    // Still serving.
    assert_eq!(api.get("/payments").await.status, 200);
}
