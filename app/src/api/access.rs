//! Access on the Settings page: API tokens (create, shown once; list with
//! last use; revoke), the password, and the open browser sessions (list,
//! sign out one, sign out all others).

use leptos::prelude::*;

use crate::dto::{NewTokenView, SessionView, TokenView};
use crate::error::AppError;

/// The user's API tokens, newest first.
#[server(endpoint = "access/tokens")]
pub async fn list_tokens() -> Result<Vec<TokenView>, AppError> {
    use crate::server::{ago, app_context, require_user};
    let user = require_user().await?;
    let now = engine::store::now_unix();
    let tokens = app_context()?.store.list_tokens(user.id).await?;
    Ok(tokens
        .into_iter()
        .map(|token| TokenView {
            id: token.id,
            label: token.label,
            created: ago(now, token.created_at),
            last_used: token.last_used_at.map_or_else(
                || "never used".to_owned(),
                |at| format!("used {}", ago(now, at)),
            ),
        })
        .collect())
}

/// Mints a token; its secret is in the answer and nowhere else, ever.
#[server(endpoint = "access/create_token")]
pub async fn create_token(label: String) -> Result<NewTokenView, AppError> {
    use crate::server::{app_context, require_user};
    let user = require_user().await?;
    let label = label.trim();
    if label.is_empty() || label.chars().count() > 64 {
        return Err(AppError::Invalid(
            "give the token a label of 1 to 64 characters".into(),
        ));
    }
    let secret = engine::auth::create_token(&app_context()?.store, &user.name, label).await?;
    Ok(NewTokenView {
        label: label.to_owned(),
        secret,
    })
}

/// Revokes a token: requests with it get 401 from now on.
#[server(endpoint = "access/revoke_token")]
pub async fn revoke_token(id: i64) -> Result<(), AppError> {
    use crate::server::{app_context, require_user};
    let user = require_user().await?;
    let ctx = app_context()?;
    if ctx.store.revoke_token(user.id, id).await? {
        ctx.tokens.forget_all();
        Ok(())
    } else {
        Err(AppError::NotFound(format!("token {id}")))
    }
}

/// Changes the password; every other session of the user ends.
#[server(endpoint = "access/change_password")]
pub async fn change_password(
    current: String,
    new: String,
    confirm: String,
) -> Result<String, AppError> {
    use crate::server::{app_context, keep_only_this_session, require_user};
    let user = require_user().await?;
    if new != confirm {
        return Err(AppError::Invalid("the two new passwords differ".into()));
    }
    let ctx = app_context()?;
    let max_failures = ctx.config.server.login_failures_before_lockout;
    let epoch =
        engine::auth::change_password(&ctx.store, &user, &current, &new, max_failures).await?;
    keep_only_this_session(user.id, epoch).await?;
    Ok("password changed; your other sessions are signed out".to_owned())
}

/// Ends every session of the user but this one.
#[server(endpoint = "access/sign_out_others")]
pub async fn sign_out_other_sessions() -> Result<String, AppError> {
    use crate::server::{app_context, keep_only_this_session, require_user};
    let user = require_user().await?;
    let epoch = app_context()?.store.bump_session_epoch(user.id).await?;
    let ended = keep_only_this_session(user.id, epoch).await?;
    Ok(match ended {
        1 => "every other session is signed out (1 was open)".to_owned(),
        n => format!("every other session is signed out ({n} were open)"),
    })
}

/// The user's open browser sessions: this one, then the others, most
/// recently active first.
#[server(endpoint = "access/sessions")]
pub async fn list_sessions() -> Result<Vec<SessionView>, AppError> {
    use crate::server::{
        ago, app_context, current_browser_session, describe_browser, require_user,
    };
    let user = require_user().await?;
    let ctx = app_context()?;
    let now = engine::store::now_unix();
    let idle = i64::from(ctx.config.server.session_idle_hours) * 3600;
    let current = current_browser_session().await?;
    let mut sessions = ctx.store.open_browser_sessions(user.id, now - idle).await?;
    // This session first, then the others by their last activity.
    sessions.sort_by_key(|session| Some(session.id) != current);
    Ok(sessions
        .into_iter()
        .map(|session| SessionView {
            id: session.id,
            browser: describe_browser(&session.user_agent),
            address: session.address,
            started: ago(now, session.started_at),
            last_seen: ago(now, session.last_seen_at),
            current: Some(session.id) == current,
        })
        .collect())
}

/// Signs out one of the user's other browser sessions.
#[server(endpoint = "access/end_session")]
pub async fn end_session(id: i64) -> Result<String, AppError> {
    use crate::server::{app_context, current_browser_session, require_user};
    let user = require_user().await?;
    if Some(id) == current_browser_session().await? {
        return Err(AppError::Invalid(
            "that is this session: use Log out instead".into(),
        ));
    }
    if app_context()?
        .store
        .end_browser_session(user.id, id)
        .await?
    {
        Ok("that session is signed out".to_owned())
    } else {
        Err(AppError::NotFound(format!("no open session {id}")))
    }
}
