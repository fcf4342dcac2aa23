//! The `steps` table: each step of a plan as assessed, its status as it
//! runs, and the process group of a running step (so a restarted DevOS can
//! find and stop what an earlier one left running).

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

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

/// A `steps` row as SQLite stores it.
struct StepRow {
    job_id: i64,
    idx: i64,
    description: String,
    action: String,
    ops: String,
    level: String,
    decision: String,
    reasons: String,
    preview: String,
    undoable: i64,
    network: i64,
    status: String,
    exit_code: Option<i64>,
}

impl TryFrom<StepRow> for StepRecord {
    type Error = Error;

    fn try_from(row: StepRow) -> Result<Self> {
        let parse = |column: &str, text: &str| -> Result<serde_json::Value> {
            serde_json::from_str(text)
                .map_err(|e| Error::Invalid(format!("stored {column} is unreadable: {e}")))
        };
        Ok(Self {
            idx: usize::try_from(row.idx)
                .map_err(|e| Error::Invalid(format!("stored step index: {e}")))?,
            description: row.description,
            action: from_value(parse("action", &row.action)?)?,
            ops: from_value(parse("ops", &row.ops)?)?,
            level: from_value(serde_json::Value::String(row.level))?,
            decision: from_value(serde_json::Value::String(row.decision))?,
            reasons: from_value(parse("reasons", &row.reasons)?)?,
            preview: row.preview,
            undoable: row.undoable != 0,
            network: row.network != 0,
            status: row.status.parse().map_err(Error::Invalid)?,
            exit_code: row
                .exit_code
                .map(|code| {
                    i32::try_from(code)
                        .map_err(|e| Error::Invalid(format!("stored exit code {code}: {e}")))
                })
                .transpose()?,
        })
    }
}

fn from_value<T: serde::de::DeserializeOwned>(value: serde_json::Value) -> Result<T> {
    serde_json::from_value(value)
        .map_err(|e| Error::Invalid(format!("stored step is unreadable: {e}")))
}

impl Store {
    /// The steps of a job, in order.
    pub async fn steps(&self, job: JobId) -> Result<Vec<StepRecord>> {
        Ok(self
            .steps_of(&[job])
            .await?
            .remove(&job)
            .unwrap_or_default())
    }

    /// The steps of each of `jobs`, in order, in one query; a job without
    /// steps has no entry.
    pub async fn steps_of(&self, jobs: &[JobId]) -> Result<HashMap<JobId, Vec<StepRecord>>> {
        let ids: Vec<i64> = jobs.iter().map(|job| job.0).collect();
        let ids = to_json(&ids)?;
        let rows = sqlx::query_as!(
            StepRow,
            "SELECT job_id, idx, description, action, ops, level, decision, reasons, preview,
                undoable, network, status, exit_code
             FROM steps
             WHERE job_id IN (SELECT value FROM json_each(?)) ORDER BY job_id, idx",
            ids
        )
        .fetch_all(&self.pool)
        .await?;
        let mut by_job: HashMap<JobId, Vec<StepRecord>> = HashMap::new();
        for row in rows {
            let job = JobId(row.job_id);
            by_job
                .entry(job)
                .or_default()
                .push(StepRecord::try_from(row)?);
        }
        Ok(by_job)
    }

    /// After a crash: the job's running step becomes `interrupted` and the
    /// steps after it `skipped`.
    pub async fn settle_interrupted_steps(&self, job: JobId) -> Result<()> {
        let now = now_unix();
        sqlx::query!(
            "UPDATE steps SET
                status = CASE status WHEN 'running' THEN 'interrupted' ELSE 'skipped' END,
                finished_at = ?
             WHERE job_id = ? AND status IN ('running', 'pending')",
            now,
            job.0
        )
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
        let idx = i64::try_from(idx).unwrap_or(i64::MAX);
        sqlx::query!(
            "UPDATE steps SET status = ?1, exit_code = COALESCE(?2, exit_code),
                started_at = CASE WHEN ?1 = 'running' THEN ?3 ELSE started_at END,
                finished_at = CASE WHEN ?1 IN ('done', 'failed', 'cancelled', 'interrupted') THEN ?3 ELSE finished_at END
             WHERE job_id = ?4 AND idx = ?5",
            status,
            exit_code,
            now,
            job.0,
            idx,
        )
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
        let (leader_ticks, runner_ticks) = (
            ticks_to_db(process.leader.start_ticks),
            ticks_to_db(process.runner.start_ticks),
        );
        let idx = i64::try_from(idx).unwrap_or(i64::MAX);
        sqlx::query!(
            "UPDATE steps SET pgid = ?, pgid_start_ticks = ?, runner_pid = ?,
                runner_start_ticks = ?, boot_id = ?
             WHERE job_id = ? AND idx = ?",
            process.leader.pid,
            leader_ticks,
            process.runner.pid,
            runner_ticks,
            process.boot_id,
            job.0,
            idx,
        )
        .execute(&self.pool)
        .await?;
        Ok(())
    }
    /// The recorded process groups of a job's `running` steps, by index.
    pub async fn running_step_processes(&self, job: JobId) -> Result<Vec<(usize, StepProcess)>> {
        let rows = sqlx::query!(
            r#"SELECT idx, pgid AS "pgid!", pgid_start_ticks AS "pgid_start_ticks!",
                runner_pid AS "runner_pid!", runner_start_ticks AS "runner_start_ticks!",
                boot_id AS "boot_id!"
             FROM steps
             WHERE job_id = ? AND status = 'running' AND pgid IS NOT NULL
                AND pgid_start_ticks IS NOT NULL AND runner_pid IS NOT NULL
                AND runner_start_ticks IS NOT NULL AND boot_id IS NOT NULL
             ORDER BY idx"#,
            job.0
        )
        .fetch_all(&self.pool)
        .await?;
        let pid = |pid: i64| {
            i32::try_from(pid).map_err(|e| Error::Invalid(format!("stored pid {pid}: {e}")))
        };
        rows.into_iter()
            .map(|row| {
                Ok((
                    usize::try_from(row.idx).map_err(|e| Error::Invalid(e.to_string()))?,
                    StepProcess {
                        leader: Process {
                            pid: pid(row.pgid)?,
                            start_ticks: ticks_from_db(row.pgid_start_ticks)?,
                        },
                        runner: Process {
                            pid: pid(row.runner_pid)?,
                            start_ticks: ticks_from_db(row.runner_start_ticks)?,
                        },
                        boot_id: row.boot_id,
                    },
                ))
            })
            .collect()
    }
}
