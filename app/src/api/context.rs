//! The console's live context panel.

use leptos::prelude::*;

use crate::dto::ContextPanelView;
use crate::error::AppError;

/// What DevOS knows about `cwd` right now: from the caches inside the
/// workspace roots, read on demand (bounded, cached briefly) elsewhere.
#[server(endpoint = "context/panel")]
pub async fn context_panel(cwd: String) -> Result<ContextPanelView, AppError> {
    use crate::server::{app_context, require_user};
    /// Tokens of context the panel shows.
    const PANEL_BUDGET: usize = 2_000;
    let _user = require_user().await?;
    let ctx = app_context()?;
    let cwd = ctx.console_dir(&cwd);
    let snapshot = ctx
        .engine
        .context_snapshot(
            &cwd,
            "",
            engine::context::ProcessDetail::Always,
            PANEL_BUDGET,
        )
        .await?;
    let Some(snapshot) = snapshot else {
        return Ok(ContextPanelView {
            cwd: cwd.display().to_string(),
            note: Some("The context engine is not running.".into()),
            ..ContextPanelView::default()
        });
    };
    Ok(crate::server::context_panel_view(&cwd, &snapshot))
}

/// Makes `cwd` a workspace root (watched and indexed from now on, and after
/// restarts); answers the folder as followed.
#[server(endpoint = "context/watch")]
pub async fn watch_folder(cwd: String) -> Result<String, AppError> {
    use crate::server::{app_context, require_user};
    let user = require_user().await?;
    let ctx = app_context()?;
    let dir = ctx.console_dir(&cwd);
    let root = ctx.engine.add_workspace_root(user.id, &dir).await?;
    Ok(root.display().to_string())
}

/// Resolves `target` (absolute, `~/…` or relative to `current`) to an
/// existing directory, for `cd` in the console.
#[server(endpoint = "context/cd")]
pub async fn change_dir(current: String, target: String) -> Result<String, AppError> {
    use crate::server::{app_context, require_user};
    let _user = require_user().await?;
    let ctx = app_context()?;
    let base = ctx.console_dir(&current);
    let target = target.trim();
    let path = match target {
        "" | "~" => ctx.engine.home().to_path_buf(),
        _ if target.starts_with('/') || target.starts_with('~') => {
            crate::server::expand_home(target, ctx.engine.home())
        }
        _ => base.join(target),
    };
    let path = std::fs::canonicalize(&path)
        .ok()
        .filter(|p| p.is_dir())
        .ok_or_else(|| AppError::Invalid(format!("cd: {} is not a directory", path.display())))?;
    Ok(path.display().to_string())
}

/// Subdirectories of `cwd` (not hidden), for completing the working-directory box.
#[server(endpoint = "context/dirs")]
pub async fn list_dirs(cwd: String) -> Result<Vec<String>, AppError> {
    use crate::server::{app_context, require_user};
    /// Most suggestions offered.
    const MAX_DIRS: usize = 50;
    let _user = require_user().await?;
    let ctx = app_context()?;
    let dir = ctx.console_dir(&cwd);
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return Ok(Vec::new());
    };
    let mut dirs: Vec<String> = entries
        .flatten()
        .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
        .filter(|e| !e.file_name().to_string_lossy().starts_with('.'))
        .map(|e| e.path().display().to_string())
        .collect();
    dirs.sort();
    dirs.truncate(MAX_DIRS);
    Ok(dirs)
}
