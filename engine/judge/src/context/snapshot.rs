//! The context snapshot handed to planners: one serializable value (what a
//! model receives and the job card shows), trimmed to a token budget by
//! dropping the least important parts first. It only shapes data the
//! context engine gathered; strings in it that came from outside (commit
//! messages, command lines) were redacted when they were read, and file
//! contents are never part of it — only names.

use std::ops::RangeInclusive;
use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use super::files::DirSummary;
use super::host::{EnvironmentInfo, Listener, LoadAverage, MemoryTotals, ProcessInfo};
use super::names::{EntryInfo, sort_newest_first};
use super::repo::RepoSummary;

/// Ports where development servers usually listen.
pub const DEV_PORTS: RangeInclusive<u16> = 3000..=9999;
/// Recent changes put in a snapshot before trimming.
pub const RECENT_LIMIT: usize = 20;
/// Processes from each top list put in a snapshot.
pub const TOP_IN_SNAPSHOT: usize = 3;
/// Characters per token in the estimate (a common rule of thumb for English and JSON).
const CHARS_PER_TOKEN: usize = 4;
/// Room kept for the `estimated_tokens` value itself while trimming.
const ESTIMATE_RESERVE: usize = 24;
/// Room kept for the note saying how many entries of a list were dropped.
const NOTE_RESERVE: usize = 40;
/// Entries and matching names each kept before trimming; the budget
/// decides how many of them reach the planner.
pub const LIST_CAP: usize = 200;
/// The smallest serialized entry (`{"name":"a","kind":"dir","modified_at":1}`), in characters.
const MIN_ENTRY_CHARS: usize = 40;

/// How many entries of one list could fit `budget` tokens at all: more are
/// never worth cloning and serializing.
pub fn list_cap(budget: usize) -> usize {
    (budget.saturating_mul(CHARS_PER_TOKEN) / MIN_ENTRY_CHARS).min(LIST_CAP)
}

/// The processes part of a snapshot.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProcessContext {
    /// The busiest and largest few processes.
    pub top: Vec<ProcessInfo>,
    /// Listening TCP sockets, those with a known owner first, then by port.
    pub listeners: Vec<Listener>,
    /// Load averages.
    pub load: Option<LoadAverage>,
    /// Memory totals.
    pub memory: MemoryTotals,
    /// When the processes were read, Unix seconds.
    pub refreshed_at: i64,
}

/// What a job is planned with: the context of one directory.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ContextSnapshot {
    /// The directory the job runs in.
    pub cwd: PathBuf,
    /// The folder is outside the index (outside the watched roots, or not
    /// indexed yet) and was read for this request by a bounded walk.
    #[serde(default, skip_serializing_if = "is_false")]
    pub is_read_on_demand: bool,
    /// Counts of files in and below `cwd`; `None` when it could not be read.
    pub directory: Option<DirSummary>,
    /// Entries at or below `cwd` whose names match words of the request,
    /// newest first; listed before `entries` because they were asked about.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub matching: Vec<EntryInfo>,
    /// The entries directly in `cwd`, newest first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub entries: Vec<EntryInfo>,
    /// The repository containing `cwd`, if any.
    pub repo: Option<RepoSummary>,
    /// Processes and listeners, when the request is about them (or the
    /// caller asked for them); `None` otherwise or when unavailable.
    pub processes: Option<ProcessContext>,
    /// OS, distribution, tools on `PATH`, AWS profile and region.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub environment: Option<EnvironmentInfo>,
    /// Parts left out to fit the token budget, most important last.
    pub omitted: Vec<String>,
    /// Estimated size of this snapshot as JSON, in tokens.
    pub estimated_tokens: usize,
}

#[expect(
    clippy::trivially_copy_pass_by_ref,
    reason = "serde's skip_serializing_if passes a reference"
)]
fn is_false(value: &bool) -> bool {
    !*value
}

/// One way of making a snapshot smaller.
enum Cut {
    /// Drops entries from the end of a list one by one; `pop` returns the
    /// JSON size of the entry it dropped, `None` when the list is empty.
    Tail {
        what: &'static str,
        pop: fn(&mut ContextSnapshot) -> Option<usize>,
    },
    /// Drops a whole part; `drop` says whether there was anything to drop.
    Whole {
        what: &'static str,
        drop: fn(&mut ContextSnapshot) -> bool,
    },
}

fn pop_json<T: Serialize>(list: Option<&mut Vec<T>>) -> Option<usize> {
    let item = list?.pop()?;
    Some(serde_json::to_string(&item).map_or(0, |json| json.len()))
}

/// The cuts, least important first.
const CUTS: &[Cut] = &[
    Cut::Tail {
        what: "older recent changes",
        pop: |s| pop_json(s.directory.as_mut().map(|d| &mut d.recent)),
    },
    Cut::Tail {
        what: "older entries",
        pop: |s| pop_json(Some(&mut s.entries)),
    },
    Cut::Tail {
        what: "older matching names",
        pop: |s| pop_json(Some(&mut s.matching)),
    },
    Cut::Whole {
        what: "top processes",
        drop: |s| {
            s.processes
                .as_mut()
                .is_some_and(|p| !std::mem::take(&mut p.top).is_empty())
        },
    },
    Cut::Tail {
        what: "more listeners",
        pop: |s| pop_json(s.processes.as_mut().map(|p| &mut p.listeners)),
    },
    Cut::Whole {
        what: "processes",
        drop: |s| s.processes.take().is_some(),
    },
    Cut::Whole {
        what: "environment",
        drop: |s| s.environment.take().is_some(),
    },
    Cut::Whole {
        what: "commits",
        drop: |s| {
            s.repo
                .as_mut()
                .is_some_and(|r| !std::mem::take(&mut r.commits).is_empty())
        },
    },
    Cut::Whole {
        what: "changed paths",
        drop: |s| {
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
        },
    },
    Cut::Whole {
        what: "directory summary",
        drop: |s| s.directory.take().is_some(),
    },
    Cut::Whole {
        what: "repository",
        drop: |s| s.repo.take().is_some(),
    },
];

impl ContextSnapshot {
    /// Sorts `matching` and `entries` newest first, drops from `entries`
    /// what `matching` already lists, and caps both at `cap`.
    pub fn order_names(&mut self, cap: usize) {
        sort_newest_first(&mut self.matching);
        let matched: std::collections::HashSet<&str> = self
            .matching
            .iter()
            .map(|entry| entry.name.as_str())
            .collect();
        self.entries
            .retain(|entry| !matched.contains(entry.name.as_str()));
        sort_newest_first(&mut self.entries);
        for (list, what) in [
            (&mut self.matching, "older matching names"),
            (&mut self.entries, "older entries"),
        ] {
            if list.len() > cap {
                let dropped = list.len() - cap;
                list.truncate(cap);
                self.omitted.push(format!("{dropped} {what}"));
            }
        }
    }

    /// Size of the serialized snapshot in characters.
    fn json_len(&self) -> usize {
        serde_json::to_string(self).map_or(usize::MAX, |json| json.len())
    }

    /// Applies [`CUTS`] in order until the JSON estimate fits `budget`
    /// tokens, noting each in `omitted`, then sets `estimated_tokens`.
    /// `cwd` is never dropped, so a tiny budget can still be exceeded by that much.
    pub fn trim_to(&mut self, budget: usize) {
        let limit = budget
            .saturating_mul(CHARS_PER_TOKEN)
            .saturating_sub(ESTIMATE_RESERVE);
        self.estimated_tokens = 0;
        let mut length = self.json_len();
        for cut in CUTS {
            if length <= limit {
                break;
            }
            match cut {
                Cut::Tail { what, pop } => {
                    let excess = length - limit + NOTE_RESERVE;
                    let (mut saved, mut dropped) = (0, 0);
                    while saved < excess {
                        let Some(size) = pop(self) else {
                            break;
                        };
                        // Each entry also costs a separating comma.
                        saved += size + 1;
                        dropped += 1;
                    }
                    if dropped > 0 {
                        self.omitted.push(format!("{dropped} {what}"));
                        length = self.json_len();
                    }
                }
                Cut::Whole { what, drop } => {
                    if drop(self) {
                        self.omitted.push((*what).to_owned());
                        length = self.json_len();
                    }
                }
            }
        }
        // The estimate is part of the JSON: settle it (its digits stop changing after two rounds).
        for _ in 0..2 {
            self.estimated_tokens = self.json_len().div_ceil(CHARS_PER_TOKEN);
        }
    }
}

#[cfg(test)]
#[path = "snapshot_tests.rs"]
mod tests;
