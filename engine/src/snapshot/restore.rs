//! Brings one write root back to a snapshot, path by path. A path is only
//! touched when it is still exactly as the job left it (`expected`); one
//! changed by someone else since is refused and kept. What the target does
//! not have goes to the trash (never unlinked); what it has is written back
//! with its content, mode and mtime, or recreated as a symlink or folder.
//! Writes never pass through a symlink: every parent is checked to be a real
//! folder first.

use std::collections::BTreeSet;
use std::ffi::OsString;
use std::fs::{self, File, FileTimes};
use std::io::{self, Write as _};
use std::os::unix::fs::PermissionsExt as _;
use std::path::{Path, PathBuf};
use std::time::{Duration, UNIX_EPOCH};

use git2::Odb;

use super::manifest::{Entry, Flat, Kind};
use crate::fsops::move_no_replace;

/// What a restore did, as readable lines with absolute paths.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Restored {
    /// Paths written back (content, mode or link) or recreated.
    pub restored: Vec<String>,
    /// Paths moved to the trash because the target does not have them.
    pub removed: Vec<String>,
    /// Paths left alone, each with the reason.
    pub refused: Vec<String>,
}

/// The three states of one root a restore compares.
pub struct States<'a> {
    /// What the root should look like afterwards.
    pub target: &'a Flat,
    /// What the job (or the last undo) left; anything else was changed by someone else.
    pub expected: &'a Flat,
    /// What the root holds now.
    pub current: &'a Flat,
}

fn same(a: Option<&Entry>, b: Option<&Entry>) -> bool {
    match (a, b) {
        (None, None) => true,
        (Some(a), Some(b)) => a.same_as(b),
        _ => false,
    }
}

/// Restores `root` to `states.target`, moving removed paths under `trash`.
pub fn restore(odb: &Odb<'_>, root: &Path, states: &States<'_>, trash: &Path) -> Restored {
    let mut report = Restored::default();
    let paths: BTreeSet<&PathBuf> = states
        .target
        .keys()
        .chain(states.expected.keys())
        .chain(states.current.keys())
        .collect();
    let mut to_remove = Vec::new();
    let mut to_write = Vec::new();
    let mut kept = BTreeSet::new();
    for rel in paths {
        let target = states.target.get(rel);
        let current = states.current.get(rel);
        if same(current, target) {
            continue;
        }
        if !same(current, states.expected.get(rel)) {
            report.refused.push(format!(
                "{}: changed since the job, left as it is",
                root.join(rel).display()
            ));
            kept.insert(rel.clone());
            continue;
        }
        if let Some(current) = current
            && target.is_none_or(|t| t.kind != current.kind || t.kind == Kind::Other)
        {
            to_remove.push((rel.clone(), current.kind));
        }
        if let Some(target) = target {
            to_write.push((rel.clone(), target.clone()));
        }
    }
    // Children before their folders.
    to_remove.sort_by(|a, b| a.0.cmp(&b.0));
    for (rel, kind) in to_remove.iter().rev() {
        let abs = root.join(rel);
        let holds_kept = kept.iter().any(|k| k.starts_with(rel) && k != rel);
        if *kind == Kind::Dir && holds_kept {
            report.refused.push(format!(
                "{}: kept, it holds files changed since the job",
                abs.display()
            ));
            kept.insert(rel.clone());
            continue;
        }
        match to_trash(root, rel, *kind, trash) {
            Ok(()) => report.removed.push(abs.display().to_string()),
            Err(error) => {
                report.refused.push(format!(
                    "{}: could not move to the trash ({error})",
                    abs.display()
                ));
                kept.insert(rel.clone());
            }
        }
    }
    // Folders before what they hold; folder modes last, so a read-only
    // folder does not stop its own files from coming back.
    to_write.sort_by(|a, b| a.0.cmp(&b.0));
    let mut modes = Vec::new();
    for (rel, entry) in &to_write {
        let abs = root.join(rel);
        let done = match entry.kind {
            Kind::Dir => make_dir(root, rel).map(|()| modes.push((abs.clone(), entry.mode))),
            Kind::File => write_file(odb, root, rel, entry),
            Kind::Symlink => write_link(odb, root, rel, entry),
            Kind::Other => Err(io::Error::other("not a file, link or folder")),
        };
        match done {
            Ok(()) => report.restored.push(abs.display().to_string()),
            Err(error) => report
                .refused
                .push(format!("{}: could not restore ({error})", abs.display())),
        }
    }
    for (abs, mode) in modes.iter().rev() {
        if let Err(error) = fs::set_permissions(abs, fs::Permissions::from_mode(*mode)) {
            report
                .refused
                .push(format!("{}: mode not restored ({error})", abs.display()));
        }
    }
    report
}

/// Fails unless every folder from `root` down to `rel`'s parent is a real
/// folder (not a symlink), so a write cannot be redirected out of the root.
fn check_parents(root: &Path, rel: &Path) -> io::Result<()> {
    let mut at = root.to_path_buf();
    let parents: Vec<_> = rel
        .parent()
        .map(|p| p.components().collect())
        .unwrap_or_default();
    for component in parents {
        at.push(component);
        if !fs::symlink_metadata(&at)?.is_dir() {
            return Err(io::Error::other(format!(
                "{} is not a real folder",
                at.display()
            )));
        }
    }
    Ok(())
}

fn to_trash(root: &Path, rel: &Path, kind: Kind, trash: &Path) -> io::Result<()> {
    check_parents(root, rel)?;
    let slot = trash.join(rel);
    if kind == Kind::Dir && slot.is_dir() {
        // Its files went to the trash before it; only the empty folder is left.
        return fs::remove_dir(root.join(rel));
    }
    if let Some(parent) = slot.parent() {
        fs::create_dir_all(parent)?;
    }
    move_no_replace(&root.join(rel), &slot)
}

fn make_dir(root: &Path, rel: &Path) -> io::Result<()> {
    check_parents(root, rel)?;
    let abs = root.join(rel);
    match fs::create_dir(&abs) {
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists && abs.symlink_metadata()?.is_dir() => {
            Ok(())
        }
        other => other,
    }
}

/// A fresh name beside `abs` for writing before the rename over it.
fn temp_beside(abs: &Path) -> PathBuf {
    let mut name = OsString::from(".devos-restore-");
    name.push(abs.file_name().unwrap_or_default());
    name.push(format!("-{}", std::process::id()));
    abs.with_file_name(name)
}

fn write_file(odb: &Odb<'_>, root: &Path, rel: &Path, entry: &Entry) -> io::Result<()> {
    check_parents(root, rel)?;
    let abs = root.join(rel);
    let object = odb.read(entry.oid).map_err(|e| {
        io::Error::other(format!(
            "content missing from the snapshot: {}",
            e.message()
        ))
    })?;
    let temp = temp_beside(&abs);
    let written = (|| {
        let mut file = File::create_new(&temp)?;
        file.write_all(object.data())?;
        file.set_permissions(fs::Permissions::from_mode(entry.mode))?;
        let mtime = if entry.mtime_ns >= 0 {
            UNIX_EPOCH + Duration::from_nanos(entry.mtime_ns.unsigned_abs())
        } else {
            UNIX_EPOCH - Duration::from_nanos(entry.mtime_ns.unsigned_abs())
        };
        file.set_times(FileTimes::new().set_modified(mtime))?;
        file.sync_all()?;
        fs::rename(&temp, &abs)
    })();
    if written.is_err() {
        // Our own half-written temp file, never a user's.
        let _ = fs::remove_file(&temp);
    }
    written
}

fn write_link(odb: &Odb<'_>, root: &Path, rel: &Path, entry: &Entry) -> io::Result<()> {
    check_parents(root, rel)?;
    let abs = root.join(rel);
    let object = odb.read(entry.oid).map_err(|e| {
        io::Error::other(format!("link missing from the snapshot: {}", e.message()))
    })?;
    let target = <std::ffi::OsStr as std::os::unix::ffi::OsStrExt>::from_bytes(object.data());
    let temp = temp_beside(&abs);
    std::os::unix::fs::symlink(target, &temp)?;
    fs::rename(&temp, &abs).inspect_err(|_| {
        let _ = fs::remove_file(&temp);
    })
}
