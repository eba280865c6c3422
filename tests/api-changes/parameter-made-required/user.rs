// Written against the old client, the way a user would.
use api::{Client, ListOrdersParams, OrderStatus};

async fn run(client: &Client) -> Result<(), api::Error> {
    let params = ListOrdersParams::new().status(OrderStatus::Pending).limit(10);
    let page = client.list_orders(params).await?;
    println!("{} pending", page.data.len());
    Ok(())
}

fn main() {
    let _ = run;
}
