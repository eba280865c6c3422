// Written against the old client, the way a user would.
use api::{Client, OrderStatus};

fn describe(status: &OrderStatus) -> &'static str {
    match status {
        OrderStatus::Pending => "not shipped yet",
        OrderStatus::Shipped => "on its way",
        OrderStatus::Canceled => "canceled",
        // Required: new statuses may appear.
        _ => "something else",
    }
}

async fn run(client: &Client) -> Result<(), api::Error> {
    let order = client.get_order("ord_1").await?;
    println!("{}", describe(&order.status));
    Ok(())
}

fn main() {
    let _ = run;
}
