//! Charges a customer's saved payment method and prints the payment.
//!
//! ```text
//! cargo run --example charge -- [CUSTOMER_ID] [AMOUNT] [CURRENCY]
//! ```
//!
//! `AMOUNT` is in the currency's minor units (cents for `usd`); the defaults are `cus_demo`,
//! `2500` and `usd`. The API key comes from `COMMET_API_KEY`, and `COMMET_BASE_URL`, if set,
//! points the client at another server, such as the one `cargo run --example fake_server`
//! starts.

use std::process::ExitCode;

use commet::{ChargePaymentRequest, Client};

#[tokio::main]
async fn main() -> ExitCode {
    match run().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}

async fn run() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let customer = args.next().unwrap_or_else(|| "cus_demo".to_owned());
    let amount = match args.next() {
        Some(text) => text
            .parse::<i64>()
            .map_err(|e| format!("AMOUNT must be a whole number of minor units: {e}"))?,
        None => 2500,
    };
    let currency = args.next().unwrap_or_else(|| "usd".to_owned());

    let client = Client::from_env()?;
    let request = ChargePaymentRequest::new(customer, amount, currency, "Example charge");
    // `.send()` also gives the request id, worth logging with every payment. The client adds
    // an idempotency key, so its retries can never charge twice.
    let response = client.charge_payment(&request).send().await?;
    let payment = response.data();
    println!("payment  {}", payment.id);
    println!(
        "status   {} ({}, via {})",
        payment.status, payment.kind, payment.provider
    );
    println!(
        "amount   {} + {} tax = {} {}",
        payment.amount_subtotal, payment.tax_amount, payment.amount_total, payment.currency
    );
    if let Some(request_id) = response.request_id() {
        println!("request  {request_id}");
    }
    Ok(())
}
