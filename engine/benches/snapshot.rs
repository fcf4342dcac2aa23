//! Undo snapshot benchmark: synthetic write roots of 10,000 and 50,000 files
//! (50 files of about 200 bytes per folder). For each: the cold (first)
//! snapshot's time and the bytes it adds to the store, then the warm
//! snapshot after 10 files changed (criterion), with the bytes each warm
//! snapshot adds. Then the overhead a job pays in a 1,000-file folder: the
//! `before` and `after` snapshots around a one-line command, warm.
//! Results go to stderr and into criterion's report; docs/BENCHMARKS.md
//! records a run.

use std::fs;
use std::hint::black_box;
use std::path::Path;
use std::time::{Duration, Instant};

use criterion::Criterion;
use engine::snapshot::{Limits, SnapshotStore};

type BenchResult<T = ()> = Result<T, Box<dyn std::error::Error>>;

const FILES_PER_DIR: usize = 50;

fn limits() -> Limits {
    Limits {
        max_files: 1_000_000,
        max_bytes: 1 << 40,
        skip: vec!["node_modules".into(), "target".into()],
    }
}

fn now_ns() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_nanos()).unwrap_or(i64::MAX))
}

fn build_tree(root: &Path, files: usize) -> BenchResult {
    for i in 0..files {
        let dir = root.join(format!("d{:03}/s{:03}", i / 1000, (i / FILES_PER_DIR) % 20));
        if i % FILES_PER_DIR == 0 {
            fs::create_dir_all(&dir)?;
        }
        let body = format!("file {i}: {}\n", "lorem ipsum dolor sit amet ".repeat(7));
        fs::write(dir.join(format!("f{i}.txt")), body)?;
    }
    Ok(())
}

fn change(root: &Path, files: usize, round: usize) -> BenchResult {
    for k in 0..10 {
        let i = (round * 7919 + k * 997) % files;
        let dir = root.join(format!("d{:03}/s{:03}", i / 1000, (i / FILES_PER_DIR) % 20));
        fs::write(
            dir.join(format!("f{i}.txt")),
            format!("changed in round {round}\n"),
        )?;
    }
    Ok(())
}

fn bench_root(c: &mut Criterion, files: usize) -> BenchResult {
    let data = tempfile::tempdir()?;
    let root = tempfile::tempdir()?;
    build_tree(root.path(), files)?;
    // Files written less than a second before a snapshot are read again by
    // the next one (racily clean), so let the tree settle as a real one has.
    std::thread::sleep(Duration::from_millis(1100));
    let mut store = SnapshotStore::open(&data.path().join("snapshots"))?;
    let started = Instant::now();
    let cold = store.take(root.path(), &limits(), None, now_ns())?;
    let cold_time = started.elapsed();
    let cold_bytes = store.size();
    eprintln!(
        "snapshot {files} files: cold {cold_time:?}, {} files hashed, store {cold_bytes} B ({} B of content)",
        cold.hashed, cold.bytes
    );
    let mut round = 0;
    let mut added = Vec::new();
    c.bench_function(&format!("snapshot_warm_{files}_files_10_changed"), |b| {
        b.iter_custom(|iterations| {
            let mut total = Duration::ZERO;
            for _ in 0..iterations {
                round += 1;
                if change(root.path(), files, round).is_err() {
                    return Duration::MAX;
                }
                let size = store.size();
                let started = Instant::now();
                let taken = store.take(root.path(), &limits(), None, now_ns());
                total += started.elapsed();
                black_box(&taken);
                added.push(store.size().saturating_sub(size));
            }
            total
        });
    });
    added.sort_unstable();
    eprintln!(
        "snapshot {files} files: warm snapshot adds {} B to the store (median of {})",
        added.get(added.len() / 2).copied().unwrap_or(0),
        added.len()
    );
    Ok(())
}

fn bench_step_overhead(c: &mut Criterion) -> BenchResult {
    let data = tempfile::tempdir()?;
    let root = tempfile::tempdir()?;
    build_tree(root.path(), 1000)?;
    std::thread::sleep(Duration::from_millis(1100));
    let mut store = SnapshotStore::open(&data.path().join("snapshots"))?;
    let started = Instant::now();
    store.take(root.path(), &limits(), None, now_ns())?;
    eprintln!(
        "step overhead, 1,000 files: first snapshot of the folder {:?}",
        started.elapsed()
    );
    let target = root.path().join("d000/s000/f1.txt");
    let mut round = 0u64;
    c.bench_function("step_overhead_1000_files_before_and_after", |b| {
        b.iter(|| {
            round += 1;
            let before = store.take(root.path(), &limits(), None, now_ns());
            // The one-line command: `echo … > d000/s000/f1.txt`.
            let written = fs::write(&target, format!("round {round}\n"));
            let after = store.take(root.path(), &limits(), None, now_ns());
            black_box((before, written, after))
        });
    });
    Ok(())
}

fn main() -> BenchResult {
    let mut criterion = Criterion::default().sample_size(10).configure_from_args();
    for files in [10_000, 50_000] {
        bench_root(&mut criterion, files)?;
    }
    bench_step_overhead(&mut criterion)?;
    criterion.final_summary();
    Ok(())
}
