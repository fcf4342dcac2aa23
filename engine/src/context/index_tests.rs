use super::*;
use pretty_assertions::assert_eq;

fn file(name: &str, size: u64) -> Entry {
    Entry {
        name: name.into(),
        size,
        mtime: 1_700_000_000,
        is_dir: false,
    }
}

fn dir(name: &str) -> Entry {
    Entry {
        name: name.into(),
        size: 0,
        mtime: 0,
        is_dir: true,
    }
}

#[test]
fn summary_aggregates_subtree_by_category() {
    let mut index = FileIndex::new(16);
    let root = Path::new("/w");
    let delta = index.reconcile_dir(root, &[file("a.rs", 10), dir("docs")], 1, false);
    assert_eq!(delta.new_subdirs, vec![PathBuf::from("/w/docs")]);
    index.reconcile_dir(
        Path::new("/w/docs"),
        &[file("x.md", 5), file("y.md", 7)],
        1,
        false,
    );
    let summary = index.summary(root, 10).unwrap();
    assert_eq!(
        summary,
        DirSummary {
            path: root.into(),
            files: 3,
            dirs: 1,
            total_bytes: 22,
            by_category: vec![
                CategoryCount {
                    category: FileCategory::Documents,
                    files: 2,
                    bytes: 12
                },
                CategoryCount {
                    category: FileCategory::Code,
                    files: 1,
                    bytes: 10
                },
            ],
            recent: vec![],
        }
    );
    assert_eq!(index.summary(Path::new("/elsewhere"), 10), None);
}

#[test]
fn reconcile_records_created_modified_removed() {
    let mut index = FileIndex::new(16);
    let root = Path::new("/w");
    index.reconcile_dir(root, &[file("a", 1), file("b", 1)], 1, false);
    index.reconcile_dir(root, &[file("a", 2), file("c", 1)], 2, true);
    let kinds: Vec<(PathBuf, ChangeKind)> = index
        .summary(root, 10)
        .unwrap()
        .recent
        .into_iter()
        .map(|change| (change.path, change.kind))
        .collect();
    assert_eq!(
        kinds,
        vec![
            ("/w/c".into(), ChangeKind::Created),
            ("/w/b".into(), ChangeKind::Removed),
            ("/w/a".into(), ChangeKind::Modified),
        ]
    );
}

#[test]
fn vanished_subdirectory_drops_its_subtree() {
    let mut index = FileIndex::new(4);
    let root = Path::new("/w");
    index.reconcile_dir(root, &[dir("d")], 1, false);
    index.reconcile_dir(Path::new("/w/d"), &[dir("e"), file("f", 3)], 1, false);
    index.reconcile_dir(Path::new("/w/d/e"), &[file("g", 4)], 1, false);
    assert_eq!(index.count_under(root), (3, 2));
    let delta = index.reconcile_dir(root, &[], 2, true);
    assert_eq!(delta.gone_subdirs, 1);
    assert_eq!(index.count_under(root), (1, 0));
    assert!(!index.has_dir(Path::new("/w/d/e")));
}

#[test]
fn recent_ring_is_bounded() {
    let mut index = FileIndex::new(3);
    let root = Path::new("/w");
    index.reconcile_dir(root, &[], 0, false);
    for n in 0..10 {
        index.reconcile_dir(root, &[file(&format!("f{n}"), 1)], n, true);
    }
    assert_eq!(index.summary(root, 100).unwrap().recent.len(), 3);
}

#[test]
fn churn_does_not_grow_names_without_bound() {
    let mut index = FileIndex::new(0);
    let root = Path::new("/w");
    for n in 0..20_000 {
        index.reconcile_dir(root, &[file(&format!("tmp{n}"), 1)], n, true);
    }
    assert!(index.names.len() < 10_000, "{}", index.names.len());
    assert_eq!(index.count_under(root), (1, 1));
    let summary = index.summary(root, 1).unwrap();
    assert_eq!(summary.files, 1);
}

#[test]
fn heap_bytes_per_file_stays_small() {
    let mut index = FileIndex::new(256);
    for d in 0..40 {
        let path = PathBuf::from(format!("/work/project/src/module_{d}"));
        let entries: Vec<Entry> = (0..25)
            .map(|f| file(&format!("file_{d}_{f}.rs"), 1000))
            .collect();
        index.reconcile_dir(&path, &entries, 1, false);
    }
    let per_file = index.heap_bytes() / 1000;
    assert!(per_file < 200, "{per_file} bytes per file");
}

#[test]
fn children_carry_names_kinds_sizes_and_times() {
    let mut index = FileIndex::new(0);
    let root = Path::new("/w");
    let shots = Entry {
        mtime: 1_700_000_500,
        ..dir("shots")
    };
    index.reconcile_dir(root, &[file("a.rs", 10), shots], 1, false);
    let mut children = index.children(root).unwrap();
    children.sort_by(|a, b| a.name.cmp(&b.name));
    assert_eq!(
        children,
        vec![
            EntryInfo {
                name: "a.rs".into(),
                kind: EntryKind::File,
                size: 10,
                modified_at: 1_700_000_000,
            },
            EntryInfo {
                name: "shots".into(),
                kind: EntryKind::Dir,
                size: 0,
                modified_at: 1_700_000_500,
            },
        ]
    );
    assert_eq!(index.children(Path::new("/elsewhere")), None);
}

#[test]
fn matching_finds_names_below_and_stops_at_the_scan_limit() {
    let mut index = FileIndex::new(0);
    let root = Path::new("/w");
    index.reconcile_dir(root, &[file("notes.md", 1), dir("pics")], 1, false);
    index.reconcile_dir(
        Path::new("/w/pics"),
        &[file("Screenshot 1.png", 3), file("cat.jpg", 2)],
        1,
        false,
    );
    let matcher = NameMatcher::from_request("rename my screenshots");
    let (found, is_cut) = index.matching(root, &matcher, 100);
    let names: Vec<&str> = found.iter().map(|e| e.name.as_str()).collect();
    assert_eq!((names, is_cut), (vec!["pics/Screenshot 1.png"], false));
    let (_, is_cut) = index.matching(root, &matcher, 2);
    assert!(is_cut);
}

#[test]
fn compaction_keeps_subdirectory_times_with_their_names() {
    let mut index = FileIndex::new(0);
    let root = Path::new("/w");
    for n in 0..6_000 {
        let sub = Entry {
            mtime: 1_000 + n,
            ..dir(&format!("d{n}"))
        };
        index.reconcile_dir(root, &[sub], n, false);
    }
    let children = index.children(root).unwrap();
    assert_eq!(children.len(), 1);
    assert_eq!(
        (children[0].name.as_str(), children[0].modified_at),
        ("d5999", 6_999)
    );
}
