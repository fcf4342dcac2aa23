//! Programs that create, change or delete files: `rm`, `cp`, `mv`, `ln`,
//! `mkdir`, `touch`, `tee`, `chmod` and friends, `dd`, `truncate`, `shred`.

use super::{Ctx, Program, describe};
use crate::plan::SafetyLevel::Moderate;
use crate::shell::is_dynamic;

#[rustfmt::skip]
const RM: &[&str] = &[
    "-f --force", "-i", "-I", "--interactive[=WHEN]", "--one-file-system", "--no-preserve-root",
    "--preserve-root[=all]", "-r -R --recursive", "-d --dir", "-v --verbose", "--help", "--version",
];
#[rustfmt::skip]
const COPY: &[&str] = &[
    "-a --archive", "--attributes-only", "-b", "--backup[=CONTROL]", "--copy-contents", "-d",
    "--debug", "-f --force", "-i --interactive", "-H", "-l --link", "-L --dereference",
    "-n --no-clobber", "-P --no-dereference", "-p", "--preserve[=ATTRS]", "--no-preserve=ATTRS",
    "--parents", "-r -R --recursive", "--reflink[=WHEN]", "--remove-destination", "--sparse=WHEN",
    "--strip-trailing-slashes", "-s --symbolic-link", "-S --suffix=SUFFIX",
    "-t --target-directory=DIR", "-T --no-target-directory", "-u", "--update[=UPDATE]",
    "-v --verbose", "-x --one-file-system", "-Z", "--context[=CTX]", "--exchange", "--no-copy",
    "--help", "--version",
];
#[rustfmt::skip]
const LN: &[&str] = &[
    "--backup[=CONTROL]", "-b", "-d -F --directory", "-f --force", "-i --interactive",
    "-L --logical", "-n --no-dereference", "-P --physical", "-r --relative", "-s --symbolic",
    "-S --suffix=SUFFIX", "-t --target-directory=DIR", "-T --no-target-directory", "-v --verbose",
    "--help", "--version",
];
#[rustfmt::skip]
const MKDIR: &[&str] = &[
    "-m --mode=MODE", "-p --parents", "-v --verbose", "-Z", "--context[=CTX]", "--help",
    "--version",
];
#[rustfmt::skip]
const TOUCH: &[&str] = &[
    "-a", "-c --no-create", "-d --date=STRING", "-f", "-h --no-dereference", "-m",
    "-r --reference=FILE", "-t=STAMP", "--time=WORD", "--help", "--version",
];
#[rustfmt::skip]
const TEE: &[&str] = &[
    "-a --append", "-i --ignore-interrupts", "-p", "--output-error[=MODE]", "--help", "--version",
];
#[rustfmt::skip]
const CHMOD: &[&str] = &[
    "-c --changes", "-f --silent --quiet", "-v --verbose", "--dereference", "-h --no-dereference",
    "--no-preserve-root", "--preserve-root", "--reference=RFILE", "--from=OWNER", "-R --recursive",
    "-H", "-L", "-P", "--help", "--version",
];
#[rustfmt::skip]
const SHRED: &[&str] = &[
    "-f --force", "-n --iterations=N", "--random-source=FILE", "-s --size=N", "-u",
    "--remove[=HOW]", "-v --verbose", "-x --exact", "-z --zero", "--help", "--version",
];
#[rustfmt::skip]
const TRUNCATE: &[&str] = &[
    "-c --no-create", "-o --io-blocks", "-r --reference=RFILE", "-s --size=SIZE", "--help",
    "--version",
];

/// File-changing programs.
pub(super) const FILES: &[Program] = &[
    Program::rated(&["rm", "unlink", "srm"], RM, rate_rm),
    Program::rated(
        &["rmdir"],
        &[
            "--ignore-fail-on-non-empty",
            "-p --parents",
            "-v --verbose",
            "--help",
            "--version",
        ],
        rate_rm,
    ),
    Program::rated(
        &["trash", "trash-put"],
        &[
            "-f --force",
            "-r -R --recursive",
            "-v --verbose",
            "-d --dir",
            "-i",
        ],
        rate_rm,
    ),
    Program::rated(&["shred", "wipe"], SHRED, rate_shred),
    Program::rated(&["mkdir"], MKDIR, rate_create),
    Program::rated(&["touch"], TOUCH, rate_create),
    Program::rated(&["ln"], LN, rate_ln),
    Program::rated(&["cp", "mv", "install"], COPY, rate_copy),
    Program::rated(&["tee"], TEE, rate_tee),
    Program::rated(&["chmod", "chown", "chgrp"], CHMOD, rate_permissions),
    Program::rated(
        &["chattr", "setfacl"],
        &[
            "-R",
            "-V",
            "-f",
            "-v=VERSION",
            "-p=PROJECT",
            "-b",
            "-k",
            "-m=ACL",
            "-x=ACL",
            "-M=FILE",
            "-X=FILE",
            "-n",
            "-d",
            "--set=ACL",
            "--set-file=FILE",
            "--mask",
            "--restore=FILE",
            "--test",
            "--physical -P",
            "--logical -L",
        ],
        rate_permissions,
    ),
    Program::rated(&["truncate"], TRUNCATE, rate_truncate),
    Program::rated(&["dd"], &["--help", "--version"], rate_dd),
];

/// Whether a word only known at run time could turn into `-r`/`-R`: any
/// expansion could; a glob only when it matches such a flag (`*` does,
/// `*.tmp` does not).
fn may_hide_recursion(ctx: &Ctx<'_>) -> bool {
    const RECURSIVE: [&str; 5] = ["-r", "-R", "-rf", "-fr", "--recursive"];
    ctx.parsed.dynamic_option
        && ctx.cmd.words.iter().filter(|w| w.dynamic).any(|word| {
            is_dynamic(&word.value)
                || glob::Pattern::new(&word.value).map_or(true, |pattern| {
                    RECURSIVE.iter().any(|flag| pattern.matches(flag))
                })
        })
}

fn rate_rm(ctx: &mut Ctx<'_>) {
    let operands = ctx.operands();
    // An option only known at run time could be `-r`.
    let recursive = ctx.has("-r") || may_hide_recursion(ctx) || ctx.cmd.program == "rmdir";
    if recursive || ctx.has("-d") {
        ctx.forbid_critical(&operands, "deletes");
    }
    if ctx.has("--no-preserve-root") {
        ctx.rating
            .forbid("disables rm's protection of the root directory");
    }
    let what = if ctx.has("-r") {
        "deletes recursively"
    } else {
        "deletes files"
    };
    let described = describe(ctx.cmd);
    ctx.destructive(format!("{described} {what}"));
    for operand in &operands {
        if ctx.shown(operand).starts_with("/dev/") {
            ctx.rating
                .forbid(format!("{described} deletes a device node: {operand}"));
        }
    }
}

fn rate_shred(ctx: &mut Ctx<'_>) {
    for operand in ctx.operands() {
        ctx.write(&operand, "overwrites");
    }
    ctx.destructive(format!(
        "{} destroys file contents beyond recovery",
        ctx.cmd.program
    ));
}

fn rate_create(ctx: &mut Ctx<'_>) {
    let what = if ctx.cmd.program == "mkdir" {
        "creates"
    } else {
        "creates or touches"
    };
    for operand in ctx.operands() {
        ctx.write(&operand, what);
    }
}

fn rate_ln(ctx: &mut Ctx<'_>) {
    // Only the link is written; its target is just text stored in it.
    let operands = ctx.operands();
    let link = ctx
        .value("-t")
        .or_else(|| operands.last().filter(|_| operands.len() > 1).cloned())
        .unwrap_or_else(|| ".".to_owned());
    ctx.write(&link, "creates a link in");
    if ctx.has("-f") {
        ctx.rating
            .raise(Moderate, "ln -f replaces an existing file");
    }
}

fn rate_copy(ctx: &mut Ctx<'_>) {
    let program = ctx.cmd.program.clone();
    let operands = ctx.operands();
    let (sources, target) = match ctx.value("-t") {
        Some(dir) => (operands.clone(), Some(dir)),
        None if ctx.cmd.has_runtime_args => (Vec::new(), None),
        None => match operands.split_last() {
            Some((last, rest)) if !rest.is_empty() => (rest.to_vec(), Some(last.clone())),
            _ => (operands.clone(), None),
        },
    };
    let Some(target) = target else {
        ctx.destructive(format!("{program} has no destination the engine can see"));
        return;
    };
    let what = if program == "mv" {
        "moves files into"
    } else {
        "copies files into"
    };
    ctx.write(&target, what);
    if program == "mv" {
        ctx.forbid_critical(&sources, "moves away");
        for source in &sources {
            ctx.write(source, "moves files out of");
        }
    }
    if !ctx.has("-n") && !ctx.has("-i") {
        ctx.rating
            .raise(Moderate, format!("{program} may overwrite existing files"));
    }
}

fn rate_tee(ctx: &mut Ctx<'_>) {
    for operand in ctx.operands() {
        ctx.write(&operand, "writes");
    }
}

fn rate_permissions(ctx: &mut Ctx<'_>) {
    let program = ctx.cmd.program.clone();
    let operands = ctx.operands();
    if ctx.has("-R") || may_hide_recursion(ctx) {
        ctx.forbid_critical(&operands, "changes");
    }
    ctx.destructive(format!("{program} changes ownership or permissions"));
}

fn rate_truncate(ctx: &mut Ctx<'_>) {
    for operand in ctx.operands() {
        ctx.write(&operand, "truncates");
    }
    ctx.destructive("truncate cuts files to a size, dropping their contents");
}

fn rate_dd(ctx: &mut Ctx<'_>) {
    for operand in ctx.operands() {
        if let Some(target) = operand.strip_prefix("of=") {
            ctx.write(target, "writes");
        }
    }
    ctx.destructive("dd copies raw data");
}

#[cfg(test)]
mod tests {
    use crate::risk::tests::level_of;

    #[test]
    fn accepts_nothing_as_safe() {
        for command in [
            "rm x",
            "cp a b",
            "mv a b",
            "chmod 644 x",
            "ln -s a b",
            "touch x",
            "mkdir d",
            "tee x",
            "truncate -s0 x",
            "shred x",
        ] {
            assert_ne!(level_of(command), "safe", "{command}");
        }
    }

    #[test]
    fn rejects_every_spelling_of_deleting_home() {
        for command in [
            "rm --rec --force ~",
            "rm -rf ~$USER",
            "rm -r ~bob",
            "rm -rf ${HOME}",
            "rm -r -- ~/",
            "rmdir ~",
        ] {
            assert_eq!(
                crate::risk::tests::decision_of(command),
                "forbid",
                "{command}"
            );
        }
    }
}
