//! Approval preferences: auto-approve safe steps, approval timeout, extra write roots.

use leptos::prelude::*;

use crate::dto::PreferencesView;
use crate::error::AppError;

/// The current user's effective preferences (theirs, else devos.toml's).
#[server(endpoint = "preferences/get")]
pub async fn get_preferences() -> Result<PreferencesView, AppError> {
    use crate::server::{app_context, require_user};
    let user = require_user().await?;
    let ctx = app_context()?;
    let saved = ctx.store.user_settings(user.id).await?;
    Ok(PreferencesView {
        auto_approve_safe: saved
            .auto_approve_safe
            .unwrap_or(ctx.config.approval.auto_approve_safe),
        approval_timeout_secs: saved
            .approval_timeout_secs
            .unwrap_or(ctx.config.approval.timeout_secs),
        write_roots: saved
            .write_roots
            .iter()
            .map(|p| p.display().to_string())
            .collect::<Vec<_>>()
            .join("\n"),
    })
}

/// Saves the preferences; `auto_approve_safe` is absent when its box is unticked.
#[server(endpoint = "preferences/save")]
pub async fn save_preferences(
    auto_approve_safe: Option<String>,
    approval_timeout_secs: String,
    write_roots: String,
) -> Result<(), AppError> {
    use crate::server::{app_context, require_user};
    let user = require_user().await?;
    let timeout = approval_timeout_secs.trim().parse::<u64>().map_err(|_| {
        AppError::Invalid("the approval timeout must be a number of seconds".into())
    })?;
    let settings = engine::store::UserSettings {
        auto_approve_safe: Some(auto_approve_safe.is_some()),
        approval_timeout_secs: Some(timeout),
        write_roots: write_roots
            .lines()
            .map(str::trim)
            .filter(|line| !line.is_empty())
            .map(std::path::PathBuf::from)
            .collect(),
    };
    app_context()?
        .engine
        .save_settings(user.id, &settings)
        .await?;
    Ok(())
}
