//! The file monitor: one `notify` watcher per root feeding a worker thread
//! that debounces events, re-lists only the directories they touch and
//! updates the index. A root that cannot be watched (inotify limits) is
//! rescanned periodically instead; a root that vanishes is dropped from the
//! index and picked up again when it returns. It never reads file contents
//! and never calls git: it only tells the git monitor which repositories
//! changed.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, RecvTimeoutError, SyncSender, TrySendError, sync_channel};
use std::sync::{Arc, mpsc};
use std::time::{Duration, Instant};

use notify::{Event, RecommendedWatcher, RecursiveMode, Watcher};
use serde::{Deserialize, Serialize};

use super::ContextSettings;
use super::events::{degraded_reason, git_dir_owner, is_read_only};
use super::git::GitMessage;
use super::scan::{IgnoreRules, has_ignored_component, list_dir};
use super::state::{Shared, read, unix_now, write};

/// How a root is being followed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "state")]
pub enum WatchStatus {
    /// Live file events; the index follows within the debounce window.
    Watching,
    /// Events are unavailable; the root is rescanned every rescan interval.
    Degraded {
        /// Why, in words for the Settings page.
        reason: String,
    },
    /// The root does not exist (or is not a directory); checked again regularly.
    Missing,
}

/// Events queued between the watcher callbacks and the worker; past this the
/// callback drops events and flags the root for a full rescan instead.
const QUEUE_LIMIT: usize = 8192;
/// More changed directories than this in one batch are announced as one root change.
const PUBLISH_LIMIT: usize = 32;

enum Message {
    Event {
        root: usize,
        event: Event,
    },
    Failed {
        root: usize,
        error: notify::Error,
    },
    /// Start following one more root (added at run time).
    AddRoot(PathBuf),
}

/// Hands roots added at run time to the monitor thread.
#[derive(Debug, Clone)]
pub(crate) struct RootAdder(SyncSender<Message>);

impl RootAdder {
    /// Queues `path` to be watched and indexed, never blocking; says why
    /// when it cannot (the queue is full of events, or the thread stopped).
    pub(crate) fn add(&self, path: PathBuf) -> Result<(), &'static str> {
        self.0
            .try_send(Message::AddRoot(path))
            .map_err(|error| match error {
                TrySendError::Full(_) => "the file monitor is busy; try again in a moment",
                TrySendError::Disconnected(_) => "the context engine has stopped",
            })
    }
}

struct Root {
    path: PathBuf,
    watcher: Option<RecommendedWatcher>,
    status: WatchStatus,
    next_rescan: Instant,
    is_overflowed: Arc<AtomicBool>,
}

impl Root {
    /// A root not looked at yet (`check_roots` or `activate` does that).
    fn new(path: PathBuf) -> Self {
        Self {
            path,
            watcher: None,
            status: WatchStatus::Missing,
            next_rescan: Instant::now(),
            is_overflowed: Arc::new(AtomicBool::new(false)),
        }
    }
}

/// Starts the monitor thread.
pub(crate) fn spawn(
    shared: Arc<Shared>,
    settings: &ContextSettings,
    git: mpsc::Sender<GitMessage>,
) -> std::io::Result<RootAdder> {
    let (tx, rx) = sync_channel(QUEUE_LIMIT);
    let adder = RootAdder(tx.clone());
    let worker = Worker {
        roots: settings
            .roots
            .iter()
            .map(|path| Root::new(path.clone()))
            .collect(),
        shared,
        is_watch_enabled: settings.watch,
        debounce: settings.debounce,
        rescan_interval: settings.rescan_interval,
        rules: IgnoreRules::default(),
        repos: BTreeSet::new(),
        git,
        tx,
        rx,
        pending: BTreeSet::new(),
        pending_since: None,
    };
    std::thread::Builder::new()
        .name("context-files".into())
        .spawn(move || worker.run())
        .map(|_| adder)
}

struct Worker {
    shared: Arc<Shared>,
    roots: Vec<Root>,
    is_watch_enabled: bool,
    debounce: Duration,
    rescan_interval: Duration,
    rules: IgnoreRules,
    repos: BTreeSet<PathBuf>,
    git: mpsc::Sender<GitMessage>,
    tx: SyncSender<Message>,
    rx: Receiver<Message>,
    pending: BTreeSet<PathBuf>,
    pending_since: Option<Instant>,
}

impl Worker {
    fn run(mut self) {
        for root in 0..self.roots.len() {
            if self.roots[root].path.is_dir() {
                self.activate(root);
            }
        }
        self.publish_statuses();
        self.shared.is_ready.store(true, Ordering::Release);
        let tick = (self.debounce / 2).clamp(Duration::from_millis(20), Duration::from_millis(250));
        while !self.shared.is_stopping() {
            match self.rx.recv_timeout(tick) {
                Ok(message) => self.handle(message),
                Err(RecvTimeoutError::Timeout | RecvTimeoutError::Disconnected) => {}
            }
            while let Ok(message) = self.rx.try_recv() {
                self.handle(message);
            }
            if self
                .pending_since
                .is_some_and(|since| since.elapsed() >= self.debounce)
            {
                self.process_pending();
            }
            self.check_roots();
        }
    }

    /// Starts watching (or marks degraded) and indexes a root that exists.
    fn activate(&mut self, root: usize) {
        let path = self.roots[root].path.clone();
        let status = if self.is_watch_enabled {
            match self.watch(root) {
                Ok(watcher) => {
                    self.roots[root].watcher = Some(watcher);
                    WatchStatus::Watching
                }
                Err(error) => WatchStatus::Degraded {
                    reason: degraded_reason(&error),
                },
            }
        } else {
            WatchStatus::Degraded {
                reason: "file watching is turned off in the settings; rescanning periodically"
                    .into(),
            }
        };
        if let WatchStatus::Degraded { reason } = &status {
            tracing::warn!(root = %path.display(), %reason, "context root degraded");
        }
        self.roots[root].status = status;
        self.roots[root].next_rescan = Instant::now() + self.rescan_interval;
        // Watch first, then walk: changes made during the walk arrive as events.
        self.rescan(&path, false);
        self.shared.publish(path);
    }

    fn watch(&self, root: usize) -> notify::Result<RecommendedWatcher> {
        let tx = self.tx.clone();
        let is_overflowed = Arc::clone(&self.roots[root].is_overflowed);
        let mut watcher = notify::recommended_watcher(move |result: notify::Result<Event>| {
            let message = match result {
                Ok(event) => Message::Event { root, event },
                Err(error) => Message::Failed { root, error },
            };
            if tx.try_send(message).is_err() {
                is_overflowed.store(true, Ordering::Relaxed);
            }
        })?;
        watcher.watch(&self.roots[root].path, RecursiveMode::Recursive)?;
        Ok(watcher)
    }

    fn handle(&mut self, message: Message) {
        match message {
            Message::AddRoot(path) => {
                if self.roots.iter().any(|root| root.path == path) {
                    return;
                }
                self.roots.push(Root::new(path));
                let root = self.roots.len() - 1;
                if self.roots[root].path.is_dir() {
                    self.activate(root);
                }
                self.publish_statuses();
            }
            Message::Event { root, event } => {
                if event.need_rescan() {
                    self.roots[root]
                        .is_overflowed
                        .store(true, Ordering::Relaxed);
                }
                if is_read_only(event.kind) {
                    return;
                }
                for path in event.paths {
                    self.note_path(path);
                }
            }
            Message::Failed { root, error } => match &error.kind {
                notify::ErrorKind::PathNotFound | notify::ErrorKind::WatchNotFound => {
                    tracing::debug!(%error, "watch target went away");
                }
                notify::ErrorKind::MaxFilesWatch
                | notify::ErrorKind::Io(_)
                | notify::ErrorKind::Generic(_)
                | notify::ErrorKind::InvalidConfig(_) => self.degrade(root, &error),
            },
        }
    }

    fn note_path(&mut self, path: PathBuf) {
        if let Some(repo) = git_dir_owner(&path) {
            // `.git/objects` churns on every commit; refs, HEAD and index follow it.
            if !path.components().any(|c| c.as_os_str() == "objects") {
                self.pending.insert(repo.join(".git"));
                self.pending_since.get_or_insert_with(Instant::now);
            }
            return;
        }
        if has_ignored_component(&path) {
            return;
        }
        self.pending.insert(path);
        self.pending_since.get_or_insert_with(Instant::now);
    }

    /// Applies one debounced batch of event paths.
    fn process_pending(&mut self) {
        self.pending_since = None;
        let paths = std::mem::take(&mut self.pending);
        let mut dirs = BTreeSet::new();
        let mut repos = BTreeSet::new();
        for path in paths {
            if path.file_name().is_some_and(|name| name == ".git") {
                if let Some(repo) = path.parent() {
                    repos.insert(repo.to_path_buf());
                }
                continue;
            }
            let Some(parent) = path.parent() else {
                continue;
            };
            if path.file_name().is_some_and(|name| name == ".gitignore") {
                // New rules can hide or reveal anything below: re-list the subtree.
                self.rules.load_dir(parent);
                self.rescan(parent, true);
            } else if !self.rules.is_ignored(&path, path.is_dir()) {
                dirs.insert(parent.to_path_buf());
            }
        }
        let mut changed = Vec::new();
        // Parents sort before children, so a new directory is indexed before its files.
        for dir in dirs {
            // An event is reason enough to ask git: a rewrite within the same
            // second and size leaves the index's record unchanged.
            repos.extend(self.repo_of(&dir));
            if read(&self.shared.index).has_dir(&dir) {
                changed.extend(self.reconcile(&dir, true));
            }
        }
        repos.extend(changed.iter().filter_map(|dir| self.repo_of(dir)));
        self.forget_vanished_repos();
        for repo in repos {
            if self.repos.contains(&repo) {
                self.send_git(GitMessage::Refresh(repo));
            }
        }
        self.publish_changed(changed);
    }

    /// Re-lists `dir` and indexes any new subdirectories; returns the
    /// directories whose contents changed.
    fn reconcile(&mut self, dir: &Path, record: bool) -> Vec<PathBuf> {
        let now = unix_now();
        let Ok(listing) = list_dir(dir, &mut self.rules) else {
            let removed = write(&self.shared.index).remove_subtree(dir, now, record);
            self.rules.forget_subtree(dir);
            return if removed > 0 {
                vec![dir.to_path_buf()]
            } else {
                Vec::new()
            };
        };
        if listing.has_git && self.repos.insert(dir.to_path_buf()) {
            self.send_git(GitMessage::Refresh(dir.to_path_buf()));
        }
        let delta = write(&self.shared.index).reconcile_dir(dir, &listing.entries, now, record);
        let mut changed = Vec::new();
        if delta.is_changed {
            changed.push(dir.to_path_buf());
        }
        for subdir in delta.new_subdirs {
            changed.extend(self.rescan_collect(&subdir, record));
        }
        changed
    }

    /// Re-lists `dir` and everything below it.
    fn rescan(&mut self, dir: &Path, record: bool) -> Vec<PathBuf> {
        let changed = self.rescan_collect(dir, record);
        self.forget_vanished_repos();
        changed
    }

    fn rescan_collect(&mut self, dir: &Path, record: bool) -> Vec<PathBuf> {
        let mut changed = Vec::new();
        let mut stack = vec![dir.to_path_buf()];
        while let Some(next) = stack.pop() {
            let now = unix_now();
            let Ok(listing) = list_dir(&next, &mut self.rules) else {
                write(&self.shared.index).remove_subtree(&next, now, record);
                continue;
            };
            if listing.has_git && self.repos.insert(next.clone()) {
                self.send_git(GitMessage::Refresh(next.clone()));
            }
            let delta =
                write(&self.shared.index).reconcile_dir(&next, &listing.entries, now, record);
            if delta.is_changed {
                changed.push(next);
            }
            stack.extend(delta.subdirs);
        }
        changed
    }

    /// Once per tick: notice vanished and returning roots, overflowed event
    /// queues, and degraded roots due for a rescan.
    fn check_roots(&mut self) {
        let mut is_status_changed = false;
        for root in 0..self.roots.len() {
            let path = self.roots[root].path.clone();
            let is_present = path.is_dir();
            match (&self.roots[root].status, is_present) {
                (WatchStatus::Missing, false) => {}
                (WatchStatus::Missing, true) => {
                    self.activate(root);
                    is_status_changed = true;
                }
                (WatchStatus::Watching | WatchStatus::Degraded { .. }, false) => {
                    tracing::warn!(root = %path.display(), "context root vanished");
                    self.roots[root].watcher = None;
                    self.roots[root].status = WatchStatus::Missing;
                    write(&self.shared.index).remove_subtree(&path, unix_now(), true);
                    self.rules.forget_subtree(&path);
                    self.forget_vanished_repos();
                    self.shared.publish(path);
                    is_status_changed = true;
                }
                (WatchStatus::Watching, true) => {
                    if self.roots[root]
                        .is_overflowed
                        .swap(false, Ordering::Relaxed)
                    {
                        let changed = self.rescan(&path, true);
                        self.after_rescan(changed);
                    }
                }
                (WatchStatus::Degraded { .. }, true) => {
                    if Instant::now() >= self.roots[root].next_rescan {
                        self.roots[root].next_rescan = Instant::now() + self.rescan_interval;
                        let changed = self.rescan(&path, true);
                        // Without events, `.git` changes (a commit) are only seen by asking.
                        let repos: Vec<PathBuf> = self
                            .repos
                            .iter()
                            .filter(|repo| repo.starts_with(&path))
                            .cloned()
                            .collect();
                        for repo in repos {
                            self.send_git(GitMessage::Refresh(repo));
                        }
                        self.publish_changed(changed);
                    }
                }
            }
        }
        if is_status_changed {
            self.publish_statuses();
        }
    }

    fn after_rescan(&mut self, changed: Vec<PathBuf>) {
        let repos: BTreeSet<PathBuf> = changed.iter().filter_map(|dir| self.repo_of(dir)).collect();
        for repo in repos {
            self.send_git(GitMessage::Refresh(repo));
        }
        self.publish_changed(changed);
    }

    /// Drops the watcher of a root whose watching failed and rescans it from now on.
    fn degrade(&mut self, root: usize, error: &notify::Error) {
        let reason = degraded_reason(error);
        tracing::warn!(root = %self.roots[root].path.display(), %reason, "context root degraded");
        let entry = &mut self.roots[root];
        entry.watcher = None;
        entry.status = WatchStatus::Degraded { reason };
        entry.next_rescan = Instant::now();
        self.publish_statuses();
    }

    fn repo_of(&self, dir: &Path) -> Option<PathBuf> {
        dir.ancestors()
            .find(|candidate| self.repos.contains(*candidate))
            .map(Path::to_path_buf)
    }

    fn forget_vanished_repos(&mut self) {
        let index = read(&self.shared.index);
        let gone: Vec<PathBuf> = self
            .repos
            .iter()
            .filter(|repo| !index.has_dir(repo))
            .cloned()
            .collect();
        drop(index);
        for repo in gone {
            self.repos.remove(&repo);
            self.send_git(GitMessage::Forget(repo));
        }
    }

    fn send_git(&self, message: GitMessage) {
        if self.git.send(message).is_err() {
            tracing::debug!("git monitor stopped");
        }
    }

    fn publish_changed(&self, changed: Vec<PathBuf>) {
        if changed.len() > PUBLISH_LIMIT {
            let roots: BTreeSet<&PathBuf> = changed
                .iter()
                .filter_map(|dir| self.roots.iter().find(|root| dir.starts_with(&root.path)))
                .map(|root| &root.path)
                .collect();
            for root in roots {
                self.shared.publish(root.clone());
            }
        } else {
            for dir in changed {
                self.shared.publish(dir);
            }
        }
    }

    fn publish_statuses(&self) {
        *write(&self.shared.roots) = self
            .roots
            .iter()
            .map(|root| (root.path.clone(), root.status.clone()))
            .collect();
    }
}
