//! Undo snapshots in a job's life: which folders they cover, the `before`
//! snapshot taken after approval and right before the first step that may
//! write (when the job has a bash or python step that may), the `after`
//! snapshot when the run ends, and the coverage shown before approval. It
//! decides when to snapshot; the snapshot store does the storing.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use git2::Oid;

use super::Engine;
use crate::aws::{AwsCall, S3Call};
use crate::job::JobId;
use crate::plan::{SafetyLevel, StepAction};
use crate::snapshot::{Coverage, Limits, SnapshotStore, TakeError, Taken};
use crate::store::{SnapshotPhase, SnapshotRecord, StepRecord};
use crate::{Error, Result};

/// Whether a step may change files.
fn writes(step: &StepRecord) -> bool {
    match step.action {
        StepAction::Bash { .. } | StepAction::Python { .. } => step.level > SafetyLevel::Safe,
        StepAction::Fs { .. } => true,
        // Only a download writes here, through the undo journal.
        StepAction::Aws { ref call, .. } => {
            matches!(call, AwsCall::S3(S3Call::Download { .. }))
        }
    }
}

/// Whether a job needs snapshots: typed file steps journal themselves, so
/// only a bash or python step that may write does (AWS downloads journal too).
pub(super) fn needs_snapshots(steps: &[StepRecord]) -> bool {
    steps
        .iter()
        .any(|s| writes(s) && !matches!(s.action, StepAction::Fs { .. } | StepAction::Aws { .. }))
}

/// The folders a job's snapshots cover: its folder and the user's extra
/// write roots, without ones nested in another (the private temp dir is
/// deleted when the job ends, so it is not covered).
pub(super) fn snapshot_roots(cwd: &Path, extra: &[PathBuf]) -> Vec<PathBuf> {
    let mut roots: Vec<PathBuf> = Vec::new();
    for root in std::iter::once(cwd).chain(extra.iter().map(PathBuf::as_path)) {
        if roots.iter().any(|r| root.starts_with(r)) {
            continue;
        }
        roots.retain(|r| !r.starts_with(root));
        roots.push(root.to_path_buf());
    }
    roots
}

/// Nanoseconds since the epoch.
pub(super) fn now_ns() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_nanos()).unwrap_or(i64::MAX))
}

impl Engine {
    /// The caps and left-out folders of `[snapshots]`.
    pub(super) fn snapshot_limits(&self) -> Limits {
        let config = &self.config.snapshots;
        Limits {
            max_files: config.max_files,
            max_bytes: config.max_size_mb.saturating_mul(1024 * 1024),
            skip: config.skip.iter().map(Into::into).collect(),
        }
    }

    /// How well snapshots would cover each root, measured before approval.
    pub(super) async fn snapshot_coverage(&self, roots: Vec<PathBuf>) -> Vec<(PathBuf, Coverage)> {
        let limits = self.snapshot_limits();
        let budget = Duration::from_millis(self.config.snapshots.walk_max_ms);
        tokio::task::spawn_blocking(move || {
            roots
                .into_iter()
                .map(|root| {
                    let coverage = crate::snapshot::estimate(&root, &limits, budget);
                    (root, coverage)
                })
                .collect()
        })
        .await
        .unwrap_or_default()
    }

    /// Snapshots `root` and, with a `phase`, records it for `job`.
    pub(super) async fn take_snapshot(
        &self,
        job: JobId,
        root: &Path,
        phase: Option<SnapshotPhase>,
    ) -> Result<std::result::Result<Taken, TakeError>> {
        let store = Arc::clone(&self.snapshots).lock_owned().await;
        let previous = self
            .store
            .latest_snapshot_of(&root.to_string_lossy())
            .await?
            .and_then(|(oid, at)| Oid::from_str(&oid).ok().map(|oid| (oid, at)));
        let limits = self.snapshot_limits();
        let path = root.to_path_buf();
        let started = now_ns();
        let (store, taken) = tokio::task::spawn_blocking(move || {
            let mut store: tokio::sync::OwnedMutexGuard<SnapshotStore> = store;
            let taken = store.take(&path, &limits, previous, started);
            (store, taken)
        })
        .await
        .map_err(|e| Error::Task(e.to_string()))?;
        if let (Ok(taken), Some(phase)) = (&taken, phase) {
            let record = SnapshotRecord {
                root: root.to_path_buf(),
                phase,
                manifest: taken.manifest.to_string(),
                files: taken.files,
                bytes: taken.bytes,
                taken_ns: started,
            };
            self.store.insert_snapshot(job, &record).await?;
        }
        drop(store);
        Ok(taken)
    }

    /// Before `step` runs: the job's `before` snapshots, the first time a
    /// step that may write comes in a job that needs them. A root that
    /// cannot be snapshotted is said in the log; the step still runs (its
    /// card said so before approval).
    pub(super) async fn snapshot_before(
        &self,
        job: JobId,
        user_id: i64,
        (cwd, extra_roots): (&Path, &[PathBuf]),
        steps: &[StepRecord],
        step: &StepRecord,
    ) -> Result<()> {
        if !needs_snapshots(steps) || !writes(step) || !self.store.snapshots(job).await?.is_empty()
        {
            return Ok(());
        }
        for root in &snapshot_roots(cwd, extra_roots) {
            let line = match self
                .take_snapshot(job, root, Some(SnapshotPhase::Before))
                .await?
            {
                Ok(taken) => {
                    let mut line = format!(
                        "undo snapshot of {}: {} file(s), {} read",
                        root.display(),
                        taken.files,
                        taken.hashed
                    );
                    if !taken.skipped.is_empty() {
                        let names: Vec<String> = taken
                            .skipped
                            .iter()
                            .map(|p| p.display().to_string())
                            .collect();
                        line.push_str(&format!("; left out: {}", names.join(", ")));
                    }
                    line
                }
                Err(error) => format!(
                    "no undo snapshot of {}: {error}; changes there cannot be undone",
                    root.display()
                ),
            };
            self.log_info(job, user_id, step.idx, &line).await?;
        }
        Ok(())
    }

    /// When a run ends: the `after` snapshot of every root with a `before`.
    pub(super) async fn snapshot_after(&self, job: JobId) {
        let roots = match self.store.snapshots(job).await {
            Ok(rows) => rows
                .into_iter()
                .filter(|r| r.phase == SnapshotPhase::Before)
                .map(|r| r.root)
                .collect::<Vec<_>>(),
            Err(error) => {
                tracing::warn!(%job, %error, "reading the job's snapshots failed");
                return;
            }
        };
        for root in roots {
            match self
                .take_snapshot(job, &root, Some(SnapshotPhase::After))
                .await
            {
                Ok(Ok(_)) => {}
                Ok(Err(error)) => {
                    tracing::warn!(%job, root = %root.display(), %error, "no after-snapshot");
                }
                Err(error) => tracing::warn!(%job, %error, "recording an after-snapshot failed"),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nested_roots_are_covered_once_by_the_outer_one() {
        let roots = snapshot_roots(
            Path::new("/w/p/app"),
            &["/w/p".into(), "/w/other".into(), "/w/p/app/x".into()],
        );
        assert_eq!(roots, [PathBuf::from("/w/p"), PathBuf::from("/w/other")]);
    }
}
