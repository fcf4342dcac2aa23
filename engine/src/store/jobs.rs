//! The `jobs`, `steps` (with the process group of a running step),
//! `job_logs` and `approvals` tables. Status changes are
//! compare-and-set on the current status, so approve, cancel and expiry
//! cannot race each other into an illegal state.

use std::path::PathBuf;

use serde::{Deserialize, Serialize};
use sqlx::Row as _;

use super::{Store, now_unix};
use crate::fsops::FileOp;
use crate::job::{JobId, JobStatus, StepStatus};
use crate::lifetime::{Process, StepProcess};
use crate::plan::{Decision, SafetyLevel, StepAction};
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

/// A stored, assessed step.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StepRecord {
    /// Position in the plan, from 0.
    pub idx: usize,
    /// What it does.
    pub description: String,
    /// What runs.
    pub action: StepAction,
    /// For fs steps: the exact file operations that were previewed and approved.
    pub ops: Vec<FileOp>,
    /// The engine's final rating.
    pub level: SafetyLevel,
    /// The engine's decision.
    pub decision: Decision,
    /// Why.
    pub reasons: Vec<String>,
    /// Files it touches, e.g. "12 files, 3.4 MB: a.tmp, b~, …".
    pub preview: String,
    /// Whether undo can revert it.
    pub undoable: bool,
    /// Whether it reaches the network (the sandbox lets it connect out).
    #[serde(default)]
    pub network: bool,
    /// Where the step is.
    pub status: StepStatus,
    /// Exit code of a finished process step.
    pub exit_code: Option<i32>,
}

/// One stored output line.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LogLine {
    /// Step index.
    pub step: usize,
    /// `stdout`, `stderr` or `info`.
    pub stream: String,
    /// The text.
    pub line: String,
    /// When.
    pub at: i64,
}

/// A decision on a pending job.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ApprovalRecord {
    /// Who decided (user name).
    pub by: String,
    /// Approved, or rejected.
    pub approved: bool,
    /// Whether they asked DevOS to remember it as a rule.
    pub remembered: bool,
    /// Their note.
    pub note: String,
    /// When (Unix seconds).
    pub at: i64,
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
        risks: serde_json::from_str(&risks).unwrap_or_default(),
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

/// Clock ticks since boot fit an `i64` for billions of years; saturate anyway.
fn ticks_to_db(ticks: u64) -> i64 {
    i64::try_from(ticks).unwrap_or(i64::MAX)
}

fn ticks_from_db(ticks: i64) -> Result<u64> {
    u64::try_from(ticks)
        .map_err(|_| Error::Invalid(format!("stored start time {ticks} is negative")))
}

fn from_value<T: serde::de::DeserializeOwned>(value: serde_json::Value) -> Result<T> {
    serde_json::from_value(value)
        .map_err(|e| Error::Invalid(format!("stored step is unreadable: {e}")))
}

fn to_json<T: Serialize>(value: &T) -> Result<String> {
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

    /// A user's jobs, newest first.
    pub async fn list_jobs(&self, user_id: i64, filter: &JobFilter) -> Result<Vec<JobRecord>> {
        let pattern = filter.query.as_deref().map(|q| {
            format!(
                "%{}%",
                q.replace('\\', "\\\\")
                    .replace('%', "\\%")
                    .replace('_', "\\_")
            )
        });
        let rows = sqlx::query(&format!(
            "SELECT {JOB_COLUMNS} FROM jobs
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
        rows.iter().map(job_from_row).collect()
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

    /// The steps of a job, in order.
    pub async fn steps(&self, job: JobId) -> Result<Vec<StepRecord>> {
        let rows = sqlx::query(
            "SELECT idx, description, action, ops, level, decision, reasons, preview, undoable,
                network, status, exit_code
             FROM steps WHERE job_id = ? ORDER BY idx",
        )
        .bind(job.0)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|row| {
                let parse = |column: &str| -> Result<serde_json::Value> {
                    let text: String = row.try_get(column)?;
                    serde_json::from_str(&text)
                        .map_err(|e| Error::Invalid(format!("stored {column} is unreadable: {e}")))
                };
                Ok(StepRecord {
                    idx: usize::try_from(row.try_get::<i64, _>("idx")?).unwrap_or(0),
                    description: row.try_get("description")?,
                    action: from_value(parse("action")?)?,
                    ops: from_value(parse("ops")?)?,
                    level: from_value(serde_json::Value::String(row.try_get("level")?))?,
                    decision: from_value(serde_json::Value::String(row.try_get("decision")?))?,
                    reasons: from_value(parse("reasons")?)?,
                    preview: row.try_get("preview")?,
                    undoable: row.try_get("undoable")?,
                    network: row.try_get("network")?,
                    status: row
                        .try_get::<String, _>("status")?
                        .parse()
                        .map_err(Error::Invalid)?,
                    exit_code: row.try_get("exit_code")?,
                })
            })
            .collect()
    }

    /// After a crash: the job's running step becomes `interrupted` and the
    /// steps after it `skipped`.
    pub async fn settle_interrupted_steps(&self, job: JobId) -> Result<()> {
        sqlx::query(
            "UPDATE steps SET
                status = CASE status WHEN 'running' THEN 'interrupted' ELSE 'skipped' END,
                finished_at = ?
             WHERE job_id = ? AND status IN ('running', 'pending')",
        )
        .bind(now_unix())
        .bind(job.0)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Updates one step's status (and exit code).
    pub async fn set_step_status(
        &self,
        job: JobId,
        idx: usize,
        status: StepStatus,
        exit_code: Option<i32>,
    ) -> Result<()> {
        let now = now_unix();
        let status = status.as_str();
        sqlx::query(
            "UPDATE steps SET status = ?, exit_code = COALESCE(?, exit_code),
                started_at = CASE WHEN ? = 'running' THEN ? ELSE started_at END,
                finished_at = CASE WHEN ? IN ('done', 'failed', 'cancelled', 'interrupted') THEN ? ELSE finished_at END
             WHERE job_id = ? AND idx = ?",
        )
        .bind(status)
        .bind(exit_code)
        .bind(status)
        .bind(now)
        .bind(status)
        .bind(now)
        .bind(job.0)
        .bind(i64::try_from(idx).unwrap_or(i64::MAX))
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Records the process group a step runs in and who runs it.
    pub async fn set_step_process(
        &self,
        job: JobId,
        idx: usize,
        process: &StepProcess,
    ) -> Result<()> {
        sqlx::query(
            "UPDATE steps SET pgid = ?, pgid_start_ticks = ?, runner_pid = ?,
                runner_start_ticks = ?, boot_id = ?
             WHERE job_id = ? AND idx = ?",
        )
        .bind(process.leader.pid)
        .bind(ticks_to_db(process.leader.start_ticks))
        .bind(process.runner.pid)
        .bind(ticks_to_db(process.runner.start_ticks))
        .bind(&process.boot_id)
        .bind(job.0)
        .bind(i64::try_from(idx).unwrap_or(i64::MAX))
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// The recorded process groups of a job's `running` steps, by index.
    pub async fn running_step_processes(&self, job: JobId) -> Result<Vec<(usize, StepProcess)>> {
        let rows: Vec<(i64, i32, i64, i32, i64, String)> = sqlx::query_as(
            "SELECT idx, pgid, pgid_start_ticks, runner_pid, runner_start_ticks, boot_id
             FROM steps
             WHERE job_id = ? AND status = 'running' AND pgid IS NOT NULL
                AND pgid_start_ticks IS NOT NULL AND runner_pid IS NOT NULL
                AND runner_start_ticks IS NOT NULL AND boot_id IS NOT NULL
             ORDER BY idx",
        )
        .bind(job.0)
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter()
            .map(|(idx, pgid, pgid_ticks, runner, runner_ticks, boot_id)| {
                Ok((
                    usize::try_from(idx).map_err(|e| Error::Invalid(e.to_string()))?,
                    StepProcess {
                        leader: Process {
                            pid: pgid,
                            start_ticks: ticks_from_db(pgid_ticks)?,
                        },
                        runner: Process {
                            pid: runner,
                            start_ticks: ticks_from_db(runner_ticks)?,
                        },
                        boot_id,
                    },
                ))
            })
            .collect()
    }

    /// Appends output lines of a step.
    pub async fn append_logs(&self, job: JobId, step: usize, lines: &[(&str, &str)]) -> Result<()> {
        if lines.is_empty() {
            return Ok(());
        }
        let mut tx = self.pool.begin().await?;
        let now = now_unix();
        for (stream, line) in lines {
            sqlx::query(
                "INSERT INTO job_logs (job_id, step, stream, line, at) VALUES (?, ?, ?, ?, ?)",
            )
            .bind(job.0)
            .bind(i64::try_from(step).unwrap_or(i64::MAX))
            .bind(stream)
            .bind(line)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// The last `limit` output lines of a job, in order.
    pub async fn logs(&self, job: JobId, limit: u32) -> Result<Vec<LogLine>> {
        let rows: Vec<(i64, String, String, i64)> = sqlx::query_as(
            "SELECT step, stream, line, at FROM (
                SELECT id, step, stream, line, at FROM job_logs WHERE job_id = ?
                ORDER BY id DESC LIMIT ?
             ) ORDER BY id",
        )
        .bind(job.0)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .into_iter()
            .map(|(step, stream, line, at)| LogLine {
                step: usize::try_from(step).unwrap_or(0),
                stream,
                line,
                at,
            })
            .collect())
    }

    /// Up to `limit` output lines of a job stored after line `after_id`
    /// (0 for the first), oldest first, each with its row id to continue from.
    pub async fn logs_after(
        &self,
        job: JobId,
        after_id: i64,
        limit: u32,
    ) -> Result<Vec<(i64, LogLine)>> {
        let rows: Vec<(i64, i64, String, String, i64)> = sqlx::query_as(
            "SELECT id, step, stream, line, at FROM job_logs
             WHERE job_id = ? AND id > ? ORDER BY id LIMIT ?",
        )
        .bind(job.0)
        .bind(after_id)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .into_iter()
            .map(|(id, step, stream, line, at)| {
                let step = usize::try_from(step).unwrap_or(0);
                (
                    id,
                    LogLine {
                        step,
                        stream,
                        line,
                        at,
                    },
                )
            })
            .collect())
    }

    /// Records who decided on a pending job.
    pub async fn insert_approval(
        &self,
        job: JobId,
        user_id: i64,
        approved: bool,
        remember: bool,
        note: &str,
    ) -> Result<()> {
        sqlx::query(
            "INSERT INTO approvals (job_id, user_id, approved, remember, note, at)
             VALUES (?, ?, ?, ?, ?, ?)",
        )
        .bind(job.0)
        .bind(user_id)
        .bind(approved)
        .bind(remember)
        .bind(note)
        .bind(now_unix())
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Decisions on a job, oldest first, with the name of who made them.
    pub async fn approvals(&self, job: JobId) -> Result<Vec<ApprovalRecord>> {
        let rows: Vec<(String, bool, bool, String, i64)> = sqlx::query_as(
            "SELECT u.name, a.approved, a.remember, a.note, a.at
             FROM approvals a JOIN users u ON u.id = a.user_id
             WHERE a.job_id = ? ORDER BY a.id",
        )
        .bind(job.0)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .into_iter()
            .map(|(by, approved, remembered, note, at)| ApprovalRecord {
                by,
                approved,
                remembered,
                note,
                at,
            })
            .collect())
    }
}
