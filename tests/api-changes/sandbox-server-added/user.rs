// Written against the old client, the way a user would.
use api::Client;

fn connect() -> Result<Client, api::BuildError> {
    Client::from_env()
}

fn main() {
    let _ = connect;
}
