//! Per-program knowledge: which programs only read, which write where, and
//! which flags make a reader a writer. Small pure functions over `const`
//! tables; anything not listed here is an unknown program and destructive.

use std::path::Path;

use super::paths::{WriteTarget, classify_write, is_critical, resolve};
use super::{Rating, Scope, describe};
use crate::plan::SafetyLevel::{Destructive, Moderate};
use crate::shell::{SimpleCommand, is_dynamic};

/// Programs that only read or print, whatever their arguments.
const READ_ONLY: &[&str] = &[
    ":",
    "[",
    "[[",
    "arch",
    "b2sum",
    "basename",
    "cat",
    "cd",
    "cksum",
    "cmp",
    "column",
    "comm",
    "command",
    "cut",
    "df",
    "diff",
    "dirname",
    "du",
    "echo",
    "egrep",
    "expand",
    "false",
    "fgrep",
    "file",
    "fold",
    "free",
    "grep",
    "groups",
    "head",
    "id",
    "jq",
    "join",
    "less",
    "locale",
    "ls",
    "lsblk",
    "lscpu",
    "lsof",
    "man",
    "md5sum",
    "more",
    "netstat",
    "nl",
    "nproc",
    "paste",
    "pgrep",
    "popd",
    "printenv",
    "printf",
    "ps",
    "pushd",
    "pwd",
    "read",
    "readlink",
    "realpath",
    "rev",
    "rg",
    "seq",
    "sha1sum",
    "sha224sum",
    "sha256sum",
    "sha384sum",
    "sha512sum",
    "sleep",
    "ss",
    "stat",
    "tac",
    "tail",
    "test",
    "top",
    "tr",
    "tree",
    "true",
    "tty",
    "type",
    "uname",
    "unset",
    "uptime",
    "w",
    "wait",
    "wc",
    "hostname",
    "whereis",
    "which",
    "who",
    "whoami",
    "xargs",
    "zipinfo",
    "set",
    "shift",
    "exit",
    "return",
    "break",
    "continue",
    "zcat",
    "date",
    "env",
    "sort",
    "uniq",
];

/// Variables that change which programs run or how the shell behaves.
const DANGEROUS_VARIABLES: &[&str] = &[
    "PATH",
    "LD_PRELOAD",
    "LD_LIBRARY_PATH",
    "LD_AUDIT",
    "BASH_ENV",
    "ENV",
    "IFS",
    "PROMPT_COMMAND",
    "SHELLOPTS",
    "BASHOPTS",
    "GIT_SSH_COMMAND",
    "GIT_EXTERNAL_DIFF",
    "PAGER",
    "GIT_PAGER",
    "EDITOR",
    "VISUAL",
    "PYTHONPATH",
    "NODE_OPTIONS",
    "PERL5OPT",
];

/// Interpreters: what they run is code the engine cannot read.
const INTERPRETERS: &[&str] = &[
    "bash",
    "sh",
    "zsh",
    "dash",
    "ksh",
    "fish",
    "python",
    "python2",
    "python3",
    "perl",
    "ruby",
    "node",
    "deno",
    "php",
    "lua",
    "source",
    ".",
    "eval",
    "osascript",
    "tclsh",
];

/// `git` subcommands that only read.
const GIT_READ_ONLY: &[&str] = &[
    "status",
    "log",
    "diff",
    "show",
    "rev-parse",
    "ls-files",
    "ls-tree",
    "blame",
    "shortlog",
    "describe",
    "cat-file",
    "grep",
    "whatchanged",
    "count-objects",
    "for-each-ref",
    "merge-base",
    "name-rev",
    "show-ref",
    "check-ignore",
    "version",
    "help",
    "rev-list",
    "reflog",
];

/// `git` subcommands that change the repository in recoverable ways.
const GIT_MODERATE: &[&str] = &[
    "add",
    "commit",
    "switch",
    "merge",
    "rebase",
    "cherry-pick",
    "revert",
    "fetch",
    "pull",
    "init",
    "mv",
    "notes",
    "am",
    "apply",
    "submodule",
    "worktree",
    "bisect",
    "push",
    "restore",
];

/// Rates one command into `rating`; `cwd` is `None` after a `cd` to an unknown place.
pub(super) fn rate(cmd: &SimpleCommand, scope: &Scope, cwd: Option<&Path>, rating: &mut Rating) {
    let program = cmd.program.as_str();
    let cwd = cwd.unwrap_or(Path::new("/nonexistent-unknown-cwd"));
    let mut ctx = Ctx {
        scope,
        cwd,
        cmd,
        rating,
    };
    if is_dynamic(program) {
        ctx.rating.raise(
            Destructive,
            format!("the program is only known at run time: {program}"),
        );
    }
    if cmd.in_function.as_deref() == Some(program) {
        ctx.rating.forbid(format!(
            "the shell function `{program}` calls itself (fork bomb)"
        ));
    }
    for wrapper in &cmd.wrappers {
        if matches!(wrapper.as_str(), "sudo" | "doas") {
            ctx.rating
                .raise(Destructive, format!("runs {program} as root via {wrapper}"));
        }
    }
    for name in cmd
        .assignments
        .iter()
        .filter(|n| DANGEROUS_VARIABLES.contains(&n.as_str()))
    {
        ctx.rating
            .raise(Destructive, format!("sets {name}, which changes what runs"));
    }
    for redirect in cmd.redirects.iter().filter(|r| r.kind.is_write()) {
        ctx.write(&redirect.target, "redirects output to");
    }
    rate_program(&mut ctx);
}

struct Ctx<'a> {
    scope: &'a Scope,
    cwd: &'a Path,
    cmd: &'a SimpleCommand,
    rating: &'a mut Rating,
}

impl Ctx<'_> {
    /// Records a write to `word`.
    fn write(&mut self, word: &str, what: &str) {
        let shown = self.shown(word);
        match classify_write(self.scope, self.cwd, word) {
            WriteTarget::Harmless => {}
            WriteTarget::BlockDevice => {
                self.rating.forbid(format!("{what} a disk device: {shown}"));
            }
            WriteTarget::SystemConfig => self
                .rating
                .forbid(format!("overwrites a system file: {shown}")),
            WriteTarget::InsideRoots => self.rating.raise(Moderate, format!("{what} {shown}")),
            WriteTarget::Outside => self.rating.raise(
                Destructive,
                format!("writes outside the write roots: {shown}"),
            ),
        }
    }

    fn shown(&self, word: &str) -> String {
        resolve(self.scope, self.cwd, word)
            .map_or_else(|| word.to_owned(), |p| p.display().to_string())
    }

    /// Forbids when an operand is the root, home or a system directory.
    fn forbid_critical(&mut self, operands: &[String], what: &str) {
        for word in operands {
            if resolve(self.scope, self.cwd, word).is_some_and(|p| is_critical(self.scope, &p)) {
                let shown = self.shown(word);
                self.rating
                    .forbid(format!("{} {what} {shown}", describe(self.cmd)));
            }
        }
    }

    fn destructive(&mut self, reason: impl Into<String>) {
        self.rating.raise(Destructive, reason);
    }

    fn operands(&self) -> Vec<String> {
        self.cmd
            .args
            .iter()
            .filter(|a| *a != "--")
            .cloned()
            .collect()
    }
}

fn rate_program(ctx: &mut Ctx<'_>) {
    let cmd = ctx.cmd;
    let program = cmd.program.as_str();
    let operands = ctx.operands();
    match program {
        "rm" | "rmdir" | "shred" | "unlink" | "trash" | "srm" => {
            if cmd.has_flag("-r") || program == "rmdir" {
                ctx.forbid_critical(&operands, "deletes");
            }
            let what = if cmd.has_flag("-r") {
                "deletes recursively"
            } else {
                "deletes files"
            };
            ctx.destructive(format!("{} {what}", describe(cmd)));
        }
        "mkdir" | "touch" => operands.iter().for_each(|w| ctx.write(w, "creates")),
        "ln" => {
            // Only the link is written; its target is just text stored in it.
            let link = cmd
                .flag_value("-t")
                .or(operands
                    .last()
                    .filter(|_| operands.len() > 1)
                    .map(String::as_str))
                .unwrap_or(".")
                .to_owned();
            ctx.write(&link, "creates a link in");
        }
        "cp" | "mv" | "install" | "rsync" => rate_copy(ctx, &operands),
        "tee" => operands.iter().for_each(|w| ctx.write(w, "writes")),
        "chmod" | "chown" | "chgrp" | "chattr" | "setfacl" => {
            if cmd.has_flag("-R") {
                ctx.forbid_critical(&operands, "changes");
            }
            ctx.destructive(format!("{program} changes ownership or permissions"));
        }
        "kill" | "pkill" | "killall" | "xkill" => {
            ctx.destructive(format!("{program} stops processes"));
        }
        "git" => rate_git(ctx, &operands),
        "tar" => rate_tar(ctx),
        "unzip" => {
            if !(cmd.has_flag("-l")
                || cmd.has_flag("-v")
                || cmd.has_flag("-t")
                || cmd.has_flag("-Z"))
            {
                let dir = cmd.flag_value("-d").unwrap_or(".").to_owned();
                ctx.write(&dir, "extracts into");
            }
        }
        "zip" => match operands.first() {
            _ if cmd.has_flag("-T") || cmd.has_flag("--unzip-command") => {
                ctx.destructive("zip -T runs a test command");
            }
            Some(archive) => ctx.write(archive, "creates the archive"),
            None => ctx.destructive("zip without an archive name"),
        },
        "gzip" | "gunzip" | "bzip2" | "bunzip2" | "xz" | "unxz" | "zstd" => {
            if !(cmd.has_flag("-c")
                || cmd.has_flag("-l")
                || cmd.has_flag("-t")
                || cmd.has_flag("--stdout"))
            {
                operands.iter().for_each(|w| ctx.write(w, "replaces"));
            }
        }
        "sed" => rate_sed(ctx, &operands),
        "awk" | "gawk" | "mawk" | "nawk" => rate_awk(ctx, &operands),
        "find" => {
            if cmd.has_flag("-delete") {
                ctx.forbid_critical(&starting_points(&operands), "deletes everything under");
                ctx.destructive("find -delete deletes files");
            }
            for flag in ["-fprint", "-fprint0", "-fprintf", "-fls"] {
                if cmd.has_flag(flag) {
                    ctx.destructive(format!("find {flag} writes a file"));
                }
            }
        }
        "sort" | "uniq"
            if cmd.flag_value("-o").is_some() || (program == "uniq" && operands.len() > 1) =>
        {
            let target = cmd
                .flag_value("-o")
                .or(operands.get(1).map(String::as_str))
                .unwrap_or_default()
                .to_owned();
            ctx.write(&target, "writes");
        }
        "date" if cmd.has_flag("-s") => ctx.destructive("date -s sets the system clock"),
        "hostname" if !operands.is_empty() => ctx.destructive("hostname NAME renames the machine"),
        "env" if !operands.is_empty() || cmd.has_flag("-S") => {
            ctx.destructive("env runs a command the engine cannot follow");
        }
        "export" | "declare" | "local" | "readonly" | "typeset" => {
            for word in &operands {
                let name = word.split(['=', '+']).next().unwrap_or_default();
                if DANGEROUS_VARIABLES.contains(&name) {
                    ctx.destructive(format!("sets {name}, which changes what runs"));
                }
            }
        }
        "curl" | "wget" | "nc" | "ncat" | "ssh" | "scp" | "sftp" | "ftp" | "telnet" => {
            ctx.destructive(format!("{program} talks to the network"));
        }
        "dd" => {
            for target in operands.iter().filter_map(|w| w.strip_prefix("of=")) {
                ctx.write(target, "writes");
            }
            ctx.destructive("dd copies raw data");
        }
        _ if READ_ONLY.contains(&program) => {}
        _ if INTERPRETERS.contains(&program) => {
            ctx.destructive(format!("{program} runs code the engine cannot read"));
        }
        _ => ctx.destructive(format!("unknown program: {program}")),
    }
    if cmd.has_runtime_args
        && ctx
            .rating
            .level
            .is_some_and(|l| l > crate::plan::SafetyLevel::Safe)
    {
        let via = cmd.wrappers.last().map_or("its input", String::as_str);
        ctx.destructive(format!(
            "{program} gets more arguments at run time from {via}"
        ));
    }
}

/// `find`'s starting points: the operands before the first expression.
fn starting_points(operands: &[String]) -> Vec<String> {
    operands
        .iter()
        .take_while(|w| !w.starts_with('(') && !w.starts_with('!'))
        .cloned()
        .collect()
}

fn rate_copy(ctx: &mut Ctx<'_>, operands: &[String]) {
    let cmd = ctx.cmd;
    let (sources, target) = match cmd.flag_value("-t") {
        Some(dir) => (operands.to_vec(), Some(dir.to_owned())),
        None if cmd.has_runtime_args => (Vec::new(), None),
        None => match operands.split_last() {
            Some((last, rest)) if !rest.is_empty() => (rest.to_vec(), Some(last.clone())),
            _ => (operands.to_vec(), None),
        },
    };
    let Some(target) = target else {
        ctx.destructive(format!(
            "{} has no destination the engine can see",
            cmd.program
        ));
        return;
    };
    ctx.write(
        &target,
        if cmd.program == "mv" {
            "moves files into"
        } else {
            "copies files into"
        },
    );
    if cmd.program == "mv" {
        ctx.forbid_critical(&sources, "moves away");
        sources
            .iter()
            .for_each(|s| ctx.write(s, "moves files out of"));
    }
    if !cmd.has_flag("-n") && !cmd.has_flag("-i") {
        ctx.rating.raise(
            Moderate,
            format!("{} may overwrite existing files", cmd.program),
        );
    }
}

fn rate_git(ctx: &mut Ctx<'_>, operands: &[String]) {
    let cmd = ctx.cmd;
    if cmd.has_flag("-c") || cmd.has_flag("--exec-path") || cmd.has_flag("--config-env") {
        ctx.destructive("git -c sets configuration that can run programs");
    }
    if let Some(output) = cmd.flag_value("--output") {
        ctx.write(output, "writes");
    }
    let sub = operands.first().map_or("", String::as_str);
    let rest = operands.get(1..).unwrap_or_default();
    let repo = cmd.flag_value("-C").unwrap_or(".").to_owned();
    let has = |flags: &[&str]| flags.iter().any(|f| cmd.has_flag(f));
    match sub {
        "" => {}
        _ if GIT_READ_ONLY.contains(&sub)
            && !has(&["-O", "--open-files-in-pager", "--ext-diff"]) =>
        {
            if sub == "reflog"
                && matches!(rest.first().map(String::as_str), Some("expire" | "delete"))
            {
                ctx.destructive("git reflog expire/delete drops history");
            }
        }
        "branch" | "tag" if has(&["-D"]) || (has(&["-d"]) && has(&["-f"])) => {
            ctx.destructive(format!("git {sub} -D deletes unmerged work"));
        }
        "branch" | "tag"
            if (rest.is_empty()
                && !has(&[
                    "-d",
                    "-m",
                    "-M",
                    "-c",
                    "-C",
                    "-u",
                    "--set-upstream-to",
                    "--edit-description",
                    "-s",
                    "-F",
                ]))
                || (sub == "tag" && has(&["-l", "--list"])) => {}
        "remote"
            if rest.is_empty() || rest.first().is_some_and(|r| r == "show" || r == "get-url") => {}
        "stash" if rest.first().is_some_and(|r| r == "list" || r == "show") => {}
        "stash" if rest.first().is_some_and(|r| r == "drop" || r == "clear") => {
            ctx.destructive("git stash drop/clear deletes stashed changes");
        }
        "config"
            if has(&["--get", "--get-all", "--get-regexp", "-l", "--list"]) || rest.len() == 1 => {}
        "config" if has(&["--global", "--system"]) => {
            ctx.destructive("git config --global changes settings outside the write roots");
        }
        "reset" if has(&["--hard", "--merge", "--keep"]) => {
            ctx.destructive("git reset --hard discards uncommitted changes");
        }
        "clean" if has(&["-n"]) => {}
        "clean" => ctx.destructive(format!("{} deletes untracked files", describe(cmd))),
        "checkout" if has(&["-b", "-B"]) && !has(&["-f"]) => {
            ctx.write(&repo, "changes the repository in");
        }
        "checkout"
            if has(&["-f", "-p"])
                || rest.len() != 1
                || rest.iter().any(|r| r.contains(['.', '/']))
                || operands.iter().any(|a| a == ".") =>
        {
            ctx.destructive("git checkout of paths discards uncommitted changes");
        }
        "restore" if !has(&["--staged", "-S"]) || has(&["--worktree", "-W"]) => {
            ctx.destructive("git restore discards uncommitted changes");
        }
        "push"
            if has(&[
                "-f",
                "--force-with-lease",
                "--force-if-includes",
                "--mirror",
                "-d",
                "--prune",
            ]) || rest
                .iter()
                .any(|r| r.starts_with('+') || r.starts_with(':')) =>
        {
            ctx.destructive(format!(
                "{} rewrites or deletes remote history",
                describe(cmd)
            ));
        }
        "push" => ctx
            .rating
            .raise(Moderate, "git push publishes commits to a remote"),
        "gc" | "prune" | "filter-branch" | "filter-repo" | "update-ref" | "replace" => {
            ctx.destructive(format!("git {sub} can drop history"));
        }
        "clone" => {
            let dest = rest.get(1).cloned().unwrap_or_else(|| ".".to_owned());
            ctx.write(&dest, "clones into");
        }
        "branch" | "tag" | "remote" | "stash" | "config" | "checkout" | "reset" => {
            ctx.write(&repo, "changes the repository in");
        }
        _ if GIT_MODERATE.contains(&sub) => ctx.write(&repo, "changes the repository in"),
        _ => ctx.destructive(format!("unknown git subcommand: {sub}")),
    }
}

fn rate_tar(ctx: &mut Ctx<'_>) {
    let cmd = ctx.cmd;
    let has = |flags: &[&str]| flags.iter().any(|f| cmd.has_flag(f));
    let is_listing = has(&["-t", "-d", "--diff", "--compare"]);
    if has(&[
        "--to-command",
        "--checkpoint-action",
        "-I",
        "--use-compress-program",
        "--rmt-command",
        "--rsh-command",
    ]) {
        ctx.destructive("tar runs an external program");
    } else if has(&["-c", "-r", "-u", "-A", "--delete"]) {
        // Without -f (or with `-f -`) the archive goes to stdout, which writes nothing.
        if let Some(archive) = cmd.flag_value("-f").filter(|f| *f != "-") {
            ctx.write(archive, "writes the archive");
        }
        if has(&["--remove-files"]) {
            ctx.destructive("tar --remove-files deletes the archived files");
        }
    } else if has(&["-x"]) {
        let dir = cmd.flag_value("-C").unwrap_or(".").to_owned();
        ctx.write(&dir, "extracts into");
    } else if !is_listing {
        ctx.destructive("tar without a known mode (-t, -c, -x)");
    }
}

fn rate_sed(ctx: &mut Ctx<'_>, operands: &[String]) {
    let cmd = ctx.cmd;
    let scripts: Vec<&str> = cmd
        .flags
        .iter()
        .filter(|f| f.name == "-e")
        .filter_map(|f| f.value.as_deref())
        .collect();
    let (scripts, files) = if scripts.is_empty() {
        (
            operands.first().map(String::as_str).into_iter().collect(),
            operands.get(1..).unwrap_or_default(),
        )
    } else {
        (scripts, operands)
    };
    if cmd.has_flag("-f") {
        ctx.destructive("sed -f runs a script file the engine cannot see");
    }
    if scripts.iter().any(|s| sed_script_writes(s)) {
        ctx.destructive("the sed script writes files or runs commands (w, W, e)");
    }
    if cmd.has_flag("-i") {
        files.iter().for_each(|w| ctx.write(w, "edits in place"));
        if files.is_empty() {
            ctx.destructive("sed -i edits files the engine cannot see");
        }
    }
}

/// Whether a sed script uses the `w`, `W` or `e` commands or the `w`/`e` flags of `s`.
fn sed_script_writes(script: &str) -> bool {
    let bytes = script.as_bytes();
    bytes.iter().enumerate().any(|(i, &b)| {
        let before = i.checked_sub(1).and_then(|p| bytes.get(p)).copied();
        let after = bytes.get(i + 1).copied();
        matches!(b, b'w' | b'W' | b'e')
            && before.is_none_or(|c| {
                matches!(c, b'/' | b';' | b'}' | b'{' | b'$' | b' ' | b'\n') || c.is_ascii_digit()
            })
            && after.is_none_or(|c| matches!(c, b' ' | b'\t' | b'\n' | b';' | b'}'))
    })
}

fn rate_awk(ctx: &mut Ctx<'_>, operands: &[String]) {
    let cmd = ctx.cmd;
    if cmd.has_flag("-f") || cmd.has_flag("-i") || cmd.has_flag("-E") {
        ctx.destructive("awk runs a program file the engine cannot see");
        return;
    }
    let program = operands.first().map_or("", String::as_str);
    if program.contains("system")
        || program.contains('|')
        || (program.contains("print") && program.contains('>'))
    {
        ctx.destructive("the awk program runs commands or writes files");
    }
}

#[cfg(test)]
mod tests {
    use super::sed_script_writes;

    #[test]
    fn sed_writing_commands_are_detected() {
        for (script, expected) in [
            ("s/a/b/g", false),
            ("s/we are/x/", false),
            ("1,5p", false),
            ("s/a/b/w out.txt", true),
            ("/x/w out", true),
            ("1e", true),
            ("$!N;W log", true),
        ] {
            assert_eq!(sed_script_writes(script), expected, "{script}");
        }
    }
}
