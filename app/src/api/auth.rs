//! Login, logout, first-run setup and the current user.

use leptos::prelude::*;

use crate::dto::UserView;
use crate::error::AppError;

/// The logged-in user, or `None`.
#[server(endpoint = "auth/me")]
pub async fn current_user() -> Result<Option<UserView>, AppError> {
    use crate::server::current_session_user;
    Ok(current_session_user().await?.map(UserView::from))
}

/// Checks the password, starts a session and sends the browser to `next`.
#[server(endpoint = "auth/login")]
pub async fn login(
    username: String,
    password: String,
    next: Option<String>,
) -> Result<(), AppError> {
    use std::time::Instant;

    use engine::store::AuditEvent;

    use crate::server::{app_context, client_addr, start_session};

    let ctx = app_context()?;
    let client = client_addr().await;
    let username = username.trim().to_owned();
    let user_key = format!("user:{}", username.to_lowercase());
    let keys = [user_key.clone(), format!("addr:{client}")];
    if let Some(wait) = ctx.limiter.blocked_for(&keys, Instant::now()) {
        return Err(AppError::RateLimited(format!(
            "too many failed logins; try again in {} seconds",
            wait.as_secs().max(1)
        )));
    }
    let audit = |event| AuditEvent {
        user_name: &username,
        client: &client,
        event,
        detail: "",
    };
    let Some(user) = engine::auth::authenticate(&ctx.store, &username, &password).await? else {
        ctx.limiter.record_failure(&keys, Instant::now());
        ctx.store.audit(audit("login_failed")).await?;
        return Err(AppError::Invalid("wrong user name or password".into()));
    };
    ctx.limiter.record_success(&user_key);
    ctx.store.audit(audit("login")).await?;
    start_session(&user).await?;
    leptos_axum::redirect(&safe_next(next.as_deref()));
    Ok(())
}

/// Ends the session.
#[server(endpoint = "auth/logout")]
pub async fn logout() -> Result<(), AppError> {
    use crate::server::session;
    session().await?.flush().await.map_err(|e| {
        tracing::error!(error = %e, "session flush failed");
        AppError::Internal
    })?;
    leptos_axum::redirect("/login");
    Ok(())
}

/// Whether first-run setup is still open (no account yet).
#[server(endpoint = "auth/setup_open")]
pub async fn setup_open() -> Result<bool, AppError> {
    use crate::server::app_context;
    Ok(app_context()?.store.count_users().await? == 0)
}

/// Creates the first account with the one-time setup token, then logs in.
#[server(endpoint = "auth/setup")]
pub async fn setup_account(
    token: String,
    username: String,
    password: String,
    confirm: String,
) -> Result<(), AppError> {
    use engine::store::AuditEvent;

    use crate::server::{app_context, client_addr, start_session};

    let ctx = app_context()?;
    if ctx.store.count_users().await? > 0 || !ctx.setup.matches(&token) {
        return Err(AppError::Invalid(
            "this setup link is no longer valid; log in instead".into(),
        ));
    }
    if password != confirm {
        return Err(AppError::Invalid("the two passwords differ".into()));
    }
    let username = username.trim();
    engine::auth::validate_new_account(username, &password)?;
    // Consume only after validation so a typo does not burn the link.
    if !ctx.setup.consume(&token) {
        return Err(AppError::Invalid(
            "this setup link is no longer valid".into(),
        ));
    }
    let user = engine::auth::create_user(&ctx.store, username, &password).await?;
    ctx.store
        .audit(AuditEvent {
            user_name: &user.name,
            client: &client_addr().await,
            event: "setup",
            detail: "first account created",
        })
        .await?;
    start_session(&user).await?;
    leptos_axum::redirect("/");
    Ok(())
}

/// Only same-site paths are followed after login (no open redirects).
pub fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(path) if path.starts_with('/') && !path.starts_with("//") && !path.contains('\\') => {
            path.to_owned()
        }
        _ => "/".to_owned(),
    }
}
