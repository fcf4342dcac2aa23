//! Facts about the machine: OS distribution, CPU model and cores, inode use,
//! an environment variable, PATH, host name, IP addresses, a tool's version,
//! the time zone and who is logged in. Every fact is one read-only command
//! in its plainest form.

use crate::plan::Plan;

use super::intent::{Effect, Intent};
use super::query::Query;
use super::quote::quote;
use super::steps::{plan, read};

/// The machine-fact intents.
pub(super) const INTENTS: &[Intent] = &[
    Intent {
        name: "os_release",
        effect: Effect::Reads,
        examples: &["which linux distro is this", "what os am i running"],
        all: &[&[
            "distro",
            "distribution",
            "os",
            "operating system",
            "os-release",
            "which linux",
            "what linux",
            "ubuntu version",
            "debian version",
            "release",
        ]],
        any: &["what", "which", "version"],
        none: &["kernel", "uname", "<file>", "git", "tag*", "branch*"],
        build: |_| {
            Ok(fact(
                "Show the operating system and distribution",
                "cat /etc/os-release",
            ))
        },
    },
    Intent {
        name: "cpu_info",
        effect: Effect::Reads,
        examples: &[
            "how many cpu cores do i have",
            "what cpu is in this machine",
        ],
        all: &[&[
            "cpu",
            "cpus",
            "cores",
            "core",
            "processor",
            "processors",
            "nproc",
            "threads",
        ]],
        any: &["how many", "model", "what"],
        none: &[
            "using", "uses", "eating", "hog*", "consum*", "top", "most", "process*", "load",
            "busiest", "usage", "heaviest",
        ],
        build: cpu_info,
    },
    Intent {
        name: "inode_usage",
        effect: Effect::Reads,
        examples: &["show inode usage", "am i out of inodes"],
        all: &[&["inode", "inodes", "df -i"]],
        any: &["usage", "free", "used"],
        none: &[],
        build: |_| Ok(fact("Show inode usage on each mounted filesystem", "df -i")),
    },
    Intent {
        name: "path_var",
        effect: Effect::Reads,
        examples: &["show my PATH", "what's on my path"],
        all: &[&["path", "$path"]],
        any: &["show", "my", "whats", "print", "echo", "variable"],
        none: &[
            "<file>",
            "<archive>",
            "find",
            "files",
            "add",
            "set",
            "change",
            "prepend",
            "append",
            "in path",
            "absolute",
            "full path",
            "relative",
        ],
        build: |_| {
            Ok(fact(
                "Show the PATH, one directory per line",
                "printenv PATH | tr : '\\n'",
            ))
        },
    },
    Intent {
        name: "env_var",
        effect: Effect::Reads,
        examples: &["what is the value of $EDITOR", "show the env var JAVA_HOME"],
        all: &[&["<env_var>"]],
        any: &[
            "value",
            "variable",
            "env",
            "environment",
            "show",
            "print",
            "echo",
            "what",
        ],
        none: &["set", "export", "unset", "change", "add"],
        build: env_var,
    },
    Intent {
        name: "env_list",
        effect: Effect::Reads,
        examples: &["list my environment variables", "show all env vars"],
        all: &[&[
            "environment variables",
            "env vars",
            "env variables",
            "environment",
            "env",
        ]],
        any: &["list", "show", "all"],
        none: &["<env_var>", "set", "export", "python", "virtual"],
        build: |_| Ok(fact("List the environment variables", "printenv")),
    },
    Intent {
        name: "working_directory",
        effect: Effect::Reads,
        examples: &["pwd", "what is my current directory"],
        all: &[&[
            "pwd",
            "current directory",
            "working directory",
            "current folder",
            "where am i",
            "which directory am i",
            "which folder am i",
        ]],
        any: &["what", "show"],
        none: &["files", "contents", "list", "size", "big"],
        build: |_| Ok(fact("Show the job's working directory", "pwd")),
    },
    Intent {
        name: "hostname",
        effect: Effect::Reads,
        examples: &["what is this machine's hostname", "hostname"],
        all: &[&[
            "hostname",
            "host name",
            "machine name",
            "computer name",
            "name of this machine",
            "name of this computer",
        ]],
        any: &["what", "show"],
        none: &["set", "change", "rename"],
        build: |_| Ok(fact("Show the host name", "hostname")),
    },
    Intent {
        name: "ip_addresses",
        effect: Effect::Reads,
        examples: &["what is my ip address", "show network interfaces"],
        all: &[&[
            "ip",
            "ips",
            "ip address",
            "ip addresses",
            "network interfaces",
            "interfaces",
            "ifconfig",
        ]],
        any: &["my", "local", "what", "show", "address"],
        none: &["port*", "public", "external", "block", "ban"],
        build: |_| Ok(fact("Show this machine's IP addresses", "hostname -I")),
    },
    Intent {
        name: "tool_version",
        effect: Effect::Reads,
        examples: &[
            "what version of python is installed",
            "which node version do i have",
        ],
        all: &[&["version", "versions", "installed", "--version"]],
        any: &["what", "which", "is", "installed"],
        none: &[
            "kernel",
            "os",
            "distro",
            "distribution",
            "linux",
            "<file>",
            "tag*",
            "release",
        ],
        build: tool_version,
    },
    Intent {
        name: "timezone",
        effect: Effect::Reads,
        examples: &["what time zone is this machine in", "show the timezone"],
        all: &[&["timezone", "time zone", "tz"]],
        any: &["what", "show", "which"],
        none: &["set", "change"],
        build: |_| Ok(fact("Show the time zone", "date +%Z%n%z")),
    },
    Intent {
        name: "logged_in_users",
        effect: Effect::Reads,
        examples: &["who is logged in", "list logged-in users"],
        all: &[&[
            "logged in",
            "logged-in",
            "who else",
            "sessions",
            "users on",
            "users are",
        ]],
        any: &["who", "list", "show"],
        none: &["as", "am i"],
        build: |_| Ok(fact("Show who is logged in", "who")),
    },
];

fn fact(interpretation: &str, command: &str) -> Plan {
    plan(
        interpretation,
        vec![read(interpretation, command)],
        "Read-only; nothing is changed.",
    )
}

fn cpu_info(query: &Query<'_>) -> Result<Plan, String> {
    if query.has_any(&[
        "how many",
        "number of",
        "count",
        "nproc",
        "cores",
        "threads",
    ]) && !query.has("model")
    {
        return Ok(fact("Show how many CPU cores are available", "nproc"));
    }
    Ok(fact("Show the CPU model, cores and threads", "lscpu"))
}

/// An environment variable name: `$NAME`, or an upper-case word such as
/// `JAVA_HOME` next to "variable"/"env"/"value".
pub(super) fn env_var_name(query: &Query<'_>) -> Option<String> {
    let is_name = |word: &str| {
        !word.is_empty()
            && word.len() <= 64
            && word
                .chars()
                .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
            && word
                .chars()
                .next()
                .is_some_and(|c| c.is_ascii_uppercase() || c == '_')
    };
    let dollar = query.tokens.iter().find_map(|token| {
        let name = token.raw.strip_prefix('$')?.trim_matches(['{', '}']);
        (is_name(&name.to_uppercase())
            && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'))
        .then(|| name.to_owned())
    });
    if dollar.is_some() {
        return dollar;
    }
    let near = query.has_any(&["variable", "var", "env", "environment", "value of"]);
    if !near {
        return None;
    }
    let upper = query
        .tokens
        .iter()
        .find(|token| token.raw.len() >= 2 && is_name(&token.raw))
        .map(|token| token.raw.clone());
    // "the editor variable", "variable editor": a lower-case name beside the word.
    upper.or_else(|| {
        let anchor = (0..query.tokens.len())
            .find(|&index| matches!(query.lower(index), "variable" | "var"))?;
        [anchor.checked_sub(1), Some(anchor + 1)]
            .into_iter()
            .flatten()
            .filter_map(|index| query.tokens.get(index))
            .map(|token| token.lower.to_uppercase())
            .find(|word| {
                is_name(word)
                    && !matches!(
                        word.as_str(),
                        "THE"
                            | "ENV"
                            | "ENVIRONMENT"
                            | "MY"
                            | "A"
                            | "OF"
                            | "IS"
                            | "CALLED"
                            | "NAMED"
                    )
            })
    })
}

fn env_var(query: &Query<'_>) -> Result<Plan, String> {
    let name =
        env_var_name(query).ok_or("say the variable, e.g. \"what is the value of $EDITOR\".")?;
    let interpretation = format!("Show the value of the environment variable {name}");
    Ok(plan(
        interpretation.clone(),
        vec![read(interpretation, format!("printenv {}", quote(&name)))],
        "printenv prints nothing (and fails) when the variable is not set.",
    ))
}

/// Tools people ask the version of, with the command that prints it.
const TOOLS: [(&str, &str); 22] = [
    ("python", "python3 --version"),
    ("python3", "python3 --version"),
    ("node", "node --version"),
    ("nodejs", "node --version"),
    ("npm", "npm --version"),
    ("git", "git --version"),
    ("rust", "rustc --version"),
    ("rustc", "rustc --version"),
    ("cargo", "cargo --version"),
    ("go", "go version"),
    ("golang", "go version"),
    ("java", "java -version"),
    ("docker", "docker --version"),
    ("gcc", "gcc --version"),
    ("make", "make --version"),
    ("bash", "bash --version"),
    ("perl", "perl --version"),
    ("ruby", "ruby --version"),
    ("curl", "curl --version"),
    ("sqlite", "sqlite3 --version"),
    ("sqlite3", "sqlite3 --version"),
    ("tar", "tar --version"),
];

fn tool_version(query: &Query<'_>) -> Result<Plan, String> {
    let (tool, command) = TOOLS
        .iter()
        .find(|(tool, _)| query.tokens.iter().any(|token| token.lower == *tool))
        .ok_or("say which tool, e.g. \"what version of python is installed\".")?;
    Ok(fact(
        &format!("Show the installed version of {tool}"),
        command,
    ))
}
