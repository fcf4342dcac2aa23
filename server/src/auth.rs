//! Request authentication for the server: the page guard that sends
//! logged-out browsers to the login page, and the [`ApiUser`] extractor that
//! accepts a bearer token or a session cookie for REST v1 and the event socket.

use axum::extract::{FromRef, FromRequestParts, Request, State};
use axum::http::header;
use axum::http::request::Parts;
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use engine::store::User;
use tower_sessions::Session;

use app::server::AppContext;

use crate::error::ApiError;

/// Paths anyone may load: login, setup, health and static assets.
fn is_public(path: &str) -> bool {
    matches!(
        path,
        "/login" | "/setup" | "/health" | "/favicon.svg" | "/favicon.ico"
    ) || path.starts_with("/pkg/")
        || path.starts_with("/api/")
        || path.starts_with("/ws/")
}

/// The session's user, if the session is valid, current and the user still exists.
pub async fn session_user(ctx: &AppContext, session: &Session) -> Result<Option<User>, ApiError> {
    app::server::user_of_session(ctx, session)
        .await
        .map_err(|_| ApiError::Internal)
}

/// Redirects page requests without a session to `/login?next=…`.
/// Server functions and REST handlers check for themselves (they answer 401).
pub async fn require_page_session(
    State(ctx): State<AppContext>,
    session: Session,
    request: Request,
    next: Next,
) -> Response {
    let path = request.uri().path();
    if is_public(path) {
        return next.run(request).await;
    }
    match session_user(&ctx, &session).await {
        Ok(Some(_)) => next.run(request).await,
        Ok(None) => {
            let target = request.uri().path_and_query().map_or("/", |p| p.as_str());
            let next_param = urlencode(target);
            Redirect::to(&format!("/login?next={next_param}")).into_response()
        }
        Err(error) => error.into_response(),
    }
}

fn urlencode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => {
                char::from(b).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// The authenticated caller of a REST v1 endpoint or WebSocket.
#[derive(Debug, Clone)]
pub struct ApiUser(pub User);

impl<S> FromRequestParts<S> for ApiUser
where
    S: Send + Sync,
    AppContext: FromRef<S>,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let ctx = AppContext::from_ref(state);
        if let Some(value) = parts.headers.get(header::AUTHORIZATION) {
            let token = value
                .to_str()
                .ok()
                .and_then(|v| v.strip_prefix("Bearer "))
                .ok_or(ApiError::Unauthorized)?;
            return ctx
                .tokens
                .user(&ctx.store, token.trim())
                .await?
                .map(ApiUser)
                .ok_or(ApiError::Unauthorized);
        }
        let session = Session::from_request_parts(parts, state)
            .await
            .map_err(|_| ApiError::Unauthorized)?;
        session_user(&ctx, &session)
            .await?
            .map(ApiUser)
            .ok_or(ApiError::Unauthorized)
    }
}
