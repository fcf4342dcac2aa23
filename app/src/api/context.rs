//! The console's live context panel.

use leptos::prelude::*;

use crate::dto::ContextPanelView;
use crate::error::AppError;

/// What DevOS knows about `cwd` right now (from its caches; no disk walk).
#[server(endpoint = "context/panel")]
pub async fn context_panel(cwd: String) -> Result<ContextPanelView, AppError> {
    use crate::server::{app_context, require_user};
    let _user = require_user().await?;
    let ctx = app_context()?;
    let cwd = if cwd.trim().is_empty() {
        ctx.config.default_cwd().to_path_buf()
    } else {
        std::path::PathBuf::from(cwd.trim())
    };
    let Some(context) = ctx.engine.context() else {
        return Ok(ContextPanelView {
            cwd: cwd.display().to_string(),
            note: Some("The context engine is not running.".into()),
            ..ContextPanelView::default()
        });
    };
    let _looking = context.interest();
    let snapshot = context.snapshot(&cwd, 2_000);
    Ok(crate::server::context_panel_view(&cwd, &snapshot))
}
