//! The `audit_log` table: logins, failed logins, setup, token creation.

use super::{Store, now_unix};
use crate::Result;

/// One audit entry to record.
#[derive(Debug, Clone, Copy)]
pub struct AuditEvent<'a> {
    /// Who (the user name given, even when unknown).
    pub user_name: &'a str,
    /// Where from (client address, or `cli`).
    pub client: &'a str,
    /// What happened (`login`, `login_failed`, `setup`, `token_created`, …).
    pub event: &'a str,
    /// Free detail.
    pub detail: &'a str,
}

impl Store {
    /// Appends an audit entry.
    pub async fn audit(&self, event: AuditEvent<'_>) -> Result<()> {
        let now = now_unix();
        sqlx::query!(
            "INSERT INTO audit_log (at, user_name, client, event, detail) VALUES (?, ?, ?, ?, ?)",
            now,
            event.user_name,
            event.client,
            event.event,
            event.detail,
        )
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// How many audit entries of a kind exist (used by tests and the Settings page).
    pub async fn count_audit(&self, event: &str) -> Result<i64> {
        Ok(sqlx::query_scalar!(
            r#"SELECT COUNT(*) AS "count!: i64" FROM audit_log WHERE event = ?"#,
            event
        )
        .fetch_one(&self.pool)
        .await?)
    }
}
