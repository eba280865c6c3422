//! The clients generated from the payments APIs' own documents, each against a stand-in keyed as
//! that API keys its writes, under the fault script: in each of the first three attempts
//! of a call, 7 chances in 12 of a reset before or after processing, a delay past the timeout,
//! 500, 503, 429 or a truncated 2xx.
//!
//! The script, the checks and the values are the same for every API; only the call differs.
//! Request bodies and the stand-in's answer are made from each document's own schemas, with the
//! values the contract tests send, so no test knows an API's required fields by heart. Each
//! call carries a reference of its own, where its API has a place for one, which is how the
//! ledger and the recorded requests are told apart by call.

use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

use commet_codegen::contract::values::{Fields, Values};
use commet_fake::standin::StandIn;
use commet_fake::{Fault, KeyStyle, RecordedRequest};
use commet_runtime::serde::de::DeserializeOwned;
use commet_runtime::serde_json::{self, Value};
use commet_runtime::{ErrorBody, Outcome, RetryPolicy, StopReason};

const CALLS: usize = 60;
pub(super) const TIMEOUT: Duration = Duration::from_millis(100);
const DELAY: Duration = Duration::from_millis(250);

/// The retry policy of every client under the script: the default budget, with backoffs short
/// enough for a test.
pub(super) fn policy() -> RetryPolicy {
    RetryPolicy {
        initial_backoff: Duration::from_millis(1),
        max_backoff: Duration::from_millis(2),
        ..RetryPolicy::default()
    }
}

/// One payments document, loaded.
pub(super) struct Document {
    name: &'static str,
    json: Value,
}

impl Document {
    /// `tests/vendored/corpus/<name>`, as the generator reads it.
    pub(super) fn vendored(name: &'static str) -> Self {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../vendored/corpus")
            .join(name);
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{name}: {e}"));
        let loaded = commet_codegen::load::load(&text).unwrap_or_else(|e| panic!("{name}: {e}"));
        Document {
            name,
            json: loaded.raw,
        }
    }

    /// The schema of the operation at `path` and `method`, under `under` (`requestBody` or
    /// `responses/200`), in its JSON media type or its only one.
    fn schema(&self, path: &str, method: &str, under: &str) -> &Value {
        let pointer = format!("/paths/{}/{method}/{under}", path.replace('/', "~1"));
        let node = self
            .json
            .pointer(&pointer)
            .map(|n| Values::new(&self.json).resolve(n))
            .unwrap_or_else(|| panic!("{}: no {pointer}", self.name));
        let content = node
            .get("content")
            .and_then(Value::as_object)
            .unwrap_or_else(|| panic!("{}: {pointer} has no content", self.name));
        let media = content
            .iter()
            .find(|(t, _)| t.contains("json"))
            .or_else(|| content.iter().next())
            .map(|(_, m)| m)
            .unwrap_or_else(|| panic!("{}: {pointer} has no media type", self.name));
        &media["schema"]
    }

    /// A request body of the operation with its required fields, as the contract tests make
    /// it, and `reference` at the pointer `at`.
    pub(super) fn request(&self, path: &str, method: &str, at: &str, reference: &str) -> Value {
        let schema = self.schema(path, method, "requestBody");
        let mut body = Values::new(&self.json).schema(schema, Fields::Required);
        put(&mut body, at, Value::from(reference));
        body
    }

    /// An answer of the operation's `status` response, with its required fields.
    pub(super) fn answer(&self, path: &str, method: &str, status: u16) -> Value {
        let schema = self.schema(path, method, &format!("responses/{status}"));
        Values::new(&self.json).schema(schema, Fields::Required)
    }
}

/// Sets the value at a JSON pointer, making the objects on the way.
fn put(value: &mut Value, pointer: &str, new: Value) {
    let mut node = value;
    for token in pointer.trim_start_matches('/').split('/') {
        node = match node {
            Value::Array(items) => {
                let index: usize = token.parse().expect("an index into an array");
                &mut items[index]
            }
            _ => {
                if !node.is_object() {
                    *node = Value::Object(Default::default());
                }
                node.as_object_mut()
                    .expect("an object")
                    .entry(token.to_owned())
                    .or_insert(Value::Null)
            }
        };
    }
    *node = new;
}

/// Decodes a request value made from the document into the generated request type: which
/// also proves that the type accepts what the document allows.
pub(super) fn decode<T: DeserializeOwned>(body: Value) -> T {
    serde_json::from_value(body.clone())
        .unwrap_or_else(|e| panic!("{body} decodes as {}: {e}", std::any::type_name::<T>()))
}

/// What a failed call said about itself.
#[derive(Debug)]
pub(super) struct Failure {
    key: Option<String>,
    outcome: Outcome,
    stop: Option<StopReason>,
    text: String,
}

impl Failure {
    pub(super) fn of<E: ErrorBody>(error: &commet_runtime::Error<E>) -> Self {
        Failure {
            key: error.idempotency_key().map(str::to_owned),
            outcome: error.outcome(),
            stop: error.report().map(|r| r.stop_reason().clone()),
            text: error.to_string(),
        }
    }
}

/// A call on its way: the key it will send (readable before it is sent), and the sending.
pub(super) type Sending = (
    Option<String>,
    Pin<Box<dyn Future<Output = Result<(), Failure>>>>,
);

/// The API under test: how it keys writes, where a call's reference sits in its request body,
/// and the call itself, given the reference and the user's own key (if any).
pub(super) struct Subject<C> {
    pub(super) style: KeyStyle,
    pub(super) reference: &'static str,
    pub(super) call: C,
}

fn fault(roll: u64) -> Option<Fault> {
    let status = |status, retry_after: Option<&str>| Fault::Status {
        status,
        retry_after: retry_after.map(str::to_owned),
        body: None,
    };
    match roll {
        0 => Some(Fault::DropBeforeProcessing),
        1 => Some(Fault::DropAfterProcessing),
        2 => Some(Fault::Delay(DELAY)),
        3 => Some(status(500, None)),
        4 => Some(status(503, None)),
        5 => Some(status(429, Some("0"))),
        6 => Some(Fault::TruncatedBody),
        _ => None,
    }
}

/// Runs the script against `standin` (keyed as `subject.style` says), and checks:
/// - no call creates twice, before or after recovery;
/// - one key per call, made before sending, on every attempt;
/// - a call fails only when every attempt of the budget met a fault, with its key, and an
///   outcome the ledger bears out;
/// - every failed call recovers with the key its error hands back, and creates once.
pub(super) async fn run<C>(standin: &StandIn, subject: Subject<C>, seed: u64)
where
    C: Fn(&str, Option<String>) -> Sending,
{
    let mut dice = seed;
    let mut roll = || {
        dice ^= dice << 13;
        dice ^= dice >> 7;
        dice ^= dice << 17;
        dice % 12
    };
    let reference_of = |body: &Value| {
        body.pointer(subject.reference)
            .and_then(Value::as_str)
            .map(str::to_owned)
    };
    let mut keys = Vec::new();
    let mut failed = Vec::new();
    for i in 0..CALLS {
        let reference = format!("call-{i}");
        let mut all_faulted = true;
        for _ in 0..3 {
            match fault(roll()) {
                Some(f) => standin.push_fault(f),
                None => {
                    all_faulted = false;
                    // This attempt is answered normally and ends the call: no later one
                    // happens, so nothing more is queued.
                    break;
                }
            }
        }
        let (key, sending) = (subject.call)(&reference, None);
        let key = key.unwrap_or_else(|| panic!("{reference}: the mechanism is recognised"));
        keys.push((reference.clone(), key.clone()));
        if let Err(failure) = sending.await {
            assert_eq!(failure.key.as_deref(), Some(key.as_str()), "{failure:?}");
            assert!(
                all_faulted,
                "{reference}: only a spent budget explains {failure:?}"
            );
            assert_eq!(
                failure.stop,
                Some(StopReason::RetriesExhausted),
                "{failure:?}"
            );
            failed.push((reference, failure));
        }
        standin.clear_faults();
    }
    // Delayed requests are processed after their client gave up: wait for them.
    tokio::time::sleep(DELAY * 2).await;
    let created = |reference: &str| {
        standin
            .ledger()
            .iter()
            .filter(|c| reference_of(&c.body).as_deref() == Some(reference))
            .count()
    };
    let requests = standin.requests();
    let of_call = |reference: &str| -> Vec<&RecordedRequest> {
        requests
            .iter()
            .filter(|r| {
                r.body_fields().as_ref().and_then(reference_of).as_deref() == Some(reference)
            })
            .collect()
    };
    for (reference, key) in &keys {
        assert!(created(reference) <= 1, "{reference} created twice");
        let sent = of_call(reference);
        assert!(
            !sent.is_empty(),
            "{reference}: its requests carry the reference"
        );
        for request in sent {
            assert_eq!(
                subject.style.key_of(request).as_deref(),
                Some(key.as_str()),
                "{reference}: one key on every attempt"
            );
        }
    }
    for (reference, failure) in &failed {
        match failure.outcome {
            Outcome::NotApplied => assert_eq!(created(reference), 0, "{failure:?}"),
            Outcome::Applied => assert_eq!(created(reference), 1, "{failure:?}"),
            Outcome::MaybeApplied => {}
        }
        let key = failure.key.clone().expect("a key");
        let (sent_key, sending) = (subject.call)(reference, Some(key.clone()));
        assert_eq!(sent_key, Some(key), "the user's key wins");
        sending
            .await
            .unwrap_or_else(|e| panic!("{reference} recovers: {e:?}"));
        assert_eq!(created(reference), 1, "{reference} once after recovery");
    }
    assert!(
        (1..CALLS / 2).contains(&failed.len()),
        "{} of {CALLS} failed: {:?}",
        failed.len(),
        failed.iter().map(|(_, f)| &f.text).collect::<Vec<_>>()
    );
    assert!(standin.requests().len() > CALLS * 3 / 2, "the script bit");
}
