//! The context snapshot handed to planners: assembled from the caches only
//! (no filesystem walk, no git call), serializable, and trimmed to a token
//! budget by dropping the least important parts first. Strings in it that
//! came from outside (commit messages, command lines) were redacted when
//! they were cached.

use std::ops::RangeInclusive;
use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use super::git::RepoSummary;
use super::index::DirSummary;
use super::ports::Listener;
use super::process::{LoadAverage, MemoryTotals, ProcessInfo, ProcessReport};

/// Ports where development servers usually listen; their listeners are always shown.
pub const DEV_PORTS: RangeInclusive<u16> = 3000..=9999;
/// Recent changes put in a snapshot before trimming.
pub const RECENT_LIMIT: usize = 20;
/// Processes from each top list put in a snapshot.
const TOP_IN_SNAPSHOT: usize = 3;
/// Characters per token in the estimate (a common rule of thumb for English and JSON).
const CHARS_PER_TOKEN: usize = 4;
/// Room kept for the `estimated_tokens` value itself while trimming.
const ESTIMATE_RESERVE: usize = 24;

/// The processes part of a snapshot.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProcessContext {
    /// The busiest and largest few processes.
    pub top: Vec<ProcessInfo>,
    /// Listeners on [`DEV_PORTS`].
    pub listeners: Vec<Listener>,
    /// Load averages.
    pub load: Option<LoadAverage>,
    /// Memory totals.
    pub memory: MemoryTotals,
    /// When the processes were read, Unix seconds.
    pub refreshed_at: i64,
}

impl ProcessContext {
    pub(crate) fn from_report(report: &ProcessReport) -> Self {
        let mut top: Vec<ProcessInfo> = Vec::with_capacity(2 * TOP_IN_SNAPSHOT);
        let candidates = report.top_cpu.iter().take(TOP_IN_SNAPSHOT);
        for process in candidates.chain(report.top_memory.iter().take(TOP_IN_SNAPSHOT)) {
            if !top.iter().any(|seen| seen.pid == process.pid) {
                top.push(process.clone());
            }
        }
        Self {
            top,
            listeners: report
                .listeners
                .iter()
                .filter(|listener| DEV_PORTS.contains(&listener.port))
                .cloned()
                .collect(),
            load: report.load,
            memory: report.memory,
            refreshed_at: report.refreshed_at,
        }
    }
}

/// What a job is planned with: the context of one directory.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ContextSnapshot {
    /// The directory the job runs in.
    pub cwd: PathBuf,
    /// Files in and below `cwd`; `None` when it is outside the watched roots or ignored.
    pub directory: Option<DirSummary>,
    /// The repository containing `cwd`, if any.
    pub repo: Option<RepoSummary>,
    /// Processes and listeners; `None` until the process monitor has run once.
    pub processes: Option<ProcessContext>,
    /// Parts left out to fit the token budget, most important last.
    pub omitted: Vec<String>,
    /// Estimated size of this snapshot as JSON, in tokens.
    pub estimated_tokens: usize,
}

type Step = (&'static str, fn(&mut ContextSnapshot) -> bool);

/// Whole parts dropped in order once the recent-changes tail is gone.
const STEPS: &[Step] = &[
    ("top processes", |s| {
        s.processes
            .as_mut()
            .is_some_and(|p| !std::mem::take(&mut p.top).is_empty())
    }),
    ("processes", |s| s.processes.take().is_some()),
    ("commits", |s| {
        s.repo
            .as_mut()
            .is_some_and(|r| !std::mem::take(&mut r.commits).is_empty())
    }),
    ("changed paths", |s| {
        s.repo.as_mut().is_some_and(|r| {
            let groups = [
                &mut r.staged,
                &mut r.unstaged,
                &mut r.untracked,
                &mut r.conflicted,
            ];
            // Clear every group, not just the first non-empty one.
            let mut is_any_dropped = false;
            for group in groups {
                is_any_dropped |= !std::mem::take(&mut group.paths).is_empty();
            }
            is_any_dropped
        })
    }),
    ("directory summary", |s| s.directory.take().is_some()),
    ("repository", |s| s.repo.take().is_some()),
];

impl ContextSnapshot {
    /// Size of the serialized snapshot in characters.
    fn json_len(&self) -> usize {
        serde_json::to_string(self).map_or(usize::MAX, |json| json.len())
    }

    /// Drops parts, least important first, until the JSON estimate fits
    /// `budget` tokens, then sets `estimated_tokens`. `cwd` is never
    /// dropped, so a tiny budget can still be exceeded by that much.
    pub(crate) fn trim_to(&mut self, budget: usize) {
        let limit = budget
            .saturating_mul(CHARS_PER_TOKEN)
            .saturating_sub(ESTIMATE_RESERVE);
        self.estimated_tokens = 0;
        let mut length = self.json_len();
        if length > limit {
            // Leave room for the note saying how many were dropped.
            self.trim_recent(length - limit + 40);
            length = self.json_len();
        }
        for (name, drop_part) in STEPS {
            if length <= limit {
                break;
            }
            if drop_part(self) {
                self.omitted.push((*name).to_owned());
                length = self.json_len();
            }
        }
        // The estimate is part of the JSON: settle it (its digits stop changing after two rounds).
        for _ in 0..2 {
            self.estimated_tokens = self.json_len().div_ceil(CHARS_PER_TOKEN);
        }
    }

    /// Drops recent changes from the oldest end until `excess` characters are gone.
    fn trim_recent(&mut self, excess: usize) {
        let Some(directory) = self.directory.as_mut() else {
            return;
        };
        let mut saved = 0;
        let mut dropped = 0;
        while saved < excess {
            let Some(change) = directory.recent.pop() else {
                break;
            };
            // Each entry also costs a separating comma.
            saved += serde_json::to_string(&change).map_or(0, |json| json.len()) + 1;
            dropped += 1;
        }
        if dropped > 0 {
            self.omitted.push(format!("{dropped} older recent changes"));
        }
    }
}

#[cfg(test)]
#[path = "snapshot_tests.rs"]
mod tests;
