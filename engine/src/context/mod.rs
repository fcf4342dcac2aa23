//! The context engine: long-lived, incremental caches of what is in the
//! workspace roots (file index), the state of their git repositories and
//! the running processes, read cheaply to build a [`ContextSnapshot`] for a
//! job. Background threads keep the caches fresh; readers never walk the
//! filesystem or call git. It observes only: it never writes a file, a git
//! index or a process.
//!
//! The work runs on its own threads rather than tokio tasks, so blocking
//! git2 calls and directory walks never occupy the async runtime, and the
//! engine works from sync and async callers alike.

mod category;
mod events;
mod git;
mod index;
mod interner;
mod ports;
mod process;
mod redact;
mod scan;
mod snapshot;
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
use process::ProcessMonitor;
use state::{Shared, read};

pub use category::FileCategory;
pub use git::{CommitSummary, GitOperation, PathGroup, RepoSummary, Upstream};
pub use index::{CategoryCount, ChangeKind, DirSummary, RecentChange};
pub use ports::Listener;
pub use process::{InterestGuard, LoadAverage, MemoryTotals, ProcessInfo};
pub use redact::{REDACTED, redact};
pub use snapshot::{ContextSnapshot, DEV_PORTS, ProcessContext};
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
}

impl ContextSettings {
    /// Defaults for `roots`: watching, 200 ms debounce, 30 s rescans, 5 s process refresh.
    pub fn new(roots: Vec<PathBuf>) -> Self {
        Self {
            roots,
            watch: true,
            debounce: Duration::from_millis(200),
            rescan_interval: Duration::from_secs(30),
            process_interval: Duration::from_secs(5),
            recent_capacity: 256,
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
        }
    }
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
        watch::spawn(Arc::clone(&shared), &settings, git_tx).map_err(thread_error)?;
        let processes = ProcessMonitor::spawn(settings.process_interval).map_err(thread_error)?;
        Ok(Arc::new(Self { shared, processes }))
    }

    /// The context of `cwd` from the caches, trimmed to `token_budget`
    /// tokens. Never touches the filesystem, git or `/proc`.
    pub fn snapshot(&self, cwd: &Path, token_budget: usize) -> ContextSnapshot {
        let directory = read(&self.shared.index).summary(cwd, snapshot::RECENT_LIMIT);
        let repo = {
            let repos = read(&self.shared.repos);
            cwd.ancestors().find_map(|dir| repos.get(dir)).cloned()
        };
        let processes = self
            .processes
            .with_report(|report| report.map(ProcessContext::from_report));
        let mut snapshot = ContextSnapshot {
            cwd: cwd.to_path_buf(),
            directory,
            repo,
            processes,
            omitted: Vec::new(),
            estimated_tokens: 0,
        };
        snapshot.trim_to(token_budget);
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
