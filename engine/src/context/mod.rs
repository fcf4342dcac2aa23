//! The context engine: long-lived, incremental caches of what is in the
//! workspace roots (file index), the state of their git repositories and
//! the running processes, read cheaply to build a [`ContextSnapshot`] for a
//! job. Background threads keep the caches fresh. Where no cache covers a
//! job's folder, [`ContextEngine::snapshot_for`] reads it on demand within a
//! time and entry budget and keeps the result briefly; a request about
//! processes waits for a process refresh. It observes only: it never writes
//! a file, a git index or a process, and never reads a file's contents.
//!
//! The work runs on its own threads rather than tokio tasks, so blocking
//! git2 calls and directory walks never occupy the async runtime, and the
//! engine works from sync and async callers alike.

mod environment;
mod events;
mod fresh;
mod git;
mod index;
mod interner;
mod ports;
mod process;
mod redact;
mod scan;
mod state;
mod watch;

use std::path::{Path, PathBuf};
use std::sync::atomic::Ordering;
use std::sync::{Arc, mpsc};
use std::time::Duration;

use serde::{Deserialize, Serialize};
use tokio::sync::broadcast;

use crate::config::Config;
use crate::{Error, Result};
use environment::EnvironmentCache;
use fresh::WalkCache;
use process::ProcessMonitor;
use state::{Shared, read, write};

pub use environment::EnvironmentProbe;
pub use fresh::WalkLimits;
pub use judge::context::{
    AwsContext, CategoryCount, ChangeKind, CommitSummary, ContextSnapshot, DEV_PORTS, DirSummary,
    EntryInfo, EntryKind, EnvironmentInfo, FileCategory, GitOperation, Listener, LoadAverage,
    MemoryTotals, NameMatcher, PathGroup, ProcessContext, ProcessInfo, RecentChange, RepoSummary,
    TOOLS, Upstream, is_about_processes,
};
use judge::context::{RECENT_LIMIT, file_name, list_cap, newest};
pub use process::InterestGuard;
pub use redact::{REDACTED, redact};
pub use state::ContextChanged;
pub use watch::WatchStatus;

/// How the context engine runs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContextSettings {
    /// Absolute directories to index and watch.
    pub roots: Vec<PathBuf>,
    /// Use file events; `false` rescans every `rescan_interval` instead
    /// (for network filesystems, or to spare inotify watches).
    pub watch: bool,
    /// Events are collected this long before the index is updated; git
    /// refreshes wait as long again.
    pub debounce: Duration,
    /// How often degraded roots are rescanned.
    pub rescan_interval: Duration,
    /// How often processes are refreshed while someone is interested.
    pub process_interval: Duration,
    /// Recent changes remembered across all roots.
    pub recent_capacity: usize,
    /// How far an on-demand walk of a folder outside the index may go.
    pub walk_limits: WalkLimits,
    /// How long an on-demand walk is reused for the same folder (zero: never).
    pub walk_ttl: Duration,
    /// Folders whose walks are kept at once.
    pub walk_cache_capacity: usize,
    /// How long a request about processes waits for a fresh process refresh.
    pub process_wait: Duration,
    /// Where the OS, tools and AWS profile are read from.
    pub environment: EnvironmentProbe,
}

impl ContextSettings {
    /// Defaults for `roots`: watching, 200 ms debounce, 30 s rescans, 5 s
    /// process refresh, on-demand walks of up to 10,000 entries or 40 ms
    /// kept 30 s for 16 folders, and the environment of this process.
    pub fn new(roots: Vec<PathBuf>) -> Self {
        Self {
            roots,
            watch: true,
            debounce: Duration::from_millis(200),
            rescan_interval: Duration::from_secs(30),
            process_interval: Duration::from_secs(5),
            recent_capacity: 256,
            walk_limits: WalkLimits {
                entries: 10_000,
                time: Duration::from_millis(40),
            },
            walk_ttl: Duration::from_secs(30),
            walk_cache_capacity: 16,
            process_wait: Duration::from_secs(2),
            environment: EnvironmentProbe::from_process(),
        }
    }

    /// Settings from `[workspace] roots` and `[context]` of the configuration.
    pub fn from_config(config: &Config) -> Self {
        let context = &config.context;
        Self {
            roots: config.workspace.roots.clone(),
            watch: context.watch,
            debounce: Duration::from_millis(context.debounce_ms),
            rescan_interval: Duration::from_secs(context.rescan_secs.max(1)),
            process_interval: Duration::from_secs(context.process_interval_secs.max(1)),
            recent_capacity: context.recent_capacity,
            walk_limits: WalkLimits {
                entries: context.walk_max_entries,
                time: Duration::from_millis(context.walk_max_ms),
            },
            walk_ttl: Duration::from_secs(context.walk_cache_secs),
            ..Self::new(Vec::new())
        }
    }
}

/// Whether a snapshot carries processes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProcessDetail {
    /// Only when the request talks about processes, ports, servers, memory
    /// or CPU ([`is_about_processes`]).
    WhenAsked,
    /// Always (the console's context panel).
    Always,
}

/// What a snapshot is built for.
#[derive(Debug, Clone, Copy)]
pub struct SnapshotRequest<'a> {
    /// The job's folder.
    pub cwd: &'a Path,
    /// The user's request: names matching its words are listed first, and
    /// it decides whether processes are included.
    pub text: &'a str,
    /// Largest snapshot, in tokens.
    pub token_budget: usize,
    /// Whether processes are included.
    pub processes: ProcessDetail,
}

/// One root as the Settings page shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RootStatus {
    /// The root directory.
    pub path: PathBuf,
    /// Watching, degraded (with the reason) or missing.
    pub status: WatchStatus,
    /// Directories indexed under it.
    pub dirs: u64,
    /// Files indexed under it.
    pub files: u64,
}

/// Health of the context engine.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContextStatus {
    /// Every configured root.
    pub roots: Vec<RootStatus>,
    /// Every root has been scanned (or found missing) once.
    pub is_ready: bool,
    /// Repositories with a cached summary.
    pub repos: usize,
    /// Files in the index.
    pub indexed_files: u64,
    /// Heap bytes held by the index.
    pub index_bytes: usize,
    /// Someone holds an [`InterestGuard`], so processes are being refreshed.
    pub is_process_monitor_active: bool,
}

/// The running context engine. Dropping the last `Arc` stops its threads.
#[derive(Debug)]
pub struct ContextEngine {
    shared: Arc<Shared>,
    processes: ProcessMonitor,
    walks: WalkCache,
    environment: EnvironmentCache,
    process_wait: Duration,
    scan_limit: usize,
    root_adder: watch::RootAdder,
}

impl ContextEngine {
    /// Validates the settings and starts the file, git and process threads.
    /// Returns at once; the first index builds in the background (see
    /// [`ContextStatus::is_ready`]). Fails on a relative root or when a
    /// thread cannot be created.
    pub fn start(settings: ContextSettings) -> Result<Arc<Self>> {
        if let Some(root) = settings.roots.iter().find(|root| root.is_relative()) {
            return Err(Error::Invalid(format!(
                "context root `{}` must be an absolute path",
                root.display()
            )));
        }
        let roots = settings
            .roots
            .iter()
            .map(|root| (root.clone(), WatchStatus::Missing))
            .collect();
        let shared = Arc::new(Shared::new(settings.recent_capacity, roots));
        let thread_error = |error: std::io::Error| {
            shared.is_stopping.store(true, Ordering::Relaxed);
            Error::Task(format!("cannot start a context engine thread: {error}"))
        };
        let (git_tx, git_rx) = mpsc::channel();
        git::spawn(Arc::clone(&shared), git_rx, settings.debounce).map_err(thread_error)?;
        let root_adder =
            watch::spawn(Arc::clone(&shared), &settings, git_tx).map_err(thread_error)?;
        let processes = ProcessMonitor::spawn(settings.process_interval).map_err(thread_error)?;
        Ok(Arc::new(Self {
            shared,
            processes,
            walks: WalkCache::new(
                settings.walk_limits,
                settings.walk_ttl,
                settings.walk_cache_capacity,
            ),
            environment: EnvironmentCache::new(settings.environment.clone()),
            process_wait: settings.process_wait,
            scan_limit: settings.walk_limits.entries,
            root_adder,
        }))
    }

    /// Starts watching and indexing one more root, `dir`, now. Refuses a
    /// relative path, a path that is not a directory, and one that is inside
    /// or contains a root already followed (its files are indexed already,
    /// or would be twice). Returns at once; the index fills in the
    /// background and a [`ContextChanged`] for `dir` says when it is there.
    pub fn add_root(&self, dir: &Path) -> Result<()> {
        if dir.is_relative() || !dir.is_dir() {
            return Err(Error::Invalid(format!(
                "{} is not an existing absolute directory",
                dir.display()
            )));
        }
        let mut roots = write(&self.shared.roots);
        let overlapping = roots
            .iter()
            .map(|(root, _)| root.clone())
            .find(|root| dir.starts_with(root) || root.starts_with(dir));
        if let Some(root) = overlapping {
            let how = if dir.starts_with(&root) {
                "is already inside the workspace root"
            } else {
                "contains the workspace root"
            };
            return Err(Error::Conflict(format!(
                "{} {how} {}",
                dir.display(),
                root.display()
            )));
        }
        self.root_adder
            .add(dir.to_path_buf())
            .map_err(|why| Error::Task(why.to_owned()))?;
        // Listed at once (under the same lock as the check), so a second add
        // of the same folder is refused even before the thread has taken it.
        roots.push((dir.to_path_buf(), WatchStatus::Missing));
        Ok(())
    }

    /// The context of `cwd` from the caches only, trimmed to `token_budget`
    /// tokens: the index, the cached repository summaries and the last
    /// process report, no request words. Never touches the filesystem, git
    /// or `/proc`; a folder outside the index has no directory part.
    pub fn snapshot(&self, cwd: &Path, token_budget: usize) -> ContextSnapshot {
        let mut snapshot = self.read_index(cwd, &NameMatcher::default(), list_cap(token_budget));
        snapshot.processes = self
            .processes
            .with_report(|report| report.map(process::process_context));
        snapshot.environment = Some(self.environment.last().as_ref().clone());
        snapshot.trim_to(token_budget);
        snapshot
    }

    /// The context a planner gets for `request`: from the index when it
    /// covers the folder, else from an on-demand walk (cached briefly);
    /// processes refreshed for the request when it is about them. Blocks
    /// for the walk, git and the process refresh: call it off the async
    /// runtime.
    pub fn snapshot_for(&self, request: &SnapshotRequest<'_>) -> ContextSnapshot {
        let matcher = NameMatcher::from_request(request.text);
        let cap = list_cap(request.token_budget);
        let mut snapshot = self.read_index(request.cwd, &matcher, cap);
        if snapshot.directory.is_none() && request.cwd.is_dir() {
            let walk = self.walks.get(request.cwd);
            snapshot.is_read_on_demand = true;
            snapshot.directory = Some(walk.summary.clone());
            let top_level = walk.entries.get(..walk.top_level).unwrap_or_default();
            let (entries, older) = newest(top_level.iter(), cap);
            let matches = walk
                .entries
                .iter()
                .filter(|entry| matcher.is_match(file_name(&entry.name)));
            let (matching, older_matches) = newest(matches, cap);
            snapshot.entries = entries;
            snapshot.matching = matching;
            for (dropped, what) in [
                (older_matches, "older matching names"),
                (older, "older entries"),
            ] {
                if dropped > 0 {
                    snapshot.omitted.push(format!("{dropped} {what}"));
                }
            }
            snapshot.repo = snapshot.repo.or_else(|| walk.repo.clone());
            snapshot.omitted.extend(walk.stopped.clone());
            snapshot.order_names(cap);
        }
        let is_wanted = match request.processes {
            ProcessDetail::Always => true,
            ProcessDetail::WhenAsked => is_about_processes(request.text),
        };
        if is_wanted {
            snapshot.processes = self
                .processes
                .fresh_report(self.process_wait)
                .as_ref()
                .map(process::process_context);
        } else {
            snapshot
                .omitted
                .push("processes (the request is not about them)".to_owned());
        }
        snapshot.environment = Some(self.environment.fresh().as_ref().clone());
        snapshot.trim_to(request.token_budget);
        snapshot
    }

    /// Directory counts, entries and matching names (up to `cap` of each)
    /// and the repository, from the index and the repository cache.
    fn read_index(&self, cwd: &Path, matcher: &NameMatcher, cap: usize) -> ContextSnapshot {
        let mut snapshot = ContextSnapshot {
            cwd: cwd.to_path_buf(),
            is_read_on_demand: false,
            directory: None,
            matching: Vec::new(),
            entries: Vec::new(),
            repo: None,
            processes: None,
            environment: None,
            omitted: Vec::new(),
            estimated_tokens: 0,
        };
        {
            let index = read(&self.shared.index);
            snapshot.directory = index.summary(cwd, RECENT_LIMIT);
            snapshot.entries = index.children(cwd).unwrap_or_default();
            if snapshot.directory.is_some() && !matcher.is_empty() {
                let (matching, is_cut) = index.matching(cwd, matcher, self.scan_limit);
                snapshot.matching = matching;
                if is_cut {
                    snapshot.omitted.push(format!(
                        "names beyond the first {} entries were not searched",
                        self.scan_limit
                    ));
                }
            }
        }
        snapshot.repo = {
            let repos = read(&self.shared.repos);
            cwd.ancestors().find_map(|dir| repos.get(dir)).cloned()
        };
        snapshot.order_names(cap);
        snapshot
    }

    /// Per-root watch status and index totals, for the Settings page.
    pub fn status(&self) -> ContextStatus {
        let index = read(&self.shared.index);
        let roots = read(&self.shared.roots)
            .iter()
            .map(|(path, status)| {
                let (dirs, files) = index.count_under(path);
                RootStatus {
                    path: path.clone(),
                    status: status.clone(),
                    dirs,
                    files,
                }
            })
            .collect();
        ContextStatus {
            roots,
            is_ready: self.shared.is_ready.load(Ordering::Acquire),
            repos: read(&self.shared.repos).len(),
            indexed_files: index.file_count(),
            index_bytes: index.heap_bytes(),
            is_process_monitor_active: self.processes.is_active(),
        }
    }

    /// Live `ContextChanged` events (a lagging receiver skips ahead; re-read the snapshot).
    pub fn subscribe(&self) -> broadcast::Receiver<ContextChanged> {
        self.shared.events.subscribe()
    }

    /// Keeps processes refreshed while the guard lives (an open console, a
    /// job being planned); the first guard triggers an immediate refresh.
    pub fn interest(&self) -> InterestGuard {
        self.processes.interest()
    }
}

impl Drop for ContextEngine {
    fn drop(&mut self) {
        self.shared.is_stopping.store(true, Ordering::Relaxed);
        self.processes.stop();
    }
}
