//! Server-only helpers for server functions: the shared [`AppContext`], the
//! [`require_user`] guard, and session access. Compiled only with `ssr`.

use std::net::SocketAddr;
use std::sync::Arc;

use axum::extract::ConnectInfo;
use engine::auth::SetupToken;
use engine::config::Config;
use engine::pipeline::Engine;
use engine::store::{Store, User};
use leptos::prelude::*;
use tower_sessions::Session;

use crate::error::AppError;

/// Session key holding the logged-in user's id.
pub const SESSION_USER_ID: &str = "user_id";
/// Session key holding the user's session epoch when the session began.
pub const SESSION_EPOCH: &str = "epoch";

/// Session key holding the session's `browser_sessions` row (absent in
/// sessions started before that table existed).
pub const SESSION_BROWSER: &str = "browser";

/// Everything server functions and REST handlers share. Cheap to clone.
#[derive(Debug, Clone)]
pub struct AppContext {
    /// The database.
    pub store: Store,
    /// The loaded configuration.
    pub config: Arc<Config>,
    /// The first-run setup token (empty once an account exists).
    pub setup: Arc<SetupToken>,
    /// The job engine.
    pub engine: Arc<Engine>,
    /// Bearer tokens checked in the last second (`engine::auth::TokenCache`).
    pub tokens: Arc<engine::auth::TokenCache>,
}

/// The shared context; provided by the server for every SSR render and server function.
pub fn app_context() -> Result<AppContext, AppError> {
    use_context::<AppContext>().ok_or_else(|| {
        tracing::error!("AppContext missing: the server did not provide it");
        AppError::Internal
    })
}

/// The login session of the current request.
pub async fn session() -> Result<Session, AppError> {
    leptos_axum::extract::<Session>().await.map_err(|e| {
        tracing::error!(error = %e, "session layer missing");
        AppError::Internal
    })
}

/// The client's address, for rate limiting and the audit log.
pub async fn client_addr() -> String {
    leptos_axum::extract::<ConnectInfo<SocketAddr>>()
        .await
        .map_or_else(|_| "unknown".to_owned(), |info| info.0.ip().to_string())
}

/// The user of `session`, if it is logged in, the user still exists and
/// the session was made in the user's current epoch (a password change or
/// "sign out other sessions" ends the older ones). Pages, server functions,
/// REST and the event socket all ask this.
pub async fn user_of_session(
    ctx: &AppContext,
    session: &Session,
) -> Result<Option<User>, AppError> {
    let Some(user_id) = session
        .get::<i64>(SESSION_USER_ID)
        .await
        .map_err(session_store_failed)?
    else {
        return Ok(None);
    };
    let epoch = session
        .get::<i64>(SESSION_EPOCH)
        .await
        .map_err(session_store_failed)?
        .unwrap_or(0);
    let browser = session
        .get::<i64>(SESSION_BROWSER)
        .await
        .map_err(session_store_failed)?;
    if let Some(browser) = browser
        && !ctx.store.touch_browser_session(user_id, browser).await?
    {
        return Ok(None);
    }
    Ok(ctx
        .store
        .user_with_session_epoch(user_id)
        .await?
        .and_then(|(user, current)| (current == epoch).then_some(user)))
}

/// The current session's `browser_sessions` row, if it has one.
pub async fn current_browser_session() -> Result<Option<i64>, AppError> {
    session()
        .await?
        .get::<i64>(SESSION_BROWSER)
        .await
        .map_err(session_store_failed)
}

/// The user of the current session, if any.
pub async fn current_session_user() -> Result<Option<User>, AppError> {
    user_of_session(&app_context()?, &session().await?).await
}

/// The guard every protected server function calls first.
pub async fn require_user() -> Result<User, AppError> {
    current_session_user().await?.ok_or(AppError::Unauthorized)
}

/// Starts a fresh session for `user` (a new id defeats session fixation).
pub async fn start_session(user: &User) -> Result<(), AppError> {
    let session = session().await?;
    session.cycle_id().await.map_err(session_store_failed)?;
    let store = app_context()?.store;
    let epoch = store.session_epoch(user.id).await?;
    let agent = leptos_axum::extract::<axum::http::HeaderMap>()
        .await
        .ok()
        .and_then(|headers| {
            let agent = headers.get(axum::http::header::USER_AGENT)?;
            agent.to_str().ok().map(str::to_owned)
        })
        .unwrap_or_default();
    let browser = store
        .start_browser_session(user.id, &client_addr().await, &agent)
        .await?;
    session
        .insert(SESSION_USER_ID, user.id)
        .await
        .map_err(session_store_failed)?;
    session
        .insert(SESSION_BROWSER, browser)
        .await
        .map_err(session_store_failed)?;
    keep_session_in_epoch(epoch).await
}

/// Moves the current session into `epoch` (after it started a new one).
async fn keep_session_in_epoch(epoch: i64) -> Result<(), AppError> {
    session()
        .await?
        .insert(SESSION_EPOCH, epoch)
        .await
        .map_err(session_store_failed)
}

/// After `user_id`'s session epoch moved to `epoch` (a password change,
/// "sign out other sessions"): keeps the current session in it and ends
/// every other browser session's row. Returns how many rows ended.
pub async fn keep_only_this_session(user_id: i64, epoch: i64) -> Result<u64, AppError> {
    keep_session_in_epoch(epoch).await?;
    let current = current_browser_session().await?;
    Ok(app_context()?
        .store
        .end_browser_sessions_except(user_id, current)
        .await?)
}

fn session_store_failed(error: tower_sessions::session::Error) -> AppError {
    tracing::error!(%error, "session store failed");
    AppError::Internal
}

/// Sets the page's Content-Security-Policy with the nonce Leptos put on its
/// own inline scripts, so no other inline script can run.
pub fn set_content_security_policy() {
    let (Some(nonce), Some(response)) = (
        leptos::nonce::use_nonce(),
        use_context::<leptos_axum::ResponseOptions>(),
    ) else {
        return;
    };
    let policy = format!(
        "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; \
         style-src 'self'; img-src 'self' data:; connect-src 'self'; object-src 'none'; \
         base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    );
    if let Ok(value) = axum::http::HeaderValue::from_str(&policy) {
        response.insert_header(axum::http::header::CONTENT_SECURITY_POLICY, value);
    }
}

/// Turns a context snapshot into the console panel's lines.
pub fn context_panel_view(
    cwd: &std::path::Path,
    snapshot: &engine::context::ContextSnapshot,
) -> crate::dto::ContextPanelView {
    let directory = snapshot.directory.as_ref().map(|dir| {
        let kinds: Vec<String> = dir
            .by_category
            .iter()
            .filter(|c| c.files > 0)
            .map(|c| format!("{} {:?}", c.files, c.category).to_lowercase())
            .collect();
        format!(
            "{} files in {} folders, {} · {}",
            dir.files,
            dir.dirs,
            engine::fsops::human_bytes(dir.total_bytes),
            kinds.join(", ")
        )
    });
    let repo = snapshot.repo.as_ref().map(|repo| {
        let branch = repo.branch.clone().unwrap_or_else(|| "(detached)".into());
        let upstream = repo.upstream.as_ref().map_or_else(String::new, |u| {
            format!(" · {} ahead, {} behind {}", u.ahead, u.behind, u.name)
        });
        format!(
            "git: {branch}{upstream} · {} staged, {} changed, {} untracked",
            repo.staged.count, repo.unstaged.count, repo.untracked.count
        )
    });
    let recent = snapshot
        .directory
        .as_ref()
        .map(|dir| {
            dir.recent
                .iter()
                .take(6)
                .map(|change| {
                    let path = change.path.strip_prefix(cwd).unwrap_or(&change.path);
                    format!("{:?} {}", change.kind, path.display()).to_lowercase()
                })
                .collect()
        })
        .unwrap_or_default();
    let processes = snapshot
        .processes
        .as_ref()
        .map(|p| {
            p.top
                .iter()
                .take(5)
                .map(|proc| {
                    format!(
                        "{} (pid {}) {:.0}% cpu, {}",
                        proc.name,
                        proc.pid,
                        proc.cpu_percent,
                        engine::fsops::human_bytes(proc.memory_bytes)
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    let entries = snapshot
        .entries
        .iter()
        .take(8)
        .map(|entry| match entry.kind {
            engine::context::EntryKind::Dir => format!("{}/", entry.name),
            engine::context::EntryKind::File => {
                format!(
                    "{} ({})",
                    entry.name,
                    engine::fsops::human_bytes(entry.size)
                )
            }
        })
        .collect();
    let is_readable = directory.is_some() || repo.is_some();
    let note = if is_readable {
        snapshot.is_read_on_demand.then(|| {
            "Outside the watched workspace roots: read on demand for each job (bounded, \
             reused briefly). Watch it to index it and follow its changes."
                .to_owned()
        })
    } else {
        Some("DevOS cannot read this directory.".to_owned())
    };
    // Profile and region only: the environment probe never reads keys.
    let aws = snapshot
        .environment
        .as_ref()
        .and_then(|env| env.aws.as_ref())
        .map(|aws| {
            format!(
                "AWS: profile {}, region {}",
                aws.profile.as_deref().unwrap_or("(none)"),
                aws.region.as_deref().unwrap_or("(not set)")
            )
        });
    crate::dto::ContextPanelView {
        cwd: cwd.display().to_string(),
        directory,
        repo,
        aws,
        entries,
        recent,
        processes,
        note,
        can_watch: is_readable && snapshot.is_read_on_demand,
    }
}

impl AppContext {
    /// The folder the console's working-directory box names: `~` forms
    /// resolved against the home, empty meaning the default workspace root.
    pub fn console_dir(&self, dir: &str) -> std::path::PathBuf {
        let dir = dir.trim();
        if dir.is_empty() {
            self.config.default_cwd().to_path_buf()
        } else {
            expand_home(dir, self.engine.home())
        }
    }
}

/// `~`, `~/x` and `~name/x` resolved; other paths as given.
pub fn expand_home(path: &str, home: &std::path::Path) -> std::path::PathBuf {
    engine::typed_path::expand_tilde(path, home).unwrap_or_else(|| std::path::PathBuf::from(path))
}

/// A User-Agent in a few words: "Firefox on Linux", "Chrome on Android".
pub fn describe_browser(user_agent: &str) -> String {
    // Order matters: Edge and Opera also say Chrome, Chrome also says Safari.
    const BROWSERS: [(&str, &str); 7] = [
        ("Edg/", "Edge"),
        ("OPR/", "Opera"),
        ("Firefox/", "Firefox"),
        ("Chromium/", "Chromium"),
        ("Chrome/", "Chrome"),
        ("Safari/", "Safari"),
        ("curl/", "curl"),
    ];
    const SYSTEMS: [(&str, &str); 7] = [
        ("Android", "Android"),
        ("iPhone", "iOS"),
        ("iPad", "iPadOS"),
        ("Windows", "Windows"),
        ("Mac OS X", "macOS"),
        ("CrOS", "ChromeOS"),
        ("Linux", "Linux"),
    ];
    let find = |table: &[(&str, &'static str)]| {
        table
            .iter()
            .find(|(marker, _)| user_agent.contains(marker))
            .map(|(_, name)| *name)
    };
    match (find(&BROWSERS), find(&SYSTEMS)) {
        (Some(browser), Some(system)) => format!("{browser} on {system}"),
        (Some(browser), None) => browser.to_owned(),
        (None, Some(system)) => format!("a browser on {system}"),
        (None, None) if user_agent.trim().is_empty() => "an unnamed client".to_owned(),
        (None, None) => "another client".to_owned(),
    }
}

/// "just now", "5 minutes ago", "3 days ago".
pub fn ago(now: i64, then: i64) -> String {
    let secs = (now - then).max(0);
    let (count, unit) = match secs {
        0..60 => return "just now".to_owned(),
        60..3_600 => (secs / 60, "minute"),
        3_600..86_400 => (secs / 3_600, "hour"),
        _ => (secs / 86_400, "day"),
    };
    format!("{count} {unit}{} ago", if count == 1 { "" } else { "s" })
}

#[cfg(test)]
mod tests {
    use super::{ago, describe_browser};

    #[test]
    fn user_agents_read_as_browser_and_system() {
        let cases = [
            (
                "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
                "Chrome on Linux",
            ),
            (
                "Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0",
                "Firefox on Linux",
            ),
            (
                "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0",
                "Edge on Windows",
            ),
            (
                "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1",
                "Safari on iOS",
            ),
            (
                "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36",
                "Chrome on Android",
            ),
            (
                "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15",
                "Safari on macOS",
            ),
            ("curl/8.5.0", "curl"),
            ("", "an unnamed client"),
            ("something odd", "another client"),
        ];
        for (agent, expected) in cases {
            assert_eq!(describe_browser(agent), expected, "{agent}");
        }
    }

    #[test]
    fn ages_read_like_speech() {
        assert_eq!(ago(100, 100), "just now");
        assert_eq!(ago(160, 100), "1 minute ago");
        assert_eq!(ago(100 + 7_200, 100), "2 hours ago");
        assert_eq!(ago(100 + 3 * 86_400, 100), "3 days ago");
        assert_eq!(ago(100, 200), "just now");
    }
}
