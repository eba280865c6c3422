//! Request bodies: what a call sends, built once per call and sent by every attempt.
//!
//! JSON, form and text bodies are bytes made once. Binary uploads are bytes or a stream, and
//! multipart bodies are rebuilt per attempt from their parts. A stream can be sent only once,
//! so a call with one is not retried after its first attempt.

mod form;
mod multipart;
mod upload;

pub use form::FormField;
pub(crate) use form::form_bytes;
pub use multipart::{FilePart, Multipart};
pub use upload::Upload;
pub(crate) use upload::{Content, content_type as upload_content_type};

use std::sync::{Arc, Mutex};

use bytes::Bytes;

/// A body ready to send.
#[derive(Clone)]
pub(crate) enum RequestBody {
    /// Bytes with their content type: sendable any number of times.
    Bytes { bytes: Bytes, content_type: String },
    /// A stream, taken by the first attempt.
    Stream {
        stream: Arc<Mutex<Option<reqwest::Body>>>,
        content_type: String,
    },
    /// Multipart parts.
    Multipart(Multipart),
}

impl RequestBody {
    /// True when every attempt can send it again.
    pub(crate) fn repeatable(&self) -> bool {
        match self {
            Self::Bytes { .. } => true,
            Self::Stream { .. } => false,
            Self::Multipart(m) => m.repeatable(),
        }
    }

    /// Puts the body on a request for one attempt.
    pub(crate) fn attach(
        &self,
        request: reqwest::RequestBuilder,
    ) -> Result<reqwest::RequestBuilder, String> {
        Ok(match self {
            Self::Bytes {
                bytes,
                content_type,
            } => request
                .header(reqwest::header::CONTENT_TYPE, content_type.as_str())
                .body(bytes.clone()),
            Self::Stream {
                stream,
                content_type,
            } => {
                let taken = stream
                    .lock()
                    .map_err(|_| "the streamed body is unavailable".to_owned())?
                    .take()
                    .ok_or_else(|| {
                        "the streamed body was already sent; a stream can be sent once".to_owned()
                    })?;
                request
                    .header(reqwest::header::CONTENT_TYPE, content_type.as_str())
                    .body(taken)
            }
            Self::Multipart(m) => request.multipart(m.form()?),
        })
    }
}
