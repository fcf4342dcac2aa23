use super::*;
use crate::context::category::FileCategory;
use crate::context::git::{CommitSummary, PathGroup};
use crate::context::index::{CategoryCount, ChangeKind, RecentChange};
use pretty_assertions::assert_eq;

fn snapshot(recent: usize) -> ContextSnapshot {
    let process = ProcessInfo {
        pid: 1,
        name: "node".into(),
        command: "node server.js".into(),
        cpu_percent: 1.0,
        memory_bytes: 10,
    };
    ContextSnapshot {
        cwd: "/w/app".into(),
        directory: Some(DirSummary {
            path: "/w/app".into(),
            files: 3,
            dirs: 1,
            total_bytes: 100,
            by_category: vec![CategoryCount {
                category: FileCategory::Code,
                files: 3,
                bytes: 100,
            }],
            recent: (0..recent)
                .map(|n| RecentChange {
                    path: format!("/w/app/src/file_{n}.rs").into(),
                    kind: ChangeKind::Modified,
                    changed_at: 1_700_000_000,
                })
                .collect(),
        }),
        repo: Some(RepoSummary {
            root: "/w/app".into(),
            branch: Some("main".into()),
            upstream: None,
            staged: PathGroup {
                count: 1,
                paths: vec!["a.rs".into()],
            },
            unstaged: PathGroup::default(),
            untracked: PathGroup::default(),
            conflicted: PathGroup::default(),
            commits: vec![CommitSummary {
                id: "abcdef1".into(),
                summary: "first".into(),
                author: "Ann".into(),
                committed_at: 1,
            }],
            stash_count: 0,
            operation: None,
            refreshed_at: 1,
        }),
        processes: Some(ProcessContext {
            top: vec![process],
            listeners: vec![],
            load: None,
            memory: MemoryTotals {
                total_bytes: 1,
                used_bytes: 1,
                available_bytes: 0,
            },
            refreshed_at: 1,
        }),
        omitted: vec![],
        estimated_tokens: 0,
    }
}

#[test]
fn generous_budget_keeps_everything_and_estimates_size() {
    let mut full = snapshot(5);
    full.trim_to(100_000);
    assert_eq!(full.omitted, Vec::<String>::new());
    let json = serde_json::to_string(&full).unwrap();
    assert_eq!(full.estimated_tokens, json.len().div_ceil(4));
}

#[test]
fn parts_are_dropped_in_order_and_budget_is_met() {
    let order = [
        "top processes",
        "processes",
        "commits",
        "changed paths",
        "directory summary",
        "repository",
    ];
    let full = snapshot(20);
    let mut minimal = full.clone();
    minimal.trim_to(0);
    for budget in (minimal.estimated_tokens..=full.estimated_tokens + 600)
        .rev()
        .step_by(7)
    {
        let mut trimmed = full.clone();
        trimmed.trim_to(budget);
        assert!(
            trimmed.estimated_tokens <= budget,
            "budget {budget}: {trimmed:?}"
        );
        let wholes: Vec<&str> = trimmed
            .omitted
            .iter()
            .map(String::as_str)
            .filter(|part| !part.ends_with("older recent changes"))
            .collect();
        assert_eq!(wholes, order[..wholes.len()].to_vec(), "budget {budget}");
        if !wholes.is_empty() {
            assert_eq!(
                trimmed.directory.map(|d| d.recent.len()).unwrap_or(0),
                0,
                "budget {budget}"
            );
        }
    }
}

#[test]
fn tiny_budget_keeps_only_cwd() {
    let mut tiny = snapshot(3);
    tiny.trim_to(1);
    assert_eq!(
        (tiny.directory, tiny.repo, tiny.processes),
        (None, None, None)
    );
    assert_eq!(tiny.cwd, PathBuf::from("/w/app"));
}
