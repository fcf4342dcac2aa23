//! Built-in planning time per request and `check-command` throughput (the
//! risk engine's `assess` over the dangerous + everyday corpus). Results are
//! in criterion's report; docs/BENCHMARKS.md records a run.

use std::hint::black_box;
use std::path::Path;

use criterion::{Criterion, Throughput};
use engine::planner::{PlanRequest, plan_builtin};
use engine::policy::Policy;
use engine::risk::{Scope, assess};

/// Everyday phrasings across the planner's intents (and one it cannot plan).
const REQUESTS: [&str; 16] = [
    "list the files here",
    "organize ~/Downloads by file type",
    "delete all temporary files recursively",
    "find files larger than 100MB modified in the last 7 days",
    "show git status",
    "undo my last commit but keep the changes",
    "commit all changes with message \"fix the parser\"",
    "create a branch called feature/login",
    "what is listening on port 8080",
    "top 10 processes by memory",
    "search for TODO in src",
    "count lines in main.rs",
    "extract archive.tar.gz into out",
    "how much disk space is free",
    "copy report.pdf to ~/backup",
    "write me a poem about kubernetes",
];

fn corpus_commands() -> Vec<String> {
    let text = include_str!("../tests/fixtures/commands.toml");
    let value: toml::Value = text.parse().unwrap_or_else(|e| panic!("corpus: {e}"));
    ["dangerous", "safe"]
        .iter()
        .filter_map(|key| value.get(key)?.as_array())
        .flatten()
        .filter_map(|case| case.get("command")?.as_str().map(str::to_owned))
        .collect()
}

fn main() {
    let mut criterion = Criterion::default().configure_from_args();
    let cwd = Path::new("/home/u/project");
    let home = Path::new("/home/u");

    let mut group = criterion.benchmark_group("builtin_planner");
    group.throughput(Throughput::Elements(REQUESTS.len() as u64));
    group.bench_function("16 requests", |b| {
        b.iter(|| {
            for text in REQUESTS {
                black_box(plan_builtin(&PlanRequest {
                    text,
                    cwd,
                    home,
                    account_home: engine::typed_path::account_home,
                    context: None,
                }));
            }
        });
    });
    group.finish();

    let policy = Policy::load(None).unwrap_or_else(|e| panic!("policy: {e}"));
    let scope = Scope {
        cwd: cwd.to_path_buf(),
        home: home.to_path_buf(),
        write_roots: vec![cwd.to_path_buf()],
        temp_dir: None,
        auto_approve_safe: true,
    };
    let commands = corpus_commands();
    let mut group = criterion.benchmark_group("check_command");
    group.throughput(Throughput::Elements(commands.len() as u64));
    group.bench_function(format!("{} corpus commands", commands.len()), |b| {
        b.iter(|| {
            for command in &commands {
                black_box(assess(&policy, &scope, command));
            }
        });
    });
    group.finish();
    criterion.final_summary();
}
