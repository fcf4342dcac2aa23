//! Reading `/proc`: each process's parent, process group, start time
//! (field 22 of `/proc/PID/stat`, in clock ticks since boot) and whether it
//! is already exiting, plus the boot id. It only reads; it never signals.

/// What `/proc/PID/stat` says about one process.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct ProcStat {
    /// The process id.
    pub pid: i32,
    /// Its process group.
    pub pgrp: i32,
    /// When it started, in clock ticks since boot (field 22).
    pub start_ticks: u64,
    /// A zombie, or past the point of no return in `exit` (`PF_EXITING`).
    pub is_exiting: bool,
}

/// `/proc/PID/stat` of one process; `None` when it does not exist (any more).
pub(super) fn stat(pid: i32) -> Option<ProcStat> {
    let text = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    parse_stat(&text)
}

/// Every process the kernel lists now. Processes that end during the scan
/// are simply missing.
pub(super) fn processes() -> Vec<ProcStat> {
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    entries
        .flatten()
        .filter_map(|entry| entry.file_name().to_str()?.parse::<i32>().ok())
        .filter_map(stat)
        .collect()
}

/// This boot's id; start times are only comparable within one boot.
pub(super) fn boot_id() -> Option<String> {
    std::fs::read_to_string("/proc/sys/kernel/random/boot_id")
        .ok()
        .map(|id| id.trim().to_owned())
        .filter(|id| !id.is_empty())
}

/// Parses `pid (comm) state ppid pgrp … starttime …`. The command name may
/// hold spaces and parentheses, so fields are counted after the last `)`.
fn parse_stat(text: &str) -> Option<ProcStat> {
    const PF_EXITING: u64 = 0x4;
    let (head, rest) = text.rsplit_once(')')?;
    let pid = head.split_once('(')?.0.trim().parse().ok()?;
    // `rest` starts at field 3 (state), so field N is at index N - 3.
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let state = *fields.first()?;
    let pgrp = fields.get(2)?.parse().ok()?;
    let flags: u64 = fields.get(6)?.parse().ok()?;
    let start_ticks = fields.get(19)?.parse().ok()?;
    Some(ProcStat {
        pid,
        pgrp,
        start_ticks,
        is_exiting: matches!(state, "Z" | "X" | "x") || flags & PF_EXITING != 0,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use pretty_assertions::assert_eq;

    #[test]
    fn stat_lines_are_read_after_the_command_name() {
        let cases = [
            (
                "4242 (bash) S 1 4242 4242 0 -1 4194560 100 0 0 0 1 2 0 0 20 0 1 0 987654 1000 200",
                Some(ProcStat {
                    pid: 4242,
                    pgrp: 4242,
                    start_ticks: 987_654,
                    is_exiting: false,
                }),
            ),
            (
                "77 (a) b (c)) Z 1 70 70 0 -1 4194560 0 0 0 0 0 0 0 0 20 0 1 0 55 0 0",
                Some(ProcStat {
                    pid: 77,
                    pgrp: 70,
                    start_ticks: 55,
                    is_exiting: true,
                }),
            ),
            (
                "78 (sleep) S 1 70 70 0 -1 4194564 0 0 0 0 0 0 0 0 20 0 1 0 56 0 0",
                Some(ProcStat {
                    pid: 78,
                    pgrp: 70,
                    start_ticks: 56,
                    is_exiting: true,
                }),
            ),
            ("79 (cut short) S 1 70", None),
            ("not a stat line", None),
        ];
        for (line, expected) in cases {
            assert_eq!(parse_stat(line), expected, "{line}");
        }
    }

    #[test]
    fn this_process_is_listed_with_its_own_group() {
        let me = i32::try_from(std::process::id()).unwrap();
        let found = stat(me).unwrap();
        assert_eq!(found.pid, me);
        assert_eq!(found.pgrp, nix::unistd::getpgrp().as_raw());
        assert!(!found.is_exiting);
        assert!(processes().iter().any(|p| p.pid == me));
        assert!(boot_id().is_some());
    }
}
