//! The `browser_sessions` table: one row per browser login, with when it
//! started and was last seen, from where and with which browser, so a user
//! can see their open sessions and end any of them.

use super::{Store, now_unix};
use crate::Result;

/// Last-seen times are written at most this often per session (seconds),
/// so a busy page does not write on every request.
const TOUCH_EVERY_SECS: i64 = 60;

/// The longest user agent kept; longer ones are cut.
const MAX_USER_AGENT: usize = 300;

/// An open browser session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BrowserSession {
    /// Row id (kept in the session's data).
    pub id: i64,
    /// When the login happened.
    pub started_at: i64,
    /// The last request, to within a minute.
    pub last_seen_at: i64,
    /// The client address at login.
    pub address: String,
    /// The browser's User-Agent at login.
    pub user_agent: String,
}

impl Store {
    /// Records a login; returns the row id the session keeps.
    pub async fn start_browser_session(
        &self,
        user_id: i64,
        address: &str,
        user_agent: &str,
    ) -> Result<i64> {
        let now = now_unix();
        let agent: String = user_agent.chars().take(MAX_USER_AGENT).collect();
        Ok(sqlx::query_scalar!(
            r#"INSERT INTO browser_sessions (user_id, started_at, last_seen_at, address, user_agent)
             VALUES (?, ?, ?, ?, ?) RETURNING id AS "id!""#,
            user_id,
            now,
            now,
            address,
            agent,
        )
        .fetch_one(&self.pool)
        .await?)
    }

    /// Whether session `id` of `user_id` is still open; notes that it was
    /// seen now (at most once a minute).
    pub async fn touch_browser_session(&self, user_id: i64, id: i64) -> Result<bool> {
        let now = now_unix();
        let last_seen = sqlx::query_scalar!(
            "SELECT last_seen_at FROM browser_sessions
             WHERE id = ? AND user_id = ? AND ended_at IS NULL",
            id,
            user_id
        )
        .fetch_optional(&self.pool)
        .await?;
        let Some(last_seen) = last_seen else {
            return Ok(false);
        };
        if now - last_seen >= TOUCH_EVERY_SECS {
            sqlx::query!(
                "UPDATE browser_sessions SET last_seen_at = ? WHERE id = ?",
                now,
                id
            )
            .execute(&self.pool)
            .await?;
        }
        Ok(true)
    }

    /// The user's open sessions seen since `since`, most recently seen first.
    pub async fn open_browser_sessions(
        &self,
        user_id: i64,
        since: i64,
    ) -> Result<Vec<BrowserSession>> {
        Ok(sqlx::query_as!(
            BrowserSession,
            r#"SELECT id AS "id!", started_at, last_seen_at, address, user_agent
             FROM browser_sessions
             WHERE user_id = ? AND ended_at IS NULL AND last_seen_at >= ?
             ORDER BY last_seen_at DESC, id DESC"#,
            user_id,
            since
        )
        .fetch_all(&self.pool)
        .await?)
    }

    /// Ends session `id` of `user_id`; false when it was not open.
    pub async fn end_browser_session(&self, user_id: i64, id: i64) -> Result<bool> {
        let now = now_unix();
        let ended = sqlx::query!(
            "UPDATE browser_sessions SET ended_at = ? WHERE id = ? AND user_id = ? AND ended_at IS NULL",
            now,
            id,
            user_id
        )
        .execute(&self.pool)
        .await?;
        Ok(ended.rows_affected() == 1)
    }

    /// Ends every open session of `user_id` except `keep` (when given);
    /// returns how many ended.
    pub async fn end_browser_sessions_except(
        &self,
        user_id: i64,
        keep: Option<i64>,
    ) -> Result<u64> {
        let now = now_unix();
        let ended = sqlx::query!(
            "UPDATE browser_sessions SET ended_at = ?
             WHERE user_id = ? AND ended_at IS NULL AND id IS NOT ?",
            now,
            user_id,
            keep
        )
        .execute(&self.pool)
        .await?;
        Ok(ended.rows_affected())
    }
}
