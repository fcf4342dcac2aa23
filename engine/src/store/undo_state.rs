//! A job and what its undo can do (the `job_undo_state` view), read in the
//! one query of [`Store::job_rows`] (and a page of jobs likewise): status
//! polls and job cards need both, and should not pay a query for each.

use std::path::PathBuf;

use super::Store;
use super::jobs::{JobRecord, JobRows};
use super::snapshots::SnapshotPhase;
use crate::job::JobId;
use crate::{Error, Result};

/// [`JobRecord`] with its undo state.
#[derive(Debug, Clone, PartialEq)]
pub struct JobWithUndo {
    /// The job.
    pub job: JobRecord,
    /// Phase of the job's newest kept snapshot, if any.
    pub last_snapshot: Option<SnapshotPhase>,
    /// Whether typed file actions left journal entries not yet undone.
    pub has_journal: bool,
    /// Whether typed file actions left journal entries that were undone.
    pub has_undone_journal: bool,
}

impl Store {
    /// The job, when `user_id` owns it, with its undo state.
    pub async fn job_with_undo_state(
        &self,
        job: JobId,
        user_id: i64,
    ) -> Result<Option<JobWithUndo>> {
        let rows = JobRows {
            user_id,
            ids: job.0..job.0.saturating_add(1),
            status: None,
            pattern: None,
            limit: 1,
        };
        Ok(self.job_rows(&rows).await?.pop())
    }
}

/// A `jobs` row with its `job_undo_state`, as SQLite stores them.
pub(super) struct JobRow {
    pub(super) id: i64,
    pub(super) user_id: i64,
    pub(super) request: String,
    pub(super) cwd: String,
    pub(super) status: String,
    pub(super) planner: String,
    pub(super) interpretation: String,
    pub(super) explanation: String,
    pub(super) risks: String,
    pub(super) requires_approval: i64,
    pub(super) estimated_cost_micros: i64,
    pub(super) model_used: Option<String>,
    pub(super) result: Option<String>,
    pub(super) error: Option<String>,
    pub(super) approval_deadline_at: Option<i64>,
    pub(super) created_at: i64,
    pub(super) updated_at: i64,
    pub(super) started_at: Option<i64>,
    pub(super) finished_at: Option<i64>,
    pub(super) context: String,
    pub(super) write_roots: String,
    pub(super) last_snapshot_phase: Option<String>,
    pub(super) has_journal: i64,
    pub(super) has_undone_journal: i64,
}

impl TryFrom<JobRow> for JobWithUndo {
    type Error = Error;

    fn try_from(row: JobRow) -> Result<Self> {
        let job = JobRecord {
            id: JobId(row.id),
            user_id: row.user_id,
            request: row.request,
            cwd: PathBuf::from(row.cwd),
            status: row.status.parse().map_err(Error::Invalid)?,
            planner: row.planner,
            interpretation: row.interpretation,
            explanation: row.explanation,
            risks: serde_json::from_str(&row.risks).map_err(|error| {
                Error::Invalid(format!("the stored risks are malformed: {error}"))
            })?,
            requires_approval: row.requires_approval != 0,
            estimated_cost_micros: row.estimated_cost_micros,
            model_used: row.model_used,
            result: row.result,
            error: row.error,
            approval_deadline_at: row.approval_deadline_at,
            created_at: row.created_at,
            updated_at: row.updated_at,
            started_at: row.started_at,
            finished_at: row.finished_at,
            context: row.context,
            write_roots: serde_json::from_str(&row.write_roots).map_err(|error| {
                Error::Invalid(format!("the stored write roots are malformed: {error}"))
            })?,
        };
        Ok(Self {
            job,
            last_snapshot: row
                .last_snapshot_phase
                .as_deref()
                .map(SnapshotPhase::parse)
                .transpose()?,
            has_journal: row.has_journal != 0,
            has_undone_journal: row.has_undone_journal != 0,
        })
    }
}
