//! `find`, whose "options" are an expression language: every primary with
//! its arity, so `-delete`, `-fprint FILE` and unknown primaries are seen
//! wherever they stand. The commands of `-exec` are rated on their own.

use super::{Ctx, Program};

/// Primaries that take no argument and only test or print.
#[rustfmt::skip]
const NULLARY: &[&str] = &[
    "-daystart", "-depth", "-d", "-ignore_readdir_race", "-mount", "-noignore_readdir_race",
    "-noleaf", "-xdev", "-nowarn", "-warn", "-empty", "-executable", "-false", "-true", "-readable",
    "-writable", "-nouser", "-nogroup", "-print", "-print0", "-ls", "-prune", "-quit", "-not",
    "-and", "-or", "-a", "-o", "-follow", "(", ")", "!", ",", "-help", "--help", "-version",
    "--version",
];
/// Primaries that take one argument and only test or print.
#[rustfmt::skip]
const UNARY: &[&str] = &[
    "-maxdepth", "-mindepth", "-amin", "-anewer", "-atime", "-cmin", "-cnewer", "-ctime", "-fstype",
    "-gid", "-group", "-ilname", "-iname", "-inum", "-ipath", "-iregex", "-iwholename", "-links",
    "-lname", "-mmin", "-mtime", "-name", "-newer", "-path", "-perm", "-regex", "-regextype",
    "-samefile", "-size", "-type", "-uid", "-used", "-user", "-wholename", "-xtype", "-context",
    "-printf", "-files0-from",
];
/// Primaries that write the file named by their first argument, with their arity.
const WRITERS: &[(&str, usize)] = &[
    ("-fls", 1),
    ("-fprint", 1),
    ("-fprint0", 1),
    ("-fprintf", 2),
];
/// Primaries that run a command up to `;` or `+`.
const RUNNERS: &[&str] = &["-exec", "-execdir", "-ok", "-okdir"];

/// The find family.
pub(super) const FIND: &[Program] = &[Program {
    names: &["find"],
    options: &[],
    numeric: false,
    stops_at_operand: false,
    takes_options: false,
    rate: Some(rate_find),
}];

fn rate_find(ctx: &mut Ctx<'_>) {
    let words = ctx.cmd.words.clone();
    let mut i = 0;
    // Global options before the starting points.
    while let Some(word) = words.get(i) {
        match word.value.as_str() {
            "-H" | "-L" | "-P" => i += 1,
            "-D" => i += 2,
            w if w.starts_with("-O") => i += 1,
            _ => break,
        }
    }
    let mut starts = Vec::new();
    let mut hidden = false;
    while let Some(word) = words.get(i) {
        if word.value.starts_with('-') || matches!(word.value.as_str(), "(" | "!" | ")" | ",") {
            break;
        }
        let anchored = word.value.starts_with(['.', '/', '~'])
            || ["$HOME", "${HOME}", "$PWD", "${PWD}"]
                .iter()
                .any(|v| word.value.starts_with(v));
        if word.dynamic && !anchored {
            ctx.moderate(
                "find has a starting point only known at run time that could be a primary",
            );
            hidden = true;
        }
        starts.push(word.value.clone());
        i += 1;
    }
    let mut deletes = false;
    let mut runs = Vec::new();
    let mut names = Vec::new();
    while let Some(word) = words.get(i) {
        i += 1;
        let primary = word.value.as_str();
        if word.dynamic {
            ctx.moderate(format!(
                "find has an expression word only known at run time: {primary}"
            ));
            hidden = true;
            continue;
        }
        if NULLARY.contains(&primary) {
            continue;
        }
        if UNARY.contains(&primary) || is_newer_xy(primary) {
            if matches!(
                primary,
                "-name" | "-iname" | "-path" | "-ipath" | "-wholename"
            ) && let Some(pattern) = words.get(i)
            {
                names.push(pattern.value.clone());
            }
            i += 1;
            continue;
        }
        if let Some((_, arity)) = WRITERS.iter().find(|(name, _)| *name == primary) {
            let target = words.get(i).map(|w| w.value.clone()).unwrap_or_default();
            ctx.write(&target, &format!("find {primary} writes"));
            ctx.destructive(format!("find {primary} writes a file"));
            i += arity;
            continue;
        }
        if RUNNERS.contains(&primary) {
            // The command itself was parsed and is rated as its own command.
            if let Some(program) = words.get(i) {
                runs.push(program.value.clone());
            }
            while let Some(word) = words.get(i) {
                i += 1;
                if word.value == ";" || word.value == "+" {
                    break;
                }
            }
            continue;
        }
        if primary == "-delete" {
            deletes = true;
            continue;
        }
        ctx.moderate(format!("find: {primary} is not a primary the engine knows"));
    }
    let starts = if starts.is_empty() {
        vec![".".to_owned()]
    } else {
        starts
    };
    if !runs.is_empty() {
        // What `-exec` runs gets the files themselves, hidden ones included.
        for start in &starts {
            super::check_secret_tree(ctx, start, false);
        }
        // `-name .env -exec cat {} +`: the files are credentials by name.
        for name in &names {
            let last = name.rsplit('/').next().unwrap_or(name);
            if crate::risk::paths::is_secret_name(last)
                || crate::risk::paths::glob_may_match_secret(last)
            {
                ctx.moderate(format!(
                    "reads secrets: find runs a program on files named {name}"
                ));
            }
        }
    }
    for program in runs.iter().filter(|p| !super::is_pure_reader(p)) {
        ctx.forbid_critical(&starts, &format!("runs {program} on every file under"));
    }
    if hidden {
        // A primary only known at run time could be `-delete`.
        ctx.forbid_critical(&starts, "may delete everything under");
    }
    if deletes {
        ctx.forbid_critical(&starts, "deletes everything under");
        ctx.destructive("find -delete deletes files");
    }
}

/// `-newerXY`, where X and Y are `a`, `B`, `c`, `m` or `t`.
fn is_newer_xy(primary: &str) -> bool {
    primary
        .strip_prefix("-newer")
        .is_some_and(|xy| xy.len() == 2 && xy.chars().all(|c| "aBcmt".contains(c)))
}

#[cfg(test)]
mod tests {
    use crate::risk::tests::{decision_of, level_of};

    #[test]
    fn accepts_finding_and_printing() {
        for command in [
            "find . -name '*.rs'",
            "find . -type f -mtime +7 -print",
            "find ~ -maxdepth 1 -type d",
            "find . -newermt 2024-01-01 -ls",
            "find . \\( -name a -o -name b \\) -print0",
            "find -L . -size +1M",
        ] {
            assert_eq!(level_of(command), "safe", "{command}");
        }
    }

    #[test]
    fn running_a_reader_on_files_that_hold_credentials_reads_secrets() {
        for command in [
            "find ~/.ssh -type f -exec cat {} +",
            "find ~ -name '*.txt' -exec head {} ;",
        ] {
            assert_eq!(level_of(command), "moderate", "{command}");
        }
        assert_eq!(level_of("find ~/.ssh -type f"), "safe");
        assert_eq!(
            level_of("find . -name '*.rs' -exec grep -l foo {} +"),
            "safe"
        );
    }

    #[test]
    fn rejects_deleting_writing_and_unknown_primaries() {
        for command in [
            "find . -delete",
            "find . -fprint out",
            "find . -fprintf out %p",
            "find . -name x -frobnicate",
            "find . $X",
            "find . {-delete,}",
            "find . $'-\\x64elete'",
        ] {
            assert_ne!(level_of(command), "safe", "{command}");
        }
        assert_eq!(decision_of("find / -name x -delete"), "forbid");
        assert_eq!(decision_of("find -delete"), "prompt");
    }
}
