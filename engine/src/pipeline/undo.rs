//! Undo and redo of a finished job. Undo reverts the typed file journal,
//! then brings every snapshotted write root back to its `before` snapshot
//! wherever it is still as the job left it; redo brings the roots forward to
//! the `after` snapshot wherever they are still as the undo restored them.
//! Each is recorded as a snapshot phase, so the next one knows which way to go.
//! Paths changed by someone else are refused, never overwritten; removed
//! paths go to the job's trash.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use git2::Oid;

use protocol::{LiveEvent, LogStream};

use super::{Engine, UndoOutcome};
use crate::fsops::{JournalEntry, UndoReport};
use crate::job::JobId;
use crate::snapshot::{Flat, Restored, SnapshotStore};
use crate::store::{SnapshotPhase, SnapshotRecord};
use crate::{Error, Result};

/// What a job's snapshots allow next.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum SnapshotUndo {
    /// No snapshots (or dropped).
    Nothing,
    /// The roots are as the job (or a redo) left them.
    CanUndo,
    /// The roots are as an undo left them.
    CanRedo,
}

/// The state a job's newest snapshot leaves it in.
pub(super) fn snapshot_undo(rows: &[SnapshotRecord]) -> SnapshotUndo {
    snapshot_undo_after(rows.last().map(|r| r.phase))
}

/// [`snapshot_undo`] from the phase of the newest snapshot alone.
pub(super) fn snapshot_undo_after(last: Option<SnapshotPhase>) -> SnapshotUndo {
    match last {
        None => SnapshotUndo::Nothing,
        Some(SnapshotPhase::Before | SnapshotPhase::After | SnapshotPhase::Redone) => {
            SnapshotUndo::CanUndo
        }
        Some(SnapshotPhase::Undone) => SnapshotUndo::CanRedo,
    }
}

/// Whether a redo is possible: the snapshots were undone, or (a job with
/// typed file actions only) its journal was undone and not redone since.
pub(super) fn can_redo(snapshots: SnapshotUndo, has_journal: bool, has_undone: bool) -> bool {
    match snapshots {
        SnapshotUndo::CanRedo => true,
        SnapshotUndo::CanUndo => false,
        SnapshotUndo::Nothing => has_undone && !has_journal,
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Direction {
    Undo,
    Redo,
}

impl Direction {
    fn word(self) -> &'static str {
        match self {
            Self::Undo => "undo",
            Self::Redo => "redo",
        }
    }
}

fn oid(record: &SnapshotRecord) -> Result<Oid> {
    Oid::from_str(&record.manifest)
        .map_err(|_| Error::Invalid(format!("snapshot id `{}` is unreadable", record.manifest)))
}

impl Engine {
    /// Reverts what a finished job changed: its typed file changes and its
    /// snapshotted write roots.
    pub async fn undo(&self, user_id: i64, job: JobId) -> Result<UndoOutcome> {
        let record = self.owned(job, user_id).await?;
        if !record.status.is_final() {
            return Err(Error::Conflict(format!(
                "job {job} is {}; undo works once it has finished",
                record.status
            )));
        }
        let entries = self.store.journal(job).await?;
        let rows = self.store.snapshots(job).await?;
        let from_snapshots = snapshot_undo(&rows) == SnapshotUndo::CanUndo;
        if entries.is_empty() && !from_snapshots {
            return Err(Error::Conflict(format!(
                "job {job} has no changes DevOS can revert (already undone, read-only, or its snapshots were dropped)"
            )));
        }
        let mut outcome = UndoOutcome::default();
        if !entries.is_empty() {
            self.replay_journal(job, entries, crate::fsops::undo, &mut outcome)
                .await?;
            self.store.mark_journal_undone(job).await?;
        }
        if from_snapshots {
            let restored = self.move_roots(job, &rows, Direction::Undo).await?;
            outcome.add(restored);
        }
        self.report_undo(job, user_id, Direction::Undo, &outcome)
            .await?;
        Ok(outcome)
    }

    /// Redoes an undone job's changes: its typed file changes and its
    /// snapshotted write roots, wherever they are as the undo left them.
    pub async fn redo(&self, user_id: i64, job: JobId) -> Result<UndoOutcome> {
        let Some(state) = self.store.job_with_undo_state(job, user_id).await? else {
            return Err(Error::NotFound(format!("job {job}")));
        };
        let snapshots = snapshot_undo_after(state.last_snapshot);
        if !can_redo(snapshots, state.has_journal, state.has_undone_journal) {
            return Err(Error::Conflict(format!(
                "job {job} has no undo DevOS can redo"
            )));
        }
        let mut outcome = UndoOutcome::default();
        // A journal is replayed only once all of it was undone.
        if state.has_undone_journal && !state.has_journal {
            let undone = self.store.undone_journal(job).await?;
            self.replay_journal(job, undone, crate::fsops::redo, &mut outcome)
                .await?;
            self.store.mark_journal_redone(job).await?;
        }
        if snapshots == SnapshotUndo::CanRedo {
            let rows = self.store.snapshots(job).await?;
            outcome.add(self.move_roots(job, &rows, Direction::Redo).await?);
        }
        self.report_undo(job, user_id, Direction::Redo, &outcome)
            .await?;
        Ok(outcome)
    }

    /// Runs `replay` (`fsops::undo` or `fsops::redo`) over a job's journal
    /// `entries` off the async runtime, with the job's trash keeping what
    /// the other direction will need, and adds what it did to `outcome`.
    async fn replay_journal(
        &self,
        job: JobId,
        entries: Vec<JournalEntry>,
        replay: fn(&[JournalEntry], &Path) -> UndoReport,
        outcome: &mut UndoOutcome,
    ) -> Result<()> {
        let stash = self.job_trash_dir(job);
        let report = tokio::task::spawn_blocking(move || replay(&entries, &stash))
            .await
            .map_err(|e| Error::Task(e.to_string()))?;
        outcome.reverted.extend(report.reverted);
        outcome.refused.extend(report.refused);
        Ok(())
    }

    /// Brings every root with a `before` snapshot to the undo or redo target.
    async fn move_roots(
        &self,
        job: JobId,
        rows: &[SnapshotRecord],
        direction: Direction,
    ) -> Result<Restored> {
        let mut all = Restored::default();
        let roots: Vec<&PathBuf> = rows
            .iter()
            .filter(|r| r.phase == SnapshotPhase::Before)
            .map(|r| &r.root)
            .collect();
        let batch = format!("{}-{}", direction.word(), super::snapshots::now_ns());
        for root in roots {
            let of_root: Vec<&SnapshotRecord> = rows.iter().filter(|r| &r.root == root).collect();
            let before = of_root.first().copied();
            let after = of_root
                .iter()
                .rev()
                .find(|r| r.phase == SnapshotPhase::After)
                .copied();
            // A path is touched only when it is exactly as the other side
            // left it: undo expects the job's result, redo what undo restored
            // (so a path undo refused stays as it is). With no `after`
            // (DevOS stopped mid-job) whatever the root holds is the job's.
            let (target, expected) = match direction {
                Direction::Undo => (before, after),
                Direction::Redo => (after, before),
            };
            let Some(target) = target else {
                all.refused.push(format!(
                    "{}: the job ended before its changes were recorded; not redone",
                    root.display()
                ));
                continue;
            };
            let trash = self
                .job_trash_dir(job)
                .join(&batch)
                .join(root.strip_prefix("/").unwrap_or(root));
            let restored = self
                .move_root(
                    job,
                    root,
                    oid(target)?,
                    expected.map(oid).transpose()?,
                    trash,
                )
                .await?;
            all.restored.extend(restored.restored);
            all.removed.extend(restored.removed);
            all.refused.extend(restored.refused);
            let phase = match direction {
                Direction::Undo => SnapshotPhase::Undone,
                Direction::Redo => SnapshotPhase::Redone,
            };
            if let Err(error) = self.take_snapshot(job, root, Some(phase)).await? {
                all.refused.push(format!(
                    "{}: could not record the result ({error}); it cannot be {} again",
                    root.display(),
                    direction.word()
                ));
            }
        }
        Ok(all)
    }

    /// Restores one root to `target` where it still matches `expected`.
    async fn move_root(
        &self,
        job: JobId,
        root: &Path,
        target: Oid,
        expected: Option<Oid>,
        trash: PathBuf,
    ) -> Result<Restored> {
        let current = match self.take_snapshot(job, root, None).await? {
            Ok(taken) => taken.manifest,
            Err(error) => {
                return Ok(Restored {
                    refused: vec![format!("{}: not restored ({error})", root.display())],
                    ..Restored::default()
                });
            }
        };
        let store = Arc::clone(&self.snapshots).lock_owned().await;
        let root = root.to_path_buf();
        tokio::task::spawn_blocking(move || {
            let store: tokio::sync::OwnedMutexGuard<SnapshotStore> = store;
            let current: Flat = store.flatten(current)?;
            let target = store.flatten(target)?;
            let expected = match expected {
                Some(oid) => store.flatten(oid)?,
                None => current.clone(),
            };
            store.restore(&root, &target, &expected, &current, &trash)
        })
        .await
        .map_err(|e| Error::Task(e.to_string()))?
    }

    /// Logs what an undo or redo did on the job and tells open consoles.
    async fn report_undo(
        &self,
        job: JobId,
        user_id: i64,
        direction: Direction,
        outcome: &UndoOutcome,
    ) -> Result<()> {
        let word = direction.word();
        let mut lines: Vec<String> = Vec::new();
        let typed = outcome
            .reverted
            .len()
            .saturating_sub(outcome.restored.len() + outcome.removed.len());
        lines.extend(
            outcome.reverted[..typed]
                .iter()
                .map(|l| format!("{word}: {l}")),
        );
        lines.extend(
            outcome
                .restored
                .iter()
                .map(|l| format!("{word}: restored {l}")),
        );
        lines.extend(
            outcome
                .removed
                .iter()
                .map(|l| format!("{word}: moved to the trash {l}")),
        );
        lines.extend(
            outcome
                .refused
                .iter()
                .map(|l| format!("{word} refused: {l}")),
        );
        let pairs: Vec<(LogStream, &str)> = lines
            .iter()
            .map(|l| (LogStream::Info, l.as_str()))
            .collect();
        self.store.append_logs(job, 0, &pairs).await?;
        for line in lines {
            self.publish(
                user_id,
                LiveEvent::Log {
                    job_id: job,
                    step: 0,
                    stream: LogStream::Info,
                    line,
                },
            );
        }
        self.publish_status(job).await
    }
}

impl UndoOutcome {
    /// Adds a snapshot restore's lines (restored and removed also count as reverted).
    fn add(&mut self, restored: Restored) {
        self.reverted.extend(restored.restored.iter().cloned());
        self.reverted.extend(restored.removed.iter().cloned());
        self.restored.extend(restored.restored);
        self.removed.extend(restored.removed);
        self.refused.extend(restored.refused);
    }
}
