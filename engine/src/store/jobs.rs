//! The `jobs` table: creating a job, saving its plan (with its steps, in one
//! transaction), status changes and reads. Status changes are
//! compare-and-set on the current status, so approve, cancel and expiry
//! cannot race each other into an illegal state.

use std::path::PathBuf;

use serde::Serialize;
use sqlx::Row as _;

use super::steps::StepRecord;
use super::undo_state::{JobWithUndo, UNDO_COLUMNS, with_undo_from_row};
use super::{Store, now_unix};
use crate::job::{JobId, JobStatus};
use crate::{Error, Result};

/// A stored job.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct JobRecord {
    /// Id.
    pub id: JobId,
    /// Owner.
    pub user_id: i64,
    /// What the user typed.
    pub request: String,
    /// Where it runs.
    pub cwd: PathBuf,
    /// Current status.
    pub status: JobStatus,
    /// `builtin` or the model id that planned it.
    pub planner: String,
    /// What the planner understood.
    pub interpretation: String,
    /// Why the plan does what was asked.
    pub explanation: String,
    /// Risks of the plan, the planner's and the engine's.
    pub risks: Vec<String>,
    /// Whether a person had to approve it.
    pub requires_approval: bool,
    /// Estimated model cost in micro-dollars.
    pub estimated_cost_micros: i64,
    /// The model that planned it, if any.
    pub model_used: Option<String>,
    /// Output of a completed job.
    pub result: Option<String>,
    /// Why it failed.
    pub error: Option<String>,
    /// When a pending job expires.
    pub approval_deadline_at: Option<i64>,
    /// Created.
    pub created_at: i64,
    /// Last change.
    pub updated_at: i64,
    /// Execution start.
    pub started_at: Option<i64>,
    /// Reached a final state.
    pub finished_at: Option<i64>,
    /// The context snapshot the job was planned with (redacted JSON, may be empty).
    pub context: String,
    /// The folders besides its own and its temp dir where the job may write,
    /// fixed when the plan was decided and used unchanged at execution.
    pub write_roots: Vec<PathBuf>,
}

/// Filters for listing jobs.
#[derive(Debug, Clone, Default)]
pub struct JobFilter {
    /// Only this status.
    pub status: Option<JobStatus>,
    /// Request text contains this (case-insensitive).
    pub query: Option<String>,
    /// Only ids below this (paging).
    pub before: Option<JobId>,
    /// At most this many (capped at 200).
    pub limit: u32,
}

/// The plan part of a job, saved once planning is done.
#[derive(Debug, Clone)]
pub struct SavedPlan<'a> {
    /// `builtin` or a model id.
    pub planner: &'a str,
    /// What was understood.
    pub interpretation: &'a str,
    /// Why.
    pub explanation: &'a str,
    /// Risks.
    pub risks: &'a [String],
    /// Needs approval.
    pub requires_approval: bool,
    /// Expiry of the approval wait.
    pub approval_deadline_at: Option<i64>,
    /// Estimated model cost.
    pub estimated_cost_micros: i64,
    /// Model used.
    pub model_used: Option<&'a str>,
    /// The assessed steps.
    pub steps: &'a [StepRecord],
    /// The extra write roots the steps were rated with.
    pub write_roots: &'a [PathBuf],
}

/// What a job ended with: its output, and why it did not complete.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Outcome<'a> {
    /// What the steps printed (capped).
    pub result: Option<&'a str>,
    /// Why it failed, was rejected, cancelled, expired or interrupted.
    pub error: Option<&'a str>,
}

impl<'a> Outcome<'a> {
    /// An outcome with only a reason.
    pub fn error(error: &'a str) -> Self {
        Self {
            result: None,
            error: Some(error),
        }
    }
}

pub(super) const JOB_COLUMNS: &str = "id, user_id, request, cwd, status, planner, interpretation, explanation, \
     risks, requires_approval, estimated_cost_micros, model_used, result, error, \
     approval_deadline_at, created_at, updated_at, started_at, finished_at, context, write_roots";

pub(super) fn job_from_row(row: &sqlx::sqlite::SqliteRow) -> Result<JobRecord> {
    let status: String = row.try_get("status")?;
    let risks: String = row.try_get("risks")?;
    Ok(JobRecord {
        id: JobId(row.try_get("id")?),
        user_id: row.try_get("user_id")?,
        request: row.try_get("request")?,
        cwd: PathBuf::from(row.try_get::<String, _>("cwd")?),
        status: status.parse().map_err(Error::Invalid)?,
        planner: row.try_get("planner")?,
        interpretation: row.try_get("interpretation")?,
        explanation: row.try_get("explanation")?,
        risks: serde_json::from_str(&risks)
            .map_err(|error| Error::Invalid(format!("the stored risks are malformed: {error}")))?,
        requires_approval: row.try_get("requires_approval")?,
        estimated_cost_micros: row.try_get("estimated_cost_micros")?,
        model_used: row.try_get("model_used")?,
        result: row.try_get("result")?,
        error: row.try_get("error")?,
        approval_deadline_at: row.try_get("approval_deadline_at")?,
        created_at: row.try_get("created_at")?,
        updated_at: row.try_get("updated_at")?,
        started_at: row.try_get("started_at")?,
        finished_at: row.try_get("finished_at")?,
        context: row.try_get("context")?,
        write_roots: serde_json::from_str(&row.try_get::<String, _>("write_roots")?).map_err(
            |error| Error::Invalid(format!("the stored write roots are malformed: {error}")),
        )?,
    })
}

pub(super) fn to_json<T: Serialize>(value: &T) -> Result<String> {
    serde_json::to_string(value).map_err(|e| Error::Task(format!("serializing: {e}")))
}

impl Store {
    /// Creates a job in `planning`.
    pub async fn insert_job(&self, user_id: i64, request: &str, cwd: &str) -> Result<JobId> {
        let now = now_unix();
        let id = sqlx::query_scalar(
            "INSERT INTO jobs (user_id, request, cwd, status, created_at, updated_at)
             VALUES (?, ?, ?, 'planning', ?, ?) RETURNING id",
        )
        .bind(user_id)
        .bind(request)
        .bind(cwd)
        .bind(now)
        .bind(now)
        .fetch_one(&self.pool)
        .await?;
        Ok(JobId(id))
    }

    /// Stores the plan and its assessed steps in one transaction.
    pub async fn save_plan(&self, job: JobId, plan: &SavedPlan<'_>) -> Result<()> {
        let mut tx = self.pool.begin().await?;
        sqlx::query(
            "UPDATE jobs SET planner = ?, interpretation = ?, explanation = ?, risks = ?,
                requires_approval = ?, approval_deadline_at = ?, estimated_cost_micros = ?,
                model_used = ?, write_roots = ?, updated_at = ?
             WHERE id = ?",
        )
        .bind(plan.planner)
        .bind(plan.interpretation)
        .bind(plan.explanation)
        .bind(to_json(&plan.risks)?)
        .bind(plan.requires_approval)
        .bind(plan.approval_deadline_at)
        .bind(plan.estimated_cost_micros)
        .bind(plan.model_used)
        .bind(to_json(&plan.write_roots)?)
        .bind(now_unix())
        .bind(job.0)
        .execute(&mut *tx)
        .await?;
        for step in plan.steps {
            sqlx::query(
                "INSERT INTO steps (job_id, idx, description, action, ops, level, decision,
                    reasons, preview, undoable, network, status)
                 VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'pending')",
            )
            .bind(job.0)
            .bind(i64::try_from(step.idx).unwrap_or(i64::MAX))
            .bind(&step.description)
            .bind(to_json(&step.action)?)
            .bind(to_json(&step.ops)?)
            .bind(step.level.as_str())
            .bind(step.decision.as_str())
            .bind(to_json(&step.reasons)?)
            .bind(&step.preview)
            .bind(step.undoable)
            .bind(step.network)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Moves a job from `from` to `to` and records its outcome in the same
    /// write (so a crash never leaves a final status without its reason);
    /// false when the job was no longer `from`. Callers go through
    /// `Engine::set_status`, which also publishes the change.
    pub async fn transition(
        &self,
        job: JobId,
        from: JobStatus,
        to: JobStatus,
        outcome: Option<Outcome<'_>>,
    ) -> Result<bool> {
        if !from.can_become(to) {
            return Err(Error::Conflict(format!(
                "a job cannot go from {from} to {to}"
            )));
        }
        let now = now_unix();
        let (set_outcome, result, error) =
            outcome.map_or((false, None, None), |o| (true, o.result, o.error));
        let changed = sqlx::query(
            "UPDATE jobs SET status = ?, updated_at = ?,
                started_at = CASE WHEN ? = 'executing' THEN ? ELSE started_at END,
                finished_at = CASE WHEN ? THEN ? ELSE finished_at END,
                result = CASE WHEN ? THEN ? ELSE result END,
                error = CASE WHEN ? THEN ? ELSE error END
             WHERE id = ? AND status = ?",
        )
        .bind(to.as_str())
        .bind(now)
        .bind(to.as_str())
        .bind(now)
        .bind(to.is_final())
        .bind(now)
        .bind(set_outcome)
        .bind(result)
        .bind(set_outcome)
        .bind(error)
        .bind(job.0)
        .bind(from.as_str())
        .execute(&self.pool)
        .await?
        .rows_affected();
        Ok(changed == 1)
    }

    /// Stores the context snapshot a job is planned with.
    pub async fn set_job_context(&self, job: JobId, context: &str) -> Result<()> {
        sqlx::query("UPDATE jobs SET context = ? WHERE id = ?")
            .bind(context)
            .bind(job.0)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// A job by id, only when `user_id` owns it.
    pub async fn job(&self, job: JobId, user_id: i64) -> Result<Option<JobRecord>> {
        let row = sqlx::query(&format!(
            "SELECT {JOB_COLUMNS} FROM jobs WHERE id = ? AND user_id = ?"
        ))
        .bind(job.0)
        .bind(user_id)
        .fetch_optional(&self.pool)
        .await?;
        row.as_ref().map(job_from_row).transpose()
    }

    /// A user's jobs, newest first, each with its undo state.
    pub async fn list_jobs(&self, user_id: i64, filter: &JobFilter) -> Result<Vec<JobWithUndo>> {
        let pattern = filter.query.as_deref().map(|q| {
            format!(
                "%{}%",
                q.replace('\\', "\\\\")
                    .replace('%', "\\%")
                    .replace('_', "\\_")
            )
        });
        let rows = sqlx::query(&format!(
            "SELECT {JOB_COLUMNS}, {UNDO_COLUMNS} FROM jobs
             WHERE user_id = ?
               AND (? IS NULL OR status = ?)
               AND (? IS NULL OR request LIKE ? ESCAPE '\\' OR result LIKE ? ESCAPE '\\')
               AND (? IS NULL OR id < ?)
             ORDER BY id DESC LIMIT ?"
        ))
        .bind(user_id)
        .bind(filter.status.map(JobStatus::as_str))
        .bind(filter.status.map(JobStatus::as_str))
        .bind(pattern.as_deref())
        .bind(pattern.as_deref())
        .bind(pattern.as_deref())
        .bind(filter.before.map(|id| id.0))
        .bind(filter.before.map(|id| id.0))
        .bind(filter.limit.clamp(1, 200))
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(with_undo_from_row).collect()
    }

    /// Ids of all jobs (any user) in one of `statuses`.
    pub async fn jobs_in(
        &self,
        statuses: &[JobStatus],
    ) -> Result<Vec<(JobId, JobStatus, Option<i64>)>> {
        let names: Vec<&str> = statuses.iter().map(|s| s.as_str()).collect();
        let rows: Vec<(i64, String, Option<i64>)> = sqlx::query_as(
            "SELECT id, status, approval_deadline_at FROM jobs
             WHERE status IN (SELECT value FROM json_each(?)) ORDER BY id",
        )
        .bind(to_json(&names)?)
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter()
            .map(|(id, status, deadline)| {
                Ok((JobId(id), status.parse().map_err(Error::Invalid)?, deadline))
            })
            .collect()
    }

    /// The owner of a job (any user), for background tasks.
    pub async fn job_owner(&self, job: JobId) -> Result<Option<i64>> {
        Ok(sqlx::query_scalar("SELECT user_id FROM jobs WHERE id = ?")
            .bind(job.0)
            .fetch_optional(&self.pool)
            .await?)
    }
}
