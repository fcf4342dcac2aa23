//! rlimits and the process-group timeout on real, confined processes: a
//! process flood, a memory hog, a CPU spinner, an oversized file and a step
//! that ignores SIGTERM are all stopped. None of these need Landlock.
//!
//! The flood is bounded (200 sleeping processes), so a broken limit cannot
//! hurt the machine. `RLIMIT_NPROC` does not apply to root, but a step's
//! control group counts its processes for root too; only as root on a
//! machine without a pids controller does the timeout's kill alone stop it.

#![cfg(target_os = "linux")]

use std::time::Duration;

use engine::executor::OutcomeKind;
use engine::sandbox::job_write_roots;
use pretty_assertions::assert_eq;
use tempfile::TempDir;

use super::sandbox_support::{confined, group_members, policy, run};

const SIGTERM: i32 = 15;
const SIGKILL: i32 = 9;
const SIGXCPU: i32 = 24;

#[tokio::test]
async fn a_process_flood_is_contained_and_killed() {
    let (cwd, tmp) = (TempDir::new().unwrap(), TempDir::new().unwrap());
    let roots = job_write_roots(cwd.path(), tmp.path(), false);
    let script = "echo $$; for i in $(seq 200); do sleep 30 & echo started; done; wait";
    let mut command = confined(script, cwd.path(), tmp.path(), roots, &[]);
    policy(&mut command).limits.max_processes = 32;
    let outcome = run(&command, Duration::from_secs(3)).await;
    assert_eq!(outcome.kind, OutcomeKind::TimedOut, "{:?}", outcome.stderr);
    assert!(outcome.duration < Duration::from_secs(15), "{outcome:?}");
    let mut lines = outcome.stdout.lines();
    let group: i32 = lines.next().unwrap().parse().unwrap();
    assert_eq!(
        group_members(group),
        Vec::<i32>::new(),
        "processes survived"
    );
    let started = lines.filter(|l| *l == "started").count();
    if is_root() && !engine::lifetime::cgroup::support().limits_processes() {
        eprintln!(
            "running as root without a pids controller: RLIMIT_NPROC does not apply; \
             the timeout killed {started} processes"
        );
    } else {
        assert!(started < 200, "the process limit did not stop the flood");
    }
}

#[tokio::test]
async fn a_memory_hog_gets_memory_error() {
    let (cwd, tmp) = (TempDir::new().unwrap(), TempDir::new().unwrap());
    let roots = job_write_roots(cwd.path(), tmp.path(), false);
    let script = r#"python3 -c "x = bytearray(8 * 1024**3)""#;
    let mut command = confined(script, cwd.path(), tmp.path(), roots, &[]);
    policy(&mut command).limits.address_space_bytes = 256 * 1024 * 1024;
    let outcome = run(&command, Duration::from_secs(20)).await;
    assert_eq!(
        (outcome.kind, outcome.exit_code),
        (OutcomeKind::Exited, Some(1)),
        "{outcome:?}"
    );
    assert!(outcome.stderr.contains("MemoryError"), "{}", outcome.stderr);
}

#[tokio::test]
async fn a_cpu_spinner_is_stopped_by_the_cpu_limit() {
    let (cwd, tmp) = (TempDir::new().unwrap(), TempDir::new().unwrap());
    let roots = job_write_roots(cwd.path(), tmp.path(), false);
    let mut command = confined("while :; do :; done", cwd.path(), tmp.path(), roots, &[]);
    policy(&mut command).limits.cpu_secs = 1;
    let outcome = run(&command, Duration::from_secs(30)).await;
    assert_eq!(
        (outcome.kind, outcome.signal),
        (OutcomeKind::Exited, Some(SIGXCPU)),
        "{outcome:?}"
    );
}

#[tokio::test]
async fn a_file_cannot_grow_past_the_file_size_limit() {
    let (cwd, tmp) = (TempDir::new().unwrap(), TempDir::new().unwrap());
    let roots = job_write_roots(cwd.path(), tmp.path(), false);
    let script = r#"head -c 2097152 /dev/zero > big; echo "status=$?""#;
    let mut command = confined(script, cwd.path(), tmp.path(), roots, &[]);
    policy(&mut command).limits.file_size_bytes = 1024 * 1024;
    let outcome = run(&command, Duration::from_secs(20)).await;
    // 153 = 128 + SIGXFSZ.
    assert_eq!(outcome.stdout, "status=153\n", "{outcome:?}");
    let size = std::fs::metadata(cwd.path().join("big")).unwrap().len();
    assert_eq!(size, 1024 * 1024);
}

#[tokio::test]
async fn a_confined_step_ignoring_sigterm_is_killed_at_the_timeout() {
    let (cwd, tmp) = (TempDir::new().unwrap(), TempDir::new().unwrap());
    let roots = job_write_roots(cwd.path(), tmp.path(), false);
    let script = "trap '' TERM; echo $$; while :; do sleep 0.05; done";
    let command = confined(script, cwd.path(), tmp.path(), roots, &[]);
    let outcome = run(&command, Duration::from_millis(300)).await;
    assert_eq!(
        (outcome.kind, outcome.signal),
        (OutcomeKind::TimedOut, Some(SIGKILL)),
        "{outcome:?}"
    );
    assert_ne!(outcome.signal, Some(SIGTERM));
    let group: i32 = outcome.stdout.trim().parse().unwrap();
    assert_eq!(
        group_members(group),
        Vec::<i32>::new(),
        "processes survived"
    );
}

/// Whether the real user is root, to whom the kernel does not apply `RLIMIT_NPROC`.
fn is_root() -> bool {
    let status = std::fs::read_to_string("/proc/self/status").unwrap();
    let uid = status.lines().find_map(|l| l.strip_prefix("Uid:")).unwrap();
    uid.split_whitespace().next() == Some("0")
}
