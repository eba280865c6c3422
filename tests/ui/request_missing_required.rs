// `new` takes every required field, so none can be forgotten.
use commet::ChargePaymentRequest;

fn main() {
    let _request = ChargePaymentRequest::new("cus_123", 2500, "usd");
}
