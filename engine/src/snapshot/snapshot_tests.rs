use std::fs;
use std::os::unix::fs::{PermissionsExt as _, symlink};
use std::path::Path;

use pretty_assertions::assert_eq;

use super::*;

fn limits() -> Limits {
    Limits {
        max_files: 1000,
        max_bytes: 1 << 20,
        skip: vec!["node_modules".into()],
    }
}

/// Relative path, kind, mode and content (or link target) of every entry.
fn tree(root: &Path) -> Vec<(String, String, u32, Vec<u8>)> {
    let mut out = Vec::new();
    let mut pending = vec![root.to_path_buf()];
    while let Some(dir) = pending.pop() {
        for item in fs::read_dir(&dir).unwrap() {
            let path = item.unwrap().path();
            let meta = fs::symlink_metadata(&path).unwrap();
            let rel = path.strip_prefix(root).unwrap().display().to_string();
            let mode = meta.permissions().mode() & 0o7777;
            if meta.file_type().is_symlink() {
                let target = fs::read_link(&path).unwrap();
                out.push((
                    rel,
                    "link".into(),
                    0,
                    target.into_os_string().into_encoded_bytes(),
                ));
            } else if meta.is_dir() {
                out.push((rel, "dir".into(), mode, Vec::new()));
                pending.push(path);
            } else {
                out.push((rel, "file".into(), mode, fs::read(&path).unwrap()));
            }
        }
    }
    out.sort();
    out
}

fn now_ns() -> i64 {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap();
    i64::try_from(now.as_nanos()).unwrap()
}

#[test]
fn a_root_comes_back_byte_for_byte_except_what_someone_else_changed() {
    let data = tempfile::tempdir().unwrap();
    let root_dir = tempfile::tempdir().unwrap();
    let root = root_dir.path();
    fs::create_dir_all(root.join("src/deep")).unwrap();
    fs::create_dir_all(root.join("empty")).unwrap();
    fs::create_dir_all(root.join("node_modules/pkg")).unwrap();
    fs::write(root.join("src/main.rs"), "fn main() {}\n").unwrap();
    fs::write(root.join("src/deep/lib.rs"), "pub fn x() {}\n").unwrap();
    fs::write(root.join("run.sh"), "#!/bin/sh\necho hi\n").unwrap();
    fs::set_permissions(root.join("run.sh"), fs::Permissions::from_mode(0o755)).unwrap();
    fs::write(root.join("a"), "moved away\n").unwrap();
    fs::write(root.join("notes.md"), "mine\n").unwrap();
    symlink("src/main.rs", root.join("link")).unwrap();
    let original = tree(root);

    let mut store = SnapshotStore::open(&data.path().join("snapshots")).unwrap();
    let before = store.take(root, &limits(), None, now_ns()).unwrap();
    assert_eq!(
        before.skipped,
        vec![std::path::PathBuf::from("node_modules")]
    );
    assert_eq!(
        (before.files, before.hashed),
        (6, 5),
        "the link is not hashed"
    );

    // What a job does.
    fs::write(root.join("src/main.rs"), "fn main() { edited() }\n").unwrap();
    fs::remove_dir_all(root.join("src/deep")).unwrap();
    fs::set_permissions(root.join("run.sh"), fs::Permissions::from_mode(0o644)).unwrap();
    fs::remove_file(root.join("link")).unwrap();
    symlink("run.sh", root.join("link")).unwrap();
    fs::rename(root.join("a"), root.join("b")).unwrap();
    fs::write(root.join("new.txt"), "created\n").unwrap();
    fs::remove_dir(root.join("empty")).unwrap();
    fs::write(root.join("node_modules/pkg/index.js"), "rebuilt").unwrap();
    let after = store.take(root, &limits(), None, now_ns()).unwrap();

    // Someone edits a file by hand after the job.
    fs::write(root.join("notes.md"), "edited by hand\n").unwrap();
    let current = store.take(root, &limits(), None, now_ns()).unwrap();

    let trash = data.path().join("trash");
    let restored = store
        .restore(
            root,
            &store.flatten(before.manifest).unwrap(),
            &store.flatten(after.manifest).unwrap(),
            &store.flatten(current.manifest).unwrap(),
            &trash,
        )
        .unwrap();
    let shown = |rel: &str| root.join(rel).display().to_string();
    assert_eq!(
        restored.refused,
        vec![format!(
            "{}: changed since the job, left as it is",
            shown("notes.md")
        )]
    );
    assert_eq!(restored.removed, vec![shown("new.txt"), shown("b")]);
    let mut back = tree(root);
    let mut expected = original;
    for list in [&mut back, &mut expected] {
        list.retain(|(rel, ..)| rel != "notes.md" && !rel.starts_with("node_modules"));
    }
    assert_eq!(back, expected);
    assert_eq!(
        fs::read(root.join("notes.md")).unwrap(),
        b"edited by hand\n"
    );
    assert_eq!(fs::read(trash.join("new.txt")).unwrap(), b"created\n");
    assert_eq!(fs::read(trash.join("b")).unwrap(), b"moved away\n");
}

#[test]
fn an_unchanged_root_is_not_read_again_and_unreached_objects_are_swept() {
    let data = tempfile::tempdir().unwrap();
    let root_dir = tempfile::tempdir().unwrap();
    let root = root_dir.path();
    for i in 0..20 {
        fs::write(root.join(format!("f{i}")), format!("content {i}")).unwrap();
    }
    let mut store = SnapshotStore::open(&data.path().join("snapshots")).unwrap();
    // Hashed "two seconds later", so no file is racily clean.
    let later = now_ns() + 2_000_000_000;
    let first = store.take(root, &limits(), None, later).unwrap();
    assert_eq!(first.hashed, 20);
    fs::write(root.join("f3"), "changed content").unwrap();
    let second = store
        .take(root, &limits(), None, later + 2_000_000_000)
        .unwrap();
    assert_eq!(second.hashed, 1, "only the changed file is read");
    assert_ne!(first.manifest, second.manifest);

    // Starting again from the recorded snapshot stays incremental too.
    let mut reopened = SnapshotStore::open(&data.path().join("snapshots")).unwrap();
    let third = reopened
        .take(
            root,
            &limits(),
            Some((second.manifest, later + 4_000_000_000)),
            later + 4_000_000_000,
        )
        .unwrap();
    assert_eq!((third.hashed, third.manifest), (0, second.manifest));

    let size = reopened.size();
    let freed = reopened.sweep(&[second.manifest]).unwrap();
    assert!(freed > 0, "the first manifest and old f3 go");
    assert_eq!(reopened.size(), size - freed);
    assert!(reopened.flatten(second.manifest).is_ok());
    assert!(reopened.flatten(first.manifest).is_err());
}

#[test]
fn a_root_over_the_file_cap_is_not_snapshotted() {
    let data = tempfile::tempdir().unwrap();
    let root = tempfile::tempdir().unwrap();
    for i in 0..3 {
        fs::write(root.path().join(format!("f{i}")), "x").unwrap();
    }
    let mut store = SnapshotStore::open(data.path()).unwrap();
    let tight = Limits {
        max_files: 2,
        ..limits()
    };
    assert_eq!(
        store.take(root.path(), &tight, None, now_ns()),
        Err(TakeError::TooManyFiles(2))
    );
}
