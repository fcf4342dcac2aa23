//! The engine's one error type. Variants say when they occur; callers map them
//! to HTTP statuses or user-facing messages without looking at the text.

use std::path::PathBuf;

/// Everything that can go wrong inside the engine.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The configuration file is unreadable or invalid. Fix the file; retrying does not help.
    #[error("{0}")]
    Config(#[from] crate::config::ConfigError),
    /// The database failed (disk full, locked, corrupt). Retrying may help for transient locks.
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    /// A migration could not be applied at start-up.
    #[error("database migration failed: {0}")]
    Migration(#[from] sqlx::migrate::MigrateError),
    /// A filesystem operation on our own data failed.
    #[error("{path}: {source}")]
    Io {
        /// The file or directory involved.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
    /// The input was rejected (empty name, short password, unknown user). Retrying the same input fails again.
    #[error("{0}")]
    Invalid(String),
    /// The thing asked for does not exist.
    #[error("{0} not found")]
    NotFound(String),
    /// The request conflicts with the current state (e.g. a user of that name exists).
    #[error("{0}")]
    Conflict(String),
    /// A background task died (a panic in password hashing, for example).
    #[error("internal task failed: {0}")]
    Task(String),
}

impl Error {
    /// Wraps an I/O error with the path it concerns.
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Self::Io {
            path: path.into(),
            source,
        }
    }
}

/// The engine's result alias.
pub type Result<T, E = Error> = std::result::Result<T, E>;
