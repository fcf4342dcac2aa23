//! Online backup and offline restore of the database, the integrity check,
//! and the data-dir lock a running server holds (so a restore never swaps
//! the file under it).

use std::fs::File;
use std::path::{Path, PathBuf};
use std::str::FromStr as _;

use sqlx::Connection as _;
use sqlx::sqlite::{SqliteConnectOptions, SqliteConnection};

use super::{Store, now_unix};
use crate::{Error, Result};

/// The database file inside a data dir.
pub fn database_path(data_dir: &Path) -> PathBuf {
    data_dir.join("devos.db")
}

impl Store {
    /// Writes a consistent copy of the database to `dest` while the server
    /// keeps serving (`VACUUM INTO` reads one snapshot of the database).
    /// Refuses to overwrite an existing file.
    pub async fn backup_to(&self, dest: &Path) -> Result<()> {
        if dest.exists() {
            return Err(Error::Conflict(format!(
                "{} already exists; choose a new file name",
                dest.display()
            )));
        }
        let text = dest
            .to_str()
            .ok_or_else(|| Error::Invalid(format!("{} is not UTF-8", dest.display())))?;
        sqlx::query("VACUUM INTO ?")
            .bind(text)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// A cheap query that proves the database answers (the watchdog's ping).
    pub async fn integrity_probe(&self) -> Result<()> {
        sqlx::query("SELECT 1").execute(&self.pool).await?;
        Ok(())
    }

    /// `PRAGMA integrity_check`: `ok`, or the problems SQLite found.
    pub async fn integrity_check(&self) -> Result<String> {
        let lines: Vec<String> = sqlx::query_scalar("PRAGMA integrity_check")
            .fetch_all(&self.pool)
            .await?;
        Ok(lines.join("; "))
    }
}

/// How long [`DataDirLock::acquire`] waits for a lock whose recorded DevOS
/// has exited to be released by the children it was starting.
const HOLDER_EXIT_WAIT: std::time::Duration = std::time::Duration::from_secs(5);

/// Whether the process whose pid the lock file records still exists (a
/// file without a pid counts as alive: there is nothing to wait for).
fn holder_is_alive(lock_file: &Path) -> bool {
    std::fs::read_to_string(lock_file)
        .ok()
        .and_then(|pid| pid.trim().parse::<u32>().ok())
        .is_none_or(|pid| Path::new(&format!("/proc/{pid}")).exists())
}

/// Exclusive hold on a data dir: `devos serve` keeps one for its lifetime;
/// `devos restore` takes one for the time of the swap.
#[derive(Debug)]
pub struct DataDirLock {
    _file: File,
}

impl DataDirLock {
    /// Takes the lock, or says that a DevOS (pid) already holds it.
    pub fn acquire(data_dir: &Path) -> Result<Self> {
        std::fs::create_dir_all(data_dir).map_err(|e| Error::io(data_dir, e))?;
        let path = data_dir.join("devos.lock");
        let file = std::fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .read(true)
            .write(true)
            .open(&path)
            .map_err(|e| Error::io(&path, e))?;
        let deadline = std::time::Instant::now() + HOLDER_EXIT_WAIT;
        let mut locked = file.try_lock();
        // The DevOS that wrote its pid is gone, yet the lock is held: a child
        // it was forking when it died holds a copy of the descriptor until
        // the kernel has finished killing it. That takes moments; wait.
        while matches!(locked, Err(std::fs::TryLockError::WouldBlock))
            && !holder_is_alive(&path)
            && std::time::Instant::now() < deadline
        {
            std::thread::sleep(std::time::Duration::from_millis(10));
            locked = file.try_lock();
        }
        match locked {
            Ok(()) => {
                // The pid is only for the message another process shows.
                let _ = file.set_len(0);
                let _ = std::io::Write::write_all(
                    &mut &file,
                    std::process::id().to_string().as_bytes(),
                );
                Ok(Self { _file: file })
            }
            Err(std::fs::TryLockError::WouldBlock) => {
                let holder = std::fs::read_to_string(&path).unwrap_or_default();
                Err(Error::Conflict(format!(
                    "DevOS (pid {}) is running on {}; stop it first",
                    holder.trim(),
                    data_dir.display()
                )))
            }
            Err(std::fs::TryLockError::Error(e)) => Err(Error::io(&path, e)),
        }
    }

    /// Whether a running DevOS holds the lock of `data_dir`.
    pub fn is_held(data_dir: &Path) -> bool {
        matches!(Self::acquire(data_dir), Err(Error::Conflict(_)))
    }
}

/// What a restore did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Restored {
    /// Jobs in the restored database.
    pub jobs: i64,
    /// Where the database it replaced was moved (kept, never deleted).
    pub previous: Option<PathBuf>,
}

/// Replaces the database of `data_dir` (no server may be running on it) with
/// the backup at `backup`, after checking that the backup is a sound DevOS
/// database this version can open. The old database is kept beside it as
/// `devos.db.before-restore-<unix time>`.
pub async fn restore(data_dir: &Path, backup: &Path) -> Result<Restored> {
    let _lock = DataDirLock::acquire(data_dir)?;
    let jobs = inspect_database(backup).await?;
    let target = database_path(data_dir);
    let staged = data_dir.join("devos.db.restoring");
    std::fs::copy(backup, &staged).map_err(|e| Error::io(&staged, e))?;
    File::open(&staged)
        .and_then(|f| f.sync_all())
        .map_err(|e| Error::io(&staged, e))?;
    let previous = if target.exists() {
        // Fold the WAL into the file so the kept copy is whole on its own.
        Store::open(data_dir).await?.checkpoint_and_close().await?;
        let aside = data_dir.join(format!("devos.db.before-restore-{}", now_unix()));
        std::fs::rename(&target, &aside).map_err(|e| Error::io(&target, e))?;
        Some(aside)
    } else {
        None
    };
    for suffix in ["-wal", "-shm"] {
        let side = data_dir.join(format!("devos.db{suffix}"));
        if side.exists() {
            std::fs::remove_file(&side).map_err(|e| Error::io(&side, e))?;
        }
    }
    std::fs::rename(&staged, &target).map_err(|e| Error::io(&target, e))?;
    Ok(Restored { jobs, previous })
}

/// Opens a database file read-only (a backup, or the live one for
/// `devos doctor`, which must not migrate it): integrity `ok`, a DevOS
/// schema, and no migration this version does not know. Returns its job count.
pub async fn inspect_database(backup: &Path) -> Result<i64> {
    if !backup.is_file() {
        return Err(Error::Invalid(format!(
            "{} is not a file",
            backup.display()
        )));
    }
    let options = SqliteConnectOptions::from_str("sqlite://")?
        .filename(backup)
        .read_only(true);
    let mut conn = SqliteConnection::connect_with(&options)
        .await
        .map_err(|e| Error::Invalid(format!("{} is not a database: {e}", backup.display())))?;
    let integrity: Vec<String> = sqlx::query_scalar("PRAGMA integrity_check")
        .fetch_all(&mut conn)
        .await
        .map_err(|e| Error::Invalid(format!("{} is not a database: {e}", backup.display())))?;
    if integrity != ["ok"] {
        return Err(Error::Invalid(format!(
            "{} is damaged: {}",
            backup.display(),
            integrity.join("; ")
        )));
    }
    let applied: Vec<i64> = sqlx::query_scalar("SELECT version FROM _sqlx_migrations")
        .fetch_all(&mut conn)
        .await
        .map_err(|_| Error::Invalid(format!("{} is not a DevOS database", backup.display())))?;
    let known: Vec<i64> = sqlx::migrate!("../migrations")
        .iter()
        .map(|m| m.version)
        .collect();
    if let Some(newer) = applied.iter().find(|v| !known.contains(v)) {
        return Err(Error::Invalid(format!(
            "{} was written by a newer DevOS (migration {newer}); restore it with that version",
            backup.display()
        )));
    }
    let jobs: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM jobs")
        .fetch_one(&mut conn)
        .await?;
    conn.close().await?;
    Ok(jobs)
}

impl Store {
    /// Checkpoints the WAL into the database file and closes every connection.
    async fn checkpoint_and_close(self) -> Result<()> {
        sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)")
            .execute(&self.pool)
            .await?;
        self.pool.close().await;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn job_count(store: &Store) -> i64 {
        sqlx::query_scalar("SELECT COUNT(*) FROM jobs")
            .fetch_one(&store.pool)
            .await
            .unwrap()
    }

    async fn add_job(store: &Store) {
        let user = store.insert_user("alice", "hash").await;
        let user_id = match user {
            Ok(user) => user.id,
            Err(_) => store.user_by_name("alice").await.unwrap().unwrap().id,
        };
        sqlx::query(
            "INSERT INTO jobs (user_id, request, cwd, status, created_at, updated_at)
             VALUES (?, 'ls', '/', 'completed', 0, 0)",
        )
        .bind(user_id)
        .execute(&store.pool)
        .await
        .unwrap();
    }

    #[tokio::test]
    async fn a_backup_restores_the_jobs_and_keeps_the_replaced_database() {
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path().join("data");
        let store = Store::open(&data).await.unwrap();
        add_job(&store).await;
        add_job(&store).await;
        let backup = dir.path().join("backup.db");
        store.backup_to(&backup).await.unwrap();
        assert!(matches!(
            store.backup_to(&backup).await,
            Err(Error::Conflict(_))
        ));
        add_job(&store).await;
        store.pool.close().await;

        let restored = restore(&data, &backup).await.unwrap();
        assert_eq!(restored.jobs, 2);
        let previous = restored.previous.expect("the old database is kept");
        assert!(previous.exists());
        let store = Store::open(&data).await.unwrap();
        assert_eq!(job_count(&store).await, 2);
        assert_eq!(store.integrity_check().await.unwrap(), "ok");
    }

    #[tokio::test]
    async fn restore_refuses_a_running_server_and_files_that_are_not_devos_databases() {
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path().join("data");
        let junk = dir.path().join("junk.db");
        std::fs::write(&junk, "not sqlite at all, just text that is long enough").unwrap();
        let error = restore(&data, &junk).await.unwrap_err().to_string();
        assert!(error.contains("not a database"), "{error}");

        let lock = DataDirLock::acquire(&data).unwrap();
        assert!(DataDirLock::is_held(&data));
        let error = restore(&data, &junk).await.unwrap_err().to_string();
        assert!(error.contains("is running"), "{error}");
        drop(lock);
        assert!(!DataDirLock::is_held(&data));
    }
}
