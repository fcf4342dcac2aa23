//! Read-only git in a confined, safe (read-only) step: `git status` and
//! `git log` work, and nothing — not even an index refresh — writes `.git`.

#![cfg(target_os = "linux")]

use std::path::Path;
use std::process::Command;
use std::time::{Duration, SystemTime};

use engine::executor::StepCommand;
use engine::sandbox::job_write_roots;
use pretty_assertions::assert_eq;
use tempfile::TempDir;

use super::sandbox_support::{confined, has_landlock, run};

const TIMEOUT: Duration = Duration::from_secs(20);

fn git(repo: &Path, args: &[&str]) {
    let status = Command::new("git")
        .args(["-c", "user.name=t", "-c", "user.email=t@example.com"])
        .args(args)
        .current_dir(repo)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("HOME", repo)
        .status()
        .unwrap();
    assert!(status.success(), "git {args:?}");
}

/// A repository with one commit, one modified tracked file and one tracked
/// file whose mtime changed but content did not: `git status` refreshes the
/// index (writes `.git/index`) for the latter unless it must not.
fn repo_needing_an_index_refresh() -> TempDir {
    let repo = TempDir::new().unwrap();
    git(repo.path(), &["init", "-q"]);
    std::fs::write(repo.path().join("a.txt"), "one\n").unwrap();
    std::fs::write(repo.path().join("b.txt"), "same\n").unwrap();
    git(repo.path(), &["add", "."]);
    git(repo.path(), &["commit", "-qm", "first commit"]);
    std::fs::write(repo.path().join("a.txt"), "changed\n").unwrap();
    let file = std::fs::File::options()
        .write(true)
        .open(repo.path().join("b.txt"))
        .unwrap();
    file.set_modified(SystemTime::UNIX_EPOCH + Duration::from_secs(1_000_000_000))
        .unwrap();
    repo
}

/// The index's bytes and mtime.
fn index_state(repo: &Path) -> (Vec<u8>, SystemTime) {
    let index = repo.join(".git/index");
    let bytes = std::fs::read(&index).unwrap();
    (
        bytes,
        std::fs::metadata(&index).unwrap().modified().unwrap(),
    )
}

fn step(script: &str, repo: &Path, tmp: &Path, read_only: bool) -> StepCommand {
    let roots = job_write_roots(repo, tmp, read_only);
    let mut command = confined(script, repo, tmp, roots, &[("HOME", tmp.to_str().unwrap())]);
    command.read_only = read_only;
    command
}

#[tokio::test]
async fn read_only_git_works_and_leaves_the_index_untouched() {
    if !has_landlock("read_only_git_works_and_leaves_the_index_untouched") {
        return;
    }
    let (repo, tmp) = (repo_needing_an_index_refresh(), TempDir::new().unwrap());
    let before = index_state(repo.path());

    let command = step(
        "git status --porcelain && git log --format=%s",
        repo.path(),
        tmp.path(),
        true,
    );
    let outcome = run(&command, TIMEOUT).await;
    assert!(outcome.is_success(), "{outcome:?}");
    assert_eq!(outcome.stdout, " M a.txt\nfirst commit\n");
    assert_eq!(
        index_state(repo.path()),
        before,
        "a read-only step wrote .git/index"
    );

    // Even a git command that writes on purpose cannot.
    let command = step("git add a.txt", repo.path(), tmp.path(), true);
    let outcome = run(&command, TIMEOUT).await;
    assert!(!outcome.is_success(), "{outcome:?}");
    assert_eq!(index_state(repo.path()), before, "git add wrote .git/index");

    // The same status in a writable step does refresh the index, so the
    // checks above could have failed.
    let command = step("git status --porcelain", repo.path(), tmp.path(), false);
    let outcome = run(&command, TIMEOUT).await;
    assert!(outcome.is_success(), "{outcome:?}");
    assert_ne!(
        index_state(repo.path()),
        before,
        "the repository did not need a refresh"
    );
}
