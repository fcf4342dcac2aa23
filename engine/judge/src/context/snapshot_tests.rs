use super::*;
use crate::context::{
    CategoryCount, ChangeKind, CommitSummary, EntryKind, FileCategory, PathGroup, RecentChange,
};
use pretty_assertions::assert_eq;

fn entry(name: String, modified_at: i64) -> EntryInfo {
    EntryInfo {
        name,
        kind: EntryKind::File,
        size: 10,
        modified_at,
    }
}

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
        is_read_on_demand: false,
        matching: (0..recent)
            .map(|n| {
                entry(
                    format!("shot_{n}.png"),
                    1_700_000_000 - i64::try_from(n).unwrap(),
                )
            })
            .collect(),
        entries: (0..recent)
            .map(|n| {
                entry(
                    format!("file_{n}.txt"),
                    1_700_000_000 - i64::try_from(n).unwrap(),
                )
            })
            .collect(),
        environment: Some(EnvironmentInfo {
            os: "linux".into(),
            arch: "x86_64".into(),
            distribution: Some("Debian GNU/Linux 13 (trixie)".into()),
            distribution_family: Some("debian".into()),
            tools: vec!["git".into(), "jq".into()],
            missing_tools: vec!["rg".into()],
            aws: None,
        }),
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
            listeners: (0..recent)
                .map(|n| Listener {
                    port: 3000 + u16::try_from(n).unwrap(),
                    address: std::net::Ipv4Addr::LOCALHOST.into(),
                    pid: Some(100 + u32::try_from(n).unwrap()),
                    process: Some("node".into()),
                    command: Some("node server.js".into()),
                })
                .collect(),
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
fn ordering_puts_newest_first_drops_duplicates_and_caps_lists() {
    let mut full = snapshot(0);
    full.matching = vec![entry("b.png".into(), 5), entry("a.png".into(), 9)];
    full.entries = (0..250).map(|n| entry(format!("f{n}"), n)).collect();
    full.entries.push(entry("a.png".into(), 9));
    full.order_names(LIST_CAP);
    let matching: Vec<&str> = full.matching.iter().map(|e| e.name.as_str()).collect();
    assert_eq!(matching, vec!["a.png", "b.png"]);
    assert_eq!(full.entries.len(), LIST_CAP);
    assert_eq!(full.entries[0].name, "f249");
    assert_eq!(full.omitted, vec!["50 older entries".to_owned()]);
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
        "environment",
        "commits",
        "changed paths",
        "directory summary",
        "repository",
    ];
    let tails = [
        "older recent changes",
        "older entries",
        "older matching names",
        "more listeners",
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
            .filter(|part| !tails.iter().any(|tail| part.ends_with(tail)))
            .collect();
        assert_eq!(wholes, order[..wholes.len()].to_vec(), "budget {budget}");
        if !wholes.is_empty() {
            let lists = (
                trimmed.directory.as_ref().map_or(0, |d| d.recent.len()),
                trimmed.entries.len(),
                trimmed.matching.len(),
            );
            assert_eq!(lists, (0, 0, 0), "budget {budget}");
        }
        if trimmed.matching.len() < full.matching.len() {
            assert_eq!(
                trimmed.entries.len() + trimmed.directory.as_ref().map_or(0, |d| d.recent.len()),
                0,
                "names matching the request outlast the other lists, budget {budget}"
            );
        }
    }
}

#[test]
fn tiny_budget_keeps_only_cwd() {
    let mut tiny = snapshot(3);
    tiny.trim_to(1);
    assert_eq!(
        (tiny.directory, tiny.repo, tiny.processes, tiny.environment),
        (None, None, None, None)
    );
    assert_eq!((tiny.entries.len(), tiny.matching.len()), (0, 0));
    assert_eq!(tiny.cwd, PathBuf::from("/w/app"));
}
