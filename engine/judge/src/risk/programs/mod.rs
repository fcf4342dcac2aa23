//! Per-program knowledge: each program's option grammar and its rating live
//! together, one file per family. A command is `safe` only when its program
//! is listed here, it is the system's copy, and every option it uses is one
//! its spec knows and only reads. Anything else is at least `moderate`, and
//! programs not listed at all are `destructive`.

mod archives;
mod cloud;
mod environment;
pub(crate) use environment::carries_code;
mod files;
mod find;
mod git;
mod readers;
mod system;
mod text;

use std::collections::HashMap;
use std::path::Path;
use std::sync::LazyLock;

use super::paths::{
    WriteTarget, classify_write, glob_may_match_secret, holds_secrets, is_critical, is_home_word,
    is_secret, is_secret_name, names_home_secret, resolve,
};
use super::{Rating, Scope};
use crate::plan::SafetyLevel::{self, Destructive, Moderate};
use crate::shell::{Effect, Flag, OptionSpec, ParsedArgs, SimpleCommand, Word, is_dynamic};

/// How a program is rated beyond its options.
type RateFn = fn(&mut Ctx<'_>);

/// One program family member: names, option spec and rating.
pub(super) struct Program {
    /// Names it is run by.
    pub names: &'static [&'static str],
    /// Its options, in the syntax of [`OptionSpec::parse`].
    pub options: &'static [&'static str],
    /// `-5` is a number option (`head -5`).
    pub numeric: bool,
    /// Options end at the first operand (`find`, `ssh`).
    pub stops_at_operand: bool,
    /// Its words are read as options at all (`echo` and `test` take none).
    pub takes_options: bool,
    /// Extra rating of operands and option values; `None` for pure readers.
    pub rate: Option<RateFn>,
}

impl Program {
    /// A program whose `rate` looks at what its options alone do not say.
    pub(super) const fn rated(
        names: &'static [&'static str],
        options: &'static [&'static str],
        rate: RateFn,
    ) -> Self {
        Self {
            names,
            options,
            numeric: false,
            stops_at_operand: false,
            takes_options: true,
            rate: Some(rate),
        }
    }
}

struct Entry {
    program: &'static Program,
    spec: OptionSpec,
}

/// Every program family's table.
const FAMILIES: [&[Program]; 8] = [
    readers::READERS,
    files::FILES,
    text::TEXT,
    find::FIND,
    git::GIT,
    archives::ARCHIVES,
    system::SYSTEM,
    cloud::CLOUD,
];

static REGISTRY: LazyLock<HashMap<&'static str, Entry>> = LazyLock::new(|| {
    let mut map = HashMap::new();
    for program in FAMILIES.into_iter().flatten() {
        // Every table is checked by `every_program_spec_parses`.
        let mut spec = OptionSpec::parse(program.options).unwrap_or_default();
        spec.numeric_short = program.numeric;
        spec.stops_at_operand = program.stops_at_operand;
        for name in program.names {
            map.insert(
                *name,
                Entry {
                    program,
                    spec: spec.clone(),
                },
            );
        }
    }
    map
});

/// Whether `program` only reads whatever its arguments (`cat`, `wc`, `ls`).
pub(super) fn is_pure_reader(program: &str) -> bool {
    REGISTRY
        .get(crate::shell::basename(program))
        .is_some_and(|e| e.program.rate.is_none() && e.spec.is_read_only())
}

/// `find -exec grep PATTERN {} +`: find appends paths that start with its
/// starting point (never an option), and the pattern or script is already
/// given, so the paths are only more files to read.
fn takes_found_paths(ctx: &Ctx<'_>) -> bool {
    const FILE_READERS: [&str; 12] = [
        "grep", "egrep", "fgrep", "zgrep", "rg", "sed", "gsed", "awk", "gawk", "mawk", "nawk",
        "sort",
    ];
    ctx.cmd.wrapper_names().any(|w| w == "find")
        && FILE_READERS.contains(&ctx.cmd.program.as_str())
        && (!ctx.parsed.operands.is_empty() || ctx.has("-e") || ctx.has("-f"))
}

/// Directories whose programs are the system's own.
const SYSTEM_BIN_DIRS: &[&str] = &[
    "/bin/",
    "/usr/bin/",
    "/usr/local/bin/",
    "/sbin/",
    "/usr/sbin/",
];

/// Fills `flags` and `args` of a parsed command from its program's spec.
pub fn normalize(command: &mut SimpleCommand) {
    if command.program == "git" {
        git::normalize(command);
        return;
    }
    let Some(entry) = REGISTRY.get(command.program.as_str()) else {
        lenient_normalize(command);
        return;
    };
    if !entry.program.takes_options {
        command.args = command.word_values();
        return;
    }
    let parsed = entry.spec.parse_args(&argument_words(command));
    set_normalized(command, &parsed);
}

/// The words as the program reads them: `tar xzf a.tgz` is `tar -xzf a.tgz`.
fn argument_words(command: &SimpleCommand) -> Vec<Word> {
    let mut words = command.words.clone();
    if matches!(command.program.as_str(), "tar" | "gtar" | "bsdtar")
        && let Some(first) = words.first_mut()
        && !first.dynamic
        && !first.value.is_empty()
        && first.value.chars().all(|c| c.is_ascii_alphabetic())
    {
        first.value.insert(0, '-');
    }
    words
}

fn set_normalized(command: &mut SimpleCommand, parsed: &ParsedArgs) {
    command.flags = parsed
        .options
        .iter()
        .map(|o| Flag {
            name: o.name.clone(),
            value: o.value.clone(),
        })
        .collect();
    command.args = parsed.operand_values();
    if let Some(at) = parsed.double_dash_at {
        command
            .args
            .insert(at.min(command.args.len()), "--".to_owned());
    }
}

/// For programs without a spec: every `-x` and `--long[=v]` is a flag.
fn lenient_normalize(command: &mut SimpleCommand) {
    let mut flags = Vec::new();
    let mut args = Vec::new();
    let mut operands_only = false;
    for word in &command.words {
        let text = word.value.as_str();
        if operands_only || word.dynamic || !text.starts_with('-') || text == "-" {
            args.push(text.to_owned());
        } else if text == "--" {
            operands_only = true;
            args.push(text.to_owned());
        } else if let Some(long) = text.strip_prefix("--") {
            let (name, value) = match long.split_once('=') {
                Some((name, value)) => (name, Some(value.to_owned())),
                None => (long, None),
            };
            flags.push(Flag {
                name: format!("--{name}"),
                value,
            });
        } else {
            for c in text.chars().skip(1) {
                flags.push(Flag {
                    name: format!("-{c}"),
                    value: None,
                });
            }
        }
    }
    command.flags = flags;
    command.args = args;
}

/// The canonical names a policy token (`--recursive`, `-rf`) stands for in `command`'s program.
pub fn canonical_flags(command: &SimpleCommand, token: &str) -> Vec<String> {
    let mut probe = SimpleCommand {
        program: command.program.clone(),
        words: Vec::new(),
        ..SimpleCommand::default()
    };
    if command.program == "git"
        && let Some(sub) = command.subcommand()
    {
        probe.words.push(Word::literal(sub));
    }
    probe.words.push(Word::literal(token));
    normalize(&mut probe);
    probe.flags.into_iter().map(|f| f.name).collect()
}

/// What the rating of one command can see.
pub(super) struct Ctx<'a> {
    pub scope: &'a Scope,
    pub cwd: &'a Path,
    pub cmd: &'a SimpleCommand,
    pub parsed: ParsedArgs,
    pub rating: &'a mut Rating,
}

impl Ctx<'_> {
    /// Records a write to `word`.
    pub fn write(&mut self, word: &str, what: &str) {
        let shown = self.shown(word);
        match classify_write(self.scope, self.cwd, word) {
            WriteTarget::Harmless => {}
            WriteTarget::BlockDevice => {
                self.rating.forbid(format!("{what} a disk device: {shown}"));
            }
            WriteTarget::SystemConfig => self
                .rating
                .forbid(format!("writes to a system file: {shown}")),
            WriteTarget::Descriptor => self.rating.raise(
                Moderate,
                format!("{what} a file descriptor the engine cannot follow: {shown}"),
            ),
            WriteTarget::InsideRoots => self.rating.raise(Moderate, format!("{what} {shown}")),
            WriteTarget::Outside => self.rating.raise(
                Destructive,
                format!("writes outside the write roots: {shown}"),
            ),
        }
    }

    /// A path for reasons: resolved when it can be.
    pub fn shown(&self, word: &str) -> String {
        resolve(self.scope, self.cwd, word)
            .map_or_else(|| word.to_owned(), |p| p.display().to_string())
    }

    /// Forbids when an operand is the root, a home or a system directory.
    pub fn forbid_critical(&mut self, operands: &[String], what: &str) {
        for word in operands {
            let critical = is_home_word(word)
                || resolve(self.scope, self.cwd, word).is_some_and(|p| is_critical(self.scope, &p));
            if critical {
                let shown = self.shown(word);
                self.rating
                    .forbid(format!("{} {what} {shown}", describe(self.cmd)));
            }
        }
    }

    /// Raises to destructive.
    pub fn destructive(&mut self, reason: impl Into<String>) {
        self.rating.raise(Destructive, reason);
    }

    /// Raises to moderate.
    pub fn moderate(&mut self, reason: impl Into<String>) {
        self.rating.raise(Moderate, reason);
    }

    /// The operands, without `--`.
    pub fn operands(&self) -> Vec<String> {
        self.parsed.operand_values()
    }

    /// Whether the canonical option `name` was given.
    pub fn has(&self, name: &str) -> bool {
        self.parsed.has(name)
    }

    /// The value of option `name`.
    pub fn value(&self, name: &str) -> Option<String> {
        self.parsed.value(name).map(str::to_owned)
    }
}

/// `rm -r -f`: the program and its normalized flags, for reasons.
pub(super) fn describe(command: &SimpleCommand) -> String {
    let mut text = command.program.clone();
    for flag in &command.flags {
        text.push(' ');
        text.push_str(&flag.name);
    }
    text
}

/// Rates one command into `rating`; `cwd` is `None` after a `cd` to an unknown place.
pub(super) fn rate(cmd: &SimpleCommand, scope: &Scope, cwd: Option<&Path>, rating: &mut Rating) {
    let program = cmd.program.as_str();
    let known_cwd = cwd.is_some();
    let cwd = cwd.unwrap_or(Path::new("/nonexistent-unknown-cwd"));
    if is_dynamic(program) {
        rating.raise(
            Destructive,
            format!("the program is only known at run time: {program}"),
        );
    }
    if cmd.in_function.as_deref() == Some(program) {
        rating.forbid(format!(
            "the shell function `{program}` calls itself (fork bomb)"
        ));
    }
    for wrapper in cmd.wrapper_names() {
        if matches!(wrapper, "sudo" | "doas") {
            rating.raise(Destructive, format!("runs {program} as root via {wrapper}"));
        }
    }
    environment::rate_assignments(cmd, rating);
    let entry = REGISTRY.get(program);
    let parsed = match entry {
        Some(entry) if entry.program.takes_options => entry.spec.parse_args(&argument_words(cmd)),
        _ => ParsedArgs {
            operands: cmd.words.clone(),
            ..ParsedArgs::default()
        },
    };
    let mut ctx = Ctx {
        scope,
        cwd,
        cmd,
        parsed,
        rating,
    };
    for redirect in &cmd.redirects {
        if redirect.kind.is_write() {
            ctx.write(&redirect.target, "redirects output to");
        } else if redirect.kind == crate::shell::RedirectKind::Read {
            check_secret(&mut ctx, &redirect.target);
        }
        // bash opens a connection for these names itself, whatever the program.
        if redirect.target.starts_with("/dev/tcp/") || redirect.target.starts_with("/dev/udp/") {
            ctx.rating.network = true;
            ctx.moderate(format!("{} opens a network connection", redirect.target));
        }
    }
    if let Some(path) = cmd.program_path.as_deref()
        && !SYSTEM_BIN_DIRS
            .iter()
            .any(|dir| path.starts_with(dir) && !path[dir.len()..].contains('/'))
    {
        ctx.destructive(format!("runs {path}, not the system's {program}"));
    }
    if !known_cwd
        && cmd
            .words
            .iter()
            .any(|w| !w.value.starts_with('/') && !w.value.starts_with('-'))
    {
        ctx.moderate(
            "the working directory is not known here (after cd -, pushd, popd or cd $VAR)",
        );
    }
    match entry {
        Some(entry) => rate_known(&mut ctx, entry),
        None => ctx.destructive(format!("unknown program: {program}")),
    }
    if cmd.has_runtime_args {
        let via = cmd.wrapper_names().last().unwrap_or("its input").to_owned();
        // `echo ./x | xargs env`: the arguments it gets are the program it runs.
        let launches = crate::shell::LAUNCHERS.contains(&program);
        if launches {
            ctx.destructive(format!(
                "{program} runs a program it gets at run time from {via}"
            ));
        } else if ctx.rating.level.is_some_and(|l| l > SafetyLevel::Safe) {
            ctx.destructive(format!(
                "{program} gets more arguments at run time from {via}"
            ));
        } else if !is_pure_reader(program) && !takes_found_paths(&ctx) {
            // `xargs sed`: the script, program or subcommand would come from data.
            ctx.moderate(format!(
                "{program} gets arguments at run time from {via} that could change what it does"
            ));
        }
    }
}

fn rate_known(ctx: &mut Ctx<'_>, entry: &Entry) {
    let program = ctx.cmd.program.clone();
    let parsed = ctx.parsed.clone();
    for error in &parsed.errors {
        ctx.moderate(format!("{program}: {error}"));
    }
    // Only an option with an effect can turn a word only known at run time
    // into harm; operands are rated by the program's own `rate`.
    let has_effects = !entry.spec.is_read_only();
    if has_effects && parsed.dynamic_option {
        ctx.moderate(format!(
            "{program} has an argument only known at run time that could be an option"
        ));
    }
    if has_effects && parsed.dynamic_value {
        ctx.moderate(format!(
            "{program} has an option value only known at run time"
        ));
    }
    for option in &parsed.options {
        let name = &option.name;
        match option.effect {
            // `--files0-from=FILE`, `diff --to-file FILE`, `xargs -a FILE`:
            // a value can name a file the program reads.
            Effect::Read => {
                if let Some(value) = &option.value {
                    check_secret(ctx, value);
                }
            }
            Effect::Write => match &option.value {
                Some(target) => ctx.write(target, &format!("{program} {name} writes")),
                None => ctx.moderate(format!("{program} {name} changes files")),
            },
            Effect::Exec => ctx.destructive(format!("{program} {name} runs another program")),
            Effect::Net => {
                ctx.rating.network = true;
                ctx.moderate(format!("{program} {name} talks to the network"));
            }
            Effect::Change => ctx.destructive(format!("{program} {name} changes the system")),
        }
    }
    match entry.program.rate {
        Some(rate) => rate(ctx),
        None => {
            for operand in ctx.operands() {
                check_secret(ctx, &operand);
            }
        }
    }
}

/// Raises a read of a credentials file: a model must not see it unasked.
/// A glob (`~/.aws/*`) reads whatever it matches below where it starts.
pub(super) fn check_secret(ctx: &mut Ctx<'_>, word: &str) {
    let is_glob = |part: &str| part.contains(['*', '?', '[']);
    let last = word.rsplit('/').next().unwrap_or(word);
    if word.split('/').any(is_glob) {
        let matches_hidden = word
            .split('/')
            .any(|part| is_glob(part) && part.starts_with('.'));
        check_secret_tree(ctx, word, !matches_hidden);
        // `*/.env`: a glob before a credentials name.
        if (is_glob(last) && glob_may_match_secret(last)) || is_secret_name(last) {
            let shown = ctx.shown(word);
            ctx.moderate(format!(
                "reads secrets: {shown}/{last} can match a credentials file"
            ));
        }
        return;
    }
    let secret = match resolve(ctx.scope, ctx.cwd, word) {
        Some(path) => is_secret(ctx.scope, &path),
        // `~root/.ssh/id_rsa`, `$PWD/.env`: the place is unknown, the name is not.
        None => is_secret_name(last) || names_home_secret(word),
    };
    if secret {
        let shown = ctx.shown(word);
        ctx.moderate(format!("reads secrets: {shown}"));
    }
}

/// Raises a recursive read (`grep -r`, `tar -c`) of a directory that holds
/// credentials somewhere below it; `skips_hidden` when the reader does not
/// enter hidden directories.
pub(super) fn check_secret_tree(ctx: &mut Ctx<'_>, word: &str, skips_hidden: bool) {
    if resolve(ctx.scope, ctx.cwd, word).is_some_and(|p| holds_secrets(ctx.scope, &p, skips_hidden))
    {
        let shown = ctx.shown(word);
        ctx.moderate(format!("reads secrets: {shown} holds credentials"));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_program_spec_parses() {
        for program in FAMILIES.into_iter().flatten() {
            if let Err(error) = OptionSpec::parse(program.options) {
                panic!("{:?}: {error}", program.names);
            }
        }
        git::check_specs();
    }
}
