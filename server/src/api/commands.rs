//! REST v1 jobs: submit, status, approve, cancel, undo and list.

use std::path::PathBuf;
use std::time::Duration;

use axum::Json;
use axum::extract::{Path, Query, State};
use engine::job::{JobId, JobStatus};
use engine::pipeline::{ApprovalDecision, NewJob, UndoOutcome};
use engine::store::JobFilter;
use serde::Deserialize;

use app::server::AppContext;

use super::json::ApiJson;
use super::wire::{ApproveRequest, CommandRequest, CommandResponse, StatusResponse};
use crate::auth::ApiUser;
use crate::error::ApiError;

/// Unknown or malformed ids are simply not found.
fn job_id(raw: &str) -> Result<JobId, ApiError> {
    raw.parse::<i64>()
        .ok()
        .filter(|id| *id > 0)
        .map(JobId)
        .ok_or_else(|| ApiError::NotFound(format!("job {raw} not found")))
}

/// `POST /api/v1/command`: `200` with the planned job, as the MVP's REST
/// clients (and the seed's integration suite) expect, not `201`.
pub async fn submit(
    State(ctx): State<AppContext>,
    ApiUser(user): ApiUser,
    ApiJson(body): ApiJson<CommandRequest>,
) -> Result<Json<CommandResponse>, ApiError> {
    let new = NewJob {
        request: body.command,
        cwd: body.context.and_then(|c| c.cwd).map(PathBuf::from),
        approval_timeout: body.approval_timeout.map(Duration::from_secs),
    };
    let detail = ctx.engine.submit(user.id, new).await?;
    Ok(Json(CommandResponse::from(&detail)))
}

/// `GET /api/v1/command/{id}/status`
pub async fn status(
    State(ctx): State<AppContext>,
    ApiUser(user): ApiUser,
    Path(id): Path<String>,
) -> Result<Json<StatusResponse>, ApiError> {
    let detail = ctx.engine.detail(job_id(&id)?, user.id).await?;
    Ok(Json(detail.into()))
}

/// `POST /api/v1/command/{id}/approve`
pub async fn approve(
    State(ctx): State<AppContext>,
    ApiUser(user): ApiUser,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<ApproveRequest>,
) -> Result<Json<StatusResponse>, ApiError> {
    let decision = ApprovalDecision {
        approved: body.approved,
        remember: body.remember,
        note: body.note.unwrap_or_default(),
    };
    let detail = ctx.engine.decide(user.id, job_id(&id)?, decision).await?;
    Ok(Json(detail.into()))
}

/// `POST /api/v1/command/{id}/cancel`
pub async fn cancel(
    State(ctx): State<AppContext>,
    ApiUser(user): ApiUser,
    Path(id): Path<String>,
) -> Result<Json<StatusResponse>, ApiError> {
    let detail = ctx.engine.cancel(user.id, job_id(&id)?).await?;
    Ok(Json(detail.into()))
}

/// `POST /api/v1/command/{id}/undo`
pub async fn undo(
    State(ctx): State<AppContext>,
    ApiUser(user): ApiUser,
    Path(id): Path<String>,
) -> Result<Json<UndoOutcome>, ApiError> {
    Ok(Json(ctx.engine.undo(user.id, job_id(&id)?).await?))
}

/// `POST /api/v1/command/{id}/redo`: redoes what the last undo reverted.
pub async fn redo(
    State(ctx): State<AppContext>,
    ApiUser(user): ApiUser,
    Path(id): Path<String>,
) -> Result<Json<UndoOutcome>, ApiError> {
    Ok(Json(ctx.engine.redo(user.id, job_id(&id)?).await?))
}

/// Query of `GET /api/v1/jobs`.
#[derive(Debug, Deserialize)]
pub struct JobsQuery {
    status: Option<String>,
    q: Option<String>,
    before: Option<String>,
    limit: Option<u32>,
}

/// `GET /api/v1/jobs?status=&q=&before=&limit=`
pub async fn list(
    State(ctx): State<AppContext>,
    ApiUser(user): ApiUser,
    Query(query): Query<JobsQuery>,
) -> Result<Json<Vec<StatusResponse>>, ApiError> {
    let status = query
        .status
        .filter(|s| !s.is_empty())
        .map(|s| s.parse::<JobStatus>().map_err(ApiError::Invalid))
        .transpose()?;
    let before = query
        .before
        .filter(|s| !s.is_empty())
        .map(|b| {
            b.parse::<i64>()
                .map(JobId)
                .map_err(|_| ApiError::Invalid(format!("`before` must be a job id, not `{b}`")))
        })
        .transpose()?;
    let filter = JobFilter {
        status,
        query: query.q.filter(|q| !q.is_empty()),
        before,
        limit: query.limit.unwrap_or(50),
    };
    let jobs = ctx.engine.list(user.id, &filter).await?;
    Ok(Json(jobs.into_iter().map(StatusResponse::from).collect()))
}
