//! The `steps` table: each step of a plan as assessed, its status as it
//! runs, and the process group of a running step (so a restarted DevOS can
//! find and stop what an earlier one left running).

use std::collections::HashMap;

use serde::{Deserialize, Serialize};
use sqlx::Row as _;

use super::jobs::to_json;
use super::{Store, now_unix};
use crate::fsops::FileOp;
use crate::job::{JobId, StepStatus};
use crate::lifetime::{Process, StepProcess};
use crate::plan::{Decision, SafetyLevel, StepAction};
use crate::{Error, Result};

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

/// Clock ticks since boot fit an `i64` for billions of years; saturate anyway.
fn ticks_to_db(ticks: u64) -> i64 {
    i64::try_from(ticks).unwrap_or(i64::MAX)
}

fn ticks_from_db(ticks: i64) -> Result<u64> {
    u64::try_from(ticks)
        .map_err(|_| Error::Invalid(format!("stored start time {ticks} is negative")))
}

/// The columns [`step_from_row`] reads.
const STEP_COLUMNS: &str = "idx, description, action, ops, level, decision, reasons, preview, \
     undoable, network, status, exit_code";

fn step_from_row(row: &sqlx::sqlite::SqliteRow) -> Result<StepRecord> {
    let parse = |column: &str| -> Result<serde_json::Value> {
        let text: String = row.try_get(column)?;
        serde_json::from_str(&text)
            .map_err(|e| Error::Invalid(format!("stored {column} is unreadable: {e}")))
    };
    Ok(StepRecord {
        idx: usize::try_from(row.try_get::<i64, _>("idx")?)
            .map_err(|e| Error::Invalid(format!("stored step index: {e}")))?,
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
}

fn from_value<T: serde::de::DeserializeOwned>(value: serde_json::Value) -> Result<T> {
    serde_json::from_value(value)
        .map_err(|e| Error::Invalid(format!("stored step is unreadable: {e}")))
}

impl Store {
    /// The steps of a job, in order.
    pub async fn steps(&self, job: JobId) -> Result<Vec<StepRecord>> {
        let rows = sqlx::query(&format!(
            "SELECT {STEP_COLUMNS} FROM steps WHERE job_id = ? ORDER BY idx"
        ))
        .bind(job.0)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(step_from_row).collect()
    }

    /// The steps of each of `jobs`, in order, in one query; a job without
    /// steps has no entry.
    pub async fn steps_of(&self, jobs: &[JobId]) -> Result<HashMap<JobId, Vec<StepRecord>>> {
        let ids: Vec<i64> = jobs.iter().map(|job| job.0).collect();
        let rows = sqlx::query(&format!(
            "SELECT job_id, {STEP_COLUMNS} FROM steps
             WHERE job_id IN (SELECT value FROM json_each(?)) ORDER BY job_id, idx"
        ))
        .bind(to_json(&ids)?)
        .fetch_all(&self.pool)
        .await?;
        let mut by_job: HashMap<JobId, Vec<StepRecord>> = HashMap::new();
        for row in &rows {
            let job = JobId(row.try_get("job_id")?);
            by_job.entry(job).or_default().push(step_from_row(row)?);
        }
        Ok(by_job)
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
}
