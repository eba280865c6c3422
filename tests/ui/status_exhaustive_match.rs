// Enums are `#[non_exhaustive]`: new statuses may appear, so a match needs a wildcard arm.
use commet::PaymentStatus;

fn describe(status: &PaymentStatus) -> &'static str {
    match status {
        PaymentStatus::Pending => "pending",
        PaymentStatus::Processing => "processing",
        PaymentStatus::Succeeded => "succeeded",
        PaymentStatus::RequiresAction => "requires action",
        PaymentStatus::Failed => "failed",
        PaymentStatus::Canceled => "canceled",
        PaymentStatus::Unknown(_) => "unknown",
    }
}

fn main() {
    let _ = describe(&PaymentStatus::Pending);
}
