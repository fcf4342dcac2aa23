//! Finding this host's control groups, once: the cgroup mounts and this
//! process's membership (`/proc/self/mountinfo`, `/proc/self/cgroup`), the
//! v2 home or the v1 hierarchies where DevOS may make step groups, which
//! controllers it can hand them, and the leftovers of a DevOS that is gone.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use super::super::Process;
use super::{Controller, Home, STEP_PREFIX, Support, Version, kill_and_remove};

pub(super) fn detect() -> Support {
    let (Ok(membership), Ok(mounts)) = (
        fs::read_to_string("/proc/self/cgroup"),
        fs::read_to_string("/proc/self/mountinfo"),
    ) else {
        return Support {
            homes: Vec::new(),
            no_kill_reason: Some("/proc does not describe control groups".to_owned()),
        };
    };
    let mounts = parse_mounts(&mounts);
    let mut homes = Vec::new();
    let mut no_kill_reason = None;
    match v2_home(&membership, &mounts) {
        Ok(home) => homes.push(home),
        Err(reason) => no_kill_reason = Some(reason),
    }
    for controller in Controller::ALL {
        if homes
            .iter()
            .any(|home| home.controllers.contains(&controller))
        {
            continue;
        }
        if let Some(home) = v1_home(controller, &membership, &mounts) {
            homes.push(home);
        }
    }
    for home in &homes {
        remove_leftovers(home);
    }
    Support {
        homes,
        no_kill_reason,
    }
}

/// One cgroup mount: its type, the hierarchy path it shows, where, and its
/// super options (the v1 controllers).
#[derive(Debug, PartialEq, Eq)]
pub(super) struct Mount {
    pub(super) fstype: String,
    pub(super) root: String,
    pub(super) point: PathBuf,
    pub(super) options: Vec<String>,
}

/// The cgroup mounts of `/proc/self/mountinfo`
/// (`ID PARENT MAJ:MIN ROOT POINT OPTS [TAGS…] - FSTYPE SOURCE SUPEROPTS`).
pub(super) fn parse_mounts(mountinfo: &str) -> Vec<Mount> {
    mountinfo
        .lines()
        .filter_map(|line| {
            let (head, tail) = line.split_once(" - ")?;
            let head: Vec<&str> = head.split(' ').collect();
            let tail: Vec<&str> = tail.split(' ').collect();
            let fstype = *tail.first()?;
            if fstype != "cgroup" && fstype != "cgroup2" {
                return None;
            }
            Some(Mount {
                fstype: fstype.to_owned(),
                root: (*head.get(3)?).to_owned(),
                point: PathBuf::from(unescape(head.get(4)?)),
                options: tail
                    .get(2)
                    .map(|o| o.split(',').map(str::to_owned).collect())
                    .unwrap_or_default(),
            })
        })
        .collect()
}

/// mountinfo writes space, tab, newline and backslash as octal escapes.
pub(super) fn unescape(field: &str) -> String {
    field
        .replace("\\040", " ")
        .replace("\\011", "\t")
        .replace("\\012", "\n")
        .replace("\\134", "\\")
}

/// The directory of this process's group in `mount`, given its path in the
/// hierarchy (from `/proc/self/cgroup`).
pub(super) fn group_dir(mount: &Mount, path: &str) -> PathBuf {
    let relative = path
        .strip_prefix(mount.root.as_str())
        .unwrap_or(path)
        .trim_start_matches('/');
    if relative.is_empty() {
        mount.point.clone()
    } else {
        mount.point.join(relative)
    }
}

/// The path of this process's group in the hierarchy whose
/// `/proc/self/cgroup` line matches `is_it` (given its controller list).
pub(super) fn membership_path(
    membership: &str,
    is_it: impl Fn(&str, &str) -> bool,
) -> Option<&str> {
    membership.lines().find_map(|line| {
        let mut fields = line.splitn(3, ':');
        let (id, controllers, path) = (fields.next()?, fields.next()?, fields.next()?);
        is_it(id, controllers).then_some(path)
    })
}

fn v2_home(membership: &str, mounts: &[Mount]) -> Result<Home, String> {
    let path = membership_path(membership, |id, controllers| {
        id == "0" && controllers.is_empty()
    })
    .ok_or("this process is in no cgroup v2 hierarchy")?;
    let mount = mounts
        .iter()
        .find(|mount| mount.fstype == "cgroup2")
        .ok_or("no cgroup v2 file system is mounted")?;
    let dir = group_dir(mount, path);
    let controllers = enable_controllers(&dir, path == "/");
    let can_kill = probe(&dir, "cgroup.kill").map_err(|error| {
        format!(
            "cannot make a control group in {} ({error}); under systemd, give the unit Delegate=yes",
            dir.display()
        )
    })?;
    if !can_kill {
        return Err(format!(
            "the kernel has no cgroup.kill (Linux 5.14 or later is needed), or DevOS may not \
             move processes in {}",
            dir.display()
        ));
    }
    Ok(Home {
        version: Version::V2,
        dir,
        controllers,
        can_kill,
    })
}

/// The controllers step groups under `dir` can use, enabling them when
/// available. cgroup v2 lets a group hand controllers to its children only
/// while it holds no processes itself (the root excepted), so DevOS first
/// moves into a leaf `devos-server` of its own; if other processes share
/// the group (DevOS started from a terminal), enabling fails and step
/// groups still kill, without limits.
fn enable_controllers(dir: &Path, is_root: bool) -> Vec<Controller> {
    let words = |file: &str| -> Vec<String> {
        fs::read_to_string(dir.join(file))
            .map(|text| text.split_whitespace().map(str::to_owned).collect())
            .unwrap_or_default()
    };
    let available = words("cgroup.controllers");
    let wanted: Vec<Controller> = Controller::ALL
        .into_iter()
        .filter(|c| available.iter().any(|a| a == c.name()))
        .collect();
    let enabled = words("cgroup.subtree_control");
    let missing: Vec<Controller> = wanted
        .iter()
        .copied()
        .filter(|c| !enabled.iter().any(|e| e == c.name()))
        .collect();
    // The root of a hierarchy (a container's, DevOS running as root) is the
    // machine's to configure: what it enables is used, nothing is changed.
    if !missing.is_empty() && !is_root {
        let leaf = dir.join("devos-server");
        let moved = (leaf.is_dir() || fs::create_dir(&leaf).is_ok())
            && fs::write(leaf.join("cgroup.procs"), std::process::id().to_string()).is_ok();
        if moved {
            for controller in &missing {
                let _ = fs::write(
                    dir.join("cgroup.subtree_control"),
                    format!("+{}", controller.name()),
                );
            }
        }
    }
    let enabled = words("cgroup.subtree_control");
    wanted
        .into_iter()
        .filter(|c| enabled.iter().any(|e| e == c.name()))
        .collect()
}

/// A v1 hierarchy of `controller` (hybrid hosts), when DevOS can make
/// groups in it.
fn v1_home(controller: Controller, membership: &str, mounts: &[Mount]) -> Option<Home> {
    let name = controller.name();
    let has = |list: &str| list.split(',').any(|c| c == name);
    let path = membership_path(membership, |id, controllers| id != "0" && has(controllers))?;
    let mount = mounts
        .iter()
        .find(|mount| mount.fstype == "cgroup" && mount.options.iter().any(|o| o == name))?;
    let dir = group_dir(mount, path);
    let usable = probe(&dir, controller.limit_file(Version::V1)).ok()?;
    usable.then(|| Home {
        version: Version::V1,
        dir,
        controllers: vec![controller],
        can_kill: false,
    })
}

/// Makes and removes a trial group in `dir`: whether it has `file`, and
/// whether this process may move processes into it (write access to its
/// `cgroup.procs` and to that of `dir`, the common ancestor of DevOS's group
/// and its steps'). `Err` when no group can be made there at all.
fn probe(dir: &Path, file: &str) -> io::Result<bool> {
    use nix::unistd::{AccessFlags, access};
    let trial = dir.join(format!("{STEP_PREFIX}probe-{}", std::process::id()));
    fs::create_dir(&trial)?;
    let may_move = |group: &Path| access(&group.join("cgroup.procs"), AccessFlags::W_OK).is_ok();
    let usable = trial.join(file).exists() && may_move(&trial) && may_move(dir);
    let _ = fs::remove_dir(&trial);
    Ok(usable)
}

/// Removes step groups whose DevOS process is gone (a crash that took the
/// reaper with it), killing what is left in them first.
fn remove_leftovers(home: &Home) {
    let Ok(entries) = fs::read_dir(&home.dir) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(owner) = name.to_str().and_then(|n| n.strip_prefix(STEP_PREFIX)) else {
            continue;
        };
        let mut fields = owner.split('-');
        let runner = match (fields.next(), fields.next()) {
            (Some(pid), Some(start)) => pid
                .parse()
                .ok()
                .zip(start.parse().ok())
                .map(|(pid, start_ticks)| Process { pid, start_ticks }),
            _ => None,
        };
        // A probe of a live process, or a group of a live DevOS, is left alone.
        let is_live = match runner {
            Some(runner) => runner.is_alive(),
            None => owner
                .strip_prefix("probe-")
                .and_then(|pid| pid.parse::<i32>().ok())
                .is_some_and(|pid| Process::find(pid).is_some()),
        };
        if !is_live {
            if home.can_kill {
                kill_and_remove(&entry.path());
            } else {
                let _ = fs::remove_dir(entry.path());
            }
        }
    }
}
