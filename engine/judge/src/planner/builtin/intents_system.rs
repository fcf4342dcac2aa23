//! Process and system intents: top processes, whether something runs, what
//! listens on a port, killing, and system facts (uptime, kernel, disk,
//! memory, user, date). Everything is read-only except kill, which is
//! destructive and always shows the matching processes first.

use crate::plan::{Plan, SafetyLevel};

use super::intent::{Effect, Intent};
use super::query::Query;
use super::quote::quote;
use super::steps::{bash, plan, read};

/// The process and system intents.
pub(super) const INTENTS: &[Intent] = &[
    Intent {
        name: "kill_process",
        effect: Effect::Signals,
        examples: &["kill process 1234", "kill firefox", "stop the node process"],
        all: &[&[
            "kill",
            "terminate",
            "pkill",
            "killall",
            "stop",
            "end process",
            "force quit",
        ]],
        any: &["process", "pid"],
        none: &["<port>", "branch", "stash*", "<other_signal>"],
        build: kill_process,
    },
    Intent {
        name: "port_listener",
        effect: Effect::Reads,
        examples: &[
            "what is listening on port 8080",
            "which process uses port 3000",
        ],
        all: &[&["<port>"]],
        any: &[
            "listening",
            "listens",
            "using",
            "uses",
            "who",
            "what",
            "which",
            "process",
            "port",
        ],
        none: &[],
        build: port_listener,
    },
    Intent {
        name: "list_ports",
        effect: Effect::Reads,
        examples: &["show listening ports", "what ports are open"],
        all: &[&["ports", "listening", "listeners", "sockets"]],
        any: &["open", "show", "list"],
        none: &["<port>"],
        build: list_ports,
    },
    Intent {
        name: "top_memory",
        effect: Effect::Reads,
        examples: &["what's using the most memory", "top processes by memory"],
        all: &[
            &["memory", "ram", "mem"],
            &[
                "process*", "top", "most", "using", "eating", "hog*", "uses", "consum*",
                "heaviest", "biggest", "what",
            ],
        ],
        any: &["processes"],
        none: &[
            "free",
            "available",
            "how much memory",
            "how much ram",
            "total",
            "left",
        ],
        build: top_memory,
    },
    Intent {
        name: "top_cpu",
        effect: Effect::Reads,
        examples: &["top processes by cpu", "what's eating my cpu"],
        all: &[
            &["cpu", "processor", "load"],
            &[
                "process*", "top", "most", "using", "eating", "hog*", "uses", "consum*",
                "heaviest", "what", "busiest",
            ],
        ],
        any: &["processes"],
        none: &[
            "machine",
            "model",
            "core*",
            "computer",
            "box",
            "how many",
            "number of",
        ],
        build: top_cpu,
    },
    Intent {
        name: "process_running",
        effect: Effect::Reads,
        examples: &["is nginx running", "check if postgres is running"],
        all: &[
            &["running", "alive", "up"],
            &["is", "check", "whether", "if", "are"],
        ],
        any: &["process"],
        none: &[
            "what",
            "which",
            "processes",
            "all",
            "how long",
            "since",
            "port*",
            "been",
            "system",
            "computer",
            "machine",
        ],
        build: process_running,
    },
    Intent {
        name: "list_processes",
        effect: Effect::Reads,
        examples: &["list running processes", "ps"],
        all: &[&["processes", "ps"]],
        any: &["list", "show", "running", "all"],
        none: &[
            "memory",
            "ram",
            "cpu",
            "kill",
            "terminate",
            "stop",
            "end",
            "pkill",
            "port*",
        ],
        build: list_processes,
    },
    Intent {
        name: "uptime",
        effect: Effect::Reads,
        examples: &["uptime", "how long has the system been up"],
        all: &[&[
            "uptime",
            "how long",
            "up since",
            "been up",
            "been running",
            "last boot",
        ]],
        any: &["system", "machine", "computer"],
        none: &["commit*", "<file>"],
        build: |_| {
            Ok(system(
                "Show how long the system has been up",
                "uptime",
                "Also shows logged-in users and load averages.",
            ))
        },
    },
    Intent {
        name: "kernel_version",
        effect: Effect::Reads,
        examples: &["what kernel am I running", "uname"],
        all: &[&["kernel", "uname", "linux version"]],
        any: &["version"],
        none: &[
            "os",
            "distro*",
            "distribution",
            "operating system",
            "release",
        ],
        build: |_| {
            Ok(system(
                "Show the kernel and system information",
                "uname -a",
                "Prints the kernel name, release and architecture.",
            ))
        },
    },
    Intent {
        name: "disk_free",
        effect: Effect::Reads,
        examples: &["how much disk space is free", "df"],
        all: &[
            &[
                "disk space",
                "free",
                "available",
                "left",
                "remaining",
                "df",
                "full",
                "percent*",
                "usage",
                "%",
            ],
            &["disk", "space", "storage", "df", "drive*"],
        ],
        any: &["how much"],
        none: &[
            "memory",
            "ram",
            "inode*",
            "-i",
            "each",
            "folder*",
            "director*",
            "taking",
            "per",
        ],
        build: |_| {
            Ok(system(
                "Show free disk space on each mounted filesystem",
                "df -h",
                "Sizes are human-readable.",
            ))
        },
    },
    Intent {
        name: "memory_usage",
        effect: Effect::Reads,
        examples: &["how much memory is free", "show ram usage"],
        all: &[&["memory", "ram", "mem", "swap"]],
        any: &["free", "how much", "available", "total", "usage"],
        none: &[
            "process*",
            "using",
            "eating",
            "hog*",
            "most",
            "top",
            "consum*",
            "uses",
            "swp",
            "swap files",
        ],
        build: |_| {
            Ok(system(
                "Show memory and swap usage",
                "free -h",
                "Used, free and available memory, human-readable.",
            ))
        },
    },
    Intent {
        name: "current_user",
        effect: Effect::Reads,
        examples: &["whoami", "which user am I logged in as"],
        all: &[&[
            "whoami",
            "who am i",
            "current user",
            "my username",
            "logged in as",
            "which user",
            "what user",
            "username",
        ]],
        any: &[],
        none: &[],
        build: |_| {
            Ok(system(
                "Show the current user name",
                "whoami",
                "Prints the user DevOS runs commands as.",
            ))
        },
    },
    Intent {
        name: "date",
        effect: Effect::Reads,
        examples: &["what's the date", "what time is it"],
        all: &[&["date", "time", "day"]],
        any: &["what", "current", "today"],
        none: &[
            "file*", "modified", "changed", "commit*", "uptime", "how long", "<path>", "older",
            "newer", "last", "since", "cpu", "up", "zone", "timezone", "tz",
        ],
        build: |_| {
            Ok(system(
                "Show the current date and time",
                "date",
                "Local date, time and time zone.",
            ))
        },
    },
];

fn system(interpretation: &str, command: &str, explanation: &str) -> Plan {
    plan(
        interpretation,
        vec![read(interpretation, command)],
        explanation,
    )
}

fn top(query: &Query<'_>, resource: &str, sort_key: &str) -> Plan {
    let count = query.count().unwrap_or(10);
    let interpretation = format!("Show the {count} processes using the most {resource}");
    plan(
        interpretation.clone(),
        vec![read(
            interpretation,
            format!(
                "ps aux --sort=-{sort_key} | head -n {}",
                count.saturating_add(1)
            ),
        )],
        "ps lists every process, sorted; the first line is the header.",
    )
}

fn top_memory(query: &Query<'_>) -> Result<Plan, String> {
    Ok(top(query, "memory", "%mem"))
}

fn top_cpu(query: &Query<'_>) -> Result<Plan, String> {
    Ok(top(query, "CPU", "%cpu"))
}

fn list_processes(_query: &Query<'_>) -> Result<Plan, String> {
    Ok(system(
        "List the running processes",
        "ps aux",
        "One line per process with its user, CPU, memory and command.",
    ))
}

/// The process name near `anchors`: for "is nginx running" the word before
/// "running", for "kill firefox" the word after "kill", skipping fillers.
fn process_name(query: &Query<'_>, anchors: &[&str], forward: bool) -> Option<String> {
    const SKIP: [&str; 18] = [
        "is",
        "still",
        "currently",
        "process",
        "processes",
        "server",
        "service",
        "the",
        "a",
        "all",
        "named",
        "called",
        "program",
        "app",
        "every",
        "-9",
        "there",
        "daemon",
    ];
    let anchor = (0..query.tokens.len()).find(|&index| anchors.contains(&query.lower(index)))?;
    let mut index = anchor;
    loop {
        index = if forward {
            index.checked_add(1)?
        } else {
            index.checked_sub(1)?
        };
        let token = query.tokens.get(index)?;
        if token.is_quoted || !SKIP.contains(&token.lower.as_str()) {
            let is_name = !token.raw.is_empty()
                && !["if", "check", "whether", "and", "it"].contains(&token.lower.as_str());
            return is_name.then(|| token.raw.clone());
        }
    }
}

fn process_running(query: &Query<'_>) -> Result<Plan, String> {
    let name = process_name(query, &["running", "alive", "up"], false)
        .ok_or("say which program, e.g. \"is nginx running\".")?;
    let interpretation = format!("Check whether {name} is running");
    Ok(plan(
        interpretation.clone(),
        vec![read(
            interpretation,
            format!(
                "pgrep -a -i -- {} || echo {}",
                quote(&name),
                quote(&format!("{name} is not running"))
            ),
        )],
        "pgrep lists matching processes with their pid and command line.",
    ))
}

fn port_listener(query: &Query<'_>) -> Result<Plan, String> {
    let port = query
        .port()
        .ok_or("say the port number, e.g. \"what is listening on port 8080\".")?;
    let interpretation = format!("Show which process is listening on port {port}");
    Ok(plan(
        interpretation.clone(),
        vec![read(interpretation, format!("ss -ltnp 'sport = :{port}'"))],
        "ss lists listening TCP sockets on that port with the owning process (when it is yours).",
    ))
}

fn list_ports(_query: &Query<'_>) -> Result<Plan, String> {
    Ok(system(
        "List the listening TCP ports",
        "ss -ltnp",
        "Each listening socket with its address, port and process.",
    ))
}

/// The process listening on a dev port (3000-9999), from the context: the
/// one on the port the request names, else the lowest such port.
fn dev_server_listener(query: &Query<'_>) -> Option<(u32, String, u16)> {
    let processes = query.context?.processes.as_ref()?;
    let named_port = query.tokens.iter().find_map(|t| t.raw.parse::<u16>().ok());
    let mut listeners: Vec<_> = processes
        .listeners
        .iter()
        .filter(|l| crate::context::DEV_PORTS.contains(&l.port))
        .filter(|l| named_port.is_none_or(|port| port == l.port))
        .filter_map(|l| Some((l.pid?, l.process.clone().unwrap_or_default(), l.port)))
        .collect();
    listeners.sort_by_key(|(_, _, port)| *port);
    listeners.into_iter().next()
}

fn kill_process(query: &Query<'_>) -> Result<Plan, String> {
    let force = query.has_any(&["force", "forcefully", "-9", "hard", "sigkill"]);
    let signal = if force { "-KILL " } else { "" };
    let dev_server = if query.pid().is_none() && query.has_any(&["dev server", "server"]) {
        dev_server_listener(query)
    } else {
        None
    };
    let (interpretation, preview, command) = if let Some((pid, name, port)) = dev_server {
        (
            format!("Stop the dev server {name} (pid {pid}) listening on port {port}"),
            format!("ps -p {pid} -o pid,user,etime,args"),
            format!("kill {signal}{pid}"),
        )
    } else if let Some(pid) = query.pid() {
        (
            format!("Stop the process with pid {pid}"),
            format!("ps -p {pid} -o pid,user,etime,args"),
            format!("kill {signal}{pid}"),
        )
    } else {
        let name = process_name(
            query,
            &[
                "kill",
                "terminate",
                "pkill",
                "killall",
                "stop",
                "end",
                "quit",
            ],
            true,
        )
        .ok_or("say the process name or pid, e.g. \"kill process 1234\" or \"kill firefox\".")?;
        let quoted = quote(&name);
        (
            format!("Stop every process named {name}"),
            format!("pgrep -a -x -- {quoted}"),
            format!("pkill {signal}-x -- {quoted}"),
        )
    };
    let how = if force {
        "forcefully (SIGKILL)"
    } else {
        "politely (SIGTERM)"
    };
    let mut result = plan(
        interpretation.clone(),
        vec![
            read("Show the processes that would be stopped", preview),
            bash(
                format!("{interpretation} {how}"),
                command,
                SafetyLevel::Destructive,
            ),
        ],
        "The first step shows exactly which processes match; the second sends them the signal.",
    );
    result
        .risks
        .push("Unsaved work in the stopped processes is lost; this cannot be undone.".to_owned());
    Ok(result)
}
