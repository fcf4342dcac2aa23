//! `ApiJson<T>`: a JSON body extractor whose rejections are our JSON errors
//! (400 malformed, 413 too large, 415 wrong content type, 422 wrong fields).

use axum::extract::rejection::JsonRejection;
use axum::extract::{FromRequest, Request};
use axum::http::StatusCode;
use serde::de::DeserializeOwned;

use crate::error::ApiError;

/// Largest accepted request body.
pub const MAX_BODY_BYTES: usize = 64 * 1024;

/// A JSON body.
#[derive(Debug)]
pub struct ApiJson<T>(pub T);

impl<S, T> FromRequest<S> for ApiJson<T>
where
    S: Send + Sync,
    T: DeserializeOwned,
{
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        match axum::Json::<T>::from_request(request, state).await {
            Ok(axum::Json(value)) => Ok(Self(value)),
            Err(rejection) => Err(reject(&rejection)),
        }
    }
}

fn reject(rejection: &JsonRejection) -> ApiError {
    let detail = rejection.body_text();
    match rejection.status() {
        StatusCode::PAYLOAD_TOO_LARGE => ApiError::TooLarge(format!(
            "the request body is larger than {MAX_BODY_BYTES} bytes"
        )),
        StatusCode::UNPROCESSABLE_ENTITY => ApiError::Invalid(detail),
        StatusCode::UNSUPPORTED_MEDIA_TYPE => ApiError::BadRequest(
            "send the body as JSON with `Content-Type: application/json`".into(),
        ),
        _ => ApiError::BadRequest(format!("the body is not valid JSON: {detail}")),
    }
}
