//! Context engine benchmark: a synthetic tree of 50,000 files in 2,000
//! directories, 10,000 of them tracked in a git repository. Measures the time
//! to the first complete index, the index's bytes per file, and a snapshot
//! from the caches against computing the same fields fresh (directory walk +
//! `git status --porcelain` + `git log`). Then the on-demand path: a
//! 10,000-entry git repository outside the watched roots read by
//! `snapshot_for` with the walk cache off (every call walks and reads git)
//! and on (repeat jobs), and `snapshot_for` with request words on an indexed
//! folder. Results go to stderr and into criterion's report;
//! docs/BENCHMARKS.md records a run.

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use criterion::Criterion;

type BenchResult<T = ()> = Result<T, Box<dyn std::error::Error>>;
use engine::context::{
    ContextEngine, ContextSettings, FileCategory, ProcessDetail, SnapshotRequest,
};

const DIRS: usize = 2_000;
const FILES_PER_DIR: usize = 25;
const REPO_DIRS: usize = 400;
const NAMES: [&str; 8] = [
    "main.rs",
    "notes.md",
    "data.json",
    "logo.png",
    "a.tar.gz",
    "s.mp3",
    "c.mp4",
    "LICENSE",
];

fn git(dir: &Path, args: &[&str]) -> BenchResult {
    let status = Command::new("git")
        .current_dir(dir)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .args([
            "-c",
            "user.name=Bench",
            "-c",
            "user.email=b@example.com",
            "-c",
            "commit.gpgsign=false",
        ])
        .args(args)
        .status()?;
    assert!(status.success(), "git {args:?}");
    Ok(())
}

/// `root/repo/d{i}` (the git repository, 400 dirs) and `root/other/g{j}/d{i}` (1,600 dirs).
fn generate(root: &Path) -> BenchResult<PathBuf> {
    let repo = root.join("repo");
    for d in 0..DIRS {
        let dir = if d < REPO_DIRS {
            repo.join(format!("d{d:04}"))
        } else {
            root.join(format!("other/g{:02}/d{d:04}", d % 40))
        };
        std::fs::create_dir_all(&dir)?;
        for f in 0..FILES_PER_DIR {
            // Unique names everywhere: the worst case for the name interner.
            let name = format!("f{f:02}_{d:04}_{}", NAMES[f % NAMES.len()]);
            std::fs::write(dir.join(name), vec![b'x'; 64 + f * 16])?;
        }
    }
    git(&repo, &["init", "-q"])?;
    git(&repo, &["add", "-A"])?;
    git(&repo, &["commit", "-q", "-m", "Synthetic tree"])?;
    // Some work in progress, so status has something to say.
    for d in 0..5 {
        std::fs::write(repo.join(format!("d{d:04}/f00_{d:04}_main.rs")), "changed")?;
        std::fs::write(repo.join(format!("d{d:04}/new.rs")), "new")?;
    }
    Ok(repo)
}

/// The same fields a snapshot carries, computed from scratch.
fn fresh(dir: &Path) -> BenchResult<(u64, u64, [u64; 8], String, String)> {
    let (mut files, mut bytes, mut by_category) = (0, 0, [0u64; 8]);
    let mut stack = vec![dir.to_path_buf()];
    while let Some(next) = stack.pop() {
        for entry in std::fs::read_dir(&next)?.flatten() {
            let metadata = entry.metadata()?;
            let name = entry.file_name();
            if metadata.is_dir() {
                if name != ".git" {
                    stack.push(entry.path());
                }
            } else {
                files += 1;
                bytes += metadata.len();
                by_category[FileCategory::of_name(&name.to_string_lossy()).index()] += 1;
            }
        }
    }
    let run = |args: &[&str]| {
        let output = Command::new("git").current_dir(dir).args(args).output()?;
        BenchResult::Ok(String::from_utf8_lossy(&output.stdout).into_owned())
    };
    let status = run(&["status", "--porcelain", "--branch"])?;
    let log = run(&["log", "-5", "--format=%h %an %at %s"])?;
    Ok((files, bytes, by_category, status, log))
}

/// A repository of 10,000 entries (100 folders of 99 files) outside the roots.
fn generate_outside(root: &Path) -> BenchResult<PathBuf> {
    let dir = root.join("outside");
    for d in 0..100 {
        let sub = dir.join(format!("batch{d:03}"));
        std::fs::create_dir_all(&sub)?;
        for f in 0..99 {
            let name = format!(
                "Screenshot {d:03}-{f:02}.{}",
                if f % 3 == 0 { "png" } else { "log" }
            );
            std::fs::write(sub.join(name), b"x")?;
        }
    }
    git(&dir, &["init", "-q"])?;
    git(&dir, &["add", "-A"])?;
    git(&dir, &["commit", "-q", "-m", "Outside tree"])?;
    Ok(dir)
}

/// A planner's request whose words match names in the generated trees.
fn request(cwd: &Path) -> SnapshotRequest<'_> {
    SnapshotRequest {
        cwd,
        text: "rename the screenshots",
        token_budget: 1_500,
        processes: ProcessDetail::WhenAsked,
    }
}

fn timed(runs: usize, mut f: impl FnMut()) -> Vec<Duration> {
    (0..runs)
        .map(|_| {
            let start = Instant::now();
            f();
            start.elapsed()
        })
        .collect()
}

fn percentiles(mut samples: Vec<Duration>) -> (Duration, Duration) {
    samples.sort_unstable();
    let at = |q: usize| samples[(samples.len() * q / 100).min(samples.len() - 1)];
    (at(50), at(99))
}

fn rss_kib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|line| line.strip_prefix("VmRSS:"))
        .and_then(|rest| rest.trim().trim_end_matches(" kB").parse().ok())
        .unwrap_or(0)
}

fn main() -> BenchResult {
    let dir = tempfile::tempdir()?;
    let root = dir.path().to_path_buf();
    let generated = Instant::now();
    let repo = generate(&root)?;
    eprintln!(
        "generated {} files in {DIRS} dirs in {:.1?}",
        DIRS * FILES_PER_DIR,
        generated.elapsed()
    );

    let rss_before = rss_kib();
    let started = Instant::now();
    let context = ContextEngine::start(ContextSettings::new(vec![root.clone()]))?;
    let expected = (DIRS * FILES_PER_DIR + 5) as u64;
    loop {
        let status = context.status();
        let snapshot = context.snapshot(&repo, 100_000);
        let is_complete = status.is_ready
            && status.indexed_files == expected
            && snapshot.repo.is_some_and(|r| r.untracked.count == 5);
        if is_complete {
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(120),
            "index never completed"
        );
        std::thread::sleep(Duration::from_millis(5));
    }
    let first_index = started.elapsed();
    let status = context.status();
    let rss_after = rss_kib();
    eprintln!("time to first complete index (files + git): {first_index:.2?}");
    eprintln!(
        "index: {} files, {} heap bytes = {} bytes/file ({} bytes per 10,000 files); process RSS grew {} KiB = {} bytes/file",
        status.indexed_files,
        status.index_bytes,
        status.index_bytes as u64 / status.indexed_files,
        status.index_bytes as u64 * 10_000 / status.indexed_files,
        rss_after.saturating_sub(rss_before),
        rss_after.saturating_sub(rss_before) * 1024 / status.indexed_files,
    );

    let cached: Vec<Duration> = (0..2_000)
        .map(|_| {
            let start = Instant::now();
            black_box(context.snapshot(black_box(&repo), 1_500));
            start.elapsed()
        })
        .collect();
    let whole: Vec<Duration> = (0..500)
        .map(|_| {
            let start = Instant::now();
            black_box(context.snapshot(black_box(&root), 1_500));
            start.elapsed()
        })
        .collect();
    let computed: Vec<Duration> = (0..10)
        .map(|_| {
            let start = Instant::now();
            black_box(fresh(&repo)?);
            BenchResult::Ok(start.elapsed())
        })
        .collect::<BenchResult<_>>()?;
    let (cached_p50, cached_p99) = percentiles(cached);
    let (whole_p50, whole_p99) = percentiles(whole);
    let (fresh_p50, fresh_p99) = percentiles(computed);
    eprintln!(
        "snapshot from cache, repo (10,005 files): p50 {cached_p50:.2?}, p99 {cached_p99:.2?}"
    );
    eprintln!(
        "snapshot from cache, whole tree (50,005 files): p50 {whole_p50:.2?}, p99 {whole_p99:.2?}"
    );
    eprintln!("fresh walk + git status + git log, repo: p50 {fresh_p50:.2?}, p99 {fresh_p99:.2?}");
    eprintln!(
        "speed-up at p50: {:.0}x",
        fresh_p50.as_secs_f64() / cached_p50.as_secs_f64()
    );

    let elsewhere = tempfile::tempdir()?;
    let outside = generate_outside(elsewhere.path())?;
    let uncached = ContextEngine::start(ContextSettings {
        walk_ttl: Duration::ZERO,
        ..ContextSettings::new(vec![root.clone()])
    })?;
    let probe = uncached.snapshot_for(&request(&outside));
    eprintln!(
        "on-demand snapshot: {} files, {} dirs, {} omitted notes, repo read: {}, {} tokens",
        probe.directory.as_ref().map_or(0, |d| d.files),
        probe.directory.as_ref().map_or(0, |d| d.dirs),
        probe.omitted.len(),
        probe.repo.is_some(),
        probe.estimated_tokens,
    );
    let walked = timed(50, || {
        black_box(uncached.snapshot_for(black_box(&request(&outside))));
    });
    let reused = timed(2_000, || {
        black_box(context.snapshot_for(black_box(&request(&outside))));
    });
    let indexed = timed(2_000, || {
        black_box(context.snapshot_for(black_box(&request(&repo))));
    });
    let (walked_p50, walked_p99) = percentiles(walked);
    let (reused_p50, reused_p99) = percentiles(reused);
    let (indexed_p50, indexed_p99) = percentiles(indexed);
    eprintln!(
        "snapshot_for, 10,000 entries outside the roots, walk + git2 every time: p50 {walked_p50:.2?}, p99 {walked_p99:.2?}"
    );
    eprintln!(
        "snapshot_for, same folder, walk reused from the cache: p50 {reused_p50:.2?}, p99 {reused_p99:.2?}"
    );
    eprintln!(
        "snapshot_for with request words, indexed repo (10,005 files): p50 {indexed_p50:.2?}, p99 {indexed_p99:.2?}"
    );

    let mut criterion = Criterion::default()
        .configure_from_args()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3));
    criterion.bench_function("context/snapshot_from_cache", |b| {
        b.iter(|| context.snapshot(black_box(&repo), 1_500));
    });
    criterion.bench_function("context/snapshot_for_indexed_with_words", |b| {
        b.iter(|| context.snapshot_for(black_box(&request(&repo))));
    });
    criterion.bench_function("context/snapshot_for_outside_cached", |b| {
        b.iter(|| context.snapshot_for(black_box(&request(&outside))));
    });
    let mut group = criterion.benchmark_group("context/fresh");
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(10));
    group.bench_function("snapshot_for_outside_walk_git2", |b| {
        b.iter(|| uncached.snapshot_for(black_box(&request(&outside))));
    });
    group.bench_function("walk_git_status_log", |b| {
        b.iter(|| {
            fresh(black_box(&repo))
                .map(|(files, ..)| files)
                .unwrap_or(0)
        });
    });
    group.finish();
    criterion.final_summary();
    Ok(())
}
