//! Builds the contract program with cargo and runs it against a mock.
//!
//! The build goes into a target directory kept between runs, so only the first run compiles
//! the runtime's dependencies; later ones compile the generated client and the calls.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

/// What the program printed about one call.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Observation {
    /// `ok`, `api_error`, `decode_error`, `unexpected_status`, `invalid_request`,
    /// `transport`, `timeout`, `argument_rejected` or `other`.
    pub result: String,
    /// The HTTP status, when an answer came.
    pub status: Option<u16>,
    /// Requests sent (1 for a success: the client never retries in a contract run).
    pub attempts: Option<u64>,
    /// The client's message, for anything but a success.
    pub detail: Option<String>,
    /// The decoded error body, for an API error.
    pub body: Option<String>,
    /// The headers the mock gave its verdict in.
    pub mock_headers: BTreeMap<String, String>,
    /// For a call the client must refuse: connections the listener got.
    pub connections: Option<u64>,
    /// When the mock stopped while answering this call: the error it stopped with.
    pub mock_crash: Option<String>,
}

/// Compiles the crate in `crate_dir` into `target_dir`; returns the program's path.
pub fn build(crate_dir: &Path, name: &str, target_dir: &Path) -> Result<PathBuf, String> {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let output = Command::new(cargo)
        .arg("build")
        .arg("--quiet")
        .arg("--manifest-path")
        .arg(crate_dir.join("Cargo.toml"))
        .arg("--target-dir")
        .arg(target_dir)
        // The caller's own build settings (a build script's, a test's) are not the program's.
        .env_remove("RUSTFLAGS")
        .env_remove("CARGO_TARGET_DIR")
        .env_remove("CARGO_BUILD_TARGET")
        .output()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    if !output.status.success() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        return Err(format!(
            "the contract program did not compile (a generated-code bug, or a missing dependency):\n{}",
            stderr.trim_end()
        ));
    }
    let exe = target_dir
        .join("debug")
        .join(format!("{name}{}", std::env::consts::EXE_SUFFIX));
    if exe.is_file() {
        Ok(exe)
    } else {
        Err(format!("cargo built no program at {}", exe.display()))
    }
}

/// Runs the program against `base_url` for the calls `indices`; one observation per call.
pub fn run(
    exe: &Path,
    base_url: &str,
    indices: &[usize],
) -> Result<BTreeMap<usize, Observation>, String> {
    let list: Vec<String> = indices.iter().map(usize::to_string).collect();
    let output = Command::new(exe)
        .arg(base_url)
        .arg(list.join(","))
        // The client must not pick up a user's settings from the environment.
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .output()
        .map_err(|e| format!("cannot run {}: {e}", exe.display()))?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    let mut seen = BTreeMap::new();
    for line in stdout.lines() {
        let Ok(v) = serde_json::from_str::<Value>(line) else {
            continue;
        };
        let Some(call) = v
            .get("call")
            .and_then(Value::as_u64)
            .and_then(|c| usize::try_from(c).ok())
        else {
            continue;
        };
        let entry: &mut Observation = seen.entry(call).or_default();
        merge(entry, &v);
    }
    if !output.status.success() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        // Calls that printed nothing are reported as the program's failure.
        for &i in indices {
            seen.entry(i).or_insert_with(|| Observation {
                result: "program_failed".to_owned(),
                detail: Some(format!(
                    "the contract program stopped: {}",
                    stderr.trim_end()
                )),
                ..Observation::default()
            });
        }
    }
    Ok(seen)
}

fn merge(entry: &mut Observation, v: &Value) {
    if let Some(c) = v.get("connections").and_then(Value::as_u64) {
        entry.connections = Some(c);
    }
    let Some(result) = v.get("result").and_then(Value::as_str) else {
        return;
    };
    entry.result = result.to_owned();
    entry.status = v
        .get("status")
        .and_then(Value::as_u64)
        .and_then(|s| u16::try_from(s).ok());
    entry.attempts = v.get("attempts").and_then(Value::as_u64);
    entry.detail = v.get("detail").and_then(Value::as_str).map(str::to_owned);
    entry.body = v.get("body").and_then(Value::as_str).map(str::to_owned);
    if let Some(headers) = v.get("mock").and_then(Value::as_object) {
        for (k, value) in headers {
            if let Some(text) = value.as_str() {
                entry.mock_headers.insert(k.clone(), text.to_owned());
            }
        }
    }
}
