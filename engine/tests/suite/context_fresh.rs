//! Snapshots for folders the index does not cover: read on demand within
//! the walk limits, with names (newest first, request matches kept over the
//! rest), the repository from git2, processes only when asked about (and
//! then refreshed for the request), the environment, and a short-lived cache.

use std::fs::File;
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use engine::context::{
    ContextEngine, ContextSettings, ContextSnapshot, EntryKind, EnvironmentProbe, ProcessDetail,
    SnapshotRequest, WalkLimits,
};
use pretty_assertions::assert_eq;

use super::context_support::fast_settings;
use super::proc_support::python_listener;

/// An engine watching only an empty root, so every test folder is outside it.
fn engine_outside(
    watched: &Path,
    settings: impl FnOnce(&mut ContextSettings),
) -> std::sync::Arc<ContextEngine> {
    let mut config = fast_settings(vec![watched.to_path_buf()]);
    settings(&mut config);
    ContextEngine::start(config).unwrap()
}

fn ask(engine: &ContextEngine, cwd: &Path, text: &str, budget: usize) -> ContextSnapshot {
    engine.snapshot_for(&SnapshotRequest {
        cwd,
        text,
        token_budget: budget,
        processes: ProcessDetail::WhenAsked,
    })
}

/// Writes `name` under `dir` with `bytes` bytes, modified `age_days` ago.
fn file(dir: &Path, name: &str, bytes: usize, age_days: u64) -> PathBuf {
    let path = dir.join(name);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).unwrap();
    }
    std::fs::write(&path, vec![b'x'; bytes]).unwrap();
    touch(&path, age_days);
    path
}

/// Sets the modification time of a file or directory to `age_days` ago.
fn touch(path: &Path, age_days: u64) {
    let modified = SystemTime::now() - Duration::from_secs(age_days * 86_400);
    File::open(path).unwrap().set_modified(modified).unwrap();
}

fn names(entries: &[engine::context::EntryInfo]) -> Vec<&str> {
    entries.iter().map(|entry| entry.name.as_str()).collect()
}

#[test]
fn a_folder_outside_the_roots_is_read_with_names_and_its_repository() {
    let watched = tempfile::tempdir().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let repo = git2::Repository::init(root).unwrap();
    file(root, "old-notes.md", 10, 30);
    file(root, "report.pdf", 2_000, 2);
    file(root, "src/main.rs", 5, 1);
    std::fs::write(root.join(".env"), "API_KEY=sk-live-abcdefghijklmnop1234\n").unwrap();
    touch(&root.join(".env"), 5);
    touch(&root.join("src"), 1);
    let mut index = repo.index().unwrap();
    index.add_path(Path::new("old-notes.md")).unwrap();
    index.write().unwrap();
    let tree = repo.find_tree(index.write_tree().unwrap()).unwrap();
    let author = git2::Signature::now("Test Author", "t@example.com").unwrap();
    repo.commit(Some("HEAD"), &author, &author, "First notes", &tree, &[])
        .unwrap();
    let engine = engine_outside(watched.path(), |_| {});

    let snapshot = ask(&engine, root, "summarise this project", 100_000);
    assert!(snapshot.is_read_on_demand);
    let directory = snapshot.directory.clone().unwrap();
    assert_eq!((directory.files, directory.dirs), (4, 1));
    assert_eq!(
        names(&snapshot.entries),
        vec!["src", "report.pdf", ".env", "old-notes.md"]
    );
    let report = &snapshot.entries[1];
    assert_eq!((report.kind, report.size), (EntryKind::File, 2_000));
    assert_eq!(snapshot.entries[0].kind, EntryKind::Dir);
    let git = snapshot.repo.clone().unwrap();
    assert_eq!(git.commits[0].summary, "First notes");
    assert_eq!(git.untracked.count, 3, "{git:?}");
    let json = serde_json::to_string(&snapshot).unwrap();
    assert!(!json.contains("sk-live"), "{json}");
    assert_eq!(snapshot.processes, None);
    assert!(
        snapshot.omitted.iter().any(|o| o.starts_with("processes")),
        "{:?}",
        snapshot.omitted
    );
}

#[test]
fn names_matching_the_request_come_first_and_survive_a_small_budget() {
    let watched = tempfile::tempdir().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    for n in 0..60 {
        file(root, &format!("document_number_{n:02}.txt"), 100, 1);
    }
    file(root, "Pictures/Screenshot 2026-11-20 at 10.00.png", 300, 9);
    file(root, "Screenshot old.png", 300, 40);
    file(root, "logs/server.log", 50, 3);
    let engine = engine_outside(watched.path(), |_| {});

    let snapshot = ask(&engine, root, "rename the screenshots from last week", 700);
    assert_eq!(
        names(&snapshot.matching),
        vec![
            "Pictures/Screenshot 2026-11-20 at 10.00.png",
            "Screenshot old.png"
        ]
    );
    assert!(
        snapshot.entries.len() < 60,
        "the budget cut the other names"
    );
    assert!(
        snapshot
            .omitted
            .iter()
            .any(|o| o.ends_with("older entries")),
        "{:?}",
        snapshot.omitted
    );
    assert!(
        snapshot.estimated_tokens <= 700,
        "{}",
        snapshot.estimated_tokens
    );

    let logs = ask(&engine, root, "delete the .log files", 100_000);
    assert_eq!(names(&logs.matching), vec!["logs/server.log"]);
}

#[test]
fn the_walk_stops_at_its_entry_limit_and_says_so() {
    let watched = tempfile::tempdir().unwrap();
    let dir = tempfile::tempdir().unwrap();
    for n in 0..120 {
        file(dir.path(), &format!("f{n:03}.txt"), 1, 1);
    }
    let engine = engine_outside(watched.path(), |settings| {
        settings.walk_limits = WalkLimits {
            entries: 50,
            time: Duration::from_secs(10),
        };
    });
    let snapshot = ask(&engine, dir.path(), "what is here", 100_000);
    assert_eq!(snapshot.directory.unwrap().files, 50);
    assert!(
        snapshot
            .omitted
            .iter()
            .any(|o| o.contains("stopped at 50 entries")),
        "{:?}",
        snapshot.omitted
    );
}

#[test]
fn consecutive_jobs_in_a_folder_reuse_the_walk_until_it_expires() {
    let watched = tempfile::tempdir().unwrap();
    let dir = tempfile::tempdir().unwrap();
    file(dir.path(), "first.txt", 1, 1);
    let cached = engine_outside(watched.path(), |s| s.walk_ttl = Duration::from_secs(600));
    let uncached = engine_outside(watched.path(), |s| s.walk_ttl = Duration::ZERO);
    assert_eq!(ask(&cached, dir.path(), "x", 100_000).entries.len(), 1);
    file(dir.path(), "second.txt", 1, 0);
    let cached_again = ask(&cached, dir.path(), "x", 100_000);
    let uncached_again = ask(&uncached, dir.path(), "x", 100_000);
    assert_eq!(
        names(&cached_again.entries),
        vec!["first.txt"],
        "within the TTL"
    );
    assert_eq!(
        names(&uncached_again.entries),
        vec!["second.txt", "first.txt"]
    );
}

#[test]
fn an_indexed_folder_lists_names_from_the_index_without_walking() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().to_path_buf();
    file(&root, "shots/Screenshot 1.png", 10, 2);
    file(&root, "readme.md", 10, 1);
    let engine = ContextEngine::start(fast_settings(vec![root.clone()])).unwrap();
    super::context_support::wait_for("first index", || engine.status().is_ready.then_some(()));
    let snapshot = ask(&engine, &root, "zip my screenshots", 100_000);
    assert!(!snapshot.is_read_on_demand);
    assert_eq!(names(&snapshot.matching), vec!["shots/Screenshot 1.png"]);
    assert_eq!(names(&snapshot.entries), vec!["shots", "readme.md"]);
}

#[test]
fn a_question_about_ports_gets_fresh_listeners_and_top_processes() {
    let watched = tempfile::tempdir().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let own = TcpListener::bind("127.0.0.1:0").unwrap();
    let own_port = own.local_addr().unwrap().port();
    let (mut child, child_port) = python_listener("--api-key=sk-test-abcdefghijklmnopqrstu");
    // A long process interval: only a refresh made for the request can see the listeners.
    let engine = engine_outside(watched.path(), |s| {
        s.process_interval = Duration::from_secs(3_600);
        s.process_wait = Duration::from_secs(20);
    });

    let snapshot = ask(
        &engine,
        dir.path(),
        "what is listening on my ports?",
        100_000,
    );
    child.kill().unwrap();
    child.wait().unwrap();
    let processes = snapshot
        .processes
        .clone()
        .expect("processes for a port question");
    let find = |port: u16| processes.listeners.iter().find(|l| l.port == port).cloned();
    let ours = find(own_port).expect("the test's own listener");
    assert_eq!(ours.pid, Some(std::process::id()));
    let python = find(child_port).expect("the python listener");
    assert_eq!(python.pid, Some(child.id()));
    let command = python.command.unwrap();
    assert!(command.contains("--api-key=[redacted]"), "{command}");
    assert!(!processes.top.is_empty());
    let json = serde_json::to_string(&snapshot).unwrap();
    assert!(!json.contains("abcdefghijklmnopqrstu"), "{json}");
}

#[test]
fn the_environment_names_tools_on_path_and_the_aws_region() {
    let watched = tempfile::tempdir().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let bin = dir.path().join("bin");
    std::fs::create_dir(&bin).unwrap();
    std::os::unix::fs::symlink("/bin/sh", bin.join("rg")).unwrap();
    std::fs::write(
        dir.path().join("aws"),
        "[profile work]\nregion = eu-north-1\n",
    )
    .unwrap();
    let probe = EnvironmentProbe {
        path: Some(bin.into_os_string()),
        aws_profile: Some("work".into()),
        aws_region: None,
        aws_config_file: Some(dir.path().join("aws")),
        os_release: "/etc/os-release".into(),
    };
    let engine = engine_outside(watched.path(), |s| s.environment = probe);
    let environment = ask(&engine, dir.path(), "search for TODO", 100_000)
        .environment
        .unwrap();
    assert_eq!(environment.tools, vec!["rg".to_owned()]);
    assert!(environment.missing_tools.contains(&"git".to_owned()));
    let aws = environment.aws.unwrap();
    assert_eq!(
        (aws.profile.as_deref(), aws.region.as_deref()),
        (Some("work"), Some("eu-north-1"))
    );
}

#[test]
fn a_root_added_at_run_time_is_indexed_then_followed_and_overlaps_are_refused() {
    let watched = tempfile::tempdir().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let added = std::fs::canonicalize(dir.path()).unwrap();
    file(&added, "readme.md", 10, 1);
    let engine = engine_outside(watched.path(), |_| {});
    assert!(ask(&engine, &added, "list", 100_000).is_read_on_demand);

    engine.add_root(&added).unwrap();
    super::context_support::wait_for("the added root indexed", || {
        (!ask(&engine, &added, "list", 100_000).is_read_on_demand).then_some(())
    });
    assert!(engine.status().roots.iter().any(|root| root.path == added));
    // Followed, not just read once: a new file reaches the index.
    file(&added, "later.txt", 10, 0);
    super::context_support::wait_for("the new file indexed", || {
        let snapshot = ask(&engine, &added, "list", 100_000);
        names(&snapshot.entries)
            .contains(&"later.txt")
            .then_some(())
    });

    let inside = added.join("sub");
    std::fs::create_dir(&inside).unwrap();
    for (dir, why) in [
        (inside.as_path(), "is already inside the workspace root"),
        (added.as_path(), "is already inside the workspace root"),
        (added.parent().unwrap(), "contains the workspace root"),
    ] {
        let refused = engine.add_root(dir).unwrap_err().to_string();
        assert!(refused.contains(why), "{}: {refused}", dir.display());
    }
    let relative = engine.add_root(Path::new("relative/dir")).unwrap_err();
    assert!(matches!(relative, engine::Error::Invalid(_)), "{relative}");
}
