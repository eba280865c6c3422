// Request structs are `#[non_exhaustive]`, so that adding an optional field is not a breaking
// change: they are built with `new` and setters, never with a struct literal.
use commet::ChargePaymentRequest;

fn main() {
    let _request = ChargePaymentRequest {
        customer_id: "cus_123".to_owned(),
        amount: 2500,
        currency: "usd".to_owned(),
        description: "Pro plan".to_owned(),
        metadata: None,
    };
}
