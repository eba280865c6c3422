// Written against the old client, the way a user would.
use api::{Client};

async fn run(client: &Client) -> Result<(), api::Error> {
    match client.get_order("ord_1").await {
        Ok(order) => println!("{}", order.id),
        Err(api::Error::Api(e)) => println!("{} {}", e.status, e.body.code),
        Err(other) => return Err(other),
    }
    Ok(())
}

fn main() {
    let _ = run;
}
