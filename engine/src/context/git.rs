//! The git monitor: a thread that reads repository state with git2 when the
//! file monitor reports a change in a repository (debounced), and caches one
//! [`RepoSummary`] per repository. Strictly read-only: repositories are
//! opened at their exact path without searching upwards or consulting the
//! environment, status never updates or writes the index, and nothing here
//! runs hooks.

use std::collections::{BTreeMap, BTreeSet};
use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

use git2::{BranchType, ErrorCode, Repository, RepositoryOpenFlags, RepositoryState, Status};
use git2::{StatusOptions, StatusShow};
use judge::context::{
    COMMIT_CAP, CommitSummary, GitOperation, PATH_CAP, PathGroup, RepoSummary, Upstream,
};

use super::redact::redact;
use super::state::{Shared, unix_now, write};

/// Requests from the file monitor.
#[derive(Debug)]
pub(crate) enum GitMessage {
    /// Something in this work tree (or its `.git`) changed.
    Refresh(PathBuf),
    /// The work tree is gone.
    Forget(PathBuf),
}

/// Reads the summary of the repository whose work tree is `root`.
pub(crate) fn read_repo(root: &Path) -> Result<RepoSummary, git2::Error> {
    let repo = Repository::open_ext(
        root,
        RepositoryOpenFlags::NO_SEARCH,
        std::iter::empty::<&OsStr>(),
    )?;
    let (branch, upstream) = head_branch(&repo)?;
    let mut summary = RepoSummary {
        root: root.to_path_buf(),
        branch,
        upstream,
        staged: PathGroup::default(),
        unstaged: PathGroup::default(),
        untracked: PathGroup::default(),
        conflicted: PathGroup::default(),
        commits: recent_commits(&repo)?,
        stash_count: stash_count(&repo),
        operation: operation(repo.state()),
        refreshed_at: unix_now(),
    };
    let mut options = StatusOptions::new();
    options
        .show(StatusShow::IndexAndWorkdir)
        .include_untracked(true)
        .recurse_untracked_dirs(false)
        .exclude_submodules(true)
        .update_index(false)
        .no_refresh(true);
    for entry in repo.statuses(Some(&mut options))?.iter() {
        let status = entry.status();
        let path = String::from_utf8_lossy(entry.path_bytes());
        let staged = Status::INDEX_NEW
            | Status::INDEX_MODIFIED
            | Status::INDEX_DELETED
            | Status::INDEX_RENAMED
            | Status::INDEX_TYPECHANGE;
        let unstaged =
            Status::WT_MODIFIED | Status::WT_DELETED | Status::WT_RENAMED | Status::WT_TYPECHANGE;
        if status.intersects(Status::CONFLICTED) {
            add(&mut summary.conflicted, &path);
            continue;
        }
        if status.intersects(staged) {
            add(&mut summary.staged, &path);
        }
        if status.intersects(unstaged) {
            add(&mut summary.unstaged, &path);
        }
        if status.intersects(Status::WT_NEW) {
            add(&mut summary.untracked, &path);
        }
    }
    Ok(summary)
}

fn add(group: &mut PathGroup, path: &str) {
    group.count += 1;
    if group.paths.len() < PATH_CAP {
        group.paths.push(path.to_owned());
    }
}

/// How many entries the stash holds. libgit2 opens a missing reflog for
/// writing, which leaves an empty `.git/logs/refs/stash` behind, so the
/// reflog is read only when the stash ref exists.
fn stash_count(repo: &Repository) -> usize {
    if repo.find_reference("refs/stash").is_err() {
        return 0;
    }
    repo.reflog("refs/stash").map_or(0, |log| log.len())
}

fn head_branch(repo: &Repository) -> Result<(Option<String>, Option<Upstream>), git2::Error> {
    let head = match repo.head() {
        Ok(head) => head,
        Err(error) if error.code() == ErrorCode::UnbornBranch => {
            // A fresh repository: HEAD names a branch with no commits yet.
            let name = repo
                .find_reference("HEAD")?
                .symbolic_target()?
                .map(|target| target.trim_start_matches("refs/heads/").to_owned());
            return Ok((name, None));
        }
        Err(error) => return Err(error),
    };
    if !head.is_branch() {
        return Ok((None, None));
    }
    let name = head.shorthand().ok().map(str::to_owned);
    let upstream = name
        .as_deref()
        .and_then(|name| repo.find_branch(name, BranchType::Local).ok())
        .and_then(|branch| branch.upstream().ok())
        .and_then(|upstream| {
            let upstream_name = upstream.name().ok().flatten()?.to_owned();
            let (local, remote) = (head.target()?, upstream.get().target()?);
            let (ahead, behind) = repo.graph_ahead_behind(local, remote).ok()?;
            Some(Upstream {
                name: upstream_name,
                ahead,
                behind,
            })
        });
    Ok((name, upstream))
}

fn recent_commits(repo: &Repository) -> Result<Vec<CommitSummary>, git2::Error> {
    let mut walk = repo.revwalk()?;
    if walk.push_head().is_err() {
        return Ok(Vec::new()); // no commits yet
    }
    let mut commits = Vec::with_capacity(COMMIT_CAP);
    for id in walk.take(COMMIT_CAP) {
        let commit = repo.find_commit(id?)?;
        let full = commit.id().to_string();
        commits.push(CommitSummary {
            id: full.get(..7).unwrap_or(&full).to_owned(),
            summary: redact(&String::from_utf8_lossy(
                commit.summary_bytes().unwrap_or_default(),
            )),
            author: redact(&String::from_utf8_lossy(commit.author().name_bytes())),
            committed_at: commit.time().seconds(),
        });
    }
    Ok(commits)
}

fn operation(state: RepositoryState) -> Option<GitOperation> {
    match state {
        RepositoryState::Clean => None,
        RepositoryState::Merge => Some(GitOperation::Merge),
        RepositoryState::Revert | RepositoryState::RevertSequence => Some(GitOperation::Revert),
        RepositoryState::CherryPick | RepositoryState::CherryPickSequence => {
            Some(GitOperation::CherryPick)
        }
        RepositoryState::Bisect => Some(GitOperation::Bisect),
        RepositoryState::Rebase
        | RepositoryState::RebaseInteractive
        | RepositoryState::RebaseMerge
        | RepositoryState::ApplyMailboxOrRebase => Some(GitOperation::Rebase),
        RepositoryState::ApplyMailbox => Some(GitOperation::ApplyMailbox),
    }
}

/// Starts the git monitor thread; it refreshes a repository `debounce` after
/// the first request for it, however many requests arrive meanwhile.
pub(crate) fn spawn(
    shared: Arc<Shared>,
    requests: Receiver<GitMessage>,
    debounce: Duration,
) -> std::io::Result<()> {
    std::thread::Builder::new()
        .name("context-git".into())
        .spawn(move || run(&shared, &requests, debounce))
        .map(drop)
}

fn run(shared: &Shared, requests: &Receiver<GitMessage>, debounce: Duration) {
    let mut due: BTreeMap<PathBuf, Instant> = BTreeMap::new();
    let tick = (debounce / 2).clamp(Duration::from_millis(20), Duration::from_millis(250));
    while !shared.is_stopping() {
        match requests.recv_timeout(tick) {
            Ok(message) => handle(shared, &mut due, message, debounce),
            Err(RecvTimeoutError::Timeout) => {}
            Err(RecvTimeoutError::Disconnected) => return,
        }
        while let Ok(message) = requests.try_recv() {
            handle(shared, &mut due, message, debounce);
        }
        let now = Instant::now();
        let ready: BTreeSet<PathBuf> = due
            .iter()
            .filter(|(_, at)| **at <= now)
            .map(|(repo, _)| repo.clone())
            .collect();
        for repo in ready {
            due.remove(&repo);
            refresh(shared, &repo);
        }
    }
}

fn handle(
    shared: &Shared,
    due: &mut BTreeMap<PathBuf, Instant>,
    message: GitMessage,
    debounce: Duration,
) {
    match message {
        GitMessage::Refresh(repo) => {
            due.entry(repo).or_insert_with(|| Instant::now() + debounce);
        }
        GitMessage::Forget(repo) => {
            due.remove(&repo);
            if write(&shared.repos).remove(&repo).is_some() {
                shared.publish(repo);
            }
        }
    }
}

fn refresh(shared: &Shared, repo: &Path) {
    match read_repo(repo) {
        Ok(summary) => {
            let mut repos = write(&shared.repos);
            let is_same = repos.get(repo).is_some_and(|old| {
                RepoSummary {
                    refreshed_at: summary.refreshed_at,
                    ..old.clone()
                } == summary
            });
            repos.insert(repo.to_path_buf(), summary);
            drop(repos);
            if !is_same {
                shared.publish(repo.to_path_buf());
            }
        }
        Err(error) => {
            tracing::debug!(repo = %repo.display(), %error, "cannot read repository");
            if write(&shared.repos).remove(repo).is_some() {
                shared.publish(repo.to_path_buf());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use pretty_assertions::assert_eq;

    #[test]
    fn every_state_maps_to_an_operation() {
        let cases = [
            (RepositoryState::Clean, None),
            (RepositoryState::Merge, Some(GitOperation::Merge)),
            (
                RepositoryState::RebaseInteractive,
                Some(GitOperation::Rebase),
            ),
            (
                RepositoryState::CherryPickSequence,
                Some(GitOperation::CherryPick),
            ),
            (
                RepositoryState::ApplyMailbox,
                Some(GitOperation::ApplyMailbox),
            ),
        ];
        for (state, expected) in cases {
            assert_eq!(operation(state), expected, "{state:?}");
        }
    }

    #[test]
    fn reading_a_repository_without_a_stash_writes_nothing_into_it() {
        let dir = tempfile::tempdir().unwrap();
        Repository::init(dir.path()).unwrap();
        let logs = dir.path().join(".git/logs");
        let summary = read_repo(dir.path()).unwrap();
        assert_eq!(summary.stash_count, 0);
        assert!(
            !logs.join("refs/stash").exists(),
            "reading the stash count created {}",
            logs.join("refs/stash").display()
        );
    }

    #[test]
    fn unborn_repository_reports_its_branch_and_untracked_files() {
        let dir = tempfile::tempdir().unwrap();
        let repo = Repository::init(dir.path()).unwrap();
        repo.set_head("refs/heads/trunk").unwrap();
        std::fs::write(dir.path().join("new.txt"), "x").unwrap();
        let summary = read_repo(dir.path()).unwrap();
        assert_eq!(summary.branch.as_deref(), Some("trunk"));
        assert_eq!(summary.untracked.paths, vec!["new.txt".to_owned()]);
        assert_eq!((summary.commits.len(), summary.stash_count), (0, 0));
    }
}
