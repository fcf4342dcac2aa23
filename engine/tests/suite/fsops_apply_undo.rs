//! Applying typed file actions with a journal, then undoing them, on real temp dirs.

use std::collections::{BTreeMap, HashSet};
use std::fs;
use std::path::Path;

use engine::fsops::{FileOp, JournalEntry, apply, redo, resolve, undo};
use engine::plan::FsAction;
use pretty_assertions::assert_eq;
use sha2::{Digest, Sha256};
use tempfile::TempDir;

fn touch(root: &Path, rel: &str, content: &str) {
    let path = root.join(rel);
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, content).unwrap();
}

fn strings(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| (*s).to_owned()).collect()
}

/// Relative path → (size, sha256) for files, `dir` for directories.
fn listing(root: &Path) -> BTreeMap<String, String> {
    fn walk(root: &Path, dir: &Path, out: &mut BTreeMap<String, String>) {
        for entry in fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            let rel = path.strip_prefix(root).unwrap().display().to_string();
            if path.is_dir() {
                out.insert(rel, "dir".into());
                walk(root, &path, out);
            } else {
                let bytes = fs::read(&path).unwrap();
                out.insert(
                    rel,
                    format!("{} {}", bytes.len(), hex::encode(Sha256::digest(&bytes))),
                );
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(root, root, &mut out);
    out
}

/// Resolves and applies a whole plan, returning the journal.
fn run_plan(actions: &[FsAction], cwd: &Path, trash: &Path) -> Vec<JournalEntry> {
    let mut claimed = HashSet::new();
    let ops: Vec<FileOp> = actions
        .iter()
        .flat_map(|a| resolve(a, cwd, Path::new("/home/nobody"), &mut claimed).unwrap())
        .collect();
    let mut journal = Vec::new();
    for op in &ops {
        apply(op, trash, &mut |entry| {
            journal.push(entry.clone());
            Ok(())
        })
        .unwrap();
    }
    journal
}

#[test]
fn organize_plan_sorts_files_and_undo_restores_byte_for_byte() {
    let work = TempDir::new().unwrap();
    let trash = TempDir::new().unwrap();
    let root = work.path();
    for (name, content) in [
        ("photo.jpg", "jpeg bytes"),
        ("scan.png", "png bytes"),
        ("report.pdf", "pdf"),
        ("notes.txt", "notes"),
        ("setup.sh", "#!/bin/sh"),
        ("LICENSE", "MIT"),
        (".env", "hidden"),
        ("images/photo.jpg", "already there"),
        ("src/lib.rs", "a subfolder's file stays"),
    ] {
        touch(root, name, content);
    }
    let before = listing(root);
    let plan = [FsAction::Organize { dir: ".".into() }];
    let journal = run_plan(&plan, root, trash.path());
    let after: Vec<String> = listing(root).into_keys().collect();
    assert_eq!(
        after,
        [
            ".env",
            "code",
            "code/setup.sh",
            "documents",
            "documents/notes.txt",
            "documents/report.pdf",
            "images",
            "images/photo (1).jpg",
            "images/photo.jpg",
            "images/scan.png",
            "other",
            "other/LICENSE",
            "src",
            "src/lib.rs",
        ],
        "only the categories that have files get a folder"
    );
    let report = undo(&journal, trash.path());
    assert_eq!(report.refused, Vec::<String>::new());
    assert_eq!(report.reverted.len(), journal.len());
    assert_eq!(listing(root), before);
}

#[test]
fn trash_write_and_copy_are_undone() {
    let work = TempDir::new().unwrap();
    let trash = TempDir::new().unwrap();
    let root = work.path();
    touch(root, "a.tmp", "a");
    touch(root, "src/b.tmp", "b");
    touch(root, "src/keep.rs", "fn main() {}");
    touch(root, "config.toml", "old = 1");
    let before = listing(root);
    let plan = [
        FsAction::Trash {
            paths: strings(&["*.tmp"]),
            recursive: true,
        },
        FsAction::Write {
            path: "config.toml".into(),
            content: "new = 2".into(),
        },
        FsAction::Write {
            path: "out/new.txt".into(),
            content: "fresh".into(),
        },
        FsAction::Copy {
            from: strings(&["src/keep.rs"]),
            to_dir: "backup".into(),
        },
        FsAction::Rename {
            from: "src".into(),
            to: "source".into(),
        },
    ];
    let journal = run_plan(&plan, root, trash.path());
    assert_eq!(
        fs::read_to_string(root.join("config.toml")).unwrap(),
        "new = 2"
    );
    assert_eq!(
        fs::read_to_string(root.join("out/new.txt")).unwrap(),
        "fresh"
    );
    assert_eq!(
        fs::read_to_string(root.join("backup/keep.rs")).unwrap(),
        "fn main() {}"
    );
    assert!(!root.join("a.tmp").exists() && root.join("source/keep.rs").exists());
    assert!(
        listing(trash.path())
            .values()
            .filter(|v| *v != "dir")
            .count()
            >= 3,
        "trashed and saved files are kept"
    );
    let done = listing(root);
    let report = undo(&journal, trash.path());
    assert_eq!(report.refused, Vec::<String>::new());
    assert_eq!(listing(root), before);

    // Undo kept what the job made, so redo brings the job's result back,
    // byte for byte, and a second undo returns to the start again.
    let report = redo(&journal, trash.path());
    assert_eq!(report.refused, Vec::<String>::new(), "{report:?}");
    assert_eq!(listing(root), done);
    let report = undo(&journal, trash.path());
    assert_eq!(report.refused, Vec::<String>::new(), "{report:?}");
    assert_eq!(listing(root), before);
}

#[test]
fn redo_refuses_what_changed_since_the_undo_and_redoes_the_rest() {
    let work = TempDir::new().unwrap();
    let trash = TempDir::new().unwrap();
    let root = work.path();
    touch(root, "config.toml", "old = 1");
    touch(root, "a.txt", "a");
    let plan = [
        FsAction::Write {
            path: "config.toml".into(),
            content: "new = 2".into(),
        },
        FsAction::Rename {
            from: "a.txt".into(),
            to: "b.txt".into(),
        },
    ];
    let journal = run_plan(&plan, root, trash.path());
    assert_eq!(undo(&journal, trash.path()).refused, Vec::<String>::new());
    fs::write(root.join("config.toml"), "edited by hand = 3").unwrap();
    let report = redo(&journal, trash.path());
    assert_eq!(report.refused.len(), 1, "{report:?}");
    assert!(report.refused[0].contains("changed since"), "{report:?}");
    assert_eq!(
        fs::read_to_string(root.join("config.toml")).unwrap(),
        "edited by hand = 3",
        "the hand edit is kept"
    );
    assert!(root.join("b.txt").exists() && !root.join("a.txt").exists());
}

#[test]
fn undo_refuses_a_file_modified_after_the_move_and_a_taken_original() {
    let work = TempDir::new().unwrap();
    let trash = TempDir::new().unwrap();
    let root = work.path();
    touch(root, "a.txt", "a");
    touch(root, "b.txt", "b");
    let plan = [FsAction::Move {
        from: strings(&["*.txt"]),
        to_dir: "moved".into(),
    }];
    let journal = run_plan(&plan, root, trash.path());
    fs::write(root.join("moved/a.txt"), "changed by the user").unwrap();
    touch(root, "b.txt", "a new b");
    let report = undo(&journal, trash.path());
    assert_eq!(report.refused.len(), 3, "{report:?}");
    assert!(report.refused[0].contains("taken"), "{report:?}");
    assert!(report.refused[1].contains("changed since"), "{report:?}");
    assert!(
        report.refused[2].contains("not removable"),
        "the non-empty dir stays: {report:?}"
    );
    assert_eq!(
        fs::read_to_string(root.join("moved/a.txt")).unwrap(),
        "changed by the user"
    );
    assert_eq!(fs::read_to_string(root.join("b.txt")).unwrap(), "a new b");
    assert_eq!(fs::read_to_string(root.join("moved/b.txt")).unwrap(), "b");
}

#[test]
fn undo_after_a_crash_between_journal_and_action_changes_nothing() {
    let work = TempDir::new().unwrap();
    let trash = TempDir::new().unwrap();
    let root = work.path();
    touch(root, "a.txt", "a");
    touch(root, "w.txt", "old");
    let ops = [
        FileOp::Move {
            from: root.join("a.txt"),
            to: root.join("a2.txt"),
        },
        FileOp::Trash {
            path: root.join("w.txt"),
        },
        FileOp::Write {
            path: root.join("w.txt"),
            content: "new".into(),
        },
    ];
    let before = listing(root);
    let mut journal = Vec::new();
    for op in &ops {
        // The journal is written, then the process "dies" before acting.
        let crashed = apply(op, trash.path(), &mut |entry| {
            journal.push(entry.clone());
            Err(engine::Error::Task("simulated crash".into()))
        });
        assert!(crashed.is_err());
    }
    let report = undo(&journal, trash.path());
    assert_eq!(
        (report.refused.len(), report.reverted.len()),
        (0, 3),
        "{report:?}"
    );
    assert_eq!(listing(root), before);
}

#[test]
fn apply_never_overwrites_a_destination_that_appeared() {
    let work = TempDir::new().unwrap();
    let trash = TempDir::new().unwrap();
    let root = work.path();
    touch(root, "a.txt", "a");
    touch(root, "b.txt", "b");
    let op = FileOp::Move {
        from: root.join("a.txt"),
        to: root.join("b.txt"),
    };
    let result = apply(&op, trash.path(), &mut |_| Ok(()));
    assert!(
        matches!(result, Err(engine::Error::Conflict(_))),
        "{result:?}"
    );
    assert_eq!(fs::read_to_string(root.join("b.txt")).unwrap(), "b");
    assert!(root.join("a.txt").exists());
}

#[test]
fn a_symlink_planted_after_planning_does_not_redirect_a_write() {
    let (root, outside) = (TempDir::new().unwrap(), TempDir::new().unwrap());
    let roots = vec![root.path().to_path_buf()];
    let write = FileOp::Write {
        path: root.path().join("sub/notes.txt"),
        content: "hi".into(),
    };
    assert!(engine::fsops::check_contained(&write, &roots).is_ok());
    std::os::unix::fs::symlink(outside.path(), root.path().join("sub")).unwrap();
    assert!(engine::fsops::check_contained(&write, &roots).is_err());
    let trash_link = FileOp::Trash {
        path: root.path().join("sub"),
    };
    assert!(
        engine::fsops::check_contained(&trash_link, &roots).is_ok(),
        "trashing the link itself"
    );
}

#[test]
fn a_symlink_planted_after_planning_does_not_lead_a_move_into_the_temp_dir() {
    let (root, temp) = (TempDir::new().unwrap(), TempDir::new().unwrap());
    touch(root.path(), "report.txt", "keep me");
    let op = FileOp::Move {
        from: root.path().join("report.txt"),
        to: root.path().join("archive/report.txt"),
    };
    assert!(engine::fsops::check_not_into_temp(&op, temp.path()).is_ok());
    std::os::unix::fs::symlink(temp.path(), root.path().join("archive")).unwrap();
    let refused = engine::fsops::check_not_into_temp(&op, temp.path());
    assert!(
        matches!(&refused, Err(engine::Error::Conflict(m)) if m.contains("temp dir")),
        "{refused:?}"
    );
    assert_eq!(
        fs::read_to_string(root.path().join("report.txt")).unwrap(),
        "keep me"
    );
}

#[test]
fn an_overwrite_keeps_the_original_mode() {
    use std::os::unix::fs::PermissionsExt as _;
    let root = TempDir::new().unwrap();
    let script = root.path().join("run.sh");
    fs::write(&script, "#!/bin/sh\necho old\n").unwrap();
    fs::set_permissions(&script, fs::Permissions::from_mode(0o750)).unwrap();
    let trash = TempDir::new().unwrap();
    let op = FileOp::Write {
        path: script.clone(),
        content: "#!/bin/sh\necho new\n".into(),
    };
    apply(&op, trash.path(), &mut |_| Ok(())).unwrap();
    assert_eq!(
        fs::read_to_string(&script).unwrap(),
        "#!/bin/sh\necho new\n"
    );
    assert_eq!(
        fs::metadata(&script).unwrap().permissions().mode() & 0o777,
        0o750
    );
}
