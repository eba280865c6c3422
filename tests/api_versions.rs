//! A client built from the 2026-06-10 contract keeps working when the server answers by the
//! 2026-07-11 one: the charge example of `tests/api-versions/2026-07-11.yaml`, a payment by
//! `dlocal` (a provider the old client has no variant for), served over HTTP.

use commet::{ChargePaymentRequest, Client, PaymentProvider};
use commet_fake::wire::{WireReply, WireServer};

#[tokio::test]
async fn a_2026_06_10_client_reads_a_2026_07_11_charge() {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/api-versions/2026-07-11.yaml"
    ))
    .expect("the contract reads");
    let contract = commet_codegen::load::load(&text).expect("the contract loads");
    let answer = contract
        .raw
        .pointer("/paths/~1payments~1charge/post/responses/200/content/application~1json/example")
        .expect("the charge has an example")
        .to_string();

    let server = WireServer::start().await.expect("the server starts");
    server.reply(WireReply::json(200, answer));
    let client = Client::builder()
        .api_key("ck_sandbox_1")
        .base_url(server.url("/api/v1"))
        .max_retries(0)
        .build()
        .expect("builds");
    let payment = client
        .charge_payment(&ChargePaymentRequest::new("cus_1", 2500, "brl", "June"))
        .await
        .expect("a newer answer decodes");

    // The new provider is kept, not rejected, and round-trips as sent.
    assert_eq!(
        payment.provider,
        PaymentProvider::Unknown("dlocal".to_owned())
    );
    assert_eq!(payment.provider.as_str(), "dlocal");
    assert_eq!(payment.amount_total, 2700);
    // The old client pins its own contract.
    let request = server.only_request();
    assert_eq!(request.header("commet-version"), Some("2026-06-10"));
    assert_eq!(request.path(), "/api/v1/payments/charge");
}
