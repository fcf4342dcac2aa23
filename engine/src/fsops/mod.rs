//! Typed file actions (`fs` steps): the engine performs them itself so that
//! each change is journaled and can be undone. This module resolves an
//! [`FsAction`](crate::plan::FsAction) into concrete [`FileOp`]s, previews and
//! rates them, applies them one by one (journal entry first, then the change)
//! and reverts a journal.
//!
//! It never deletes a user's file: "trash" moves into the job's trash dir, and
//! nothing is ever overwritten except by an approved `write`, whose previous
//! content is saved first. It does not decide whether an op may run; callers
//! combine [`rate`] with policy.

mod apply;
mod paths;
mod preview;
mod rate;
mod resolve;
mod tracked;
mod transfer;
mod undo;

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

pub use apply::{Fingerprint, JournalEntry, adopt, apply};
pub(crate) use paths::{is_contained, normalize};
pub use preview::human_bytes;
pub use preview::{Preview, preview};
pub use rate::{Rating, rate};
pub use resolve::resolve;
pub(crate) use transfer::move_no_replace;
pub use undo::{UndoReport, redo, undo};

/// Refuses `op` when a path inside `roots` that it writes, moves or trashes
/// now leads out of them through a symlink (checked right before it runs).
/// Paths outside the roots were rated, and approved, as outside.
pub fn check_contained(op: &FileOp, roots: &[std::path::PathBuf]) -> crate::Result<()> {
    let inside = |path: &std::path::Path| roots.iter().any(|root| path.starts_with(root));
    // Moving or trashing a symlink moves the link; writing through one follows it.
    let source_ok = op
        .source()
        .is_none_or(|path| !inside(path) || paths::is_contained(path, roots, true));
    let destination_ok = op
        .destination()
        .is_none_or(|path| !inside(path) || paths::is_contained(path, roots, false));
    if source_ok && destination_ok {
        Ok(())
    } else {
        Err(crate::Error::Conflict(format!(
            "{} now leads outside the write roots (a symlink changed since planning); nothing was changed",
            op.destination()
                .or(op.source())
                .map_or_else(String::new, |p| p.display().to_string())
        )))
    }
}

/// Where `op` would move something into `temp_dir` — the job's own, which
/// is deleted when the job ends, so whatever went there would be lost.
/// Symlinks are resolved: a link into the temp dir counts as the temp dir.
pub(crate) fn moves_into<'a>(
    op: &'a FileOp,
    temp_dir: &std::path::Path,
) -> Option<&'a std::path::Path> {
    match op {
        FileOp::Move { to, .. } if paths::real_path(to).starts_with(paths::real_path(temp_dir)) => {
            Some(to)
        }
        _ => None,
    }
}

/// Refuses `op` when it moves something into the job's `temp_dir`; checked
/// again right before it runs, since a symlink planted after planning could
/// now lead there.
pub fn check_not_into_temp(op: &FileOp, temp_dir: &std::path::Path) -> crate::Result<()> {
    moves_into(op, temp_dir).map_or(Ok(()), |to| {
        Err(crate::Error::Conflict(format!(
            "{} is in the job's temp dir, which is deleted when the job ends; nothing was moved",
            to.display()
        )))
    })
}

/// One concrete file change, with absolute paths. Produced by [`resolve`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum FileOp {
    /// Create a directory and any missing parents.
    Mkdir {
        /// The directory.
        path: PathBuf,
    },
    /// Move (or rename) a file or directory to an exact destination path that
    /// must not exist.
    Move {
        /// The current path.
        from: PathBuf,
        /// The new path.
        to: PathBuf,
    },
    /// Copy a regular file to an exact destination path that must not exist.
    Copy {
        /// The file to copy.
        from: PathBuf,
        /// The new copy's path.
        to: PathBuf,
    },
    /// Write a text file, replacing any previous content (kept for undo).
    Write {
        /// The file.
        path: PathBuf,
        /// The full new content.
        content: String,
    },
    /// Move a file or directory into the job's trash dir.
    Trash {
        /// The path to trash.
        path: PathBuf,
    },
}

impl FileOp {
    /// The path this op takes its content from (`None` for `mkdir` and `write`).
    pub fn source(&self) -> Option<&PathBuf> {
        match self {
            Self::Move { from, .. } | Self::Copy { from, .. } => Some(from),
            Self::Trash { path } => Some(path),
            Self::Mkdir { .. } | Self::Write { .. } => None,
        }
    }

    /// The path this op creates or changes (`None` for `trash`).
    pub fn destination(&self) -> Option<&PathBuf> {
        match self {
            Self::Move { to, .. } | Self::Copy { to, .. } => Some(to),
            Self::Mkdir { path } | Self::Write { path, .. } => Some(path),
            Self::Trash { .. } => None,
        }
    }
}
