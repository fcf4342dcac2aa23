//! Keeping the snapshot store bounded: its size on disk, and removing every
//! object that no kept snapshot reaches (mark from the kept manifests, then
//! sweep the loose objects). It only ever deletes inside the store.

use std::collections::HashSet;
use std::fs;
use std::path::Path;

use git2::{Odb, Oid};

use super::manifest::{self, Kind};

/// Bytes the files under `dir` take (0 when it is missing).
pub fn size_on_disk(dir: &Path) -> u64 {
    let Ok(meta) = fs::symlink_metadata(dir) else {
        return 0;
    };
    if !meta.is_dir() {
        return meta.len();
    }
    fs::read_dir(dir)
        .map(|entries| entries.flatten().map(|e| size_on_disk(&e.path())).sum())
        .unwrap_or(0)
}

/// Every object reachable from `kept` manifests.
fn reachable(odb: &Odb<'_>, kept: &[Oid]) -> Result<HashSet<Oid>, String> {
    let mut seen = HashSet::new();
    let mut pending: Vec<Oid> = kept.to_vec();
    while let Some(oid) = pending.pop() {
        if !seen.insert(oid) {
            continue;
        }
        for entry in manifest::read(odb, oid)? {
            match entry.kind {
                Kind::Dir => pending.push(entry.oid),
                Kind::File | Kind::Symlink => {
                    seen.insert(entry.oid);
                }
                Kind::Other => {}
            }
        }
    }
    Ok(seen)
}

/// Removes the loose objects under `objects_dir` that `kept` does not reach;
/// returns the bytes freed. Stops without removing anything when a kept
/// manifest cannot be read (better a full store than a broken undo).
pub fn sweep(odb: &Odb<'_>, objects_dir: &Path, kept: &[Oid]) -> Result<u64, String> {
    let live = reachable(odb, kept)?;
    let mut freed = 0;
    let fans = fs::read_dir(objects_dir).map_err(|e| format!("{}: {e}", objects_dir.display()))?;
    for fan in fans.flatten() {
        let prefix = fan.file_name().to_string_lossy().into_owned();
        if prefix.len() != 2 || !prefix.bytes().all(|b| b.is_ascii_hexdigit()) {
            continue;
        }
        let Ok(objects) = fs::read_dir(fan.path()) else {
            continue;
        };
        for object in objects.flatten() {
            let name = format!("{prefix}{}", object.file_name().to_string_lossy());
            let Ok(oid) = Oid::from_str(&name) else {
                continue;
            };
            if name.len() != 40 || live.contains(&oid) {
                continue;
            }
            let size = object.metadata().map_or(0, |m| m.len());
            if fs::remove_file(object.path()).is_ok() {
                freed += size;
            }
        }
        // Only succeeds once the fan-out folder is empty.
        let _ = fs::remove_dir(fan.path());
    }
    Ok(freed)
}
