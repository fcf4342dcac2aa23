//! Which paths a git repository tracks, so that moving them away from where
//! the repository expects them is a change a person approves.

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use git2::Repository;

use super::paths::real_path;

/// The tracked files of every repository the asked paths are in, read once
/// per repository (a rating asks about many paths of the same folder).
#[derive(Default)]
pub(super) struct TrackedFiles {
    /// Index entries as absolute paths, by work tree root.
    by_root: HashMap<PathBuf, BTreeSet<PathBuf>>,
    /// The work tree root of each folder asked about (`None`: not in one).
    root_of: HashMap<PathBuf, Option<PathBuf>>,
}

impl TrackedFiles {
    /// The work tree whose index lists `path` or something under it.
    pub(super) fn repository_tracking(&mut self, path: &Path) -> Option<PathBuf> {
        // The folder's symlinks are resolved, the entry's own is not: moving
        // a link moves the link.
        let folder = real_path(path.parent()?);
        let path = folder.join(path.file_name()?);
        let root = self
            .root_of
            .entry(folder.clone())
            .or_insert_with(|| work_tree_of(&folder))
            .clone()?;
        let entries = self
            .by_root
            .entry(root.clone())
            .or_insert_with(|| index_entries(&root));
        let tracked = entries
            .range(path.clone()..)
            .next()
            .is_some_and(|first| first.starts_with(&path));
        tracked.then_some(root)
    }
}

fn work_tree_of(folder: &Path) -> Option<PathBuf> {
    let repo = Repository::discover(folder).ok()?;
    // Without the trailing slash libgit2 gives it.
    repo.workdir().map(|dir| dir.components().collect())
}

fn index_entries(root: &Path) -> BTreeSet<PathBuf> {
    let Ok(index) = Repository::open(root).and_then(|repo| repo.index()) else {
        return BTreeSet::new();
    };
    index
        .iter()
        .map(|entry| root.join(String::from_utf8_lossy(&entry.path).as_ref()))
        .collect()
}
