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
        let rows: Vec<String> = sqlx::query_scalar(
            "SELECT entry FROM undo_journal WHERE job_id = ? AND undone_at IS NULL ORDER BY id",
        )
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

    /// Marks a job's journal as undone.
    pub async fn mark_journal_undone(&self, job: JobId) -> Result<()> {
        sqlx::query("UPDATE undo_journal SET undone_at = ? WHERE job_id = ? AND undone_at IS NULL")
            .bind(now_unix())
            .bind(job.0)
            .execute(&self.pool)
            .await?;
        Ok(())
    }
}
