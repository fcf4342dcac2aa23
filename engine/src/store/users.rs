//! The `users` table.

use serde::Serialize;

use super::{Store, now_unix};
use crate::{Error, Result};

/// A local account. The password hash never leaves the engine.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct User {
    /// Row id.
    pub id: i64,
    /// Login name (case-insensitive unique).
    pub name: String,
    /// When the account was made.
    pub created_at: i64,
}

/// A user row with one more column (`extra`) a query reads beside it.
struct UserWith<T> {
    id: i64,
    name: String,
    created_at: i64,
    extra: T,
}

impl<T> UserWith<T> {
    fn split(self) -> (User, T) {
        let user = User {
            id: self.id,
            name: self.name,
            created_at: self.created_at,
        };
        (user, self.extra)
    }
}

impl Store {
    /// Creates a user with an already computed password hash.
    pub async fn insert_user(&self, name: &str, password_hash: &str) -> Result<User> {
        let now = now_unix();
        let row = sqlx::query_as!(
            User,
            r#"INSERT INTO users (name, password_hash, created_at) VALUES (?, ?, ?)
             RETURNING id AS "id!", name, created_at"#,
            name,
            password_hash,
            now,
        )
        .fetch_one(&self.pool)
        .await;
        match row {
            Err(sqlx::Error::Database(e)) if e.is_unique_violation() => Err(Error::Conflict(
                format!("a user named `{name}` already exists"),
            )),
            other => Ok(other?),
        }
    }

    /// How many accounts exist (0 means first-run setup is open).
    pub async fn count_users(&self) -> Result<i64> {
        Ok(
            sqlx::query_scalar!(r#"SELECT COUNT(*) AS "count!: i64" FROM users"#)
                .fetch_one(&self.pool)
                .await?,
        )
    }

    /// The user and their password hash, by name.
    pub async fn user_with_hash(&self, name: &str) -> Result<Option<(User, String)>> {
        let row = sqlx::query_as!(
            UserWith::<String>,
            r#"SELECT id AS "id!", name, created_at, password_hash AS extra
             FROM users WHERE name = ?"#,
            name
        )
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.map(UserWith::split))
    }

    /// A user by id.
    pub async fn user_by_id(&self, id: i64) -> Result<Option<User>> {
        Ok(sqlx::query_as!(
            User,
            "SELECT id, name, created_at FROM users WHERE id = ?",
            id
        )
        .fetch_optional(&self.pool)
        .await?)
    }

    /// A user by name.
    pub async fn user_by_name(&self, name: &str) -> Result<Option<User>> {
        Ok(sqlx::query_as!(
            User,
            r#"SELECT id AS "id!", name, created_at FROM users WHERE name = ?"#,
            name
        )
        .fetch_optional(&self.pool)
        .await?)
    }

    /// The oldest account (the one first-run setup made).
    pub async fn first_user(&self) -> Result<Option<User>> {
        Ok(sqlx::query_as!(
            User,
            "SELECT id, name, created_at FROM users ORDER BY id LIMIT 1"
        )
        .fetch_optional(&self.pool)
        .await?)
    }

    /// A user by id with their session epoch, in one query (every
    /// session-authenticated request asks this).
    pub async fn user_with_session_epoch(&self, id: i64) -> Result<Option<(User, i64)>> {
        let row = sqlx::query_as!(
            UserWith::<i64>,
            "SELECT id, name, created_at, session_epoch AS extra FROM users WHERE id = ?",
            id
        )
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.map(UserWith::split))
    }

    /// The user's session epoch: a session made in an older one is over.
    pub async fn session_epoch(&self, user_id: i64) -> Result<i64> {
        Ok(
            sqlx::query_scalar!("SELECT session_epoch FROM users WHERE id = ?", user_id)
                .fetch_optional(&self.pool)
                .await?
                .unwrap_or(0),
        )
    }

    /// Starts a new session epoch (every existing session ends); returns it.
    pub async fn bump_session_epoch(&self, user_id: i64) -> Result<i64> {
        Ok(sqlx::query_scalar!(
            r#"UPDATE users SET session_epoch = session_epoch + 1 WHERE id = ?
             RETURNING session_epoch AS "session_epoch!""#,
            user_id
        )
        .fetch_one(&self.pool)
        .await?)
    }

    /// Replaces the password hash and starts a new session epoch; returns it.
    pub async fn set_password_hash(&self, user_id: i64, password_hash: &str) -> Result<i64> {
        Ok(sqlx::query_scalar!(
            r#"UPDATE users SET password_hash = ?, session_epoch = session_epoch + 1
             WHERE id = ? RETURNING session_epoch AS "session_epoch!""#,
            password_hash,
            user_id
        )
        .fetch_one(&self.pool)
        .await?)
    }
}
