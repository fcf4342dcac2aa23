//! Reverts a job's journal, newest entry first. Undo never overwrites and
//! never deletes anything it cannot prove it made: an item whose result
//! changed since (size or mtime) or whose original place is taken again is
//! refused with a reason, and the rest still proceeds.

use std::fs;
use std::path::Path;

use serde::{Deserialize, Serialize};

use super::apply::{Fingerprint, JournalEntry};
use super::paths::exists;
use super::transfer::move_no_replace;

/// What an undo did, item by item.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct UndoReport {
    /// Items put back, as human-readable lines.
    pub reverted: Vec<String>,
    /// Items left alone, each with the reason.
    pub refused: Vec<String>,
}

/// Reverts `entries` (in journal order) from last to first.
pub fn undo(entries: &[JournalEntry]) -> UndoReport {
    let mut report = UndoReport::default();
    for entry in entries.iter().rev() {
        match revert(entry) {
            Ok(done) => report.reverted.push(done),
            Err(reason) => report.refused.push(reason),
        }
    }
    report
}

/// Reverts one entry; `Ok` describes what happened, `Err` why it was refused.
fn revert(entry: &JournalEntry) -> Result<String, String> {
    match entry {
        JournalEntry::CreatedDir { path } => {
            if !exists(path) {
                return Ok(format!("{}: already gone", path.display()));
            }
            fs::remove_dir(path)
                .map(|()| format!("removed directory {}", path.display()))
                .map_err(|e| format!("{}: kept, not removable ({e})", path.display()))
        }
        JournalEntry::Moved {
            from,
            to,
            fingerprint,
        } => move_back(to, from, *fingerprint),
        JournalEntry::Trashed {
            original,
            stored,
            fingerprint,
        } => move_back(stored, original, *fingerprint),
        JournalEntry::Copied { to, fingerprint } => {
            if !exists(to) {
                return Ok(format!("{}: copy never made", to.display()));
            }
            unchanged(to, *fingerprint)?;
            fs::remove_file(to)
                .map(|()| format!("removed copy {}", to.display()))
                .map_err(|e| format!("{}: could not remove copy ({e})", to.display()))
        }
        JournalEntry::Wrote {
            path,
            previous,
            previous_fingerprint,
            fingerprint,
        } => {
            let current = Fingerprint::of(path);
            match previous {
                None if !exists(path) => Ok(format!("{}: never written", path.display())),
                Some(_) if current.is_some() && current == *previous_fingerprint => Ok(format!(
                    "{}: still has its previous content",
                    path.display()
                )),
                None => {
                    unchanged(path, *fingerprint)?;
                    fs::remove_file(path)
                        .map(|()| format!("removed new file {}", path.display()))
                        .map_err(|e| format!("{}: could not remove ({e})", path.display()))
                }
                Some(saved) => {
                    unchanged(path, *fingerprint)?;
                    unchanged(saved, *previous_fingerprint)?;
                    // Replacing our own write with the saved previous content.
                    fs::rename(saved, path)
                        .map(|()| format!("restored previous content of {}", path.display()))
                        .map_err(|e| format!("{}: could not restore ({e})", path.display()))
                }
            }
        }
    }
}

/// Moves `now` back to `back_to` when it is unchanged and `back_to` is free.
fn move_back(
    now: &Path,
    back_to: &Path,
    fingerprint: Option<Fingerprint>,
) -> Result<String, String> {
    if !exists(now) {
        return if exists(back_to) {
            Ok(format!("{}: never moved", back_to.display()))
        } else {
            Err(format!(
                "{}: missing, cannot restore {}",
                now.display(),
                back_to.display()
            ))
        };
    }
    unchanged(now, fingerprint)?;
    if exists(back_to) {
        return Err(format!(
            "{}: the original location is taken now",
            back_to.display()
        ));
    }
    if let Some(parent) = back_to.parent() {
        fs::create_dir_all(parent).map_err(|e| format!("{}: {e}", parent.display()))?;
    }
    move_no_replace(now, back_to)
        .map(|()| format!("moved {} back to {}", now.display(), back_to.display()))
        .map_err(|e| format!("{}: could not move back ({e})", now.display()))
}

/// Refuses when a file's fingerprint differs from the recorded one.
/// Directories (recorded as `None`) must still be directories.
fn unchanged(path: &Path, recorded: Option<Fingerprint>) -> Result<(), String> {
    let is_same = match recorded {
        Some(expected) => Fingerprint::of(path) == Some(expected),
        None => path.symlink_metadata().is_ok_and(|m| !m.is_file()),
    };
    if is_same {
        Ok(())
    } else {
        Err(format!("{}: changed since, left as it is", path.display()))
    }
}
