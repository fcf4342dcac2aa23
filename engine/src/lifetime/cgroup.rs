//! A control group per step, where the kernel lets DevOS make one: every
//! process a step starts — `setsid`, double forks and daemons included —
//! is killed with the step (`cgroup.kill`, cgroup v2, Linux 5.14), and its
//! processes together share one memory ceiling and one process count
//! (`memory`/`pids` controllers, v2 or the v1 hierarchies of a hybrid host).
//!
//! It never decides limits (those come from `[sandbox]`) and never starts
//! processes: the child joins its group between `fork` and `exec` by
//! writing to a `cgroup.procs` descriptor opened here ([`StepCgroup::install`]).
//! Where nothing is writable (no delegation, a read-only `/sys/fs/cgroup`)
//! steps fall back to their process group, and [`support`] says so for the
//! Settings page and `devos doctor`.
//!
//! Layout: step groups are children of the group DevOS was started in (its
//! *home*), named `devos-step-PID-START-N` after the DevOS process that made
//! them, so a later DevOS can tell leftovers of a dead one from another
//! live one's. To hand controllers to children, cgroup v2 forbids processes
//! in the parent, so when a controller is available but not yet enabled
//! DevOS first moves itself into a leaf of its own, `devos-server`.

use std::fs;
use std::io;
use std::os::fd::{AsFd as _, OwnedFd};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};

use serde::Serialize;

use super::Process;

#[path = "cgroup_host.rs"]
mod host;

use host::detect;
#[cfg(test)]
use host::{group_dir, membership_path, parse_mounts, unescape};

/// Prefix of every step group's directory name.
const STEP_PREFIX: &str = "devos-step-";

/// How long removing a killed group waits for its processes to be reaped.
const REMOVE_WAIT: Duration = Duration::from_secs(2);

/// A resource controller DevOS sets a per-step limit with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Controller {
    Memory,
    Pids,
}

impl Controller {
    const ALL: [Self; 2] = [Self::Memory, Self::Pids];

    fn name(self) -> &'static str {
        match self {
            Self::Memory => "memory",
            Self::Pids => "pids",
        }
    }

    /// The file that holds the limit in a v2 or a v1 hierarchy.
    fn limit_file(self, hierarchy: Version) -> &'static str {
        match (self, hierarchy) {
            (Self::Memory, Version::V2) => "memory.max",
            (Self::Memory, Version::V1) => "memory.limit_in_bytes",
            (Self::Pids, _) => "pids.max",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Version {
    V1,
    V2,
}

/// One hierarchy DevOS can make step groups in.
#[derive(Debug)]
struct Home {
    version: Version,
    /// The directory step groups are created in.
    dir: PathBuf,
    /// Controllers whose limits step groups here get.
    controllers: Vec<Controller>,
    /// Whether `cgroup.kill` exists (v2 on Linux 5.14 and later).
    can_kill: bool,
}

/// What this machine offers for step groups, detected once ([`support`]).
#[derive(Debug)]
pub struct Support {
    homes: Vec<Home>,
    /// Why steps are not killed through a control group, when they are not.
    no_kill_reason: Option<String>,
}

/// How the processes of a step are ended, for Settings and `devos doctor`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "mechanism", rename_all = "snake_case")]
pub enum KillMechanism {
    /// `cgroup.kill` on a group per step: nothing a step starts survives it.
    ControlGroup {
        /// Where step groups are made.
        dir: PathBuf,
    },
    /// `kill(-pgid)`: a process that leaves the group (`setsid`) survives.
    ProcessGroup {
        /// Why no control group is used.
        reason: String,
    },
}

impl Support {
    /// How a step's processes are ended on this machine.
    pub fn kill_mechanism(&self) -> KillMechanism {
        match self.killer() {
            Some(home) => KillMechanism::ControlGroup {
                dir: home.dir.clone(),
            },
            None => KillMechanism::ProcessGroup {
                reason: self
                    .no_kill_reason
                    .clone()
                    .unwrap_or_else(|| "no cgroup v2 with cgroup.kill".to_owned()),
            },
        }
    }

    /// Whether a job's processes share one memory ceiling, and through what
    /// (`"cgroup v2"`, `"cgroup v1"`); `None`: memory is limited per process only.
    pub fn memory_ceiling(&self) -> Option<&'static str> {
        self.home_of(Controller::Memory)
            .map(|home| match home.version {
                Version::V2 => "cgroup v2",
                Version::V1 => "cgroup v1",
            })
    }

    /// Whether the process count is limited per step (which, unlike
    /// `RLIMIT_NPROC`, holds for root too).
    pub fn limits_processes(&self) -> bool {
        self.home_of(Controller::Pids).is_some()
    }

    /// In words, for Settings and `devos doctor`: how a step's processes are
    /// ended and what is limited for all of them together; `true` when
    /// nothing a step starts can outlive it.
    pub fn summary(&self) -> (String, bool) {
        let memory = self.memory_ceiling().map_or_else(
            || "memory is limited per process only".to_owned(),
            |through| format!("one memory ceiling per job ({through})"),
        );
        let processes = if self.limits_processes() {
            "a process count per step"
        } else {
            "processes counted per user (RLIMIT_NPROC)"
        };
        match self.kill_mechanism() {
            KillMechanism::ControlGroup { dir } => (
                format!(
                    "a control group per step under {}: what a step starts, setsid included, \
                     ends with it; {memory}; {processes}",
                    dir.display()
                ),
                true,
            ),
            KillMechanism::ProcessGroup { reason } => (
                format!(
                    "process group only ({reason}): a process that calls setsid can outlive \
                     its step; {memory}; {processes}"
                ),
                false,
            ),
        }
    }

    fn killer(&self) -> Option<&Home> {
        self.homes
            .iter()
            .find(|home| home.version == Version::V2 && home.can_kill)
    }

    fn home_of(&self, controller: Controller) -> Option<&Home> {
        self.homes
            .iter()
            .find(|home| home.controllers.contains(&controller))
    }
}

/// The machine's support, detected on first use (which also removes
/// leftover step groups of DevOS processes that are gone).
pub fn support() -> &'static Support {
    static SUPPORT: OnceLock<Support> = OnceLock::new();
    SUPPORT.get_or_init(|| {
        let support = detect();
        match support.kill_mechanism() {
            KillMechanism::ControlGroup { dir } => tracing::info!(
                dir = %dir.display(),
                memory = support.memory_ceiling(),
                pids = support.limits_processes(),
                "each step runs in its own control group"
            ),
            KillMechanism::ProcessGroup { reason } => tracing::warn!(
                %reason,
                "steps are ended by process group; a step that calls setsid can outlive its timeout"
            ),
        }
        support
    })
}

/// Per-step limits a group enforces for all the step's processes together.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct GroupLimits {
    /// Memory of all processes together, in bytes.
    pub memory_bytes: Option<u64>,
    /// Processes and threads alive at once.
    pub processes: Option<u64>,
}

/// The control groups of one running step (one per hierarchy used).
/// Dropping it kills what is left in them and removes them.
#[derive(Debug)]
pub struct StepCgroup {
    dirs: Vec<(Version, PathBuf)>,
    /// `cgroup.procs` of each group, written by the child to join.
    joins: Vec<Arc<OwnedFd>>,
    /// The v2 group with `cgroup.kill`, when there is one.
    kill: Option<PathBuf>,
    /// Where the kernel counts out-of-memory kills of the step.
    oom_events: Option<PathBuf>,
    removed: bool,
}

impl StepCgroup {
    /// Makes the groups of a new step with `limits`; `None` (logged) when
    /// this machine offers none or making them failed, so that the step
    /// runs with its process group only.
    pub fn create(limits: GroupLimits) -> Option<Self> {
        static SEQUENCE: AtomicU64 = AtomicU64::new(0);
        let support = support();
        sweep_stale();
        let runner = Process::current()?;
        let name = format!(
            "{STEP_PREFIX}{}-{}-{}",
            runner.pid,
            runner.start_ticks,
            SEQUENCE.fetch_add(1, Ordering::Relaxed)
        );
        let mut group = Self {
            dirs: Vec::new(),
            joins: Vec::new(),
            kill: None,
            oom_events: None,
            removed: false,
        };
        for home in &support.homes {
            let wanted: Vec<(Controller, u64)> = home
                .controllers
                .iter()
                .filter_map(|&controller| {
                    let limit = match controller {
                        Controller::Memory => limits.memory_bytes,
                        Controller::Pids => limits.processes,
                    }?;
                    Some((controller, limit))
                })
                .collect();
            let kills = home.version == Version::V2 && home.can_kill;
            if wanted.is_empty() && !kills {
                continue;
            }
            let dir = home.dir.join(&name);
            match make_group(&dir, home.version, &wanted) {
                Ok(join) => {
                    if kills {
                        group.kill = Some(dir.clone());
                    }
                    if wanted.iter().any(|(c, _)| *c == Controller::Memory) {
                        group.oom_events = Some(dir.join(match home.version {
                            Version::V2 => "memory.events",
                            Version::V1 => "memory.oom_control",
                        }));
                    }
                    group.joins.push(Arc::new(join));
                    group.dirs.push((home.version, dir));
                }
                Err(error) => {
                    let _ = fs::remove_dir(&dir);
                    tracing::warn!(dir = %dir.display(), %error, "could not make a step's control group");
                }
            }
        }
        (!group.dirs.is_empty()).then_some(group)
    }

    /// Makes the process spawned from `command` join the groups before it
    /// runs anything; if it cannot, the spawn fails and nothing runs.
    /// Install it after [`crate::sandbox::tie_to_devos`] and before the
    /// sandbox (Landlock would forbid the write).
    #[expect(
        unsafe_code,
        reason = "pre_exec is the only way to join a control group before exec; see SAFETY"
    )]
    pub fn install(&self, command: &mut tokio::process::Command) {
        let joins = self.joins.clone();
        // SAFETY: the closure runs in the forked child of a multi-threaded
        // parent, where only async-signal-safe work is sound. It allocates
        // nothing and takes no locks: it iterates an already built vector
        // and makes one `write` system call per descriptor ("0" moves the
        // writing process); errors are raw errno values.
        unsafe {
            command.pre_exec(move || {
                for join in &joins {
                    nix::unistd::write(join.as_fd(), b"0")?;
                }
                Ok(())
            });
        }
    }

    /// The v2 group `cgroup.kill` ends, for the reaper.
    pub fn kill_dir(&self) -> Option<&Path> {
        self.kill.as_deref()
    }

    /// Sends SIGKILL to every process in the step's group at once.
    pub fn kill(&self) {
        if let Some(dir) = &self.kill {
            kill_group(dir);
        }
    }

    /// How many of the step's processes the kernel killed for reaching the
    /// memory ceiling.
    pub fn oom_kills(&self) -> u64 {
        self.oom_events
            .as_ref()
            .and_then(|file| fs::read_to_string(file).ok())
            .and_then(|text| {
                text.lines()
                    .find_map(|line| line.strip_prefix("oom_kill "))
                    .and_then(|count| count.trim().parse().ok())
            })
            .unwrap_or(0)
    }

    /// Kills what is left, waits for it to be gone and removes the groups.
    pub async fn remove(mut self) {
        self.kill();
        let deadline = Instant::now() + REMOVE_WAIT;
        while self
            .dirs
            .iter()
            .any(|(version, dir)| is_populated(*version, dir))
            && Instant::now() < deadline
        {
            tokio::time::sleep(Duration::from_millis(2)).await;
        }
        self.remove_dirs();
    }

    fn remove_dirs(&mut self) {
        self.removed = true;
        for (_, dir) in self.dirs.drain(..) {
            if fs::remove_dir(&dir).is_err() && dir.exists() {
                stale().lock().map(|mut s| s.push(dir)).ok();
            }
        }
    }
}

impl Drop for StepCgroup {
    fn drop(&mut self) {
        if !self.removed {
            self.kill();
            self.remove_dirs();
        }
    }
}

/// Kills everything in the v2 group `dir`, waits (up to two seconds) for it
/// to be gone and removes the group. For the reaper, which has no runtime.
pub fn kill_and_remove(dir: &Path) {
    kill_group(dir);
    let deadline = Instant::now() + REMOVE_WAIT;
    while is_populated(Version::V2, dir) && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(2));
    }
    let _ = fs::remove_dir(dir);
}

fn kill_group(dir: &Path) {
    if let Err(error) = fs::write(dir.join("cgroup.kill"), "1")
        && error.kind() != io::ErrorKind::NotFound
    {
        tracing::warn!(dir = %dir.display(), %error, "could not kill a step's control group");
    }
}

/// Whether any process is still in the group (v2 also counts descendants).
fn is_populated(version: Version, dir: &Path) -> bool {
    match version {
        Version::V2 => fs::read_to_string(dir.join("cgroup.events"))
            .is_ok_and(|events| events.lines().any(|line| line == "populated 1")),
        Version::V1 => {
            fs::read_to_string(dir.join("cgroup.procs")).is_ok_and(|procs| !procs.trim().is_empty())
        }
    }
}

/// Groups that could not be removed yet (a process was still exiting).
fn stale() -> &'static Mutex<Vec<PathBuf>> {
    static STALE: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());
    &STALE
}

fn sweep_stale() {
    if let Ok(mut stale) = stale().lock() {
        stale.retain(|dir| fs::remove_dir(dir).is_err() && dir.exists());
    }
}

/// Makes the group `dir` with its limits and opens its `cgroup.procs`.
fn make_group(dir: &Path, version: Version, limits: &[(Controller, u64)]) -> io::Result<OwnedFd> {
    fs::create_dir(dir)?;
    for &(controller, limit) in limits {
        fs::write(dir.join(controller.limit_file(version)), limit.to_string())?;
    }
    // std opens with O_CLOEXEC: the descriptor is gone once the child execs.
    let procs = fs::OpenOptions::new()
        .write(true)
        .open(dir.join("cgroup.procs"))?;
    Ok(OwnedFd::from(procs))
}
#[cfg(test)]
mod tests {
    use super::*;
    use pretty_assertions::assert_eq;

    const MOUNTINFO: &str = "\
25 30 0:22 / /sys/fs/cgroup rw,nosuid - tmpfs tmpfs rw,mode=755
26 25 0:23 / /sys/fs/cgroup/unified rw,nosuid shared:9 - cgroup2 cgroup2 rw
27 25 0:24 / /sys/fs/cgroup/memory rw,nosuid shared:10 - cgroup cgroup rw,memory
28 25 0:25 /docker/abc /sys/fs/cgroup/pids rw - cgroup cgroup rw,pids
29 1 8:1 / / rw - ext4 /dev/vda rw";

    #[test]
    fn mountinfo_yields_the_cgroup_mounts_with_their_controllers() {
        let mounts = parse_mounts(MOUNTINFO);
        assert_eq!(mounts.len(), 3);
        assert_eq!(mounts[0].fstype, "cgroup2");
        assert_eq!(mounts[0].point, Path::new("/sys/fs/cgroup/unified"));
        assert_eq!(mounts[1].options, vec!["rw", "memory"]);
        assert_eq!(mounts[2].root, "/docker/abc");
    }

    #[test]
    fn a_group_path_is_taken_relative_to_the_mount_root() {
        let mounts = parse_mounts(MOUNTINFO);
        assert_eq!(
            group_dir(&mounts[0], "/user.slice/app.scope"),
            Path::new("/sys/fs/cgroup/unified/user.slice/app.scope")
        );
        assert_eq!(
            group_dir(&mounts[2], "/docker/abc/job"),
            Path::new("/sys/fs/cgroup/pids/job")
        );
        assert_eq!(
            group_dir(&mounts[0], "/"),
            Path::new("/sys/fs/cgroup/unified")
        );
    }

    #[test]
    fn membership_finds_the_v2_line_and_each_v1_controller() {
        let membership = "9:name=systemd:/\n4:memory:/api/x\n2:cpu,cpuacct:/\n0::/user.slice/a b";
        let v2 = membership_path(membership, |id, c| id == "0" && c.is_empty());
        assert_eq!(v2, Some("/user.slice/a b"));
        let memory = membership_path(membership, |id, c| {
            id != "0" && c.split(',').any(|c| c == "memory")
        });
        assert_eq!(memory, Some("/api/x"));
        let cpuacct = membership_path(membership, |_, c| c.split(',').any(|c| c == "cpuacct"));
        assert_eq!(cpuacct, Some("/"));
    }

    #[test]
    fn escaped_mount_points_are_decoded() {
        assert_eq!(unescape("/mnt/a\\040b\\134c"), "/mnt/a b\\c");
    }
}
