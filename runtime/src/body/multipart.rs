//! `multipart/form-data` bodies: text parts, JSON parts and files.

use std::fmt;
use std::sync::{Arc, Mutex};

use bytes::Bytes;
use serde::Serialize;

use super::upload::{Content, Upload};

/// A file to send as one part: bytes or a stream, with a file name and a content type.
pub struct FilePart {
    upload: Upload,
    file_name: Option<String>,
}

impl FilePart {
    /// A file from bytes in memory.
    pub fn bytes(bytes: impl Into<Bytes>) -> Self {
        Self::from(Upload::bytes(bytes))
    }

    /// The file's name, sent in the part's `Content-Disposition`.
    pub fn file_name(mut self, name: impl Into<String>) -> Self {
        self.file_name = Some(name.into());
        self
    }

    /// The part's `Content-Type` (default: the spec's, else `application/octet-stream`).
    pub fn content_type(mut self, content_type: impl Into<String>) -> Self {
        self.upload = self.upload.content_type(content_type);
        self
    }
}

impl From<Upload> for FilePart {
    fn from(upload: Upload) -> Self {
        Self {
            upload,
            file_name: None,
        }
    }
}

impl fmt::Debug for FilePart {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FilePart")
            .field("upload", &self.upload)
            .field("file_name", &self.file_name)
            .finish()
    }
}

/// A part's content, kept so that each attempt can build the form again.
#[derive(Clone)]
enum PartContent {
    Bytes(Bytes),
    /// Taken by the first attempt.
    Stream(Arc<Mutex<Option<reqwest::Body>>>),
}

#[derive(Clone)]
struct Part {
    name: String,
    content: PartContent,
    file_name: Option<String>,
    content_type: Option<String>,
}

/// The parts of a multipart body, in the order they are sent. Generated code builds it from
/// the request type; a problem (a value that can't be JSON) is reported when the call is sent.
#[derive(Clone, Default)]
pub struct Multipart {
    parts: Vec<Part>,
    problem: Option<String>,
}

impl Multipart {
    /// No parts yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// A text part.
    pub fn text(mut self, name: &str, value: impl Into<String>) -> Self {
        self.parts.push(Part {
            name: name.to_owned(),
            content: PartContent::Bytes(Bytes::from(value.into())),
            file_name: None,
            content_type: None,
        });
        self
    }

    /// A value sent as its JSON text, with the content type `application/json` unless the
    /// spec names another.
    pub fn json<T: Serialize + ?Sized>(
        mut self,
        name: &str,
        value: &T,
        content_type: Option<&str>,
    ) -> Self {
        match serde_json::to_vec(value) {
            Ok(bytes) => self.parts.push(Part {
                name: name.to_owned(),
                content: PartContent::Bytes(Bytes::from(bytes)),
                file_name: None,
                content_type: Some(content_type.unwrap_or("application/json").to_owned()),
            }),
            Err(e) => {
                self.problem
                    .get_or_insert_with(|| format!("could not serialize part `{name}`: {e}"));
            }
        }
        self
    }

    /// A file part; `spec_type` is the content type the spec gives the part, used when the
    /// file sets none.
    pub fn file(mut self, name: &str, file: FilePart, spec_type: Option<&str>) -> Self {
        let FilePart { upload, file_name } = file;
        let content_type = upload
            .content_type
            .or_else(|| {
                // The spec may list several types (`image/png, image/jpeg`): the first is sent.
                spec_type
                    .and_then(|t| t.split(',').next())
                    .map(str::trim)
                    .filter(|t| !t.is_empty() && !t.contains('*'))
                    .map(str::to_owned)
            })
            .unwrap_or_else(|| "application/octet-stream".to_owned());
        let content = match upload.content {
            Content::Bytes(b) => PartContent::Bytes(b),
            Content::Stream(s) => PartContent::Stream(Arc::new(Mutex::new(Some(s)))),
        };
        self.parts.push(Part {
            name: name.to_owned(),
            content,
            // Servers commonly read a part as a file only when it has a file name.
            file_name: Some(file_name.unwrap_or_else(|| name.to_owned())),
            content_type: Some(content_type),
        });
        self
    }

    pub(crate) fn repeatable(&self) -> bool {
        self.parts
            .iter()
            .all(|p| matches!(p.content, PartContent::Bytes(_)))
    }

    /// The form for one attempt.
    pub(crate) fn form(&self) -> Result<reqwest::multipart::Form, String> {
        if let Some(problem) = &self.problem {
            return Err(problem.clone());
        }
        let mut form = reqwest::multipart::Form::new();
        for p in &self.parts {
            let mut part = match &p.content {
                PartContent::Bytes(b) => {
                    reqwest::multipart::Part::stream(reqwest::Body::from(b.clone()))
                }
                PartContent::Stream(s) => {
                    let body = s
                        .lock()
                        .map_err(|_| "a streamed part is unavailable".to_owned())?
                        .take()
                        .ok_or_else(|| {
                            format!("part `{}` was a stream and was already sent", p.name)
                        })?;
                    reqwest::multipart::Part::stream(body)
                }
            };
            if let Some(name) = &p.file_name {
                part = part.file_name(name.clone());
            }
            if let Some(t) = &p.content_type {
                part = part
                    .mime_str(t)
                    .map_err(|_| format!("invalid content type `{t}` for part `{}`", p.name))?;
            }
            form = form.part(p.name.clone(), part);
        }
        Ok(form)
    }
}

impl fmt::Debug for Multipart {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names: Vec<&str> = self.parts.iter().map(|p| p.name.as_str()).collect();
        f.debug_struct("Multipart").field("parts", &names).finish()
    }
}
