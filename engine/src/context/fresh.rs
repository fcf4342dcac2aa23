//! On-demand context for a folder the index does not cover (outside the
//! watched roots, or not indexed yet): a breadth-first walk that stops at an
//! entry or time limit and says so, plus the git2 summary of the repository
//! containing the folder, kept in a small short-lived cache so consecutive
//! jobs in the same folder do not pay twice. Like the index it reads
//! directory entries and metadata only, never file contents, and applies
//! the same ignore rules.

use std::collections::VecDeque;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use super::git::read_repo;
use super::scan::{IgnoreRules, list_dir};
use judge::context::{CategoryCount, DirSummary, EntryInfo, EntryKind, FileCategory, RepoSummary};

/// How far one on-demand walk may go.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WalkLimits {
    /// Entries (files and directories) read before the walk stops.
    pub entries: usize,
    /// Time spent before the walk stops.
    pub time: Duration,
}

/// What one walk found.
#[derive(Debug)]
pub(crate) struct Walk {
    /// Counts over the entries read (`recent` is always empty).
    pub(crate) summary: DirSummary,
    /// Every entry read, relative to the folder, breadth first: the folder's
    /// own entries are the first `top_level`.
    pub(crate) entries: Vec<EntryInfo>,
    pub(crate) top_level: usize,
    /// Why the walk stopped early, in words for `omitted`.
    pub(crate) stopped: Option<String>,
    /// The repository containing the folder.
    pub(crate) repo: Option<RepoSummary>,
    read_at: Instant,
}

/// Walks `dir` breadth first within `limits` while another thread reads
/// its repository, so the job waits for the slower of the two, not both.
pub(crate) fn walk(dir: &Path, limits: WalkLimits) -> Walk {
    let repo_root = dir
        .ancestors()
        .find(|ancestor| ancestor.join(".git").exists())
        .map(Path::to_path_buf);
    std::thread::scope(|scope| {
        let git = repo_root.clone().and_then(|root| {
            std::thread::Builder::new()
                .name("context-git-on-demand".into())
                .spawn_scoped(scope, move || read_repo_logged(&root))
                .ok()
        });
        let mut walk = walk_entries(dir, repo_root.as_deref(), limits);
        walk.repo = match git {
            Some(handle) => handle.join().ok().flatten(),
            // No thread could be started: read it here instead.
            None => repo_root.as_deref().and_then(read_repo_logged),
        };
        walk
    })
}

fn read_repo_logged(root: &Path) -> Option<RepoSummary> {
    match read_repo(root) {
        Ok(summary) => Some(summary),
        Err(error) => {
            tracing::debug!(repo = %root.display(), %error, "cannot read repository");
            None
        }
    }
}

/// The walk itself; `repo` is left empty for [`walk`] to fill.
fn walk_entries(dir: &Path, repo_root: Option<&Path>, limits: WalkLimits) -> Walk {
    let started = Instant::now();
    let mut rules = IgnoreRules::default();
    // `.gitignore` files between the repository's top and the folder apply too.
    if let Some(root) = repo_root {
        for ancestor in dir.ancestors().skip(1).take_while(|a| a.starts_with(root)) {
            rules.load_dir(ancestor);
        }
    }
    let mut totals = [(0u64, 0u64); 8];
    let mut dirs = 0u64;
    let mut entries = Vec::new();
    let mut top_level = None;
    let mut stopped = None;
    let mut queue = VecDeque::from([dir.to_path_buf()]);
    'walk: while let Some(next) = queue.pop_front() {
        let Ok(listing) = list_dir(&next, &mut rules) else {
            continue; // unreadable or gone; the rest is still worth listing
        };
        let relative = next.strip_prefix(dir).unwrap_or(&next).to_path_buf();
        for entry in listing.entries {
            if entries.len() >= limits.entries {
                stopped = Some(format!(
                    "the folder was read on demand and the walk stopped at {} entries; \
                     counts and names cover only those",
                    limits.entries
                ));
                break 'walk;
            }
            let kind = if entry.is_dir {
                dirs += 1;
                queue.push_back(next.join(&entry.name));
                EntryKind::Dir
            } else {
                let slot = &mut totals[FileCategory::of_name(&entry.name).index()];
                slot.0 += 1;
                slot.1 += entry.size;
                EntryKind::File
            };
            entries.push(EntryInfo {
                name: relative.join(&entry.name).to_string_lossy().into_owned(),
                kind,
                size: entry.size,
                modified_at: entry.mtime,
            });
        }
        top_level.get_or_insert(entries.len());
        if started.elapsed() >= limits.time && !queue.is_empty() {
            stopped = Some(format!(
                "the folder was read on demand and the walk stopped after {} ms; \
                 counts and names cover only the {} entries read",
                limits.time.as_millis(),
                entries.len()
            ));
            break;
        }
    }
    let mut by_category: Vec<CategoryCount> = FileCategory::ALL
        .iter()
        .zip(totals)
        .filter(|(_, (files, _))| *files > 0)
        .map(|(category, (files, bytes))| CategoryCount {
            category: *category,
            files,
            bytes,
        })
        .collect();
    by_category.sort_by(|a, b| b.files.cmp(&a.files).then(a.category.cmp(&b.category)));
    Walk {
        summary: DirSummary {
            path: dir.to_path_buf(),
            files: by_category.iter().map(|c| c.files).sum(),
            dirs,
            total_bytes: by_category.iter().map(|c| c.bytes).sum(),
            by_category,
            recent: Vec::new(),
        },
        top_level: top_level.unwrap_or(entries.len()),
        entries,
        stopped,
        repo: None,
        read_at: Instant::now(),
    }
}

/// Recent walks by folder: at most `capacity`, each kept for `ttl`.
#[derive(Debug)]
pub(crate) struct WalkCache {
    walks: Mutex<Vec<(PathBuf, Arc<Walk>)>>,
    limits: WalkLimits,
    ttl: Duration,
    capacity: usize,
}

impl WalkCache {
    pub(crate) fn new(limits: WalkLimits, ttl: Duration, capacity: usize) -> Self {
        Self {
            walks: Mutex::new(Vec::new()),
            limits,
            ttl,
            capacity,
        }
    }

    /// The cached walk of `dir` when it is younger than the TTL, else a new one.
    pub(crate) fn get(&self, dir: &Path) -> Arc<Walk> {
        let ttl = self.ttl;
        {
            let walks = self.walks.lock().unwrap_or_else(PoisonError::into_inner);
            let hit = walks
                .iter()
                .find(|(path, walk)| path == dir && walk.read_at.elapsed() < ttl);
            if let Some((_, walk)) = hit {
                return Arc::clone(walk);
            }
        }
        // Walk without the lock: other folders' jobs need not wait.
        let fresh = Arc::new(walk(dir, self.limits));
        if self.capacity == 0 || ttl.is_zero() {
            return fresh;
        }
        let mut walks = self.walks.lock().unwrap_or_else(PoisonError::into_inner);
        walks.retain(|(path, walk)| path != dir && walk.read_at.elapsed() < ttl);
        if walks.len() >= self.capacity {
            // Oldest first, so the front is the least recently read.
            walks.remove(0);
        }
        walks.push((dir.to_path_buf(), Arc::clone(&fresh)));
        fresh
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use pretty_assertions::assert_eq;

    const GENEROUS: WalkLimits = WalkLimits {
        entries: 10_000,
        time: Duration::from_secs(10),
    };

    #[test]
    fn walk_counts_lists_top_level_first_and_skips_ignored() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("sub/deeper")).unwrap();
        std::fs::create_dir(root.join("node_modules")).unwrap();
        std::fs::write(root.join("a.png"), "12345").unwrap();
        std::fs::write(root.join("sub/b.rs"), "1").unwrap();
        std::fs::write(root.join("sub/deeper/c.md"), "12").unwrap();
        std::fs::write(root.join("node_modules/x.js"), "1").unwrap();
        let walk = walk(root, GENEROUS);
        let top: Vec<&str> = walk.entries[..walk.top_level]
            .iter()
            .map(|e| e.name.as_str())
            .collect();
        let mut top = top;
        top.sort_unstable();
        assert_eq!(top, vec!["a.png", "sub"]);
        assert_eq!(
            (
                walk.summary.files,
                walk.summary.dirs,
                walk.summary.total_bytes
            ),
            (3, 2, 8)
        );
        assert!(walk.entries.iter().any(|e| e.name == "sub/deeper/c.md"));
        assert_eq!(walk.stopped, None);
        assert_eq!(walk.repo, None);
    }

    #[test]
    fn walk_stops_at_the_entry_limit_and_says_so() {
        let dir = tempfile::tempdir().unwrap();
        for n in 0..30 {
            std::fs::write(dir.path().join(format!("f{n}.txt")), "x").unwrap();
        }
        let walk = walk(
            dir.path(),
            WalkLimits {
                entries: 10,
                time: Duration::from_secs(10),
            },
        );
        assert_eq!(walk.entries.len(), 10);
        assert_eq!(walk.summary.files, 10);
        assert!(
            walk.stopped
                .as_deref()
                .is_some_and(|s| s.contains("10 entries")),
            "{:?}",
            walk.stopped
        );
    }

    #[test]
    fn cache_returns_the_same_walk_within_the_ttl_only() {
        let dir = tempfile::tempdir().unwrap();
        let cache = WalkCache::new(GENEROUS, Duration::from_secs(60), 2);
        let first = cache.get(dir.path());
        assert!(Arc::ptr_eq(&first, &cache.get(dir.path())));
        let expired = WalkCache::new(GENEROUS, Duration::ZERO, 2);
        assert!(!Arc::ptr_eq(
            &expired.get(dir.path()),
            &expired.get(dir.path())
        ));
    }

    #[test]
    fn cache_keeps_at_most_its_capacity() {
        let dirs: Vec<_> = (0..3).map(|_| tempfile::tempdir().unwrap()).collect();
        let cache = WalkCache::new(GENEROUS, Duration::from_secs(60), 2);
        let first = cache.get(dirs[0].path());
        cache.get(dirs[1].path());
        cache.get(dirs[2].path());
        assert!(!Arc::ptr_eq(&first, &cache.get(dirs[0].path())), "evicted");
        let walks = cache.walks.lock().unwrap();
        assert_eq!(walks.len(), 2);
    }
}
