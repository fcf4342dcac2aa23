//! REST v1 remembered rules: list (with past matches), create, edit, delete.

use std::path::PathBuf;

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use engine::pipeline::RuleUsage;
use engine::rules::RuleDecision;
use serde::Deserialize;
use serde_json::{Value, json};

use app::server::AppContext;

use super::json::ApiJson;
use crate::auth::ApiUser;
use crate::error::ApiError;

/// `POST /api/v1/rules` body.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewRule {
    /// A shell command; one rule per simple command in it.
    pub command: String,
    /// Directory subtree the rule applies in.
    pub scope: PathBuf,
    /// `allow` or `deny`.
    pub decision: RuleDecision,
}

/// `PATCH /api/v1/rules/{id}` body.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleChange {
    /// New scope.
    pub scope: Option<PathBuf>,
    /// Enable or disable.
    pub enabled: Option<bool>,
}

fn rule_id(raw: &str) -> Result<i64, ApiError> {
    raw.parse()
        .map_err(|_| ApiError::NotFound(format!("rule {raw} not found")))
}

/// `GET /api/v1/rules`
pub async fn list(
    State(ctx): State<AppContext>,
    ApiUser(user): ApiUser,
) -> Result<Json<Vec<RuleUsage>>, ApiError> {
    Ok(Json(ctx.engine.rule_usage(user.id, None).await?))
}

/// `POST /api/v1/rules`
pub async fn create(
    State(ctx): State<AppContext>,
    ApiUser(user): ApiUser,
    ApiJson(body): ApiJson<NewRule>,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    let ids = ctx
        .engine
        .create_rules(user.id, &body.command, &body.scope, body.decision)
        .await?;
    Ok((StatusCode::CREATED, Json(json!({ "rule_ids": ids }))))
}

/// `PATCH /api/v1/rules/{id}`
pub async fn update(
    State(ctx): State<AppContext>,
    ApiUser(user): ApiUser,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<RuleChange>,
) -> Result<Json<Value>, ApiError> {
    let id = rule_id(&id)?;
    let current = ctx
        .engine
        .store()
        .rules(user.id)
        .await?
        .into_iter()
        .find(|rule| rule.id == id)
        .ok_or_else(|| ApiError::NotFound(format!("rule {id} not found")))?;
    let scope = body.scope.unwrap_or(current.scope);
    let enabled = body.enabled.unwrap_or(current.enabled);
    ctx.engine.update_rule(user.id, id, &scope, enabled).await?;
    Ok(Json(
        json!({ "id": id, "scope": scope, "enabled": enabled }),
    ))
}

/// `DELETE /api/v1/rules/{id}`
pub async fn delete(
    State(ctx): State<AppContext>,
    ApiUser(user): ApiUser,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    ctx.engine.delete_rule(user.id, rule_id(&id)?).await?;
    Ok(StatusCode::NO_CONTENT)
}
