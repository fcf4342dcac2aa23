//! The in-memory file index: per directory, a compact record per file (name
//! id, size, mtime), the names of its subdirectories and totals by category,
//! plus a bounded ring of recent changes. It is pure data: the watcher feeds
//! it directory listings; it never reads the filesystem itself.

use std::collections::{BTreeMap, VecDeque};
use std::ops::Bound;
use std::path::{Path, PathBuf};

use super::interner::Interner;
use judge::context::{
    CategoryCount, ChangeKind, DirSummary, EntryInfo, EntryKind, FileCategory, NameMatcher,
    RecentChange,
};

/// One entry of a directory listing, as the watcher hands it over.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Entry {
    pub(crate) name: String,
    pub(crate) size: u64,
    pub(crate) mtime: i64,
    pub(crate) is_dir: bool,
}

/// What a reconcile found out about a directory's subdirectories.
#[derive(Debug, Default)]
pub(crate) struct DirDelta {
    /// Subdirectories the index did not know.
    pub(crate) new_subdirs: Vec<PathBuf>,
    /// Subdirectories that are gone (already dropped from the index).
    pub(crate) gone_subdirs: usize,
    /// Every current subdirectory.
    pub(crate) subdirs: Vec<PathBuf>,
    /// Whether any file or subdirectory changed.
    pub(crate) is_changed: bool,
}

/// 16 bytes per file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct FileRecord {
    size: u64,
    name: u32,
    mtime: u32,
}

#[derive(Debug, Default, Clone, Copy)]
struct Totals {
    files: u32,
    bytes: u64,
}

#[derive(Debug, Default)]
struct Dir {
    /// Sorted by name id.
    files: Vec<FileRecord>,
    /// Name ids, sorted.
    subdirs: Vec<u32>,
    /// Modification times of `subdirs`, in the same order.
    subdir_mtimes: Vec<u32>,
    totals: [Totals; 8],
}

/// The index itself. Keys are ordered by path components, so a directory's
/// subtree is one contiguous range.
#[derive(Debug)]
pub(crate) struct FileIndex {
    dirs: BTreeMap<PathBuf, Dir>,
    names: Interner,
    /// Files plus subdirectory links currently referenced (upper bound of live names).
    references: usize,
    recent: VecDeque<RecentChange>,
    recent_capacity: usize,
}

impl FileIndex {
    pub(crate) fn new(recent_capacity: usize) -> Self {
        Self {
            dirs: BTreeMap::new(),
            names: Interner::default(),
            references: 0,
            recent: VecDeque::with_capacity(recent_capacity),
            recent_capacity,
        }
    }

    pub(crate) fn has_dir(&self, dir: &Path) -> bool {
        self.dirs.contains_key(dir)
    }

    /// Replaces what the index knows about `dir` with `entries`, records the
    /// differences as recent changes when `record` is set, and drops the
    /// subtrees of subdirectories that disappeared.
    pub(crate) fn reconcile_dir(
        &mut self,
        dir: &Path,
        entries: &[Entry],
        now: i64,
        record: bool,
    ) -> DirDelta {
        let mut files = Vec::with_capacity(entries.len());
        let mut dated_subdirs = Vec::new();
        for entry in entries {
            let name = self.names.intern(&entry.name);
            let mtime = u32::try_from(entry.mtime.max(0)).unwrap_or(u32::MAX);
            if entry.is_dir {
                dated_subdirs.push((name, mtime));
            } else {
                files.push(FileRecord {
                    size: entry.size,
                    name,
                    mtime,
                });
            }
        }
        files.sort_unstable_by_key(|file| file.name);
        files.shrink_to_fit();
        dated_subdirs.sort_unstable();
        dated_subdirs.dedup_by_key(|(name, _)| *name);
        let (mut subdirs, mut subdir_mtimes): (Vec<u32>, Vec<u32>) =
            dated_subdirs.into_iter().unzip();
        subdirs.shrink_to_fit();
        subdir_mtimes.shrink_to_fit();
        let old = self.dirs.remove(dir).unwrap_or_default();
        let mut delta = DirDelta::default();
        self.diff_files(dir, &old.files, &files, now, record, &mut delta);
        for &name in &old.subdirs {
            if subdirs.binary_search(&name).is_err() {
                let gone = dir.join(self.names.get(name));
                self.remove_subtree(&gone, now, record);
                delta.gone_subdirs += 1;
                delta.is_changed = true;
            }
        }
        for &name in &subdirs {
            let path = dir.join(self.names.get(name));
            if old.subdirs.binary_search(&name).is_err() {
                delta.new_subdirs.push(path.clone());
                delta.is_changed = true;
            }
            delta.subdirs.push(path);
        }
        let mut totals = [Totals::default(); 8];
        for file in &files {
            let slot = &mut totals[self.category(file.name).index()];
            slot.files += 1;
            slot.bytes += file.size;
        }
        self.references = self.references + files.len() + subdirs.len()
            - (old.files.len() + old.subdirs.len()).min(self.references);
        self.dirs.insert(
            dir.to_path_buf(),
            Dir {
                files,
                subdirs,
                subdir_mtimes,
                totals,
            },
        );
        if self.names.len() > 2 * self.references + 4096 {
            self.compact();
        }
        delta
    }

    /// Drops `dir` and everything below it; returns how many files went.
    pub(crate) fn remove_subtree(&mut self, dir: &Path, now: i64, record: bool) -> usize {
        let keys: Vec<PathBuf> = self
            .subtree(dir)
            .map(|(path, _)| path.to_path_buf())
            .collect();
        let mut removed = 0;
        for key in keys {
            if let Some(gone) = self.dirs.remove(&key) {
                removed += gone.files.len();
                self.references = self
                    .references
                    .saturating_sub(gone.files.len() + gone.subdirs.len());
            }
        }
        if record {
            self.push_recent(dir.to_path_buf(), ChangeKind::Removed, now);
        }
        removed
    }

    /// Aggregates for `dir` and below, with up to `recent_limit` recent
    /// changes; `None` when `dir` is not indexed.
    pub(crate) fn summary(&self, dir: &Path, recent_limit: usize) -> Option<DirSummary> {
        if !self.dirs.contains_key(dir) {
            return None;
        }
        let mut totals = [Totals::default(); 8];
        let mut dirs = 0;
        for (_, entry) in self.subtree(dir) {
            dirs += 1;
            for (sum, part) in totals.iter_mut().zip(entry.totals.iter()) {
                sum.files += part.files;
                sum.bytes += part.bytes;
            }
        }
        let mut by_category: Vec<CategoryCount> = FileCategory::ALL
            .iter()
            .zip(totals.iter())
            .filter(|(_, totals)| totals.files > 0)
            .map(|(category, totals)| CategoryCount {
                category: *category,
                files: u64::from(totals.files),
                bytes: totals.bytes,
            })
            .collect();
        by_category.sort_by(|a, b| b.files.cmp(&a.files).then(a.category.cmp(&b.category)));
        let recent = self
            .recent
            .iter()
            .rev()
            .filter(|change| change.path.starts_with(dir))
            .take(recent_limit)
            .cloned()
            .collect();
        Some(DirSummary {
            path: dir.to_path_buf(),
            files: by_category.iter().map(|c| c.files).sum(),
            dirs: dirs - 1,
            total_bytes: by_category.iter().map(|c| c.bytes).sum(),
            by_category,
            recent,
        })
    }

    /// The entries directly in `dir`, unordered; `None` when it is not indexed.
    pub(crate) fn children(&self, dir: &Path) -> Option<Vec<EntryInfo>> {
        let entry = self.dirs.get(dir)?;
        Some(
            self.entries_of(entry)
                .map(|(name, kind, size, mtime)| EntryInfo {
                    name: name.to_owned(),
                    kind,
                    size,
                    modified_at: i64::from(mtime),
                })
                .collect(),
        )
    }

    /// Entries at or below `dir` whose own name matches, as paths relative
    /// to `dir`, looking at no more than `scan_limit` entries. Returns the
    /// matches and whether the scan stopped early.
    pub(crate) fn matching(
        &self,
        dir: &Path,
        matcher: &NameMatcher,
        scan_limit: usize,
    ) -> (Vec<EntryInfo>, bool) {
        let mut found = Vec::new();
        let mut scanned = 0;
        for (path, entry) in self.subtree(dir) {
            let relative = path.strip_prefix(dir).unwrap_or(path);
            for (name, kind, size, mtime) in self.entries_of(entry) {
                scanned += 1;
                if scanned > scan_limit {
                    return (found, true);
                }
                if matcher.is_match(name) {
                    found.push(EntryInfo {
                        name: relative.join(name).to_string_lossy().into_owned(),
                        kind,
                        size,
                        modified_at: i64::from(mtime),
                    });
                }
            }
        }
        (found, false)
    }

    fn entries_of<'a>(
        &'a self,
        dir: &'a Dir,
    ) -> impl Iterator<Item = (&'a str, EntryKind, u64, u32)> + 'a {
        let files = dir.files.iter().map(|file| {
            (
                self.names.get(file.name),
                EntryKind::File,
                file.size,
                file.mtime,
            )
        });
        let subdirs = dir
            .subdirs
            .iter()
            .zip(&dir.subdir_mtimes)
            .map(|(name, mtime)| (self.names.get(*name), EntryKind::Dir, 0, *mtime));
        files.chain(subdirs)
    }

    /// Directories and files indexed at or below `dir`.
    pub(crate) fn count_under(&self, dir: &Path) -> (u64, u64) {
        self.subtree(dir).fold((0, 0), |(dirs, files), (_, entry)| {
            (dirs + 1, files + entry.files.len() as u64)
        })
    }

    /// Files in the whole index.
    pub(crate) fn file_count(&self) -> u64 {
        self.dirs.values().map(|dir| dir.files.len() as u64).sum()
    }

    /// Heap bytes held by the index, computed from the capacities of its
    /// parts. B-tree nodes are counted at their entry size plus a third for
    /// partly filled nodes.
    pub(crate) fn heap_bytes(&self) -> usize {
        let entry = size_of::<(PathBuf, Dir)>();
        let dirs: usize = self
            .dirs
            .iter()
            .map(|(path, dir)| {
                entry * 4 / 3
                    + path.capacity()
                    + dir.files.capacity() * size_of::<FileRecord>()
                    + (dir.subdirs.capacity() + dir.subdir_mtimes.capacity()) * size_of::<u32>()
            })
            .sum();
        let recent: usize = self
            .recent
            .iter()
            .map(|change| change.path.capacity())
            .sum::<usize>()
            + self.recent.capacity() * size_of::<RecentChange>();
        dirs + recent + self.names.heap_bytes()
    }

    fn subtree<'a>(&'a self, dir: &'a Path) -> impl Iterator<Item = (&'a Path, &'a Dir)> + 'a {
        self.dirs
            .range::<Path, _>((Bound::Included(dir), Bound::Unbounded))
            .take_while(move |(path, _)| path.starts_with(dir))
            .map(|(path, entry)| (path.as_path(), entry))
    }

    fn category(&self, name: u32) -> FileCategory {
        FileCategory::of_name(self.names.get(name))
    }

    fn diff_files(
        &mut self,
        dir: &Path,
        old: &[FileRecord],
        new: &[FileRecord],
        now: i64,
        record: bool,
        delta: &mut DirDelta,
    ) {
        let (mut i, mut j) = (0, 0);
        let mut changes = Vec::new();
        while i < old.len() || j < new.len() {
            match (old.get(i), new.get(j)) {
                (Some(a), Some(b)) if a.name == b.name => {
                    if a != b {
                        changes.push((b.name, ChangeKind::Modified));
                    }
                    i += 1;
                    j += 1;
                }
                (Some(a), Some(b)) if a.name < b.name => {
                    changes.push((a.name, ChangeKind::Removed));
                    i += 1;
                }
                (Some(a), None) => {
                    changes.push((a.name, ChangeKind::Removed));
                    i += 1;
                }
                (_, Some(b)) => {
                    changes.push((b.name, ChangeKind::Created));
                    j += 1;
                }
                (None, None) => break,
            }
        }
        delta.is_changed |= !changes.is_empty();
        if record {
            for (name, kind) in changes {
                let path = dir.join(self.names.get(name));
                self.push_recent(path, kind, now);
            }
        }
    }

    fn push_recent(&mut self, path: PathBuf, kind: ChangeKind, changed_at: i64) {
        if self.recent_capacity == 0 {
            return;
        }
        while self.recent.len() >= self.recent_capacity {
            self.recent.pop_front();
        }
        self.recent.push_back(RecentChange {
            path,
            kind,
            changed_at,
        });
    }

    /// Rebuilds the interner with only the names still referenced, once
    /// deleted and renamed files have left more dead names than live ones.
    fn compact(&mut self) {
        let old = std::mem::take(&mut self.names);
        for dir in self.dirs.values_mut() {
            for file in &mut dir.files {
                file.name = self.names.intern(old.get(file.name));
            }
            dir.files.sort_unstable_by_key(|file| file.name);
            let mut dated: Vec<(u32, u32)> = dir
                .subdirs
                .iter()
                .zip(&dir.subdir_mtimes)
                .map(|(name, mtime)| (self.names.intern(old.get(*name)), *mtime))
                .collect();
            dated.sort_unstable();
            (dir.subdirs, dir.subdir_mtimes) = dated.into_iter().unzip();
        }
    }
}

#[cfg(test)]
#[path = "index_tests.rs"]
mod tests;
