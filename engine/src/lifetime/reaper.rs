//! The reaper: a helper process (`devos reap`) that exists to outlive a
//! crashed DevOS. DevOS writes `+ PGID START_TICKS [CGROUP_DIR]` when a
//! step's process group starts (with its control group, when it has one)
//! and `- PGID` when it has been killed; when the pipe closes — DevOS
//! exited, cleanly or by `kill -9` — the reaper kills every group still
//! listed (checking the leader's start time, so a recycled id is left
//! alone; a control group is killed whole) and exits. It runs in its own
//! process group, so a Ctrl+C in the terminal reaches DevOS (which shuts
//! down cleanly) but not the reaper.

use std::collections::HashMap;
use std::io::{self, BufRead, Write as _};
use std::os::unix::process::CommandExt as _;
use std::path::{Path, PathBuf};
use std::process::{ChildStdin, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, OnceLock};

use super::Process;

/// The running reaper of this process.
struct Reaper {
    input: Mutex<ChildStdin>,
    /// Set after the first failed write, so a dead reaper is logged once.
    is_broken: AtomicBool,
}

static REAPER: OnceLock<Reaper> = OnceLock::new();

/// Starts `program args…` as this process's reaper. Without one (tests, or
/// when this fails) steps still die with DevOS through the parent-death
/// signal, but their own children may not.
pub fn start(program: &Path, args: &[&str]) -> io::Result<()> {
    if REAPER.get().is_some() {
        return Ok(());
    }
    let mut child = Command::new(program)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .process_group(0)
        .spawn()?;
    let input = child
        .stdin
        .take()
        .ok_or_else(|| io::Error::other("the reaper has no stdin"))?;
    // Never waited for: it exits after DevOS, reparented to init.
    drop(child);
    let _ = REAPER.set(Reaper {
        input: Mutex::new(input),
        is_broken: AtomicBool::new(false),
    });
    Ok(())
}

/// Tells the reaper that the group `leader` leads is a step's, and which
/// control group (`cgroup.kill`) holds it, if any.
pub(crate) fn track(leader: &Process, cgroup: Option<&Path>) {
    let cgroup = cgroup
        .and_then(Path::to_str)
        .filter(|dir| !dir.contains('\n'))
        .map(|dir| format!(" {dir}"))
        .unwrap_or_default();
    send(&format!(
        "+ {} {}{cgroup}\n",
        leader.pid, leader.start_ticks
    ));
}

/// Tells the reaper that the group `leader` led was killed.
pub(crate) fn untrack(leader: &Process) {
    send(&format!("- {}\n", leader.pid));
}

fn send(line: &str) {
    let Some(reaper) = REAPER.get() else {
        return;
    };
    let written = reaper
        .input
        .lock()
        .map_err(|_| io::Error::other("reaper pipe lock poisoned"))
        .and_then(|mut input| input.write_all(line.as_bytes()));
    if let Err(error) = written
        && !reaper.is_broken.swap(true, Ordering::Relaxed)
    {
        tracing::warn!(%error, "the reaper is gone; a crash could leave a step's children running");
    }
}

/// The reaper's whole life: follow `input` until it ends, then kill the
/// groups still listed. Returns how many live processes they had.
pub fn run(input: impl BufRead) -> usize {
    let mut tracked = HashMap::new();
    for line in input.lines() {
        let Ok(line) = line else {
            break;
        };
        apply(&line, &mut tracked);
    }
    tracked
        .into_iter()
        .map(|(pid, (start_ticks, cgroup))| {
            let stopped = Process { pid, start_ticks }.stop_group();
            if let Some(dir) = cgroup {
                super::cgroup::kill_and_remove(&dir);
            }
            stopped
        })
        .sum()
}

/// What the reaper keeps per group: the leader's start time and the
/// step's control group.
type Tracked = HashMap<i32, (u64, Option<PathBuf>)>;

/// Applies one line; anything malformed is ignored. A control group's
/// directory is the rest of the line (it may hold spaces).
fn apply(line: &str, tracked: &mut Tracked) {
    let words: Vec<&str> = line.splitn(4, ' ').collect();
    match words.as_slice() {
        ["+", pid, ticks, rest @ ..] => {
            let cgroup = match rest {
                [] => None,
                [dir] if dir.starts_with('/') => Some(PathBuf::from(dir)),
                _ => return,
            };
            if let (Ok(pid), Ok(ticks)) = (pid.parse(), ticks.parse()) {
                tracked.insert(pid, (ticks, cgroup));
            }
        }
        ["-", pid] => {
            if let Ok(pid) = pid.parse::<i32>() {
                tracked.remove(&pid);
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use pretty_assertions::assert_eq;

    #[test]
    fn lines_add_and_remove_groups() {
        let mut tracked = HashMap::new();
        for line in [
            "+ 10 500",
            "+ 11 600",
            "- 10",
            "+ x 1",
            "+ 12",
            "junk",
            "- 99",
            "+ 13 700 /sys/fs/cgroup/app/devos-step-1-2-3",
            "+ 14 800 /sys/fs/cgroup/a b",
            "+ 15 900 relative",
        ] {
            apply(line, &mut tracked);
        }
        assert_eq!(
            tracked,
            HashMap::from([
                (11, (600, None)),
                (
                    13,
                    (
                        700,
                        Some(PathBuf::from("/sys/fs/cgroup/app/devos-step-1-2-3"))
                    )
                ),
                (14, (800, Some(PathBuf::from("/sys/fs/cgroup/a b")))),
            ])
        );
    }

    #[test]
    fn at_end_of_input_listed_groups_die_and_removed_ones_live() {
        let spawn = || {
            let child = Command::new("bash")
                .args(["-c", "sleep 600 & sleep 601; wait"])
                .process_group(0)
                .spawn()
                .unwrap();
            let pid = i32::try_from(child.id()).unwrap();
            (child, pid)
        };
        let (mut listed, listed_pid) = spawn();
        let (mut removed, removed_pid) = spawn();
        let members = |pgid: i32| {
            super::super::procfs::processes()
                .iter()
                .filter(|p| p.pgrp == pgid && !p.is_exiting)
                .count()
        };
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
        while members(listed_pid) < 3 || members(removed_pid) < 3 {
            assert!(std::time::Instant::now() < deadline, "groups never started");
            std::thread::sleep(std::time::Duration::from_millis(10));
        }
        let line = |pid: i32| {
            let process = Process::find(pid).unwrap();
            format!("+ {pid} {}\n", process.start_ticks)
        };
        let input = format!("{}{}- {removed_pid}\n", line(listed_pid), line(removed_pid));
        assert_eq!(run(io::Cursor::new(input)), 3);
        listed.wait().unwrap();
        assert_eq!(members(removed_pid), 3, "an untracked group is left alone");
        assert_eq!(Process::find(removed_pid).unwrap().stop_group(), 3);
        removed.wait().unwrap();
    }
}
