//! The `snapshots` table: which undo snapshot of which write root belongs to
//! which job and phase. The objects themselves live in the snapshot store.

use std::path::PathBuf;

use super::{Store, now_unix};
use crate::job::JobId;
use crate::{Error, Result};

/// When a snapshot was taken in a job's life.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SnapshotPhase {
    /// Before the job's first writing step: what undo restores.
    Before,
    /// When the job ended: what redo restores, and what undo expects to find.
    After,
    /// Right after an undo.
    Undone,
    /// Right after a redo.
    Redone,
}

impl SnapshotPhase {
    fn as_str(self) -> &'static str {
        match self {
            Self::Before => "before",
            Self::After => "after",
            Self::Undone => "undone",
            Self::Redone => "redone",
        }
    }

    pub(super) fn parse(text: &str) -> Result<Self> {
        Ok(match text {
            "before" => Self::Before,
            "after" => Self::After,
            "undone" => Self::Undone,
            "redone" => Self::Redone,
            other => return Err(Error::Invalid(format!("unknown snapshot phase `{other}`"))),
        })
    }
}

/// One recorded snapshot of a root.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SnapshotRecord {
    /// The write root.
    pub root: PathBuf,
    /// When in the job it was taken.
    pub phase: SnapshotPhase,
    /// Hex id of the root folder's manifest.
    pub manifest: String,
    /// Files recorded.
    pub files: u64,
    /// Bytes of content recorded.
    pub bytes: u64,
    /// When it was taken, nanoseconds since the epoch.
    pub taken_ns: i64,
}

impl Store {
    /// Records a snapshot of `record.root` for `job`.
    pub async fn insert_snapshot(&self, job: JobId, record: &SnapshotRecord) -> Result<()> {
        let (root, phase) = (record.root.to_string_lossy(), record.phase.as_str());
        let (files, bytes) = (
            i64::try_from(record.files).unwrap_or(i64::MAX),
            i64::try_from(record.bytes).unwrap_or(i64::MAX),
        );
        let now = now_unix();
        sqlx::query!(
            "INSERT INTO snapshots (job_id, root, phase, manifest, files, bytes, taken_ns, at)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            job.0,
            root,
            phase,
            record.manifest,
            files,
            bytes,
            record.taken_ns,
            now,
        )
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// The kept snapshots of a job, oldest first.
    pub async fn snapshots(&self, job: JobId) -> Result<Vec<SnapshotRecord>> {
        let rows = sqlx::query!(
            "SELECT root, phase, manifest, files, bytes, taken_ns FROM snapshots
             WHERE job_id = ? AND dropped_at IS NULL ORDER BY id",
            job.0
        )
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter()
            .map(|row| {
                Ok(SnapshotRecord {
                    root: PathBuf::from(row.root),
                    phase: SnapshotPhase::parse(&row.phase)?,
                    manifest: row.manifest,
                    files: u64::try_from(row.files).unwrap_or(0),
                    bytes: u64::try_from(row.bytes).unwrap_or(0),
                    taken_ns: row.taken_ns,
                })
            })
            .collect()
    }

    /// The newest kept snapshot of `root` by any job (to stay incremental after a restart).
    pub async fn latest_snapshot_of(&self, root: &str) -> Result<Option<(String, i64)>> {
        let row = sqlx::query!(
            "SELECT manifest, taken_ns FROM snapshots
             WHERE root = ? AND dropped_at IS NULL ORDER BY id DESC LIMIT 1",
            root
        )
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.map(|row| (row.manifest, row.taken_ns)))
    }

    /// Manifests of every kept snapshot (what a sweep must keep).
    pub async fn kept_manifests(&self) -> Result<Vec<String>> {
        Ok(sqlx::query_scalar!(
            r#"SELECT DISTINCT manifest AS "manifest!" FROM snapshots WHERE dropped_at IS NULL"#
        )
        .fetch_all(&self.pool)
        .await?)
    }

    /// Jobs (of one user, or of everyone) with kept snapshots and when their
    /// first was taken, oldest first.
    pub async fn jobs_with_snapshots(&self, user_id: Option<i64>) -> Result<Vec<(JobId, i64)>> {
        let rows = sqlx::query!(
            r#"SELECT s.job_id AS "job_id!", MIN(s.at) AS "at!: i64"
             FROM snapshots s JOIN jobs j ON j.id = s.job_id
             WHERE s.dropped_at IS NULL AND (?1 IS NULL OR j.user_id = ?1)
             GROUP BY s.job_id ORDER BY MIN(s.at), s.job_id"#,
            user_id
        )
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .into_iter()
            .map(|row| (JobId(row.job_id), row.at))
            .collect())
    }

    /// Drops a job's snapshots: it can no longer be undone from them.
    pub async fn drop_snapshots(&self, job: JobId) -> Result<()> {
        let now = now_unix();
        sqlx::query!(
            "UPDATE snapshots SET dropped_at = ? WHERE job_id = ? AND dropped_at IS NULL",
            now,
            job.0
        )
        .execute(&self.pool)
        .await?;
        Ok(())
    }
}
