//! A typed client for [Commet](https://commet.co)'s payments API.
//!
//! Everything here is generated at build time by `commet-codegen` from `spec/commet.yaml` (the
//! same code is checked in as `generated/commet.rs` for review). The client retries safely,
//! sends idempotency keys on every `POST`, unwraps Commet's response envelopes and keeps
//! unknown enum values instead of failing on them.
//!
//! ```no_run
//! # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
//! use commet::{ChargePaymentRequest, Client};
//!
//! let client = Client::from_env()?; // reads COMMET_API_KEY
//! let payment = client
//!     .charge_payment(&ChargePaymentRequest::new("cus_123", 2500, "usd", "Pro plan, June"))
//!     .await?;
//! println!("{} is {}", payment.id, payment.status);
//! # Ok(())
//! # }
//! ```
#![deny(missing_docs)]

/// An axum extractor for webhook requests (feature `axum`): `Verified<WebhookEvent>` reads the
/// raw body and the `X-Commet-Signature` header, verifies them with the `WebhookSecret` of the
/// router's state, and yields the event; anything else is answered by `WebhookRejection`.
#[cfg(feature = "axum")]
pub use commet_runtime::axum;

include!(concat!(env!("OUT_DIR"), "/commet.rs"));
