//! The built-in planner uses the context engine's view of a real repository
//! and real listening processes.

use std::path::Path;

use engine::context::ContextEngine;
use engine::plan::StepAction;
use engine::planner::{BuiltinOutcome, PlanRequest, plan_builtin};

use super::context_support::{fast_settings, git, wait_for};

fn plan_with(engine: &ContextEngine, text: &str, cwd: &Path) -> BuiltinOutcome {
    let snapshot = engine.snapshot(cwd, 4_000);
    plan_builtin(&PlanRequest {
        text,
        cwd,
        home: Path::new("/home/u"),
        account_home: engine::typed_path::account_home,
        context: Some(&snapshot),
    })
}

fn commands(outcome: &BuiltinOutcome) -> Vec<String> {
    let BuiltinOutcome::Planned { plan, .. } = outcome else {
        panic!("not planned: {outcome:?}");
    };
    plan.steps
        .iter()
        .filter_map(|step| match &step.action {
            StepAction::Bash { command } => Some(command.clone()),
            StepAction::Python { .. } | StepAction::Fs { .. } | StepAction::Aws { .. } => None,
        })
        .collect()
}

#[test]
fn commit_my_changes_follows_what_is_staged() {
    let dir = tempfile::tempdir().unwrap();
    let repo = dir.path();
    git(repo, &["init", "-q"]);
    std::fs::write(repo.join("a.txt"), "a").unwrap();
    git(repo, &["add", "a.txt"]);
    git(repo, &["commit", "-q", "-m", "first"]);
    let engine = ContextEngine::start(fast_settings(vec![repo.to_path_buf()])).unwrap();
    let request = "commit my changes with message \"wip\"";

    wait_for("a clean repo summary", || {
        let snapshot = engine.snapshot(repo, 4_000);
        snapshot.repo.filter(|r| r.commits.len() == 1).map(|_| ())
    });
    let outcome = plan_with(&engine, request, repo);
    let BuiltinOutcome::NotUnderstood { message, .. } = outcome else {
        panic!("a clean repo has nothing to commit: {outcome:?}");
    };
    assert!(message.contains("nothing to commit"), "{message}");

    std::fs::write(repo.join("a.txt"), "changed").unwrap();
    wait_for("the change", || {
        engine
            .snapshot(repo, 4_000)
            .repo
            .filter(|r| r.unstaged.count == 1)
            .map(|_| ())
    });
    let all = commands(&plan_with(&engine, request, repo));
    assert!(
        all[0].contains("add -A") && all[0].contains("commit -m wip"),
        "{all:?}"
    );

    git(repo, &["add", "a.txt"]);
    wait_for("the staged change", || {
        engine
            .snapshot(repo, 4_000)
            .repo
            .filter(|r| r.staged.count == 1)
            .map(|_| ())
    });
    let staged = commands(&plan_with(&engine, request, repo));
    assert!(
        !staged[0].contains("add -A") && staged[0].contains("commit -m wip"),
        "{staged:?}"
    );
}

#[test]
fn stop_the_dev_server_finds_the_process_on_a_dev_port() {
    let dir = tempfile::tempdir().unwrap();
    let listener = (3000..=9999)
        .find_map(|port| std::net::TcpListener::bind(("127.0.0.1", port)).ok())
        .expect("a free dev port");
    let port = listener.local_addr().unwrap().port();
    let engine = ContextEngine::start(fast_settings(vec![dir.path().to_path_buf()])).unwrap();
    let _looking = engine.interest();
    wait_for("the listener in the process monitor", || {
        let snapshot = engine.snapshot(dir.path(), 100_000);
        snapshot
            .processes?
            .listeners
            .iter()
            .any(|l| l.port == port && l.pid.is_some())
            .then_some(())
    });
    let snapshot = engine.snapshot(dir.path(), 100_000);
    // Other servers on this machine may hold lower dev ports: the planner picks
    // the lowest, so the expectation is computed from the same snapshot.
    let (expected_pid, expected_port) = snapshot
        .processes
        .as_ref()
        .unwrap()
        .listeners
        .iter()
        .filter(|l| (3000..=9999).contains(&l.port))
        .filter_map(|l| Some((l.pid?, l.port)))
        .min_by_key(|(_, port)| *port)
        .unwrap();
    assert!(expected_port <= port);
    let outcome = plan_builtin(&PlanRequest {
        text: "stop the dev server",
        cwd: dir.path(),
        home: Path::new("/home/u"),
        account_home: engine::typed_path::account_home,
        context: Some(&snapshot),
    });
    assert_eq!(
        commands(&outcome).last().unwrap(),
        &format!("kill {expected_pid}"),
        "{outcome:?}"
    );
    let BuiltinOutcome::Planned { plan, .. } = outcome else {
        unreachable!()
    };
    assert!(
        plan.interpretation.contains(&expected_port.to_string()),
        "{}",
        plan.interpretation
    );
}

#[test]
fn what_changed_today_reads_the_index_instead_of_walking() {
    let dir = tempfile::tempdir().unwrap();
    let engine = ContextEngine::start(fast_settings(vec![dir.path().to_path_buf()])).unwrap();
    wait_for("the first index", || engine.status().is_ready.then_some(()));
    let fresh = dir.path().join("fresh notes.md");
    std::fs::write(&fresh, "new").unwrap();
    wait_for("the change in the index", || {
        let snapshot = engine.snapshot(dir.path(), 4_000);
        snapshot
            .directory?
            .recent
            .iter()
            .any(|c| c.path == fresh)
            .then_some(())
    });
    let indexed = commands(&plan_with(&engine, "what changed today", dir.path()));
    assert!(indexed[0].starts_with("ls -ldt"), "{indexed:?}");
    assert!(
        indexed[0].contains("'") && indexed[0].contains("fresh notes.md"),
        "{indexed:?}"
    );

    let without_context = plan_builtin(&PlanRequest {
        text: "what changed today",
        cwd: dir.path(),
        home: Path::new("/home/u"),
        account_home: engine::typed_path::account_home,
        context: None,
    });
    assert!(
        commands(&without_context)[0].starts_with("find "),
        "{without_context:?}"
    );
}

#[test]
fn found_files_in_a_repository_leave_its_objects_out() {
    let dir = tempfile::tempdir().unwrap();
    let repo = dir.path();
    git(repo, &["init", "-q"]);
    std::fs::write(repo.join("a.txt"), "a").unwrap();
    let engine = ContextEngine::start(fast_settings(vec![repo.to_path_buf()])).unwrap();
    wait_for("the repo summary", || {
        engine.snapshot(repo, 4_000).repo.map(|_| ())
    });
    let found = commands(&plan_with(
        &engine,
        "list files modified in the last 2 days",
        repo,
    ));
    assert!(
        found[0].ends_with("-mtime -2 -not -path '*/.git/*'"),
        "{found:?}"
    );

    let outside = tempfile::tempdir().unwrap();
    let found = commands(&plan_with(
        &engine,
        "list files modified in the last 2 days",
        outside.path(),
    ));
    assert!(!found[0].contains(".git"), "{found:?}");
}
