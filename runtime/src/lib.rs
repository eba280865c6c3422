//! Support crate for the Rust clients that `commet-codegen` generates for Commet's payments API.
//!
//! Generated code describes each operation as a [`Call`]: the path segments, query and header
//! parameters, a JSON body, whether the operation takes an idempotency key, and how the payload
//! is wrapped ([`Envelope`], [`ErrorEnvelope`]). This crate sends it and handles what every
//! operation shares:
//!
//! - **Retries** ([`RetryPolicy`]): transport failures, timeouts, 408/429/5xx and
//!   `idempotency_in_progress`, with capped exponential backoff and jitter, honouring
//!   `Retry-After` up to a limit (a longer wait ends the call with the advice), and a success
//!   whose body could not be read. Only requests that are safe to repeat are retried after any
//!   of these: idempotent methods, or a `POST` that carries an idempotency key. A `POST`
//!   without a key is retried only after a failure that proves it was not processed (the
//!   connection was never made, 408, 429, a 503 with `Retry-After`). A call may have an
//!   overall deadline, and bodies read whole are size-limited.
//! - **Idempotency**: one UUID v4 key per logical call, made when the call is built (so it can
//!   be read and stored before sending) and reused on every retry; a key supplied by the user
//!   wins; never sent on `GET`.
//! - **Errors** ([`Error`]): typed API errors with the `x-request-id`, and decode failures with
//!   the JSON path and the start of the body. Every error of a call that was sent says whether
//!   its operation may have been applied ([`Outcome`]) over all its attempts, and carries a
//!   [`CallReport`] of every attempt and the idempotency key.
//! - **Tracing**: a `tracing` span per call and per attempt, with events for each answer and
//!   retry decision; never credentials or bodies.
//! - **Pagination** ([`PageStream`]): lazy cursor pagination that cannot loop forever.
//! - **Webhooks** ([`webhook`]): signatures checked in constant time before any decoding, a
//!   blank secret that verifies nothing, and decode errors that name the event and the field.
//!   With the `axum` feature, `axum::Verified` is an extractor for signed requests.
//! - **Safety**: path parameters can't escape their segment, CR/LF in headers is refused before
//!   anything is sent, and the API key never appears in `Debug` output or error messages.
//!
//! ```no_run
//! use commet_runtime::{
//!     Call, Client, ClientDefaults, Envelope, ErrorEnvelope, Page, PageStream, Scheme,
//! };
//! use commet_runtime::reqwest::Method;
//! # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
//! const DEFAULTS: ClientDefaults = ClientDefaults {
//!     base_url: "https://commet.co/api/v1",
//!     api_version: Some("2026-06-10"),
//!     version_header: "Commet-Version",
//!     schemes: &[Scheme::api_key_header("ApiKeyAuth", "x-api-key")],
//!     security: &[&["ApiKeyAuth"]],
//!     credentials_required: true,
//!     api_key_env: "COMMET_API_KEY",
//!     bearer_token_env: "COMMET_BEARER_TOKEN",
//!     basic_auth_env: ("COMMET_USERNAME", "COMMET_PASSWORD"),
//!     base_url_env: "COMMET_BASE_URL",
//!     idempotency_header: "Idempotency-Key",
//!     user_agent: "commet-rust/0.1.0",
//! };
//! let client = Client::builder(DEFAULTS).build()?;
//! let payment: serde_json::Value =
//!     Call::<_, serde_json::Value>::new(&client, Method::POST, &["payments", "pay_1", "cancel"])
//!         .idempotent()
//!         .envelope(Envelope::Data)
//!         .error_envelope(ErrorEnvelope::Field("error"))
//!         .await?;
//! let first = Call::<Page<serde_json::Value>, serde_json::Value>::new(&client, Method::GET, &["payments"])
//!     .query("limit", "100")
//!     .envelope(Envelope::List)
//!     .error_envelope(ErrorEnvelope::Field("error"));
//! let all = PageStream::new(first, "cursor");
//! # let _ = (payment, all);
//! # Ok(())
//! # }
//! ```
#![deny(missing_docs)]

pub use chrono;
pub use futures_core;
pub use futures_util;
pub use reqwest;
pub use serde;
pub use serde_json;
pub use uuid;

mod auth;
#[cfg(feature = "axum")]
pub mod axum;
mod body;
mod call;
mod config;
mod download;
mod envelope;
mod environment;
mod error;
mod idempotency;
mod media;
mod non_exhaustive;
pub mod nullable;
mod open_enum;
mod outcome;
mod page;
mod param;
mod path;
mod read;
mod retry;
mod send;
mod tagged;
mod unknown_alternative;
mod unprocessed;
pub mod webhook;

pub use auth::{
    ApiKeyLocation, BoxError, Credential, Requirement, Scheme, SchemeKind, Secret, TokenProvider,
};
pub use body::{FilePart, FormField, Multipart, Upload};
pub use bytes::{self, Bytes};
pub use call::{Call, REQUEST_ID_HEADER};
pub use config::{ApiClient, BuildError, Client, ClientBuilder, ClientDefaults, redact_api_key};
pub use download::Download;
pub use envelope::{Envelope, ErrorEnvelope, Response};
pub use environment::{NamedServer, server_variable};
pub use error::{
    ApiError, BODY_PREFIX_LIMIT, BodyTooLarge, DecodeError, Error, ErrorBody, TimeoutError,
    TransportError, UnexpectedStatus,
};
pub use idempotency::new_idempotency_key;
pub use non_exhaustive::NonExhaustive;
pub use outcome::{Attempt, CallReport, Outcome, StopReason};
pub use page::{Page, PageStream};
pub use param::{Style, simple_text};
pub use path::{check_segment, encode_segment};
pub use read::DEFAULT_MAX_RESPONSE_BODY;
pub use retry::{RetryPolicy, parse_retry_after, retry_after};
pub use tagged::tag_of;
pub use unknown_alternative::UnknownAlternative;
pub use webhook::{SignedEvent, WebhookError, WebhookSecret};
