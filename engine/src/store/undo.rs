//! The `undo_journal` table: one row per typed file change, written before the change.

use super::{Store, now_unix};
use crate::fsops::JournalEntry;
use crate::job::JobId;
use crate::{Error, Result};

impl Store {
    /// Appends a journal entry for a step of a job.
    pub async fn insert_journal(
        &self,
        job: JobId,
        step: usize,
        entry: &JournalEntry,
    ) -> Result<()> {
        let json = serde_json::to_string(entry)
            .map_err(|e| Error::Task(format!("serializing a journal entry: {e}")))?;
        let (step, now) = (i64::try_from(step).unwrap_or(i64::MAX), now_unix());
        sqlx::query!(
            "INSERT INTO undo_journal (job_id, step, entry, at) VALUES (?, ?, ?, ?)",
            job.0,
            step,
            json,
            now,
        )
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// The journal entries of a job not yet undone, in the order they were written.
    pub async fn journal(&self, job: JobId) -> Result<Vec<JournalEntry>> {
        self.journal_where(job, false).await
    }

    /// The journal entries of a job that were undone (what a redo applies
    /// again), in the order they were written.
    pub async fn undone_journal(&self, job: JobId) -> Result<Vec<JournalEntry>> {
        self.journal_where(job, true).await
    }

    async fn journal_where(&self, job: JobId, undone: bool) -> Result<Vec<JournalEntry>> {
        let rows = sqlx::query_scalar!(
            "SELECT entry FROM undo_journal
             WHERE job_id = ? AND (undone_at IS NOT NULL) = ? ORDER BY id",
            job.0,
            undone
        )
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|text| {
                serde_json::from_str(text)
                    .map_err(|e| Error::Invalid(format!("a journal entry is unreadable: {e}")))
            })
            .collect()
    }

    /// Marks a job's undone journal as applied again (a redo).
    pub async fn mark_journal_redone(&self, job: JobId) -> Result<()> {
        sqlx::query!(
            "UPDATE undo_journal SET undone_at = NULL WHERE job_id = ?",
            job.0
        )
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Marks a job's journal as undone.
    pub async fn mark_journal_undone(&self, job: JobId) -> Result<()> {
        let now = now_unix();
        sqlx::query!(
            "UPDATE undo_journal SET undone_at = ? WHERE job_id = ? AND undone_at IS NULL",
            now,
            job.0
        )
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Jobs of a user with trashed files that can still be restored:
    /// (job, request, trashed at, entries), newest first.
    pub async fn trashed_jobs(
        &self,
        user_id: i64,
    ) -> Result<Vec<(JobId, String, i64, Vec<JournalEntry>)>> {
        let rows = sqlx::query!(
            "SELECT u.job_id, j.request, u.at, u.entry FROM undo_journal u JOIN jobs j ON j.id = u.job_id
             WHERE j.user_id = ? AND u.undone_at IS NULL AND json_extract(u.entry, '$.kind') = 'trashed'
             ORDER BY u.job_id DESC, u.id",
            user_id
        )
        .fetch_all(&self.pool)
        .await?;
        let mut jobs: Vec<(JobId, String, i64, Vec<JournalEntry>)> = Vec::new();
        for row in rows {
            let (job, request, at) = (row.job_id, row.request, row.at);
            let entry: JournalEntry = serde_json::from_str(&row.entry)
                .map_err(|e| Error::Invalid(format!("a journal entry is unreadable: {e}")))?;
            match jobs.last_mut() {
                Some(last) if last.0 == JobId(job) => last.3.push(entry),
                _ => jobs.push((JobId(job), request, at, vec![entry])),
            }
        }
        Ok(jobs)
    }

    /// Ids and times of every job (any user) with restorable trash, oldest first.
    pub async fn jobs_with_trash(&self) -> Result<Vec<(JobId, i64)>> {
        let rows = sqlx::query!(
            r#"SELECT job_id AS "job_id!", MIN(at) AS "at!: i64" FROM undo_journal
             WHERE undone_at IS NULL AND json_extract(entry, '$.kind') = 'trashed'
             GROUP BY job_id ORDER BY MIN(at), job_id"#
        )
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .into_iter()
            .map(|row| (JobId(row.job_id), row.at))
            .collect())
    }
}
