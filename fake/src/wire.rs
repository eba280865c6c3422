//! A recording HTTP/1.1 server for tests that must prove the exact bytes a client sends: the
//! request head as written, and the body after any chunked transfer coding is undone.
//!
//! [`FakeCommet`](crate::FakeCommet) understands Commet's payment API; [`WireServer`] understands
//! nothing. It answers every request from a queue of scripted [`WireReply`]s (a `200` with `{}`
//! when the queue is empty) and records each request as a [`WireRequest`]. Each connection
//! carries one request and is then closed, so a test never waits on a keep-alive.

use std::collections::VecDeque;
use std::io;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::Notify;

use crate::state::lock;

/// Requests larger than this are cut off (and the connection dropped): tests send kilobytes.
const MAX_REQUEST: usize = 16 * 1024 * 1024;

/// A request as the server received it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WireRequest {
    /// The method, as sent (`GET`, `POST`, ...).
    pub method: String,
    /// The request target, as sent: path and query, still percent-encoded.
    pub target: String,
    /// The headers in the order sent, names lower-cased, values as sent.
    pub headers: Vec<(String, String)>,
    /// The body, with chunked transfer coding removed.
    pub body: Vec<u8>,
    /// Whether the body came in chunks (a streamed body) rather than with a `content-length`.
    pub chunked: bool,
}

impl WireRequest {
    /// The first value of the header `name` (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// Every value of the header `name` (case-insensitive), in order.
    pub fn header_values(&self, name: &str) -> Vec<&str> {
        self.headers
            .iter()
            .filter(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
            .collect()
    }

    /// The target's path, without the query.
    pub fn path(&self) -> &str {
        self.target.split_once('?').map_or(&self.target, |(p, _)| p)
    }

    /// The target's raw query (after `?`), if there is one.
    pub fn query(&self) -> Option<&str> {
        self.target.split_once('?').map(|(_, q)| q)
    }

    /// The body as text (lossily, for assertions).
    pub fn body_text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

/// A scripted answer.
#[derive(Debug, Clone)]
pub struct WireReply {
    status: u16,
    headers: Vec<(String, String)>,
    chunks: Vec<Vec<u8>>,
    chunked: bool,
    gate: Option<Arc<Notify>>,
}

impl WireReply {
    /// A reply with `status` and no body yet.
    pub fn status(status: u16) -> Self {
        Self {
            status,
            headers: Vec::new(),
            chunks: Vec::new(),
            chunked: false,
            gate: None,
        }
    }

    /// A reply with `status`, `content-type: application/json` and `body`.
    pub fn json(status: u16, body: impl Into<String>) -> Self {
        Self::status(status)
            .header("content-type", "application/json")
            .body(body.into().into_bytes())
    }

    /// Adds a header.
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }

    /// Sets the body, sent with a `content-length`.
    pub fn body(mut self, body: impl Into<Vec<u8>>) -> Self {
        self.chunks = vec![body.into()];
        self.chunked = false;
        self
    }

    /// Sets the body, sent with chunked transfer coding, one chunk per item.
    pub fn chunks(mut self, chunks: impl IntoIterator<Item = Vec<u8>>) -> Self {
        self.chunks = chunks.into_iter().collect();
        self.chunked = true;
        self
    }

    /// Holds a chunked body after its first chunk until `gate` is notified, so a test can show
    /// that the client hands out the start of a download before the rest exists.
    pub fn hold_after_first_chunk(mut self, gate: Arc<Notify>) -> Self {
        self.gate = Some(gate);
        self
    }

    fn head(&self) -> String {
        let mut head = format!("HTTP/1.1 {} {}\r\n", self.status, reason(self.status));
        for (name, value) in &self.headers {
            head.push_str(&format!("{name}: {value}\r\n"));
        }
        if self.chunked {
            head.push_str("transfer-encoding: chunked\r\n");
        } else {
            let length: usize = self.chunks.iter().map(Vec::len).sum();
            head.push_str(&format!("content-length: {length}\r\n"));
        }
        head.push_str("connection: close\r\n\r\n");
        head
    }
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        201 => "Created",
        204 => "No Content",
        400 => "Bad Request",
        404 => "Not Found",
        500 => "Internal Server Error",
        _ => "Status",
    }
}

#[derive(Default)]
struct Shared {
    requests: Mutex<Vec<WireRequest>>,
    replies: Mutex<VecDeque<WireReply>>,
}

/// A recording server on `127.0.0.1`, running on the Tokio runtime that started it.
#[derive(Clone)]
pub struct WireServer {
    addr: SocketAddr,
    shared: Arc<Shared>,
}

impl WireServer {
    /// Binds an ephemeral port on `127.0.0.1` and starts serving.
    pub async fn start() -> io::Result<Self> {
        let listener = TcpListener::bind("127.0.0.1:0").await?;
        let addr = listener.local_addr()?;
        let shared = Arc::new(Shared::default());
        let serving = Arc::clone(&shared);
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                tokio::spawn(serve(stream, Arc::clone(&serving)));
            }
        });
        Ok(Self { addr, shared })
    }

    /// `http://127.0.0.1:PORT` followed by `path`.
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    /// Queues `reply` for the next request that finds the queue's front.
    pub fn reply(&self, reply: WireReply) -> &Self {
        lock(&self.shared.replies).push_back(reply);
        self
    }

    /// Every request received so far, in arrival order.
    pub fn requests(&self) -> Vec<WireRequest> {
        lock(&self.shared.requests).clone()
    }

    /// The one request received so far.
    ///
    /// # Panics
    ///
    /// When there were none or several: this is a test helper.
    pub fn only_request(&self) -> WireRequest {
        let requests = self.requests();
        assert_eq!(requests.len(), 1, "expected one request: {requests:#?}");
        requests.into_iter().next().expect("one request")
    }
}

async fn serve(mut stream: TcpStream, shared: Arc<Shared>) {
    let Ok(Some(request)) = read_request(&mut stream).await else {
        return;
    };
    lock(&shared.requests).push(request);
    let reply = lock(&shared.replies)
        .pop_front()
        .unwrap_or_else(|| WireReply::json(200, "{}"));
    let _ = write_reply(&mut stream, &reply).await;
    let _ = stream.shutdown().await;
}

async fn write_reply(stream: &mut TcpStream, reply: &WireReply) -> io::Result<()> {
    stream.write_all(reply.head().as_bytes()).await?;
    if !reply.chunked {
        for chunk in &reply.chunks {
            stream.write_all(chunk).await?;
        }
        return stream.flush().await;
    }
    for (i, chunk) in reply.chunks.iter().enumerate() {
        if chunk.is_empty() {
            continue; // an empty chunk would end the body early
        }
        stream
            .write_all(format!("{:x}\r\n", chunk.len()).as_bytes())
            .await?;
        stream.write_all(chunk).await?;
        stream.write_all(b"\r\n").await?;
        stream.flush().await?;
        if i == 0
            && let Some(gate) = &reply.gate
        {
            gate.notified().await;
        }
    }
    stream.write_all(b"0\r\n\r\n").await?;
    stream.flush().await
}

/// Reads more bytes into `buf`; `false` at end of stream or past [`MAX_REQUEST`].
async fn fill(stream: &mut TcpStream, buf: &mut Vec<u8>) -> io::Result<bool> {
    let mut chunk = [0u8; 8192];
    let n = stream.read(&mut chunk).await?;
    buf.extend_from_slice(&chunk[..n]);
    Ok(n > 0 && buf.len() <= MAX_REQUEST)
}

async fn read_request(stream: &mut TcpStream) -> io::Result<Option<WireRequest>> {
    let mut buf = Vec::new();
    let (method, target, headers, head_len) = loop {
        let mut slots = [httparse::EMPTY_HEADER; 64];
        let mut parsed = httparse::Request::new(&mut slots);
        match parsed.parse(&buf) {
            Ok(httparse::Status::Complete(len)) => {
                let headers: Vec<(String, String)> = parsed
                    .headers
                    .iter()
                    .map(|h| {
                        (
                            h.name.to_ascii_lowercase(),
                            String::from_utf8_lossy(h.value).into_owned(),
                        )
                    })
                    .collect();
                break (
                    parsed.method.unwrap_or_default().to_owned(),
                    parsed.path.unwrap_or_default().to_owned(),
                    headers,
                    len,
                );
            }
            Ok(httparse::Status::Partial) => {
                if !fill(stream, &mut buf).await? {
                    return Ok(None);
                }
            }
            Err(_) => return Ok(None),
        }
    };
    let find = |name: &str| {
        headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    };
    let chunked = find("transfer-encoding").is_some_and(|v| v.contains("chunked"));
    let body = if chunked {
        let mut rest = buf.split_off(head_len);
        loop {
            if let Some(body) = decode_chunked(&rest) {
                break body;
            }
            if !fill(stream, &mut rest).await? {
                return Ok(None);
            }
        }
    } else {
        let length: usize = find("content-length")
            .and_then(|v| v.trim().parse().ok())
            .unwrap_or(0);
        if length > MAX_REQUEST {
            return Ok(None);
        }
        while buf.len() < head_len + length {
            if !fill(stream, &mut buf).await? {
                return Ok(None);
            }
        }
        buf[head_len..head_len + length].to_vec()
    };
    Ok(Some(WireRequest {
        method,
        target,
        headers,
        body,
        chunked,
    }))
}

/// The decoded body once `raw` holds every chunk up to the last (zero-length) one and its
/// closing blank line; `None` while more is needed.
fn decode_chunked(raw: &[u8]) -> Option<Vec<u8>> {
    let mut body = Vec::new();
    let mut at = 0;
    loop {
        let line_end = at + raw.get(at..)?.windows(2).position(|w| w == b"\r\n")?;
        let size_text = std::str::from_utf8(&raw[at..line_end]).ok()?;
        // Chunk extensions (`;name=value`) carry nothing a test needs.
        let size_text = size_text.split(';').next().unwrap_or_default().trim();
        let size = usize::from_str_radix(size_text, 16).ok()?;
        at = line_end + 2;
        if size == 0 {
            // No trailers are sent by the clients under test: the blank line ends the body.
            return raw.get(at..at + 2).filter(|e| *e == b"\r\n").map(|_| body);
        }
        body.extend_from_slice(raw.get(at..at + size)?);
        at += size + 2;
        if raw.len() < at {
            return None;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::decode_chunked;

    #[test]
    fn chunked_bodies_decode_only_when_complete() {
        let raw = b"5\r\nhello\r\n1;ext=1\r\n!\r\n0\r\n\r\n";
        assert_eq!(decode_chunked(raw).as_deref(), Some(&b"hello!"[..]));
        for cut in 0..raw.len() {
            assert_eq!(decode_chunked(&raw[..cut]), None, "cut at {cut}");
        }
    }
}
