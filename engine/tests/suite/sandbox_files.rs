//! Landlock filesystem rules on real processes: writes only inside the write
//! roots, safe steps write only their temp dir.

#![cfg(target_os = "linux")]

use std::time::Duration;

use engine::executor::OutcomeKind;
use engine::sandbox::{Enforcement, LandlockStatus, job_write_roots, landlock_status};
use pretty_assertions::assert_eq;
use tempfile::TempDir;

use super::sandbox_support::{confined, has_landlock, policy, run};

const TIMEOUT: Duration = Duration::from_secs(20);

#[tokio::test]
async fn writes_inside_the_write_roots_succeed_and_outside_fail() {
    if !has_landlock("writes_inside_the_write_roots_succeed_and_outside_fail") {
        return;
    }
    let (cwd, tmp, outside) = (
        TempDir::new().unwrap(),
        TempDir::new().unwrap(),
        TempDir::new().unwrap(),
    );
    std::fs::write(outside.path().join("kept"), "old").unwrap();
    let outside_path = outside.path().to_str().unwrap();
    let script = r#"
        touch inside && mkdir sub && echo hi > sub/f && echo hi > "$TMPDIR/t" && echo inside=ok
        echo discarded > /dev/null && echo devnull=ok
        touch "$OUTSIDE/new"; echo "create=$?"
        echo x >> "$OUTSIDE/kept"; echo "append=$?"
        rm -f "$OUTSIDE/kept"; echo "remove=$?"
        mv inside "$OUTSIDE/"; echo "move_out=$?"
    "#;
    let command = confined(
        script,
        cwd.path(),
        tmp.path(),
        job_write_roots(cwd.path(), tmp.path(), false),
        &[("OUTSIDE", outside_path)],
    );
    let outcome = run(&command, TIMEOUT).await;
    assert_eq!(
        outcome.stdout, "inside=ok\ndevnull=ok\ncreate=1\nappend=1\nremove=1\nmove_out=1\n",
        "{outcome:?}"
    );
    assert!(
        outcome.stderr.contains("Permission denied"),
        "{}",
        outcome.stderr
    );
    assert!(cwd.path().join("inside").exists() && tmp.path().join("t").exists());
    assert!(!outside.path().join("new").exists());
    assert_eq!(
        std::fs::read_to_string(outside.path().join("kept")).unwrap(),
        "old"
    );
    let LandlockStatus::Available { abi, network } = landlock_status() else {
        unreachable!("checked above")
    };
    assert_eq!(
        outcome.sandbox,
        Some(Enforcement {
            landlock_abi: Some(abi),
            writes_confined: true,
            network_denied: network,
        })
    );
}

#[tokio::test]
async fn a_read_only_step_may_write_only_its_temp_dir() {
    if !has_landlock("a_read_only_step_may_write_only_its_temp_dir") {
        return;
    }
    let (cwd, tmp) = (TempDir::new().unwrap(), TempDir::new().unwrap());
    std::fs::write(cwd.path().join("data"), "keep").unwrap();
    let mut command = confined(
        r#"cat data; echo t > "$TMPDIR/t" && echo tmp=ok; echo x > data; echo "overwrite=$?"; touch new; echo "create=$?""#,
        cwd.path(),
        tmp.path(),
        job_write_roots(cwd.path(), tmp.path(), true),
        &[],
    );
    command.read_only = true;
    let outcome = run(&command, TIMEOUT).await;
    assert_eq!(
        outcome.stdout, "keeptmp=ok\noverwrite=1\ncreate=1\n",
        "{outcome:?}"
    );
    assert_eq!(
        std::fs::read_to_string(cwd.path().join("data")).unwrap(),
        "keep"
    );
    assert!(!cwd.path().join("new").exists());
}

#[tokio::test]
async fn a_missing_write_root_fails_to_start() {
    if !has_landlock("a_missing_write_root_fails_to_start") {
        return;
    }
    let (cwd, tmp) = (TempDir::new().unwrap(), TempDir::new().unwrap());
    let missing = tmp.path().join("absent");
    let mut command = confined("true", cwd.path(), tmp.path(), Vec::new(), &[]);
    policy(&mut command).write_roots = vec![missing];
    let outcome = run(&command, TIMEOUT).await;
    assert_eq!(outcome.kind, OutcomeKind::FailedToStart, "{outcome:?}");
    assert!(
        outcome
            .stderr
            .starts_with("could not set up the sandbox: cannot open a path"),
        "{}",
        outcome.stderr
    );
}

#[tokio::test]
async fn a_confined_step_cannot_signal_processes_outside_it() {
    let LandlockStatus::Available { abi, .. } = landlock_status() else {
        eprintln!("skipping a_confined_step_cannot_signal_processes_outside_it: no Landlock");
        return;
    };
    let outsider = std::process::Command::new("sleep")
        .arg("30")
        .spawn()
        .unwrap();
    let (cwd, tmp) = (TempDir::new().unwrap(), TempDir::new().unwrap());
    let roots = job_write_roots(cwd.path(), tmp.path(), false);
    let script = format!(
        "kill -0 {} && echo reached || echo blocked; sleep 0.1 & kill -0 $! && echo own=ok",
        outsider.id()
    );
    let command = confined(&script, cwd.path(), tmp.path(), roots, &[]);
    let outcome = run(&command, TIMEOUT).await;
    let mut outsider = outsider;
    outsider.kill().unwrap();
    outsider.wait().unwrap();
    // Signal scoping needs Landlock ABI 6; older kernels cannot block it.
    let expected = if abi >= 6 { "blocked" } else { "reached" };
    assert!(outcome.stdout.contains(expected), "ABI {abi}: {outcome:?}");
    assert!(outcome.stdout.contains("own=ok"), "{outcome:?}");
}
