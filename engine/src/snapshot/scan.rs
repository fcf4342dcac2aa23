//! The stat pass of a snapshot: lists a write root and reads every entry's
//! metadata before anything is recorded. The pass is bound by the kernel
//! (path lookups, inode reads), so the root's folders are split over two
//! threads; it stops early once the root holds more files than a snapshot
//! may, or nests deeper than the walk goes.

use std::ffi::OsString;
use std::fs::{self, Metadata};
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};

use super::take::{Limits, MAX_DEPTH, TakeError, failed};

/// One listed folder.
#[derive(Debug, Default)]
pub(super) struct ScannedDir {
    pub(super) entries: Vec<Scanned>,
}

/// One entry of a listed folder.
#[derive(Debug)]
pub(super) struct Scanned {
    pub(super) name: OsString,
    pub(super) meta: Metadata,
    pub(super) contents: Contents,
}

/// What is below an entry.
#[derive(Debug)]
pub(super) enum Contents {
    /// Not a folder.
    Leaf,
    /// A folder, listed, or why it could not be (an unreadable folder is
    /// recorded but never restored).
    Folder(Result<ScannedDir, TakeError>),
    /// A folder named in `skip`, left out.
    Skipped,
}

/// Lists `root` and everything below it that a snapshot records.
pub(super) fn scan(root: &Path, limits: &Limits) -> Result<ScannedDir, TakeError> {
    let files = AtomicU64::new(0);
    let mut top = list(root, 0, limits, &files, false)?;
    let folders: Vec<usize> = top
        .entries
        .iter()
        .enumerate()
        .filter(|(_, entry)| matches!(entry.contents, Contents::Folder(_)))
        .map(|(index, _)| index)
        .collect();
    // Every other folder to each thread, so both get a share whatever the
    // order of files and folders in the listing.
    let even: Vec<usize> = folders.iter().step_by(2).copied().collect();
    let odd: Vec<usize> = folders.iter().skip(1).step_by(2).copied().collect();
    let scan_all =
        |indices: &[usize], entries: &[Scanned]| -> Vec<(usize, Result<ScannedDir, TakeError>)> {
            indices
                .iter()
                .map(|&index| {
                    let path = root.join(&entries[index].name);
                    (index, list(&path, 1, limits, &files, true))
                })
                .collect()
        };
    let results = std::thread::scope(|threads| {
        let entries = &top.entries;
        let other = threads.spawn(|| scan_all(&odd, entries));
        let mut results = scan_all(&even, entries);
        match other.join() {
            Ok(more) => results.extend(more),
            // The other half panicked: list it here instead.
            Err(_) => results.extend(scan_all(&odd, entries)),
        }
        results
    });
    for (index, result) in results {
        if let Err(error @ (TakeError::TooDeep | TakeError::TooManyFiles(_))) = result {
            return Err(error);
        }
        top.entries[index].contents = Contents::Folder(result);
    }
    Ok(top)
}

/// Lists `dir`; with `deep`, the folders below it too.
fn list(
    dir: &Path,
    depth: usize,
    limits: &Limits,
    files: &AtomicU64,
    deep: bool,
) -> Result<ScannedDir, TakeError> {
    if depth > MAX_DEPTH {
        return Err(TakeError::TooDeep);
    }
    let mut listed = ScannedDir::default();
    for item in fs::read_dir(dir).map_err(|e| failed(dir, e))? {
        let Ok(item) = item else { continue };
        // Vanished since it was listed: not part of this snapshot.
        let Ok(meta) = item.metadata() else { continue };
        let name = item.file_name();
        let contents = if !meta.is_dir() {
            if files.fetch_add(1, Ordering::Relaxed) >= limits.max_files {
                return Err(TakeError::TooManyFiles(limits.max_files));
            }
            Contents::Leaf
        } else if limits.skip.contains(&name) {
            Contents::Skipped
        } else if deep {
            match list(&item.path(), depth + 1, limits, files, true) {
                Err(error @ (TakeError::TooDeep | TakeError::TooManyFiles(_))) => {
                    return Err(error);
                }
                result => Contents::Folder(result),
            }
        } else {
            Contents::Folder(Ok(ScannedDir::default()))
        };
        listed.entries.push(Scanned {
            name,
            meta,
            contents,
        });
    }
    Ok(listed)
}
