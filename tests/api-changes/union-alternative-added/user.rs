// Written against the old client, the way a user would.
use api::{Client, PaymentMethod};

fn describe(method: &PaymentMethod) -> String {
    match method {
        PaymentMethod::Card(card) => format!("card ending {}", card.last4),
        PaymentMethod::BankTransfer(transfer) => format!("transfer from {}", transfer.iban),
        // Required: new alternatives may appear. One this client doesn't know keeps its tag.
        other => match other.unknown() {
            Some(unknown) => format!("paid by {}", unknown.tag().unwrap_or("something new")),
            None => "paid".to_owned(),
        },
    }
}

async fn run(client: &Client) -> Result<(), api::Error> {
    let payment = client.get_payment("pay_1").await?;
    println!("{}", describe(&payment.method));
    Ok(())
}

fn main() {
    let _ = run;
}
