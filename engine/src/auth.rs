//! Local accounts: argon2id password hashing (off the async runtime, a few
//! at a time), login with per-account backoff, bearer token minting and
//! hashing, and the one-time setup token. Sessions and cookies belong to the
//! server crate.

use std::collections::HashMap;
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant};

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use rand::RngCore;
use rand::rngs::OsRng;
use sha2::{Digest, Sha256};

use tokio::sync::Semaphore;

use crate::store::{AuditEvent, LoginAttempt, Store, User};
use crate::{Error, Result};

/// Shortest password accepted.
pub const MIN_PASSWORD_LEN: usize = 8;
/// Longest password accepted (argon2 input stays bounded).
pub const MAX_PASSWORD_LEN: usize = 1024;
/// Prefix of every API token, so leaked tokens are recognisable.
pub const TOKEN_PREFIX: &str = "dvs_";

fn argon2() -> Argon2<'static> {
    // OWASP's argon2id baseline: 19 MiB, 2 passes, 1 lane.
    let params = Params::new(19 * 1024, 2, 1, None).unwrap_or_default();
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// Password hashes computed at once: each takes 19 MiB and a core for tens
/// of milliseconds, so a burst of logins waits here instead of exhausting
/// memory.
static HASHING: Semaphore = Semaphore::const_new(2);

/// Runs one argon2 computation on a blocking thread, when a permit is free.
async fn with_hash_permit<T: Send + 'static>(
    work: impl FnOnce() -> Result<T> + Send + 'static,
) -> Result<T> {
    let _permit = HASHING
        .acquire()
        .await
        .map_err(|e| Error::Task(e.to_string()))?;
    tokio::task::spawn_blocking(work)
        .await
        .map_err(|e| Error::Task(e.to_string()))?
}

/// Hashes a password with argon2id on a blocking thread.
pub async fn hash_password(password: String) -> Result<String> {
    with_hash_permit(move || {
        let salt = SaltString::generate(&mut OsRng);
        argon2()
            .hash_password(password.as_bytes(), &salt)
            .map(|hash| hash.to_string())
            .map_err(|e| Error::Task(format!("password hashing failed: {e}")))
    })
    .await
}

/// Checks a password against a stored hash on a blocking thread.
pub async fn verify_password(password: String, hash: String) -> Result<bool> {
    with_hash_permit(move || {
        let parsed = PasswordHash::new(&hash)
            .map_err(|e| Error::Task(format!("stored hash is unreadable: {e}")))?;
        Ok(argon2()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok())
    })
    .await
}

/// A random URL-safe secret of 32 bytes.
pub fn random_secret() -> String {
    let mut bytes = [0u8; 32];
    OsRng.fill_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

/// The stored form of a bearer token: hex SHA-256 (tokens are long random
/// strings, so a fast hash is enough and lookups stay indexed).
pub fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// Checks a new account's name and password.
pub fn validate_new_account(name: &str, password: &str) -> Result<()> {
    let name_ok = !name.is_empty()
        && name.len() <= 64
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'));
    if !name_ok {
        return Err(Error::Invalid(
            "user names are 1-64 characters: letters, digits, `_`, `-` or `.`".into(),
        ));
    }
    if password.chars().count() < MIN_PASSWORD_LEN {
        return Err(Error::Invalid(format!(
            "the password must have at least {MIN_PASSWORD_LEN} characters"
        )));
    }
    if password.len() > MAX_PASSWORD_LEN {
        return Err(Error::Invalid(format!(
            "the password must have at most {MAX_PASSWORD_LEN} bytes"
        )));
    }
    Ok(())
}

/// Creates an account after validating it.
pub async fn create_user(store: &Store, name: &str, password: &str) -> Result<User> {
    validate_new_account(name, password)?;
    let hash = hash_password(password.to_owned()).await?;
    store.insert_user(name, &hash).await
}

/// Checks a name and password; `Ok(None)` when they do not match.
/// Unknown users cost the same hashing time as known ones.
async fn authenticate(store: &Store, name: &str, password: &str) -> Result<Option<User>> {
    if password.len() > MAX_PASSWORD_LEN {
        return Ok(None);
    }
    let Some((user, hash)) = store.user_with_hash(name).await? else {
        hash_password(password.to_owned()).await?;
        return Ok(None);
    };
    Ok(verify_password(password.to_owned(), hash)
        .await?
        .then_some(user))
}

/// What a login attempt came to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LoginOutcome {
    /// Name and password match.
    LoggedIn(User),
    /// They do not (or the name is unknown).
    Refused,
    /// Too many failures: no password is checked for this many seconds.
    Locked {
        /// Seconds until the account accepts attempts again.
        wait_secs: i64,
    },
}

/// The backoff key of a login name: trimmed and lower-cased, so `Alice` and
/// `alice ` share one counter. Unknown names are counted too.
pub fn login_account_key(name: &str) -> String {
    name.trim().to_lowercase()
}

/// Logs in with per-account backoff: the attempt is counted before the
/// password is hashed (so parallel guesses are limited like sequential ones),
/// and a success clears the count.
pub async fn login(
    store: &Store,
    name: &str,
    password: &str,
    max_failures: u32,
) -> Result<LoginOutcome> {
    let account = login_account_key(name);
    if let LoginAttempt::Locked { wait_secs } =
        store.reserve_login_attempt(&account, max_failures).await?
    {
        return Ok(LoginOutcome::Locked { wait_secs });
    }
    match authenticate(store, name.trim(), password).await? {
        Some(user) => {
            store.clear_login_failures(&account).await?;
            Ok(LoginOutcome::LoggedIn(user))
        }
        None => Ok(LoginOutcome::Refused),
    }
}

/// Changes a password after checking the current one (with the login
/// backoff, so this is no side door for guessing); every session of the user
/// ends. Returns the new session epoch, for the session making the change.
pub async fn change_password(
    store: &Store,
    user: &User,
    current: &str,
    new: &str,
    max_failures: u32,
) -> Result<i64> {
    match login(store, &user.name, current, max_failures).await? {
        LoginOutcome::LoggedIn(_) => {}
        LoginOutcome::Refused => {
            return Err(Error::Invalid("the current password is wrong".into()));
        }
        LoginOutcome::Locked { wait_secs } => {
            return Err(Error::Invalid(format!(
                "too many wrong passwords; try again in {wait_secs} seconds"
            )));
        }
    }
    validate_new_account(&user.name, new)?;
    let hash = hash_password(new.to_owned()).await?;
    store.set_password_hash(user.id, &hash).await
}

/// Mints an API token for a user: returns the secret (shown once) after storing its hash.
pub async fn create_token(store: &Store, user_name: &str, label: &str) -> Result<String> {
    let user = store
        .user_by_name(user_name)
        .await?
        .ok_or_else(|| Error::NotFound(format!("user `{user_name}`")))?;
    let token = format!("{TOKEN_PREFIX}{}", random_secret());
    store
        .insert_token(user.id, label, &token_hash(&token))
        .await?;
    store
        .audit(AuditEvent {
            user_name: &user.name,
            client: "cli",
            event: "token_created",
            detail: label,
        })
        .await?;
    Ok(token)
}

/// How long a checked bearer token is believed without asking the database.
pub const TOKEN_FRESH_FOR: Duration = Duration::from_secs(1);
/// Tokens remembered at most; past that the cache starts over.
const TOKENS_KEPT: usize = 256;

/// Bearer tokens checked in the last [`TOKEN_FRESH_FOR`], so a script that
/// polls the API pays the database once a second, not on every request.
/// Only tokens that were valid are kept (by their hash, never the token).
/// A revocation through this server forgets them all at once; one made by
/// another process (`devos token revoke`) takes effect within a second.
#[derive(Debug, Default)]
pub struct TokenCache {
    checked: Mutex<HashMap<String, (Instant, User)>>,
}

impl TokenCache {
    /// The user a bearer token belongs to, if any.
    pub async fn user(&self, store: &Store, token: &str) -> Result<Option<User>> {
        if !token.starts_with(TOKEN_PREFIX) || token.len() > 128 {
            return Ok(None);
        }
        let hash = token_hash(token);
        if let Some(user) = self.fresh(&hash) {
            return Ok(Some(user));
        }
        let user = store.user_by_token_hash(&hash).await?;
        if let Some(user) = &user {
            let mut checked = self.checked.lock().unwrap_or_else(PoisonError::into_inner);
            if checked.len() >= TOKENS_KEPT {
                checked.clear();
            }
            checked.insert(hash, (Instant::now(), user.clone()));
        }
        Ok(user)
    }

    /// Forgets every checked token (one was revoked).
    pub fn forget_all(&self) {
        self.checked
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clear();
    }

    fn fresh(&self, hash: &str) -> Option<User> {
        let checked = self.checked.lock().unwrap_or_else(PoisonError::into_inner);
        let (at, user) = checked.get(hash)?;
        (at.elapsed() < TOKEN_FRESH_FOR).then(|| user.clone())
    }
}

/// The first-run setup token: exists only while there are no users, and is
/// consumed by the first successful setup.
#[derive(Debug, Default)]
pub struct SetupToken {
    token: Mutex<Option<String>>,
}

impl SetupToken {
    /// Generates a fresh token and returns it.
    pub fn issue(&self) -> String {
        let token = random_secret();
        if let Ok(mut slot) = self.token.lock() {
            *slot = Some(token.clone());
        }
        token
    }

    /// Whether `candidate` is the current token (constant-time comparison).
    pub fn matches(&self, candidate: &str) -> bool {
        let Ok(slot) = self.token.lock() else {
            return false;
        };
        slot.as_deref()
            .is_some_and(|token| same_secret(token, candidate))
    }

    /// Takes the token if `candidate` matches: the link works once, even
    /// when two requests use it at the same moment (one lock for both the
    /// comparison and the taking).
    pub fn consume(&self, candidate: &str) -> bool {
        let Ok(mut slot) = self.token.lock() else {
            return false;
        };
        if !slot
            .as_deref()
            .is_some_and(|token| same_secret(token, candidate))
        {
            return false;
        }
        slot.take().is_some()
    }
}

/// Constant-time comparison of two secrets.
fn same_secret(secret: &str, candidate: &str) -> bool {
    secret.len() == candidate.len()
        && secret
            .bytes()
            .zip(candidate.bytes())
            .fold(0u8, |acc, (a, b)| acc | (a ^ b))
            == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn checked_tokens_are_believed_until_forgotten() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).await.unwrap();
        let user = store.insert_user("alice", "hash").await.unwrap();
        let token = create_token(&store, "alice", "script").await.unwrap();
        let cache = TokenCache::default();
        assert_eq!(
            cache.user(&store, &token).await.unwrap(),
            Some(user.clone())
        );
        assert_eq!(cache.user(&store, "dvs_wrong").await.unwrap(), None);
        let id = store.list_tokens(user.id).await.unwrap()[0].id;
        assert!(store.revoke_token(user.id, id).await.unwrap());
        // Revoked by another process: believed for at most TOKEN_FRESH_FOR.
        assert_eq!(cache.user(&store, &token).await.unwrap(), Some(user));
        cache.forget_all();
        assert_eq!(cache.user(&store, &token).await.unwrap(), None);
    }

    #[tokio::test]
    async fn password_roundtrip_and_mismatch() {
        let hash = hash_password("correct horse".into()).await.unwrap();
        assert!(hash.starts_with("$argon2id$"), "{hash}");
        assert!(
            verify_password("correct horse".into(), hash.clone())
                .await
                .unwrap()
        );
        assert!(!verify_password("wrong horse".into(), hash).await.unwrap());
    }

    #[test]
    fn setup_token_works_once() {
        let setup = SetupToken::default();
        assert!(!setup.consume("anything"));
        let token = setup.issue();
        assert!(!setup.matches("wrong"));
        assert!(setup.consume(&token));
        assert!(!setup.consume(&token));
    }

    #[test]
    fn setup_token_is_taken_once_by_concurrent_users() {
        let setup = std::sync::Arc::new(SetupToken::default());
        let token = setup.issue();
        let winners = std::thread::scope(|scope| {
            let handles: Vec<_> = (0..8)
                .map(|_| scope.spawn(|| setup.consume(&token)))
                .collect();
            handles
                .into_iter()
                .map(|h| h.join().unwrap_or(false))
                .filter(|won| *won)
                .count()
        });
        assert_eq!(winners, 1);
    }

    #[tokio::test]
    async fn login_counts_before_hashing_and_a_success_clears() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).await.unwrap();
        create_user(&store, "alice", "correct horse").await.unwrap();
        assert_eq!(
            login(&store, "Alice", "bad", 3).await.unwrap(),
            LoginOutcome::Refused
        );
        assert!(matches!(
            login(&store, " alice", "correct horse", 3).await.unwrap(),
            LoginOutcome::LoggedIn(_)
        ));
        for _ in 0..3 {
            login(&store, "alice", "bad", 3).await.unwrap();
        }
        assert!(matches!(
            login(&store, "alice", "correct horse", 3).await.unwrap(),
            LoginOutcome::Locked { .. }
        ));
    }

    #[test]
    fn account_validation_explains_the_problem() {
        assert!(validate_new_account("alice", "longenough").is_ok());
        let short = validate_new_account("alice", "short")
            .unwrap_err()
            .to_string();
        assert!(short.contains("at least 8"), "{short}");
        assert!(validate_new_account("bad name", "longenough").is_err());
        assert!(validate_new_account("", "longenough").is_err());
    }
}
