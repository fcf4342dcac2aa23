//! DevOS's trash: what deleted files it holds per job, restoring them (the
//! job's undo), emptying old ones, and the background size/age limit. The
//! only place DevOS removes files for good, and only inside its own trash.

use std::path::Path;

use serde::Serialize;

use super::Engine;
use crate::Result;
use crate::fsops::JournalEntry;
use crate::job::JobId;
use crate::store::now_unix;

/// Trashed files of one job.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TrashedJob {
    /// The job that deleted them.
    pub job_id: JobId,
    /// Its request.
    pub request: String,
    /// When they were trashed (Unix seconds).
    pub trashed_at: i64,
    /// Original paths with their sizes in bytes.
    pub items: Vec<(String, u64)>,
    /// Total size in bytes.
    pub bytes: u64,
}

/// What emptying removed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Emptied {
    /// Jobs whose trash was removed.
    pub jobs: usize,
    /// Bytes freed.
    pub bytes: u64,
}

fn size_of(path: &Path) -> u64 {
    let Ok(meta) = path.symlink_metadata() else {
        return 0;
    };
    if !meta.is_dir() {
        return meta.len();
    }
    std::fs::read_dir(path)
        .map(|entries| entries.flatten().map(|e| size_of(&e.path())).sum())
        .unwrap_or(0)
}

impl Engine {
    /// The user's restorable trash, newest first.
    pub async fn trash(&self, user_id: i64) -> Result<Vec<TrashedJob>> {
        let jobs = self.store.trashed_jobs(user_id).await?;
        Ok(jobs
            .into_iter()
            .map(|(job_id, request, trashed_at, entries)| {
                let items: Vec<(String, u64)> = entries
                    .iter()
                    .filter_map(|entry| match entry {
                        JournalEntry::Trashed {
                            original, stored, ..
                        } => Some((original.display().to_string(), size_of(stored))),
                        _ => None,
                    })
                    .collect();
                let bytes = items.iter().map(|(_, size)| size).sum();
                TrashedJob {
                    job_id,
                    request,
                    trashed_at,
                    items,
                    bytes,
                }
            })
            .collect())
    }

    /// Removes for good the user's trashed files older than `days` days.
    pub async fn empty_trash(&self, user_id: i64, days: u64) -> Result<Emptied> {
        let cutoff = now_unix() - i64::try_from(days.saturating_mul(86_400)).unwrap_or(i64::MAX);
        let mut emptied = Emptied { jobs: 0, bytes: 0 };
        for job in self.trash(user_id).await? {
            if job.trashed_at <= cutoff {
                emptied.bytes += self.remove_trash_of(job.job_id).await?;
                emptied.jobs += 1;
            }
        }
        Ok(emptied)
    }

    /// Deletes a job's trash dir and forgets its journal (it can no longer be undone).
    async fn remove_trash_of(&self, job: JobId) -> Result<u64> {
        let dir = self.job_trash_dir(job);
        let bytes = size_of(&dir);
        if let Err(error) = std::fs::remove_dir_all(&dir)
            && error.kind() != std::io::ErrorKind::NotFound
        {
            return Err(crate::Error::io(&dir, error));
        }
        self.store.mark_journal_undone(job).await?;
        // Nothing is published about this job: its undo state changed all the same.
        self.status_cache.forget(job);
        tracing::info!(%job, bytes, "trash emptied");
        Ok(bytes)
    }

    /// Applies `trash.max_age_days` and `trash.max_size_mb`, oldest jobs first.
    pub async fn enforce_trash_limits(&self) -> Result<Emptied> {
        let limits = &self.config.trash;
        let now = now_unix();
        let max_age = i64::try_from(limits.max_age_days.saturating_mul(86_400)).unwrap_or(i64::MAX);
        let max_bytes = limits.max_size_mb.saturating_mul(1024 * 1024);
        let jobs = self.store.jobs_with_trash().await?;
        let sizes: Vec<u64> = jobs
            .iter()
            .map(|(job, _)| size_of(&self.job_trash_dir(*job)))
            .collect();
        let mut total: u64 = sizes.iter().sum();
        let mut emptied = Emptied { jobs: 0, bytes: 0 };
        for ((job, at), size) in jobs.into_iter().zip(sizes) {
            let too_old = limits.max_age_days > 0 && now - at > max_age;
            let too_big = limits.max_size_mb > 0 && total > max_bytes;
            if !(too_old || too_big) {
                continue;
            }
            emptied.bytes += self.remove_trash_of(job).await?;
            emptied.jobs += 1;
            total = total.saturating_sub(size);
        }
        Ok(emptied)
    }
}
