//! The git monitor on real repositories made with the git CLI: status
//! counts, commits and branch follow the repository, read-only.

use engine::context::ContextEngine;
use pretty_assertions::assert_eq;

use super::context_support::{fast_settings, git, wait_for};

#[test]
fn commit_changes_the_repo_summary() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().to_path_buf();
    let repo = root.join("project");
    std::fs::create_dir(&repo).unwrap();
    git(&repo, &["init", "-q"]);
    std::fs::write(repo.join("lib.rs"), "pub fn a() {}").unwrap();
    let engine = ContextEngine::start(fast_settings(vec![root.clone()])).unwrap();
    let cwd = repo.join("src");
    std::fs::create_dir(&cwd).unwrap();

    let summary = wait_for("untracked file", || {
        engine
            .snapshot(&cwd, 100_000)
            .repo
            .filter(|r| r.untracked.paths == ["lib.rs"])
    });
    assert_eq!(summary.root, repo);
    assert_eq!(summary.branch.as_deref(), Some("main"));
    assert!(summary.commits.is_empty());

    git(&repo, &["add", "lib.rs"]);
    wait_for("staged file", || {
        engine
            .snapshot(&repo, 100_000)
            .repo
            .filter(|r| r.staged.paths == ["lib.rs"])
    });

    git(&repo, &["commit", "-q", "-m", "Add the library"]);
    let summary = wait_for("commit", || {
        engine
            .snapshot(&repo, 100_000)
            .repo
            .filter(|r| !r.commits.is_empty())
    });
    assert_eq!(summary.staged.count, 0);
    assert_eq!(summary.commits[0].summary, "Add the library");
    assert_eq!(summary.commits[0].author, "Test Author");

    std::fs::write(repo.join("lib.rs"), "pub fn b() {}").unwrap();
    wait_for("unstaged change", || {
        engine
            .snapshot(&repo, 100_000)
            .repo
            .filter(|r| r.unstaged.paths == ["lib.rs"])
    });
    assert_eq!(engine.status().repos, 1);
}

#[test]
fn deleted_repository_is_forgotten() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().to_path_buf();
    let repo = root.join("gone");
    std::fs::create_dir(&repo).unwrap();
    git(&repo, &["init", "-q"]);
    let engine = ContextEngine::start(fast_settings(vec![root.clone()])).unwrap();
    wait_for("repo found", || (engine.status().repos == 1).then_some(()));
    std::fs::remove_dir_all(&repo).unwrap();
    wait_for("repo forgotten", || {
        (engine.status().repos == 0).then_some(())
    });
}
