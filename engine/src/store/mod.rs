//! SQLite storage: opening the database in the data dir (WAL mode), running
//! the migrations, and one submodule per table group. All SQL lives here.

mod approvals;
mod audit;
mod backup;
mod browser_sessions;
mod cards;
mod history;
mod jobs;
mod logins;
mod logs;
mod reserve;
mod rules;
mod settings;
mod snapshots;
mod spending;
mod steps;
mod tokens;
mod undo;
mod undo_state;
pub mod usage;
mod users;
mod workspace_roots;

use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

use sqlx::SqlitePool;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};

pub use approvals::ApprovalRecord;
pub use audit::AuditEvent;
pub use backup::{DataDirLock, Restored, database_path, inspect_database, restore};
pub use browser_sessions::BrowserSession;
pub use cards::JobCardRows;
pub use history::{
    HistoryPage, HistoryQuery, JobSummary, MATCH_END, MATCH_START, MAX_PAGE, PageAt, fts_query,
};
pub use jobs::{JobFilter, JobProgress, JobRecord, Outcome, SavedPlan};
pub use logins::LoginAttempt;
pub use logs::LogLine;
pub use reserve::{DiskReserve, is_disk_full};
pub use settings::UserSettings;
pub use snapshots::{SnapshotPhase, SnapshotRecord};
pub use spending::{CostlyJob, LedgerRow};
pub use steps::StepRecord;
pub use tokens::{NewToken, TokenSummary};
pub use undo_state::JobWithUndo;
pub use users::User;

use crate::{Error, Result};

/// Connections to the database, all opened at start.
const POOL_SIZE: u32 = 8;

/// The database handle; cheap to clone.
#[derive(Debug, Clone)]
pub struct Store {
    pool: SqlitePool,
}

impl Store {
    /// Opens (creating when missing) `devos.db` in `data_dir` and migrates it.
    pub async fn open(data_dir: &Path) -> Result<Self> {
        std::fs::create_dir_all(data_dir).map_err(|e| Error::io(data_dir, e))?;
        let options = SqliteConnectOptions::from_str("sqlite://")?
            .filename(data_dir.join("devos.db"))
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(5));
        let pool = SqlitePoolOptions::new()
            .max_connections(POOL_SIZE)
            .idle_timeout(None)
            .max_lifetime(None)
            .connect_with(options)
            .await?;
        // Every connection runs its pragmas (WAL among them) as it opens;
        // opened all at once by a burst of requests they can find the file
        // locked ("database is locked" under load), so they are opened one
        // after another here and kept.
        let mut warm = Vec::with_capacity(usize::try_from(POOL_SIZE).unwrap_or(8));
        for _ in 0..POOL_SIZE {
            warm.push(pool.acquire().await?);
        }
        drop(warm);
        Self::from_pool(pool).await
    }

    /// Wraps an existing pool (tests use `#[sqlx::test]` pools) and migrates it.
    pub async fn from_pool(pool: SqlitePool) -> Result<Self> {
        sqlx::migrate!("../migrations").run(&pool).await?;
        Ok(Self { pool })
    }

    /// The pool, for third-party stores that bring their own SQL (the session store).
    pub fn pool(&self) -> &SqlitePool {
        &self.pool
    }

    /// The journal mode the database runs in (`wal` once opened by [`Store::open`]).
    pub async fn journal_mode(&self) -> Result<String> {
        Ok(sqlx::query_scalar("PRAGMA journal_mode")
            .fetch_one(&self.pool)
            .await?)
    }
}

/// Seconds since the Unix epoch, the unit of every `*_at` column.
pub fn now_unix() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
}
