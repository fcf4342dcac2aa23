//! Archivers and compressors: `tar` (every mode and the options that run
//! programs), `zip`, `unzip`, `gzip` and friends.

use super::{Ctx, Program};

#[rustfmt::skip]
const TAR: &[&str] = &[
    "-A --catenate --concatenate", "-c --create", "-d --diff --compare", "--delete", "-r --append",
    "-t --list", "--test-label", "-u --update", "-x --extract --get", "--show-defaults", "-?",
    "--help", "--usage", "--version", "--check-device", "--no-check-device",
    "-g --listed-incremental=FILE", "-G --incremental", "--hole-detection=TYPE",
    "--ignore-failed-read", "--level=N", "-n --seek", "--no-seek", "--occurrence[=N]", "--restrict",
    "--sparse-version=V", "-S --sparse", "-k --keep-old-files", "--keep-newer-files",
    "--keep-directory-symlink", "--no-overwrite-dir", "--one-top-level[=DIR]", "--overwrite",
    "--overwrite-dir", "--recursive-unlink", "--remove-files", "--skip-old-files",
    "-U --unlink-first", "-W --verify", "--ignore-command-error", "--no-ignore-command-error",
    "-O --to-stdout", "--to-command=COMMAND !exec", "--atime-preserve[=METHOD]", "--clamp-mtime",
    "--delay-directory-restore", "--no-delay-directory-restore", "--group=NAME", "--group-map=FILE",
    "--mode=CHANGES", "--mtime=DATE", "-m --touch", "--no-same-owner", "--no-same-permissions",
    "--numeric-owner", "--owner=NAME", "--owner-map=FILE",
    "-p --preserve-permissions --same-permissions", "--same-owner",
    "-s --preserve-order --same-order", "--sort=ORDER", "--acls", "--no-acls", "--selinux",
    "--no-selinux", "--xattrs", "--no-xattrs", "--xattrs-exclude=MASK", "--xattrs-include=MASK",
    "-f --file=ARCHIVE", "--force-local", "-F --info-script=NAME --new-volume-script=NAME !exec",
    "-L --tape-length=N", "-M --multi-volume", "--rmt-command=COMMAND !exec",
    "--rsh-command=COMMAND !exec", "--volno-file=FILE !write", "-b --blocking-factor=BLOCKS",
    "-B --read-full-records", "-i --ignore-zeros", "--record-size=NUMBER", "-H --format=FORMAT",
    "--old-archive --portability", "--pax-option=LIST", "--posix", "-V --label=TEXT",
    "-a --auto-compress", "-I --use-compress-program=PROG !exec", "-j --bzip2", "-J --xz", "--lzip",
    "--lzma", "--lzop", "--no-auto-compress", "-z --gzip --gunzip --ungzip",
    "-Z --compress --uncompress", "--zstd", "--add-file=FILE", "--backup[=CONTROL]",
    "-C --directory=DIR", "--exclude=PATTERN", "--exclude-backups", "--exclude-caches",
    "--exclude-caches-all", "--exclude-caches-under", "--exclude-ignore=FILE",
    "--exclude-ignore-recursive=FILE", "--exclude-tag=FILE", "--exclude-tag-all=FILE",
    "--exclude-tag-under=FILE", "--exclude-vcs", "--exclude-vcs-ignores", "-h --dereference",
    "--hard-dereference", "-K --starting-file=MEMBER", "--newer-mtime=DATE", "--no-null",
    "--no-recursion", "--no-unquote", "--no-verbatim-files-from", "--null",
    "-N --newer --after-date=DATE", "--one-file-system", "-P --absolute-names", "--recursion",
    "--suffix=STRING", "-T --files-from=FILE", "--unquote", "--verbatim-files-from",
    "-X --exclude-from=FILE", "--anchored", "--ignore-case", "--no-anchored", "--no-ignore-case",
    "--no-wildcards", "--no-wildcards-match-slash", "--wildcards", "--wildcards-match-slash",
    "--checkpoint[=N]", "--checkpoint-action=ACTION !exec", "--full-time",
    "--index-file=FILE !write", "-l --check-links", "--no-quote-chars=STRING",
    "--quote-chars=STRING", "--quoting-style=STYLE", "-R --block-number", "--show-omitted-dirs",
    "--show-transformed-names --show-stored-names", "--totals[=SIGNAL]", "--utc", "-v --verbose",
    "--warning=KEYWORD", "-w --interactive --confirmation", "-o", "--strip-components=N",
    "--transform=EXPR --xform=EXPR",
];
#[rustfmt::skip]
const UNZIP: &[&str] = &[
    "-Z", "-c", "-f", "-l", "-p", "-t", "-T", "-u", "-v", "-z", "-x=FILES", "-d=DIR", "-a", "-aa",
    "-b", "-B", "-C", "-D", "-e", "-j", "-L", "-M", "-n", "-N", "-o", "-q", "-qq", "-s", "-U", "-V",
    "-W", "-X", "-K", "-O=CHARSET", "-I=CHARSET", "-P=PASSWORD", "-h", "--help",
];
#[rustfmt::skip]
const ZIP: &[&str] = &[
    "-r --recurse-paths", "-q --quiet", "-v --verbose", "-j --junk-paths", "-9", "-0", "-1",
    "-e --encrypt", "-x --exclude=FILES", "-i --include=FILES", "-u --update", "-f --freshen",
    "-d --delete", "-m --move", "-y --symlinks", "-T --test", "-TT --unzip-command=CMD !exec",
    "-P --password=PW", "-o --latest-time", "-g --grow", "-D --no-dir-entries", "-X --no-extra",
    "-l --to-crlf", "-ll --from-crlf", "-h --help", "-z --archive-comment", "-@ --names-stdin",
];
#[rustfmt::skip]
const GZIP: &[&str] = &[
    "-c --stdout --to-stdout", "-d --decompress --uncompress", "-f --force", "-h --help",
    "-k --keep", "-l --list", "-L --license", "-n --no-name", "-N --name", "-q --quiet",
    "-r --recursive", "--rsyncable", "-S --suffix=SUF", "--synchronous", "-t --test",
    "-v --verbose", "-V --version", "-1 --fast", "-2", "-3", "-4", "-5", "-6", "-7", "-8",
    "-9 --best", "-T --threads=N", "-z --compress", "-e --extreme", "-F --format=F", "-C --check=C",
    "-M --memlimit=L", "--memory=L", "-Q --no-warn", "--rm", "-o --output=FILE !write",
];

/// Archivers and compressors.
pub(super) const ARCHIVES: &[Program] = &[
    Program::rated(&["tar", "gtar", "bsdtar"], TAR, rate_tar),
    Program::rated(&["unzip"], UNZIP, rate_unzip),
    Program::rated(&["zip"], ZIP, rate_zip),
    Program::rated(
        &[
            // Not lz4: its -l is a format and `lz4 SRC DST` writes DST.
            "gzip", "gunzip", "bzip2", "bunzip2", "xz", "unxz", "zstd", "unzstd", "pigz",
        ],
        GZIP,
        rate_compress,
    ),
];

fn rate_tar(ctx: &mut Ctx<'_>) {
    let listing = [
        "-t",
        "-d",
        "--test-label",
        "--show-defaults",
        "--help",
        "--version",
    ]
    .iter()
    .any(|f| ctx.has(f));
    if ["-c", "-r", "-u", "-A", "--delete"]
        .iter()
        .any(|f| ctx.has(f))
    {
        // Without -f (or with `-f -`) the archive goes to stdout, which writes nothing.
        if let Some(archive) = ctx.value("-f").filter(|f| f != "-") {
            ctx.write(&archive, "writes the archive");
        }
        // Their contents reach the archive, or the output with `-f -`.
        let base = ctx.value("-C");
        for operand in ctx.operands() {
            let path = match &base {
                Some(dir) if !operand.starts_with(['/', '~', '$']) => format!("{dir}/{operand}"),
                _ => operand,
            };
            super::check_secret_tree(ctx, &path, false);
        }
        if ctx.has("--remove-files") {
            ctx.destructive("tar --remove-files deletes the archived files");
        }
    } else if ctx.has("-x") {
        if ctx.has("-O") {
            return;
        }
        let dir = ctx.value("-C").unwrap_or_else(|| ".".to_owned());
        ctx.write(&dir, "extracts into");
        if ctx.has("-P") {
            ctx.destructive("tar -P extracts to absolute paths anywhere");
        }
    } else if !listing {
        ctx.destructive("tar without a known mode (-t, -c, -x)");
    }
}

fn rate_unzip(ctx: &mut Ctx<'_>) {
    let listing = ["-l", "-v", "-t", "-Z", "-c", "-p", "-z"]
        .iter()
        .any(|f| ctx.has(f));
    if !listing {
        let dir = ctx.value("-d").unwrap_or_else(|| ".".to_owned());
        ctx.write(&dir, "extracts into");
    }
}

fn rate_zip(ctx: &mut Ctx<'_>) {
    let operands = ctx.operands();
    match operands.first().map(String::as_str) {
        // `zip - files`: the archive goes to the output.
        Some("-") => {}
        Some(archive) => ctx.write(archive, "creates the archive"),
        None => ctx.destructive("zip without an archive name"),
    }
    for file in operands.iter().skip(1) {
        super::check_secret_tree(ctx, file, false);
    }
    if ctx.has("-m") || ctx.has("-d") {
        ctx.destructive("zip -m/-d deletes files");
    }
}

fn rate_compress(ctx: &mut Ctx<'_>) {
    let to_stdout = ["-c", "-l", "-t", "-h", "-V", "-L"]
        .iter()
        .any(|f| ctx.has(f))
        || matches!(ctx.cmd.program.as_str(), "zcat" | "bzcat" | "xzcat");
    for operand in ctx.operands() {
        if to_stdout {
            super::check_secret(ctx, &operand);
        } else {
            ctx.write(&operand, "replaces");
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::risk::tests::{level_of, reasons_of};

    #[test]
    fn accepts_listing_archives() {
        for command in [
            "tar -tzf a.tgz",
            "tar --list -f a.tar",
            "tar tvf a.tar",
            "unzip -l a.zip",
            "gzip -l a.gz",
            "tar -xOf a.tar x",
        ] {
            assert_eq!(level_of(command), "safe", "{command}");
        }
    }

    #[test]
    fn archiving_a_tree_that_holds_credentials_reads_secrets() {
        for command in [
            "tar -cf - ~/.ssh",
            "tar -czf - -C ~ .aws",
            "tar -cf home.tar ~",
        ] {
            assert!(
                reasons_of(command)
                    .iter()
                    .any(|r| r.starts_with("reads secrets")),
                "{command}"
            );
        }
        assert_eq!(level_of("tar -cf - src"), "safe");
        assert_eq!(level_of("zip -r - src"), "safe");
        assert_eq!(level_of("zip -r - ~/.ssh"), "moderate");
    }

    #[test]
    fn rejects_archivers_that_run_programs() {
        for command in [
            "tar --checkpoint=1 --checkpoint-act=exec=sh -cf /dev/null x",
            "tar -I sh -xf a",
            "tar --to-command=sh -xf a.tar",
            "tar cf - . --use-compress=sh",
            "zip -TT sh a.zip x",
            "tar --frobnicate -tf a.tar",
        ] {
            assert_ne!(level_of(command), "safe", "{command}");
        }
    }
}
