//! Real processes in tests: whether a process is gone, who is left in a
//! process group, and a listener to find. Shared with the server's tests,
//! which include this file.

use std::io::{BufRead as _, BufReader};
use std::process::{Child, Command, Stdio};

/// Whether `pid` has at least begun to exit. A step returns once every
/// holder of its output pipes closed them, which happens inside the kernel's
/// exit path after `PF_EXITING` is set but possibly before the zombie state,
/// so checking only for absence or `Z` would race.
pub fn is_gone(pid: i32) -> bool {
    const PF_EXITING: u64 = 0x4;
    let Ok(stat) = std::fs::read_to_string(format!("/proc/{pid}/stat")) else {
        return true;
    };
    let fields: Vec<&str> = stat
        .rsplit(')')
        .next()
        .unwrap()
        .split_whitespace()
        .collect();
    let flags: u64 = fields[6].parse().unwrap();
    fields[0] == "Z" || fields[0] == "X" || flags & PF_EXITING != 0
}

/// Every live process whose process group is `pgid`.
pub fn group_members(pgid: i32) -> Vec<i32> {
    let mut members = Vec::new();
    for entry in std::fs::read_dir("/proc").unwrap().flatten() {
        let Some(pid) = entry.file_name().to_str().and_then(|s| s.parse().ok()) else {
            continue;
        };
        let Ok(stat) = std::fs::read_to_string(entry.path().join("stat")) else {
            continue;
        };
        let Some(rest) = stat.rsplit(')').next() else {
            continue;
        };
        let fields: Vec<&str> = rest.split_whitespace().collect();
        if fields.get(2).and_then(|g| g.parse::<i32>().ok()) == Some(pgid) && !is_gone(pid) {
            members.push(pid);
        }
    }
    members
}

/// A real python3 process listening on a free port of 127.0.0.1, with
/// `secret_arg` on its command line; returns it and the port.
pub fn python_listener(secret_arg: &str) -> (Child, u16) {
    let mut child = Command::new("python3")
        .args([
            "-c",
            "import socket, time\n\
             s = socket.socket(); s.bind(('127.0.0.1', 0)); s.listen()\n\
             print(s.getsockname()[1], flush=True); time.sleep(60)",
            secret_arg,
        ])
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    (child, line.trim().parse().unwrap())
}
