//! `ApiError`: REST v1 errors rendered as `{"error": {"code", "message"}}`
//! with the matching HTTP status. Internal details are logged, not sent.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::json;

/// An error answered by a REST handler or a security layer.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// No valid bearer token or session (401).
    #[error("authentication required: send a bearer token or log in")]
    Unauthorized,
    /// Refused by a security rule (403).
    #[error("{0}")]
    Forbidden(String),
    /// Unknown resource (404).
    #[error("{0}")]
    NotFound(String),
    /// The resource is not in a state that allows this (409).
    #[error("{0}")]
    Conflict(String),
    /// The body is too large (413).
    #[error("{0}")]
    TooLarge(String),
    /// The body is not valid JSON or has the wrong shape (400).
    #[error("{0}")]
    BadRequest(String),
    /// A field has an invalid value (422).
    #[error("{0}")]
    Invalid(String),
    /// Something failed inside; see the log (500).
    #[error("internal error; see the server log")]
    Internal,
}

impl ApiError {
    fn status_and_code(&self) -> (StatusCode, &'static str) {
        match self {
            Self::Unauthorized => (StatusCode::UNAUTHORIZED, "unauthorized"),
            Self::Forbidden(_) => (StatusCode::FORBIDDEN, "forbidden"),
            Self::NotFound(_) => (StatusCode::NOT_FOUND, "not_found"),
            Self::Conflict(_) => (StatusCode::CONFLICT, "conflict"),
            Self::TooLarge(_) => (StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large"),
            Self::BadRequest(_) => (StatusCode::BAD_REQUEST, "bad_request"),
            Self::Invalid(_) => (StatusCode::UNPROCESSABLE_ENTITY, "invalid"),
            Self::Internal => (StatusCode::INTERNAL_SERVER_ERROR, "internal"),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (status, code) = self.status_and_code();
        let body = json!({ "error": { "code": code, "message": self.to_string() } });
        (status, Json(body)).into_response()
    }
}

impl From<engine::Error> for ApiError {
    fn from(error: engine::Error) -> Self {
        match error {
            engine::Error::Invalid(message) => Self::Invalid(message),
            engine::Error::NotFound(what) => Self::NotFound(format!("{what} not found")),
            engine::Error::Conflict(message) => Self::Conflict(message),
            other => {
                tracing::error!(error = %other, "request failed");
                Self::Internal
            }
        }
    }
}
