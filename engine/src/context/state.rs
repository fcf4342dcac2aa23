//! State shared between the context engine's background threads and its
//! readers: the caches behind `RwLock`s, the change bus and the stop flag.
//! Writers hold a lock only to swap in data they prepared outside it, so a
//! snapshot never waits on a directory walk or a git call.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{PoisonError, RwLock, RwLockReadGuard, RwLockWriteGuard};
use std::time::{SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};
use tokio::sync::broadcast;

use super::index::FileIndex;
use super::watch::WatchStatus;
use judge::context::RepoSummary;

/// Published when the cached context of a directory changed (files, or the
/// state of the repository rooted there). UIs re-read the snapshot.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContextChanged {
    /// The directory whose context changed.
    pub dir: PathBuf,
}

/// Everything the threads share.
#[derive(Debug)]
pub(crate) struct Shared {
    pub(crate) index: RwLock<FileIndex>,
    pub(crate) roots: RwLock<Vec<(PathBuf, WatchStatus)>>,
    pub(crate) repos: RwLock<BTreeMap<PathBuf, RepoSummary>>,
    pub(crate) events: broadcast::Sender<ContextChanged>,
    /// Every root has been looked at once (scanned, or found missing).
    pub(crate) is_ready: AtomicBool,
    pub(crate) is_stopping: AtomicBool,
}

impl Shared {
    pub(crate) fn new(recent_capacity: usize, roots: Vec<(PathBuf, WatchStatus)>) -> Self {
        Self {
            index: RwLock::new(FileIndex::new(recent_capacity)),
            roots: RwLock::new(roots),
            repos: RwLock::new(BTreeMap::new()),
            events: broadcast::channel(256).0,
            is_ready: AtomicBool::new(false),
            is_stopping: AtomicBool::new(false),
        }
    }

    pub(crate) fn is_stopping(&self) -> bool {
        self.is_stopping.load(Ordering::Relaxed)
    }

    /// Tells subscribers `dir` changed; nobody listening is fine.
    pub(crate) fn publish(&self, dir: PathBuf) {
        // An error only means there are no receivers right now.
        let _ = self.events.send(ContextChanged { dir });
    }
}

/// Read access that survives a panicked writer: the caches hold plain data
/// that is consistent after every single write, so the poison flag adds nothing.
pub(crate) fn read<T>(lock: &RwLock<T>) -> RwLockReadGuard<'_, T> {
    lock.read().unwrap_or_else(PoisonError::into_inner)
}

/// Write access; see [`read`] for why poisoning is ignored.
pub(crate) fn write<T>(lock: &RwLock<T>) -> RwLockWriteGuard<'_, T> {
    lock.write().unwrap_or_else(PoisonError::into_inner)
}

/// Now, in Unix seconds.
pub(crate) fn unix_now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |age| i64::try_from(age.as_secs()).unwrap_or(i64::MAX))
}
