// Written against the old client, the way a user would.
use api::{Client, CreateOrderRequest};

async fn run(client: &Client) -> Result<(), api::Error> {
    let request = CreateOrderRequest::new("mug", 2);
    let order = client.create_order(&request).idempotency_key("order-1").await?;
    println!("{}", order.id);
    Ok(())
}

fn main() {
    let _ = run;
}
