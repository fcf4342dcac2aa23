//! Real child processes run through `engine::executor`.

#![cfg(target_os = "linux")]

use std::ffi::OsString;
use std::path::Path;
use std::time::Duration;

use engine::executor::{
    ExecLimits, Interpreter, OutcomeKind, OutputLine, OutputStream, StepCommand, StepOutcome,
    run_step, run_step_reporting,
};
use pretty_assertions::assert_eq;
use tempfile::TempDir;
use tokio::sync::{mpsc, oneshot};
use tokio_util::sync::CancellationToken;

use super::sandbox_support::is_gone;

const LIMITS: ExecLimits = ExecLimits {
    timeout: Duration::from_secs(20),
    output_cap_bytes: 1024 * 1024,
};

fn step(interpreter: Interpreter, script: &str, dir: &Path, env: &[(&str, &str)]) -> StepCommand {
    let mut parent_env: Vec<(OsString, OsString)> =
        vec![("PATH".into(), std::env::var_os("PATH").unwrap_or_default())];
    parent_env.extend(
        env.iter()
            .map(|(k, v)| (OsString::from(k), OsString::from(v))),
    );
    StepCommand {
        interpreter,
        script: script.to_owned(),
        cwd: dir.to_path_buf(),
        tmp_dir: dir.join("tmp"),
        parent_env,
        pass_env: Vec::new(),
        read_only: false,
        sandbox: None,
    }
}

async fn run(command: &StepCommand, limits: ExecLimits) -> (StepOutcome, Vec<OutputLine>) {
    let (tx, mut rx) = mpsc::unbounded_channel();
    let outcome = run_step(command, limits, &CancellationToken::new(), &tx).await;
    drop(tx);
    let mut lines = Vec::new();
    while let Some(line) = rx.recv().await {
        lines.push(line);
    }
    (outcome, lines)
}

#[tokio::test]
async fn output_is_captured_and_streamed_in_order() {
    let dir = TempDir::new().unwrap();
    let command = step(
        Interpreter::Bash,
        "echo one; echo two >&2; echo three; pwd",
        dir.path(),
        &[],
    );
    let (outcome, lines) = run(&command, LIMITS).await;
    assert!(outcome.is_success(), "{outcome:?}");
    let cwd = dir.path().display().to_string();
    assert_eq!(outcome.stdout, format!("one\nthree\n{cwd}\n"));
    assert_eq!(outcome.stderr, "two\n");
    let stdout: Vec<&str> = lines
        .iter()
        .filter(|l| l.stream == OutputStream::Stdout)
        .map(|l| l.text.as_str())
        .collect();
    assert_eq!(stdout, ["one", "three", cwd.as_str()]);
    assert!(lines.contains(&OutputLine {
        stream: OutputStream::Stderr,
        text: "two".into()
    }));
}

#[tokio::test]
async fn non_zero_exit_code_is_reported() {
    let dir = TempDir::new().unwrap();
    let (outcome, _) = run(&step(Interpreter::Bash, "exit 3", dir.path(), &[]), LIMITS).await;
    assert_eq!(
        (outcome.kind, outcome.exit_code, outcome.signal),
        (OutcomeKind::Exited, Some(3), None)
    );
    assert!(!outcome.is_success());
}

#[tokio::test]
async fn secrets_do_not_reach_the_child_and_tmpdir_is_set() {
    let dir = TempDir::new().unwrap();
    let env = [
        ("AWS_SECRET_ACCESS_KEY", "s1"),
        ("AWS_PROFILE", "s2"),
        ("GITHUB_TOKEN", "s3"),
        ("DEVOS_OPENAI_API_KEY", "s4"),
        ("DB_PASSWORD", "s5"),
        ("my_secret", "s6"),
        ("EDITOR", "vim"),
        ("LANG", "C.UTF-8"),
        ("PGPASSWORD", "s7"),
        ("DATABASE_URL", "s8"),
        ("SSH_AUTH_SOCK", "s9"),
        ("TMPDIR", "/elsewhere"),
    ];
    let command = step(Interpreter::Bash, "env", dir.path(), &env);
    let (outcome, _) = run(&command, LIMITS).await;
    assert!(outcome.is_success(), "{outcome:?}");
    for secret in ["s1", "s2", "s3", "s4", "s5", "s6", "s7", "s8", "s9"] {
        assert!(
            !outcome.stdout.contains(&format!("={secret}\n")),
            "{secret} leaked"
        );
    }
    // Only allow-listed variables pass: an editor or a socket address would not.
    assert!(
        !outcome.stdout.contains("EDITOR=vim\n"),
        "{}",
        outcome.stdout
    );
    assert!(
        outcome.stdout.contains("LANG=C.UTF-8\n"),
        "{}",
        outcome.stdout
    );
    let tmp = format!("TMPDIR={}\n", dir.path().join("tmp").display());
    assert!(outcome.stdout.contains(&tmp), "{}", outcome.stdout);
}

#[tokio::test]
async fn timeout_kills_the_child_and_its_grandchild() {
    let dir = TempDir::new().unwrap();
    let limits = ExecLimits {
        timeout: Duration::from_millis(300),
        ..LIMITS
    };
    let command = step(
        Interpreter::Bash,
        "sleep 30 & echo $!; sleep 30",
        dir.path(),
        &[],
    );
    let (outcome, _) = run(&command, limits).await;
    assert_eq!(outcome.kind, OutcomeKind::TimedOut, "{outcome:?}");
    assert_eq!(outcome.signal, Some(15));
    assert!(outcome.duration < Duration::from_secs(10));
    let grandchild: i32 = outcome.stdout.trim().parse().unwrap();
    assert!(is_gone(grandchild), "grandchild {grandchild} survived");
}

#[tokio::test]
async fn a_step_ignoring_sigterm_is_killed() {
    let dir = TempDir::new().unwrap();
    let limits = ExecLimits {
        timeout: Duration::from_millis(300),
        ..LIMITS
    };
    let command = step(
        Interpreter::Bash,
        "trap '' TERM; echo ready; while :; do sleep 0.05; done",
        dir.path(),
        &[],
    );
    let (outcome, _) = run(&command, limits).await;
    assert_eq!(
        (outcome.kind, outcome.signal),
        (OutcomeKind::TimedOut, Some(9)),
        "{outcome:?}"
    );
    assert_eq!(outcome.stdout, "ready\n");
}

#[tokio::test]
async fn cancelling_kills_the_group() {
    let dir = TempDir::new().unwrap();
    let command = step(
        Interpreter::Bash,
        "sleep 30 & echo $!; sleep 30",
        dir.path(),
        &[],
    );
    let cancel = CancellationToken::new();
    let (tx, mut rx) = mpsc::unbounded_channel();
    let running = tokio::spawn({
        let cancel = cancel.clone();
        async move { run_step(&command, LIMITS, &cancel, &tx).await }
    });
    // Cancel once the step has shown it is running.
    let first = rx.recv().await.unwrap();
    cancel.cancel();
    let outcome = running.await.unwrap();
    assert_eq!(outcome.kind, OutcomeKind::Cancelled, "{outcome:?}");
    assert!(outcome.duration < Duration::from_secs(10));
    let grandchild: i32 = first.text.parse().unwrap();
    assert!(is_gone(grandchild), "grandchild {grandchild} survived");
}

#[tokio::test]
async fn output_past_the_cap_is_truncated_with_a_marker() {
    let dir = TempDir::new().unwrap();
    let limits = ExecLimits {
        output_cap_bytes: 10_000,
        ..LIMITS
    };
    let command = step(
        Interpreter::Bash,
        "yes | head -c 5000000; echo done >&2",
        dir.path(),
        &[],
    );
    let (outcome, lines) = run(&command, limits).await;
    assert!(
        outcome.is_success(),
        "{:?}",
        (outcome.kind, outcome.exit_code)
    );
    assert!(outcome.truncated);
    assert_eq!(
        outcome.stdout.len(),
        10_000 + "[output truncated after 10000 bytes]\n".len()
    );
    assert!(
        outcome
            .stdout
            .ends_with("y\n[output truncated after 10000 bytes]\n")
    );
    assert_eq!(outcome.stderr, "", "nothing is stored past the cap");
    assert_eq!(lines.len(), 5001);
}

#[tokio::test]
async fn python_step_runs() {
    let dir = TempDir::new().unwrap();
    let command = step(
        Interpreter::Python,
        "import sys\nprint(6 * 7)\nprint('to stderr', file=sys.stderr)",
        dir.path(),
        &[],
    );
    let (outcome, _) = run(&command, LIMITS).await;
    assert!(outcome.is_success(), "{outcome:?}");
    assert_eq!(
        (outcome.stdout.as_str(), outcome.stderr.as_str()),
        ("42\n", "to stderr\n")
    );
}

#[tokio::test]
async fn missing_working_directory_fails_to_start() {
    let dir = TempDir::new().unwrap();
    let command = step(Interpreter::Bash, "true", &dir.path().join("absent"), &[]);
    let (outcome, _) = run(&command, LIMITS).await;
    assert_eq!(
        (outcome.kind, outcome.exit_code),
        (OutcomeKind::FailedToStart, None)
    );
    assert!(
        outcome.stderr.starts_with("could not start bash"),
        "{}",
        outcome.stderr
    );
}

#[tokio::test]
async fn a_step_asks_to_die_with_devos_and_leads_its_own_group() {
    let dir = TempDir::new().unwrap();
    // PR_GET_PDEATHSIG is 2; the setting survives exec of a non-set-uid program.
    let command = step(
        Interpreter::Python,
        "import ctypes, os\n\
         signal = ctypes.c_int(-1)\n\
         assert ctypes.CDLL(None, use_errno=True).prctl(2, ctypes.byref(signal)) == 0\n\
         print(signal.value, os.getpgid(0) == os.getpid(), os.getsid(0) != os.getpid())",
        dir.path(),
        &[],
    );
    let (outcome, _) = run(&command, LIMITS).await;
    assert!(outcome.is_success(), "{outcome:?}");
    assert_eq!(
        outcome.stdout, "9 True True\n",
        "SIGKILL, own group, same session"
    );
}

#[tokio::test]
async fn a_running_step_reports_its_process_group_and_runner() {
    let dir = TempDir::new().unwrap();
    let command = step(Interpreter::Bash, "echo $$; sleep 30", dir.path(), &[]);
    let cancel = CancellationToken::new();
    let (tx, mut rx) = mpsc::unbounded_channel();
    let (started, process) = oneshot::channel();
    let running = tokio::spawn({
        let cancel = cancel.clone();
        async move { run_step_reporting(&command, LIMITS, &cancel, &tx, started).await }
    });
    let process = process.await.unwrap();
    let leader: i32 = rx.recv().await.unwrap().text.parse().unwrap();
    assert_eq!(process.leader.pid, leader);
    assert!(process.leader.is_alive());
    assert!(process.is_runner_alive(), "the runner is this test process");
    assert_eq!(
        process.runner.pid,
        i32::try_from(std::process::id()).unwrap()
    );
    cancel.cancel();
    assert_eq!(running.await.unwrap().kind, OutcomeKind::Cancelled);
    assert!(is_gone(leader));
    assert!(!process.leader.is_alive());
}
