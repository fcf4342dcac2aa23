//! Shared helpers for the sandbox tests: building confined steps, running
//! them, and skipping (loudly) when the kernel has no Landlock.

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::time::Duration;

use engine::executor::{ExecLimits, Interpreter, StepCommand, StepOutcome, run_step};
use engine::sandbox::{LandlockStatus, ResourceLimits, SandboxPolicy, landlock_status};
use tokio::sync::mpsc;
use tokio_util::sync::CancellationToken;

pub use super::proc_support::{group_members, is_gone};

/// Generous limits; each test lowers the one it is about.
pub const LIMITS: ResourceLimits = ResourceLimits {
    cpu_secs: 30,
    address_space_bytes: 4 * 1024 * 1024 * 1024,
    file_size_bytes: 64 * 1024 * 1024,
    max_processes: 4096,
    job_memory_bytes: 8 * 1024 * 1024 * 1024,
};

/// Whether Landlock is available; prints why the calling test is skipped when not.
pub fn has_landlock(test: &str) -> bool {
    match landlock_status() {
        LandlockStatus::Available { .. } => true,
        LandlockStatus::Unavailable { reason } => {
            eprintln!("skipping {test}: Landlock is unavailable: {reason}");
            false
        }
    }
}

/// A confined bash step in `cwd` with `tmp` as TMPDIR, writing only in `write_roots`.
pub fn confined(
    script: &str,
    cwd: &Path,
    tmp: &Path,
    write_roots: Vec<PathBuf>,
    env: &[(&str, &str)],
) -> StepCommand {
    let mut parent_env: Vec<(OsString, OsString)> =
        vec![("PATH".into(), std::env::var_os("PATH").unwrap_or_default())];
    parent_env.extend(
        env.iter()
            .map(|(k, v)| (OsString::from(k), OsString::from(v))),
    );
    StepCommand {
        interpreter: Interpreter::Bash,
        script: script.to_owned(),
        cwd: cwd.to_path_buf(),
        tmp_dir: tmp.to_path_buf(),
        parent_env,
        // The variables a test hands its script pass, as `sandbox.pass_env` would let them.
        pass_env: env.iter().map(|(k, _)| (*k).to_owned()).collect(),
        read_only: false,
        sandbox: Some(SandboxPolicy {
            write_roots,
            allow_network: false,
            limits: LIMITS,
            require_landlock: false,
            use_landlock: true,
        }),
    }
}

/// The policy of `command` (every command built by [`confined`] has one).
pub fn policy(command: &mut StepCommand) -> &mut SandboxPolicy {
    command.sandbox.as_mut().unwrap()
}

/// Runs `command` with a wall-clock `timeout`.
pub async fn run(command: &StepCommand, timeout: Duration) -> StepOutcome {
    let limits = ExecLimits {
        timeout,
        output_cap_bytes: 1024 * 1024,
    };
    let (tx, _rx) = mpsc::unbounded_channel();
    run_step(command, limits, &CancellationToken::new(), &tx).await
}
