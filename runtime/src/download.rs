//! Downloads read as they arrive: a call's answer handed out before its body is read.

use std::fmt;

use bytes::Bytes;
use reqwest::header::HeaderMap;

use crate::call::{Call, Prepared};
use crate::error::{Error, ErrorBody, TransportError};
use crate::send::Head;

impl<E: ErrorBody> Call<Bytes, E> {
    /// Sends the call (with retries, up to the answer's head) and returns the body unread,
    /// to stream a large download without holding it in memory. The body is not held to the
    /// response size limit (it is never held whole), and the call's deadline covers the call up
    /// to the answer's head; reading the body stays bounded by the attempt's timeout.
    pub async fn download(self) -> Result<Download, Error<E>> {
        self.with_retries(async |call: &Self, p: &Prepared, timeout| {
            Ok(Download {
                head: call.respond(p, timeout).await?,
                idempotency_key: p.key.clone(),
            })
        })
        .await
    }
}

/// A successful answer whose body is read as it arrives; see [`Call::download`].
pub struct Download {
    head: Head,
    idempotency_key: Option<String>,
}

impl Download {
    /// The HTTP status.
    pub fn status(&self) -> reqwest::StatusCode {
        self.head.status
    }

    /// The response headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.head.headers
    }

    /// The `x-request-id` response header.
    pub fn request_id(&self) -> Option<&str> {
        self.head.request_id.as_deref()
    }

    /// The idempotency key every attempt carried, if the call had one.
    pub fn idempotency_key(&self) -> Option<&str> {
        self.idempotency_key.as_deref()
    }

    /// The next chunk of the body, `None` at its end.
    pub async fn chunk(&mut self) -> Result<Option<Bytes>, TransportError> {
        self.head
            .response
            .chunk()
            .await
            .map_err(self.head.transport)
    }

    /// The body as a stream of chunks.
    pub fn into_stream(self) -> impl futures_core::Stream<Item = Result<Bytes, TransportError>> {
        use futures_util::StreamExt as _;
        let transport = self.head.transport;
        self.head
            .response
            .bytes_stream()
            .map(move |r| r.map_err(transport))
    }
}

impl fmt::Debug for Download {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Download")
            .field("status", &self.head.status)
            .field("request_id", &self.head.request_id)
            .finish_non_exhaustive()
    }
}
