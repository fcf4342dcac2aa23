//! The `jobs` table: creating a job, saving its plan (with its steps, in one
//! transaction), status changes and reads. Status changes are
//! compare-and-set on the current status, so approve, cancel and expiry
//! cannot race each other into an illegal state.

use std::path::PathBuf;

use serde::Serialize;

use super::steps::StepRecord;
use super::undo_state::{JobRow, JobWithUndo};
use super::{Store, now_unix};
use crate::job::{JobId, JobStatus, StepStatus};
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

/// What [`Store::job_rows`] selects: a user's jobs with ids in `ids`,
/// optionally of one status and matching a `LIKE` pattern, at most `limit`.
#[derive(Debug, Clone)]
pub(super) struct JobRows<'a> {
    pub(super) user_id: i64,
    pub(super) ids: std::ops::Range<i64>,
    pub(super) status: Option<JobStatus>,
    pub(super) pattern: Option<&'a str>,
    pub(super) limit: u32,
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

pub(super) fn to_json<T: Serialize>(value: &T) -> Result<String> {
    serde_json::to_string(value).map_err(|e| Error::Task(format!("serializing: {e}")))
}

impl Store {
    /// Creates a job in `planning`.
    pub async fn insert_job(&self, user_id: i64, request: &str, cwd: &str) -> Result<JobId> {
        let now = now_unix();
        let id = sqlx::query_scalar!(
            r#"INSERT INTO jobs (user_id, request, cwd, status, created_at, updated_at)
             VALUES (?1, ?2, ?3, 'planning', ?4, ?4) RETURNING id AS "id!""#,
            user_id,
            request,
            cwd,
            now,
        )
        .fetch_one(&self.pool)
        .await?;
        Ok(JobId(id))
    }

    /// Stores the plan and its assessed steps in one transaction.
    pub async fn save_plan(&self, job: JobId, plan: &SavedPlan<'_>) -> Result<()> {
        let mut tx = self.pool.begin().await?;
        let (risks, write_roots, now) = (
            to_json(&plan.risks)?,
            to_json(&plan.write_roots)?,
            now_unix(),
        );
        sqlx::query!(
            "UPDATE jobs SET planner = ?, interpretation = ?, explanation = ?, risks = ?,
                requires_approval = ?, approval_deadline_at = ?, estimated_cost_micros = ?,
                model_used = ?, write_roots = ?, updated_at = ?
             WHERE id = ?",
            plan.planner,
            plan.interpretation,
            plan.explanation,
            risks,
            plan.requires_approval,
            plan.approval_deadline_at,
            plan.estimated_cost_micros,
            plan.model_used,
            write_roots,
            now,
            job.0,
        )
        .execute(&mut *tx)
        .await?;
        for step in plan.steps {
            let idx = i64::try_from(step.idx).unwrap_or(i64::MAX);
            let (action, ops, reasons) = (
                to_json(&step.action)?,
                to_json(&step.ops)?,
                to_json(&step.reasons)?,
            );
            let (level, decision) = (step.level.as_str(), step.decision.as_str());
            sqlx::query!(
                "INSERT INTO steps (job_id, idx, description, action, ops, level, decision,
                    reasons, preview, undoable, network, status)
                 VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'pending')",
                job.0,
                idx,
                step.description,
                action,
                ops,
                level,
                decision,
                reasons,
                step.preview,
                step.undoable,
                step.network,
            )
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
        let (to_name, from_name, is_final) = (to.as_str(), from.as_str(), to.is_final());
        let changed = sqlx::query!(
            "UPDATE jobs SET status = ?1, updated_at = ?2,
                started_at = CASE WHEN ?1 = 'executing' THEN ?2 ELSE started_at END,
                finished_at = CASE WHEN ?3 THEN ?2 ELSE finished_at END,
                result = CASE WHEN ?4 THEN ?5 ELSE result END,
                error = CASE WHEN ?4 THEN ?6 ELSE error END
             WHERE id = ?7 AND status = ?8",
            to_name,
            now,
            is_final,
            set_outcome,
            result,
            error,
            job.0,
            from_name,
        )
        .execute(&self.pool)
        .await?
        .rows_affected();
        Ok(changed == 1)
    }

    /// Stores the context snapshot a job is planned with.
    pub async fn set_job_context(&self, job: JobId, context: &str) -> Result<()> {
        sqlx::query!("UPDATE jobs SET context = ? WHERE id = ?", context, job.0)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// A job by id, only when `user_id` owns it.
    pub async fn job(&self, job: JobId, user_id: i64) -> Result<Option<JobRecord>> {
        Ok(self
            .job_with_undo_state(job, user_id)
            .await?
            .map(|with_undo| with_undo.job))
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
        let ids = 0..filter.before.map_or(i64::MAX, |id| id.0);
        let rows = JobRows {
            user_id,
            ids,
            status: filter.status,
            pattern: pattern.as_deref(),
            limit: filter.limit.clamp(1, 200),
        };
        self.job_rows(&rows).await
    }

    /// The jobs with undo state that `rows` selects, newest first: a page of
    /// a list, or one job (a range of one id, which the index finds at once).
    pub(super) async fn job_rows(&self, rows: &JobRows<'_>) -> Result<Vec<JobWithUndo>> {
        let status = rows.status.map(JobStatus::as_str);
        let found = sqlx::query_as!(
            JobRow,
            r#"SELECT jobs.id AS "id!", jobs.user_id, jobs.request, jobs.cwd, jobs.status, jobs.planner,
                jobs.interpretation, jobs.explanation, jobs.risks, jobs.requires_approval,
                jobs.estimated_cost_micros, jobs.model_used, jobs.result, jobs.error,
                jobs.approval_deadline_at, jobs.created_at, jobs.updated_at, jobs.started_at,
                jobs.finished_at, jobs.context, jobs.write_roots,
                undo.last_snapshot_phase AS "last_snapshot_phase?",
                undo.has_journal AS "has_journal!: i64",
                undo.has_undone_journal AS "has_undone_journal!: i64"
             FROM jobs JOIN job_undo_state undo ON undo.job_id = jobs.id
             WHERE jobs.user_id = ?1 AND jobs.id >= ?2 AND jobs.id < ?3
               AND (?4 IS NULL OR jobs.status = ?4)
               AND (?5 IS NULL OR jobs.request LIKE ?5 ESCAPE '\' OR jobs.result LIKE ?5 ESCAPE '\')
             ORDER BY jobs.id DESC LIMIT ?6"#,
            rows.user_id,
            rows.ids.start,
            rows.ids.end,
            status,
            rows.pattern,
            rows.limit,
        )
        .fetch_all(&self.pool)
        .await?;
        found.into_iter().map(JobWithUndo::try_from).collect()
    }

    /// Ids of all jobs (any user) in one of `statuses`.
    pub async fn jobs_in(
        &self,
        statuses: &[JobStatus],
    ) -> Result<Vec<(JobId, JobStatus, Option<i64>)>> {
        let names: Vec<&str> = statuses.iter().map(|s| s.as_str()).collect();
        let names = to_json(&names)?;
        let rows = sqlx::query!(
            r#"SELECT id AS "id!", status, approval_deadline_at FROM jobs
             WHERE status IN (SELECT value FROM json_each(?)) ORDER BY id"#,
            names
        )
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter()
            .map(|row| {
                let status = row.status.parse().map_err(Error::Invalid)?;
                Ok((JobId(row.id), status, row.approval_deadline_at))
            })
            .collect()
    }

    /// What a live update says of a job (any user): its owner, status and
    /// how many of its steps have ended, in one statement.
    pub async fn job_progress(&self, job: JobId) -> Result<Option<JobProgress>> {
        // One row per step status (one row with no status for a job with no
        // steps); which statuses have ended is StepStatus's to say.
        let rows = sqlx::query!(
            r#"SELECT jobs.user_id, jobs.status, steps.status AS "step_status?",
                 COUNT(steps.idx) AS "count!: i64"
               FROM jobs LEFT JOIN steps ON steps.job_id = jobs.id
               WHERE jobs.id = ? GROUP BY steps.status"#,
            job.0
        )
        .fetch_all(&self.pool)
        .await?;
        let Some(first) = rows.first() else {
            return Ok(None);
        };
        let mut progress = JobProgress {
            user_id: first.user_id,
            status: first.status.parse().map_err(Error::Invalid)?,
            steps: 0,
            ended_steps: 0,
        };
        for row in &rows {
            let Some(step_status) = &row.step_status else {
                continue;
            };
            progress.steps += row.count;
            if step_status
                .parse::<StepStatus>()
                .map_err(Error::Invalid)?
                .is_final()
            {
                progress.ended_steps += row.count;
            }
        }
        Ok(Some(progress))
    }
}

/// A job's owner, status and step counts ([`Store::job_progress`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct JobProgress {
    /// Owner.
    pub user_id: i64,
    /// Current status.
    pub status: JobStatus,
    /// Steps planned.
    pub steps: i64,
    /// Steps that are neither pending nor running.
    pub ended_steps: i64,
}
