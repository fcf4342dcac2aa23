//! Applying a [`SandboxPolicy`]: the Landlock ruleset and the rlimit values
//! are built in the parent; the child, between `fork` and `exec`, only sets
//! the rlimits, sets `no_new_privs` and enforces the ready ruleset. Also the
//! child's half of a step's lifetime ([`tie_to_devos`]): the parent-death
//! signal and its own process group. These are the crate's only `pre_exec`
//! hooks.

use std::io;
use std::path::Path;

use landlock::{
    ABI, Access, AccessFs, AccessNet, PathBeneath, PathFd, Ruleset, RulesetAttr, RulesetCreated,
    RulesetCreatedAttr, RulesetStatus, Scope,
};
use nix::errno::Errno;
use nix::sys::resource::{Resource, getrlimit, setrlimit};
use nix::sys::signal::Signal;
use nix::unistd::{Pid, getpid, getppid, setpgid};
use tokio::process::Command;

use super::{Enforcement, LandlockStatus, ResourceLimits, SandboxError, SandboxPolicy};

/// The Landlock ABI whose rights we ask for. Newer kernels are used at this
/// level and older ones with what they support (the crate's best-effort
/// mode): rights we have not tested are never turned on by a kernel upgrade.
const TARGET_ABI: ABI = ABI::V7;

/// Device files every step may open for writing, so that discarding output
/// (`> /dev/null`) works. Not `/dev/tty`: a step's output must go through
/// the captured pipes, and a terminal would bypass the cap and the job log.
const WRITABLE_DEVICES: [&str; 3] = ["/dev/null", "/dev/zero", "/dev/full"];

/// One rlimit to set in the child: resource, soft and hard value.
type Rlimit = (Resource, u64, u64);

/// A policy made ready in the parent, to be installed on one [`Command`].
#[derive(Debug)]
pub struct PreparedSandbox {
    rlimits: [Rlimit; 4],
    ruleset: Option<RulesetCreated>,
    enforcement: Enforcement,
}

impl PreparedSandbox {
    /// Opens the rule paths, builds the Landlock ruleset (when the kernel
    /// has Landlock) and computes the rlimits. Fails when a write root is
    /// missing, or when Landlock is unavailable and `policy.require_landlock`.
    pub fn prepare(policy: &SandboxPolicy) -> Result<Self, SandboxError> {
        let rlimits = rlimits(&policy.limits)?;
        let status = if policy.use_landlock {
            super::landlock_status()
        } else {
            LandlockStatus::Unavailable {
                reason: "switched off by sandbox.landlock = false".to_owned(),
            }
        };
        let (ruleset, enforcement) = match status {
            LandlockStatus::Available { abi, network } => (
                Some(ruleset(policy)?),
                Enforcement {
                    landlock_abi: Some(abi),
                    writes_confined: true,
                    network_denied: network && !policy.allow_network,
                },
            ),
            LandlockStatus::Unavailable { reason } if policy.require_landlock => {
                return Err(SandboxError::LandlockRequired { reason });
            }
            LandlockStatus::Unavailable { .. } => (
                None,
                Enforcement {
                    landlock_abi: None,
                    writes_confined: false,
                    network_denied: false,
                },
            ),
        };
        Ok(Self {
            rlimits,
            ruleset,
            enforcement,
        })
    }

    /// What the sandbox enforces once installed.
    pub fn enforcement(&self) -> Enforcement {
        self.enforcement
    }

    /// Makes every process spawned from `command` confined before it runs.
    /// If the child cannot confine itself, the spawn fails and nothing runs.
    #[expect(
        unsafe_code,
        reason = "pre_exec is the only way to confine the child before exec; see SAFETY"
    )]
    pub fn install(self, command: &mut Command) {
        let Self {
            rlimits,
            ruleset,
            enforcement,
        } = self;
        let must_confine = enforcement.writes_confined;
        // SAFETY: the closure runs in the forked child of a multi-threaded
        // parent, where only async-signal-safe work is sound. It allocates
        // nothing and takes no locks: it reads the captured, already built
        // values and makes plain system calls (setrlimit, prctl, fcntl to
        // duplicate the ruleset fd, landlock_restrict_self, close). Errors
        // are raw errno values, which need no allocation either.
        unsafe {
            command.pre_exec(move || confine(&rlimits, ruleset.as_ref(), must_confine));
        }
    }
}

/// Makes the process spawned from `command` die (SIGKILL) when DevOS dies,
/// then lead a new process group whose id is its pid, so the whole step can
/// be signalled at once. Install it before any other hook and spawn through
/// [`crate::lifetime::spawn`]: the kernel sends the signal when the forking
/// *thread* exits, and that thread lives as long as DevOS. If DevOS died
/// between `fork` and `prctl`, the child sees another parent and refuses to
/// start. Replaces `Command::process_group(0)`, which `std` applies before
/// the hooks run.
#[expect(
    unsafe_code,
    reason = "pre_exec is the only way to set the parent-death signal in the child; see SAFETY"
)]
pub fn tie_to_devos(command: &mut Command) {
    let devos = getpid();
    // SAFETY: the closure runs in the forked child of a multi-threaded
    // parent, where only async-signal-safe work is sound. It allocates
    // nothing and takes no locks: it makes three plain system calls
    // (prctl, getppid, setpgid) on a copied `Pid`, and its errors are raw
    // errno values.
    unsafe {
        command.pre_exec(move || tie(devos));
    }
}

/// Runs in the child: the death signal first, so that from here on the
/// child cannot outlive DevOS unnoticed, then the check that DevOS is still
/// the parent, then the new group.
fn tie(devos: Pid) -> io::Result<()> {
    nix::sys::prctl::set_pdeathsig(Signal::SIGKILL)?;
    if getppid() != devos {
        return Err(io::Error::from(Errno::ESRCH));
    }
    setpgid(Pid::from_raw(0), Pid::from_raw(0))?;
    Ok(())
}

/// Runs in the child. Order matters: rlimits first (they cannot be raised
/// again without privileges), then `no_new_privs` (required by Landlock for
/// unprivileged processes, and it stops set-uid programs from regaining
/// rights), then Landlock.
fn confine(
    rlimits: &[Rlimit],
    ruleset: Option<&RulesetCreated>,
    must_confine: bool,
) -> io::Result<()> {
    for &(resource, soft, hard) in rlimits {
        setrlimit(resource, soft, hard)?;
    }
    nix::sys::prctl::set_no_new_privs()?;
    let Some(ruleset) = ruleset else {
        return Ok(());
    };
    // A duplicate, so the prepared command can be spawned more than once.
    let status = ruleset
        .try_clone()?
        .restrict_self()
        .map_err(|_| io::Error::from(Errno::EPERM))?;
    if must_confine && status.ruleset == RulesetStatus::NotEnforced {
        return Err(io::Error::from(Errno::ENOTSUP));
    }
    Ok(())
}

/// The rlimits for `limits`, never above the current hard limits (an
/// unprivileged process may not raise those, and `setrlimit` would fail).
fn rlimits(limits: &ResourceLimits) -> Result<[Rlimit; 4], SandboxError> {
    let capped = |resource: Resource, soft: u64, hard: u64| -> Result<Rlimit, SandboxError> {
        let (_, current_hard) = getrlimit(resource)?;
        Ok((resource, soft.min(current_hard), hard.min(current_hard)))
    };
    Ok([
        // SIGXCPU at the soft limit; SIGKILL a second later if it is ignored.
        capped(
            Resource::RLIMIT_CPU,
            limits.cpu_secs,
            limits.cpu_secs.saturating_add(1),
        )?,
        capped(
            Resource::RLIMIT_AS,
            limits.address_space_bytes,
            limits.address_space_bytes,
        )?,
        capped(
            Resource::RLIMIT_FSIZE,
            limits.file_size_bytes,
            limits.file_size_bytes,
        )?,
        capped(
            Resource::RLIMIT_NPROC,
            limits.max_processes,
            limits.max_processes,
        )?,
    ])
}

/// Read and execute everywhere; everything inside the write roots; writing
/// (not creating) the harmless device files; TCP handled — that is, denied,
/// since no port is allowed — unless the policy allows the network.
fn ruleset(policy: &SandboxPolicy) -> Result<RulesetCreated, SandboxError> {
    // Scopes (ABI 6): no signals to processes outside the step (DevOS, the
    // desktop) and no abstract Unix sockets created outside it.
    let mut ruleset = Ruleset::default()
        .handle_access(AccessFs::from_all(TARGET_ABI))?
        .scope(Scope::from_all(TARGET_ABI))?;
    if !policy.allow_network {
        ruleset = ruleset.handle_access(AccessNet::BindTcp | AccessNet::ConnectTcp)?;
    }
    let mut created = ruleset
        .create()?
        // `confine` sets it itself, with or without Landlock.
        .no_new_privs(false)
        .add_rule(PathBeneath::new(
            open(Path::new("/"))?,
            AccessFs::from_read(TARGET_ABI),
        ))?;
    for root in &policy.write_roots {
        created = created.add_rule(PathBeneath::new(
            open(root)?,
            AccessFs::from_all(TARGET_ABI),
        ))?;
    }
    for device in WRITABLE_DEVICES {
        // A container may lack one of them; then nothing can write it anyway.
        if let Ok(fd) = PathFd::new(device) {
            created = created.add_rule(PathBeneath::new(fd, AccessFs::from_file(TARGET_ABI)))?;
        }
    }
    Ok(created)
}

fn open(path: &Path) -> Result<PathFd, SandboxError> {
    PathFd::new(path).map_err(|source| SandboxError::RulePath {
        path: path.to_path_buf(),
        source,
    })
}
