// Must not compile against any client: a request built with a literal would break when the
// API adds an optional field. Build it with `new` and setters.
use api::CreateOrderRequest;

fn main() {
    let _request = CreateOrderRequest {
        item: "mug".to_owned(),
        quantity: 2,
        note: None,
        color: None,
    };
}
