// Written against the old client, the way a user would.
use api::{Client, Order};

fn show(order: &Order) {
    println!("{}", order.id);
}

async fn run(client: &Client) -> Result<(), api::Error> {
    let order = client.get_order("ord_1").await?;
    show(&order);
    Ok(())
}

fn main() {
    let _ = run;
}
