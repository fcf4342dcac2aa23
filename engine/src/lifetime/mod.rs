//! A step never outlives DevOS. This module owns the three ways that is
//! made true; it never decides whether a step runs, and it does not talk to
//! the database (the pipeline stores what [`StepProcess`] records).
//!
//! 1. **The parent-death signal.** Every step's first process asks the
//!    kernel for SIGKILL when its parent dies (`PR_SET_PDEATHSIG`, set in the
//!    child by [`crate::sandbox::tie_to_devos`]). The kernel means the parent
//!    *thread*: a child forked from a tokio worker would be killed when that
//!    worker exits (tokio retires idle blocking threads, and `block_in_place`
//!    hands a worker's role to a new thread), which would end a healthy step.
//!    So every step is forked from one dedicated thread that lives as long as
//!    the process ([`spawn`]); the child also checks that its parent is still
//!    DevOS after setting the signal, closing the race with a DevOS that dies
//!    between `fork` and `prctl`.
//! 2. **The reaper.** The signal is not inherited by the step's own
//!    children (`bash -c 'sleep 600 & …'`), which stay in the step's process
//!    group. A small helper process (`devos reap`, [`reaper`]) is told each
//!    group as it starts and ends; when DevOS dies for any reason the pipe to
//!    it closes and it kills the groups still listed.
//! 3. **Recovery at start-up.** Each step's group is stored with its
//!    leader's start time, the DevOS process that ran it and the boot id
//!    ([`StepProcess`]); the next start kills whatever of the group is still
//!    alive before marking the job `interrupted`. A recycled pid is never
//!    signalled: the start time and the boot must match.
//!
//! What escapes all three — a process that leaves the step's group
//! (`setsid`, `setpgid`) — is caught where the kernel lets DevOS make a
//! control group per step ([`cgroup`]): the timeout, a cancellation, the
//! end of the step and the reaper then kill the whole control group.

pub mod cgroup;
mod procfs;
pub mod reaper;
mod spawner;

use std::sync::OnceLock;

use nix::sys::signal::{Signal, killpg};
use nix::unistd::Pid;

pub use spawner::spawn;

/// One process, named so that a recycled pid cannot be mistaken for it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Process {
    /// Its pid.
    pub pid: i32,
    /// When it started: field 22 of `/proc/PID/stat`, clock ticks since boot.
    pub start_ticks: u64,
}

impl Process {
    /// The process `pid` as it is now, when it exists.
    pub fn find(pid: i32) -> Option<Self> {
        procfs::stat(pid).map(|stat| Self {
            pid,
            start_ticks: stat.start_ticks,
        })
    }

    /// This DevOS process.
    pub fn current() -> Option<Self> {
        static CURRENT: OnceLock<Option<Process>> = OnceLock::new();
        *CURRENT.get_or_init(|| i32::try_from(std::process::id()).ok().and_then(Self::find))
    }

    /// Whether this very process (same pid, same start) is still running.
    pub fn is_alive(&self) -> bool {
        procfs::stat(self.pid)
            .is_some_and(|stat| stat.start_ticks == self.start_ticks && !stat.is_exiting)
    }

    /// Kills (SIGKILL) what is left of the process group this process led,
    /// and says how many live processes were in it. The leader itself may
    /// be gone; the group is left alone when its id now belongs to another
    /// process (the leader's pid exists with another start time), and its
    /// members must have started no earlier than the leader. Only valid on
    /// the boot the process was seen on.
    pub fn stop_group(&self) -> usize {
        let processes = procfs::processes();
        if processes
            .iter()
            .any(|p| p.pid == self.pid && p.start_ticks != self.start_ticks)
        {
            return 0;
        }
        let alive = processes
            .iter()
            .filter(|p| p.pgrp == self.pid && p.start_ticks >= self.start_ticks && !p.is_exiting)
            .count();
        if alive > 0 {
            // ESRCH: the group ended since the scan, which is what we want.
            if let Err(error) = killpg(Pid::from_raw(self.pid), Signal::SIGKILL)
                && error != nix::errno::Errno::ESRCH
            {
                tracing::warn!(pgid = self.pid, %error, "could not kill a step's process group");
            }
        }
        alive
    }
}

/// What is recorded with a running step: its process group (named by the
/// leader), the DevOS process that started it, and the boot both ran on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StepProcess {
    /// The group's first process; its pid is the process-group id.
    pub leader: Process,
    /// The DevOS process that ran the step.
    pub runner: Process,
    /// `/proc/sys/kernel/random/boot_id` when the step started.
    pub boot_id: String,
}

impl StepProcess {
    /// The record for a step whose first process is `leader`, run by this
    /// process; `None` when `/proc` cannot tell.
    pub fn started_by_us(leader: Process) -> Option<Self> {
        Some(Self {
            leader,
            runner: Process::current()?,
            boot_id: current_boot_id()?,
        })
    }

    /// Whether this is still the machine's current boot.
    pub fn is_this_boot(&self) -> bool {
        current_boot_id().is_some_and(|id| id == self.boot_id)
    }

    /// Whether the DevOS process that ran the step still runs (another
    /// `devos` process — a `devos ask`, a second server — may open the same
    /// database; its steps are not leftovers).
    pub fn is_runner_alive(&self) -> bool {
        self.is_this_boot() && self.runner.is_alive()
    }

    /// Kills what is left of the step's process group and says how many live
    /// processes it had; nothing (0) after a reboot, which ended them all.
    pub fn stop_leftovers(&self) -> usize {
        if self.is_this_boot() {
            self.leader.stop_group()
        } else {
            0
        }
    }
}

fn current_boot_id() -> Option<String> {
    static BOOT_ID: OnceLock<Option<String>> = OnceLock::new();
    BOOT_ID.get_or_init(procfs::boot_id).clone()
}

#[cfg(test)]
mod tests {
    use super::*;
    use pretty_assertions::assert_eq;

    fn sleeper_group() -> std::process::Child {
        use std::os::unix::process::CommandExt as _;
        std::process::Command::new("bash")
            .args(["-c", "sleep 600 & sleep 601; wait"])
            .process_group(0)
            .spawn()
            .unwrap()
    }

    fn wait_until(condition: impl Fn() -> bool) -> bool {
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
        while std::time::Instant::now() < deadline {
            if condition() {
                return true;
            }
            std::thread::sleep(std::time::Duration::from_millis(10));
        }
        false
    }

    fn members(pgid: i32) -> usize {
        procfs::processes()
            .iter()
            .filter(|p| p.pgrp == pgid && !p.is_exiting)
            .count()
    }

    #[test]
    fn a_group_with_a_recycled_leader_id_is_left_alone() {
        let mut child = sleeper_group();
        let pid = i32::try_from(child.id()).unwrap();
        assert!(wait_until(|| members(pid) == 3), "bash and two sleeps");
        let leader = Process::find(pid).unwrap();
        let impostor = Process {
            pid,
            start_ticks: leader.start_ticks.wrapping_sub(1),
        };
        assert!(!impostor.is_alive());
        assert_eq!(impostor.stop_group(), 0);
        assert_eq!(members(pid), 3, "nothing was signalled");

        assert!(leader.is_alive());
        assert_eq!(leader.stop_group(), 3);
        child.wait().unwrap();
        assert!(wait_until(|| members(pid) == 0), "the sleeps died too");
        assert_eq!(leader.stop_group(), 0, "nothing left");
    }

    #[test]
    fn a_step_of_another_boot_is_never_signalled() {
        let mut child = sleeper_group();
        let pid = i32::try_from(child.id()).unwrap();
        assert!(wait_until(|| members(pid) == 3));
        let mut step = StepProcess::started_by_us(Process::find(pid).unwrap()).unwrap();
        assert!(step.is_runner_alive());
        step.boot_id = "another-boot".to_owned();
        assert!(!step.is_runner_alive());
        assert_eq!(step.stop_leftovers(), 0);
        assert_eq!(members(pid), 3);
        step.boot_id = current_boot_id().unwrap();
        assert_eq!(step.stop_leftovers(), 3);
        child.wait().unwrap();
    }
}
