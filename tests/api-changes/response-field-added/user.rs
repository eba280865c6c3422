// Written against the old client, the way a user would.
use api::{Client, Order};

async fn run(client: &Client) -> Result<(), api::Error> {
    let order: Order = client.get_order("ord_1").await?;
    let item: &str = &order.item;
    let quantity: i64 = order.quantity;
    let note: Option<&str> = order.note.as_deref();
    let Order { id, status, .. } = &order;
    println!("{id}: {quantity} x {item} ({status}) {note:?}");
    Ok(())
}

fn main() {
    let _ = run;
}
