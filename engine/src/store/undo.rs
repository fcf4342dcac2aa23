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
        sqlx::query("INSERT INTO undo_journal (job_id, step, entry, at) VALUES (?, ?, ?, ?)")
            .bind(job.0)
            .bind(i64::try_from(step).unwrap_or(i64::MAX))
            .bind(json)
            .bind(now_unix())
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// The journal entries of a job not yet undone, in the order they were written.
    pub async fn journal(&self, job: JobId) -> Result<Vec<JournalEntry>> {
        self.journal_where(job, "undone_at IS NULL").await
    }

    /// The journal entries of a job that were undone (what a redo applies
    /// again), in the order they were written.
    pub async fn undone_journal(&self, job: JobId) -> Result<Vec<JournalEntry>> {
        self.journal_where(job, "undone_at IS NOT NULL").await
    }

    async fn journal_where(&self, job: JobId, state: &'static str) -> Result<Vec<JournalEntry>> {
        let rows: Vec<String> = sqlx::query_scalar(&format!(
            "SELECT entry FROM undo_journal WHERE job_id = ? AND {state} ORDER BY id"
        ))
        .bind(job.0)
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
        sqlx::query("UPDATE undo_journal SET undone_at = NULL WHERE job_id = ?")
            .bind(job.0)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Marks a job's journal as undone.
    pub async fn mark_journal_undone(&self, job: JobId) -> Result<()> {
        sqlx::query("UPDATE undo_journal SET undone_at = ? WHERE job_id = ? AND undone_at IS NULL")
            .bind(now_unix())
            .bind(job.0)
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
        let rows: Vec<(i64, String, i64, String)> = sqlx::query_as(
            "SELECT u.job_id, j.request, u.at, u.entry FROM undo_journal u JOIN jobs j ON j.id = u.job_id
             WHERE j.user_id = ? AND u.undone_at IS NULL AND json_extract(u.entry, '$.kind') = 'trashed'
             ORDER BY u.job_id DESC, u.id",
        )
        .bind(user_id)
        .fetch_all(&self.pool)
        .await?;
        let mut jobs: Vec<(JobId, String, i64, Vec<JournalEntry>)> = Vec::new();
        for (job, request, at, entry) in rows {
            let entry: JournalEntry = serde_json::from_str(&entry)
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
        let rows: Vec<(i64, i64)> = sqlx::query_as(
            "SELECT job_id, MIN(at) FROM undo_journal
             WHERE undone_at IS NULL AND json_extract(entry, '$.kind') = 'trashed'
             GROUP BY job_id ORDER BY MIN(at), job_id",
        )
        .fetch_all(&self.pool)
        .await?;
        Ok(rows.into_iter().map(|(job, at)| (JobId(job), at)).collect())
    }
}
