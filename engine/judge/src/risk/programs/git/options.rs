//! git's option grammars: the global options and one table per subcommand,
//! written like `--help` pages (see [`crate::shell::OptionSpec::parse`]).
//! Data only; `git/mod.rs` rates.

/// Options before the subcommand.
#[rustfmt::skip]
pub(super) const GLOBAL: &[&str] = &[
    "-C=PATH", "-c=NAME=VALUE !exec", "--config-env=NAME=ENV !exec", "--exec-path[=PATH] !exec",
    "--git-dir=DIR", "--work-tree=DIR", "--namespace=NAME", "--bare", "--no-pager -P",
    "-p --paginate", "--no-replace-objects", "--literal-pathspecs", "--glob-pathspecs",
    "--noglob-pathspecs", "--icase-pathspecs", "--no-optional-locks", "--no-advice", "--html-path",
    "--man-path", "--info-path", "--version -v", "--help -h",
];
/// Revision-walking and diff-output options shared by log, show, diff and friends.
#[rustfmt::skip]
pub(super) const REV_DIFF: &[&str] = &[
    "-p -u --patch", "-s --no-patch", "-U --unified=N", "--output=FILE !write",
    "--output-indicator-new=C", "--output-indicator-old=C", "--output-indicator-context=C", "--raw",
    "--patch-with-raw", "-t", "--indent-heuristic", "--no-indent-heuristic", "--minimal",
    "--patience", "--histogram", "--anchored=TEXT", "--diff-algorithm=ALGO", "--stat[=WIDTH]",
    "--stat-width=N", "--stat-name-width=N", "--stat-graph-width=N", "--stat-count=N",
    "--compact-summary", "--numstat", "--shortstat", "-X --dirstat[=PARAM]", "--cumulative",
    "--dirstat-by-file[=PARAM]", "--summary", "--patch-with-stat", "-z", "--name-only",
    "--name-status", "--submodule[=FORMAT]", "--color[=WHEN]", "--no-color", "--color-moved[=MODE]",
    "--no-color-moved", "--color-moved-ws=MODES", "--no-color-moved-ws", "--word-diff[=MODE]",
    "--word-diff-regex=RE", "--color-words[=RE]", "--no-renames", "--rename-empty",
    "--no-rename-empty", "--check", "--ws-error-highlight=KIND", "--full-index", "--binary",
    "--abbrev[=N]", "--no-abbrev", "-B --break-rewrites[=N]", "-M --find-renames[=N]",
    "-C --find-copies[=N]", "--find-copies-harder", "-D --irreversible-delete", "-l=NUM",
    "--diff-filter=FILTER", "-S=STRING", "-G=REGEX", "--find-object=ID", "--pickaxe-all",
    "--pickaxe-regex", "-O=ORDERFILE", "--skip-to=FILE", "--rotate-to=FILE", "-R",
    "--relative[=PATH]", "--no-relative", "-a --text", "--ignore-cr-at-eol",
    "--ignore-space-at-eol", "-b --ignore-space-change", "-w --ignore-all-space",
    "--ignore-blank-lines", "-I --ignore-matching-lines=RE", "--inter-hunk-context=N",
    "-W --function-context", "--exit-code", "--quiet", "--ext-diff !exec", "--no-ext-diff",
    "--textconv", "--no-textconv", "--ignore-submodules[=WHEN]", "--src-prefix=P", "--dst-prefix=P",
    "--no-prefix", "--default-prefix", "--line-prefix=P", "--ita-invisible-in-index",
    "--ita-visible-in-index", "--cached --staged", "--merge-base", "--no-index", "--base", "--ours",
    "--theirs", "-1", "-2", "-3", "-0", "-n --max-count=N", "--skip=N",
    "--since=DATE --after=DATE --since-as-filter=DATE", "--until=DATE --before=DATE", "--max-age=T",
    "--min-age=T", "--author=PATTERN", "--committer=PATTERN", "--grep-reflog=PATTERN",
    "--grep=PATTERN", "--all-match", "--invert-grep", "-i --regexp-ignore-case", "--basic-regexp",
    "-E --extended-regexp", "-F --fixed-strings", "-P --perl-regexp", "--remove-empty", "--merges",
    "--no-merges", "--min-parents=N", "--max-parents=N", "--no-min-parents", "--no-max-parents",
    "--first-parent", "--exclude-first-parent-only", "--not", "--all", "--branches[=PATTERN]",
    "--tags[=PATTERN]", "--remotes[=PATTERN]", "--glob=PATTERN", "--exclude=PATTERN",
    "--exclude-hidden=KIND", "--reflog", "--alternate-refs", "--single-worktree",
    "--ignore-missing", "--bisect", "--stdin", "--cherry-mark", "--cherry-pick", "--left-only",
    "--right-only", "--cherry", "-g --walk-reflogs", "--merge", "--boundary",
    "--simplify-by-decoration", "--show-pulls", "--full-history", "--dense", "--sparse",
    "--simplify-merges", "--ancestry-path[=COMMIT]", "--date-order", "--author-date-order",
    "--topo-order", "--reverse", "--no-walk[=HOW]", "--do-walk", "--pretty[=FORMAT]",
    "--format=FORMAT", "--abbrev-commit", "--no-abbrev-commit", "--oneline", "--encoding=ENC",
    "--expand-tabs[=N]", "--no-expand-tabs", "--notes[=REF]", "--no-notes", "--show-notes[=REF]",
    "--standard-notes", "--no-standard-notes", "--show-signature", "--relative-date",
    "--date=FORMAT", "--parents", "--children", "--left-right", "--graph",
    "--show-linear-break[=B]", "--follow", "--no-decorate", "--decorate[=STYLE]",
    "--decorate-refs=PATTERN", "--decorate-refs-exclude=PATTERN", "--clear-decorations", "--source",
    "--mailmap", "--use-mailmap", "--no-mailmap", "--no-use-mailmap", "--full-diff", "--log-size",
    "-L=RANGE", "-c", "--cc", "--dd", "-m", "--diff-merges=FORMAT", "--no-diff-merges",
    "--remerge-diff", "--combined-all-paths", "--count", "--objects", "--objects-edge",
    "--timestamp", "--header", "--no-commit-header", "--commit-header", "--first-parent-only",
];
#[rustfmt::skip]
pub(super) const STATUS: &[&str] = &[
    "-s --short", "-b --branch", "--show-stash", "--porcelain[=VERSION]", "--long", "-v --verbose",
    "-u --untracked-files[=MODE]", "--ignore-submodules[=WHEN]", "--ignored[=MODE]", "-z",
    "--column[=OPTIONS]", "--no-column", "--ahead-behind", "--no-ahead-behind", "--renames",
    "--no-renames", "--find-renames[=N]",
];
#[rustfmt::skip]
pub(super) const BLAME: &[&str] = &[
    "-b", "--root", "--show-stats", "--progress", "--no-progress", "--score-debug",
    "-f --show-name", "-n --show-number", "-p --porcelain", "--line-porcelain", "-c", "-t", "-l",
    "-s", "-e --show-email", "-w", "--ignore-rev=REV", "--ignore-revs-file=FILE", "--color-lines",
    "--color-by-age", "--minimal", "-S=FILE", "--contents=FILE", "--date=FORMAT", "-M[=NUM]",
    "-C[=NUM]", "-L=RANGE", "--incremental", "--reverse=REV", "--first-parent", "--abbrev[=N]",
    "--encoding=ENC",
];
#[rustfmt::skip]
pub(super) const DESCRIBE: &[&str] = &[
    "--dirty[=MARK]", "--broken[=MARK]", "--all", "--tags", "--contains", "--abbrev[=N]",
    "--candidates=N", "--exact-match", "--debug", "--long", "--match=PATTERN", "--exclude=PATTERN",
    "--always", "--first-parent",
];
#[rustfmt::skip]
pub(super) const REV_PARSE: &[&str] = &[
    "--abbrev-ref[=MODE]", "--short[=N]", "--verify", "-q --quiet", "--show-toplevel",
    "--show-prefix", "--show-cdup", "--git-dir", "--absolute-git-dir", "--git-common-dir",
    "--is-inside-work-tree", "--is-inside-git-dir", "--is-bare-repository",
    "--is-shallow-repository", "--symbolic", "--symbolic-full-name", "--all", "--branches[=P]",
    "--tags[=P]", "--remotes[=P]", "--glob=P", "--exclude=P", "--show-object-format[=W]",
    "--show-ref-format", "--show-superproject-working-tree", "--sq", "--sq-quote",
    "--local-env-vars", "--default=ARG", "--prefix=ARG", "--revs-only", "--no-revs", "--flags",
    "--no-flags", "--since=D --after=D", "--until=D --before=D", "--resolve-git-dir=PATH",
    "--git-path=PATH", "--path-format=FMT", "--shared-index-path", "--end-of-options",
    "--disambiguate=PREFIX", "--not",
];
#[rustfmt::skip]
pub(super) const LS_FILES: &[&str] = &[
    "-c --cached", "-d --deleted", "-m --modified", "-o --others", "-i --ignored", "-s --stage",
    "-k --killed", "-u --unmerged", "--directory", "--no-empty-directory", "--eol", "--deduplicate",
    "-x --exclude=PATTERN", "-X --exclude-from=FILE", "--exclude-per-directory=FILE",
    "--exclude-standard", "--error-unmatch", "--with-tree=TREE", "--full-name",
    "--recurse-submodules", "--abbrev[=N]", "--debug", "--format=FORMAT", "-t", "-v", "-f", "-z",
    "--sparse", "--resolve-undo",
];
#[rustfmt::skip]
pub(super) const LS_TREE: &[&str] = &[
    "-d", "-r", "-t", "-l --long", "-z", "--name-only --name-status", "--object-only",
    "--full-name", "--full-tree", "--abbrev[=N]", "--format=FORMAT",
];
#[rustfmt::skip]
pub(super) const CAT_FILE: &[&str] = &[
    "-t", "-s", "-e", "-p", "--textconv", "--filters", "--path=PATH", "--batch[=FORMAT]",
    "--batch-check[=FORMAT]", "--batch-command[=FORMAT]", "--batch-all-objects", "--buffer",
    "--unordered", "--follow-symlinks", "-Z", "-z", "--allow-unknown-type", "--use-mailmap",
    "--mailmap", "--no-mailmap",
];
#[rustfmt::skip]
pub(super) const GREP: &[&str] = &[
    "-O --open-files-in-pager[=PAGER] !exec", "--cached", "--untracked", "--no-index",
    "--no-exclude-standard", "--exclude-standard", "--recurse-submodules", "-a --text",
    "--textconv", "--no-textconv", "-i --ignore-case", "-I", "--max-depth=N", "-r --recursive",
    "--no-recursive", "-w --word-regexp", "-v --invert-match", "-h", "-H", "--full-name",
    "-E --extended-regexp", "-G --basic-regexp", "-F --fixed-strings", "-P --perl-regexp",
    "-n --line-number", "--column", "-l --files-with-matches --name-only",
    "-L --files-without-match", "-z --null", "-o --only-matching", "-c --count", "--color[=WHEN]",
    "--no-color", "--break", "--heading", "-p --show-function", "-C --context=N",
    "-A --after-context=N", "-B --before-context=N", "-W --function-context", "-m --max-count=N",
    "--threads=N", "-f=FILE", "-e=PATTERN", "--and", "--or", "--not", "--all-match", "-q --quiet",
];
#[rustfmt::skip]
pub(super) const BRANCH: &[&str] = &[
    "-a --all", "-r --remotes", "-v --verbose", "-l --list", "--merged[=COMMIT]",
    "--no-merged[=COMMIT]", "--contains[=COMMIT]", "--no-contains[=COMMIT]", "--points-at=OBJ",
    "--sort=KEY", "--format=FORMAT", "--show-current", "--column[=OPTIONS]", "--no-column",
    "--color[=WHEN]", "--no-color", "-i --ignore-case", "--abbrev=N", "--no-abbrev", "-q --quiet",
    "-d --delete", "-D", "-f --force", "-m --move", "-M", "-c --copy", "-C",
    "-u --set-upstream-to=UPSTREAM", "--unset-upstream", "--edit-description", "-t --track[=HOW]",
    "--no-track", "--create-reflog", "--recurse-submodules",
];
#[rustfmt::skip]
pub(super) const TAG: &[&str] = &[
    "-l --list", "-n[=NUM]", "--sort=KEY", "--format=FORMAT", "--contains[=COMMIT]",
    "--no-contains[=COMMIT]", "--merged[=COMMIT]", "--no-merged[=COMMIT]", "--points-at[=OBJ]",
    "--column[=OPTIONS]", "--no-column", "--color[=WHEN]", "-i --ignore-case", "-v --verify",
    "-a --annotate", "-s --sign", "--no-sign", "-u --local-user=KEY", "-f --force", "-d --delete",
    "-m --message=MSG", "-F --file=FILE", "-e --edit", "--cleanup=MODE", "--create-reflog",
    "--trailer=T",
];
#[rustfmt::skip]
pub(super) const REMOTE: &[&str] = &[
    "-v --verbose", "-n",
];
#[rustfmt::skip]
pub(super) const STASH: &[&str] = &[
    "-p --patch", "-S --staged", "-k --keep-index", "--no-keep-index", "-u --include-untracked",
    "-a --all", "-q --quiet", "-m --message=MSG", "--index", "--pathspec-from-file=FILE",
    "--pathspec-file-nul", "--include-untracked", "--only-untracked",
];
#[rustfmt::skip]
pub(super) const CONFIG: &[&str] = &[
    "--get", "--get-all", "--get-regexp", "--get-urlmatch", "-l --list", "--show-origin",
    "--show-scope", "--name-only", "--global", "--system", "--local", "--worktree",
    "-f --file=FILE", "--blob=BLOB", "--type=TYPE", "--bool", "--int", "--bool-or-int", "--path",
    "--expiry-date", "--no-type", "-z --null", "--default=VALUE", "--includes", "--no-includes",
    "--fixed-value", "--add", "--unset", "--unset-all", "--replace-all", "--rename-section",
    "--remove-section", "-e --edit !exec", "--all", "--value=VALUE",
];
#[rustfmt::skip]
pub(super) const RESET: &[&str] = &[
    "--soft", "--mixed", "--hard", "--merge", "--keep", "-q --quiet", "--no-quiet", "-p --patch",
    "-N --intent-to-add", "--pathspec-from-file=FILE", "--pathspec-file-nul", "--refresh",
    "--no-refresh", "--recurse-submodules", "--no-recurse-submodules",
];
#[rustfmt::skip]
pub(super) const CLEAN: &[&str] = &[
    "-d", "-f --force", "-i --interactive", "-n --dry-run", "-q --quiet", "-e --exclude=PATTERN",
    "-x", "-X",
];
#[rustfmt::skip]
pub(super) const CHECKOUT: &[&str] = &[
    "-b=BRANCH", "-B=BRANCH", "-f --force", "-p --patch", "-q --quiet", "--progress",
    "--no-progress", "-m --merge", "--detach", "-t --track[=HOW]", "--no-track", "--orphan=BRANCH",
    "--ours", "--theirs", "--conflict=STYLE", "--ignore-skip-worktree-bits", "--overwrite-ignore",
    "--no-overwrite-ignore", "--recurse-submodules", "--pathspec-from-file=FILE", "-l", "--guess",
    "--no-guess", "--overlay", "--no-overlay",
];
#[rustfmt::skip]
pub(super) const RESTORE: &[&str] = &[
    "-s --source=TREE", "-S --staged", "-W --worktree", "-p --patch", "-q --quiet", "--progress",
    "--no-progress", "--ours", "--theirs", "-m --merge", "--conflict=STYLE", "--ignore-unmerged",
    "--overlay", "--no-overlay", "--recurse-submodules", "--pathspec-from-file=FILE",
    "--ignore-skip-worktree-bits",
];
#[rustfmt::skip]
pub(super) const PUSH: &[&str] = &[
    "--force -f", "--force-with-lease[=REF]", "--force-if-includes", "--mirror", "--delete -d",
    "--prune", "--all --branches", "--tags", "--follow-tags", "--set-upstream -u", "--dry-run -n",
    "--porcelain", "--quiet -q", "--verbose -v", "--progress", "--no-verify", "--verify",
    "--atomic", "--signed[=WHEN]", "--push-option=OPT -o=OPT", "--repo=REPO",
    "--recurse-submodules=HOW", "--thin", "--no-thin", "--receive-pack=CMD !exec",
    "--exec=CMD !exec", "--ipv4 -4", "--ipv6 -6",
];
#[rustfmt::skip]
pub(super) const SHOW_REF: &[&str] = &[
    "--head", "--branches", "--heads", "--tags", "-d --dereference", "-s --hash[=N]",
    "--abbrev[=N]", "--verify", "--exists", "-q --quiet", "--exclude-existing[=PATTERN]",
];
#[rustfmt::skip]
pub(super) const FOR_EACH_REF: &[&str] = &[
    "--count=N", "--sort=KEY", "--format=FORMAT", "--color[=WHEN]", "-s --shell", "-p --perl",
    "--python", "--tcl", "--points-at=OBJ", "--merged[=OBJ]", "--no-merged[=OBJ]",
    "--contains[=OBJ]", "--no-contains[=OBJ]", "--ignore-case", "--omit-empty", "--exclude=PATTERN",
    "--include-root-refs", "--stdin",
];
#[rustfmt::skip]
pub(super) const MERGE_BASE: &[&str] = &[
    "-a --all", "--octopus", "--independent", "--is-ancestor", "--fork-point",
];
#[rustfmt::skip]
pub(super) const NAME_REV: &[&str] = &[
    "--tags", "--refs=PATTERN", "--exclude=PATTERN", "--all", "--annotate-stdin", "--name-only",
    "--no-undefined", "--always",
];
#[rustfmt::skip]
pub(super) const SMALL_READERS: &[&str] = &[
    "-v --verbose", "-H --human-readable", "-q --quiet", "--stdin", "-z", "-n --non-matching",
    "--no-index", "--build-options", "-a --all", "-g --guides",
];
#[rustfmt::skip]
pub(super) const SHORTLOG: &[&str] = &[
    "-n --numbered", "-s --summary", "-e --email", "--format=FORMAT", "--group=TYPE",
    "-c --committer", "-w[=W]",
];
#[rustfmt::skip]
pub(super) const REFLOG: &[&str] = &[
   
];
#[rustfmt::skip]
pub(super) const COMMIT: &[&str] = &[
    "-a --all", "-m --message=MSG", "-F --file=FILE", "--amend", "-v --verbose", "-q --quiet",
    "-s --signoff", "--no-signoff", "-n --no-verify", "--verify", "--allow-empty",
    "--allow-empty-message", "--no-edit", "-e --edit", "-p --patch", "-C --reuse-message=COMMIT",
    "-c --reedit-message=COMMIT", "--fixup=COMMIT", "--squash=COMMIT", "--author=AUTHOR",
    "--date=DATE", "-S --gpg-sign[=KEY]", "--no-gpg-sign", "--cleanup=MODE",
    "-u --untracked-files[=MODE]", "-i --include", "-o --only", "--dry-run", "--short",
    "--porcelain", "--long", "-z --null", "--trailer=TRAILER", "--pathspec-from-file=FILE",
    "--pathspec-file-nul", "--reset-author", "-t --template=FILE", "--status", "--no-status",
];
