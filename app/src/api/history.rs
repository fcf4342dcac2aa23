//! History, the job detail page and the log viewer: paged, filtered and
//! searched job summaries; one job with its decisions and model calls; a
//! job's log in slices.

use leptos::prelude::*;

use crate::dto::{HistoryView, JobPageView, LogPageView};
use crate::error::AppError;

/// History's filters as the page's query string carries them (all text, empty when unset).
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct HistoryFilters {
    /// Search words.
    pub q: String,
    /// A job status.
    pub status: String,
    /// First day, `YYYY-MM-DD` (UTC).
    pub from: String,
    /// Last day, inclusive.
    pub to: String,
    /// The folder, with everything under it.
    pub dir: String,
    /// `builtin` or a model id.
    pub model: String,
    /// Show jobs older than this id.
    pub before: String,
    /// Show jobs newer than this id.
    pub after: String,
}

/// Rows per History page.
pub const HISTORY_PAGE: u32 = 50;

/// One page of History for these filters.
#[server(endpoint = "history/page")]
pub async fn history_page(filters: HistoryFilters) -> Result<HistoryView, AppError> {
    use engine::store::{HistoryQuery, PageAt};

    use crate::server::{app_context, require_user};
    let user = require_user().await?;
    let ctx = app_context()?;
    let text = |value: &str| Some(value.trim().to_owned()).filter(|v| !v.is_empty());
    let day = |value: &str, name: &str| -> Result<Option<i64>, AppError> {
        text(value)
            .map(|value| {
                engine::calendar::parse_date(&value).ok_or_else(|| {
                    AppError::Invalid(format!("the {name} date {value:?} is not YYYY-MM-DD"))
                })
            })
            .transpose()
    };
    let id = |value: &str| -> Result<Option<engine::job::JobId>, AppError> {
        text(value)
            .map(|value| {
                value
                    .parse::<i64>()
                    .map(engine::job::JobId)
                    .map_err(|_| AppError::Invalid(format!("{value:?} is not a job id")))
            })
            .transpose()
    };
    let page = match (id(&filters.before)?, id(&filters.after)?) {
        (Some(before), _) => PageAt::Before(before),
        (None, Some(after)) => PageAt::After(after),
        (None, None) => PageAt::Newest,
    };
    let query = HistoryQuery {
        text: text(&filters.q),
        status: text(&filters.status)
            .map(|s| s.parse())
            .transpose()
            .map_err(AppError::Invalid)?,
        from_at: day(&filters.from, "first")?,
        to_at: day(&filters.to, "last")?.map(|start| start + 86_400),
        directory: text(&filters.dir),
        planner: text(&filters.model),
        page,
        limit: HISTORY_PAGE,
    };
    let found = ctx.engine.store().history(user.id, &query).await?;
    let mut planners = vec!["builtin".to_owned()];
    planners.extend(ctx.engine.model_ids());
    Ok(HistoryView {
        rows: found.jobs.into_iter().map(Into::into).collect(),
        older: found.older.map(|id| id.0),
        newer: found.newer.map(|id| id.0),
        planners,
    })
}

/// One job with its decisions and model calls, or `None` when it does not
/// exist or is not yours.
#[server(endpoint = "history/job")]
pub async fn job_page(id: i64) -> Result<Option<JobPageView>, AppError> {
    use engine::models::cost::format_usd;

    use crate::dto::{ApprovalView, ModelCallView};
    use crate::server::{app_context, require_user};
    let user = require_user().await?;
    let ctx = app_context()?;
    let job_id = engine::job::JobId(id);
    let detail = match ctx.engine.detail(job_id, user.id).await {
        Ok(detail) => detail,
        Err(engine::Error::NotFound(_)) => return Ok(None),
        Err(other) => return Err(other.into()),
    };
    let store = ctx.engine.store();
    let approvals = store.approvals(job_id).await?;
    let calls = store.usage_of_job(id).await?;
    let cost = calls.iter().map(|c| c.actual_cost_micros).sum();
    let tokens = calls.iter().map(|c| c.input_tokens + c.output_tokens).sum();
    let undo = match (
        detail.can_undo,
        detail.can_redo,
        detail.job.status.is_final(),
    ) {
        (_, _, false) => "Undo is offered once the job has ended.",
        (true, _, true) => "Undo can revert this job's changes.",
        (false, true, true) => "Undone; Redo can apply the changes again.",
        (false, false, true) => "Nothing to undo: the job changed no files DevOS can put back.",
    };
    Ok(Some(JobPageView {
        when: engine::calendar::format_minute(detail.job.created_at),
        approvals: approvals
            .into_iter()
            .map(|a| ApprovalView {
                by: a.by,
                decision: if a.approved { "approved" } else { "rejected" }.to_owned(),
                remembered: a.remembered,
                note: a.note,
                when: engine::calendar::format_minute(a.at),
            })
            .collect(),
        calls: calls
            .into_iter()
            .map(|c| ModelCallView {
                provider: c.provider,
                model: c.model,
                input_tokens: c.input_tokens,
                output_tokens: c.output_tokens,
                cost: format_usd(c.actual_cost_micros),
                outcome: c.outcome,
                detail: c.detail,
            })
            .collect(),
        cost: format_usd(cost),
        tokens,
        undo: undo.to_owned(),
        job: detail.into(),
    }))
}

/// Lines of a job's log stored after line `after` (0 for the start).
#[server(endpoint = "history/log")]
pub async fn job_log(id: i64, after: i64) -> Result<LogPageView, AppError> {
    use crate::dto::LogLineView;
    use crate::server::{app_context, require_user};
    /// Lines per slice; the viewer asks again for more.
    const SLICE: u32 = 2_000;
    let user = require_user().await?;
    let store = app_context()?.engine.store().clone();
    let job_id = engine::job::JobId(id);
    let job = store
        .job(job_id, user.id)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("job {id}")))?;
    let mut lines = store.logs_after(job_id, after, SLICE + 1).await?;
    let more = lines.len() > SLICE as usize;
    lines.truncate(SLICE as usize);
    Ok(LogPageView {
        request: job.request,
        status: job.status,
        more,
        lines: lines
            .into_iter()
            .map(|(id, line)| LogLineView {
                id,
                step: line.step,
                stream: line.stream,
                line: line.line,
            })
            .collect(),
    })
}
