//! The `login_attempts` table: per-account backoff after failed logins.
//!
//! An attempt is counted *before* its password is hashed, in one statement,
//! so parallel guesses are limited exactly like sequential ones.

use super::{Store, now_unix};
use crate::Result;

/// Failures older than this are forgotten.
const FORGET_AFTER_SECS: i64 = 24 * 60 * 60;
/// The first lockout; each further failure doubles it, up to [`MAX_LOCK_SECS`].
const FIRST_LOCK_SECS: i64 = 60;
const MAX_LOCK_SECS: i64 = 60 * 60;

/// Whether a login attempt may go on to the password check.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LoginAttempt {
    /// Counted; check the password and clear the count on success.
    Allowed,
    /// The account is locked for this many more seconds.
    Locked {
        /// Seconds until the next attempt is checked.
        wait_secs: i64,
    },
}

impl Store {
    /// Counts an attempt for `account` unless it is locked. The attempt that
    /// reaches `max_failures` sets the lock (60 s, doubling with each further
    /// failure up to an hour), so at most `max_failures` guesses are ever
    /// checked before the lock, however many arrive at once.
    pub async fn reserve_login_attempt(
        &self,
        account: &str,
        max_failures: u32,
    ) -> Result<LoginAttempt> {
        let now = now_unix();
        let forget_before = now - FORGET_AFTER_SECS;
        sqlx::query!(
            "DELETE FROM login_attempts WHERE last_attempt_at < ? AND locked_until < ?",
            forget_before,
            now
        )
        .execute(&self.pool)
        .await?;
        let max_failures = i64::from(max_failures);
        let counted = sqlx::query_scalar!(
            "INSERT INTO login_attempts (account, failures, last_attempt_at, locked_until)
             VALUES (?1, 1, ?2, CASE WHEN 1 >= ?3 THEN ?2 + ?4 ELSE 0 END)
             ON CONFLICT (account) DO UPDATE SET
                 failures = failures + 1,
                 last_attempt_at = ?2,
                 locked_until = CASE WHEN failures + 1 >= ?3
                     THEN ?2 + min(?5, ?4 << min(6, failures + 1 - ?3))
                     ELSE 0 END
             WHERE locked_until <= ?2
             RETURNING failures",
            account,
            now,
            max_failures,
            FIRST_LOCK_SECS,
            MAX_LOCK_SECS,
        )
        .fetch_optional(&self.pool)
        .await?;
        if counted.is_some() {
            return Ok(LoginAttempt::Allowed);
        }
        let locked_until = sqlx::query_scalar!(
            "SELECT locked_until FROM login_attempts WHERE account = ?",
            account
        )
        .fetch_one(&self.pool)
        .await?;
        Ok(LoginAttempt::Locked {
            wait_secs: (locked_until - now).max(1),
        })
    }

    /// Forgets the account's failures (after a successful login, or
    /// `devos user unlock`); true when there were any.
    pub async fn clear_login_failures(&self, account: &str) -> Result<bool> {
        let done = sqlx::query!("DELETE FROM login_attempts WHERE account = ?", account)
            .execute(&self.pool)
            .await?;
        Ok(done.rows_affected() > 0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn store() -> (tempfile::TempDir, Store) {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).await.unwrap();
        (dir, store)
    }

    #[tokio::test]
    async fn the_attempt_that_reaches_the_limit_locks_the_next_ones() {
        let (_dir, store) = store().await;
        for _ in 0..3 {
            assert_eq!(
                store.reserve_login_attempt("alice", 3).await.unwrap(),
                LoginAttempt::Allowed
            );
        }
        let LoginAttempt::Locked { wait_secs } =
            store.reserve_login_attempt("alice", 3).await.unwrap()
        else {
            panic!("a fourth attempt must be refused");
        };
        assert!((1..=FIRST_LOCK_SECS).contains(&wait_secs), "{wait_secs}");
        assert_eq!(
            store.reserve_login_attempt("bob", 3).await.unwrap(),
            LoginAttempt::Allowed,
            "other accounts are not affected"
        );
    }

    #[tokio::test]
    async fn parallel_attempts_are_counted_one_by_one() {
        let (_dir, store) = store().await;
        let attempts = (0..20).map(|_| store.reserve_login_attempt("alice", 5));
        let results = futures::future::join_all(attempts).await;
        let allowed = results
            .iter()
            .filter(|r| matches!(r, Ok(LoginAttempt::Allowed)))
            .count();
        assert_eq!(allowed, 5, "{results:?}");
    }

    #[tokio::test]
    async fn clearing_unlocks_at_once() {
        let (_dir, store) = store().await;
        store.reserve_login_attempt("alice", 1).await.unwrap();
        assert!(matches!(
            store.reserve_login_attempt("alice", 1).await.unwrap(),
            LoginAttempt::Locked { .. }
        ));
        assert!(store.clear_login_failures("alice").await.unwrap());
        assert!(!store.clear_login_failures("alice").await.unwrap());
        assert_eq!(
            store.reserve_login_attempt("alice", 1).await.unwrap(),
            LoginAttempt::Allowed
        );
    }
}
