//! Commands the user wrote themselves: `run this: …`, a span in backticks, a
//! line after `$ `. Such a request is planned as exactly that command, one
//! bash step the engine rates like any other; the planner never rewrites or
//! reinterprets it. A request that quotes a command but asks about it
//! ("what does `rm -rf` do") is not run: it is declined.

use crate::plan::{Plan, SafetyLevel};

use super::steps::{bash, plan};

/// What the literal pass makes of a request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Literal {
    /// No command written in the request.
    None,
    /// Run exactly this command.
    Run(String),
    /// A command is written but the request talks about it instead of asking
    /// to run it; planning anything else would reinterpret it.
    Decline,
}

/// Words that ask for a command to be run.
const RUN_CUES: [&str; 6] = ["run", "execute", "exec", "running", "executing", "launch"];
/// Words that make the request about the command rather than a request to run it.
const ABOUT_CUES: [&str; 14] = [
    "explain",
    "what does",
    "what is",
    "whats",
    "mean",
    "means",
    "meaning",
    "dont",
    "don't",
    "do not",
    "never",
    "without running",
    "why",
    "is it safe",
];
/// Programs whose name at the start of a quoted span marks it as a command.
const PROGRAMS: &[&str] = &[
    "ls",
    "rm",
    "cp",
    "mv",
    "cat",
    "echo",
    "find",
    "grep",
    "rg",
    "git",
    "du",
    "df",
    "chmod",
    "chown",
    "chgrp",
    "mkdir",
    "rmdir",
    "touch",
    "tar",
    "zip",
    "unzip",
    "gzip",
    "gunzip",
    "head",
    "tail",
    "wc",
    "sort",
    "uniq",
    "cut",
    "tr",
    "sed",
    "awk",
    "diff",
    "kill",
    "pkill",
    "killall",
    "ps",
    "pgrep",
    "top",
    "free",
    "uname",
    "uptime",
    "ln",
    "make",
    "cargo",
    "npm",
    "npx",
    "yarn",
    "pnpm",
    "python",
    "python3",
    "pip",
    "node",
    "docker",
    "kubectl",
    "curl",
    "wget",
    "ssh",
    "scp",
    "rsync",
    "shred",
    "truncate",
    "dd",
    "sudo",
    "env",
    "export",
    "cd",
    "pwd",
    "tree",
    "stat",
    "file",
    "xargs",
    "jq",
    "lsof",
    "ss",
    "netstat",
    "date",
    "sha256sum",
    "md5sum",
    "base64",
    "column",
    "nl",
    "tac",
    "readlink",
    "realpath",
    "journalctl",
    "systemctl",
    "aws",
];

/// Finds a command written in `text`.
pub(super) fn literal(text: &str) -> Literal {
    let lower = text.to_lowercase();
    let Some((command, before, after)) = written_command(text) else {
        return Literal::None;
    };
    let context = format!("{} {}", before.to_lowercase(), after.to_lowercase());
    let words = words(&context);
    let is_about = ABOUT_CUES.iter().any(|cue| has_phrase(&words, cue));
    let is_run = RUN_CUES
        .iter()
        .any(|cue| words.iter().any(|word| word == cue))
        || lower.trim_start().starts_with("$ ");
    let first = command.split_whitespace().next().unwrap_or("");
    let looks_like_command = PROGRAMS.contains(&first) || first.starts_with("./");
    if is_about && (looks_like_command || is_run) {
        return Literal::Decline;
    }
    if is_run || (looks_like_command && is_filler_only(&words)) {
        return Literal::Run(command);
    }
    if looks_like_command && command.contains(' ') {
        // A command in the request, mixed with other words ("tidy up with
        // `rm -rf build`"): running something else would reinterpret it.
        return Literal::Run(command);
    }
    Literal::None
}

/// The plan for a command the user wrote.
pub(super) fn run_plan(command: &str) -> Plan {
    plan(
        format!("Run the command you wrote: {command}"),
        vec![bash(
            format!("Run `{command}` exactly as written"),
            command,
            // The engine rates the command itself; the final level is the
            // higher of the two, so this never lowers a risky command.
            SafetyLevel::Safe,
        )],
        "The command is run as you wrote it, in the job's folder.",
    )
}

/// The command and the text before and after it: a fenced or backtick span,
/// a line after `$ `, or what follows "run this:"/"run:"/"execute:".
fn written_command(text: &str) -> Option<(String, &str, &str)> {
    if let Some(found) = fenced(text, "```").or_else(|| fenced(text, "`")) {
        return Some(found);
    }
    if let Some(start) = text.find("$ ") {
        let at_line_start = text[..start]
            .chars()
            .last()
            .is_none_or(|c| c == '\n' || c == ':' || c.is_whitespace());
        if at_line_start {
            let rest = &text[start + 2..];
            let end = rest.find('\n').unwrap_or(rest.len());
            let command = rest[..end].trim();
            if !command.is_empty() {
                return Some((command.to_owned(), &text[..start], &rest[end..]));
            }
        }
    }
    let lower = text.to_lowercase();
    for cue in [
        "run this:",
        "run this command:",
        "run:",
        "execute:",
        "execute this:",
        "exec:",
    ] {
        if let Some(start) = lower.find(cue) {
            let rest = text.get(start + cue.len()..)?.trim();
            let command = unquote_whole(rest).trim().to_owned();
            if !command.is_empty() {
                // The cue itself asks to run: answer as if "run" came before.
                return Some((command, "run", ""));
            }
        }
    }
    None
}

/// Words of prose; a request with one outside quotes is not a bare command.
const PROSE_WORDS: [&str; 28] = [
    "the", "a", "an", "all", "every", "my", "me", "please", "pls", "thanks", "and", "of", "in",
    "with", "for", "to", "that", "which", "from", "is", "are", "what", "how", "can", "could",
    "you", "i", "then",
];

/// A request that is itself a command line: one line, a known program, an
/// option after it (`wc -w notes.txt`, `kill -9 1234`, `git log --oneline`)
/// and no word of prose outside quotes, which the shell parser reads. It is
/// run as written: the intents read words, and would take `-la` for a folder
/// or `-5` for nothing.
pub(super) fn bare_command(text: &str) -> Option<String> {
    let line = text.trim();
    if line.contains('\n') {
        return None;
    }
    let words = shell_words(line)?;
    let (first, rest) = words.split_first()?;
    let is_option = |word: &str| {
        word.strip_prefix('-')
            .and_then(|tail| tail.chars().next())
            .is_some_and(|c| c.is_ascii_alphanumeric() || c == '-')
    };
    let is_prose = |word: &str| PROSE_WORDS.contains(&word.to_lowercase().as_str());
    let (first_word, _) = first;
    let looks_like_command = PROGRAMS.contains(&first_word.as_str())
        && rest.iter().any(|(word, quoted)| !quoted && is_option(word))
        && !rest.iter().any(|(word, quoted)| !quoted && is_prose(word));
    (looks_like_command && crate::shell::parse_script(line).is_ok()).then(|| line.to_owned())
}

/// The line split as the shell would at blanks, each word with whether any
/// of it was quoted; `None` for an unclosed quote.
fn shell_words(line: &str) -> Option<Vec<(String, bool)>> {
    let mut words = Vec::new();
    let mut current: Option<(String, bool)> = None;
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        match c {
            '\'' | '"' => {
                let word = current.get_or_insert_with(|| (String::new(), true));
                word.1 = true;
                loop {
                    match chars.next()? {
                        end if end == c => break,
                        other => word.0.push(other),
                    }
                }
            }
            c if c.is_whitespace() => words.extend(current.take()),
            c => current
                .get_or_insert_with(|| (String::new(), false))
                .0
                .push(c),
        }
    }
    words.extend(current);
    Some(words)
}

/// `"cmd"` or `'cmd'` without the outer quotes, when they wrap the whole
/// text; anything else unchanged (`grep 'a' b` keeps its quotes).
fn unquote_whole(text: &str) -> &str {
    for quote in ['"', '\''] {
        if let Some(inner) = text
            .strip_prefix(quote)
            .and_then(|rest| rest.strip_suffix(quote))
            && !inner.contains(quote)
        {
            return inner;
        }
    }
    text
}

/// The first span between two `fence` markers, with the text around it.
fn fenced<'a>(text: &'a str, fence: &str) -> Option<(String, &'a str, &'a str)> {
    let start = text.find(fence)?;
    let rest = &text[start + fence.len()..];
    let end = rest.find(fence)?;
    let mut inner = rest[..end].trim();
    if fence == "```" {
        // A language tag on the opening line (```bash) is not part of the command.
        if let Some((first, body)) = inner.split_once('\n')
            && !first.contains(' ')
            && matches!(first.trim(), "bash" | "sh" | "shell" | "console" | "zsh")
        {
            inner = body.trim();
        }
    }
    let inner = inner.strip_prefix("$ ").unwrap_or(inner).trim();
    (!inner.is_empty()).then(|| (inner.to_owned(), &text[..start], &rest[end + fence.len()..]))
}

fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !(c.is_alphanumeric() || c == '\''))
        .filter(|word| !word.is_empty())
        .map(|word| word.replace('\'', ""))
        .collect()
}

fn has_phrase(words: &[String], phrase: &str) -> bool {
    let wanted: Vec<String> = phrase.split(' ').map(|w| w.replace('\'', "")).collect();
    words
        .windows(wanted.len())
        .any(|window| window.iter().zip(&wanted).all(|(a, b)| a == b))
}

/// Whether the words around the command are only politeness.
fn is_filler_only(words: &[String]) -> bool {
    const FILLER: [&str; 16] = [
        "please", "can", "could", "you", "just", "for", "me", "now", "this", "it", "go", "ahead",
        "and", "ok", "pls", "thanks",
    ];
    words.iter().all(|word| FILLER.contains(&word.as_str()))
}

#[cfg(test)]
mod tests {
    use super::{Literal, bare_command, literal};

    #[test]
    fn written_commands_are_taken_verbatim() {
        let cases = [
            ("run this: ls -la /tmp", "ls -la /tmp"),
            ("please run `git status`", "git status"),
            ("`du -sh *`", "du -sh *"),
            (
                "$ find . -name '*.log' -delete",
                "find . -name '*.log' -delete",
            ),
            ("can you execute: rm -rf build", "rm -rf build"),
            ("tidy up with `rm -rf build dist`", "rm -rf build dist"),
            ("run ```bash\necho hi | wc -c\n```", "echo hi | wc -c"),
            (
                "Run `./deploy.sh --dry-run` for me",
                "./deploy.sh --dry-run",
            ),
        ];
        for (text, expected) in cases {
            assert_eq!(literal(text), Literal::Run(expected.to_owned()), "{text}");
        }
    }

    #[test]
    fn a_request_that_is_a_command_line_is_one() {
        for text in [
            "wc -w notes.txt",
            "kill -9 4242",
            "git log --oneline -5",
            "git commit -m 'fix the login page'",
            "find . -name '*.py' | xargs wc -l",
        ] {
            assert_eq!(bare_command(text).as_deref(), Some(text), "{text}");
        }
        for text in [
            "find -name with all the python files",
            "ls -la in the src folder",
            "sort -r the lines of notes.txt please",
            "grep 'unclosed -n",
            "make a folder called build",
            "tail notes.txt",
            "ls -la\nrm x",
        ] {
            assert_eq!(bare_command(text), None, "{text}");
        }
    }

    #[test]
    fn commands_talked_about_are_declined() {
        for text in [
            "what does `rm -rf /` do",
            "explain `git reset --hard`",
            "don't run `rm -rf ~`",
            "is it safe to run `chmod -R 777 .`",
        ] {
            assert_eq!(literal(text), Literal::Decline, "{text}");
        }
    }

    #[test]
    fn quoted_words_that_are_not_commands_are_left_to_the_intents() {
        for text in [
            "search for `parse_config` in src",
            "find files containing `TODO`",
            "list the files in ~/Downloads",
            "what costs $ 5",
        ] {
            assert_eq!(literal(text), Literal::None, "{text}");
        }
    }
}
