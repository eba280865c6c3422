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
    let announced = response.content_length();
    if announced.is_some_and(|n| n > limit_u64) {
        return Err(ReadFailure::TooLarge);
    }
    // Most answers arrive as one chunk, which is then returned as it is, without a copy. A body
    // in several chunks is gathered, with room for its announced length.
    let mut first: Option<Bytes> = None;
    let mut body = BytesMut::new();
    loop {
        let received = if body.is_empty() {
            first.as_ref().map_or(0, Bytes::len)
        } else {
            body.len()
        };
        match response.chunk().await {
            Ok(Some(chunk)) => {
                if chunk.len() > limit.saturating_sub(received) {
                    return Err(ReadFailure::TooLarge);
                }
                match &first {
                    None => first = Some(chunk),
                    Some(head) => {
                        if body.is_empty() {
                            let expected =
                                announced.and_then(|n| usize::try_from(n).ok()).unwrap_or(0);
                            body.reserve(expected.max(head.len() + chunk.len()));
                            body.extend_from_slice(head);
                        }
                        body.extend_from_slice(&chunk);
                    }
                }
            }
            Ok(None) => return Ok(gathered(first, body)),
            Err(error) => {
                return Err(ReadFailure::Broken {
                    error,
                    partial: gathered(first, body),
                });
            }
        }
    }
}

/// What arrived: the first chunk alone, or everything gathered after it.
fn gathered(first: Option<Bytes>, body: BytesMut) -> Bytes {
    match first {
        Some(first) if body.is_empty() => first,
        _ => body.freeze(),
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    use tokio::net::TcpListener;

    use super::*;

    /// Answers one request with a chunked body written piece by piece (a pause between pieces
    /// so they arrive apart), ending it properly only when `finish` is set.
    async fn answer_in_pieces(pieces: &'static [&'static str], finish: bool) -> reqwest::Response {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}/", listener.local_addr().unwrap());
        tokio::spawn(async move {
            let (mut stream, _) = listener.accept().await.unwrap();
            let mut head = Vec::new();
            let mut byte = [0u8; 1];
            while !head.ends_with(b"\r\n\r\n") && stream.read(&mut byte).await.unwrap() == 1 {
                head.push(byte[0]);
            }
            let start = "HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n";
            stream.write_all(start.as_bytes()).await.unwrap();
            for piece in pieces {
                let chunk = format!("{:x}\r\n{piece}\r\n", piece.len());
                stream.write_all(chunk.as_bytes()).await.unwrap();
                stream.flush().await.unwrap();
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
            if finish {
                stream.write_all(b"0\r\n\r\n").await.unwrap();
            }
            // Dropping the stream closes the connection, mid-body when not finished.
        });
        reqwest::get(url).await.unwrap()
    }

    const PIECES: &[&str] = &["{\"a\":", "1,", "\"b\":2}"];
    const WHOLE: &str = "{\"a\":1,\"b\":2}";

    #[tokio::test]
    async fn a_body_in_pieces_is_gathered_in_order() {
        let mut response = answer_in_pieces(PIECES, true).await;
        let body = read_limited(&mut response, 1024).await.unwrap();
        assert_eq!(body, WHOLE.as_bytes());
    }

    #[tokio::test]
    async fn every_piece_counts_against_the_limit() {
        let mut response = answer_in_pieces(PIECES, true).await;
        let read = read_limited(&mut response, WHOLE.len() - 1).await;
        assert!(matches!(read, Err(ReadFailure::TooLarge)), "{read:?}");
        let mut response = answer_in_pieces(PIECES, true).await;
        let body = read_limited(&mut response, WHOLE.len()).await.unwrap();
        assert_eq!(body, WHOLE.as_bytes());
    }

    #[tokio::test]
    async fn a_broken_body_keeps_what_arrived() {
        let mut response = answer_in_pieces(&["ab", "cd"], false).await;
        match read_limited(&mut response, 1024).await {
            Err(ReadFailure::Broken { partial, .. }) => assert_eq!(partial, "abcd".as_bytes()),
            other => panic!("expected a broken body, got {other:?}"),
        }
        let mut response = answer_in_pieces(&["ab"], false).await;
        match read_limited(&mut response, 1024).await {
            Err(ReadFailure::Broken { partial, .. }) => assert_eq!(partial, "ab".as_bytes()),
            other => panic!("expected a broken body, got {other:?}"),
        }
    }
}
