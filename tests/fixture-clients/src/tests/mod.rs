//! Run-time checks of each fixture's construct: what goes over the wire and back.

use std::fmt::Debug;

use commet_fake::wire::WireServer;
use commet_runtime::serde::Serialize;
use commet_runtime::serde::de::DeserializeOwned;
use commet_runtime::serde_json::{self, Value};

mod all_of;
mod api_versions;
mod auth_schemes;
mod binary_bodies;
mod bodies;
mod collisions;
mod const_tag;
mod deprecated;
mod enums;
mod environments;
mod form_bodies;
mod formats;
mod hostile_docs;
mod hostile_names;
mod idempotency_styles;
mod keywords;
mod maps;
mod multipart;
mod no_auth;
mod nullable_vs_optional;
mod numbers;
mod one_of_discriminator;
mod one_of_untagged;
mod openapi31;
mod param_styles;
mod parameters;
mod payments_apis;
mod payments_faults;
mod recursion;
mod responses;
mod schema_shapes;
mod unknown_alternatives;
mod unusual_answers;
mod webhooks;

/// Decodes `json` as `T`, and checks that encoding it again gives the same JSON (as a value, so
/// key order does not matter).
#[track_caller]
fn round_trip<T: Serialize + DeserializeOwned + Debug>(json: &str) -> T {
    let value: T = serde_json::from_str(json)
        .unwrap_or_else(|e| panic!("{json} must decode as {}: {e}", std::any::type_name::<T>()));
    let again = serde_json::to_value(&value).expect("encodes");
    let original: Value = serde_json::from_str(json).expect("valid JSON");
    assert_eq!(again, original, "{value:?} must encode back to {json}");
    value
}

/// The decoding error for `json` as `T`, as text.
#[track_caller]
fn decode_error<T: DeserializeOwned + Debug>(json: &str) -> String {
    match serde_json::from_str::<T>(json) {
        Ok(v) => panic!("{json} must not decode, but gave {v:?}"),
        Err(e) => e.to_string(),
    }
}

/// The JSON a value encodes to.
#[track_caller]
fn encode<T: Serialize>(value: &T) -> String {
    serde_json::to_string(value).expect("encodes")
}

/// A local address nothing listens on: these tests build requests but never send them.
const BASE_URL: &str = "http://127.0.0.1:9/v1";

/// A fixture's client, built with a key and [`BASE_URL`].
fn built<C: commet_runtime::ApiClient>(builder: commet_runtime::ClientBuilder<C>) -> C {
    builder
        .api_key("k")
        .base_url(BASE_URL)
        .build()
        .expect("builds")
}

/// A recording HTTP server on 127.0.0.1, for the tests that check the bytes on the wire.
async fn recorder() -> WireServer {
    WireServer::start()
        .await
        .expect("the recording server starts")
}

/// A fixture's client pointed at `server` (under `/v1`), with a key and without retries, so
/// each call is one request.
fn wired<C: commet_runtime::ApiClient>(
    builder: commet_runtime::ClientBuilder<C>,
    server: &WireServer,
) -> C {
    builder
        .api_key("k")
        .base_url(server.url("/v1"))
        .max_retries(0)
        .build()
        .expect("builds")
}

/// Like [`wired`], for a fixture whose API takes a bearer token: the token is `k`.
fn wired_bearer<C: commet_runtime::ApiClient>(
    builder: commet_runtime::ClientBuilder<C>,
    server: &WireServer,
) -> C {
    builder
        .bearer_token("k")
        .base_url(server.url("/v1"))
        .max_retries(0)
        .build()
        .expect("builds")
}
