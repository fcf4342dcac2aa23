//! Jobs from the console: submit, list, fetch, approve/reject, cancel, undo, redo.

use leptos::prelude::*;

use crate::dto::{JobView, PendingView, UndoView};
use crate::error::AppError;

/// The newest jobs of the current user.
#[server(endpoint = "job/list")]
pub async fn list_jobs() -> Result<Vec<JobView>, AppError> {
    use crate::server::{app_context, require_user};
    /// Jobs shown in the feed at first.
    const FEED_SIZE: u32 = 30;
    let user = require_user().await?;
    let filter = engine::store::JobFilter {
        limit: FEED_SIZE,
        ..Default::default()
    };
    let jobs = app_context()?.engine.list(user.id, &filter).await?;
    Ok(jobs.into_iter().map(JobView::from).collect())
}

/// One job, or `None` when it does not exist (or is not yours).
#[server(endpoint = "job/get")]
pub async fn get_job(id: i64) -> Result<Option<JobView>, AppError> {
    use crate::server::{app_context, require_user};
    let user = require_user().await?;
    match app_context()?
        .engine
        .detail(engine::job::JobId(id), user.id)
        .await
    {
        Ok(detail) => Ok(Some(detail.into())),
        Err(engine::Error::NotFound(_)) => Ok(None),
        Err(other) => Err(other.into()),
    }
}

/// The current user's jobs waiting for approval, newest first (at most 100).
#[server(endpoint = "job/pending")]
pub async fn pending_approvals() -> Result<Vec<PendingView>, AppError> {
    use engine::store::HistoryQuery;

    use crate::server::{app_context, require_user};
    let user = require_user().await?;
    let query = HistoryQuery {
        status: Some(engine::job::JobStatus::Pending),
        limit: 100,
        ..HistoryQuery::default()
    };
    let found = app_context()?
        .engine
        .store()
        .history(user.id, &query)
        .await?;
    Ok(found
        .jobs
        .into_iter()
        .map(|job| PendingView {
            id: job.id.0,
            request: job.request,
        })
        .collect())
}

/// Plans a request; it runs at once unless it needs approval.
#[server(endpoint = "job/submit")]
pub async fn submit_job(request: String, cwd: Option<String>) -> Result<JobView, AppError> {
    use crate::server::{app_context, require_user};
    let user = require_user().await?;
    let new = engine::pipeline::NewJob {
        request,
        cwd: cwd
            .filter(|c| !c.trim().is_empty())
            .map(|c| c.trim().into()),
        approval_timeout: None,
    };
    Ok(app_context()?.engine.submit(user.id, new).await?.into())
}

/// Approves or rejects a pending job.
#[server(endpoint = "job/decide")]
pub async fn decide_job(
    id: i64,
    approved: bool,
    remember: bool,
    note: String,
) -> Result<JobView, AppError> {
    use crate::server::{app_context, require_user};
    let user = require_user().await?;
    let decision = engine::pipeline::ApprovalDecision {
        approved,
        remember,
        note,
    };
    let detail = app_context()?
        .engine
        .decide(user.id, engine::job::JobId(id), decision)
        .await?;
    Ok(detail.into())
}

/// Cancels a job that has not finished.
#[server(endpoint = "job/cancel")]
pub async fn cancel_job(id: i64) -> Result<JobView, AppError> {
    use crate::server::{app_context, require_user};
    let user = require_user().await?;
    let detail = app_context()?
        .engine
        .cancel(user.id, engine::job::JobId(id))
        .await?;
    Ok(detail.into())
}

/// Reverts a finished job's file changes.
#[server(endpoint = "job/undo")]
pub async fn undo_job(id: i64) -> Result<UndoView, AppError> {
    use crate::server::{app_context, require_user};
    let user = require_user().await?;
    let outcome = app_context()?
        .engine
        .undo(user.id, engine::job::JobId(id))
        .await?;
    Ok(outcome.into())
}

/// Redoes what the last undo of a job reverted.
#[server(endpoint = "job/redo")]
pub async fn redo_job(id: i64) -> Result<UndoView, AppError> {
    use crate::server::{app_context, require_user};
    let user = require_user().await?;
    let outcome = app_context()?
        .engine
        .redo(user.id, engine::job::JobId(id))
        .await?;
    Ok(outcome.into())
}
