//! Binary content to send: bytes in memory, or a stream read as it is sent.

use std::fmt;

use bytes::Bytes;
use futures_core::Stream;

/// Bytes or a stream to upload, with an optional content type that overrides the spec's
/// (needed when the spec allows a family such as `image/*`).
pub struct Upload {
    pub(crate) content: Content,
    pub(crate) content_type: Option<String>,
}

pub(crate) enum Content {
    Bytes(Bytes),
    Stream(reqwest::Body),
}

impl Upload {
    /// Bytes in memory: the call can be retried.
    pub fn bytes(bytes: impl Into<Bytes>) -> Self {
        Self {
            content: Content::Bytes(bytes.into()),
            content_type: None,
        }
    }

    /// A stream of chunks, read while sending: nothing is held in memory, and the call is
    /// sent once (a stream can't be replayed for a retry).
    pub fn stream<S, E>(stream: S) -> Self
    where
        S: Stream<Item = Result<Bytes, E>> + Send + 'static,
        E: Into<Box<dyn std::error::Error + Send + Sync>>,
    {
        Self {
            content: Content::Stream(reqwest::Body::wrap_stream(stream)),
            content_type: None,
        }
    }

    /// The `Content-Type` to send instead of the spec's.
    pub fn content_type(mut self, content_type: impl Into<String>) -> Self {
        self.content_type = Some(content_type.into());
        self
    }
}

impl fmt::Debug for Upload {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let content = match &self.content {
            Content::Bytes(b) => format!("{} bytes", b.len()),
            Content::Stream(_) => "a stream".to_owned(),
        };
        f.debug_struct("Upload")
            .field("content", &content)
            .field("content_type", &self.content_type)
            .finish()
    }
}

impl From<Vec<u8>> for Upload {
    fn from(v: Vec<u8>) -> Self {
        Self::bytes(v)
    }
}

impl From<Bytes> for Upload {
    fn from(v: Bytes) -> Self {
        Self::bytes(v)
    }
}

impl From<&'static [u8]> for Upload {
    fn from(v: &'static [u8]) -> Self {
        Self::bytes(v)
    }
}

impl From<String> for Upload {
    fn from(v: String) -> Self {
        Self::bytes(v)
    }
}

impl From<&'static str> for Upload {
    fn from(v: &'static str) -> Self {
        Self::bytes(v)
    }
}

/// The content type to send: the caller's, else the spec's unless it is a wildcard
/// (`image/*`, `*/*`), which no server can read as a type.
pub(crate) fn content_type(chosen: Option<String>, spec: &str) -> String {
    chosen.unwrap_or_else(|| {
        if spec.contains('*') {
            "application/octet-stream".to_owned()
        } else {
            spec.to_owned()
        }
    })
}
