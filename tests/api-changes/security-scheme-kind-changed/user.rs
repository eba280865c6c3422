// Written against the old client, the way a user would.
use api::Client;

fn connect() -> Result<Client, api::BuildError> {
    Client::builder().api_key("sk_test_1").build()
}

fn main() {
    let _ = connect;
}
