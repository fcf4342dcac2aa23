//! Parsing bash into the simple commands it would run. `shell` parses; it never
//! rates or executes (that is `risk` and the sandbox).
//!
//! The parser is tree-sitter-bash and it fails closed: only node kinds listed
//! in [`walk`] are accepted, and a syntax error or an unknown kind is a
//! [`ParseError`] that callers must treat as destructive. It descends into
//! pipelines, lists, subshells, control flow, command and process
//! substitutions, and sees through wrappers ([`wrappers`]: `sudo`, `env`,
//! `timeout`, `xargs`, `find -exec`, `bash -c`, `eval`, …) with their full
//! option grammars ([`options`]), so that the command that really runs is the
//! one reported. Constructs whose effect depends on data (arithmetic on
//! variables, `trap`, aliases, `cd -`) are reported as [`Hazard`]s.

mod options;
mod walk;
mod words;
mod wrappers;

pub use options::{Arity, Effect, FoundOption, OptionDef, OptionSpec, ParsedArgs, SpecError};
pub use words::{basename, is_dynamic};

/// Programs that run the program named in their arguments (`env ./x`,
/// `nice make`, `xargs rm`): given their arguments at run time, what they
/// run is only known then.
pub const LAUNCHERS: &[&str] = &[
    "env", "command", "builtin", "exec", "nice", "nohup", "time", "timeout", "stdbuf", "setsid",
    "ionice", "chrt", "taskset", "sudo", "doas", "xargs",
];

/// How deeply `bash -c` / `eval` strings may nest before we give up.
pub const MAX_DEPTH: usize = 8;

/// One word of a command after quote removal.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Word {
    /// The unquoted value; expansions keep their `$` form (`$HOME`, `$(date)`).
    pub value: String,
    /// Its value is only known at run time (expansions, substitutions, brace
    /// expansion, unquoted globs that start the word).
    pub dynamic: bool,
}

impl Word {
    /// A word whose value is known.
    pub fn literal(value: impl Into<String>) -> Self {
        Self {
            value: value.into(),
            dynamic: false,
        }
    }

    /// A word only known at run time.
    pub fn dynamic(value: impl Into<String>) -> Self {
        Self {
            value: value.into(),
            dynamic: true,
        }
    }
}

/// An environment assignment made for one command (`NAME=value cmd`, `env NAME=value cmd`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Assignment {
    /// The variable's name.
    pub name: String,
    /// The value as written (unquoted).
    pub value: String,
}

/// One simple command with its words, ready to be normalized and rated.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SimpleCommand {
    /// Program name: the basename of the unquoted first word (`\rm`, `/bin/rm`
    /// and `r""m` are all `rm`). Contains `$` or `` ` `` when it is computed.
    pub program: String,
    /// The first word as written when it names a path (`./ls`, `/bin/rm`).
    pub program_path: Option<String>,
    /// The words after the program, unquoted.
    pub words: Vec<Word>,
    /// Normalized options, filled by `risk::parse` from the program's spec.
    pub flags: Vec<Flag>,
    /// Positional arguments (operands and subcommands), unquoted.
    pub args: Vec<String>,
    /// Redirections on this command or on a compound statement around it.
    pub redirects: Vec<Redirect>,
    /// Wrappers seen through, outermost first, each with its options
    /// (`sudo`, `timeout -s KILL 5`, `xargs -0`, `bash -c`).
    pub wrappers: Vec<String>,
    /// Environment assignments made for this command, by prefix or through `env`.
    pub assignments: Vec<Assignment>,
    /// Programs whose output this command reads: earlier stages of its
    /// pipeline and the commands of its process and command substitutions.
    pub upstream: Vec<String>,
    /// Name of the shell function whose body contains this command.
    pub in_function: Option<String>,
    /// More arguments are supplied at run time (`xargs`, `find -exec … {}`).
    pub has_runtime_args: bool,
}

/// A normalized flag: `-r`, `--recursive` and `-R` of `rm` are all `-r`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Flag {
    /// Canonical name with its dashes (`-r`, `--hard`, `-exec` for `find`).
    pub name: String,
    /// The flag's value when it takes one (`-m msg`, `--output=f`).
    pub value: Option<String>,
}

/// What a redirection does with its target.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RedirectKind {
    /// `<`, here-documents and here-strings.
    Read,
    /// `>`, `>|`, `&>`, `<>`: creates or truncates the target.
    Write,
    /// `>>`, `&>>`: appends to the target.
    Append,
    /// `>&2`, `2>&1`, `<&0`: duplicates a descriptor, touches no file.
    Duplicate,
}

/// One redirection.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Redirect {
    /// What it does.
    pub kind: RedirectKind,
    /// The unquoted target word (a path, a descriptor number, or the here-doc text).
    pub target: String,
}

impl RedirectKind {
    /// Whether the target file is created or modified.
    pub fn is_write(self) -> bool {
        matches!(self, Self::Write | Self::Append)
    }
}

/// Something in a script whose effect the engine cannot prove from the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hazard {
    /// Plain words for the approval card.
    pub reason: String,
}

/// A parsed script: its commands and what could not be proven about it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Script {
    /// Every simple command, in source order.
    pub commands: Vec<SimpleCommand>,
    /// Constructs that make the script at least moderate.
    pub hazards: Vec<Hazard>,
}

/// Why a script could not be understood. Callers treat it as destructive.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ParseError {
    /// The script has a syntax error (tree-sitter found an error or missing node).
    #[error("the script has a syntax error near `{0}`")]
    Syntax(String),
    /// The script uses shell syntax the engine does not analyse.
    #[error("unsupported shell syntax: {0}")]
    Unsupported(String),
    /// `bash -c`/`eval` strings nest deeper than the engine follows.
    #[error("shell strings nest more than {MAX_DEPTH} levels deep")]
    TooDeep,
    /// The parser could not be set up or gave no tree; retrying does not help.
    #[error("the shell parser failed")]
    Parser,
}

impl SimpleCommand {
    /// Whether the normalized flag `name` is present.
    pub fn has_flag(&self, name: &str) -> bool {
        self.flags.iter().any(|f| f.name == name)
    }

    /// The value of the first flag called `name`, if it has one.
    pub fn flag_value(&self, name: &str) -> Option<&str> {
        self.flags
            .iter()
            .find(|f| f.name == name)
            .and_then(|f| f.value.as_deref())
    }

    /// The first positional argument, usually a subcommand (`git push`).
    pub fn subcommand(&self) -> Option<&str> {
        self.args.first().map(String::as_str)
    }

    /// The wrappers' program names (`timeout` for `timeout -s KILL 5`).
    pub fn wrapper_names(&self) -> impl Iterator<Item = &str> {
        self.wrappers
            .iter()
            .map(|w| w.split(' ').next().unwrap_or(w))
    }

    /// The words' values.
    pub fn word_values(&self) -> Vec<String> {
        self.words.iter().map(|w| w.value.clone()).collect()
    }
}

/// Parses a script into every simple command it would run, in source order,
/// with the hazards found on the way. Flags are not normalized here.
pub fn parse_script(script: &str) -> Result<Script, ParseError> {
    walk::parse(script, 0, None)
}
