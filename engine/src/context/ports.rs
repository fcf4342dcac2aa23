//! Listening TCP sockets and their owning processes, read from Linux
//! `/proc/net/tcp{,6}` and the socket links in `/proc/<pid>/fd`. Processes of
//! other users are skipped where `/proc` does not let us see their fds; the
//! socket is still listed, without an owner. Elsewhere it finds nothing.

use std::collections::HashMap;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use judge::context::Listener;

/// TCP state code of LISTEN in `/proc/net/tcp`.
const LISTEN: &str = "0A";

/// Parses a `/proc/net/tcp` or `/proc/net/tcp6` table into
/// `(address, port, socket inode)` of its listening sockets.
pub(crate) fn parse_tcp_table(text: &str) -> Vec<(IpAddr, u16, u64)> {
    text.lines()
        .skip(1)
        .filter_map(|line| {
            let fields: Vec<&str> = line.split_whitespace().collect();
            if fields.get(3) != Some(&LISTEN) {
                return None;
            }
            let (address, port) = fields.get(1)?.split_once(':')?;
            let port = u16::from_str_radix(port, 16).ok()?;
            let inode = fields.get(9)?.parse().ok()?;
            Some((parse_address(address)?, port, inode))
        })
        .collect()
}

/// `/proc` prints addresses as 32-bit words in host (little-endian) order.
fn parse_address(hex: &str) -> Option<IpAddr> {
    match hex.len() {
        8 => {
            let value = u32::from_str_radix(hex, 16).ok()?;
            Some(IpAddr::V4(Ipv4Addr::from(value.to_le_bytes())))
        }
        32 => {
            let mut octets = [0u8; 16];
            for (slot, start) in octets.chunks_mut(4).zip((0..32).step_by(8)) {
                let value = u32::from_str_radix(hex.get(start..start + 8)?, 16).ok()?;
                slot.copy_from_slice(&value.to_le_bytes());
            }
            Some(IpAddr::V6(Ipv6Addr::from(octets)))
        }
        _ => None,
    }
}

/// The listening sockets of this machine with their owners; `describe`
/// gives the name and (redacted) command line of a pid.
pub(crate) fn listeners(describe: &dyn Fn(u32) -> Option<(String, String)>) -> Vec<Listener> {
    let mut sockets = Vec::new();
    for table in ["/proc/net/tcp", "/proc/net/tcp6"] {
        if let Ok(text) = std::fs::read_to_string(table) {
            sockets.extend(parse_tcp_table(&text));
        }
    }
    if sockets.is_empty() {
        return Vec::new();
    }
    let mut owners: HashMap<u64, u32> = sockets.iter().map(|(_, _, inode)| (*inode, 0)).collect();
    find_owners(&mut owners);
    let mut result: Vec<Listener> = sockets
        .into_iter()
        .map(|(address, port, inode)| {
            let pid = owners.get(&inode).copied().filter(|pid| *pid != 0);
            let (process, command) = pid.and_then(describe).unzip();
            Listener {
                port,
                address,
                pid,
                process,
                command,
            }
        })
        .collect();
    result.sort_by_key(|listener| (listener.port, listener.address));
    result.dedup_by(|a, b| a.port == b.port && a.pid == b.pid && a.address == b.address);
    result
}

/// Fills in the pid owning each socket inode, scanning `/proc/*/fd` until all are found.
fn find_owners(owners: &mut HashMap<u64, u32>) {
    let Ok(processes) = std::fs::read_dir("/proc") else {
        return;
    };
    let mut missing = owners.len();
    for process in processes.flatten() {
        let Some(pid) = process
            .file_name()
            .to_str()
            .and_then(|name| name.parse::<u32>().ok())
        else {
            continue;
        };
        let Ok(fds) = std::fs::read_dir(process.path().join("fd")) else {
            continue; // another user's process
        };
        for fd in fds.flatten() {
            let Ok(target) = std::fs::read_link(fd.path()) else {
                continue;
            };
            let Some(inode) = target
                .to_str()
                .and_then(|target| target.strip_prefix("socket:["))
                .and_then(|rest| rest.strip_suffix(']'))
                .and_then(|inode| inode.parse::<u64>().ok())
            else {
                continue;
            };
            if let Some(owner) = owners.get_mut(&inode)
                && *owner == 0
            {
                *owner = pid;
                missing -= 1;
                if missing == 0 {
                    return;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use pretty_assertions::assert_eq;

    #[test]
    fn proc_tables_parse_listeners_only() {
        let v4 = "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n\
   0: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 4242 1 0000000000000000 100 0 0 10 0\n\
   1: 0100007F:A1B2 0100007F:1F90 01 00000000:00000000 00:00000000 00000000  1000        0 4343 1 0000000000000000 20 4 30 10 -1\n";
        assert_eq!(
            parse_tcp_table(v4),
            vec![(IpAddr::V4(Ipv4Addr::LOCALHOST), 8080, 4242)]
        );
        let v6 = "  sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n\
   0: 00000000000000000000000001000000:0BB8 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 77 1 0000000000000000 100 0 0 10 0\n";
        assert_eq!(
            parse_tcp_table(v6),
            vec![(IpAddr::V6(Ipv6Addr::LOCALHOST), 3000, 77)]
        );
    }
}
