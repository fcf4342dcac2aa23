//! The `api_tokens` table: only SHA-256 hashes of bearer tokens are stored.

use super::{Store, now_unix};
use crate::Result;
use crate::store::User;

/// A token as its owner sees it (never the secret, never the hash).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenSummary {
    /// Row id, for revoking.
    pub id: i64,
    /// The label given at creation.
    pub label: String,
    /// Unix seconds.
    pub created_at: i64,
    /// Unix seconds, to the minute; `None` until first used.
    pub last_used_at: Option<i64>,
}

/// How precisely a token's last use is recorded.
const LAST_USE_RESOLUTION_SECS: i64 = 60;

/// A freshly created token row (the secret itself is returned separately, once).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewToken {
    /// Row id.
    pub id: i64,
    /// The label given at creation.
    pub label: String,
}

impl Store {
    /// Stores the hash of a new token for `user_id`.
    pub async fn insert_token(
        &self,
        user_id: i64,
        label: &str,
        token_hash: &str,
    ) -> Result<NewToken> {
        let now = now_unix();
        let id = sqlx::query_scalar!(
            r#"INSERT INTO api_tokens (user_id, label, token_hash, created_at) VALUES (?, ?, ?, ?)
             RETURNING id AS "id!""#,
            user_id,
            label,
            token_hash,
            now,
        )
        .fetch_one(&self.pool)
        .await?;
        Ok(NewToken {
            id,
            label: label.to_owned(),
        })
    }

    /// The user owning the token with this hash. The token's last use is
    /// written at most once a minute, so authenticated reads stay reads and
    /// do not queue behind the jobs' writes.
    pub async fn user_by_token_hash(&self, token_hash: &str) -> Result<Option<User>> {
        let row = sqlx::query!(
            r#"SELECT u.id AS "id!", u.name, u.created_at, t.last_used_at
             FROM api_tokens t JOIN users u ON u.id = t.user_id
             WHERE t.token_hash = ?"#,
            token_hash
        )
        .fetch_optional(&self.pool)
        .await?;
        let Some(row) = row else {
            return Ok(None);
        };
        let now = now_unix();
        if row
            .last_used_at
            .is_none_or(|at| now - at >= LAST_USE_RESOLUTION_SECS)
        {
            sqlx::query!(
                "UPDATE api_tokens SET last_used_at = ? WHERE token_hash = ?",
                now,
                token_hash
            )
            .execute(&self.pool)
            .await?;
        }
        Ok(Some(User {
            id: row.id,
            name: row.name,
            created_at: row.created_at,
        }))
    }

    /// The user's tokens, newest first.
    pub async fn list_tokens(&self, user_id: i64) -> Result<Vec<TokenSummary>> {
        Ok(sqlx::query_as!(
            TokenSummary,
            r#"SELECT id AS "id!", label, created_at, last_used_at FROM api_tokens
             WHERE user_id = ? ORDER BY id DESC"#,
            user_id
        )
        .fetch_all(&self.pool)
        .await?)
    }

    /// Deletes one of the user's tokens; true when it existed. A request
    /// with it gets 401 from then on (tokens are looked up on every request).
    pub async fn revoke_token(&self, user_id: i64, id: i64) -> Result<bool> {
        let done = sqlx::query!(
            "DELETE FROM api_tokens WHERE id = ? AND user_id = ?",
            id,
            user_id
        )
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected() > 0)
    }
}
