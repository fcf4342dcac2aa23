//! Resolving, previewing and rating typed file actions on real temp dirs.

use std::collections::HashSet;
use std::fs;
use std::path::{Path, PathBuf};

use engine::fsops::{FileOp, Rating, preview, rate, resolve};
use engine::plan::{FsAction, SafetyLevel};
use pretty_assertions::assert_eq;
use tempfile::TempDir;

fn touch(root: &Path, rel: &str, content: &str) {
    let path = root.join(rel);
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, content).unwrap();
}

fn strings(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| (*s).to_owned()).collect()
}

fn resolve_one(action: &FsAction, cwd: &Path) -> Vec<FileOp> {
    resolve(action, cwd, Path::new("/home/nobody"), &mut HashSet::new()).unwrap()
}

#[test]
fn collisions_get_numbered_suffixes_within_and_across_steps() {
    let dir = TempDir::new().unwrap();
    let root = dir.path();
    touch(root, "docs/a.txt", "existing");
    touch(root, "x/a.txt", "1");
    touch(root, "y/a.txt", "2");
    let mut claimed = HashSet::new();
    let home = Path::new("/home/nobody");
    let first = FsAction::Move {
        from: strings(&["x/*.txt", "y/a.txt"]),
        to_dir: "docs".into(),
    };
    let second = FsAction::Copy {
        from: strings(&["docs/a.txt"]),
        to_dir: "docs2".into(),
    };
    let ops = resolve(&first, root, home, &mut claimed).unwrap();
    assert_eq!(
        ops,
        vec![
            FileOp::Move {
                from: root.join("x/a.txt"),
                to: root.join("docs/a (1).txt")
            },
            FileOp::Move {
                from: root.join("y/a.txt"),
                to: root.join("docs/a (2).txt")
            },
        ]
    );
    let ops = resolve(&second, root, home, &mut claimed).unwrap();
    assert_eq!(
        ops,
        vec![
            FileOp::Mkdir {
                path: root.join("docs2")
            },
            FileOp::Copy {
                from: root.join("docs/a.txt"),
                to: root.join("docs2/a.txt")
            },
        ]
    );
}

#[test]
fn globs_match_regular_files_and_skip_dotfiles_unless_asked() {
    let dir = TempDir::new().unwrap();
    let root = dir.path();
    for name in ["b.log", "a.log", ".hidden.log", "notes.txt", "sub/c.log"] {
        touch(root, name, "x");
    }
    fs::create_dir(root.join("dir.log")).unwrap();
    let sources = |pattern: &str| -> Vec<PathBuf> {
        let action = FsAction::Trash {
            paths: strings(&[pattern]),
            recursive: false,
        };
        resolve_one(&action, root)
            .iter()
            .filter_map(|op| op.source().cloned())
            .collect()
    };
    assert_eq!(sources("*.log"), [root.join("a.log"), root.join("b.log")]);
    assert_eq!(sources(".*.log"), [root.join(".hidden.log")]);
    assert_eq!(
        sources("?.lo[gx]"),
        [root.join("a.log"), root.join("b.log")]
    );
    assert_eq!(sources("*.none"), Vec::<PathBuf>::new());
    assert_eq!(
        sources("dir.log"),
        [root.join("dir.log")],
        "plain paths may name directories"
    );
}

#[test]
fn recursive_trash_walks_subdirectories_but_skips_tooling_dirs() {
    let dir = TempDir::new().unwrap();
    let root = dir.path();
    for name in [
        "a.tmp",
        "src/b.tmp",
        "src/deep/c.tmp",
        ".git/d.tmp",
        "node_modules/e.tmp",
        "target/f.tmp",
        ".cache/g.tmp",
        "keep.txt",
    ] {
        touch(root, name, "x");
    }
    let action = FsAction::Trash {
        paths: strings(&["*.tmp"]),
        recursive: true,
    };
    let mut got: Vec<PathBuf> = resolve_one(&action, root)
        .iter()
        .filter_map(|op| op.source().cloned())
        .collect();
    got.sort();
    assert_eq!(
        got,
        [
            root.join("a.tmp"),
            root.join("src/b.tmp"),
            root.join("src/deep/c.tmp")
        ]
    );
}

#[test]
fn invalid_and_missing_inputs_are_errors() {
    let dir = TempDir::new().unwrap();
    let root = dir.path();
    touch(root, "a", "");
    touch(root, "b", "");
    let home = Path::new("/home/nobody");
    let cases = [
        FsAction::Trash {
            paths: strings(&["*/x.txt"]),
            recursive: false,
        },
        FsAction::Move {
            from: strings(&["missing.txt"]),
            to_dir: "d".into(),
        },
        FsAction::Rename {
            from: "a".into(),
            to: "b".into(),
        },
        FsAction::Mkdir { path: "a".into() },
    ];
    for action in cases {
        assert!(
            resolve(&action, root, home, &mut HashSet::new()).is_err(),
            "{action:?}"
        );
    }
}

#[test]
fn preview_counts_files_and_bytes() {
    let dir = TempDir::new().unwrap();
    let root = dir.path();
    for i in 0..10 {
        touch(root, &format!("f{i}.tmp"), &"x".repeat(150_000));
    }
    touch(root, "b~", "12345");
    let action = FsAction::Trash {
        paths: strings(&["*.tmp", "b~"]),
        recursive: false,
    };
    let shown = preview(&action, &resolve_one(&action, root));
    assert_eq!(
        (shown.files, shown.bytes, shown.sample.len()),
        (11, 1_500_005, 8)
    );
    assert_eq!(
        shown.summary,
        "11 files, 1.5 MB: f0.tmp, f1.tmp, f2.tmp, f3.tmp, f4.tmp, f5.tmp, f6.tmp, f7.tmp, …"
    );
}

#[test]
fn preview_counts_the_files_inside_a_folder() {
    let dir = TempDir::new().unwrap();
    let root = dir.path();
    for name in ["build/a.o", "build/b.o", "build/deep/c.o", "notes.txt"] {
        touch(root, name, "1234");
    }
    let action = FsAction::Trash {
        paths: strings(&["build"]),
        recursive: false,
    };
    let shown = preview(&action, &resolve_one(&action, root));
    assert_eq!(shown.summary, "1 folder holding 3 files, 12 B: build/");
    let action = FsAction::Trash {
        paths: strings(&["build", "notes.txt"]),
        recursive: false,
    };
    let shown = preview(&action, &resolve_one(&action, root));
    assert_eq!(
        shown.summary,
        "1 file and 1 folder holding 3 files, 16 B: build/, notes.txt"
    );
}

#[test]
fn organize_preview_counts_what_each_folder_receives() {
    let dir = TempDir::new().unwrap();
    let root = dir.path();
    for name in ["a.png", "b.JPG", "c.gif", "notes.md", "LICENSE", ".hidden"] {
        touch(root, name, "1234");
    }
    let action = FsAction::Organize { dir: ".".into() };
    let shown = preview(&action, &resolve_one(&action, root));
    assert_eq!(
        shown.summary,
        "5 files, 20 B: 3 → images/, 1 → documents/, 1 → other/"
    );
    let empty = TempDir::new().unwrap();
    touch(empty.path(), ".only-a-dotfile", "x");
    let shown = preview(&action, &resolve_one(&action, empty.path()));
    assert_eq!(
        (shown.files, shown.summary.as_str()),
        (0, "no files to sort in .")
    );
}

#[test]
fn preview_says_when_nothing_matches() {
    let dir = TempDir::new().unwrap();
    let action = FsAction::Trash {
        paths: strings(&["*.tmp"]),
        recursive: true,
    };
    let shown = preview(&action, &resolve_one(&action, dir.path()));
    assert_eq!(
        (shown.files, shown.bytes, shown.summary.as_str()),
        (0, 0, "no files match *.tmp yet")
    );
}

#[test]
fn rate_table_for_inside_and_outside_the_write_roots() {
    let dir = TempDir::new().unwrap();
    let root = dir.path().join("root");
    let outside = dir.path().join("outside");
    touch(&root, "exists.txt", "x");
    touch(&outside, "o.txt", "x");
    std::os::unix::fs::symlink(&outside, root.join("escape")).unwrap();
    let roots = [root.clone()];
    let cases = [
        (
            FileOp::Mkdir {
                path: root.join("new"),
            },
            SafetyLevel::Moderate,
        ),
        (
            FileOp::Move {
                from: root.join("exists.txt"),
                to: root.join("d/exists.txt"),
            },
            SafetyLevel::Moderate,
        ),
        (
            FileOp::Copy {
                from: root.join("exists.txt"),
                to: root.join("c.txt"),
            },
            SafetyLevel::Moderate,
        ),
        (
            FileOp::Write {
                path: root.join("new.txt"),
                content: String::new(),
            },
            SafetyLevel::Moderate,
        ),
        (
            FileOp::Write {
                path: root.join("exists.txt"),
                content: String::new(),
            },
            SafetyLevel::Destructive,
        ),
        (
            FileOp::Trash {
                path: root.join("exists.txt"),
            },
            SafetyLevel::Destructive,
        ),
        (
            FileOp::Move {
                from: outside.join("o.txt"),
                to: root.join("o.txt"),
            },
            SafetyLevel::Destructive,
        ),
        (
            FileOp::Copy {
                from: root.join("exists.txt"),
                to: outside.join("c.txt"),
            },
            SafetyLevel::Destructive,
        ),
        (
            FileOp::Mkdir {
                path: root.join("../outside/new"),
            },
            SafetyLevel::Destructive,
        ),
        (
            FileOp::Write {
                path: root.join("escape/new.txt"),
                content: String::new(),
            },
            SafetyLevel::Destructive,
        ),
    ];
    for (op, level) in cases {
        let Rating {
            level: got,
            reasons,
            needs_approval,
            forbidden,
        } = rate(
            std::slice::from_ref(&op),
            &roots,
            Path::new("/home/nobody"),
            None,
        );
        assert!(!forbidden, "{op:?}");
        assert_eq!(
            (got, needs_approval),
            (level, level == SafetyLevel::Destructive),
            "{op:?}: {reasons:?}"
        );
        assert!(!reasons.is_empty(), "{op:?}");
    }
    assert_eq!(
        rate(&[], &roots, Path::new("/home/nobody"), None).level,
        SafetyLevel::Safe
    );
}

#[test]
fn trashing_or_moving_homes_system_and_credential_dirs_is_forbidden() {
    let home = Path::new("/home/u");
    for path in [
        "/home/u",
        "/usr",
        "/home/u/.ssh",
        "/home/u/.aws",
        "/home",
        "/",
    ] {
        let trash = FileOp::Trash { path: path.into() };
        let moved = FileOp::Move {
            from: path.into(),
            to: "/home/u/project/x".into(),
        };
        for op in [trash, moved] {
            let rating = rate(
                std::slice::from_ref(&op),
                &[PathBuf::from("/home/u/project")],
                home,
                None,
            );
            assert!(rating.forbidden, "{op:?}: {:?}", rating.reasons);
        }
    }
    let harmless = FileOp::Trash {
        path: "/home/u/project/build".into(),
    };
    assert!(!rate(&[harmless], &[PathBuf::from("/home/u/project")], home, None).forbidden);
}

#[test]
fn nothing_is_moved_into_the_job_temp_dir_which_is_deleted_with_the_job() {
    let home = Path::new("/home/u");
    let temp = Path::new("/data/tmp/job-7");
    let roots = [PathBuf::from("/home/u/project"), temp.to_path_buf()];
    let into_temp = FileOp::Move {
        from: "/home/u/project/report.txt".into(),
        to: temp.join("report.txt"),
    };
    let rating = rate(std::slice::from_ref(&into_temp), &roots, home, Some(temp));
    assert!(rating.forbidden, "{:?}", rating.reasons);
    assert!(
        rating.reasons.iter().any(|r| r.contains("temp dir")),
        "{:?}",
        rating.reasons
    );
    // Without a job (check-command) there is no temp dir to protect.
    assert!(!rate(&[into_temp], &roots, home, None).forbidden);
    // Out of the temp dir, or copying into it, loses nothing.
    let out_of_temp = FileOp::Move {
        from: temp.join("draft.txt"),
        to: "/home/u/project/draft.txt".into(),
    };
    let copy_in = FileOp::Copy {
        from: "/home/u/project/report.txt".into(),
        to: temp.join("copy.txt"),
    };
    for op in [out_of_temp, copy_in] {
        assert!(
            !rate(std::slice::from_ref(&op), &roots, home, Some(temp)).forbidden,
            "{op:?}"
        );
    }
}

#[test]
fn files_that_tools_run_later_need_approval() {
    let home = Path::new("/home/u");
    let roots = [PathBuf::from("/home/u/project")];
    for path in [
        "/home/u/project/build.rs",
        "/home/u/project/.git/hooks/pre-commit",
        "/home/u/project/.cargo/config.toml",
        "/home/u/project/conftest.py",
        "/home/u/project/.envrc",
    ] {
        let op = FileOp::Write {
            path: path.into(),
            content: String::new(),
        };
        let rating = rate(&[op], &roots, home, None);
        assert!(rating.needs_approval, "{path}: {:?}", rating.reasons);
        assert!(
            rating
                .reasons
                .iter()
                .any(|r| r.contains("runs or loads later")),
            "{path}"
        );
    }
}

#[test]
fn moving_files_a_git_repository_tracks_needs_approval() {
    let dir = TempDir::new().unwrap();
    let root = dir.path();
    touch(root, "Cargo.toml", "[package]");
    touch(root, "src/lib.rs", "");
    touch(root, "notes.txt", "not tracked");
    touch(root, "photo.png", "not tracked");
    let repo = git2::Repository::init(root).unwrap();
    let mut index = repo.index().unwrap();
    for tracked in ["Cargo.toml", "src/lib.rs"] {
        index.add_path(Path::new(tracked)).unwrap();
    }
    index.write().unwrap();
    let roots = [root.to_path_buf()];
    let level_of = |from: &str| {
        let op = FileOp::Move {
            from: root.join(from),
            to: root.join("elsewhere").join(from),
        };
        let rating = rate(&[op], &roots, Path::new("/home/nobody"), None);
        (rating.level, rating.needs_approval, rating.reasons)
    };
    let (level, approval, reasons) = level_of("Cargo.toml");
    assert_eq!((level, approval), (SafetyLevel::Destructive, true));
    assert!(
        reasons.iter().any(|r| r.contains("git repository")),
        "{reasons:?}"
    );
    assert_eq!(
        level_of("src").0,
        SafetyLevel::Destructive,
        "a tracked folder"
    );
    assert_eq!(level_of("notes.txt").0, SafetyLevel::Moderate);
    assert_eq!(
        level_of("src-old").0,
        SafetyLevel::Moderate,
        "a name sharing a prefix"
    );

    let organize = resolve_one(
        &FsAction::Organize {
            dir: root.display().to_string(),
        },
        root,
    );
    let rating = rate(&organize, &roots, Path::new("/home/nobody"), None);
    assert!(rating.needs_approval, "sorting a work tree: {rating:?}");
}
