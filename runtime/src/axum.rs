//! An `axum` extractor for signed webhook requests (feature `axum`).
//!
//! [`Verified<E>`] reads the raw body and `E`'s signature header, verifies them against the
//! [`WebhookSecret`] in the router's state (through `FromRef`) and yields the typed event; a
//! request that fails is answered by [`WebhookRejection`] and never reaches the handler.

use axum::body::Bytes;
use axum::extract::{FromRef, FromRequest, Request};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

use crate::webhook::{SignedEvent, WebhookError, WebhookSecret};

/// A webhook event whose signature checked out, decoded as `E` (the generated event enum).
#[derive(Debug, Clone)]
pub struct Verified<E>(pub E);

/// Why [`Verified`] refused a request, and the status it answers with: 401 for a missing,
/// malformed or wrong signature; 422 for a signed body that is not an event this client can
/// read (the sender delivers it again, so no event is lost while the client is updated); 500
/// when the endpoint's secret is blank, a configuration error; and the body's own rejection
/// when it could not be read.
#[derive(Debug)]
pub enum WebhookRejection {
    /// The signature or the body failed [`SignedEvent::verify_and_parse`].
    Webhook(WebhookError),
    /// The body could not be read (too large, or the connection failed).
    Body(axum::extract::rejection::BytesRejection),
}

impl IntoResponse for WebhookRejection {
    fn into_response(self) -> Response {
        let status = match &self {
            Self::Webhook(WebhookError::InvalidBody { .. }) => StatusCode::UNPROCESSABLE_ENTITY,
            Self::Webhook(WebhookError::EmptySecret) => StatusCode::INTERNAL_SERVER_ERROR,
            Self::Webhook(_) => StatusCode::UNAUTHORIZED,
            Self::Body(rejection) => return rejection.status().into_response(),
        };
        status.into_response()
    }
}

impl<S, E> FromRequest<S> for Verified<E>
where
    S: Send + Sync,
    WebhookSecret: FromRef<S>,
    E: SignedEvent,
{
    type Rejection = WebhookRejection;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        // A header that isn't valid UTF-8 stays a (malformed) signature, not a missing one.
        let signature = request
            .headers()
            .get(E::SIGNATURE_HEADER)
            .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned());
        let body = Bytes::from_request(request, state)
            .await
            .map_err(WebhookRejection::Body)?;
        let secret = WebhookSecret::from_ref(state);
        E::verify_and_parse(&body, signature.as_deref(), &secret)
            .map(Verified)
            .map_err(WebhookRejection::Webhook)
    }
}
