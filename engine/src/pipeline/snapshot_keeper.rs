//! Keeping undo snapshots bounded: their size for the Settings page,
//! dropping a user's old ones on request, and the background age/size limit
//! of `[snapshots]` (oldest jobs first). Dropping a job's snapshots ends its
//! undo from them; the store then sweeps objects no kept snapshot reaches,
//! and the job's undo trash goes with them.

use std::sync::Arc;

use git2::Oid;
use serde::Serialize;

use super::{Emptied, Engine};
use crate::job::JobId;
use crate::store::now_unix;
use crate::{Error, Result};

/// The snapshot store as the Settings page shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct SnapshotUsage {
    /// The user's jobs that can be undone from snapshots.
    pub jobs: usize,
    /// Bytes the whole store takes on disk (shared by every job).
    pub bytes: u64,
}

impl Engine {
    /// How many of the user's jobs have snapshots, and the store's size.
    pub async fn snapshot_usage(&self, user_id: i64) -> Result<SnapshotUsage> {
        let jobs = self.store.jobs_with_snapshots(Some(user_id)).await?.len();
        let store = Arc::clone(&self.snapshots).lock_owned().await;
        let bytes = tokio::task::spawn_blocking(move || store.size())
            .await
            .map_err(|e| Error::Task(e.to_string()))?;
        Ok(SnapshotUsage { jobs, bytes })
    }

    /// Drops the user's snapshots older than `days` days (their jobs can no
    /// longer be undone) and frees what no other snapshot shares.
    pub async fn drop_snapshots(&self, user_id: i64, days: u64) -> Result<Emptied> {
        let cutoff = now_unix() - i64::try_from(days.saturating_mul(86_400)).unwrap_or(i64::MAX);
        let old: Vec<JobId> = self
            .store
            .jobs_with_snapshots(Some(user_id))
            .await?
            .into_iter()
            .filter(|(_, at)| *at <= cutoff)
            .map(|(job, _)| job)
            .collect();
        self.drop_jobs(&old).await
    }

    /// Applies `snapshots.max_age_days` and `snapshots.max_store_mb`, oldest jobs first.
    pub async fn enforce_snapshot_limits(&self) -> Result<Emptied> {
        let limits = &self.config.snapshots;
        let max_age = i64::try_from(limits.max_age_days.saturating_mul(86_400)).unwrap_or(i64::MAX);
        let now = now_unix();
        let jobs = self.store.jobs_with_snapshots(None).await?;
        let too_old: Vec<JobId> = jobs
            .iter()
            .filter(|(_, at)| limits.max_age_days > 0 && now - at > max_age)
            .map(|(job, _)| *job)
            .collect();
        let mut emptied = self.drop_jobs(&too_old).await?;
        if limits.max_store_mb == 0 {
            return Ok(emptied);
        }
        let max_bytes = limits.max_store_mb.saturating_mul(1024 * 1024);
        for (job, _) in jobs.iter().filter(|(job, _)| !too_old.contains(job)) {
            if self.snapshot_usage_bytes().await? <= max_bytes {
                break;
            }
            let freed = self.drop_jobs(&[*job]).await?;
            emptied.jobs += freed.jobs;
            emptied.bytes += freed.bytes;
        }
        Ok(emptied)
    }

    async fn snapshot_usage_bytes(&self) -> Result<u64> {
        let store = Arc::clone(&self.snapshots).lock_owned().await;
        tokio::task::spawn_blocking(move || store.size())
            .await
            .map_err(|e| Error::Task(e.to_string()))
    }

    /// Drops the snapshots and undo trash of `jobs`, then sweeps the store.
    async fn drop_jobs(&self, jobs: &[JobId]) -> Result<Emptied> {
        if jobs.is_empty() {
            return Ok(Emptied { jobs: 0, bytes: 0 });
        }
        let mut store = Arc::clone(&self.snapshots).lock_owned().await;
        for job in jobs {
            self.store.drop_snapshots(*job).await?;
            // Not published, but the job can no longer be undone.
            self.status_cache.forget(*job);
            self.remove_undo_trash(*job);
        }
        let kept: Vec<Oid> = self
            .store
            .kept_manifests()
            .await?
            .iter()
            .filter_map(|m| Oid::from_str(m).ok())
            .collect();
        let bytes = tokio::task::spawn_blocking(move || store.sweep(&kept))
            .await
            .map_err(|e| Error::Task(e.to_string()))??;
        tracing::info!(jobs = jobs.len(), bytes, "undo snapshots dropped");
        Ok(Emptied {
            jobs: jobs.len(),
            bytes,
        })
    }

    /// Removes what undo and redo of `job` moved to its trash.
    fn remove_undo_trash(&self, job: JobId) {
        let Ok(batches) = std::fs::read_dir(self.job_trash_dir(job)) else {
            return;
        };
        for batch in batches.flatten() {
            let name = batch.file_name();
            let name = name.to_string_lossy();
            if (name.starts_with("undo-") || name.starts_with("redo-"))
                && let Err(error) = std::fs::remove_dir_all(batch.path())
            {
                tracing::warn!(%job, %error, "undo trash not removed");
            }
        }
    }
}
