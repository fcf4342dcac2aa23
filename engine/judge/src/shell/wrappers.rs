//! Programs that run other programs (`sudo`, `env`, `timeout`, `xargs`,
//! `bash -c`, `eval`, …), each with its full option grammar, so the command
//! that really runs is found. A wrapper whose options cannot be read, or that
//! runs something the engine cannot see, is reported as unknown: never
//! guessed past. `wrappers` reads words; it never rates.

use std::sync::LazyLock;

use super::options::{Effect, OptionSpec};
use super::words::basename;
use super::{Assignment, Word};

/// What a wrapper at the start of a command does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Unwrapped {
    /// The first word is not a wrapper (or a wrapper used in a way that runs nothing).
    NotWrapper,
    /// It runs the command that starts at `words[start]`.
    Runs {
        /// Index of the wrapped program in the words.
        start: usize,
        /// The wrapper and its options, as recorded on the command.
        label: String,
        /// Environment assignments it makes (`env NAME=value`).
        assignments: Vec<Assignment>,
        /// It appends arguments at run time (`xargs`).
        runtime_args: bool,
        /// Files it reads itself (`xargs -a FILE`), rated as the command's input.
        reads: Vec<String>,
    },
    /// It runs a shell string (`bash -c`, `eval`), to be parsed in turn.
    Script {
        /// The script text.
        script: String,
        /// `bash -c`, `eval`, …
        label: String,
    },
    /// It runs something the engine cannot follow, for this reason.
    Unknown(String),
}

/// Options of `sudo` (it runs the command as another user, usually root).
#[rustfmt::skip]
const SUDO: &[&str] = &[
    "-A --askpass", "-b --background", "-B --bell", "-C --close-from=N", "-D --chdir=DIR",
    "-E --preserve-env[=LIST]", "-e --edit !write", "-g --group=GROUP", "-H --set-home",
    "-h --host=HOST", "-i --login", "-K --remove-timestamp", "-k --reset-timestamp", "-l --list",
    "-n --non-interactive", "-P --preserve-groups", "-p --prompt=PROMPT", "-R --chroot=DIR",
    "-r --role=ROLE", "-S --stdin", "-s --shell", "-t --type=TYPE", "-T --command-timeout=T",
    "-U --other-user=USER", "-u --user=USER", "-V --version", "-v --validate",
];
const DOAS: &[&str] = &["-L", "-n", "-s", "-a=STYLE", "-C=CONFIG", "-u=USER"];
const COMMAND: &[&str] = &["-p", "-v", "-V"];
const EXEC: &[&str] = &["-c", "-l", "-a=NAME"];
#[rustfmt::skip]
const ENV: &[&str] = &[
    "-0 --null", "-i --ignore-environment", "-u --unset=NAME", "-C --chdir=DIR",
    "-S --split-string=STRING", "-v --debug", "--block-signal[=SIG]", "--default-signal[=SIG]",
    "--ignore-signal[=SIG]", "--list-signal-handling",
];
const NICE: &[&str] = &["-n --adjustment=N"];
#[rustfmt::skip]
const TIMEOUT: &[&str] = &[
    "-f --foreground", "-k --kill-after=DURATION", "-p --preserve-status", "-s --signal=SIGNAL",
    "-v --verbose",
];
#[rustfmt::skip]
const TIME: &[&str] = &[
    "-p --portability", "-v --verbose", "-q --quiet", "-f --format=FORMAT",
    "-o --output=FILE !write", "-a --append",
];
const STDBUF: &[&str] = &["-i --input=MODE", "-o --output=MODE", "-e --error=MODE"];
#[rustfmt::skip]
const IONICE: &[&str] = &[
    "-c --class=CLASS", "-n --classdata=LEVEL", "-t --ignore", "-p --pid !change",
    "-P --pgid !change", "-u --uid !change",
];
#[rustfmt::skip]
const CHRT: &[&str] = &[
    "-a --all-tasks", "-b --batch", "-d --deadline", "-e --ext", "-f --fifo", "-i --idle",
    "-o --other", "-r --rr", "-R --reset-on-fork", "-v --verbose", "-T --sched-runtime=NS",
    "-P --sched-period=NS", "-D --sched-deadline=NS", "-m --max !change", "-p --pid !change",
];
const TASKSET: &[&str] = &["-a --all-tasks", "-c --cpu-list", "-p --pid !change"];
const SETSID: &[&str] = &["-c --ctty", "-f --fork", "-w --wait"];
/// GNU xargs: every option form, so no option's value swallows the program.
#[rustfmt::skip]
const XARGS: &[&str] = &[
    "-0 --null", "-a --arg-file=FILE", "-d --delimiter=DELIM", "-E=EOF", "-e --eof[=EOF]",
    "-I=REPLACE", "-i --replace[=REPLACE]", "-L=MAX", "-l --max-lines[=MAX]", "-n --max-args=MAX",
    "-P --max-procs=MAX", "-p --interactive", "--process-slot-var=NAME", "-r --no-run-if-empty",
    "-s --max-chars=MAX", "--show-limits", "-t --verbose", "-x --exit", "-o --open-tty",
];

/// A wrapper's grammar: its options and how many operands come before the command.
struct Grammar {
    name: &'static str,
    spec: OptionSpec,
    /// Operands before the wrapped command (`timeout DURATION`, `chrt PRIO`).
    leading_operands: usize,
}

fn grammar(
    name: &'static str,
    entries: &[&str],
    leading_operands: usize,
    numeric: bool,
) -> Grammar {
    // The tables above are fixed; a malformed one is caught by `every_wrapper_spec_parses`.
    let mut spec = OptionSpec::parse(entries).unwrap_or_default();
    spec.stops_at_operand = true;
    spec.numeric_short = numeric;
    Grammar {
        name,
        spec,
        leading_operands,
    }
}

static GRAMMARS: LazyLock<Vec<Grammar>> = LazyLock::new(|| {
    vec![
        grammar("sudo", SUDO, 0, false),
        grammar("doas", DOAS, 0, false),
        grammar("command", COMMAND, 0, false),
        grammar("builtin", &[], 0, false),
        grammar("exec", EXEC, 0, false),
        grammar("env", ENV, 0, false),
        grammar("nice", NICE, 0, true),
        grammar("nohup", &[], 0, false),
        grammar("timeout", TIMEOUT, 1, false),
        grammar("time", TIME, 0, false),
        grammar("stdbuf", STDBUF, 0, false),
        grammar("ionice", IONICE, 0, false),
        grammar("chrt", CHRT, 1, false),
        grammar("taskset", TASKSET, 1, false),
        grammar("setsid", SETSID, 0, false),
        grammar("xargs", XARGS, 0, false),
    ]
});

/// Shells whose `-c STRING` is parsed as a script.
#[rustfmt::skip]
const SHELLS: &[&str] = &[
    "bash", "sh", "zsh", "dash", "ksh", "mksh", "ash", "busybox-sh",
];

/// Looks at `words[0]` and says what it runs.
pub(super) fn unwrap(words: &[Word]) -> Unwrapped {
    let Some(first) = words.first() else {
        return Unwrapped::NotWrapper;
    };
    if first.dynamic {
        return Unwrapped::NotWrapper;
    }
    let program = basename(&first.value);
    let rest = &words[1..];
    if SHELLS.contains(&program) {
        return shell_c(program, rest);
    }
    if program == "eval" {
        if rest.is_empty() {
            return Unwrapped::NotWrapper;
        }
        if rest.iter().any(|w| w.dynamic) {
            return Unwrapped::Unknown("eval runs text that is only known at run time".into());
        }
        let script: Vec<&str> = rest.iter().map(|w| w.value.as_str()).collect();
        return Unwrapped::Script {
            script: script.join(" "),
            label: "eval".into(),
        };
    }
    let Some(grammar) = GRAMMARS.iter().find(|g| g.name == program) else {
        return Unwrapped::NotWrapper;
    };
    let parsed = grammar.spec.parse_args(rest);
    if let Some(error) = parsed.errors.first() {
        return Unwrapped::Unknown(format!("{program}: {error}"));
    }
    if parsed.dynamic_option || parsed.dynamic_value {
        return Unwrapped::Unknown(format!(
            "{program} has options that are only known at run time"
        ));
    }
    if let Some(option) = parsed.options.iter().find(|o| o.effect != Effect::Read) {
        return match option.effect {
            // `command -v`, `ionice -p`: the wrapper acts itself, the rating sees it whole.
            Effect::Change => Unwrapped::NotWrapper,
            Effect::Read | Effect::Write | Effect::Exec | Effect::Net => {
                Unwrapped::Unknown(format!(
                    "{program} {} writes or runs more than the command",
                    option.name
                ))
            }
        };
    }
    if program == "command" && (parsed.has("-v") || parsed.has("-V")) {
        return Unwrapped::NotWrapper;
    }
    if program == "env" && (parsed.has("-S") || parsed.has("-C")) {
        return Unwrapped::Unknown(
            "env -S/-C changes how the command is read or where it runs".into(),
        );
    }
    let reads: Vec<String> = parsed.value("-a").map(str::to_owned).into_iter().collect();
    let options_end = parsed.rest_at.unwrap_or(rest.len());
    let mut start = options_end;
    let mut assignments = Vec::new();
    if program == "env" {
        while let Some(word) = rest.get(start) {
            match word.value.split_once('=') {
                Some((name, value)) if !name.is_empty() && !word.dynamic => {
                    assignments.push(Assignment {
                        name: name.to_owned(),
                        value: value.to_owned(),
                    });
                    start += 1;
                }
                _ if word.dynamic && word.value.contains('=') => {
                    return Unwrapped::Unknown("env sets a variable only known at run time".into());
                }
                _ => break,
            }
        }
    }
    start += grammar.leading_operands;
    if start >= rest.len() {
        // Nothing to run: `env` prints, `xargs` runs echo, `nohup`/`time` alone do nothing.
        return if program == "xargs" {
            Unwrapped::Runs {
                start: words.len(),
                label: label(program, &rest[..options_end.min(rest.len())]),
                assignments,
                runtime_args: true,
                reads,
            }
        } else {
            Unwrapped::NotWrapper
        };
    }
    if rest[start].dynamic {
        return Unwrapped::Unknown(format!("{program} runs a program only known at run time"));
    }
    Unwrapped::Runs {
        start: start + 1,
        label: label(program, &rest[..start]),
        assignments,
        runtime_args: program == "xargs",
        reads,
    }
}

fn label(program: &str, options: &[Word]) -> String {
    let mut text = program.to_owned();
    for word in options {
        text.push(' ');
        text.push_str(&word.value);
    }
    text
}

/// `bash [options] -c SCRIPT [NAME [ARGS…]]`; without `-c` the shell runs a file or stdin.
fn shell_c(program: &str, rest: &[Word]) -> Unwrapped {
    let mut i = 0;
    while let Some(word) = rest.get(i) {
        i += 1;
        if word.dynamic {
            return Unwrapped::Unknown(format!("{program} has options only known at run time"));
        }
        let text = word.value.as_str();
        match text {
            "--norc" | "--noprofile" | "--login" | "--posix" | "--noediting" | "--verbose"
            | "--restricted" => continue,
            "--" | "-" => break,
            _ => {}
        }
        let Some(short) = text.strip_prefix('-').or_else(|| text.strip_prefix('+')) else {
            // `bash script.sh`: a file the engine cannot read.
            return Unwrapped::Unknown(format!("{program} runs the script file {text}"));
        };
        if short.starts_with('-') {
            return Unwrapped::Unknown(format!(
                "{program} {text} is not an option the engine follows"
            ));
        }
        for c in short.chars() {
            match c {
                'c' => {
                    return match rest.get(i) {
                        Some(script) if !script.dynamic => Unwrapped::Script {
                            script: script.value.clone(),
                            label: format!("{program} -c"),
                        },
                        Some(_) => Unwrapped::Unknown(format!(
                            "{program} -c runs text that is only known at run time"
                        )),
                        None => Unwrapped::Unknown(format!("{program} -c without a script")),
                    };
                }
                'o' | 'O' => i += 1,
                'e' | 'u' | 'x' | 'v' | 'f' | 'h' | 'B' | 'C' | 'H' | 'P' | 'T' | 'a' | 'b'
                | 'k' | 'm' | 'n' | 'p' | 't' | 'l' | 'r' | 'E' => {}
                _ => {
                    return Unwrapped::Unknown(format!(
                        "{program} -{c} is not an option the engine follows"
                    ));
                }
            }
        }
    }
    Unwrapped::Unknown(format!("{program} reads commands the engine cannot see"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(line: &str) -> Vec<Word> {
        line.split_whitespace().map(Word::literal).collect()
    }

    fn wrapped(line: &str) -> Option<String> {
        let words = words(line);
        match unwrap(&words) {
            Unwrapped::Runs { start, .. } => words.get(start).map(|w| w.value.clone()),
            Unwrapped::Script { script, .. } => Some(format!("script:{script}")),
            Unwrapped::NotWrapper => None,
            Unwrapped::Unknown(reason) => Some(format!("unknown:{reason}")),
        }
    }

    #[test]
    fn every_wrapper_spec_parses() {
        for entries in [
            SUDO, DOAS, COMMAND, EXEC, ENV, NICE, TIMEOUT, TIME, STDBUF, IONICE, CHRT, TASKSET,
            SETSID, XARGS,
        ] {
            assert!(OptionSpec::parse(entries).is_ok(), "{entries:?}");
        }
    }

    #[test]
    fn accepts_every_option_form() {
        for (line, program) in [
            ("command rm -rf -v .", "rm"),
            ("timeout -k5s 10 rm ls -rf .", "rm"),
            ("timeout --kill-after 5 -s KILL 10 rm x", "rm"),
            ("env -umenu rm x", "rm"),
            ("env -i FOO=1 rm x", "FOO=1"),
            ("xargs -Ils rm", "rm"),
            ("xargs -Els rm", "rm"),
            ("xargs -dls rm", "rm"),
            ("xargs --eof rm", "rm"),
            ("xargs --max-lines rm", "rm"),
            ("xargs -l rm", "rm"),
            ("xargs -0 -n1 rm", "rm"),
            ("nice -5 rm x", "rm"),
            ("nice -n 5 rm x", "rm"),
            ("stdbuf -oL rm x", "rm"),
            ("chrt -f 10 rm x", "rm"),
            ("taskset -c 1 rm x", "rm"),
            ("setsid -f rm x", "rm"),
            ("sudo -u root rm x", "rm"),
            ("nohup rm x", "rm"),
        ] {
            let got = wrapped(line);
            // env's assignments are consumed: check the command after them.
            let want = if program == "FOO=1" { "rm" } else { program };
            assert_eq!(got.as_deref(), Some(want), "{line}");
        }
    }

    #[test]
    fn rejects_what_it_cannot_follow() {
        for line in [
            "env -S 'rm -rf .'",
            "env -C /tmp rm x",
            "time -o out rm x",
            "timeout --frobnicate 5 rm x",
            "bash script.sh",
            "bash",
            "sudo -e /etc/hosts",
        ] {
            let got = wrapped(line).unwrap_or_default();
            assert!(got.starts_with("unknown:"), "{line}: {got}");
        }
    }

    #[test]
    fn shells_and_eval_hand_back_their_script() {
        let mut words = words("bash -ec");
        words.push(Word::literal("rm -rf ."));
        assert_eq!(
            unwrap(&words),
            Unwrapped::Script {
                script: "rm -rf .".into(),
                label: "bash -c".into()
            }
        );
        assert_eq!(wrapped("eval ls -la").as_deref(), Some("script:ls -la"));
    }

    #[test]
    fn lookups_run_nothing() {
        assert_eq!(wrapped("command -v rm"), None);
        assert_eq!(wrapped("env"), None);
    }
}
