//! `AppError`: what a server function may tell the browser. Engine errors are
//! turned into safe, user-facing variants here; details go to the log only.

use leptos::server_fn::codec::JsonEncoding;
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use serde::{Deserialize, Serialize};

/// A user-facing error from a server function.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    /// No valid session: log in again.
    #[error("please log in")]
    Unauthorized,
    /// The input was rejected; the message says why.
    #[error("{0}")]
    Invalid(String),
    /// Too many attempts; the message says when to retry.
    #[error("{0}")]
    RateLimited(String),
    /// The thing asked for does not exist.
    #[error("{0} not found")]
    NotFound(String),
    /// Something failed on the server; details are in the server log.
    #[error("something went wrong on the server; see the server log")]
    Internal,
    /// The request never reached the server function (network, decoding).
    #[error("request failed: {0}")]
    Transport(String),
}

impl AppError {
    /// The HTTP status a page or response answers with for this error.
    pub fn http_status(&self) -> u16 {
        match self {
            Self::Unauthorized => 401,
            Self::Invalid(_) => 400,
            Self::RateLimited(_) => 429,
            Self::NotFound(_) => 404,
            Self::Internal => 500,
            Self::Transport(_) => 502,
        }
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        Self::Transport(value.to_string())
    }
}

#[cfg(feature = "ssr")]
impl From<engine::Error> for AppError {
    fn from(error: engine::Error) -> Self {
        match error {
            engine::Error::Invalid(message) | engine::Error::Conflict(message) => {
                Self::Invalid(message)
            }
            engine::Error::NotFound(what) => Self::NotFound(what),
            other => {
                tracing::error!(error = %other, "server function failed");
                Self::Internal
            }
        }
    }
}
