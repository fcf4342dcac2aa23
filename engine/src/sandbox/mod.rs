//! Confines one `bash`/`python` step: Landlock (writes only inside the
//! step's write roots, TCP connect/bind denied unless the step may use the
//! network), rlimits (CPU time, address space, file size, processes) and
//! `no_new_privs`. It owns the policy and how it is applied between `fork`
//! and `exec` (as well as the child's half of a step's lifetime, see
//! [`tie_to_devos`]); it never decides *whether* a step may run (that is `risk` and
//! `approval`) and it never starts processes itself (that is `executor`).
//!
//! Everything that allocates or may fail for an ordinary reason (opening the
//! write roots, building the Landlock ruleset) happens in the parent, in
//! [`PreparedSandbox::prepare`]. The child only makes plain system calls:
//! `setrlimit`, `prctl(PR_SET_NO_NEW_PRIVS)` and `landlock_restrict_self`.
//!
//! What this does not stop: reads (every readable file stays readable),
//! UDP (Landlock only covers TCP before ABI 10), connecting to Unix sockets,
//! and — when DevOS runs as root — process floods, because the kernel does
//! not apply `RLIMIT_NPROC` to root; the executor's process-group timeout is
//! what ends those.

mod child;
mod status;

use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::config::SandboxConfig;

pub use child::{PreparedSandbox, tie_to_devos};
pub use status::{LandlockStatus, is_confining, landlock_status};

/// How one step is confined.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SandboxPolicy {
    /// Directories (and everything below them) the step may create, write,
    /// rename and delete in. Each must exist. Everything else is read-only.
    pub write_roots: Vec<PathBuf>,
    /// Whether TCP connect and bind are allowed. Only for steps that asked
    /// for the network and were approved by a person.
    pub allow_network: bool,
    /// Kernel resource limits for every process of the step.
    pub limits: ResourceLimits,
    /// Refuse to start the step when Landlock is unavailable, instead of
    /// running it with rlimits and `no_new_privs` only.
    pub require_landlock: bool,
    /// Apply Landlock when the kernel has it (`sandbox.landlock`).
    pub use_landlock: bool,
}

/// Kernel resource limits (rlimits) set in the child before `exec`.
///
/// All but `max_processes` apply to each process separately.
/// `max_processes` is `RLIMIT_NPROC`, which the kernel counts over *all*
/// processes of the user, not just the step's, and does not apply to root.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ResourceLimits {
    /// CPU seconds; the process gets SIGXCPU at this many and SIGKILL one later.
    pub cpu_secs: u64,
    /// Address space in bytes; allocations past it fail (Python raises `MemoryError`).
    pub address_space_bytes: u64,
    /// Largest file the step may write, in bytes; writing past it raises SIGXFSZ.
    pub file_size_bytes: u64,
    /// Processes the user may have while the step runs (`RLIMIT_NPROC`);
    /// also the step's own process count where it has a control group.
    pub max_processes: u64,
    /// Memory of all the step's processes together, in bytes, where the step
    /// has a control group with the memory controller
    /// ([`crate::lifetime::cgroup`]); beyond it the kernel kills one of them.
    pub job_memory_bytes: u64,
}

impl ResourceLimits {
    /// The limits configured in `[sandbox]` (MiB turned into bytes).
    pub fn from_config(config: &SandboxConfig) -> Self {
        const MIB: u64 = 1024 * 1024;
        Self {
            cpu_secs: config.cpu_secs,
            address_space_bytes: config.memory_mb.saturating_mul(MIB),
            file_size_bytes: config.file_size_mb.saturating_mul(MIB),
            max_processes: config.max_processes,
            job_memory_bytes: config.job_memory_mb.saturating_mul(MIB),
        }
    }
}

/// The write roots of a job step.
///
/// A step the engine rated safe (`read_only`) may write only in the job's
/// private temp dir: nothing in `cwd` — in particular not a repository's
/// `.git`, which `git status` would otherwise refresh — is writable. Other
/// steps may write in `cwd` and the temp dir.
pub fn job_write_roots(cwd: &Path, tmp_dir: &Path, read_only: bool) -> Vec<PathBuf> {
    if read_only {
        vec![tmp_dir.to_path_buf()]
    } else {
        vec![cwd.to_path_buf(), tmp_dir.to_path_buf()]
    }
}

/// What was actually enforced for a step, for the job log and the Settings page.
///
/// rlimits and `no_new_privs` are always enforced; Landlock depends on the kernel.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Enforcement {
    /// The Landlock ABI the rules were applied with; `None` without Landlock.
    pub landlock_abi: Option<u8>,
    /// Whether writes outside the write roots are denied.
    pub writes_confined: bool,
    /// Whether TCP connect and bind are denied (false when the step may use
    /// the network, or the kernel is older than Landlock ABI 4).
    pub network_denied: bool,
}

/// Why a step's sandbox could not be set up. The step is not started.
#[derive(Debug, thiserror::Error)]
pub enum SandboxError {
    /// Landlock is unavailable and `sandbox.require_landlock` is set.
    /// Retrying does not help: enable Landlock in the kernel or unset the key.
    #[error("Landlock is required by sandbox.require_landlock but unavailable: {reason}")]
    LandlockRequired {
        /// Why Landlock is unavailable.
        reason: String,
    },
    /// A write root (or `/`) could not be opened for a Landlock rule: it does
    /// not exist or is not accessible. Retrying helps only once it exists.
    #[error("cannot open a path for a Landlock rule: {source}")]
    RulePath {
        /// The path.
        path: PathBuf,
        /// What went wrong.
        source: landlock::PathFdError,
    },
    /// The kernel refused the Landlock ruleset. Retrying does not help.
    #[error("could not build the Landlock ruleset: {0}")]
    Ruleset(#[from] landlock::RulesetError),
    /// A current rlimit could not be read. Retrying does not help.
    #[error("could not read the current resource limits: {0}")]
    Rlimit(#[from] nix::errno::Errno),
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::{Config, Overrides};
    use pretty_assertions::assert_eq;

    #[test]
    fn default_limits_come_from_the_config_in_bytes() {
        let config = Config::load(&Overrides::default()).unwrap();
        assert!(!config.sandbox.require_landlock);
        assert_eq!(
            ResourceLimits::from_config(&config.sandbox),
            ResourceLimits {
                cpu_secs: 60,
                address_space_bytes: 4096 * 1024 * 1024,
                file_size_bytes: 1024 * 1024 * 1024,
                max_processes: 512,
                job_memory_bytes: 4096 * 1024 * 1024,
            }
        );
    }

    #[test]
    fn a_read_only_step_may_write_only_its_temp_dir() {
        let (cwd, tmp) = (Path::new("/work/repo"), Path::new("/data/tmp/job-1"));
        assert_eq!(job_write_roots(cwd, tmp, true), vec![tmp.to_path_buf()]);
        assert_eq!(
            job_write_roots(cwd, tmp, false),
            vec![cwd.to_path_buf(), tmp.to_path_buf()]
        );
    }

    #[test]
    fn landlock_status_serializes_with_a_state_tag() {
        let cases = [
            (
                LandlockStatus::Available {
                    abi: 4,
                    network: true,
                },
                r#"{"state":"available","abi":4,"network":true}"#,
            ),
            (
                LandlockStatus::Unavailable {
                    reason: "old kernel".into(),
                },
                r#"{"state":"unavailable","reason":"old kernel"}"#,
            ),
        ];
        for (status, json) in cases {
            assert_eq!(serde_json::to_string(&status).unwrap(), json, "{status:?}");
        }
    }
}
