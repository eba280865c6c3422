//! A small second fake: the stand-in for another payments API, for clients generated from its
//! own document (PayPal's orders, say), under the same faults as [`FakeCommet`](crate::FakeCommet).
//!
//! It knows no routes. Every `POST` creates one record (the ledger) and is answered `201` with
//! the answer set by [`StandIn::answer`], its `id` replaced by the record's; a request that
//! carries an idempotency key (where its [`KeyStyle`] says) and was processed before is answered
//! with the stored reply instead, and creates nothing. Any other method is answered `200` with
//! the answer, and creates nothing. Faults are queued and consumed one per request, as on the
//! Commet fake, and applied by the same code as there.

use std::collections::{HashMap, VecDeque};
use std::io;
use std::sync::{Arc, Mutex};

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Request, State};
use axum::response::Response;
use serde_json::Value;
use tokio::net::TcpListener;
use tokio::sync::oneshot;

use crate::fault::{self, Fault};
use crate::idempotency::KeyStyle;
use crate::recorded::RecordedRequest;
use crate::reply::Reply;
use crate::state::lock;

/// One record the stand-in created: the key and body of the request that created it.
#[derive(Debug, Clone, PartialEq)]
pub struct Created {
    /// The record's id, as answered.
    pub id: String,
    /// The idempotency key of the request, if it carried one.
    pub key: Option<String>,
    /// The request's body as JSON, a form's fields as an object (see
    /// [`RecordedRequest::body_fields`]), `null` for anything else.
    pub body: Value,
}

#[derive(Default)]
struct Shared {
    answer: Mutex<Value>,
    faults: Mutex<VecDeque<Fault>>,
    requests: Mutex<Vec<RecordedRequest>>,
    ledger: Mutex<Vec<Created>>,
    replies: Mutex<HashMap<String, Reply>>,
    key_style: Mutex<Option<KeyStyle>>,
}

/// A running stand-in. Clones share it; it stops when the last clone is dropped.
#[derive(Clone)]
pub struct StandIn {
    shared: Arc<Shared>,
    url: String,
    _shutdown: Arc<oneshot::Sender<()>>,
}

impl StandIn {
    /// Starts a stand-in on `127.0.0.1` that reads idempotency keys where `key_style` says.
    pub async fn start(key_style: KeyStyle) -> io::Result<StandIn> {
        let listener = TcpListener::bind("127.0.0.1:0").await?;
        let url = format!("http://{}", listener.local_addr()?);
        let shared = Arc::new(Shared::default());
        *lock(&shared.key_style) = Some(key_style);
        *lock(&shared.answer) = Value::Object(Default::default());
        let (tx, rx) = oneshot::channel::<()>();
        let app = Router::new()
            .fallback(handle)
            .with_state(Arc::clone(&shared));
        let server = axum::serve(listener, app).with_graceful_shutdown(async move {
            let _ = rx.await;
        });
        tokio::spawn(async move {
            let _ = server.await;
        });
        Ok(StandIn {
            shared,
            url,
            _shutdown: Arc::new(tx),
        })
    }

    /// `http://127.0.0.1:PORT`, the base URL to give the client.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The JSON object every answer is made from (its `id` is the record's).
    pub fn answer(&self, answer: Value) {
        *lock(&self.shared.answer) = answer;
    }

    /// Queues a fault for the next request.
    pub fn push_fault(&self, fault: Fault) {
        lock(&self.shared.faults).push_back(fault);
    }

    /// Drops every queued fault.
    pub fn clear_faults(&self) {
        lock(&self.shared.faults).clear();
    }

    /// Every request received, in arrival order.
    pub fn requests(&self) -> Vec<RecordedRequest> {
        lock(&self.shared.requests).clone()
    }

    /// Every record created, in order.
    pub fn ledger(&self) -> Vec<Created> {
        lock(&self.shared.ledger).clone()
    }
}

async fn handle(State(shared): State<Arc<Shared>>, request: Request) -> Response {
    let (parts, body) = request.into_parts();
    let body: Bytes = axum::body::to_bytes(body, 1 << 20)
        .await
        .unwrap_or_default();
    let fault = lock(&shared.faults).pop_front();
    let recorded = RecordedRequest {
        request_id: String::new(),
        method: parts.method.as_str().to_owned(),
        path: parts.uri.path().to_owned(),
        query: parts.uri.query().map(str::to_owned),
        headers: parts
            .headers
            .iter()
            .map(|(n, v)| {
                let value = String::from_utf8_lossy(v.as_bytes()).into_owned();
                (n.as_str().to_owned(), value)
            })
            .collect(),
        body: body.to_vec(),
        fault: fault.clone(),
    };
    lock(&shared.requests).push(recorded.clone());
    let run = {
        let shared = Arc::clone(&shared);
        move || process(&shared, &recorded)
    };
    fault::apply(fault, run, Reply::new(500, Value::Null)).await
}

/// Creates a record (or replays the reply stored for the request's key), atomically.
fn process(shared: &Shared, request: &RecordedRequest) -> Reply {
    let answer = lock(&shared.answer).clone();
    if request.method != "POST" {
        return Reply::new(200, answer);
    }
    let key = lock(&shared.key_style)
        .as_ref()
        .and_then(|style| style.key_of(request));
    let mut replies = lock(&shared.replies);
    if let Some(stored) = key.as_ref().and_then(|k| replies.get(k)) {
        return stored.clone();
    }
    let mut ledger = lock(&shared.ledger);
    let id = format!("rec_{:06}", ledger.len() + 1);
    let mut body = answer;
    if let Value::Object(map) = &mut body {
        map.insert("id".to_owned(), Value::String(id.clone()));
    }
    ledger.push(Created {
        id,
        key: key.clone(),
        body: request.body_fields().unwrap_or(Value::Null),
    });
    let reply = Reply::new(201, body);
    if let Some(key) = key {
        replies.insert(key, reply.clone());
    }
    reply
}
