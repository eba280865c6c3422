// Must not compile against any client: a pattern naming every field would break when the API
// adds one. End it with `..`.
use api::Order;

fn show(order: &Order) {
    let Order {
        id,
        item,
        quantity,
        status,
        note,
        created_at,
    } = order;
    println!("{id} {item} {quantity} {status} {note:?} {created_at}");
}

fn main() {
    let _ = show;
}
