//! Per-request overhead of the generated client: `get_payment` against a hand-written
//! `reqwest` call that sends the same request and decodes the same `commet::Payment`.
//!
//! Both sides share one `reqwest::Client` (one keep-alive pool) on one current-thread Tokio
//! runtime, and call a tiny axum server on 127.0.0.1 that answers every request with the same
//! bytes, so what differs between them is only the work done around the HTTP exchange. The
//! server runs on a thread of its own: its work then stays out of the client thread's CPU time,
//! which is measured per block next to the wall clock.
//!
//! Calls are sequential and measured in blocks, the two sides interleaved (alternating which
//! goes first) so that drift in machine load hits both alike; the median over blocks is
//! reported. Run with `cargo bench -p commet --bench request_overhead`; `ROUNDS` and `BLOCK`
//! in the environment change the defaults (10 rounds of 200 calls per side).

use std::hint::black_box;
use std::time::{Duration, Instant};

use axum::Router;
use axum::body::Bytes;
use axum::http::header;
use axum::routing::get;
use commet_fake::wire::{WireReply, WireServer};
use commet_runtime::serde::Deserialize;
use reqwest::header::{ACCEPT, USER_AGENT};

/// The id of the one payment the server knows; checked after every call so that neither side
/// can skip the decode.
const PAYMENT_ID: &str = "pay_bench_1";

/// The API key both sides send.
const API_KEY: &str = "ck_sandbox_bench";

/// What the generated client sends as `User-Agent`, spelled out as a hand-written client would.
const HAND_USER_AGENT: &str = concat!(env!("CARGO_PKG_NAME"), "-rust/", env!("CARGO_PKG_VERSION"));

/// A per-request timeout for both sides: the generated client always sets one, so the
/// hand-written side gets it from the shared `reqwest::Client` and pays for the same timer.
const TIMEOUT: Duration = Duration::from_secs(60);

/// A realistic `GET /payments/{id}` answer, in Commet's `{"success", "data"}` envelope.
const BODY: &str = r#"{"success":true,"data":{"id":"pay_bench_1","customerId":"cus_test_1","kind":"charge","status":"succeeded","provider":"stripe","amountSubtotal":2500,"taxAmount":0,"amountTotal":2500,"currency":"usd","description":"Pro plan, June","metadata":{"order":"1234"},"url":null,"expiresAt":null,"createdAt":"2026-06-10T12:00:00Z","updatedAt":"2026-06-10T12:00:01Z","object":"payment","livemode":false}}"#;

/// The envelope the hand-written side decodes, as anyone calling Commet by hand would write it.
#[derive(Deserialize)]
#[serde(crate = "commet_runtime::serde")]
struct Envelope {
    /// The payment itself; `success` is ignored, as the generated client ignores it.
    data: commet::Payment,
}

/// Why a hand-written call failed; its text is only shown if the bench breaks.
type HandError = Box<dyn std::error::Error + Send + Sync>;

/// Which client a block measures.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Side {
    /// `commet::Client::get_payment`.
    Generated,
    /// [`hand_written_get`].
    HandWritten,
}

/// What one block of calls took.
#[derive(Clone, Copy)]
struct Block {
    /// Calls per second of wall-clock time.
    per_s: f64,
    /// CPU time of the client thread per call, in microseconds, where it can be read.
    cpu_us: Option<f64>,
}

/// The two clients under test, sharing one connection pool.
struct Clients {
    /// The generated client.
    generated: commet::Client,
    /// The pool the hand-written side calls through (a clone of the generated client's).
    http: reqwest::Client,
    /// The base URL the hand-written side joins the path to.
    base_url: String,
}

/// The one `reqwest::Client` both sides use: keep-alive (the default), no redirects (as the
/// runtime builds its own) and the same per-request timeout.
fn shared_http() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(TIMEOUT)
        .build()
        .expect("the reqwest client builds")
}

/// Both clients for the server at `base_url`.
fn clients(http: &reqwest::Client, base_url: &str) -> Clients {
    let generated = commet::Client::builder()
        .api_key(API_KEY)
        .base_url(base_url)
        .http_client(http.clone())
        .timeout(TIMEOUT)
        .build()
        .expect("the generated client builds");
    Clients {
        generated,
        http: http.clone(),
        base_url: base_url.to_owned(),
    }
}

/// The request and decode as written by hand: same path and headers as the generated client,
/// the same success check, and `serde_json::from_slice` into the same `commet::Payment`.
async fn hand_written_get(
    http: &reqwest::Client,
    base_url: &str,
    id: &str,
) -> Result<commet::Payment, HandError> {
    let response = http
        .get(format!("{base_url}/payments/{id}"))
        .header(ACCEPT, "application/json")
        .header(USER_AGENT, HAND_USER_AGENT)
        .header("commet-version", commet::Client::API_VERSION)
        .header("x-api-key", API_KEY)
        .send()
        .await?;
    let status = response.status();
    if !status.is_success() {
        return Err(format!("unexpected status {status}").into());
    }
    let bytes = response.bytes().await?;
    let envelope: Envelope = serde_json::from_slice(&bytes)?;
    Ok(envelope.data)
}

/// One call of `side`, checked, so a failure stops the bench instead of timing errors.
async fn call(clients: &Clients, side: Side) {
    let payment = match side {
        Side::Generated => clients
            .generated
            .get_payment(PAYMENT_ID)
            .await
            .expect("the generated call succeeds"),
        Side::HandWritten => hand_written_get(&clients.http, &clients.base_url, PAYMENT_ID)
            .await
            .expect("the hand-written call succeeds"),
    };
    assert_eq!(payment.id, PAYMENT_ID);
    black_box(payment);
}

/// `n` sequential calls of `side`, timed on the wall clock and on the thread's CPU clock.
async fn block(clients: &Clients, side: Side, n: usize) -> Block {
    let cpu_start = thread_cpu();
    let start = Instant::now();
    for _ in 0..n {
        call(clients, side).await;
    }
    let wall = start.elapsed();
    let cpu = thread_cpu().zip(cpu_start).map(|(end, start)| end - start);
    let calls = n as f64;
    Block {
        per_s: calls / wall.as_secs_f64(),
        cpu_us: cpu.map(|d| d.as_secs_f64() * 1e6 / calls),
    }
}

/// CPU time used so far by the calling thread (the client's: the runtime is current-thread and
/// the server has a thread of its own). `None` where the clock can't be read.
#[cfg(unix)]
fn thread_cpu() -> Option<Duration> {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `ts` is a valid, writable timespec for the duration of the call.
    let rc = unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut ts) };
    if rc != 0 {
        return None;
    }
    let secs = u64::try_from(ts.tv_sec).ok()?;
    let nanos = u32::try_from(ts.tv_nsec).ok()?;
    Some(Duration::new(secs, nanos))
}

/// No per-thread CPU clock here: the bench reports wall-clock figures only.
#[cfg(not(unix))]
fn thread_cpu() -> Option<Duration> {
    None
}

/// Starts the answering server on a thread and runtime of its own, and returns its base URL.
fn start_server() -> String {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("the server runtime builds");
        runtime.block_on(async move {
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
                .await
                .expect("a loopback port");
            let addr = listener.local_addr().expect("the bound address");
            tx.send(addr).expect("the bench waits for the address");
            // A fixed answer: no state, no extraction, the same cost for either side.
            let route = format!("/api/v1/payments/{PAYMENT_ID}");
            let app = Router::new().route(
                &route,
                get(|| async {
                    (
                        [
                            (header::CONTENT_TYPE, "application/json"),
                            (header::HeaderName::from_static("x-request-id"), "req_bench"),
                        ],
                        Bytes::from_static(BODY.as_bytes()),
                    )
                }),
            );
            axum::serve(listener, app).await.expect("the server runs");
        });
    });
    let addr = rx.recv().expect("the server starts");
    format!("http://{addr}/api/v1")
}

/// Sends one call of each side to a recording server and fails unless both requests carry the
/// same method, path and headers: a baseline that sent less would flatter it.
async fn check_same_request(http: &reqwest::Client) {
    let wire = WireServer::start().await.expect("the wire server starts");
    for _ in 0..2 {
        wire.reply(WireReply::json(200, BODY));
    }
    let base_url = wire.url("/api/v1");
    let clients = clients(http, &base_url);
    call(&clients, Side::Generated).await;
    call(&clients, Side::HandWritten).await;
    let requests = wire.requests();
    let [generated, hand] = requests.as_slice() else {
        panic!("expected two requests, got {requests:#?}");
    };
    let lower = |h: &[(String, String)]| {
        let mut h: Vec<(String, String)> = h
            .iter()
            .map(|(n, v)| (n.to_ascii_lowercase(), v.clone()))
            .collect();
        h.sort();
        h
    };
    assert_eq!(generated.method, hand.method);
    assert_eq!(generated.target, hand.target);
    assert_eq!(
        lower(&generated.headers),
        lower(&hand.headers),
        "both sides must send the same headers"
    );
}

/// A count from the environment, or `default`.
fn env_count(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .filter(|&n| n > 0)
        .unwrap_or(default)
}

/// The median of `values` (sorted here; the mean of the middle two for an even count).
fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    let n = values.len();
    if n == 0 {
        return f64::NAN;
    }
    if n % 2 == 1 {
        values[n / 2]
    } else {
        (values[n / 2 - 1] + values[n / 2]) / 2.0
    }
}

/// Median calls/s, its spread and the median CPU per call of one side's blocks.
struct Summary {
    /// Median calls per second.
    per_s: f64,
    /// Slowest block.
    min: f64,
    /// Fastest block.
    max: f64,
    /// Median client-thread CPU per call (µs), if read.
    cpu_us: Option<f64>,
}

/// Summarises one side's blocks.
fn summarise(blocks: &[Block]) -> Summary {
    let rates: Vec<f64> = blocks.iter().map(|b| b.per_s).collect();
    let cpu: Option<Vec<f64>> = blocks.iter().map(|b| b.cpu_us).collect();
    Summary {
        per_s: median(rates.clone()),
        min: rates.iter().copied().fold(f64::INFINITY, f64::min),
        max: rates.iter().copied().fold(0.0, f64::max),
        cpu_us: cpu.map(median),
    }
}

/// Warms up, runs the interleaved rounds and prints the table and the `RESULT` line.
fn main() {
    let rounds = env_count("ROUNDS", 10);
    let block_size = env_count("BLOCK", 200);
    let base_url = start_server();
    // One runtime for both sides: current-thread, so every client task runs on this thread.
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("the client runtime builds");
    let (generated, hand_written, paired) = runtime.block_on(async {
        let http = shared_http();
        check_same_request(&http).await;
        let clients = clients(&http, &base_url);
        // Warm-up: the connection, allocator and caches, for both sides.
        for _ in 0..2 {
            block(&clients, Side::Generated, block_size).await;
            block(&clients, Side::HandWritten, block_size).await;
        }
        let mut generated = Vec::with_capacity(rounds);
        let mut hand_written = Vec::with_capacity(rounds);
        for round in 0..rounds {
            let order = if round % 2 == 0 {
                [Side::Generated, Side::HandWritten]
            } else {
                [Side::HandWritten, Side::Generated]
            };
            for side in order {
                let b = block(&clients, side, block_size).await;
                match side {
                    Side::Generated => generated.push(b),
                    Side::HandWritten => hand_written.push(b),
                }
            }
        }
        // Each round's two blocks ran back to back, under nearly the same load: their ratio
        // is steadier than the ratio of the medians when the machine is busy.
        let paired: Vec<f64> = generated
            .iter()
            .zip(&hand_written)
            .map(|(g, h)| g.per_s / h.per_s)
            .collect();
        (
            summarise(&generated),
            summarise(&hand_written),
            median(paired),
        )
    });

    let ratio = generated.per_s / hand_written.per_s;
    println!(
        "request_overhead: get_payment, {rounds} rounds x {block_size} sequential calls per side \
         ({} each), interleaved, after 2 warm-up blocks per side",
        rounds * block_size
    );
    println!(
        "{:<13} {:>16} {:>12} {:>12} {:>16}",
        "side", "median calls/s", "min", "max", "CPU us/call"
    );
    for (name, s) in [("generated", &generated), ("hand-written", &hand_written)] {
        let cpu = s
            .cpu_us
            .map_or_else(|| "n/a".to_owned(), |c| format!("{c:.2}"));
        println!(
            "{name:<13} {:>16.0} {:>12.0} {:>12.0} {cpu:>16}",
            s.per_s, s.min, s.max
        );
    }
    println!("ratio generated/hand-written, calls/s: {ratio:.3} (target >= 0.97)");
    println!("median of the per-round ratios: {paired:.3}");
    if let (Some(g), Some(h)) = (generated.cpu_us, hand_written.cpu_us) {
        println!(
            "client CPU per call: generated {g:.2} us, hand-written {h:.2} us, extra {:.2} us ({:.3}x)",
            g - h,
            g / h
        );
    }
    println!(
        "RESULT request_overhead generated_per_s={:.1} handwritten_per_s={:.1} ratio={ratio:.4}",
        generated.per_s, hand_written.per_s
    );
}
