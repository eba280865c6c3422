//! Lists every payment, newest first, one line each, fetching pages as it goes.
//!
//! ```text
//! cargo run --example list_all -- [CUSTOMER_ID]
//! ```
//!
//! With a customer id, only that customer's payments are listed. The API key comes from
//! `COMMET_API_KEY`, and `COMMET_BASE_URL`, if set, points the client at another server, such
//! as the one `cargo run --example fake_server` starts.

use std::process::ExitCode;

use commet::{Client, ListPaymentsParams};
use futures_util::StreamExt;

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
    let client = Client::from_env()?;
    let mut params = ListPaymentsParams::new().limit(100);
    if let Some(customer) = std::env::args().nth(1) {
        params = params.customer_id(customer);
    }
    let mut payments = client.list_payments_stream(params);
    let mut count = 0usize;
    while let Some(payment) = payments.next().await {
        let payment = payment?;
        count += 1;
        println!(
            "{}  {:<6}  {:<15}  {:>10} {}  {}  {}",
            payment.created_at.format("%Y-%m-%d %H:%M:%S"),
            // `as_str` so the column widths apply.
            payment.kind.as_str(),
            payment.status.as_str(),
            payment.amount_total,
            payment.currency,
            payment.id,
            payment.description,
        );
    }
    eprintln!("{count} payment(s)");
    Ok(())
}
