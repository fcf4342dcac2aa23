//! Runs one `bash` or `python` step as a real child process and reports what
//! happened. It owns process lifetime (own process group, wall-clock timeout,
//! cancellation), the step's environment and output capture. It does not rate
//! risk or decide whether a step may run, and it does not journal anything:
//! the pipeline snapshots a step's write roots before it runs (`snapshot`).
//!
//! Every step runs in its own process group so that a timeout or a
//! cancellation reaches grandchildren too (`bash -c 'sleep 30 & …'`), and no
//! process of a finished step outlives it; where the machine allows, also in
//! its own control group, which holds even what left the process group
//! (`setsid`) and carries the job's memory ceiling
//! ([`crate::lifetime::cgroup`]). Nor does any outlive DevOS: steps
//! are forked through [`crate::lifetime`] (parent-death signal, the reaper). With a [`SandboxPolicy`] the child
//! is confined (Landlock, rlimits, `no_new_privs`) before the interpreter
//! starts; see [`crate::sandbox`]. The process-group timeout is also what
//! ends a process flood when `RLIMIT_NPROC` does not apply (DevOS as root).

use std::ffi::OsString;
use std::io;
use std::os::unix::process::ExitStatusExt;
use std::path::PathBuf;
use std::process::{ExitStatus, Stdio};
use std::time::Duration;

use nix::sys::signal::{Signal, killpg};
use nix::unistd::Pid;
use serde::{Deserialize, Serialize};
use tokio::io::{AsyncBufRead, AsyncBufReadExt, BufReader};
use tokio::process::Command;
use tokio::sync::mpsc::UnboundedSender;
use tokio::sync::oneshot;
use tokio::time::{Instant, sleep_until};
use tokio_util::sync::CancellationToken;

use crate::lifetime::cgroup::{GroupLimits, StepCgroup};
use crate::lifetime::{self, Process, StepProcess, reaper};
use crate::sandbox::{self, Enforcement, PreparedSandbox, SandboxPolicy};

/// How long a process group gets between SIGTERM and SIGKILL, and how long we
/// keep reading after SIGKILL before giving up on a pipe held by an escapee.
const KILL_GRACE: Duration = Duration::from_millis(1000);

/// Lines longer than this are forwarded in pieces, so one huge line cannot
/// hold unbounded memory.
const MAX_LINE_BYTES: usize = 64 * 1024;

/// Limits applied to every step.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ExecLimits {
    /// Wall-clock time after which the whole process group is killed.
    pub timeout: Duration,
    /// Total stdout + stderr bytes kept and forwarded; the rest is drained and dropped.
    pub output_cap_bytes: u64,
}

/// The interpreter a step runs under.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Interpreter {
    /// `bash -c SCRIPT`.
    Bash,
    /// `python3 -c PROGRAM`.
    Python,
}

impl Interpreter {
    fn program(self) -> &'static str {
        match self {
            Self::Bash => "bash",
            Self::Python => "python3",
        }
    }
}

/// Everything needed to start one step.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StepCommand {
    /// Which interpreter runs `script`.
    pub interpreter: Interpreter,
    /// The script or program text, passed with `-c`.
    pub script: String,
    /// Working directory of the child.
    pub cwd: PathBuf,
    /// The job's private temp dir, exported as `TMPDIR`.
    pub tmp_dir: PathBuf,
    /// The environment to start from (normally `std::env::vars_os()`); secrets
    /// are removed by [`clean_env`] before the child sees it.
    pub parent_env: Vec<(OsString, OsString)>,
    /// Extra variable names passed through (`sandbox.pass_env`).
    pub pass_env: Vec<String>,
    /// The engine rated the step safe: it only reads. Such a step also gets
    /// `GIT_OPTIONAL_LOCKS=0`, so `git status` does not try to refresh the
    /// index; its sandbox should make nothing but the temp dir writable
    /// ([`crate::sandbox::job_write_roots`]), so git cannot write `.git` anyway.
    pub read_only: bool,
    /// How the child is confined; `None` runs it unconfined (only the
    /// process group, timeout, clean environment and output cap apply).
    pub sandbox: Option<SandboxPolicy>,
}

/// Which pipe a line came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OutputStream {
    /// The child's standard output.
    Stdout,
    /// The child's standard error.
    Stderr,
}

/// One line of output, sent as soon as it is read (without its newline).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutputLine {
    /// Where it came from.
    pub stream: OutputStream,
    /// The text, with invalid UTF-8 replaced.
    pub text: String,
}

/// How a step ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OutcomeKind {
    /// The process ended by itself (any exit code, or killed by a signal we did not send).
    Exited,
    /// The wall-clock timeout elapsed and the group was killed.
    TimedOut,
    /// The step was cancelled and the group was killed.
    Cancelled,
    /// The interpreter could not be started; `stderr` says why.
    FailedToStart,
}

/// The result of running a step.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StepOutcome {
    /// How the step ended.
    pub kind: OutcomeKind,
    /// The exit code, when the process exited normally.
    pub exit_code: Option<i32>,
    /// The signal that ended the process, when one did.
    pub signal: Option<i32>,
    /// Captured standard output (up to the cap), one `\n` after each line.
    pub stdout: String,
    /// Captured standard error (up to the cap), one `\n` after each line.
    pub stderr: String,
    /// Whether output went past the cap and was dropped.
    pub truncated: bool,
    /// Wall-clock time from start to end.
    pub duration: Duration,
    /// What the sandbox enforced, when the step was started with one.
    pub sandbox: Option<Enforcement>,
}

impl StepOutcome {
    /// Whether the step exited by itself with code 0.
    pub fn is_success(&self) -> bool {
        self.kind == OutcomeKind::Exited && self.exit_code == Some(0)
    }
}

/// Variables every step gets from DevOS's own environment; nothing else
/// passes unless `sandbox.pass_env` names it.
pub const PASSED_ENV: &[&str] = &[
    "PATH", "HOME", "LANG", "LANGUAGE", "TERM", "USER", "LOGNAME", "SHELL", "TZ",
];

/// Keeps only the allow-listed variables of `parent` (`PATH`, `HOME`,
/// `LANG`, `LC_*`, `TERM`, `USER`, `LOGNAME`, `SHELL`, `TZ` and the names in
/// `pass`), so secrets such as `PGPASSWORD`, `DATABASE_URL`, `AWS_*`,
/// `SSH_AUTH_SOCK`, `DBUS_SESSION_BUS_ADDRESS` or `DISPLAY` never reach a
/// step, and points `TMPDIR` at `tmp_dir`. `PYTHONUNBUFFERED=1` is set so
/// Python output streams line by line.
pub fn clean_env(
    parent: &[(OsString, OsString)],
    pass: &[String],
    tmp_dir: &std::path::Path,
) -> Vec<(OsString, OsString)> {
    let mut env: Vec<(OsString, OsString)> = parent
        .iter()
        .filter(|(name, _)| {
            let name = name.to_string_lossy();
            PASSED_ENV.contains(&name.as_ref())
                || name.starts_with("LC_")
                || pass.iter().any(|p| *p == name)
        })
        .cloned()
        .collect();
    env.push(("TMPDIR".into(), tmp_dir.as_os_str().to_owned()));
    env.push(("PYTHONUNBUFFERED".into(), "1".into()));
    env
}

/// Runs `step` to completion, forwarding each output line to `lines` as it
/// arrives (a closed receiver is ignored). Never returns an error: a failure
/// to start is reported as [`OutcomeKind::FailedToStart`].
pub async fn run_step(
    step: &StepCommand,
    limits: ExecLimits,
    cancel: &CancellationToken,
    lines: &UnboundedSender<OutputLine>,
) -> StepOutcome {
    let (started, _) = oneshot::channel();
    run_step_reporting(step, limits, cancel, lines, started).await
}

/// [`run_step`], also sending the step's [`StepProcess`] to `started` as
/// soon as its process runs (nothing is sent when it never starts, or when
/// `/proc` cannot tell), so the caller can record it.
pub async fn run_step_reporting(
    step: &StepCommand,
    limits: ExecLimits,
    cancel: &CancellationToken,
    lines: &UnboundedSender<OutputLine>,
    started_process: oneshot::Sender<StepProcess>,
) -> StepOutcome {
    let started = Instant::now();
    let mut capture = Capture::new(limits.output_cap_bytes, lines);
    if cancel.is_cancelled() {
        return capture.finish(OutcomeKind::Cancelled, None, started);
    }
    let prepared = match step.sandbox.as_ref().map(PreparedSandbox::prepare) {
        None => None,
        Some(Ok(prepared)) => Some(prepared),
        Some(Err(err)) => {
            capture.push(
                OutputStream::Stderr,
                format!("could not set up the sandbox: {err}"),
            );
            return capture.finish(OutcomeKind::FailedToStart, None, started);
        }
    };
    let mut env = clean_env(&step.parent_env, &step.pass_env, &step.tmp_dir);
    if step.read_only {
        // Later entries win, so this overrides an inherited value.
        env.push(("GIT_OPTIONAL_LOCKS".into(), "0".into()));
    }
    let mut command = Command::new(step.interpreter.program());
    command
        .arg("-c")
        .arg(&step.script)
        .current_dir(&step.cwd)
        .env_clear()
        .envs(env)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true);
    // First, so that the child is tied to DevOS before anything else runs;
    // then into its control group, which Landlock would no longer allow.
    sandbox::tie_to_devos(&mut command);
    let cgroup = StepCgroup::create(group_limits(step.sandbox.as_ref()));
    if let Some(cgroup) = &cgroup {
        cgroup.install(&mut command);
    }
    if let Some(prepared) = prepared {
        let enforcement = prepared.enforcement();
        tracing::debug!(?enforcement, "step sandboxed");
        capture.sandbox = Some(enforcement);
        prepared.install(&mut command);
    }
    let mut child = match lifetime::spawn(command).await {
        Ok(child) => child,
        Err(err) => {
            capture.push(
                OutputStream::Stderr,
                format!("could not start {}: {err}", step.interpreter.program()),
            );
            return capture.finish(OutcomeKind::FailedToStart, None, started);
        }
    };
    // Kills whatever is left of the group when this function returns or its
    // future is dropped.
    let pid = child.id().and_then(|id| i32::try_from(id).ok());
    let mut group = GroupGuard::new(pid, cgroup);
    if let Some(process) = group.leader.and_then(StepProcess::started_by_us) {
        // The receiver may be gone (nobody records it); the step still runs.
        let _ = started_process.send(process);
    }
    let (Some(stdout), Some(stderr)) = (child.stdout.take(), child.stderr.take()) else {
        capture.push(OutputStream::Stderr, "child pipes missing".to_owned());
        return capture.finish(OutcomeKind::FailedToStart, None, started);
    };
    let mut out = LineReader::new(BufReader::new(stdout));
    let mut err = LineReader::new(BufReader::new(stderr));
    let (mut out_done, mut err_done) = (false, false);
    let mut status: Option<ExitStatus> = None;
    let mut exited = false;
    let mut kind = OutcomeKind::Exited;
    let mut phase = Phase::Running {
        deadline: started + limits.timeout,
    };

    while !(out_done && err_done && exited) {
        tokio::select! {
            line = out.next_line(), if !out_done => match line {
                Ok(Some(text)) => capture.push(OutputStream::Stdout, text),
                Ok(None) | Err(_) => out_done = true,
            },
            line = err.next_line(), if !err_done => match line {
                Ok(Some(text)) => capture.push(OutputStream::Stderr, text),
                Ok(None) | Err(_) => err_done = true,
            },
            waited = child.wait(), if !exited => {
                exited = true;
                status = waited.ok();
                group.signal(Signal::SIGKILL);
                phase = Phase::Draining { give_up: Instant::now() + KILL_GRACE };
            },
            () = cancel.cancelled(), if phase.is_running() => {
                kind = OutcomeKind::Cancelled;
                phase = phase.terminate(&group);
            },
            () = sleep_until(phase.wake_at()) => match phase {
                Phase::Running { .. } => {
                    kind = OutcomeKind::TimedOut;
                    phase = phase.terminate(&group);
                }
                Phase::Terminating { .. } => {
                    group.signal(Signal::SIGKILL);
                    phase = Phase::Draining { give_up: Instant::now() + KILL_GRACE };
                }
                // Something left the group and still holds a pipe: stop reading.
                Phase::Draining { .. } => break,
            },
        }
    }
    if !exited {
        group.signal(Signal::SIGKILL);
        status = child.wait().await.ok();
    }
    if let Some(cgroup) = group.cgroup.take() {
        let oom_kills = cgroup.oom_kills();
        if oom_kills > 0 {
            capture.push(
                OutputStream::Stderr,
                format!(
                    "devos: the step reached its memory ceiling (sandbox.job_memory_mb); \
                     the kernel killed {oom_kills} of its processes"
                ),
            );
        }
        cgroup.remove().await;
    }
    capture.finish(kind, status, started)
}

/// What a step's control group limits for all its processes together; an
/// unconfined step's group only ends it.
fn group_limits(sandbox: Option<&SandboxPolicy>) -> GroupLimits {
    sandbox.map_or_else(GroupLimits::default, |policy| GroupLimits {
        memory_bytes: Some(policy.limits.job_memory_bytes),
        processes: Some(policy.limits.max_processes),
    })
}

/// Where the supervision loop is.
#[derive(Debug, Clone, Copy)]
enum Phase {
    /// Waiting for the child; the wall-clock deadline applies.
    Running { deadline: Instant },
    /// SIGTERM sent; SIGKILL follows at `kill_at`.
    Terminating { kill_at: Instant },
    /// The child is dead or was sent SIGKILL; read remaining output until `give_up`.
    Draining { give_up: Instant },
}

impl Phase {
    fn is_running(self) -> bool {
        matches!(self, Self::Running { .. })
    }

    fn wake_at(self) -> Instant {
        match self {
            Self::Running { deadline } => deadline,
            Self::Terminating { kill_at } => kill_at,
            Self::Draining { give_up } => give_up,
        }
    }

    fn terminate(self, group: &GroupGuard) -> Self {
        group.signal(Signal::SIGTERM);
        Self::Terminating {
            kill_at: Instant::now() + KILL_GRACE,
        }
    }
}

/// The child's process group and control group; sent SIGKILL when
/// dropped. Listed with the reaper while it lives.
struct GroupGuard {
    pgid: Option<Pid>,
    leader: Option<Process>,
    /// Also killed with SIGKILL: it holds what left the process group.
    cgroup: Option<StepCgroup>,
}

impl GroupGuard {
    fn new(pid: Option<i32>, cgroup: Option<StepCgroup>) -> Self {
        // The child has exec'd and is not reaped yet, so `/proc` knows it.
        let leader = pid.and_then(Process::find);
        if let Some(leader) = &leader {
            reaper::track(leader, cgroup.as_ref().and_then(StepCgroup::kill_dir));
        }
        Self {
            pgid: pid.map(Pid::from_raw),
            leader,
            cgroup,
        }
    }

    fn signal(&self, signal: Signal) {
        if signal == Signal::SIGKILL
            && let Some(cgroup) = &self.cgroup
        {
            cgroup.kill();
        }
        if let Some(pgid) = self.pgid {
            // ESRCH (group already empty) is the normal case after a clean exit.
            if let Err(err) = killpg(pgid, signal)
                && err != nix::errno::Errno::ESRCH
            {
                tracing::warn!(%pgid, ?signal, %err, "could not signal step process group");
            }
        }
    }
}

impl Drop for GroupGuard {
    fn drop(&mut self) {
        self.signal(Signal::SIGKILL);
        if let Some(leader) = &self.leader {
            reaper::untrack(leader);
        }
    }
}

/// Accumulates output under the cap and forwards it.
struct Capture<'a> {
    cap: u64,
    used: u64,
    truncated: bool,
    stdout: String,
    stderr: String,
    sandbox: Option<Enforcement>,
    lines: &'a UnboundedSender<OutputLine>,
}

impl<'a> Capture<'a> {
    fn new(cap: u64, lines: &'a UnboundedSender<OutputLine>) -> Self {
        Self {
            cap,
            used: 0,
            truncated: false,
            stdout: String::new(),
            stderr: String::new(),
            sandbox: None,
            lines,
        }
    }

    fn push(&mut self, stream: OutputStream, text: String) {
        if self.truncated {
            return;
        }
        let size = u64::try_from(text.len())
            .unwrap_or(u64::MAX)
            .saturating_add(1);
        let text = if self.used.saturating_add(size) > self.cap {
            self.truncated = true;
            format!("[output truncated after {} bytes]", self.used)
        } else {
            self.used += size;
            text
        };
        let buffer = match stream {
            OutputStream::Stdout => &mut self.stdout,
            OutputStream::Stderr => &mut self.stderr,
        };
        buffer.push_str(&text);
        buffer.push('\n');
        // The receiver may be gone (nobody watching); the step still runs.
        let _ = self.lines.send(OutputLine { stream, text });
    }

    fn finish(
        self,
        kind: OutcomeKind,
        status: Option<ExitStatus>,
        started: Instant,
    ) -> StepOutcome {
        StepOutcome {
            kind,
            exit_code: status.and_then(|s| s.code()),
            signal: status.and_then(|s| s.signal()),
            stdout: self.stdout,
            stderr: self.stderr,
            truncated: self.truncated,
            duration: started.elapsed(),
            sandbox: self.sandbox,
        }
    }
}

/// Splits a byte stream into lines of at most [`MAX_LINE_BYTES`].
///
/// Cancel-safe: the only await is `fill_buf`, and a partial line is kept in
/// `self`, so `tokio::select!` may drop `next_line` at any point.
struct LineReader<R> {
    inner: R,
    partial: Vec<u8>,
}

impl<R: AsyncBufRead + Unpin> LineReader<R> {
    fn new(inner: R) -> Self {
        Self {
            inner,
            partial: Vec::new(),
        }
    }

    async fn next_line(&mut self) -> io::Result<Option<String>> {
        loop {
            let available = self.inner.fill_buf().await?;
            if available.is_empty() {
                return Ok((!self.partial.is_empty()).then(|| self.take()));
            }
            let room = MAX_LINE_BYTES.saturating_sub(self.partial.len());
            let window = &available[..available.len().min(room)];
            if let Some(newline) = window.iter().position(|&b| b == b'\n') {
                self.partial.extend_from_slice(&window[..newline]);
                self.inner.consume(newline + 1);
                return Ok(Some(self.take()));
            }
            let taken = window.len();
            self.partial.extend_from_slice(window);
            self.inner.consume(taken);
            if self.partial.len() >= MAX_LINE_BYTES {
                return Ok(Some(self.take()));
            }
        }
    }

    fn take(&mut self) -> String {
        let line = String::from_utf8_lossy(&self.partial).into_owned();
        self.partial.clear();
        line
    }
}
