//! A billing module of some application, built on a Commet client that its build script
//! generates: only `charge-payment` and `get-payment`, configured from `BILLING_API_KEY`.
#![deny(missing_docs)]

/// The generated client, trimmed to the operations this crate uses.
pub mod commet {
    include!(concat!(env!("OUT_DIR"), "/commet.rs"));
}

use commet::{ChargePaymentRequest, Client, Error, Payment};

/// Charges `customer` for one month of `plan`, then reads the payment back.
pub async fn bill_monthly(
    client: &Client,
    customer: &str,
    plan: &str,
    amount_cents: i64,
) -> Result<Payment, Error> {
    let request =
        ChargePaymentRequest::new(customer, amount_cents, "usd", format!("{plan}, monthly"));
    let charged = client.charge_payment(&request).await?;
    client.get_payment(&charged.id).await
}
