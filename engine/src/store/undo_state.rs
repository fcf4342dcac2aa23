//! A job and what its undo can do, read in one query (and a page of jobs
//! likewise): status polls and job cards need both, and should not pay a
//! query for each.

use sqlx::Row as _;

use super::Store;
use super::jobs::{JOB_COLUMNS, JobRecord, job_from_row};
use super::snapshots::SnapshotPhase;
use crate::Result;
use crate::job::JobId;

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
        let row = sqlx::query(&format!(
            "SELECT {JOB_COLUMNS}, {UNDO_COLUMNS} FROM jobs WHERE id = ? AND user_id = ?"
        ))
        .bind(job.0)
        .bind(user_id)
        .fetch_optional(&self.pool)
        .await?;
        row.as_ref().map(with_undo_from_row).transpose()
    }
}

/// The undo state of each job row, as columns [`with_undo_from_row`] reads
/// beside [`JOB_COLUMNS`].
pub(super) const UNDO_COLUMNS: &str = "
    (SELECT phase FROM snapshots
     WHERE job_id = jobs.id AND dropped_at IS NULL
     ORDER BY id DESC LIMIT 1) AS last_snapshot_phase,
    EXISTS (SELECT 1 FROM undo_journal
            WHERE job_id = jobs.id AND undone_at IS NULL) AS has_journal,
    EXISTS (SELECT 1 FROM undo_journal
            WHERE job_id = jobs.id AND undone_at IS NOT NULL) AS has_undone_journal";

/// A job row selected with [`JOB_COLUMNS`] and [`UNDO_COLUMNS`].
pub(super) fn with_undo_from_row(row: &sqlx::sqlite::SqliteRow) -> Result<JobWithUndo> {
    let phase: Option<String> = row.try_get("last_snapshot_phase")?;
    Ok(JobWithUndo {
        job: job_from_row(row)?,
        last_snapshot: phase.as_deref().map(SnapshotPhase::parse).transpose()?,
        has_journal: row.try_get("has_journal")?,
        has_undone_journal: row.try_get("has_undone_journal")?,
    })
}
