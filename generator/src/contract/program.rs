//! The small Rust crate a contract run compiles: the generated client module as it is, and a
//! `main.rs` that makes each planned call against a base URL and prints one JSON line per call
//! with what happened (the result, the status, the attempts, the mock's verdict headers).
//!
//! The program reports facts only; `report.rs` judges them. Values reach the generated types
//! through `serde_json`, so a request body the document allows but the generated type refuses
//! shows up as `argument_rejected`, a finding of its own.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use super::calls::{BodyValue, Call, CallKind};
use crate::emit::tokens;
use crate::ir::{Api, BodyContent, Operation, PartKind, TypeKind, TypeRef};

/// Where the generated crate takes `commet-runtime` from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RuntimeSource {
    /// A version from crates.io (the default: this generator's own version).
    Registry(String),
    /// A local checkout of the runtime crate (the project's own tests and CI).
    Path(PathBuf),
}

impl Default for RuntimeSource {
    fn default() -> Self {
        RuntimeSource::Registry(env!("CARGO_PKG_VERSION").to_owned())
    }
}

/// The crate's name: one per work folder, so that runs sharing a target folder never run
/// each other's program.
pub fn crate_name(work_dir: &Path) -> String {
    // FNV-1a: stable across runs and platforms, unlike the standard library's hasher.
    let mut hash: u32 = 0x811c_9dc5;
    for byte in work_dir.to_string_lossy().bytes() {
        hash = (hash ^ u32::from(byte)).wrapping_mul(0x0100_0193);
    }
    format!("commet-contract-calls-{hash:08x}")
}

/// The crate's `Cargo.toml`.
pub fn manifest(name: &str, runtime: &RuntimeSource) -> String {
    let runtime = match runtime {
        RuntimeSource::Registry(version) => format!("{version:?}"),
        RuntimeSource::Path(dir) => format!("{{ path = {:?} }}", dir.display().to_string()),
    };
    format!(
        "# Written by `commet-codegen contract`: the generated client and one call per check.\n\
         [package]\n\
         name = \"{name}\"\n\
         version = \"0.0.0\"\n\
         edition = \"2024\"\n\
         publish = false\n\
         \n\
         [dependencies]\n\
         commet-runtime = {runtime}\n\
         tokio = {{ version = \"1\", features = [\"rt\", \"macros\", \"net\", \"time\"] }}\n\
         \n\
         # A crate of its own, wherever its folder is.\n\
         [workspace]\n"
    )
}

/// Writes the crate into `dir`: `Cargo.toml`, `src/client.rs` and `src/main.rs`. A starting
/// `Cargo.lock` (a workspace's, say) is copied in when none is there yet, so the build reuses
/// the versions that workspace already compiled.
pub fn write_crate(
    dir: &Path,
    name: &str,
    runtime: &RuntimeSource,
    client_code: &str,
    main_code: &str,
    seed_lock: Option<&Path>,
) -> std::io::Result<()> {
    std::fs::create_dir_all(dir.join("src"))?;
    write_if_changed(&dir.join("Cargo.toml"), &manifest(name, runtime))?;
    write_if_changed(&dir.join("src/client.rs"), client_code)?;
    write_if_changed(&dir.join("src/main.rs"), main_code)?;
    let lock = dir.join("Cargo.lock");
    if let Some(seed) = seed_lock
        && !lock.exists()
        && seed.exists()
    {
        std::fs::copy(seed, &lock)?;
    }
    Ok(())
}

/// Leaves a file's time alone when its text is the same, so cargo rebuilds nothing.
fn write_if_changed(path: &Path, text: &str) -> std::io::Result<()> {
    if std::fs::read_to_string(path).is_ok_and(|old| old == text) {
        return Ok(());
    }
    std::fs::write(path, text)
}

/// The program text: one function per call, and a `main` that runs the calls named on its
/// command line (`main BASE_URL 0,1,4`).
pub fn main_rs(api: &Api, calls: &[Call]) -> Result<String, String> {
    let mut out = String::from(PRELUDE);
    let mut arms = String::new();
    for (index, call) in calls.iter().enumerate() {
        let op = &api.operations[call.operation];
        if call.kind.reaches_mock() {
            let _ = writeln!(arms, "{index} => call_{index}(&client).await,");
        } else {
            // A call the client must refuse: how many connections it opened is part of it.
            let _ = writeln!(
                arms,
                "{index} => {{ let before = connections.load(Ordering::SeqCst); \
                 call_{index}(&refusing).await; \
                 connections_since({index}, &connections, before).await; }}"
            );
        }
        out.push_str(&call_fn(api, index, op, call));
    }
    let _ = write!(out, "{}", MAIN.replace("ARMS", &arms));
    let file =
        syn::parse_file(&out).map_err(|e| format!("the contract program does not parse: {e}"))?;
    Ok(prettyplease::unparse(&file))
}

fn type_text(ty: &TypeRef) -> String {
    tokens::ty(ty).to_string()
}

/// A Rust string literal of `text`.
fn literal(text: &str) -> String {
    format!("{text:?}")
}

fn call_fn(api: &Api, index: usize, op: &Operation, call: &Call) -> String {
    let mut body = String::new();
    let mut args = Vec::new();
    for (i, a) in call.arguments.iter().filter(|a| a.required).enumerate() {
        let _ = writeln!(
            body,
            "let a{i}: {} = decode({}, {})?;",
            type_text(&a.ty),
            literal(&format!("parameter `{}`", a.name)),
            literal(&a.value.to_string())
        );
        args.push(match &a.ty {
            TypeRef::String
            | TypeRef::Vec(_)
            | TypeRef::Named(_)
            | TypeRef::Map(_)
            | TypeRef::Json
            | TypeRef::Tuple(_)
            | TypeRef::Nullable(_) => format!("&a{i}"),
            _ => format!("a{i}"),
        });
    }
    if let Some(b) = &op.body {
        args.push(body_argument(&mut body, api, b, call));
    }
    if let Some(params_type) = &op.params_type {
        let _ = writeln!(body, "let mut params = {params_type}::new();");
        for (i, a) in call.arguments.iter().filter(|a| !a.required).enumerate() {
            let _ = writeln!(
                body,
                "let o{i}: {} = decode({}, {})?; params.{} = Some(o{i});",
                type_text(&a.ty),
                literal(&format!("parameter `{}`", a.name)),
                literal(&a.value.to_string()),
                a.name
            );
        }
        args.push("params".to_owned());
    }
    let prefer = match &call.kind {
        CallKind::ErrorStatus(status) => format!(".header(\"Prefer\", \"code={status}\")"),
        _ => String::new(),
    };
    format!(
        "async fn call_{index}(client: &Client) {{\n\
         let made = async {{\n{body}\
         Ok::<_, String>(client.{}({}){prefer}.send().await)\n}}.await;\n\
         match made {{ Ok(result) => record({index}, result), Err(e) => rejected({index}, e) }}\n}}\n",
        op.name,
        args.join(", ")
    )
}

/// The statements that make the body, and the argument that passes it.
fn body_argument(out: &mut String, api: &Api, body: &crate::ir::Body, call: &Call) -> String {
    let Some(value) = &call.body else {
        return "None".to_owned();
    };
    let wrap = |arg: String| {
        if body.required {
            arg
        } else {
            format!("Some({arg})")
        }
    };
    match body.content {
        BodyContent::Json | BodyContent::Form(_) => {
            let _ = writeln!(
                out,
                "let body: {} = decode(\"the request body\", {})?;",
                type_text(&body.ty),
                literal(&value.value.to_string())
            );
            wrap(match (&body.ty, body.required) {
                (TypeRef::Vec(_), false) => "body.as_slice()".to_owned(),
                (TypeRef::String, false) => "body.as_str()".to_owned(),
                _ => "&body".to_owned(),
            })
        }
        BodyContent::Text => {
            let text = match &value.value {
                serde_json::Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            wrap(format!("{}.to_owned()", literal(&text)))
        }
        BodyContent::Binary => wrap(format!(
            "rt::Upload::from({}.as_bytes().to_vec())",
            literal("contract test bytes")
        )),
        BodyContent::Multipart => {
            multipart_body(out, api, body, value);
            wrap("body".to_owned())
        }
    }
}

/// A multipart body: `new` with the required parts, then the optional ones set.
fn multipart_body(out: &mut String, api: &Api, body: &crate::ir::Body, value: &BodyValue) {
    let TypeRef::Named(type_name) = &body.ty else {
        return;
    };
    let Some(TypeKind::Multipart(parts)) = api.type_def(type_name).map(|t| &t.kind) else {
        return;
    };
    let file = "rt::FilePart::bytes(b\"contract test bytes\".to_vec()).file_name(\"contract.bin\")";
    let mut required = Vec::new();
    let mut optional = Vec::new();
    for part in parts {
        let Some((_, v)) = value.parts.iter().find(|(n, _)| *n == part.name) else {
            continue;
        };
        let what = literal(&format!("part `{}`", part.wire_name));
        let expression = match &part.kind {
            PartKind::File => file.to_owned(),
            PartKind::Files => format!("vec![{file}]"),
            PartKind::Text(ty) | PartKind::Json(ty) => format!(
                "decode::<{}>({what}, {})?",
                type_text(ty),
                literal(&v.to_string())
            ),
            PartKind::Texts(item) => {
                let list = match v {
                    serde_json::Value::Array(_) => v.clone(),
                    other => serde_json::Value::Array(vec![other.clone()]),
                };
                format!(
                    "decode::<Vec<{}>>({what}, {})?",
                    type_text(item),
                    literal(&list.to_string())
                )
            }
        };
        if part.required {
            required.push(expression);
        } else {
            optional.push((part.name.clone(), expression));
        }
    }
    let _ = writeln!(
        out,
        "let mut body = {type_name}::new({});",
        required.join(", ")
    );
    for (name, expression) in optional {
        let _ = writeln!(out, "body.{name} = Some({expression});");
    }
}

const PRELUDE: &str = r#"
//! Written by `commet-codegen contract`: each check of the contract as one call, and one JSON
//! line per call with what happened.
#![allow(unused, deprecated, clippy::all)]

mod client;

use ::commet_runtime as rt;
use client::*;
use rt::serde_json::{self, Value, json};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

fn decode<T: rt::serde::de::DeserializeOwned>(what: &str, text: &str) -> Result<T, String> {
    serde_json::from_str(text)
        .map_err(|e| format!("{what} {text} does not decode into its generated type: {e}"))
}

/// The headers in which mocks give their verdict on the request.
fn mock_headers(headers: &rt::reqwest::header::HeaderMap) -> Value {
    let mut out = serde_json::Map::new();
    for (name, value) in headers {
        let name = name.as_str();
        if name == "sl-violations" || name.starts_with("x-steady-") {
            let text = String::from_utf8_lossy(value.as_bytes()).into_owned();
            out.insert(name.to_owned(), Value::String(text));
        }
    }
    Value::Object(out)
}

fn record<T, E: rt::ErrorBody + rt::serde::Serialize>(
    call: usize,
    result: Result<rt::Response<T>, rt::Error<E>>,
) {
    let line = match result {
        Ok(r) => json!({
            "call": call, "result": "ok", "status": r.status().as_u16(), "attempts": 1,
            "mock": mock_headers(r.headers()),
        }),
        Err(e) => {
            let (kind, body) = match &e {
                rt::Error::Api(a) => ("api_error", serde_json::to_string(&a.body).ok()),
                rt::Error::Decode(_) => ("decode_error", None),
                // Prism explains a request it refuses in a problem document's body.
                rt::Error::UnexpectedStatus(u) => ("unexpected_status", Some(u.body.clone())),
                rt::Error::InvalidRequest(_) => ("invalid_request", None),
                rt::Error::Transport(_) => ("transport", None),
                rt::Error::Timeout(_) => ("timeout", None),
                _ => ("other", None),
            };
            json!({
                "call": call, "result": kind, "status": e.status().map(|s| s.as_u16()),
                "attempts": e.attempts(), "detail": e.to_string(), "body": body,
                "mock": e.headers().map(mock_headers),
            })
        }
    };
    println!("{line}");
}

fn rejected(call: usize, detail: String) {
    println!("{}", json!({"call": call, "result": "argument_rejected", "detail": detail}));
}

async fn connections_since(call: usize, connections: &AtomicUsize, before: usize) {
    // A connection the client opened would have been accepted by now.
    tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    let opened = connections.load(Ordering::SeqCst) - before;
    println!("{}", json!({"call": call, "connections": opened}));
}

/// A client of the mock that never retries, so one call is one request.
fn client(base_url: &str) -> Result<Client, BuildError> {
    Client::builder()
        .base_url(base_url)
        .api_key("contract-api-key")
        .bearer_token("contract-token")
        .basic_auth("contract", "contract-password")
        .retry_policy(RetryPolicy::none())
        .timeout(std::time::Duration::from_secs(30))
        .build()
}
"#;

const MAIN: &str = r#"
#[tokio::main(flavor = "current_thread")]
async fn main() {
    let args: Vec<String> = std::env::args().collect();
    let base_url = args.get(1).cloned().unwrap_or_default();
    let wanted: Vec<usize> = args
        .get(2)
        .map(|list| list.split(',').filter_map(|n| n.parse().ok()).collect())
        .unwrap_or_default();
    // Calls the client must refuse go to a listener that counts the connections it gets.
    let listener = match tokio::net::TcpListener::bind("127.0.0.1:0").await {
        Ok(l) => l,
        Err(e) => {
            eprintln!("contract: cannot listen on 127.0.0.1: {e}");
            std::process::exit(2);
        }
    };
    let refusing_url = match listener.local_addr() {
        Ok(addr) => format!("http://{addr}"),
        Err(e) => {
            eprintln!("contract: {e}");
            std::process::exit(2);
        }
    };
    let connections = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&connections);
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            counter.fetch_add(1, Ordering::SeqCst);
            drop(stream);
        }
    });
    let (client, refusing) = match (client(&base_url), client(&refusing_url)) {
        (Ok(a), Ok(b)) => (a, b),
        (Err(e), _) | (_, Err(e)) => {
            eprintln!("contract: the client does not build: {e}");
            std::process::exit(2);
        }
    };
    for call in wanted {
        match call {
            ARMS
            _ => {}
        }
    }
}
"#;
