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
    use engine::auth::LoginOutcome;
    use engine::store::AuditEvent;

    use crate::server::{app_context, client_addr, start_session};

    let ctx = app_context()?;
    let client = client_addr().await;
    let username = username.trim().to_owned();
    let audit = |event| AuditEvent {
        user_name: &username,
        client: &client,
        event,
        detail: "",
    };
    let max_failures = ctx.config.server.login_failures_before_lockout;
    let user = match engine::auth::login(&ctx.store, &username, &password, max_failures).await? {
        LoginOutcome::LoggedIn(user) => user,
        LoginOutcome::Refused => {
            ctx.store.audit(audit("login_failed")).await?;
            return Err(AppError::Invalid("wrong user name or password".into()));
        }
        LoginOutcome::Locked { wait_secs } => {
            ctx.store.audit(audit("login_locked")).await?;
            return Err(AppError::RateLimited(format!(
                "too many failed logins for `{username}`; try again in {}, or unlock it now \
                 on the server with `devos user unlock {username}`",
                wait_text(wait_secs)
            )));
        }
    };
    ctx.store.audit(audit("login")).await?;
    start_session(&user).await?;
    leptos_axum::redirect(&safe_next(next.as_deref()));
    Ok(())
}

/// Ends the session.
#[server(endpoint = "auth/logout")]
pub async fn logout() -> Result<(), AppError> {
    use crate::server::{app_context, current_browser_session, current_session_user, session};
    if let (Some(user), Some(browser)) = (
        current_session_user().await?,
        current_browser_session().await?,
    ) {
        app_context()?
            .store
            .end_browser_session(user.id, browser)
            .await?;
    }
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

/// "45 seconds", "3 minutes": how long a locked account waits.
#[cfg(feature = "ssr")]
fn wait_text(secs: i64) -> String {
    match secs {
        ..=1 => "1 second".to_owned(),
        2..=90 => format!("{secs} seconds"),
        _ => format!("{} minutes", (secs + 59) / 60),
    }
}

/// Only same-origin paths are followed after login (no open redirects):
/// one leading `/`, no backslash (browsers read it as `/`) and no control
/// character (browsers drop tabs and newlines, so `/\t/evil` is `//evil`).
pub fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(path)
            if path.starts_with('/')
                && !path.starts_with("//")
                && !path.contains('\\')
                && !path.chars().any(char::is_control) =>
        {
            path.to_owned()
        }
        _ => "/".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::safe_next;

    #[test]
    fn next_accepts_only_same_origin_paths() {
        assert_eq!(safe_next(Some("/history?page=2")), "/history?page=2");
        for hostile in [
            "//evil.example",
            "/\\evil.example",
            "\\\\evil.example",
            "/\t/evil.example",
            "/\n/evil.example",
            "/\u{7f}x",
            "https://evil.example",
            "evil",
            "",
        ] {
            assert_eq!(safe_next(Some(hostile)), "/", "{hostile:?}");
        }
        assert_eq!(safe_next(None), "/");
    }
}
