//! What DevOS knows about a git repository: branch, upstream, the status
//! groups, recent commits and an operation in progress. The engine's git
//! monitor reads it with git2; planners read it from the snapshot.

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

/// Paths listed per status group; the counts stay exact.
pub const PATH_CAP: usize = 20;
/// Commits kept per repository.
pub const COMMIT_CAP: usize = 5;

/// A git operation that was started and not finished.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum GitOperation {
    /// `git merge` stopped (conflicts or `--no-commit`).
    Merge,
    /// `git revert` in progress.
    Revert,
    /// `git cherry-pick` in progress.
    CherryPick,
    /// `git bisect` in progress.
    Bisect,
    /// `git rebase` (any flavour) in progress.
    Rebase,
    /// `git am` in progress.
    ApplyMailbox,
}

/// The remote-tracking branch and how far the local branch is from it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Upstream {
    /// Its short name, e.g. `origin/main`.
    pub name: String,
    /// Local commits not on the upstream.
    pub ahead: usize,
    /// Upstream commits not on the local branch.
    pub behind: usize,
}

/// A count and the first [`PATH_CAP`] paths of one status group.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PathGroup {
    /// How many paths are in the group.
    pub count: usize,
    /// The first of them, relative to the work tree.
    pub paths: Vec<String>,
}

/// One commit of the recent history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CommitSummary {
    /// Abbreviated id (7 hex digits).
    pub id: String,
    /// First line of the message, redacted.
    pub summary: String,
    /// Author name, redacted.
    pub author: String,
    /// Commit time, Unix seconds.
    pub committed_at: i64,
}

/// What DevOS knows about one repository.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RepoSummary {
    /// The work tree's top directory.
    pub root: PathBuf,
    /// The checked-out branch; `None` when HEAD is detached.
    pub branch: Option<String>,
    /// The branch's upstream, when it has one.
    pub upstream: Option<Upstream>,
    /// Changes in the index (would be committed).
    pub staged: PathGroup,
    /// Changes in the work tree not staged.
    pub unstaged: PathGroup,
    /// Files git does not track and does not ignore.
    pub untracked: PathGroup,
    /// Paths with merge conflicts.
    pub conflicted: PathGroup,
    /// The last [`COMMIT_CAP`] commits from HEAD, newest first.
    pub commits: Vec<CommitSummary>,
    /// Entries in the stash.
    pub stash_count: usize,
    /// A merge, rebase, … that is in progress.
    pub operation: Option<GitOperation>,
    /// When this summary was read, Unix seconds.
    pub refreshed_at: i64,
}
