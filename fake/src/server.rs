//! The HTTP server: binding, and the pipeline every request goes through (record, fault,
//! authenticate, idempotency, route).

use std::io;
use std::net::{Ipv4Addr, SocketAddr};
use std::pin::Pin;
use std::sync::Arc;

use axum::Router;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue};
use axum::response::Response;
use bytes::Bytes;
use http_body::Body as _;
use tokio::net::TcpListener;
use tokio::sync::oneshot;

use crate::error::ApiError;
use crate::fault::{self, Fault};
use crate::idempotency::{Lookup, fingerprint};
use crate::recorded::RecordedRequest;
use crate::reply::Reply;
use crate::routes;
use crate::state::Shared;
use crate::webhooks;

/// The largest request body the fake reads.
pub(crate) const MAX_BODY_BYTES: usize = 1 << 20;
/// How much of an oversized body the fake drains before giving up on the connection.
const DRAIN_LIMIT: usize = 64 << 20;

/// Binds 127.0.0.1 on an ephemeral port and serves in a background task until `shutdown` fires
/// or its sender is dropped.
pub(crate) async fn start(shared: Arc<Shared>) -> io::Result<(SocketAddr, oneshot::Sender<()>)> {
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).await?;
    let addr = listener.local_addr()?;
    let (shutdown_tx, shutdown_rx) = oneshot::channel::<()>();
    let app = Router::new().fallback(handle).with_state(shared);
    let server = axum::serve(listener, app).with_graceful_shutdown(async move {
        // Fires on send and when the sender is dropped with the last handle.
        let _ = shutdown_rx.await;
    });
    tokio::spawn(async move {
        let _ = server.await;
    });
    Ok((addr, shutdown_tx))
}

/// A request, read completely.
#[derive(Debug)]
struct Incoming {
    method: String,
    path: String,
    query: Option<String>,
    headers: HeaderMap,
    body: Bytes,
    /// False when the body could not be read or was larger than [`MAX_BODY_BYTES`].
    body_complete: bool,
}

/// Every request, whatever its method and path, lands here.
async fn handle(State(shared): State<Arc<Shared>>, request: Request) -> Response {
    let request_id = shared.next_request_id();
    let (parts, body) = request.into_parts();
    let (body, body_complete) = read_body(body).await;
    let incoming = Incoming {
        method: parts.method.as_str().to_string(),
        path: parts.uri.path().to_string(),
        query: parts.uri.query().map(str::to_string),
        headers: parts.headers,
        body,
        body_complete,
    };
    let fault = shared.take_fault(&incoming.method, &incoming.path);
    shared.record(RecordedRequest {
        request_id: request_id.clone(),
        method: incoming.method.clone(),
        path: incoming.path.clone(),
        query: incoming.query.clone(),
        headers: incoming
            .headers
            .iter()
            .map(|(name, value)| {
                let value = String::from_utf8_lossy(value.as_bytes()).into_owned();
                (name.as_str().to_ascii_lowercase(), value)
            })
            .collect(),
        body: incoming.body.to_vec(),
        fault: fault.clone(),
    });
    let mut response = respond(Arc::clone(&shared), incoming, fault).await;
    // Events the request caused reach their endpoints before its answer reaches the client.
    webhooks::deliver(&shared).await;
    if let Ok(value) = HeaderValue::try_from(request_id) {
        response.headers_mut().insert("x-request-id", value);
    }
    response
}

/// Reads the body, keeping at most [`MAX_BODY_BYTES`]. A larger body is still drained (up to
/// [`DRAIN_LIMIT`]) so that the client can read the 413 instead of seeing its upload cut off.
async fn read_body(mut body: Body) -> (Bytes, bool) {
    let mut kept = Vec::new();
    let mut seen = 0usize;
    loop {
        match std::future::poll_fn(|cx| Pin::new(&mut body).poll_frame(cx)).await {
            None => break,
            Some(Err(_)) => return (Bytes::new(), false),
            Some(Ok(frame)) => {
                if let Ok(data) = frame.into_data() {
                    seen = seen.saturating_add(data.len());
                    if seen > DRAIN_LIMIT {
                        return (Bytes::new(), false);
                    }
                    if seen <= MAX_BODY_BYTES {
                        kept.extend_from_slice(&data);
                    }
                }
            }
        }
    }
    if seen > MAX_BODY_BYTES {
        (Bytes::new(), false)
    } else {
        (Bytes::from(kept), true)
    }
}

/// Applies the request's fault, if any, around the normal processing.
async fn respond(shared: Arc<Shared>, incoming: Incoming, fault: Option<Fault>) -> Response {
    let run = move || process(&shared, &incoming);
    fault::apply(fault, run, Reply::from(ApiError::for_status(500))).await
}

/// Authenticates, then routes the request, honouring the idempotency key (`Idempotency-Key`,
/// or where the fake's [`KeyStyle`](crate::KeyStyle) says) on the POSTs. Runs under
/// the store lock, so each request is atomic.
fn process(shared: &Shared, request: &Incoming) -> Reply {
    let key_ok = request
        .headers
        .get("x-api-key")
        .is_some_and(|v| v.as_bytes() == shared.api_key.as_bytes());
    if !key_ok {
        return ApiError::unauthorized().into();
    }
    if !request.body_complete {
        return ApiError::body_too_large(MAX_BODY_BYTES).into();
    }
    let route = routes::route(&request.method, &request.path);
    let idempotency = route
        .is_idempotent_post()
        .then(|| shared.key_style.key_in(&request.headers, &request.body))
        .flatten()
        .map(|key| {
            let print = fingerprint(&request.method, &request.path, &request.body);
            (key, print)
        });
    let mut store = shared.store();
    if let Some((key, print)) = &idempotency {
        match store.idempotency.lookup(key, print) {
            Lookup::Fresh => {}
            Lookup::Replay(reply) | Lookup::Mismatch(reply) => return reply,
        }
    }
    let reply = routes::handle(
        &mut store,
        &route,
        &request.method,
        &request.path,
        request.query.as_deref(),
        &request.body,
    );
    if let Some((key, print)) = idempotency {
        store.idempotency.store(&key, print, &reply);
    }
    reply
}
