// Must not compile against any client: a match without a wildcard arm would break when the
// API adds a status.
use api::OrderStatus;

fn describe(status: &OrderStatus) -> &'static str {
    match status {
        OrderStatus::Pending => "not shipped yet",
        OrderStatus::Shipped => "on its way",
        OrderStatus::Canceled => "canceled",
        OrderStatus::Unknown(_) => "something else",
    }
}

fn main() {
    let _ = describe(&OrderStatus::Pending);
}
