//! Reading a response body whole, under the call's size limit.

use bytes::{Bytes, BytesMut};

/// The default limit on a response body read whole: 16 MiB, far above any JSON answer the API
/// sends, and small enough that a broken or hostile server can't exhaust memory. Streamed
/// downloads (`Call::download`) are not limited.
pub const DEFAULT_MAX_RESPONSE_BODY: usize = 16 << 20;

/// Why a body could not be read whole.
#[derive(Debug)]
pub(crate) enum ReadFailure {
    /// The body is larger than the limit: announced by `Content-Length`, or counted as it
    /// arrived. The rest is not read.
    TooLarge,
    /// The connection failed or timed out before the end of the body.
    Broken {
        error: reqwest::Error,
        /// What arrived before the failure.
        partial: Bytes,
    },
}

/// Reads the whole body of `response`, failing as soon as it is known to be over `limit`.
pub(crate) async fn read_limited(
    response: &mut reqwest::Response,
    limit: usize,
) -> Result<Bytes, ReadFailure> {
    let limit_u64 = u64::try_from(limit).unwrap_or(u64::MAX);
    if response.content_length().is_some_and(|n| n > limit_u64) {
        return Err(ReadFailure::TooLarge);
    }
    let mut body = BytesMut::new();
    loop {
        match response.chunk().await {
            Ok(Some(chunk)) => {
                if chunk.len() > limit.saturating_sub(body.len()) {
                    return Err(ReadFailure::TooLarge);
                }
                body.extend_from_slice(&chunk);
            }
            Ok(None) => return Ok(body.freeze()),
            Err(error) => {
                return Err(ReadFailure::Broken {
                    error,
                    partial: body.freeze(),
                });
            }
        }
    }
}
