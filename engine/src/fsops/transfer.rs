//! Low-level moves and copies that never overwrite. Moves use
//! `renameat2(RENAME_NOREPLACE)` so a destination created behind our back is
//! not clobbered; across filesystems (EXDEV) they copy, keeping mtimes so undo
//! fingerprints still match, then remove the source.

use std::fs::{self, File};
use std::io;
use std::path::Path;

use nix::errno::Errno;
use nix::fcntl::{AT_FDCWD, RenameFlags, renameat2};

use super::paths::exists;

/// Moves `from` to `to`, failing with `AlreadyExists` if `to` exists.
pub(crate) fn move_no_replace(from: &Path, to: &Path) -> io::Result<()> {
    match renameat2(AT_FDCWD, from, AT_FDCWD, to, RenameFlags::RENAME_NOREPLACE) {
        Ok(()) => Ok(()),
        Err(Errno::EXDEV) => {
            copy_tree(from, to)?;
            remove_copied(from, to)
        }
        // Some filesystems lack RENAME_NOREPLACE: check, then rename.
        Err(Errno::EINVAL | Errno::ENOSYS) => {
            if exists(to) {
                return Err(io::ErrorKind::AlreadyExists.into());
            }
            fs::rename(from, to)
        }
        Err(errno) => Err(errno.into()),
    }
}

/// Copies a regular file to a new path (never overwriting), keeping its mtime.
pub(crate) fn copy_file_new(from: &Path, to: &Path) -> io::Result<()> {
    let mut source = File::open(from)?;
    let meta = source.metadata()?;
    let mut target = File::create_new(to)?;
    io::copy(&mut source, &mut target)?;
    target.set_permissions(meta.permissions())?;
    target.set_modified(meta.modified()?)?;
    target.sync_all()
}

/// Copies a file or a directory tree to a new path. Symlinks are recreated,
/// not followed.
fn copy_tree(from: &Path, to: &Path) -> io::Result<()> {
    let meta = from.symlink_metadata()?;
    if meta.is_dir() {
        fs::create_dir(to)?;
        for entry in fs::read_dir(from)? {
            let entry = entry?;
            copy_tree(&entry.path(), &to.join(entry.file_name()))?;
        }
        fs::set_permissions(to, meta.permissions())?;
        File::open(to)?.set_modified(meta.modified()?)
    } else if meta.is_symlink() {
        std::os::unix::fs::symlink(fs::read_link(from)?, to)
    } else {
        copy_file_new(from, to)
    }
}

/// Removes the source of a cross-filesystem move, but only what it can see
/// was copied: same kind, same size, same link target. Anything else stays
/// where it was and the move fails, so nothing is lost.
fn remove_copied(from: &Path, to: &Path) -> io::Result<()> {
    let source = from.symlink_metadata()?;
    let copy = to.symlink_metadata()?;
    if source.is_dir() && copy.is_dir() {
        for entry in fs::read_dir(from)? {
            let entry = entry?;
            remove_copied(&entry.path(), &to.join(entry.file_name()))?;
        }
        return fs::remove_dir(from);
    }
    let same = if source.is_symlink() {
        copy.is_symlink() && fs::read_link(from)? == fs::read_link(to)?
    } else {
        source.is_file() && copy.is_file() && source.len() == copy.len()
    };
    if same {
        fs::remove_file(from)
    } else {
        Err(io::Error::other(format!(
            "{} was left in place: its copy at {} does not match",
            from.display(),
            to.display()
        )))
    }
}
