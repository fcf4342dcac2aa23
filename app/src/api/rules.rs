//! Remembered rules for the Preferences page.

use leptos::prelude::*;

use crate::dto::RuleView;
use crate::error::AppError;

/// The current user's rules with their past matches.
#[server(endpoint = "rule/list")]
pub async fn list_rules() -> Result<Vec<RuleView>, AppError> {
    use crate::server::{app_context, require_user};
    let user = require_user().await?;
    let usage = app_context()?.engine.rule_usage(user.id, None).await?;
    Ok(usage.into_iter().map(RuleView::from).collect())
}

/// What a rule would match with another scope, before saving it.
#[server(endpoint = "rule/preview")]
pub async fn preview_rule(id: i64, scope: String) -> Result<Option<RuleView>, AppError> {
    use crate::server::{app_context, require_user};
    let user = require_user().await?;
    let scope = std::path::PathBuf::from(scope.trim());
    if !scope.is_absolute() {
        return Err(AppError::Invalid(
            "the scope must be an absolute directory".into(),
        ));
    }
    let usage = app_context()?
        .engine
        .rule_usage(user.id, Some((id, &scope)))
        .await?;
    Ok(usage
        .into_iter()
        .find(|u| u.rule.id == id)
        .map(RuleView::from))
}

/// Saves a rule's scope and whether it is enabled.
#[server(endpoint = "rule/save")]
pub async fn save_rule(id: i64, scope: String, enabled: bool) -> Result<(), AppError> {
    use crate::server::{app_context, require_user};
    let user = require_user().await?;
    app_context()?
        .engine
        .update_rule(user.id, id, std::path::Path::new(scope.trim()), enabled)
        .await?;
    Ok(())
}

/// Deletes a rule.
#[server(endpoint = "rule/delete")]
pub async fn delete_rule(id: i64) -> Result<(), AppError> {
    use crate::server::{app_context, require_user};
    let user = require_user().await?;
    app_context()?.engine.delete_rule(user.id, id).await?;
    Ok(())
}
