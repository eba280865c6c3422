//! Commet's later contracts generate clients that work: each sends its own version and reads
//! the answers its contract describes, served over HTTP from the contract's own examples.

use commet_fake::wire::WireReply;
use commet_runtime::futures_util::TryStreamExt;
use commet_runtime::serde_json::{self, Value, json};

use super::{recorder, wired};

/// The example the contract at `tests/api-versions/<version>.yaml` gives at `pointer`.
fn example(version: &str, pointer: &str) -> Value {
    let path = format!(
        "{}/../api-versions/{version}.yaml",
        env!("CARGO_MANIFEST_DIR")
    );
    let text = std::fs::read_to_string(&path).expect("the contract reads");
    let loaded = commet_codegen::load::load(&text).expect("the contract loads");
    loaded
        .raw
        .pointer(pointer)
        .cloned()
        .unwrap_or_else(|| panic!("{path} has no example at {pointer}"))
}

#[tokio::test]
async fn the_2026_07_11_client_charges_and_reads_a_dlocal_payment() {
    use crate::commet_2026_07_11::{ChargePaymentRequest, Client, PaymentProvider};

    let answer = example(
        "2026-07-11",
        "/paths/~1payments~1charge/post/responses/200/content/application~1json/example",
    );
    assert_eq!(answer["data"]["provider"], "dlocal");
    let server = recorder().await;
    server.reply(WireReply::json(200, answer.to_string()));
    let client = wired(Client::builder(), &server);
    let payment = client
        .charge_payment(&ChargePaymentRequest::new("cus_1", 2500, "brl", "June"))
        .await
        .expect("the charge decodes");
    assert_eq!(payment.provider, PaymentProvider::Dlocal);
    assert_eq!(payment.currency, "brl");

    let request = server.only_request();
    assert_eq!(request.path(), "/v1/payments/charge");
    assert_eq!(request.header("commet-version"), Some("2026-07-11"));
    assert!(request.header("idempotency-key").is_some());
}

#[tokio::test]
async fn the_2026_07_24_client_reads_bare_payments_and_list_pages() {
    use crate::commet_2026_07_24::{Client, ListPaymentsParams, Payment};

    let payment = example(
        "2026-07-24",
        "/paths/~1payments~1{id}/get/responses/200/content/application~1json/example",
    );
    assert!(payment.get("success").is_none(), "a bare payment");
    let first_page = example(
        "2026-07-24",
        "/paths/~1payments/get/responses/200/content/application~1json/example",
    );
    assert_eq!(first_page["object"], "list");
    let last_page =
        json!({"object": "list", "data": [payment.clone()], "hasMore": false, "nextCursor": null});

    let server = recorder().await;
    server
        .reply(WireReply::json(200, payment.to_string()))
        .reply(WireReply::json(200, first_page.to_string()))
        .reply(WireReply::json(200, last_page.to_string()));
    let client = wired(Client::builder(), &server);
    let got = client
        .get_payment("pay_7kQ2mZ4xW9")
        .await
        .expect("a bare payment decodes");
    let expected: Payment = serde_json::from_value(payment).expect("the example is a payment");
    assert_eq!(got, expected);

    let all: Vec<Payment> = client
        .list_payments_stream(ListPaymentsParams::new().limit(2))
        .try_collect()
        .await
        .expect("every page decodes");
    let ids: Vec<&str> = all.iter().map(|p| p.id.as_str()).collect();
    assert_eq!(ids, ["pay_7kQ2mZ4xW9", "pay_3nR8tY6vB2", "pay_7kQ2mZ4xW9"]);

    let requests = server.requests();
    assert_eq!(requests.len(), 3);
    assert!(
        requests
            .iter()
            .all(|r| r.header("commet-version") == Some("2026-07-24"))
    );
    assert_eq!(
        requests[2].query(),
        Some("limit=2&cursor=eyJpZCI6InBheV8zblI4dFk2dkIyIn0%3D")
    );
}
