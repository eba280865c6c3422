//! No double charge: hundreds of charges, each behind a random script of injected failures and
//! with a random retry budget, and the fake's ledger must show exactly one charge for every call
//! the client reported as successful, none for a call that failed before the server processed
//! it, at most one for a call whose outcome was ambiguous, and never two for the same call.
//!
//! Every failed call must also tell the truth about its outcome: a call the ledger shows as
//! charged is reported as applied or maybe applied, one reported as not applied was not charged,
//! and each carries the key its attempts sent. Retrying every call that may have been applied
//! with that key then yields its original payment, and charges only those that never were.
//!
//! The run is seeded: set `COMMET_TEST_SEED` (decimal or `0x` hex) to replay a failure; every
//! assertion message names the seed.

mod common;

use std::collections::{BTreeMap, HashSet};
use std::time::Duration;

use commet::{ChargePaymentRequest, Outcome};
use commet_fake::{FakeCommet, Fault, RecordedRequest};
use common::{CUSTOMER, start};
use futures_util::future::join_all;
use serde_json::Value;

/// Logical charge calls in one run...
const CALLS: usize = 240;
/// ...spread over this many independent fakes running side by side.
const LANES: usize = 4;
/// The seed when `COMMET_TEST_SEED` is not set.
const DEFAULT_SEED: u64 = 0x2026_0610_c0de;
/// The per-attempt timeout of calls whose script delays a request...
const TIMEOUT: Duration = Duration::from_millis(200);
/// ...and how long the server then sits on the request before processing it anyway.
const DELAY: Duration = Duration::from_millis(500);

/// One injected failure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Step {
    /// 503, not processed.
    Unavailable,
    /// 429 with `Retry-After: 0`, not processed.
    RateLimited,
    /// The connection drops before the server processes the request.
    DropBefore,
    /// The server charges, then the connection drops: the client cannot know.
    DropAfter,
    /// The server answers after the client's timeout, and processes the request anyway.
    Slow,
    /// 409 `idempotency_in_progress`, not processed.
    InProgress,
    /// The server charges, then answers 200 with half a JSON body.
    Truncated,
    /// The server charges, then closes the connection halfway through the 200's body.
    Cut,
    /// 401, not processed, and never retried: it ends the call.
    Unauthorized,
}

const STEPS: [Step; 9] = [
    Step::Unavailable,
    Step::RateLimited,
    Step::DropBefore,
    Step::DropAfter,
    Step::Slow,
    Step::InProgress,
    Step::Truncated,
    Step::Cut,
    Step::Unauthorized,
];

impl Step {
    fn fault(self) -> Fault {
        match self {
            Step::Unavailable => common::status(503),
            Step::RateLimited => common::status_retry_after(429, "0"),
            Step::DropBefore => Fault::DropBeforeProcessing,
            Step::DropAfter => Fault::DropAfterProcessing,
            Step::Slow => Fault::Delay(DELAY),
            Step::InProgress => Fault::IdempotencyInProgress,
            Step::Truncated => Fault::TruncatedBody,
            Step::Cut => Fault::CutBody,
            Step::Unauthorized => common::status(401),
        }
    }

    /// Whether the server processes (charges) a request that meets this failure.
    fn processes(self) -> bool {
        self.processes_before_answering() || self == Step::Slow
    }

    /// Whether the charge is made before the client hears anything.
    fn processes_before_answering(self) -> bool {
        matches!(self, Step::DropAfter | Step::Truncated | Step::Cut)
    }

    /// Whether the client stops at this failure whatever its budget.
    fn ends_the_call(self) -> bool {
        self == Step::Unauthorized
    }
}

/// What one logical call will meet: its failures, in order, and its retry budget.
#[derive(Debug, Clone)]
struct Plan {
    index: usize,
    script: Vec<Step>,
    budget: u32,
}

impl Plan {
    fn random(rng: &mut fastrand::Rng, index: usize) -> Plan {
        let script = (0..rng.usize(0..=3))
            .map(|_| STEPS[rng.usize(..STEPS.len())])
            .collect();
        Plan {
            index,
            script,
            budget: rng.u32(0..=3),
        }
    }

    fn description(&self) -> String {
        description(self.index)
    }

    /// The failures the client's attempts actually meet: one per attempt the budget allows,
    /// up to a failure that ends the call.
    fn consumed(&self) -> &[Step] {
        let n = self.script.len().min(self.budget as usize + 1);
        let n = self.script[..n]
            .iter()
            .position(|s| s.ends_the_call())
            .map_or(n, |i| i + 1);
        &self.script[..n]
    }

    /// Whether the call gets past every failure of its script.
    fn succeeds(&self) -> bool {
        self.script.len() <= self.budget as usize && !self.script.iter().any(|s| s.ends_the_call())
    }
}

fn description(index: usize) -> String {
    format!("no-double-charge call {index}")
}

/// What the client said about a failed call.
#[derive(Debug)]
struct Failure {
    line: String,
    outcome: Outcome,
    key: Option<String>,
    attempts: u32,
}

/// One logical call: its plan, what the client said, what the fake saw, and the answer to a
/// retry with its key when it may have been applied.
#[derive(Debug)]
struct Call {
    plan: Plan,
    outcome: Result<String, Failure>,
    requests: Vec<RecordedRequest>,
    recovered: Option<Result<String, String>>,
}

fn request_of(plan: &Plan) -> ChargePaymentRequest {
    let amount = 100 + i64::try_from(plan.index).expect("small index");
    ChargePaymentRequest::new(CUSTOMER, amount, "usd", plan.description())
}

fn seed() -> u64 {
    match std::env::var("COMMET_TEST_SEED") {
        Ok(text) => {
            let text = text.trim();
            let parsed = match text.strip_prefix("0x") {
                Some(hex) => u64::from_str_radix(hex, 16),
                None => text.parse(),
            };
            parsed.unwrap_or_else(|e| panic!("COMMET_TEST_SEED={text:?} is not a u64: {e}"))
        }
        Err(_) => DEFAULT_SEED,
    }
}

/// Queues the plan's failures, makes the charge, and collects what the fake received.
async fn run_call(fake: &FakeCommet, client: &commet::Client, plan: &Plan) -> Call {
    fake.clear_faults();
    fake.clear_requests();
    for step in &plan.script {
        fake.push_fault_for("POST", "/payments/charge", step.fault());
    }
    let mut call = client
        .charge_payment(&request_of(plan))
        .max_retries(plan.budget);
    if plan.script.contains(&Step::Slow) {
        call = call.timeout(TIMEOUT);
    }
    let outcome = call.await.map(|p| p.id).map_err(|e| Failure {
        line: e.to_string(),
        outcome: e.outcome(),
        key: e.idempotency_key().map(str::to_owned),
        attempts: e.attempts(),
    });
    Call {
        plan: plan.clone(),
        outcome,
        requests: fake.requests(),
        recovered: None,
    }
}

/// What one lane leaves: its calls, and the ledger before and after the recovery retries.
struct Lane {
    calls: Vec<Call>,
    ledger: Vec<Value>,
    ledger_after_recovery: Vec<Value>,
}

/// Runs the plans of one lane, one after the other, against a fake of its own; once the
/// requests the fake sat on are processed, retries every call that may have been applied with
/// its key, as a careful caller would.
async fn run_lane(plans: Vec<Plan>) -> Lane {
    let (fake, client) = start().await;
    let mut calls = Vec::with_capacity(plans.len());
    for plan in &plans {
        calls.push(run_call(&fake, &client, plan).await);
    }
    // Let the server finish the requests it sat on after their clients gave up.
    tokio::time::sleep(DELAY + Duration::from_millis(300)).await;
    let ledger = fake.charges();
    fake.clear_faults();
    for call in &mut calls {
        let Err(failure) = &call.outcome else {
            continue;
        };
        let (true, Some(key)) = (failure.outcome.may_be_applied(), &failure.key) else {
            continue;
        };
        let retry = client
            .charge_payment(&request_of(&call.plan))
            .idempotency_key(key.as_str())
            .await;
        call.recovered = Some(retry.map(|p| p.id).map_err(|e| e.to_string()));
    }
    Lane {
        calls,
        ledger,
        ledger_after_recovery: fake.charges(),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn randomized_faults_never_double_charge() {
    let seed = seed();
    let mut rng = fastrand::Rng::with_seed(seed);
    let plans: Vec<Plan> = (0..CALLS).map(|i| Plan::random(&mut rng, i)).collect();
    // Independent lanes (a fake and a client each) run side by side: the fault queue of one
    // fake is FIFO, so within a lane the calls run one at a time.
    let lanes = (0..LANES).map(|lane| {
        let mine = plans.iter().filter(|p| p.index % LANES == lane).cloned();
        run_lane(mine.collect())
    });
    let mut calls = Vec::with_capacity(CALLS);
    let mut ledger = Vec::new();
    let mut ledger_after_recovery = Vec::new();
    for lane in join_all(lanes).await {
        calls.extend(lane.calls);
        ledger.extend(lane.ledger);
        ledger_after_recovery.extend(lane.ledger_after_recovery);
    }
    assert_eq!(calls.len(), CALLS);

    // Every charge in the ledger belongs to one of the calls, by its description.
    let by_description: BTreeMap<String, usize> = (0..CALLS).map(|i| (description(i), i)).collect();
    let charges_by_call = |ledger: &[Value]| {
        let mut charges_of: Vec<Vec<String>> = vec![Vec::new(); CALLS];
        for charge in ledger {
            let text = charge["description"].as_str().unwrap_or_default();
            let Some(&index) = by_description.get(text) else {
                panic!("seed {seed:#x}: a charge no call asked for: {charge}");
            };
            let id = charge["id"].as_str().expect("charges have ids").to_owned();
            charges_of[index].push(id);
        }
        charges_of
    };
    let charges_of = charges_by_call(&ledger);
    let final_charges_of = charges_by_call(&ledger_after_recovery);

    let mut keys = HashSet::new();
    let (mut succeeded, mut clean_failures, mut ambiguous, mut ambiguous_charged) = (0, 0, 0, 0);
    let (mut recovered, mut recovered_charged) = (0, 0);
    for call in &calls {
        let plan = &call.plan;
        let context = format!(
            "seed {seed:#x}, call {}: script {:?}, max_retries {}, outcome {:?}, charges {:?}",
            plan.index, plan.script, plan.budget, call.outcome, charges_of[plan.index]
        );

        // The client followed the script: one attempt per failure it met, plus one that
        // succeeded if the budget reached past the script.
        let consumed = plan.consumed();
        let expect_success = plan.succeeds();
        let attempts = consumed.len() + usize::from(expect_success);
        assert_eq!(call.requests.len(), attempts, "{context}");
        assert_eq!(call.outcome.is_ok(), expect_success, "{context}");
        for (request, step) in call.requests.iter().zip(consumed) {
            assert_eq!(request.fault, Some(step.fault()), "{context}");
        }

        // One key for every attempt of the call, never shared with another call.
        let key = call.requests[0]
            .idempotency_key()
            .unwrap_or_else(|| panic!("no idempotency key; {context}"));
        assert!(
            call.requests
                .iter()
                .all(|r| r.idempotency_key() == Some(key)),
            "attempts with different keys; {context}"
        );
        assert!(
            keys.insert(key.to_owned()),
            "key reused across calls; {context}"
        );

        // No call is ever charged twice.
        let charges = &charges_of[plan.index];
        assert!(charges.len() <= 1, "double charge! {context}");
        match &call.outcome {
            Ok(id) => {
                succeeded += 1;
                assert_eq!(
                    charges,
                    std::slice::from_ref(id),
                    "a success is charged once; {context}"
                );
            }
            Err(_) if consumed.iter().any(|s| s.processes()) => {
                ambiguous += 1;
                ambiguous_charged += charges.len();
                if consumed.iter().any(|s| s.processes_before_answering()) {
                    assert_eq!(charges.len(), 1, "processed before answering; {context}");
                }
            }
            Err(_) => {
                clean_failures += 1;
                assert!(
                    charges.is_empty(),
                    "charged without being processed; {context}"
                );
            }
        }

        // A failure tells the truth about the charge, and carries the key to recover it.
        let Err(failure) = &call.outcome else {
            assert!(call.recovered.is_none(), "{context}");
            assert_eq!(final_charges_of[plan.index], *charges, "{context}");
            continue;
        };
        assert_eq!(failure.key.as_deref(), Some(key), "the key sent; {context}");
        assert!(
            failure.line.contains(key),
            "the key in the message; {context}"
        );
        assert_eq!(failure.attempts as usize, attempts, "{context}");
        if !charges.is_empty() {
            assert!(
                failure.outcome.may_be_applied(),
                "charged, but reported {:?}; {context}",
                failure.outcome
            );
        }
        match failure.outcome {
            Outcome::NotApplied => assert!(charges.is_empty(), "{context}"),
            Outcome::Applied => assert_eq!(charges.len(), 1, "{context}"),
            Outcome::MaybeApplied => {}
        }

        // The retry with the key: the original payment, or the only charge ever made.
        match &call.recovered {
            None => {
                assert!(!failure.outcome.may_be_applied(), "{context}");
                assert_eq!(final_charges_of[plan.index], *charges, "{context}");
            }
            Some(Err(e)) => panic!("the retry with the key failed: {e}; {context}"),
            Some(Ok(id)) => {
                recovered += 1;
                if charges.is_empty() {
                    recovered_charged += 1;
                } else {
                    assert_eq!(charges, std::slice::from_ref(id), "the original; {context}");
                }
                assert_eq!(
                    final_charges_of[plan.index],
                    std::slice::from_ref(id),
                    "one charge after recovery; {context}"
                );
            }
        }
    }
    assert_eq!(
        ledger.len(),
        succeeded + ambiguous_charged,
        "seed {seed:#x}: ledger {ledger:#?}"
    );
    assert_eq!(
        ledger_after_recovery.len(),
        ledger.len() + recovered_charged,
        "seed {seed:#x}: recovery charged only calls that never were"
    );
    // The run covered every outcome (true for the default seed; a new seed that misses one
    // is simply too lucky).
    assert!(
        succeeded > 0
            && clean_failures > 0
            && ambiguous > 0
            && recovered > recovered_charged
            && recovered_charged > 0,
        "seed {seed:#x}: {succeeded} succeeded, {clean_failures} failed cleanly, {ambiguous} \
         ambiguous, {recovered} recovered ({recovered_charged} charged by the recovery)"
    );
    println!(
        "seed {seed:#x}: {CALLS} calls, {succeeded} succeeded, {clean_failures} failed cleanly, \
         {ambiguous} ambiguous ({ambiguous_charged} charged), {} charges; {recovered} retried \
         with their key ({recovered_charged} charged only then), {} charges in the end",
        ledger.len(),
        ledger_after_recovery.len()
    );
}
