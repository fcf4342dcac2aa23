//! `git`: global options, then one option grammar per subcommand. Read-only
//! subcommands are `safe` only with options listed here (git accepts unique
//! abbreviations of long options, and so does the parser); writing ones are
//! rated by what they can lose.

use std::collections::HashMap;
use std::sync::LazyLock;

use super::{Ctx, Program, describe, set_normalized};
use crate::plan::SafetyLevel::Moderate;
use crate::shell::{Effect, Flag, FoundOption, OptionSpec, ParsedArgs, SimpleCommand, Word};

/// Options before the subcommand.
const GLOBAL: &[&str] = &[
    "-C=PATH",
    "-c=NAME=VALUE !exec",
    "--config-env=NAME=ENV !exec",
    "--exec-path[=PATH] !exec",
    "--git-dir=DIR",
    "--work-tree=DIR",
    "--namespace=NAME",
    "--bare",
    "--no-pager -P",
    "-p --paginate",
    "--no-replace-objects",
    "--literal-pathspecs",
    "--glob-pathspecs",
    "--noglob-pathspecs",
    "--icase-pathspecs",
    "--no-optional-locks",
    "--no-advice",
    "--html-path",
    "--man-path",
    "--info-path",
    "--version -v",
    "--help -h",
];

/// Revision-walking and diff-output options shared by log, show, diff and friends.
const REV_DIFF: &[&str] = &[
    "-p -u --patch",
    "-s --no-patch",
    "-U --unified=N",
    "--output=FILE !write",
    "--output-indicator-new=C",
    "--output-indicator-old=C",
    "--output-indicator-context=C",
    "--raw",
    "--patch-with-raw",
    "-t",
    "--indent-heuristic",
    "--no-indent-heuristic",
    "--minimal",
    "--patience",
    "--histogram",
    "--anchored=TEXT",
    "--diff-algorithm=ALGO",
    "--stat[=WIDTH]",
    "--stat-width=N",
    "--stat-name-width=N",
    "--stat-graph-width=N",
    "--stat-count=N",
    "--compact-summary",
    "--numstat",
    "--shortstat",
    "-X --dirstat[=PARAM]",
    "--cumulative",
    "--dirstat-by-file[=PARAM]",
    "--summary",
    "--patch-with-stat",
    "-z",
    "--name-only",
    "--name-status",
    "--submodule[=FORMAT]",
    "--color[=WHEN]",
    "--no-color",
    "--color-moved[=MODE]",
    "--no-color-moved",
    "--color-moved-ws=MODES",
    "--no-color-moved-ws",
    "--word-diff[=MODE]",
    "--word-diff-regex=RE",
    "--color-words[=RE]",
    "--no-renames",
    "--rename-empty",
    "--no-rename-empty",
    "--check",
    "--ws-error-highlight=KIND",
    "--full-index",
    "--binary",
    "--abbrev[=N]",
    "--no-abbrev",
    "-B --break-rewrites[=N]",
    "-M --find-renames[=N]",
    "-C --find-copies[=N]",
    "--find-copies-harder",
    "-D --irreversible-delete",
    "-l=NUM",
    "--diff-filter=FILTER",
    "-S=STRING",
    "-G=REGEX",
    "--find-object=ID",
    "--pickaxe-all",
    "--pickaxe-regex",
    "-O=ORDERFILE",
    "--skip-to=FILE",
    "--rotate-to=FILE",
    "-R",
    "--relative[=PATH]",
    "--no-relative",
    "-a --text",
    "--ignore-cr-at-eol",
    "--ignore-space-at-eol",
    "-b --ignore-space-change",
    "-w --ignore-all-space",
    "--ignore-blank-lines",
    "-I --ignore-matching-lines=RE",
    "--inter-hunk-context=N",
    "-W --function-context",
    "--exit-code",
    "--quiet",
    "--ext-diff !exec",
    "--no-ext-diff",
    "--textconv",
    "--no-textconv",
    "--ignore-submodules[=WHEN]",
    "--src-prefix=P",
    "--dst-prefix=P",
    "--no-prefix",
    "--default-prefix",
    "--line-prefix=P",
    "--ita-invisible-in-index",
    "--ita-visible-in-index",
    "--cached --staged",
    "--merge-base",
    "--no-index",
    "--base",
    "--ours",
    "--theirs",
    "-1",
    "-2",
    "-3",
    "-0",
    // Revision walking.
    "-n --max-count=N",
    "--skip=N",
    "--since=DATE --after=DATE --since-as-filter=DATE",
    "--until=DATE --before=DATE",
    "--max-age=T",
    "--min-age=T",
    "--author=PATTERN",
    "--committer=PATTERN",
    "--grep-reflog=PATTERN",
    "--grep=PATTERN",
    "--all-match",
    "--invert-grep",
    "-i --regexp-ignore-case",
    "--basic-regexp",
    "-E --extended-regexp",
    "-F --fixed-strings",
    "-P --perl-regexp",
    "--remove-empty",
    "--merges",
    "--no-merges",
    "--min-parents=N",
    "--max-parents=N",
    "--no-min-parents",
    "--no-max-parents",
    "--first-parent",
    "--exclude-first-parent-only",
    "--not",
    "--all",
    "--branches[=PATTERN]",
    "--tags[=PATTERN]",
    "--remotes[=PATTERN]",
    "--glob=PATTERN",
    "--exclude=PATTERN",
    "--exclude-hidden=KIND",
    "--reflog",
    "--alternate-refs",
    "--single-worktree",
    "--ignore-missing",
    "--bisect",
    "--stdin",
    "--cherry-mark",
    "--cherry-pick",
    "--left-only",
    "--right-only",
    "--cherry",
    "-g --walk-reflogs",
    "--merge",
    "--boundary",
    "--simplify-by-decoration",
    "--show-pulls",
    "--full-history",
    "--dense",
    "--sparse",
    "--simplify-merges",
    "--ancestry-path[=COMMIT]",
    "--date-order",
    "--author-date-order",
    "--topo-order",
    "--reverse",
    "--no-walk[=HOW]",
    "--do-walk",
    "--pretty[=FORMAT]",
    "--format=FORMAT",
    "--abbrev-commit",
    "--no-abbrev-commit",
    "--oneline",
    "--encoding=ENC",
    "--expand-tabs[=N]",
    "--no-expand-tabs",
    "--notes[=REF]",
    "--no-notes",
    "--show-notes[=REF]",
    "--standard-notes",
    "--no-standard-notes",
    "--show-signature",
    "--relative-date",
    "--date=FORMAT",
    "--parents",
    "--children",
    "--left-right",
    "--graph",
    "--show-linear-break[=B]",
    "--follow",
    "--no-decorate",
    "--decorate[=STYLE]",
    "--decorate-refs=PATTERN",
    "--decorate-refs-exclude=PATTERN",
    "--clear-decorations",
    "--source",
    "--mailmap",
    "--use-mailmap",
    "--no-mailmap",
    "--no-use-mailmap",
    "--full-diff",
    "--log-size",
    "-L=RANGE",
    "-c",
    "--cc",
    "--dd",
    "-m",
    "--diff-merges=FORMAT",
    "--no-diff-merges",
    "--remerge-diff",
    "--combined-all-paths",
    "--count",
    "--objects",
    "--objects-edge",
    "--timestamp",
    "--header",
    "--no-commit-header",
    "--commit-header",
    "--first-parent-only",
];

const STATUS: &[&str] = &[
    "-s --short",
    "-b --branch",
    "--show-stash",
    "--porcelain[=VERSION]",
    "--long",
    "-v --verbose",
    "-u --untracked-files[=MODE]",
    "--ignore-submodules[=WHEN]",
    "--ignored[=MODE]",
    "-z",
    "--column[=OPTIONS]",
    "--no-column",
    "--ahead-behind",
    "--no-ahead-behind",
    "--renames",
    "--no-renames",
    "--find-renames[=N]",
];
const BLAME: &[&str] = &[
    "-b",
    "--root",
    "--show-stats",
    "--progress",
    "--no-progress",
    "--score-debug",
    "-f --show-name",
    "-n --show-number",
    "-p --porcelain",
    "--line-porcelain",
    "-c",
    "-t",
    "-l",
    "-s",
    "-e --show-email",
    "-w",
    "--ignore-rev=REV",
    "--ignore-revs-file=FILE",
    "--color-lines",
    "--color-by-age",
    "--minimal",
    "-S=FILE",
    "--contents=FILE",
    "--date=FORMAT",
    "-M[=NUM]",
    "-C[=NUM]",
    "-L=RANGE",
    "--incremental",
    "--reverse=REV",
    "--first-parent",
    "--abbrev[=N]",
    "--encoding=ENC",
];
const DESCRIBE: &[&str] = &[
    "--dirty[=MARK]",
    "--broken[=MARK]",
    "--all",
    "--tags",
    "--contains",
    "--abbrev[=N]",
    "--candidates=N",
    "--exact-match",
    "--debug",
    "--long",
    "--match=PATTERN",
    "--exclude=PATTERN",
    "--always",
    "--first-parent",
];
const REV_PARSE: &[&str] = &[
    "--abbrev-ref[=MODE]",
    "--short[=N]",
    "--verify",
    "-q --quiet",
    "--show-toplevel",
    "--show-prefix",
    "--show-cdup",
    "--git-dir",
    "--absolute-git-dir",
    "--git-common-dir",
    "--is-inside-work-tree",
    "--is-inside-git-dir",
    "--is-bare-repository",
    "--is-shallow-repository",
    "--symbolic",
    "--symbolic-full-name",
    "--all",
    "--branches[=P]",
    "--tags[=P]",
    "--remotes[=P]",
    "--glob=P",
    "--exclude=P",
    "--show-object-format[=W]",
    "--show-ref-format",
    "--show-superproject-working-tree",
    "--sq",
    "--sq-quote",
    "--local-env-vars",
    "--default=ARG",
    "--prefix=ARG",
    "--revs-only",
    "--no-revs",
    "--flags",
    "--no-flags",
    "--since=D --after=D",
    "--until=D --before=D",
    "--resolve-git-dir=PATH",
    "--git-path=PATH",
    "--path-format=FMT",
    "--shared-index-path",
    "--end-of-options",
    "--disambiguate=PREFIX",
    "--not",
];
const LS_FILES: &[&str] = &[
    "-c --cached",
    "-d --deleted",
    "-m --modified",
    "-o --others",
    "-i --ignored",
    "-s --stage",
    "-k --killed",
    "-u --unmerged",
    "--directory",
    "--no-empty-directory",
    "--eol",
    "--deduplicate",
    "-x --exclude=PATTERN",
    "-X --exclude-from=FILE",
    "--exclude-per-directory=FILE",
    "--exclude-standard",
    "--error-unmatch",
    "--with-tree=TREE",
    "--full-name",
    "--recurse-submodules",
    "--abbrev[=N]",
    "--debug",
    "--format=FORMAT",
    "-t",
    "-v",
    "-f",
    "-z",
    "--sparse",
    "--resolve-undo",
];
const LS_TREE: &[&str] = &[
    "-d",
    "-r",
    "-t",
    "-l --long",
    "-z",
    "--name-only --name-status",
    "--object-only",
    "--full-name",
    "--full-tree",
    "--abbrev[=N]",
    "--format=FORMAT",
];
const CAT_FILE: &[&str] = &[
    "-t",
    "-s",
    "-e",
    "-p",
    "--textconv",
    "--filters",
    "--path=PATH",
    "--batch[=FORMAT]",
    "--batch-check[=FORMAT]",
    "--batch-command[=FORMAT]",
    "--batch-all-objects",
    "--buffer",
    "--unordered",
    "--follow-symlinks",
    "-Z",
    "-z",
    "--allow-unknown-type",
    "--use-mailmap",
    "--mailmap",
    "--no-mailmap",
];
const GREP: &[&str] = &[
    "-O --open-files-in-pager[=PAGER] !exec",
    "--cached",
    "--untracked",
    "--no-index",
    "--no-exclude-standard",
    "--exclude-standard",
    "--recurse-submodules",
    "-a --text",
    "--textconv",
    "--no-textconv",
    "-i --ignore-case",
    "-I",
    "--max-depth=N",
    "-r --recursive",
    "--no-recursive",
    "-w --word-regexp",
    "-v --invert-match",
    "-h",
    "-H",
    "--full-name",
    "-E --extended-regexp",
    "-G --basic-regexp",
    "-F --fixed-strings",
    "-P --perl-regexp",
    "-n --line-number",
    "--column",
    "-l --files-with-matches --name-only",
    "-L --files-without-match",
    "-z --null",
    "-o --only-matching",
    "-c --count",
    "--color[=WHEN]",
    "--no-color",
    "--break",
    "--heading",
    "-p --show-function",
    "-C --context=N",
    "-A --after-context=N",
    "-B --before-context=N",
    "-W --function-context",
    "-m --max-count=N",
    "--threads=N",
    "-f=FILE",
    "-e=PATTERN",
    "--and",
    "--or",
    "--not",
    "--all-match",
    "-q --quiet",
];
const BRANCH: &[&str] = &[
    "-a --all",
    "-r --remotes",
    "-v --verbose",
    "-l --list",
    "--merged[=COMMIT]",
    "--no-merged[=COMMIT]",
    "--contains[=COMMIT]",
    "--no-contains[=COMMIT]",
    "--points-at=OBJ",
    "--sort=KEY",
    "--format=FORMAT",
    "--show-current",
    "--column[=OPTIONS]",
    "--no-column",
    "--color[=WHEN]",
    "--no-color",
    "-i --ignore-case",
    "--abbrev=N",
    "--no-abbrev",
    "-q --quiet",
    "-d --delete",
    "-D",
    "-f --force",
    "-m --move",
    "-M",
    "-c --copy",
    "-C",
    "-u --set-upstream-to=UPSTREAM",
    "--unset-upstream",
    "--edit-description",
    "-t --track[=HOW]",
    "--no-track",
    "--create-reflog",
    "--recurse-submodules",
];
const TAG: &[&str] = &[
    "-l --list",
    "-n[=NUM]",
    "--sort=KEY",
    "--format=FORMAT",
    "--contains[=COMMIT]",
    "--no-contains[=COMMIT]",
    "--merged[=COMMIT]",
    "--no-merged[=COMMIT]",
    "--points-at[=OBJ]",
    "--column[=OPTIONS]",
    "--no-column",
    "--color[=WHEN]",
    "-i --ignore-case",
    "-v --verify",
    "-a --annotate",
    "-s --sign",
    "--no-sign",
    "-u --local-user=KEY",
    "-f --force",
    "-d --delete",
    "-m --message=MSG",
    "-F --file=FILE",
    "-e --edit",
    "--cleanup=MODE",
    "--create-reflog",
    "--trailer=T",
];
const REMOTE: &[&str] = &["-v --verbose"];
const STASH: &[&str] = &[
    "-p --patch",
    "-S --staged",
    "-k --keep-index",
    "--no-keep-index",
    "-u --include-untracked",
    "-a --all",
    "-q --quiet",
    "-m --message=MSG",
    "--index",
    "--pathspec-from-file=FILE",
    "--pathspec-file-nul",
    "--include-untracked",
    "--only-untracked",
];
const CONFIG: &[&str] = &[
    "--get",
    "--get-all",
    "--get-regexp",
    "--get-urlmatch",
    "-l --list",
    "--show-origin",
    "--show-scope",
    "--name-only",
    "--global",
    "--system",
    "--local",
    "--worktree",
    "-f --file=FILE",
    "--blob=BLOB",
    "--type=TYPE",
    "--bool",
    "--int",
    "--bool-or-int",
    "--path",
    "--expiry-date",
    "--no-type",
    "-z --null",
    "--default=VALUE",
    "--includes",
    "--no-includes",
    "--fixed-value",
    "--add",
    "--unset",
    "--unset-all",
    "--replace-all",
    "--rename-section",
    "--remove-section",
    "-e --edit !exec",
    "--all",
    "--value=VALUE",
];
const RESET: &[&str] = &[
    "--soft",
    "--mixed",
    "--hard",
    "--merge",
    "--keep",
    "-q --quiet",
    "--no-quiet",
    "-p --patch",
    "-N --intent-to-add",
    "--pathspec-from-file=FILE",
    "--pathspec-file-nul",
    "--refresh",
    "--no-refresh",
    "--recurse-submodules",
    "--no-recurse-submodules",
];
const CLEAN: &[&str] = &[
    "-d",
    "-f --force",
    "-i --interactive",
    "-n --dry-run",
    "-q --quiet",
    "-e --exclude=PATTERN",
    "-x",
    "-X",
];
const CHECKOUT: &[&str] = &[
    "-b=BRANCH",
    "-B=BRANCH",
    "-f --force",
    "-p --patch",
    "-q --quiet",
    "--progress",
    "--no-progress",
    "-m --merge",
    "--detach",
    "-t --track[=HOW]",
    "--no-track",
    "--orphan=BRANCH",
    "--ours",
    "--theirs",
    "--conflict=STYLE",
    "--ignore-skip-worktree-bits",
    "--overwrite-ignore",
    "--no-overwrite-ignore",
    "--recurse-submodules",
    "--pathspec-from-file=FILE",
    "-l",
    "--guess",
    "--no-guess",
    "--overlay",
    "--no-overlay",
];
const RESTORE: &[&str] = &[
    "-s --source=TREE",
    "-S --staged",
    "-W --worktree",
    "-p --patch",
    "-q --quiet",
    "--progress",
    "--no-progress",
    "--ours",
    "--theirs",
    "-m --merge",
    "--conflict=STYLE",
    "--ignore-unmerged",
    "--overlay",
    "--no-overlay",
    "--recurse-submodules",
    "--pathspec-from-file=FILE",
    "--ignore-skip-worktree-bits",
];
const PUSH: &[&str] = &[
    "--force -f",
    "--force-with-lease[=REF]",
    "--force-if-includes",
    "--mirror",
    "--delete -d",
    "--prune",
    "--all --branches",
    "--tags",
    "--follow-tags",
    "--set-upstream -u",
    "--dry-run -n",
    "--porcelain",
    "--quiet -q",
    "--verbose -v",
    "--progress",
    "--no-verify",
    "--verify",
    "--atomic",
    "--signed[=WHEN]",
    "--push-option=OPT -o=OPT",
    "--repo=REPO",
    "--recurse-submodules=HOW",
    "--thin",
    "--no-thin",
    "--receive-pack=CMD !exec",
    "--exec=CMD !exec",
    "--ipv4 -4",
    "--ipv6 -6",
];
const SHOW_REF: &[&str] = &[
    "--head",
    "--branches",
    "--heads",
    "--tags",
    "-d --dereference",
    "-s --hash[=N]",
    "--abbrev[=N]",
    "--verify",
    "--exists",
    "-q --quiet",
    "--exclude-existing[=PATTERN]",
];
const FOR_EACH_REF: &[&str] = &[
    "--count=N",
    "--sort=KEY",
    "--format=FORMAT",
    "--color[=WHEN]",
    "-s --shell",
    "-p --perl",
    "--python",
    "--tcl",
    "--points-at=OBJ",
    "--merged[=OBJ]",
    "--no-merged[=OBJ]",
    "--contains[=OBJ]",
    "--no-contains[=OBJ]",
    "--ignore-case",
    "--omit-empty",
    "--exclude=PATTERN",
    "--include-root-refs",
    "--stdin",
];
const MERGE_BASE: &[&str] = &[
    "-a --all",
    "--octopus",
    "--independent",
    "--is-ancestor",
    "--fork-point",
];
const NAME_REV: &[&str] = &[
    "--tags",
    "--refs=PATTERN",
    "--exclude=PATTERN",
    "--all",
    "--annotate-stdin",
    "--name-only",
    "--no-undefined",
    "--always",
];
const SMALL_READERS: &[&str] = &[
    "-v --verbose",
    "-H --human-readable",
    "-q --quiet",
    "--stdin",
    "-z",
    "-n --non-matching",
    "--no-index",
    "--build-options",
    "-a --all",
    "-g --guides",
];
const SHORTLOG: &[&str] = &[
    "-n --numbered",
    "-s --summary",
    "-e --email",
    "--format=FORMAT",
    "--group=TYPE",
    "-c --committer",
    "-w[=W]",
];
const REFLOG: &[&str] = &[];
const COMMIT: &[&str] = &[
    "-a --all",
    "-m --message=MSG",
    "-F --file=FILE",
    "--amend",
    "-v --verbose",
    "-q --quiet",
    "-s --signoff",
    "--no-signoff",
    "-n --no-verify",
    "--verify",
    "--allow-empty",
    "--allow-empty-message",
    "--no-edit",
    "-e --edit",
    "-p --patch",
    "-C --reuse-message=COMMIT",
    "-c --reedit-message=COMMIT",
    "--fixup=COMMIT",
    "--squash=COMMIT",
    "--author=AUTHOR",
    "--date=DATE",
    "-S --gpg-sign[=KEY]",
    "--no-gpg-sign",
    "--cleanup=MODE",
    "-u --untracked-files[=MODE]",
    "-i --include",
    "-o --only",
    "--dry-run",
    "--short",
    "--porcelain",
    "--long",
    "-z --null",
    "--trailer=TRAILER",
    "--pathspec-from-file=FILE",
    "--pathspec-file-nul",
    "--reset-author",
    "-t --template=FILE",
    "--status",
    "--no-status",
];

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

const SUBCOMMANDS: &[Subcommand] = &[
    Subcommand {
        names: &["cherry"],
        options: &[REV_DIFF, &["-v --verbose"]],
        class: Class::ReadOnly,
    },
    Subcommand {
        names: &["status"],
        options: &[STATUS],
        class: Class::ReadOnly,
    },
    Subcommand {
        names: &[
            "log",
            "show",
            "diff",
            "whatchanged",
            "rev-list",
            "show-branch",
            "range-diff",
            "diff-tree",
            "diff-files",
            "diff-index",
        ],
        options: &[REV_DIFF],
        class: Class::ReadOnly,
    },
    Subcommand {
        names: &["shortlog"],
        options: &[REV_DIFF, SHORTLOG],
        class: Class::ReadOnly,
    },
    Subcommand {
        names: &["blame", "annotate"],
        options: &[BLAME],
        class: Class::ReadOnly,
    },
    Subcommand {
        names: &["describe"],
        options: &[DESCRIBE],
        class: Class::ReadOnly,
    },
    Subcommand {
        names: &["rev-parse"],
        options: &[REV_PARSE],
        class: Class::ReadOnly,
    },
    Subcommand {
        names: &["ls-files"],
        options: &[LS_FILES],
        class: Class::ReadOnly,
    },
    Subcommand {
        names: &["ls-tree"],
        options: &[LS_TREE],
        class: Class::ReadOnly,
    },
    Subcommand {
        names: &["cat-file"],
        options: &[CAT_FILE],
        class: Class::ReadOnly,
    },
    Subcommand {
        names: &["grep"],
        options: &[GREP],
        class: Class::ReadOnly,
    },
    Subcommand {
        names: &["show-ref"],
        options: &[SHOW_REF],
        class: Class::ReadOnly,
    },
    Subcommand {
        names: &["for-each-ref"],
        options: &[FOR_EACH_REF],
        class: Class::ReadOnly,
    },
    Subcommand {
        names: &["merge-base"],
        options: &[MERGE_BASE],
        class: Class::ReadOnly,
    },
    Subcommand {
        names: &["name-rev"],
        options: &[NAME_REV],
        class: Class::ReadOnly,
    },
    Subcommand {
        names: &["count-objects", "check-ignore", "version", "help", "var"],
        options: &[SMALL_READERS],
        class: Class::ReadOnly,
    },
    Subcommand {
        names: &["branch"],
        options: &[BRANCH],
        class: Class::Custom(rate_branch),
    },
    Subcommand {
        names: &["tag"],
        options: &[TAG],
        class: Class::Custom(rate_tag),
    },
    Subcommand {
        names: &["remote"],
        options: &[REMOTE],
        class: Class::Custom(rate_remote),
    },
    Subcommand {
        names: &["stash"],
        options: &[REV_DIFF, STASH],
        class: Class::Custom(rate_stash),
    },
    Subcommand {
        names: &["config"],
        options: &[CONFIG],
        class: Class::Custom(rate_config),
    },
    Subcommand {
        names: &["reflog"],
        options: &[REFLOG, REV_DIFF],
        class: Class::Custom(rate_reflog),
    },
    Subcommand {
        names: &["reset"],
        options: &[RESET],
        class: Class::Custom(rate_reset),
    },
    Subcommand {
        names: &["clean"],
        options: &[CLEAN],
        class: Class::Custom(rate_clean),
    },
    Subcommand {
        names: &["checkout"],
        options: &[CHECKOUT],
        class: Class::Custom(rate_checkout),
    },
    Subcommand {
        names: &["restore"],
        options: &[RESTORE],
        class: Class::Custom(rate_restore),
    },
    Subcommand {
        names: &["push"],
        options: &[PUSH],
        class: Class::Custom(rate_push),
    },
    Subcommand {
        names: &["commit"],
        options: &[COMMIT],
        class: Class::RepoWrite,
    },
    Subcommand {
        names: &[
            "add",
            "switch",
            "merge",
            "rebase",
            "cherry-pick",
            "revert",
            "init",
            "mv",
            "rm",
            "notes",
            "am",
            "apply",
            "worktree",
            "bisect",
            "format-patch",
            "sparse-checkout",
        ],
        options: &[],
        class: Class::RepoWrite,
    },
    Subcommand {
        names: &[
            "fetch",
            "pull",
            "clone",
            "submodule",
            "ls-remote",
            "remote-update",
        ],
        options: &[],
        class: Class::Network,
    },
    Subcommand {
        names: &[
            "gc",
            "prune",
            "filter-branch",
            "filter-repo",
            "update-ref",
            "replace",
            "repack",
            "maintenance",
        ],
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
