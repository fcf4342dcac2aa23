//! Reverts a job's journal, newest entry first, and redoes an undone one,
//! oldest first. Neither overwrites, and undo deletes nothing the job made:
//! new files, new contents and copies go to the job's trash, where redo
//! finds them. An item whose state changed since (size or mtime) or whose
//! place is taken again is refused with a reason, and the rest still
//! proceeds.

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

/// Reverts `entries` (in journal order) from last to first. What the job
/// wrote or copied is not deleted but kept in `stash` (the job's trash), so
/// that [`redo`] can bring it back.
pub fn undo(entries: &[JournalEntry], stash: &Path) -> UndoReport {
    let mut report = UndoReport::default();
    for (index, entry) in entries.iter().enumerate().rev() {
        match revert(entry, &kept_for_redo(stash, index)) {
            Ok(done) => report.reverted.push(done),
            Err(reason) => report.refused.push(reason),
        }
    }
    report
}

/// Applies undone `entries` again, in journal order, wherever things are
/// still as the undo left them; anything changed since is refused.
pub fn redo(entries: &[JournalEntry], stash: &Path) -> UndoReport {
    let mut report = UndoReport::default();
    for (index, entry) in entries.iter().enumerate() {
        match reapply(entry, &kept_for_redo(stash, index)) {
            Ok(done) => report.reverted.push(done),
            Err(reason) => report.refused.push(reason),
        }
    }
    report
}

/// Where the undo of journal entry `index` keeps what the job had made.
fn kept_for_redo(stash: &Path, index: usize) -> std::path::PathBuf {
    stash.join(".redo").join(index.to_string())
}

/// Reverts one entry; `Ok` describes what happened, `Err` why it was refused.
fn revert(entry: &JournalEntry, kept: &Path) -> Result<String, String> {
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
            move_back(to, kept, *fingerprint)
                .map(|_| format!("removed copy {} (kept for redo)", to.display()))
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
                None => move_back(path, kept, *fingerprint)
                    .map(|_| format!("removed new file {} (kept for redo)", path.display())),
                Some(saved) => {
                    unchanged(saved, *previous_fingerprint)?;
                    move_back(path, kept, *fingerprint)?;
                    move_no_replace(saved, path)
                        .map(|()| format!("restored previous content of {}", path.display()))
                        .map_err(|e| format!("{}: could not restore ({e})", path.display()))
                }
            }
        }
    }
}

/// Applies one undone entry again; `Ok` describes it, `Err` why not.
fn reapply(entry: &JournalEntry, kept: &Path) -> Result<String, String> {
    match entry {
        JournalEntry::CreatedDir { path } => {
            if path.is_dir() {
                return Ok(format!("{}: already there", path.display()));
            }
            fs::create_dir_all(path)
                .map(|()| format!("created directory {}", path.display()))
                .map_err(|e| format!("{}: could not create ({e})", path.display()))
        }
        JournalEntry::Moved {
            from,
            to,
            fingerprint,
        } => move_back(from, to, *fingerprint)
            .map(|_| format!("moved {} to {} again", from.display(), to.display())),
        JournalEntry::Trashed {
            original,
            stored,
            fingerprint,
        } => move_back(original, stored, *fingerprint)
            .map(|_| format!("moved {} to the trash again", original.display())),
        JournalEntry::Copied { to, fingerprint } => {
            move_back(kept, to, *fingerprint).map(|_| format!("copied {} again", to.display()))
        }
        JournalEntry::Wrote {
            path,
            previous,
            previous_fingerprint,
            fingerprint,
        } => {
            if let Some(saved) = previous {
                unchanged(path, *previous_fingerprint)?;
                unchanged(kept, *fingerprint)?;
                move_back(path, saved, *previous_fingerprint)?;
            }
            move_back(kept, path, *fingerprint).map(|_| format!("wrote {} again", path.display()))
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
