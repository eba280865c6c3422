// Written against the old client, the way a user would.
use api::{Client, Color, CreateOrderRequest};

async fn run(client: &Client) -> Result<(), api::Error> {
    let request = CreateOrderRequest::new("mug", 2).note("fragile").color(Color::Red);
    let order = client.create_order(&request).await?;
    println!("{}", order.id);
    Ok(())
}

fn main() {
    let _ = run;
}
