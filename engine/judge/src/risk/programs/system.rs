//! Processes, services, the network and the shell's own builtins: `ps`,
//! `kill`, `ss`, `lsof`, `date`, `systemctl`, `man`, `curl`, interpreters,
//! `cd`, `trap`, `alias`, `exec`, `read`, `printf -v`.

use super::{Ctx, Program};

#[rustfmt::skip]
const KILL: &[&str] = &[
    "-s --signal=SIG", "-l --list[=SIG]", "-L --table", "-n=SIGNUM", "-q --queue=VALUE",
    "--timeout=MS", "--verbose", "-a --all", "-p --pid",
];
#[rustfmt::skip]
const SS: &[&str] = &[
    "-h --help", "-V --version", "-H --no-header", "-O --oneline", "-n --numeric", "-r --resolve",
    "-a --all", "-l --listening", "-o --options", "-e --extended", "-m --memory", "-p --processes",
    "-T --threads", "-i --info", "--tos", "--cgroup", "--tipcinfo", "-s --summary", "-E --events",
    "-Z --context", "-z --contexts", "-N --net=NS", "-b --bpf", "-4 --ipv4", "-6 --ipv6",
    "-0 --packet", "-t --tcp", "-M --mptcp", "-S --sctp", "-u --udp", "-d --dccp", "-w --raw",
    "-x --unix", "--tipc", "--vsock", "-f --family=FAMILY", "-A --query=QUERY --socket=QUERY",
    "-D --diag=FILE !write", "-F --filter=FILE", "--inet-sockopt", "-K --kill !change",
];
#[rustfmt::skip]
const NETSTAT: &[&str] = &[
    "-r --route", "-i --interfaces", "-g --groups", "-s --statistics", "-M --masquerade",
    "-v --verbose", "-W --wide", "-n --numeric", "--numeric-hosts", "--numeric-ports",
    "--numeric-users", "-N --symbolic", "-e --extend", "-p --program", "-o --timers",
    "-c --continuous", "-l --listening", "-a --all", "-F", "-C", "-Z --context", "-t --tcp",
    "-u --udp", "-w --raw", "-x --unix", "-4", "-6", "-A --protocol=FAMILY",
];
#[rustfmt::skip]
const LSOF: &[&str] = &[
    "-a", "-b", "-C", "-h", "-l", "-n", "-N", "-O", "-P", "-R", "-t", "-U", "-v", "-V", "-X", "-w",
    "-Q", "-c=CMD", "-d=FDS", "-D=FUNC", "-E", "-e=PATH", "-F[=FIELDS]", "-g[=PGIDS]", "-i[=ADDR]",
    "-K[=MODE]", "-k=FILE", "-L[=L]", "-m=FILE", "-M", "-o[=O]", "-p=PIDS", "-r[=SECS]", "-s[=P]",
    "-S[=T]", "-T[=F]", "-u=USERS", "-x[=FL]", "-z[=Z]", "-Z[=Z]", "-f",
];
#[rustfmt::skip]
const DATE: &[&str] = &[
    "-d --date=STRING", "--debug", "-f --file=DATEFILE", "-I --iso-8601[=FMT]", "--resolution",
    "-R --rfc-email", "--rfc-3339=FMT", "-r --reference=FILE", "-s --set=STRING !change",
    "-u --utc --universal", "--help", "--version",
];
#[rustfmt::skip]
const HOSTNAME: &[&str] = &[
    "-a --alias", "-A --all-fqdns", "-b --boot", "-d --domain", "-f --fqdn --long",
    "-F --file=FILE !change", "-i --ip-address", "-I --all-ip-addresses", "-s --short",
    "-y --yp --nis", "-h --help", "-V --version",
];
#[rustfmt::skip]
const SYSTEMCTL: &[&str] = &[
    "-t --type=TYPE", "--state=STATE", "-p --property=NAME", "-a --all", "-r --recursive",
    "--reverse", "--after", "--before", "--with-dependencies", "-l --full", "--value",
    "--show-types", "--job-mode=MODE", "-i --ignore-inhibitors", "--dry-run", "-q --quiet",
    "--no-block", "--wait", "--user", "--system", "--no-pager", "--no-legend", "--plain",
    "-n --lines=N", "-o --output=FORMAT", "-H --host=HOST !net", "-M --machine=NAME", "--now",
    "-f --force", "--no-ask-password", "--firmware-setup", "--root=PATH", "--runtime", "--global",
    "--kill-whom=WHO", "-s --signal=SIG", "--what=WHAT", "--failed", "--legend=BOOL",
    "--timestamp=FMT", "--check-inhibitors=MODE", "--boot-loader-menu=T", "--boot-loader-entry=N",
    "--reboot-argument=ARG", "--preset-mode=MODE", "--message=MSG", "-T --show-transaction",
    "--mkdir", "--marked", "--read-only", "--drop-in=NAME", "--when=TIME", "-h --help", "--version",
];
#[rustfmt::skip]
const JOURNALCTL: &[&str] = &[
    "--system", "--user", "-M --machine=NAME", "-m --merge", "-D --directory=DIR",
    "-i --file=PATTERN", "--root=ROOT", "--namespace=NS", "-S --since=DATE", "-U --until=DATE",
    "-c --cursor=CURSOR", "--after-cursor=CURSOR", "--cursor-file=FILE !write", "-b --boot[=ID]",
    "-u --unit=UNIT", "--user-unit=UNIT", "-t --identifier=ID", "-p --priority=RANGE",
    "--facility=F", "-g --grep=PATTERN", "--case-sensitive[=BOOL]", "-k --dmesg",
    "-o --output=MODE", "--output-fields=LIST", "-n --lines[=N]", "-r --reverse", "--show-cursor",
    "--utc", "-x --catalog", "--no-hostname", "--no-full", "-a --all", "-f --follow", "--no-tail",
    "-q --quiet", "--no-pager", "-e --pager-end", "--list-boots", "--disk-usage",
    "-F --field=FIELD", "-N --fields", "--header", "-h --help", "--version",
];
#[rustfmt::skip]
const MAN: &[&str] = &[
    "-k --apropos", "-f --whatis", "-w --where --path --location", "-W --where-cat --location-cat",
    "-a --all", "-l --local-file", "-M --manpath=PATH", "-S -s --sections=LIST",
    "-L --locale=LOCALE", "-7 --ascii", "-E --encoding=ENC", "--no-hyphenation",
    "--no-justification", "-P --pager=PAGER !exec", "-H --html[=BROWSER] !exec",
    "-X --gxditview[=RES] !exec", "-t --troff", "-T --troff-device[=DEV]", "-Z --ditroff",
    "-p --preprocessor=STRING !exec", "-h --help", "-V --version", "-d --debug", "-D --default",
    "-c --catman", "-u --update !write", "-i --ignore-case", "-I --match-case", "--regex",
    "--wildcard", "--names-only", "--no-subpages",
];
#[rustfmt::skip]
const IP: &[&str] = &[
    "-4", "-6", "-br --brief", "-c --color[=WHEN]", "-d --details", "-s --stats --statistics",
    "-o --oneline", "-j --json", "-p --pretty", "-h --human", "-n --netns=NS", "-a --all",
    "-r --resolve",
];

/// Programs that talk to the network by design.
#[rustfmt::skip]
pub(super) const NETWORK: &[&str] = &[
    "curl", "wget", "ssh", "scp", "sftp", "rsync", "ftp", "nc", "ncat", "netcat", "telnet", "socat",
    "npm", "npx", "pip", "pip3", "cargo", "yarn", "pnpm", "gh", "docker", "kubectl", "ping",
    "dig", "nslookup", "host", "traceroute", "apt", "apt-get",
];

/// Interpreters: what they run is code the engine cannot read.
#[rustfmt::skip]
const INTERPRETERS: &[&str] = &[
    "bash", "sh", "zsh", "dash", "ksh", "fish", "python", "python2", "python3", "perl", "ruby",
    "node", "deno", "bun", "php", "lua", "source", ".", "eval", "osascript", "tclsh", "make",
    "watch", "parallel", "script", "flock", "strace", "ltrace", "gdb", "expect", "busybox",
    "xdg-open", "open",
];

/// Programs that act as another user: they always ask.
#[rustfmt::skip]
const PRIVILEGED: &[&str] = &[
    "su", "pkexec", "run0", "sudoedit", "sudo", "doas", "systemd-run", "machinectl", "nsenter",
    "unshare", "chroot", "setpriv", "capsh",
];

/// Shell builtins and keywords that change only the shell's own state.
#[rustfmt::skip]
const SHELL_STATE: &[&str] = &[
    "cd", "pushd", "popd", "shift", "exit", "return", "break", "continue", "set", "unset", "local",
    "export", "declare", "typeset", "readonly", "let", "getopts", "hash", "umask", "ulimit", "jobs",
    "disown", "bg", "fg", "times", "caller", "history", "compgen", "complete", "mapfile",
    "readarray", "enable", "logout", "suspend",
];

pub(super) const fn plain(names: &'static [&'static str], rate: super::RateFn) -> Program {
    Program {
        names,
        options: &[],
        numeric: false,
        stops_at_operand: false,
        takes_options: false,
        rate: Some(rate),
    }
}

/// Process, service, network and shell programs.
pub(super) const SYSTEM: &[Program] = &[
    super::readers::pure(&[
        "ps", "top", "htop", "vmstat", "iostat", "mpstat", "pstree", "pidof", "lsmod", "lspci",
        "lsusb", "last", "lastlog", "ipcs", "sensors", "cal", "ncal", "env",
    ]),
    plain(&["getent"], rate_getent),
    Program::rated(
        &["crontab"],
        &[
            "-l",
            "-u=USER",
            "-e !change",
            "-r !change",
            "-i",
            "-n",
            "-T",
        ],
        rate_crontab,
    ),
    Program::rated(
        &["kill", "pkill", "killall", "xkill", "skill"],
        KILL,
        rate_kill,
    ),
    Program::rated(&["ss"], SS, rate_inert),
    Program::rated(&["netstat"], NETSTAT, rate_inert),
    Program::rated(&["lsof"], LSOF, rate_inert),
    Program::rated(&["date"], DATE, rate_inert),
    Program::rated(&["hostname"], HOSTNAME, rate_hostname),
    Program::rated(&["systemctl", "service"], SYSTEMCTL, rate_systemctl),
    Program::rated(&["journalctl"], JOURNALCTL, rate_inert),
    Program::rated(&["man"], MAN, rate_inert),
    Program::rated(&["ip"], IP, rate_ip),
    plain(NETWORK, rate_network),
    plain(INTERPRETERS, rate_interpreter),
    plain(PRIVILEGED, rate_privileged),
    plain(SHELL_STATE, rate_shell_state),
    plain(&["printf"], rate_printf),
    plain(&["read"], rate_read),
    plain(
        &[
            "trap", "alias", "unalias", "shopt", "exec", "builtin", "command", "fc", "bind",
            "coproc", "nohup", "time", "timeout", "nice", "xargs", "stdbuf", "setsid", "ionice",
            "chrt", "taskset",
        ],
        rate_shell_control,
    ),
];

fn rate_inert(_ctx: &mut Ctx<'_>) {}

/// `crontab -l` lists; `crontab FILE` and a bare `crontab` (which reads the
/// new table from its input) replace the user's scheduled commands.
fn rate_crontab(ctx: &mut Ctx<'_>) {
    if !ctx.has("-l") || !ctx.operands().is_empty() {
        ctx.destructive("crontab replaces the commands scheduled for the user");
    }
}

/// `getent passwd`, `getent group x` read local databases; a host or
/// network lookup goes to DNS (a way out for data in the name), and
/// `shadow` prints password hashes.
fn rate_getent(ctx: &mut Ctx<'_>) {
    let words = ctx.cmd.word_values();
    let database = words
        .iter()
        .find(|w| !w.starts_with('-'))
        .map(String::as_str);
    match database {
        Some("hosts" | "ahosts" | "ahostsv4" | "ahostsv6" | "networks") => {
            ctx.rating.network = true;
            ctx.moderate("getent looks the name up in DNS");
        }
        Some("shadow" | "gshadow") => ctx.moderate("reads secrets: getent prints password hashes"),
        _ => {}
    }
}

fn rate_kill(ctx: &mut Ctx<'_>) {
    let program = ctx.cmd.program.clone();
    if ctx.has("-l") || ctx.has("-L") {
        return;
    }
    ctx.destructive(format!("{program} stops processes"));
}

fn rate_hostname(ctx: &mut Ctx<'_>) {
    if !ctx.operands().is_empty() {
        ctx.destructive("hostname NAME renames the machine");
    }
}

fn rate_systemctl(ctx: &mut Ctx<'_>) {
    let operands = ctx.operands();
    let verb = operands.first().map_or("list-units", String::as_str);
    let reads = [
        "status",
        "show",
        "cat",
        "list-units",
        "list-unit-files",
        "list-timers",
        "list-sockets",
        "list-dependencies",
        "list-jobs",
        "list-machines",
        "is-active",
        "is-enabled",
        "is-failed",
        "is-system-running",
        "get-default",
        "help",
        "show-environment",
    ];
    if !reads.contains(&verb) {
        ctx.destructive(format!("systemctl {verb} changes services or the system"));
    }
}

fn rate_ip(ctx: &mut Ctx<'_>) {
    let operands = ctx.operands();
    let verb = operands.get(1).map_or("show", String::as_str);
    if !matches!(verb, "show" | "list" | "ls" | "lst" | "get") {
        ctx.destructive(format!(
            "ip {} {verb} changes the network configuration",
            operands.first().map_or("", String::as_str)
        ));
    }
}

fn rate_network(ctx: &mut Ctx<'_>) {
    let program = ctx.cmd.program.clone();
    ctx.rating.network = true;
    ctx.destructive(format!("{program} talks to the network"));
}

fn rate_interpreter(ctx: &mut Ctx<'_>) {
    let program = ctx.cmd.program.clone();
    ctx.destructive(format!("{program} runs code the engine cannot read"));
}

fn rate_privileged(ctx: &mut Ctx<'_>) {
    let program = ctx.cmd.program.clone();
    ctx.destructive(format!(
        "{program} runs a command with other privileges or outside the sandbox"
    ));
}

fn rate_shell_state(ctx: &mut Ctx<'_>) {
    super::environment::rate_declaration(ctx);
    let program = ctx.cmd.program.clone();
    let words = ctx.cmd.word_values();
    let options: Vec<&str> = words
        .iter()
        .map(String::as_str)
        .filter(|w| w.starts_with('-') && w.len() > 1)
        .collect();
    let has_letter = |letter: char| {
        options
            .iter()
            .any(|w| !w.starts_with("--") && w[1..].contains(letter))
    };
    let names: Vec<&str> = words
        .iter()
        .map(String::as_str)
        .filter(|w| !w.starts_with('-'))
        .collect();
    // `set $(printf %s -k)`: an option or name only known at run time, for
    // the builtins whose options or names change what later commands do
    // (not `cd $dir` or `exit $code`).
    let options_matter = !matches!(
        program.as_str(),
        "cd" | "pushd"
            | "popd"
            | "shift"
            | "exit"
            | "return"
            | "break"
            | "continue"
            | "jobs"
            | "disown"
            | "bg"
            | "fg"
            | "times"
            | "caller"
            | "logout"
            | "suspend"
            | "getopts"
    );
    if options_matter
        && ctx
            .cmd
            .words
            .iter()
            .any(|w| w.value.starts_with(['$', '`']) && !w.value.contains('='))
    {
        ctx.moderate(format!(
            "{program} has a word only known at run time that could be an option or a name"
        ));
    }
    match program.as_str() {
        // `hash -p FILE ls` makes every later `ls` run FILE; `enable -f`
        // loads a library into the shell.
        "hash" | "enable" if !words.is_empty() && !matches!(words[0].as_str(), "-l" | "-t") => {
            ctx.destructive(format!("{program} changes what later commands run"));
        }
        // The callbacks of `-C`/`-F` are commands or functions.
        "compgen" | "complete" | "mapfile" | "readarray" if has_letter('C') || has_letter('F') => {
            ctx.destructive(format!("{program} runs a callback command"));
        }
        "mapfile" | "readarray" => {
            for name in &names {
                super::environment::rate_variable_name(ctx, name);
            }
        }
        // `set -k` turns later arguments into environment (`GIT_EXTERNAL_DIFF=…`),
        // `set -a` exports every later assignment.
        "set"
            if has_letter('k')
                || has_letter('a')
                || words.iter().any(|w| w == "allexport" || w == "keyword") =>
        {
            ctx.destructive("set -k or -a turns later words into environment variables");
        }
        "history"
            if !names.iter().all(|w| w.chars().all(|c| c.is_ascii_digit()))
                || !options.is_empty() =>
        {
            ctx.moderate("history changes or writes the shell's history");
        }
        "umask" if names.iter().any(|w| !w.is_empty()) => {
            ctx.moderate("umask changes the permissions of files created later");
        }
        "ulimit" if names.iter().any(|w| !w.is_empty()) => {
            ctx.moderate("ulimit changes the limits of later commands");
        }
        "unset" => {
            for name in &names {
                super::environment::rate_variable_name(ctx, name);
                if name.contains('[') {
                    ctx.moderate("unset of a subscript evaluates it, which can run commands");
                }
            }
        }
        "declare" | "typeset" | "local" if has_letter('n') => {
            ctx.moderate(format!(
                "{program} -n makes a name stand for another variable"
            ));
        }
        "let" => {
            for name in &names {
                let target = name.split(['=', '+', '-', '[']).next().unwrap_or_default();
                super::environment::rate_variable_name(ctx, target);
            }
        }
        _ => {}
    }
}

fn rate_printf(ctx: &mut Ctx<'_>) {
    let words = ctx.cmd.word_values();
    if words.first().is_some_and(|w| w == "-v") {
        match words.get(1) {
            Some(name) if name.contains('[') => {
                ctx.moderate("printf -v assigns to a subscript, which can run commands");
            }
            Some(name) => super::environment::rate_variable_name(ctx, name),
            None => {}
        }
    }
}

fn rate_read(ctx: &mut Ctx<'_>) {
    if ctx.cmd.words.iter().any(|w| w.value.contains('[')) {
        ctx.moderate("read assigns to a subscript, which can run commands");
    }
    // `read -r PATH <<< /tmp/evil`: the names read into.
    let names: Vec<String> = ctx
        .cmd
        .word_values()
        .into_iter()
        .filter(|w| !w.starts_with('-'))
        .collect();
    for name in &names {
        super::environment::rate_variable_name(ctx, name);
    }
}

/// `trap`, `alias`, `shopt -s expand_aliases`, `exec` with only redirections:
/// later commands no longer mean what they say.
fn rate_shell_control(ctx: &mut Ctx<'_>) {
    let program = ctx.cmd.program.clone();
    let words = ctx.cmd.word_values();
    let first = words.first().map(String::as_str);
    let harmless = match program.as_str() {
        "shopt" => {
            !words.iter().any(|w| w == "expand_aliases") || matches!(first, Some("-q" | "-p"))
        }
        "command" => words.is_empty() || matches!(first, Some("-v" | "-V")),
        "builtin" | "nohup" | "time" => words.is_empty(),
        _ => false,
    };
    if program == "exec" && words.is_empty() {
        ctx.destructive("exec with redirections rewires every later command's input or output");
    } else if !harmless {
        let changes_meaning = matches!(
            program.as_str(),
            "trap" | "alias" | "unalias" | "shopt" | "fc" | "bind" | "exec"
        );
        ctx.destructive(if changes_meaning {
            format!("{program} changes what later commands mean")
        } else {
            format!("{program} runs a command the engine could not follow")
        });
    }
}
