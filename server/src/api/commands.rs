//! REST v1 jobs: submit, status, approve, cancel, undo and list.

use std::fmt::Write as _;
use std::path::PathBuf;
use std::time::Duration;

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::{IntoResponse as _, Response};
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

/// `GET /api/v1/command/{id}/log`: the job's whole log as a text download,
/// each line led by its step and stream (`[step 1 stderr] …`).
pub async fn log(
    State(ctx): State<AppContext>,
    ApiUser(user): ApiUser,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    /// Lines read per query.
    const SLICE: u32 = 5_000;
    let id = job_id(&id)?;
    let store = ctx.engine.store();
    if store.job(id, user.id).await?.is_none() {
        return Err(ApiError::NotFound(format!("job {id} not found")));
    }
    let mut text = String::new();
    let mut after = 0;
    loop {
        let slice = store.logs_after(id, after, SLICE).await?;
        let Some((last, _)) = slice.last() else {
            break;
        };
        after = *last;
        for (_, line) in slice {
            // Writing to a String cannot fail.
            let _ = writeln!(
                text,
                "[step {} {}] {}",
                line.step + 1,
                line.stream,
                line.line
            );
        }
    }
    let headers = [
        (header::CONTENT_TYPE, "text/plain; charset=utf-8".to_owned()),
        (
            header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"devos-job-{id}.log\""),
        ),
    ];
    Ok((headers, text).into_response())
}
