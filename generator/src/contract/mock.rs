//! The validating mock servers: Prism, and Steady where its binary installed. Each is started
//! from the same document on a free loopback port, waited for until it answers, and stopped
//! when its [`RunningMock`] is dropped, so no mock outlives a run, whatever way it ends.

use std::io::{Read, Write};
use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// The seed of Prism's dynamic answers, so a run is repeatable.
pub const DYNAMIC_SEED: &str = "22";

/// How long a mock may take to answer its first request.
const STARTUP_LIMIT: Duration = Duration::from_secs(600);

/// One way of running a mock.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MockKind {
    /// Prism answering with the document's examples.
    PrismStatic,
    /// Prism answering with values made from the schemas (`-d`, fixed seed).
    PrismDynamic,
    /// Steady, which validates requests with another implementation.
    Steady,
}

impl MockKind {
    /// How the report names it.
    pub fn label(self) -> &'static str {
        match self {
            MockKind::PrismStatic => "prism",
            MockKind::PrismDynamic => "prism -d",
            MockKind::Steady => "steady",
        }
    }
}

/// Where the pinned mocks are installed (`scripts/install-contract-mocks`).
#[derive(Debug, Clone)]
pub struct Mocks {
    /// `node_modules` holding `@stoplight/prism-cli` and `@stdy/cli`.
    pub node_modules: PathBuf,
}

impl Mocks {
    /// The mocks installed under `node_modules`.
    pub fn new(node_modules: impl Into<PathBuf>) -> Self {
        Self {
            node_modules: node_modules.into(),
        }
    }

    /// Prism's entry point, when installed.
    pub fn prism(&self) -> Option<PathBuf> {
        let path = self.node_modules.join("@stoplight/prism-cli/dist/index.js");
        path.exists().then_some(path)
    }

    /// Steady's native binary, when one was installed for this platform. It is started
    /// directly rather than through its node wrapper, so stopping it stops the server.
    pub fn steady(&self) -> Option<PathBuf> {
        let dir = std::fs::read_dir(self.node_modules.join("@stdy")).ok()?;
        let mut found: Vec<PathBuf> = dir
            .filter_map(Result::ok)
            .map(|e| e.path().join("bin/steady"))
            .filter(|p| p.is_file())
            .collect();
        found.sort();
        found.into_iter().next()
    }
}

/// A mock server that is running; dropping it stops it.
pub struct RunningMock {
    child: Child,
    /// Its base URL.
    pub base_url: String,
    log: PathBuf,
}

impl RunningMock {
    /// What the mock printed so far (for a report when it misbehaves).
    pub fn log_tail(&self) -> String {
        let text = std::fs::read_to_string(&self.log).unwrap_or_default();
        let lines: Vec<&str> = text.lines().collect();
        lines[lines.len().saturating_sub(20)..].join("\n")
    }
}

impl RunningMock {
    /// Whether the mock has stopped (it should run until dropped).
    pub fn stopped(&mut self) -> bool {
        matches!(self.child.try_wait(), Ok(Some(_)))
    }

    /// The error the mock stopped with: the first line of its output that names one (a
    /// JavaScript `TypeError: ...`, say), else its last lines.
    pub fn last_error(&self) -> String {
        let text = std::fs::read_to_string(&self.log).unwrap_or_default();
        text.lines()
            .find(|l| {
                let l = l.trim_start();
                !l.starts_with('[')
                    && l.split(':')
                        .next()
                        .is_some_and(|head| head.ends_with("Error") && !head.contains(' '))
            })
            .map_or_else(|| self.log_tail(), |l| l.trim().to_owned())
    }
}

impl Drop for RunningMock {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A loopback port nothing listens on now.
fn free_port() -> std::io::Result<u16> {
    let listener = TcpListener::bind(SocketAddr::from((Ipv4Addr::LOCALHOST, 0)))?;
    Ok(listener.local_addr()?.port())
}

/// Starts `kind` on `document`, with its output in `log`, and waits until it answers HTTP.
pub fn start(
    mocks: &Mocks,
    kind: MockKind,
    document: &Path,
    log: &Path,
) -> Result<RunningMock, String> {
    let port = free_port().map_err(|e| format!("no free loopback port: {e}"))?;
    let port_text = port.to_string();
    let document_text = document.display().to_string();
    let mut command = match kind {
        MockKind::PrismStatic | MockKind::PrismDynamic => {
            let prism = mocks.prism().ok_or_else(|| {
                format!(
                    "Prism is not installed under {} (run scripts/install-contract-mocks)",
                    mocks.node_modules.display()
                )
            })?;
            let mut c = Command::new("node");
            c.arg(prism)
                .args(["mock", "--host", "127.0.0.1", "--port", &port_text])
                .args(["--verboseLevel", "warn"]);
            if kind == MockKind::PrismDynamic {
                c.args(["--dynamic", "--seed", DYNAMIC_SEED]);
            }
            c.arg(&document_text);
            c
        }
        MockKind::Steady => {
            let steady = mocks
                .steady()
                .ok_or_else(|| "Steady has no binary installed for this platform".to_owned())?;
            let mut c = Command::new(steady);
            c.args(["--host", "127.0.0.1", "--port", &port_text, "--no-color"])
                .args(["--log-level", "summary"])
                .arg(&document_text);
            c
        }
    };
    let log_file = std::fs::File::create(log).map_err(|e| format!("{}: {e}", log.display()))?;
    let err_file = log_file
        .try_clone()
        .map_err(|e| format!("{}: {e}", log.display()))?;
    let child = command
        .stdin(Stdio::null())
        .stdout(log_file)
        .stderr(err_file)
        .spawn()
        .map_err(|e| format!("cannot start {}: {e}", kind.label()))?;
    let mut mock = RunningMock {
        child,
        base_url: format!("http://127.0.0.1:{port}"),
        log: log.to_path_buf(),
    };
    let started = Instant::now();
    // Prism compiles the document before it listens: a large one takes a while, longer on a
    // busy machine.
    while started.elapsed() < STARTUP_LIMIT {
        if let Ok(Some(status)) = mock.child.try_wait() {
            return Err(format!(
                "{} exited ({status}) before answering:\n{}",
                kind.label(),
                mock.log_tail()
            ));
        }
        if answers_http(port) {
            return Ok(mock);
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    Err(format!(
        "{} did not answer within {} s:\n{}",
        kind.label(),
        STARTUP_LIMIT.as_secs(),
        mock.log_tail()
    ))
}

/// True when something on `port` answers an HTTP request with a status line.
fn answers_http(port: u16) -> bool {
    let Ok(mut stream) = TcpStream::connect_timeout(
        &SocketAddr::from((Ipv4Addr::LOCALHOST, port)),
        Duration::from_millis(500),
    ) else {
        return false;
    };
    let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
    let request = "GET /__contract_ready HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";
    if stream.write_all(request.as_bytes()).is_err() {
        return false;
    }
    let mut head = [0u8; 12];
    stream.read_exact(&mut head).is_ok() && head.starts_with(b"HTTP/1.")
}
