//! The environment as part of the command: variables that carry code or
//! change how programs are found and run (`BASH_ENV`, `LD_PRELOAD`,
//! `BASH_FUNC_*`, `GIT_CONFIG_*`, pagers, editors, `PATH`, …), whether set
//! before a command, through `env`, or with `export`/`declare`.

use super::Ctx;
use crate::plan::SafetyLevel::{Destructive, Moderate};
use crate::risk::Rating;
use crate::shell::SimpleCommand;

/// Exact names that change what runs.
#[rustfmt::skip]
const CODE_VARIABLES: &[&str] = &[
    "PATH", "BASH_ENV", "ENV", "IFS", "PROMPT_COMMAND", "PS4", "SHELLOPTS", "BASHOPTS", "CDPATH",
    "GLOBIGNORE", "PAGER", "MANPAGER", "MANOPT", "EDITOR", "VISUAL", "BROWSER", "LESSOPEN",
    "LESSCLOSE", "LESS", "NODE_OPTIONS", "NODE_PATH", "RUBYOPT", "RUBYLIB", "JAVA_TOOL_OPTIONS",
    "_JAVA_OPTIONS", "JDK_JAVA_OPTIONS", "SSH_ASKPASS", "SUDO_ASKPASS", "GIT_ASKPASS", "GCONV_PATH",
    "GLIBC_TUNABLES", "HOSTALIASES", "LOCPATH", "NLSPATH", "HOME", "TMPDIR", "XDG_CONFIG_HOME",
    "XDG_DATA_HOME", "SYSTEMD_PAGER", "SYSTEMD_EDITOR", "TAR_OPTIONS", "GREP_OPTIONS",
    "RIPGREP_CONFIG_PATH", "XARGS", "FIGNORE", "HISTFILE", "INPUTRC", "TERMINFO", "ZDOTDIR", "MAIL",
    "MAILPATH",
];
/// Prefixes whose every variable can change what runs.
#[rustfmt::skip]
const CODE_PREFIXES: &[&str] = &[
    "BASH_FUNC_", "LD_", "PYTHON", "PERL5", "PERL_", "DYLD_", "GIT_", "NPM_CONFIG_", "CARGO_",
    "RUSTC", "RUSTFLAGS", "MALLOC_",
];
/// `GIT_*` variables that only describe, never configure.
#[rustfmt::skip]
const HARMLESS_GIT: &[&str] = &[
    "GIT_AUTHOR_NAME", "GIT_AUTHOR_EMAIL", "GIT_AUTHOR_DATE", "GIT_COMMITTER_NAME",
    "GIT_COMMITTER_EMAIL", "GIT_COMMITTER_DATE", "GIT_TERMINAL_PROMPT", "GIT_OPTIONAL_LOCKS",
];

/// Whether setting `name` can change which code runs.
pub(crate) fn carries_code(name: &str) -> bool {
    let name = name.trim_end_matches("%%");
    if HARMLESS_GIT.contains(&name) {
        return false;
    }
    CODE_VARIABLES.contains(&name)
        || CODE_PREFIXES.iter().any(|p| name.starts_with(p))
        || name.ends_with("PAGER")
        || name.ends_with("EDITOR")
        || name.contains('%')
}

/// Variables that only set language, time zone, terminal size or colour,
/// or a commit's names and dates: the one environment a `safe` command may
/// be given. Anything else may be read as options (`ZIPOPT=-m zip …`
/// deletes what it zips, `GZIP`, `XZ_OPT`, `BZIP2`, …).
fn only_describes(name: &str) -> bool {
    name.starts_with("LC_")
        || HARMLESS_GIT.contains(&name)
        || matches!(
            name,
            "LANG"
                | "LANGUAGE"
                | "TZ"
                | "COLUMNS"
                | "LINES"
                | "TERM"
                | "NO_COLOR"
                | "CLICOLOR"
                | "CLICOLOR_FORCE"
                | "FORCE_COLOR"
        )
}

/// Whether `command` is a program the assignments are the environment of
/// (`ZIPOPT=-m zip …`), not the shell keeping a variable (`X=1`, `export`).
fn gets_environment(command: &SimpleCommand) -> bool {
    !command.program.is_empty()
        && !matches!(
            command.program.as_str(),
            "export" | "declare" | "local" | "readonly" | "typeset"
        )
}

/// Rates `NAME=value cmd` and `env NAME=value cmd`.
pub(super) fn rate_assignments(command: &SimpleCommand, rating: &mut Rating) {
    for assignment in &command.assignments {
        if carries_code(&assignment.name) {
            rating.raise(
                Destructive,
                format!("sets {}, which changes what runs", assignment.name),
            );
        } else if !only_describes(&assignment.name) && gets_environment(command) {
            rating.raise(
                Moderate,
                format!(
                    "sets {} for {}, which may read it as options",
                    assignment.name, command.program
                ),
            );
        }
    }
}

/// `export NAME=…`, `declare NAME=…`, `local`, `readonly`, `typeset`, and
/// `let`: an integer variable (`declare -i`) or `let` evaluates its value as
/// arithmetic, where `a[$(cmd)]` runs `cmd`.
pub(super) fn rate_declaration(ctx: &mut Ctx<'_>) {
    let program = ctx.cmd.program.clone();
    let words = ctx.cmd.word_values();
    if program == "let" {
        if words.iter().any(|w| !is_literal_arithmetic(w)) {
            ctx.moderate(
                "let evaluates a value that is not literal arithmetic (it could run commands)",
            );
        }
        return;
    }
    if !matches!(
        program.as_str(),
        "export" | "declare" | "local" | "readonly" | "typeset"
    ) {
        return;
    }
    let integer = words.iter().any(|w| w.starts_with('-') && w.contains('i'));
    for word in &words {
        if word.starts_with('-') {
            continue;
        }
        let name = word
            .split(['=', '+', '['])
            .next()
            .unwrap_or_default()
            .to_owned();
        rate_variable_name(ctx, &name);
        let value = word.split_once('=').map_or("", |(_, value)| value);
        if (integer && !is_literal_arithmetic(value)) || (word.contains('[') && word.contains('$'))
        {
            ctx.moderate(format!(
                "{program} evaluates the value of {name} as arithmetic (it could run commands)"
            ));
        }
    }
}

/// `x=1+2`, `3*4`: digits, operators and a leading assignment only.
fn is_literal_arithmetic(text: &str) -> bool {
    let value = match text.split_once('=') {
        Some((name, value)) if name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') => value,
        _ => text,
    };
    value
        .chars()
        .all(|c| c.is_ascii_digit() || " +-*/%()".contains(c))
}

/// Raises when a script assigns a variable that carries code.
pub(super) fn rate_variable_name(ctx: &mut Ctx<'_>, name: &str) {
    if carries_code(name) {
        ctx.destructive(format!("sets {name}, which changes what runs"));
    }
}

#[cfg(test)]
mod tests {
    use super::carries_code;

    #[test]
    fn code_carrying_variables_are_recognised() {
        for (name, expected) in [
            ("LD_PRELOAD", true),
            ("BASH_ENV", true),
            ("BASH_FUNC_ls%%", true),
            ("GIT_CONFIG_COUNT", true),
            ("GIT_CONFIG_KEY_0", true),
            ("GIT_PAGER", true),
            ("LESSOPEN", true),
            ("PYTHONSTARTUP", true),
            ("MY_EDITOR", true),
            ("GIT_AUTHOR_NAME", false),
            ("LANG", false),
            ("FOO", false),
        ] {
            assert_eq!(carries_code(name), expected, "{name}");
        }
    }
}
