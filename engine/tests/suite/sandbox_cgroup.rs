//! A control group per step, on real processes: a process that leaves the
//! step's process group with `setsid` still dies at the timeout and when the
//! step ends, and a job's processes share one memory ceiling. These need a
//! machine where DevOS may make control groups (as `devos doctor` reports);
//! the first assertion of each test says so when it may not.

#![cfg(target_os = "linux")]

use std::time::Duration;

use engine::executor::{OutcomeKind, StepOutcome};
use engine::lifetime::cgroup::{KillMechanism, support};
use engine::sandbox::job_write_roots;
use tempfile::TempDir;

use super::sandbox_support::{confined, is_gone, policy, run};

/// Starts `sleep 600` in a new session (out of the step's process group),
/// writes its pid to `$TMPDIR/escapee`, waits until it is there and prints
/// it; then runs `rest`.
fn escape_then(rest: &str) -> String {
    format!(
        "setsid bash -c 'echo $$ > \"$TMPDIR/escapee\"; exec sleep 600' < /dev/null > /dev/null 2>&1 &
         for _ in $(seq 200); do [ -s \"$TMPDIR/escapee\" ] && break; sleep 0.01; done
         cat \"$TMPDIR/escapee\"; {rest}"
    )
}

fn assert_kills_by_control_group() {
    let mechanism = support().kill_mechanism();
    assert!(
        matches!(mechanism, KillMechanism::ControlGroup { .. }),
        "this machine gives steps no control group, so setsid escapes: {mechanism:?}"
    );
}

fn escapee(outcome: &StepOutcome) -> i32 {
    let line = outcome.stdout.lines().next().unwrap_or_default();
    line.trim()
        .parse()
        .unwrap_or_else(|_| panic!("no escapee pid: {outcome:?}"))
}

/// Polls until `pid` is gone (the kill is asynchronous), for up to 5 s.
fn wait_gone(pid: i32) -> bool {
    let deadline = std::time::Instant::now() + Duration::from_secs(5);
    while !is_gone(pid) {
        if std::time::Instant::now() > deadline {
            return false;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    true
}

#[tokio::test]
async fn a_process_that_calls_setsid_does_not_outlive_the_timeout() {
    assert_kills_by_control_group();
    let (cwd, tmp) = (TempDir::new().unwrap(), TempDir::new().unwrap());
    let roots = job_write_roots(cwd.path(), tmp.path(), false);
    let command = confined(&escape_then("wait"), cwd.path(), tmp.path(), roots, &[]);
    let outcome = run(&command, Duration::from_secs(2)).await;
    assert_eq!(outcome.kind, OutcomeKind::TimedOut, "{outcome:?}");
    let pid = escapee(&outcome);
    assert!(
        wait_gone(pid),
        "the setsid process {pid} survived the timeout"
    );
}

#[tokio::test]
async fn a_process_that_calls_setsid_ends_with_its_step() {
    assert_kills_by_control_group();
    let (cwd, tmp) = (TempDir::new().unwrap(), TempDir::new().unwrap());
    let roots = job_write_roots(cwd.path(), tmp.path(), false);
    let command = confined(&escape_then("true"), cwd.path(), tmp.path(), roots, &[]);
    let outcome = run(&command, Duration::from_secs(30)).await;
    assert_eq!(
        (outcome.kind, outcome.exit_code),
        (OutcomeKind::Exited, Some(0)),
        "{outcome:?}"
    );
    let pid = escapee(&outcome);
    assert!(wait_gone(pid), "the setsid process {pid} outlived its step");
}

/// Two processes of 96 MiB each: apart they fit in 128 MiB, together they do not.
const TWO_HOGS: &str = "
    hog() { python3 -c 'import time; a = b\"x\" * (96 << 20); time.sleep(1.5)'; }
    hog & hog; wait";

#[tokio::test]
async fn a_job_memory_ceiling_holds_for_all_its_processes_together() {
    assert!(
        support().memory_ceiling().is_some(),
        "this machine gives steps no memory controller"
    );
    let (cwd, tmp) = (TempDir::new().unwrap(), TempDir::new().unwrap());
    let roots = job_write_roots(cwd.path(), tmp.path(), false);
    let mut command = confined(TWO_HOGS, cwd.path(), tmp.path(), roots, &[]);
    policy(&mut command).limits.job_memory_bytes = 128 << 20;
    let outcome = run(&command, Duration::from_secs(30)).await;
    assert!(
        outcome.stderr.contains("reached its memory ceiling"),
        "{outcome:?}"
    );

    // The same step under a ceiling that fits both runs clean.
    policy(&mut command).limits.job_memory_bytes = 1 << 30;
    let outcome = run(&command, Duration::from_secs(30)).await;
    assert_eq!(outcome.exit_code, Some(0), "{outcome:?}");
    assert!(!outcome.stderr.contains("memory ceiling"), "{outcome:?}");
}
