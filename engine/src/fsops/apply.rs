//! Performs one [`FileOp`], writing its undo [`JournalEntry`] before the
//! change. Every entry is written so that undo stays correct if the process
//! dies right after it: each records the fingerprint the result will have,
//! and undo treats "result missing, source still there" as "never happened".

use std::fs::{self, File};
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::time::UNIX_EPOCH;

use serde::{Deserialize, Serialize};

use super::FileOp;
use super::paths::{exists, free_name, trash_slot};
use super::transfer::{copy_file_new, move_no_replace};
use crate::{Error, Result};

/// Size and modification time of a regular file, used to notice later changes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Fingerprint {
    /// Length in bytes.
    pub size: u64,
    /// Modification time, nanoseconds since the Unix epoch.
    pub mtime_ns: i64,
}

impl Fingerprint {
    /// The fingerprint of a regular file; `None` for directories, symlinks and
    /// missing paths (their contents are not compared).
    pub fn of(path: &Path) -> Option<Self> {
        let meta = path.symlink_metadata().ok()?;
        if !meta.is_file() {
            return None;
        }
        let mtime_ns = match meta.modified().ok()?.duration_since(UNIX_EPOCH) {
            Ok(after) => i64::try_from(after.as_nanos()).ok()?,
            Err(before) => -i64::try_from(before.duration().as_nanos()).ok()?,
        };
        Some(Self {
            size: meta.len(),
            mtime_ns,
        })
    }
}

/// One undoable change, recorded before it is made.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum JournalEntry {
    /// A directory that did not exist was created.
    CreatedDir {
        /// The new directory.
        path: PathBuf,
    },
    /// A file or directory was moved or renamed.
    Moved {
        /// Where it was.
        from: PathBuf,
        /// Where it is now.
        to: PathBuf,
        /// Its fingerprint (moves keep size and mtime); `None` for directories.
        fingerprint: Option<Fingerprint>,
    },
    /// A file was copied to a new path.
    Copied {
        /// The new copy.
        to: PathBuf,
        /// The copy's fingerprint (copies keep the source's mtime).
        fingerprint: Option<Fingerprint>,
    },
    /// A file or directory was moved into the trash.
    Trashed {
        /// Where it was.
        original: PathBuf,
        /// Where it is kept in the trash dir.
        stored: PathBuf,
        /// Its fingerprint; `None` for directories.
        fingerprint: Option<Fingerprint>,
    },
    /// A text file was written.
    Wrote {
        /// The file.
        path: PathBuf,
        /// A saved copy of the previous content, when the file existed.
        previous: Option<PathBuf>,
        /// Fingerprint of the previous content (the saved copy keeps its mtime).
        previous_fingerprint: Option<Fingerprint>,
        /// Fingerprint of the new content.
        fingerprint: Option<Fingerprint>,
    },
}

/// Performs `op`, calling `journal` with each entry before the change it
/// describes. An error from `journal` stops the op before anything changes.
/// Trashed paths go to `trash_dir/trashed/<absolute path>` and previous
/// content of overwritten files to `trash_dir/previous/<absolute path>`.
///
/// Fails with [`Error::Conflict`] when a destination appeared since the op was
/// resolved (nothing is overwritten) and [`Error::Io`] for filesystem errors.
pub fn apply(
    op: &FileOp,
    trash_dir: &Path,
    journal: &mut dyn FnMut(&JournalEntry) -> Result<()>,
) -> Result<()> {
    match op {
        FileOp::Mkdir { path } => make_dirs(path, journal),
        FileOp::Move { from, to } => {
            if let Some(parent) = to.parent() {
                make_dirs(parent, journal)?;
            }
            journal(&JournalEntry::Moved {
                from: from.clone(),
                to: to.clone(),
                fingerprint: Fingerprint::of(from),
            })?;
            move_no_replace(from, to).map_err(|e| io_or_conflict(to, e))
        }
        FileOp::Copy { from, to } => {
            if let Some(parent) = to.parent() {
                make_dirs(parent, journal)?;
            }
            journal(&JournalEntry::Copied {
                to: to.clone(),
                fingerprint: Fingerprint::of(from),
            })?;
            copy_file_new(from, to).map_err(|e| io_or_conflict(to, e))
        }
        FileOp::Trash { path } => {
            let stored = trash_slot(&trash_dir.join("trashed"), path);
            if let Some(parent) = stored.parent() {
                fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
            }
            journal(&JournalEntry::Trashed {
                original: path.clone(),
                stored: stored.clone(),
                fingerprint: Fingerprint::of(path),
            })?;
            move_no_replace(path, &stored).map_err(|e| io_or_conflict(&stored, e))
        }
        FileOp::Write { path, content } => write(path, content, trash_dir, journal),
    }
}

/// Moves a finished new file `part` (a download) to `to`, or to the first
/// free `name (n).ext` beside it, creating missing folders. Journaled as a
/// copy, so undo removes it while it is unchanged. Returns where it went.
pub fn adopt(
    part: &Path,
    to: &Path,
    journal: &mut dyn FnMut(&JournalEntry) -> Result<()>,
) -> Result<PathBuf> {
    let (Some(parent), Some(name)) = (to.parent(), to.file_name()) else {
        return Err(Error::Invalid(format!("{}: not a file path", to.display())));
    };
    make_dirs(parent, journal)?;
    let target = free_name(parent, name, exists);
    journal(&JournalEntry::Copied {
        to: target.clone(),
        fingerprint: Fingerprint::of(part),
    })?;
    move_no_replace(part, &target).map_err(|e| io_or_conflict(&target, e))?;
    Ok(target)
}

/// Creates `path` and missing parents, journaling each new directory first.
fn make_dirs(path: &Path, journal: &mut dyn FnMut(&JournalEntry) -> Result<()>) -> Result<()> {
    let missing: Vec<&Path> = path.ancestors().take_while(|p| !exists(p)).collect();
    for dir in missing.into_iter().rev() {
        journal(&JournalEntry::CreatedDir {
            path: dir.to_path_buf(),
        })?;
        fs::create_dir(dir).map_err(|e| Error::io(dir, e))?;
    }
    Ok(())
}

/// Writes through a temp file in the same directory: save the previous
/// content, write and fingerprint the temp file, journal, then rename it into
/// place, so the journal always knows what the result looks like.
fn write(
    path: &Path,
    content: &str,
    trash_dir: &Path,
    journal: &mut dyn FnMut(&JournalEntry) -> Result<()>,
) -> Result<()> {
    let (Some(parent), Some(name)) = (path.parent(), path.file_name()) else {
        return Err(Error::Invalid(format!(
            "{}: not a file path",
            path.display()
        )));
    };
    make_dirs(parent, journal)?;
    if path.symlink_metadata().is_ok_and(|m| !m.is_file()) {
        return Err(Error::Conflict(format!(
            "{} is not a regular file",
            path.display()
        )));
    }
    let previous = if exists(path) {
        let saved = trash_slot(&trash_dir.join("previous"), path);
        if let Some(dir) = saved.parent() {
            fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
        }
        copy_file_new(path, &saved).map_err(|e| Error::io(&saved, e))?;
        Some(saved)
    } else {
        None
    };
    let mut temp_name = std::ffi::OsString::from(".");
    temp_name.push(name);
    temp_name.push(".devos-write");
    let temp = parent.join(temp_name);
    let mut file = File::create_new(&temp).map_err(|e| io_or_conflict(&temp, e))?;
    // An overwrite keeps the original's permissions (a script stays executable).
    let mode = path.symlink_metadata().ok().map(|m| m.permissions());
    let written = file
        .write_all(content.as_bytes())
        .and_then(|()| mode.map_or(Ok(()), |mode| fs::set_permissions(&temp, mode)))
        .and_then(|()| file.sync_all());
    if let Err(err) = written {
        // Our own half-written temp file, not the user's.
        let _ = fs::remove_file(&temp);
        return Err(Error::io(&temp, err));
    }
    let is_new = previous.is_none();
    let entry = JournalEntry::Wrote {
        path: path.to_path_buf(),
        previous_fingerprint: previous.as_deref().and_then(Fingerprint::of),
        previous,
        fingerprint: Fingerprint::of(&temp),
    };
    if let Err(err) = journal(&entry) {
        let _ = fs::remove_file(&temp);
        return Err(err);
    }
    if is_new {
        // Nothing was there to save, so nothing may be replaced either.
        move_no_replace(&temp, path).map_err(|e| io_or_conflict(path, e))
    } else {
        fs::rename(&temp, path).map_err(|e| Error::io(path, e))
    }
}

/// Maps "destination exists" to a conflict, anything else to an I/O error.
fn io_or_conflict(path: &Path, err: std::io::Error) -> Error {
    if err.kind() == std::io::ErrorKind::AlreadyExists {
        Error::Conflict(format!(
            "{} appeared meanwhile; nothing was overwritten",
            path.display()
        ))
    } else {
        Error::io(path, err)
    }
}
