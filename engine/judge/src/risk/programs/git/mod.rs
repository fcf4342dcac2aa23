//! `git`: global options, then one option grammar per subcommand. Read-only
//! subcommands are `safe` only with options listed here (git accepts unique
//! abbreviations of long options, and so does the parser); writing ones are
//! rated by what they can lose.

use std::collections::HashMap;
use std::sync::LazyLock;

mod options;

use options::{
    BLAME, BRANCH, CAT_FILE, CHECKOUT, CLEAN, COMMIT, CONFIG, DESCRIBE, FOR_EACH_REF, GLOBAL, GREP,
    LS_FILES, LS_TREE, MERGE_BASE, NAME_REV, PUSH, REFLOG, REMOTE, RESET, RESTORE, REV_DIFF,
    REV_PARSE, SHORTLOG, SHOW_REF, SMALL_READERS, STASH, STATUS, TAG,
};

use super::{Ctx, Program, describe, set_normalized};
use crate::plan::SafetyLevel::Moderate;
use crate::shell::{Effect, Flag, FoundOption, OptionSpec, ParsedArgs, SimpleCommand, Word};

/// What a subcommand does.
#[derive(Clone, Copy)]
enum Class {
    /// Reads only, with these options.
    ReadOnly,
    /// Rated by a function.
    Custom(fn(&mut Ctx<'_>, &str, &[String])),
    /// Changes the repository in ways it can recover from.
    RepoWrite,
    /// Reaches a remote and changes the repository.
    Network,
    /// Can lose work or history.
    Destructive(&'static str),
}

struct Subcommand {
    names: &'static [&'static str],
    options: &'static [&'static [&'static str]],
    class: Class,
}

#[rustfmt::skip]
const SUBCOMMANDS: &[Subcommand] = &[
    Subcommand { names: &["cherry"], options: &[REV_DIFF, &["-v --verbose"]], class: Class::ReadOnly },
    Subcommand { names: &["status"], options: &[STATUS], class: Class::ReadOnly },
    Subcommand {
        names: &["log", "show", "diff", "whatchanged", "rev-list", "show-branch", "range-diff", "diff-tree", "diff-files", "diff-index"],
        options: &[REV_DIFF],
        class: Class::ReadOnly,
    },
    Subcommand { names: &["shortlog"], options: &[REV_DIFF, SHORTLOG], class: Class::ReadOnly },
    Subcommand { names: &["blame", "annotate"], options: &[BLAME], class: Class::ReadOnly },
    Subcommand { names: &["describe"], options: &[DESCRIBE], class: Class::ReadOnly },
    Subcommand { names: &["rev-parse"], options: &[REV_PARSE], class: Class::ReadOnly },
    Subcommand { names: &["ls-files"], options: &[LS_FILES], class: Class::ReadOnly },
    Subcommand { names: &["ls-tree"], options: &[LS_TREE], class: Class::ReadOnly },
    Subcommand { names: &["cat-file"], options: &[CAT_FILE], class: Class::ReadOnly },
    Subcommand { names: &["grep"], options: &[GREP], class: Class::ReadOnly },
    Subcommand { names: &["show-ref"], options: &[SHOW_REF], class: Class::ReadOnly },
    Subcommand { names: &["for-each-ref"], options: &[FOR_EACH_REF], class: Class::ReadOnly },
    Subcommand { names: &["merge-base"], options: &[MERGE_BASE], class: Class::ReadOnly },
    Subcommand { names: &["name-rev"], options: &[NAME_REV], class: Class::ReadOnly },
    Subcommand {
        names: &["count-objects", "check-ignore", "version", "help", "var"],
        options: &[SMALL_READERS],
        class: Class::ReadOnly,
    },
    Subcommand { names: &["branch"], options: &[BRANCH], class: Class::Custom(rate_branch) },
    Subcommand { names: &["tag"], options: &[TAG], class: Class::Custom(rate_tag) },
    Subcommand { names: &["remote"], options: &[REMOTE], class: Class::Custom(rate_remote) },
    Subcommand { names: &["stash"], options: &[REV_DIFF, STASH], class: Class::Custom(rate_stash) },
    Subcommand { names: &["config"], options: &[CONFIG], class: Class::Custom(rate_config) },
    Subcommand { names: &["reflog"], options: &[REFLOG, REV_DIFF], class: Class::Custom(rate_reflog) },
    Subcommand { names: &["reset"], options: &[RESET], class: Class::Custom(rate_reset) },
    Subcommand { names: &["clean"], options: &[CLEAN], class: Class::Custom(rate_clean) },
    Subcommand { names: &["checkout"], options: &[CHECKOUT], class: Class::Custom(rate_checkout) },
    Subcommand { names: &["restore"], options: &[RESTORE], class: Class::Custom(rate_restore) },
    Subcommand { names: &["push"], options: &[PUSH], class: Class::Custom(rate_push) },
    Subcommand { names: &["commit"], options: &[COMMIT], class: Class::RepoWrite },
    Subcommand {
        names: &["add", "switch", "merge", "rebase", "cherry-pick", "revert", "init", "mv", "rm", "notes", "am", "apply", "worktree", "bisect", "format-patch", "sparse-checkout"],
        options: &[],
        class: Class::RepoWrite,
    },
    Subcommand {
        names: &["fetch", "pull", "clone", "submodule", "ls-remote", "remote-update"],
        options: &[],
        class: Class::Network,
    },
    Subcommand {
        names: &["gc", "prune", "filter-branch", "filter-repo", "update-ref", "replace", "repack", "maintenance"],
        options: &[],
        class: Class::Destructive("can drop history or unreachable objects"),
    },
];

/// Config keys whose values are programs git runs.
const PROGRAM_KEYS: &[&str] = &[
    "core.fsmonitor",
    "core.pager",
    "core.editor",
    "core.sshcommand",
    "core.hookspath",
    "core.askpass",
    "core.gitproxy",
    "diff.external",
    "sequence.editor",
    "gpg.program",
    "credential.helper",
    "pager.",
    "alias.",
    "filter.",
    "diff.",
    "merge.",
    "uploadpack.",
    "receivepack.",
    "remote.",
    "url.",
    "include.",
    "includeif.",
    "http.",
    "ssh.",
    "browser.",
    "web.browser",
    "man.",
    "instaweb.",
    "sendemail.",
];

struct Grammars {
    global: OptionSpec,
    /// Subcommands with their grammar; `None` where the engine reads their
    /// options leniently (writing subcommands that are rated by name alone).
    subcommands: HashMap<&'static str, (Option<OptionSpec>, Class)>,
}

static GRAMMARS: LazyLock<Grammars> = LazyLock::new(|| {
    let mut global = OptionSpec::parse(GLOBAL).unwrap_or_default();
    global.stops_at_operand = true;
    let mut subcommands = HashMap::new();
    for sub in SUBCOMMANDS {
        let entries: Vec<&str> = sub.options.iter().flat_map(|o| o.iter().copied()).collect();
        let spec = (!entries.is_empty()).then(|| {
            let mut spec = OptionSpec::parse(&entries).unwrap_or_default();
            spec.numeric_short = true;
            spec
        });
        for name in sub.names {
            subcommands.insert(*name, (spec.clone(), sub.class));
        }
    }
    Grammars {
        global,
        subcommands,
    }
});

/// The git family.
pub(super) const GIT: &[Program] = &[Program {
    names: &["git"],
    options: GLOBAL,
    numeric: false,
    stops_at_operand: true,
    takes_options: true,
    rate: Some(rate_git),
}];

/// Test support: every table parses.
#[cfg(test)]
pub(super) fn check_specs() {
    for sub in SUBCOMMANDS {
        for options in sub.options {
            assert!(OptionSpec::parse(options).is_ok(), "{:?}", sub.names);
        }
    }
}

/// A git command read as global options, subcommand and the subcommand's options.
struct GitCommand {
    global: ParsedArgs,
    sub: Option<String>,
    /// The subcommand's parse and class, when the engine knows it.
    known: Option<(ParsedArgs, Class)>,
}

/// Global options, then the subcommand's.
fn parse(command: &SimpleCommand) -> GitCommand {
    let grammars = &*GRAMMARS;
    let global = grammars.global.parse_args(&command.words);
    let Some(sub) = global.rest_at.and_then(|at| command.words.get(at)) else {
        return GitCommand {
            global,
            sub: None,
            known: None,
        };
    };
    let rest = &command.words[global.rest_at.unwrap_or(0) + 1..];
    let known = grammars
        .subcommands
        .get(sub.value.as_str())
        .map(|(spec, class)| {
            (
                spec.as_ref()
                    .map_or_else(|| lenient(rest), |s| s.parse_args(rest)),
                *class,
            )
        });
    GitCommand {
        sub: Some(sub.value.clone()),
        global,
        known,
    }
}

/// Options read without a grammar: every `-x` and `--name[=value]` is an
/// option, everything else an operand.
fn lenient(words: &[Word]) -> ParsedArgs {
    let mut probe = SimpleCommand {
        words: words.to_vec(),
        ..SimpleCommand::default()
    };
    super::lenient_normalize(&mut probe);
    ParsedArgs {
        options: probe
            .flags
            .into_iter()
            .map(|f| FoundOption {
                name: f.name,
                value: f.value,
                effect: Effect::Read,
            })
            .collect(),
        operands: probe
            .args
            .into_iter()
            .filter(|a| a != "--")
            .map(Word::literal)
            .collect(),
        ..ParsedArgs::default()
    }
}

/// Flags are the global and the subcommand's options; args the subcommand and its operands.
pub(super) fn normalize(command: &mut SimpleCommand) {
    let GitCommand { global, sub, known } = parse(command);
    let Some(sub) = sub else {
        set_normalized(command, &global);
        return;
    };
    let rest = command
        .words
        .get(global.rest_at.unwrap_or(0) + 1..)
        .unwrap_or_default();
    let parsed = known.map_or_else(|| lenient(rest), |(parsed, _)| parsed);
    let mut operands = parsed.operand_values();
    if let Some(at) = parsed.double_dash_at {
        operands.insert(at.min(operands.len()), "--".to_owned());
    }
    command.flags = global
        .options
        .into_iter()
        .chain(parsed.options)
        .map(|o| Flag {
            name: o.name,
            value: o.value,
        })
        .collect();
    command.args = std::iter::once(sub).chain(operands).collect();
}

fn rate_git(ctx: &mut Ctx<'_>) {
    let GitCommand {
        sub, known: parsed, ..
    } = parse(ctx.cmd);
    let Some(sub) = sub else {
        return;
    };
    let repo = ctx.value("-C").unwrap_or_else(|| ".".to_owned());
    if ctx.has("--git-dir") || ctx.has("--work-tree") {
        // Another repository's config (pager, fsmonitor, hooks) decides what git runs.
        ctx.moderate(
            "git --git-dir/--work-tree points git at a repository the engine cannot vouch for",
        );
    }
    let Some((parsed, class)) = parsed else {
        ctx.destructive(format!(
            "unknown git subcommand (an alias can run anything): {sub}"
        ));
        return;
    };
    // The subcommand's own option errors and effects.
    let global = std::mem::replace(&mut ctx.parsed, parsed.clone());
    for error in &parsed.errors {
        ctx.moderate(format!("git {sub}: {error}"));
    }
    if parsed.dynamic_option {
        ctx.moderate(format!(
            "git {sub} has an argument only known at run time that could be an option"
        ));
    }
    for option in &parsed.options {
        match option.effect {
            Effect::Read => {}
            Effect::Write => {
                let target = option.value.clone().unwrap_or_default();
                ctx.write(&target, &format!("git {sub} {} writes", option.name));
            }
            Effect::Exec | Effect::Net | Effect::Change => {
                ctx.destructive(format!("git {sub} {} runs another program", option.name));
            }
        }
    }
    let rest = parsed.operand_values();
    match class {
        Class::ReadOnly => {}
        Class::Custom(rate) => rate(ctx, &repo, &rest),
        Class::RepoWrite => ctx.write(&repo, &format!("git {sub} changes the repository in")),
        Class::Network => {
            ctx.rating.network = true;
            ctx.write(&repo, &format!("git {sub} changes the repository in"));
            if sub == "clone" {
                let dest = rest.get(1).cloned().unwrap_or_else(|| ".".to_owned());
                ctx.write(&dest, "clones into");
            }
        }
        Class::Destructive(what) => ctx.destructive(format!("git {sub} {what}")),
    }
    ctx.parsed = global;
}

fn rate_branch(ctx: &mut Ctx<'_>, repo: &str, rest: &[String]) {
    let listing = [
        "-a",
        "-r",
        "-l",
        "--merged",
        "--no-merged",
        "--contains",
        "--no-contains",
        "--points-at",
        "--show-current",
    ];
    if ctx.has("-D") || (ctx.has("-d") && ctx.has("-f")) {
        ctx.destructive("git branch -D deletes unmerged work");
    } else if [
        "-d",
        "-m",
        "-M",
        "-c",
        "-C",
        "-u",
        "--unset-upstream",
        "--edit-description",
        "-f",
        "-t",
    ]
    .iter()
    .any(|f| ctx.has(f))
    {
        ctx.write(repo, "changes the repository in");
    } else if !rest.is_empty() && !listing.iter().any(|f| ctx.has(f)) {
        ctx.write(repo, "creates a branch in");
    }
}

fn rate_tag(ctx: &mut Ctx<'_>, repo: &str, rest: &[String]) {
    let listing = ctx.has("-l")
        || ctx.has("-n")
        || ctx.has("-v")
        || [
            "--contains",
            "--merged",
            "--no-merged",
            "--points-at",
            "--no-contains",
        ]
        .iter()
        .any(|f| ctx.has(f));
    if ctx.has("-d") {
        ctx.write(repo, "deletes a tag in");
    } else if !listing && (!rest.is_empty() || ctx.has("-a") || ctx.has("-m") || ctx.has("-f")) {
        ctx.write(repo, "creates a tag in");
    }
}

fn rate_remote(ctx: &mut Ctx<'_>, repo: &str, rest: &[String]) {
    match rest.first().map(String::as_str) {
        // `git remote show origin` asks the remote unless told `-n`.
        Some("show") if rest.iter().skip(1).any(|arg| !arg.starts_with('-')) && !ctx.has("-n") => {
            ctx.rating.network = true;
            ctx.moderate("git remote show NAME asks the remote (-n stays local)");
        }
        None | Some("show" | "get-url") => {}
        Some("prune" | "update") => {
            ctx.rating.network = true;
            ctx.write(repo, "changes the repository in");
        }
        Some(_) => ctx.write(repo, "changes the remotes of"),
    }
}

fn rate_stash(ctx: &mut Ctx<'_>, repo: &str, rest: &[String]) {
    match rest.first().map(String::as_str) {
        Some("list" | "show") => {}
        Some("drop" | "clear") => ctx.destructive("git stash drop/clear deletes stashed changes"),
        _ => ctx.write(repo, "changes the working tree in"),
    }
}

fn rate_config(ctx: &mut Ctx<'_>, repo: &str, rest: &[String]) {
    let (verb, keys) = match rest.first().map(String::as_str) {
        Some(
            verb
            @ ("get" | "list" | "set" | "unset" | "rename-section" | "remove-section" | "edit"),
        ) => (Some(verb), &rest[1..]),
        _ => (None, rest),
    };
    let writes_flag = [
        "--add",
        "--unset",
        "--unset-all",
        "--replace-all",
        "--rename-section",
        "--remove-section",
    ]
    .iter()
    .any(|f| ctx.has(f));
    let reads = ["--get", "--get-all", "--get-regexp", "--get-urlmatch", "-l"]
        .iter()
        .any(|f| ctx.has(f))
        || matches!(verb, Some("get" | "list"))
        || (verb.is_none() && !writes_flag && keys.len() == 1);
    if reads && !writes_flag {
        return;
    }
    let key = keys
        .first()
        .map(|k| k.to_ascii_lowercase())
        .unwrap_or_default();
    if PROGRAM_KEYS
        .iter()
        .any(|p| key == *p || (p.ends_with('.') && key.starts_with(p)))
    {
        ctx.destructive(format!(
            "git config sets {key}, which names a program git runs"
        ));
    }
    if ctx.has("--global") || ctx.has("--system") || ctx.has("-f") {
        ctx.destructive(
            "git config --global/--system/--file changes settings outside the write roots",
        );
    } else {
        ctx.write(repo, "changes the configuration of");
    }
}

fn rate_reflog(ctx: &mut Ctx<'_>, repo: &str, rest: &[String]) {
    match rest.first().map(String::as_str) {
        Some("expire" | "delete" | "drop") => {
            ctx.destructive("git reflog expire/delete drops history");
        }
        None | Some("show" | "exists" | "list") => {}
        Some(_) => ctx.write(repo, "changes the reflog of"),
    }
}

fn rate_reset(ctx: &mut Ctx<'_>, repo: &str, _rest: &[String]) {
    if ctx.has("--hard") || ctx.has("--merge") || ctx.has("--keep") {
        ctx.destructive("git reset --hard discards uncommitted changes");
    } else {
        ctx.write(repo, "changes the index or branch in");
    }
}

fn rate_clean(ctx: &mut Ctx<'_>, _repo: &str, _rest: &[String]) {
    if !ctx.has("-n") {
        let described = describe(ctx.cmd);
        ctx.destructive(format!("{described} deletes untracked files"));
    }
}

fn rate_checkout(ctx: &mut Ctx<'_>, repo: &str, rest: &[String]) {
    let new_branch = ctx.has("-b") || ctx.has("-B") || ctx.has("--orphan");
    if new_branch && !ctx.has("-f") && rest.iter().all(|r| r != "--") {
        ctx.write(repo, "changes the repository in");
    } else if ctx.has("-f")
        || ctx.has("-p")
        || rest.len() != 1
        || rest.iter().any(|r| r.contains(['.', '/']) || r == "--")
    {
        ctx.destructive("git checkout of paths discards uncommitted changes");
    } else {
        ctx.write(repo, "switches branches in");
    }
}

fn rate_restore(ctx: &mut Ctx<'_>, repo: &str, _rest: &[String]) {
    if !ctx.has("-S") || ctx.has("-W") {
        ctx.destructive("git restore discards uncommitted changes");
    } else {
        ctx.write(repo, "unstages changes in");
    }
}

fn rate_push(ctx: &mut Ctx<'_>, _repo: &str, rest: &[String]) {
    ctx.rating.network = true;
    let forced = [
        "--force",
        "--force-with-lease",
        "--force-if-includes",
        "--mirror",
        "--delete",
        "--prune",
    ]
    .iter()
    .any(|f| ctx.has(f))
        || rest
            .iter()
            .any(|r| r.starts_with('+') || r.starts_with(':'));
    if forced {
        let described = describe(ctx.cmd);
        ctx.destructive(format!("{described} rewrites or deletes remote history"));
    } else {
        ctx.rating
            .raise(Moderate, "git push publishes commits to a remote");
    }
}

#[cfg(test)]
mod tests {
    use crate::risk::tests::level_of;

    #[test]
    fn accepts_everyday_reads() {
        for command in [
            "git status -sb",
            "git log --oneline -n 5",
            "git log -5 --stat",
            "git log --author=me --since='2 weeks ago' -- src",
            "git diff HEAD~1 --stat",
            "git diff --cached --name-only",
            "git show HEAD:README.md",
            "git branch -vv",
            "git branch --merged main",
            "git tag -l 'v*'",
            "git remote -v",
            "git stash list",
            "git blame -L 10,20 src/lib.rs",
            "git rev-parse --abbrev-ref HEAD",
            "git config --get user.email",
            "git -C ../other status",
            "git --no-pager log -1",
            "git grep -n TODO",
            "git clean -n",
            "git reflog",
            "git stash list --date=relative",
            "git cherry -v",
        ] {
            assert_eq!(level_of(command), "safe", "{command}");
        }
    }

    #[test]
    fn rejects_writes_hidden_in_reads() {
        for command in [
            "git log --output F",
            "git diff --output F",
            "git log --outp=F",
            "git diff --ext-diff",
            "git grep -O vim foo",
            "git grep --open-files-in-pager=sh x",
            "git -c core.pager=sh log",
            "git log --frobnicate",
            "git st",
            "git config core.fsmonitor ./x",
            "git push --forc origin main",
            "git reset --har",
            "git clean -fd",
            "git checkout -- .",
            "git branch -D feature",
        ] {
            assert_ne!(level_of(command), "safe", "{command}");
        }
    }
}
