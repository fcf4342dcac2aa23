//! Processes: what a named process uses and when it started, a user's
//! processes, stopping whatever listens on a port, and sending a named
//! signal to a pid or a process name.

use crate::plan::{Plan, SafetyLevel};

use super::intent::{Effect, Intent};
use super::query::Query;
use super::quote::quote;
use super::steps::{bash, plan, read};

/// The process intents.
pub(super) const INTENTS: &[Intent] = &[
    Intent {
        name: "process_info",
        effect: Effect::Reads,
        examples: &["how much memory is nginx using", "when did postgres start"],
        all: &[
            &[
                "memory",
                "ram",
                "cpu",
                "start time",
                "started",
                "start",
                "since when",
                "how long",
                "open files",
            ],
            &["<process_name>"],
        ],
        any: &["process*", "using"],
        none: &[
            "most", "top", "<port>", "<pid>", "kill", "system", "machine", "computer",
        ],
        build: process_info,
    },
    Intent {
        name: "user_processes",
        effect: Effect::Reads,
        examples: &["show my processes", "list processes of user postgres"],
        all: &[
            &[
                "my processes",
                "processes of",
                "processes owned",
                "processes by user",
                "processes for user",
                "processes run by",
                "user",
            ],
            &["process*"],
        ],
        any: &["list", "show"],
        none: &["memory", "cpu", "kill", "<port>"],
        build: user_processes,
    },
    Intent {
        name: "kill_port",
        effect: Effect::Signals,
        examples: &[
            "kill whatever is running on port 3000",
            "stop the process on port 8080",
        ],
        all: &[
            &["kill", "stop", "terminate", "free up", "free port"],
            &["<port>"],
        ],
        any: &["process", "whatever", "running"],
        none: &[],
        build: kill_port,
    },
    Intent {
        name: "send_signal",
        effect: Effect::Signals,
        examples: &["send SIGHUP to process 1234", "send hup to nginx"],
        all: &[&["<signal>"], &["send", "signal", "<pid>", "kill"]],
        any: &["process", "to"],
        none: &["<port>"],
        build: send_signal,
    },
];

/// Signals people name, with their canonical names.
const SIGNALS: [(&str, &str); 18] = [
    ("sighup", "HUP"),
    ("hup", "HUP"),
    ("sigint", "INT"),
    ("sigterm", "TERM"),
    ("sigkill", "KILL"),
    ("sigusr1", "USR1"),
    ("usr1", "USR1"),
    ("sigusr2", "USR2"),
    ("usr2", "USR2"),
    ("sigstop", "STOP"),
    ("sigcont", "CONT"),
    ("sigquit", "QUIT"),
    ("-hup", "HUP"),
    ("-9", "KILL"),
    ("-15", "TERM"),
    ("-1", "HUP"),
    ("-int", "INT"),
    ("-term", "TERM"),
];

/// A signal named in the request.
pub(super) fn signal(query: &Query<'_>) -> Option<&'static str> {
    query.tokens.iter().find_map(|token| {
        SIGNALS
            .iter()
            .find(|(word, _)| token.lower == *word)
            .map(|(_, name)| *name)
    })
}

fn send_signal(query: &Query<'_>) -> Result<Plan, String> {
    const SKIP: [&str; 10] = [
        "to",
        "the",
        "process",
        "processes",
        "all",
        "every",
        "named",
        "called",
        "send",
        "a",
    ];
    let name = signal(query).ok_or("say the signal, e.g. \"send SIGHUP to process 1234\".")?;
    let level = SafetyLevel::Destructive;
    if let Some(pid) = query.pid().or_else(|| {
        query
            .tokens
            .iter()
            .find_map(|token| token.lower.parse::<u32>().ok().filter(|pid| *pid > 1))
    }) {
        let summary = format!("Send SIG{name} to process {pid}");
        return Ok(plan(
            summary.clone(),
            vec![
                read(
                    "Show the process",
                    format!("ps -p {pid} -o pid,user,etime,args"),
                ),
                bash(summary, format!("kill -s {name} {pid}"), level),
            ],
            "The process decides what the signal means (HUP often reloads configuration).",
        ));
    }
    let target = query
        .tokens
        .iter()
        .skip_while(|token| !matches!(token.lower.as_str(), "to" | "send" | "signal"))
        .find(|token| {
            token.is_quoted
                || (!SKIP.contains(&token.lower.as_str())
                    && !SIGNALS.iter().any(|(word, _)| token.lower == *word)
                    && token.lower != "signal")
        })
        .map(|token| token.raw.clone())
        .ok_or("say which process, e.g. \"send SIGHUP to nginx\".")?;
    let summary = format!("Send SIG{name} to every process named {target}");
    Ok(plan(
        summary.clone(),
        vec![
            read(
                "Show the processes that get the signal",
                format!("pgrep -a -x -- {}", quote(&target)),
            ),
            bash(
                summary,
                format!("pkill -{name} -x -- {}", quote(&target)),
                level,
            ),
        ],
        "Only processes whose name is exactly this get the signal.",
    ))
}

/// The program a process question is about: the word before "process"/
/// "using"/"start…", or after "is"/"did", skipping fillers.
pub(super) fn process_name(query: &Query<'_>) -> Option<String> {
    const NOT_NAMES: [&str; 34] = [
        "how",
        "much",
        "memory",
        "ram",
        "cpu",
        "is",
        "the",
        "a",
        "process",
        "processes",
        "using",
        "use",
        "uses",
        "when",
        "did",
        "start",
        "started",
        "time",
        "show",
        "with",
        "their",
        "its",
        "start time",
        "what",
        "since",
        "long",
        "has",
        "been",
        "running",
        "open",
        "files",
        "of",
        "for",
        "all",
    ];
    let anchor = (0..query.tokens.len()).find(|&index| {
        matches!(
            query.lower(index),
            "process"
                | "processes"
                | "using"
                | "uses"
                | "start"
                | "started"
                | "running"
                | "running?"
        )
    })?;
    let before = (0..anchor)
        .rev()
        .map(|index| &query.tokens[index])
        .find(|token| !NOT_NAMES.contains(&token.lower.as_str()));
    let after = query
        .tokens
        .iter()
        .skip(anchor + 1)
        .find(|token| !NOT_NAMES.contains(&token.lower.as_str()));
    before
        .or(after)
        .filter(|token| {
            token.is_quoted
                || token
                    .lower
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
        })
        .map(|token| token.raw.clone())
}

fn process_info(query: &Query<'_>) -> Result<Plan, String> {
    let name =
        process_name(query).ok_or("say which program, e.g. \"how much memory is nginx using\".")?;
    let interpretation = format!("Show the {name} processes with their start time, CPU and memory");
    Ok(plan(
        interpretation.clone(),
        vec![read(
            interpretation,
            format!(
                "ps -C {} -o pid,user,lstart,etime,%cpu,%mem,rss,args",
                quote(&name)
            ),
        )],
        "RSS is resident memory in KiB; lstart is when the process started.",
    ))
}

fn user_processes(query: &Query<'_>) -> Result<Plan, String> {
    let user = query
        .name_after(&["user", "owned", "of", "for"])
        .filter(|name| !matches!(name.to_lowercase().as_str(), "user" | "the" | "me" | "my"));
    let (what, command) = match user {
        Some(user) => (
            format!("List the processes of user {user}"),
            format!("ps -u {} -o pid,etime,%cpu,%mem,args", quote(&user)),
        ),
        None => (
            "List your processes".to_owned(),
            "ps -u \"$(id -un)\" -o pid,etime,%cpu,%mem,args".to_owned(),
        ),
    };
    Ok(plan(
        what.clone(),
        vec![read(what, command)],
        "One line per process.",
    ))
}

fn kill_port(query: &Query<'_>) -> Result<Plan, String> {
    let port = query
        .port()
        .ok_or("say the port, e.g. \"kill whatever is running on port 3000\".")?;
    let force = query.has_any(&["force", "forcefully", "-9", "sigkill"]);
    let signal = if force { "KILL" } else { "TERM" };
    let summary = format!("Stop the process listening on port {port} (SIG{signal})");
    Ok(plan(
        summary.clone(),
        vec![
            read(
                format!("Show what listens on port {port}"),
                format!("ss -ltnp 'sport = :{port}'"),
            ),
            bash(
                summary,
                format!("fuser -k -{signal} {port}/tcp"),
                SafetyLevel::Destructive,
            ),
        ],
        "fuser signals every process holding the TCP port.",
    ))
}
