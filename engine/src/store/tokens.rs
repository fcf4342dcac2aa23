//! The `api_tokens` table: only SHA-256 hashes of bearer tokens are stored.

use super::{Store, now_unix};
use crate::Result;
use crate::store::User;

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
        let id = sqlx::query_scalar(
            "INSERT INTO api_tokens (user_id, label, token_hash, created_at) VALUES (?, ?, ?, ?)
             RETURNING id",
        )
        .bind(user_id)
        .bind(label)
        .bind(token_hash)
        .bind(now_unix())
        .fetch_one(&self.pool)
        .await?;
        Ok(NewToken {
            id,
            label: label.to_owned(),
        })
    }

    /// The user owning the token with this hash, marking the token used.
    pub async fn user_by_token_hash(&self, token_hash: &str) -> Result<Option<User>> {
        let user_id: Option<i64> = sqlx::query_scalar(
            "UPDATE api_tokens SET last_used_at = ? WHERE token_hash = ? RETURNING user_id",
        )
        .bind(now_unix())
        .bind(token_hash)
        .fetch_optional(&self.pool)
        .await?;
        match user_id {
            Some(id) => self.user_by_id(id).await,
            None => Ok(None),
        }
    }
}
