//! Runs a local fake Commet server to try the other examples against, without an account.
//!
//! ```text
//! cargo run --example fake_server
//! ```
//!
//! It listens on 127.0.0.1 (a free port), knows a customer `cus_demo` (external id
//! `demo-user`) with a saved payment method and three payment links, and prints the
//! `COMMET_BASE_URL` and `COMMET_API_KEY` to export in another shell. Ctrl-C stops it; its data
//! lives in memory only.

use commet_fake::FakeCommet;

#[tokio::main]
async fn main() -> std::io::Result<()> {
    let fake = FakeCommet::start().await?;
    fake.add_customer("cus_demo", Some("demo-user"), true);
    fake.seed_payments(Some("cus_demo"), 3);

    println!("export COMMET_BASE_URL={}", fake.base_url());
    println!("export COMMET_API_KEY={}", fake.api_key());
    eprintln!("Fake Commet is running. Press Ctrl-C to stop it.");
    tokio::signal::ctrl_c().await?;
    eprintln!("{} request(s) served.", fake.requests().len());
    Ok(())
}
