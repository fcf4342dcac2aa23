//! The file monitor on real temp trees: the index follows creates, renames
//! and deletes, skips ignored paths, survives a vanishing root and falls
//! back to rescans when it cannot watch.

use std::path::Path;

use engine::context::{ChangeKind, ContextEngine, FileCategory, WatchStatus};
use pretty_assertions::assert_eq;

use super::context_support::{fast_settings, wait_for};

fn count(engine: &ContextEngine, dir: &Path, category: FileCategory) -> Option<u64> {
    let summary = engine.snapshot(dir, 100_000).directory?;
    Some(
        summary
            .by_category
            .iter()
            .find(|c| c.category == category)
            .map_or(0, |c| c.files),
    )
}

fn ready(engine: &ContextEngine) {
    wait_for("first index", || engine.status().is_ready.then_some(()));
}

#[test]
fn index_follows_create_rename_and_delete() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().to_path_buf();
    std::fs::write(root.join("README.md"), "hi").unwrap();
    let engine = ContextEngine::start(fast_settings(vec![root.clone()])).unwrap();
    ready(&engine);
    assert_eq!(count(&engine, &root, FileCategory::Documents), Some(1));

    std::fs::create_dir_all(root.join("src/deep")).unwrap();
    std::fs::write(root.join("src/deep/main.rs"), "fn main() {}").unwrap();
    wait_for("created file", || {
        (count(&engine, &root, FileCategory::Code) == Some(1)).then_some(())
    });

    std::fs::rename(root.join("src/deep/main.rs"), root.join("src/notes.md")).unwrap();
    wait_for("renamed file", || {
        let moved = count(&engine, &root, FileCategory::Code) == Some(0)
            && count(&engine, &root, FileCategory::Documents) == Some(2);
        moved.then_some(())
    });
    let recent = engine.snapshot(&root, 100_000).directory.unwrap().recent;
    let created = recent
        .iter()
        .any(|c| c.path == root.join("src/notes.md") && c.kind == ChangeKind::Created);
    let removed = recent
        .iter()
        .any(|c| c.path == root.join("src/deep/main.rs") && c.kind == ChangeKind::Removed);
    assert!(created && removed, "{recent:?}");

    std::fs::remove_dir_all(root.join("src")).unwrap();
    wait_for("deleted tree", || {
        let summary = engine.snapshot(&root, 100_000).directory?;
        (summary.files == 1 && summary.dirs == 0).then_some(())
    });
}

#[test]
fn ignored_paths_are_not_indexed() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().to_path_buf();
    std::fs::write(root.join(".gitignore"), "build/\n*.log\n").unwrap();
    for sub in ["node_modules/pkg", "target/debug", "build"] {
        std::fs::create_dir_all(root.join(sub)).unwrap();
    }
    std::fs::write(root.join("node_modules/pkg/index.js"), "x").unwrap();
    std::fs::write(root.join("build/out.js"), "x").unwrap();
    let engine = ContextEngine::start(fast_settings(vec![root.clone()])).unwrap();
    ready(&engine);

    std::fs::write(root.join("node_modules/pkg/late.js"), "x").unwrap();
    std::fs::write(root.join("target/debug/app.rs"), "x").unwrap();
    std::fs::write(root.join("debug.log"), "x").unwrap();
    std::fs::write(root.join("app.js"), "x").unwrap();
    wait_for("visible file", || {
        (count(&engine, &root, FileCategory::Code) == Some(1)).then_some(())
    });
    let summary = engine.snapshot(&root, 100_000).directory.unwrap();
    // `.gitignore` and `app.js` only.
    assert_eq!((summary.files, summary.dirs), (2, 0), "{summary:?}");
}

#[test]
fn vanished_root_becomes_missing_and_comes_back() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("workspace");
    std::fs::create_dir(&root).unwrap();
    std::fs::write(root.join("a.txt"), "a").unwrap();
    let engine = ContextEngine::start(fast_settings(vec![root.clone()])).unwrap();
    ready(&engine);
    assert_eq!(engine.status().roots[0].status, WatchStatus::Watching);

    std::fs::remove_dir_all(&root).unwrap();
    wait_for("missing root", || {
        let status = engine.status();
        (status.roots[0].status == WatchStatus::Missing && status.roots[0].files == 0).then_some(())
    });
    assert_eq!(engine.snapshot(&root, 1000).directory, None);

    std::fs::create_dir(&root).unwrap();
    std::fs::write(root.join("b.txt"), "b").unwrap();
    wait_for("returned root", || {
        let status = engine.status();
        (status.roots[0].status == WatchStatus::Watching && status.roots[0].files == 1)
            .then_some(())
    });
    std::fs::write(root.join("c.txt"), "c").unwrap();
    wait_for("events after return", || {
        (count(&engine, &root, FileCategory::Documents) == Some(2)).then_some(())
    });
}

#[test]
fn unwatched_root_is_degraded_and_rescanned() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().to_path_buf();
    let settings = engine::context::ContextSettings {
        watch: false,
        ..fast_settings(vec![root.clone()])
    };
    let engine = ContextEngine::start(settings).unwrap();
    ready(&engine);
    let status = engine.status().roots[0].status.clone();
    assert!(
        matches!(&status, WatchStatus::Degraded { reason } if reason.contains("rescanning")),
        "{status:?}"
    );
    std::fs::write(root.join("photo.png"), "p").unwrap();
    wait_for("rescan", || {
        (count(&engine, &root, FileCategory::Images) == Some(1)).then_some(())
    });
}

#[test]
fn changes_are_broadcast() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().to_path_buf();
    let engine = ContextEngine::start(fast_settings(vec![root.clone()])).unwrap();
    ready(&engine);
    let mut events = engine.subscribe();
    std::fs::write(root.join("new.rs"), "x").unwrap();
    wait_for("change event", || {
        std::iter::from_fn(|| events.try_recv().ok()).find(|event| event.dir == root)
    });
}

#[test]
fn relative_root_is_rejected() {
    let error = ContextEngine::start(fast_settings(vec!["relative/dir".into()])).unwrap_err();
    assert!(error.to_string().contains("absolute"), "{error}");
}
