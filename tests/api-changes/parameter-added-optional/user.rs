// Written against the old client, the way a user would.
use api::{Client, ListOrdersParams};

async fn run(client: &Client) -> Result<(), api::Error> {
    let page = client.list_orders(ListOrdersParams::new().limit(10)).await?;
    for order in &page.data {
        println!("{}", order.id);
    }
    Ok(())
}

fn main() {
    let _ = run;
}
