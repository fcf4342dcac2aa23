//! Local accounts: argon2id password hashing (off the async runtime), bearer
//! token minting and hashing, the one-time setup token, and the login rate
//! limiter. Sessions and cookies belong to the server crate.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use rand::RngCore;
use rand::rngs::OsRng;
use sha2::{Digest, Sha256};

use crate::store::{AuditEvent, Store, User};
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

/// Hashes a password with argon2id on a blocking thread.
pub async fn hash_password(password: String) -> Result<String> {
    tokio::task::spawn_blocking(move || {
        let salt = SaltString::generate(&mut OsRng);
        argon2()
            .hash_password(password.as_bytes(), &salt)
            .map(|hash| hash.to_string())
            .map_err(|e| Error::Task(format!("password hashing failed: {e}")))
    })
    .await
    .map_err(|e| Error::Task(e.to_string()))?
}

/// Checks a password against a stored hash on a blocking thread.
pub async fn verify_password(password: String, hash: String) -> Result<bool> {
    tokio::task::spawn_blocking(move || {
        let parsed = PasswordHash::new(&hash)
            .map_err(|e| Error::Task(format!("stored hash is unreadable: {e}")))?;
        Ok(argon2()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok())
    })
    .await
    .map_err(|e| Error::Task(e.to_string()))?
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
pub async fn authenticate(store: &Store, name: &str, password: &str) -> Result<Option<User>> {
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

/// The user a bearer token belongs to, if any.
pub async fn user_for_token(store: &Store, token: &str) -> Result<Option<User>> {
    if !token.starts_with(TOKEN_PREFIX) || token.len() > 128 {
        return Ok(None);
    }
    store.user_by_token_hash(&token_hash(token)).await
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
        slot.as_deref().is_some_and(|token| {
            token.len() == candidate.len()
                && token
                    .bytes()
                    .zip(candidate.bytes())
                    .fold(0u8, |acc, (a, b)| acc | (a ^ b))
                    == 0
        })
    }

    /// Takes the token if `candidate` matches: the link works once.
    pub fn consume(&self, candidate: &str) -> bool {
        if !self.matches(candidate) {
            return false;
        }
        self.token.lock().map(|mut slot| slot.take()).is_ok()
    }
}

/// Counts failed logins per key (user name, client address) in a sliding minute.
#[derive(Debug)]
pub struct LoginLimiter {
    max_failures: usize,
    window: Duration,
    failures: Mutex<HashMap<String, Vec<Instant>>>,
}

impl LoginLimiter {
    /// A limiter allowing `max_failures` per key per minute.
    pub fn new(max_failures: u32) -> Self {
        Self {
            max_failures: usize::try_from(max_failures).unwrap_or(usize::MAX),
            window: Duration::from_secs(60),
            failures: Mutex::new(HashMap::new()),
        }
    }

    /// If any key is over the limit at `now`, how long until it may try again.
    pub fn blocked_for(&self, keys: &[String], now: Instant) -> Option<Duration> {
        let mut map = self.failures.lock().ok()?;
        keys.iter()
            .filter_map(|key| {
                let times = map.get_mut(key)?;
                times.retain(|t| now.duration_since(*t) < self.window);
                (times.len() >= self.max_failures)
                    .then(|| self.window.saturating_sub(now.duration_since(times[0])))
            })
            .max()
    }

    /// Records a failure for every key.
    pub fn record_failure(&self, keys: &[String], now: Instant) {
        if let Ok(mut map) = self.failures.lock() {
            // Bound memory: forget stale keys once the map grows.
            if map.len() > 10_000 {
                map.retain(|_, times| times.iter().any(|t| now.duration_since(*t) < self.window));
            }
            for key in keys {
                map.entry(key.clone()).or_default().push(now);
            }
        }
    }

    /// Clears the user's failures after a successful login.
    pub fn record_success(&self, user_key: &str) {
        if let Ok(mut map) = self.failures.lock() {
            map.remove(user_key);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
    fn limiter_blocks_after_max_failures_and_forgets_after_a_minute() {
        let limiter = LoginLimiter::new(2);
        let keys = vec!["user:a".to_owned(), "ip:1".to_owned()];
        let t0 = Instant::now();
        assert_eq!(limiter.blocked_for(&keys, t0), None);
        limiter.record_failure(&keys, t0);
        limiter.record_failure(&keys, t0);
        assert!(limiter.blocked_for(&keys, t0).is_some());
        assert!(limiter.blocked_for(&["ip:1".to_owned()], t0).is_some());
        assert_eq!(limiter.blocked_for(&["user:b".to_owned()], t0), None);
        assert_eq!(
            limiter.blocked_for(&keys, t0 + Duration::from_secs(61)),
            None
        );
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
