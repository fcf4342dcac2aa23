//! Undo snapshots of write roots: a private, content-addressed object store
//! in the data dir (a bare git object database through git2, never the
//! user's own `.git`) holding file contents, symlink targets and one
//! manifest per folder, shared by every job. Taking a snapshot reads only
//! the files that changed since the last one of the same root; restoring
//! brings a root back path by path and refuses paths changed by someone
//! else. This module stores and restores; it never decides when (that is
//! the pipeline) and never deletes a user's file (removals go to the trash).

mod estimate;
mod gc;
mod manifest;
mod restore;
mod scan;
mod take;

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use git2::{Oid, Repository};

pub use estimate::{Coverage, estimate};
pub use gc::size_on_disk;
pub use manifest::{Entry, Flat, Kind};
pub use restore::Restored;
pub use take::{Limits, RootCache, TakeError, Taken};

use crate::{Error, Result};

/// The snapshot store and the per-root caches that keep snapshots incremental.
/// Callers serialise access (the engine holds it behind one async mutex), so
/// a sweep never races a snapshot that is not yet recorded.
#[derive(Debug)]
pub struct SnapshotStore {
    dir: PathBuf,
    caches: HashMap<PathBuf, RootCache>,
}

fn store_error(what: &str, error: &git2::Error) -> Error {
    Error::Task(format!("snapshot store: {what}: {}", error.message()))
}

impl SnapshotStore {
    /// Opens the store in `dir`, creating it when missing.
    pub fn open(dir: &Path) -> Result<Self> {
        if !dir.join("objects").is_dir() {
            std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
            Repository::init_bare(dir).map_err(|e| store_error("creating it", &e))?;
        }
        Ok(Self {
            dir: dir.to_path_buf(),
            caches: HashMap::new(),
        })
    }

    fn repo(&self) -> Result<Repository> {
        Repository::open_bare(&self.dir).map_err(|e| store_error("opening it", &e))
    }

    /// Snapshots `root`. `previous` is the last recorded snapshot of it and
    /// when it was taken (ns), used to stay incremental after a restart.
    pub fn take(
        &mut self,
        root: &Path,
        limits: &Limits,
        previous: Option<(Oid, i64)>,
        now_ns: i64,
    ) -> std::result::Result<Taken, TakeError> {
        let repo = self.repo().map_err(|e| TakeError::Failed(e.to_string()))?;
        let odb = repo
            .odb()
            .map_err(|e| TakeError::Failed(e.message().to_owned()))?;
        let mut cache = match self.caches.remove(root) {
            Some(cache) => cache,
            None => previous
                .map(|(oid, at)| RootCache::from_manifest(&odb, oid, at))
                .unwrap_or_default(),
        };
        let taken = take::take(&odb, root, limits, &mut cache, now_ns);
        if taken.is_ok() {
            self.caches.insert(root.to_path_buf(), cache);
        }
        taken
    }

    /// Every path of the snapshot whose root manifest is `oid`.
    pub fn flatten(&self, oid: Oid) -> Result<Flat> {
        let repo = self.repo()?;
        let odb = repo.odb().map_err(|e| store_error("reading", &e))?;
        manifest::flatten(&odb, oid).map_err(Error::Task)
    }

    /// Restores `root` to `target` where it still matches `expected`,
    /// comparing with `current` (a snapshot taken just before); removed
    /// paths go under `trash`.
    pub fn restore(
        &self,
        root: &Path,
        target: &Flat,
        expected: &Flat,
        current: &Flat,
        trash: &Path,
    ) -> Result<Restored> {
        let repo = self.repo()?;
        let odb = repo.odb().map_err(|e| store_error("reading", &e))?;
        let states = restore::States {
            target,
            expected,
            current,
        };
        Ok(restore::restore(&odb, root, &states, trash))
    }

    /// Bytes the store takes on disk.
    pub fn size(&self) -> u64 {
        size_on_disk(&self.dir)
    }

    /// Removes every object that the `kept` manifests do not reach and
    /// forgets the caches (they may name removed objects). Returns bytes freed.
    pub fn sweep(&mut self, kept: &[Oid]) -> Result<u64> {
        self.caches.clear();
        let repo = self.repo()?;
        let odb = repo.odb().map_err(|e| store_error("reading", &e))?;
        gc::sweep(&odb, &self.dir.join("objects"), kept).map_err(Error::Task)
    }
}

#[cfg(test)]
#[path = "snapshot_tests.rs"]
mod tests;
