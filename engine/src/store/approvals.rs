//! The `approvals` table: who decided on a pending job, how, and when.

use serde::Serialize;

use super::{Store, now_unix};
use crate::Result;
use crate::job::JobId;

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

impl Store {
    /// Records who decided on a pending job.
    pub async fn insert_approval(
        &self,
        job: JobId,
        user_id: i64,
        approved: bool,
        remember: bool,
        note: &str,
    ) -> Result<()> {
        let now = now_unix();
        sqlx::query!(
            "INSERT INTO approvals (job_id, user_id, approved, remember, note, at)
             VALUES (?, ?, ?, ?, ?, ?)",
            job.0,
            user_id,
            approved,
            remember,
            note,
            now,
        )
        .execute(&self.pool)
        .await?;
        Ok(())
    }
    /// Decisions on a job, oldest first, with the name of who made them.
    pub async fn approvals(&self, job: JobId) -> Result<Vec<ApprovalRecord>> {
        Ok(sqlx::query_as!(
            ApprovalRecord,
            r#"SELECT u.name AS by, a.approved AS "approved: bool",
                a.remember AS "remembered: bool", a.note, a.at
             FROM approvals a JOIN users u ON u.id = a.user_id
             WHERE a.job_id = ? ORDER BY a.id"#,
            job.0
        )
        .fetch_all(&self.pool)
        .await?)
    }
}
