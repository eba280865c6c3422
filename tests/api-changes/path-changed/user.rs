// Written against the old client, the way a user would.
use api::{Client};

async fn run(client: &Client) -> Result<(), api::Error> {
    let order = client.cancel_order("ord_1").await?;
    println!("{} is {}", order.id, order.status);
    Ok(())
}

fn main() {
    let _ = run;
}
