// An operation takes its typed request, not loose strings.
use commet::Client;

fn main() {
    let client = Client::builder().api_key("ck_test").build().unwrap();
    let _call = client.charge_payment("cus_123");
}
