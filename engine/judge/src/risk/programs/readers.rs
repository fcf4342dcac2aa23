//! Programs that only read and print, with every option they accept. A
//! command of one of these is `safe` only when each of its options is one
//! listed here; an option not listed makes it unknown, never safe.

use super::Program;

/// Shorthand for a pure reader: no rating beyond its options.
const fn reader(names: &'static [&'static str], options: &'static [&'static str]) -> Program {
    Program {
        names,
        options,
        numeric: false,
        stops_at_operand: false,
        takes_options: true,
        rate: None,
    }
}

/// A program that takes no options the engine reads and only prints.
pub(super) const fn pure(names: &'static [&'static str]) -> Program {
    Program {
        takes_options: false,
        ..reader(names, &[])
    }
}

const HELP: &str = "--help";
const VERSION: &str = "--version";

/// Readers from coreutils, util-linux, procps and friends.
#[rustfmt::skip]
pub(super) const READERS: &[Program] = &[
    Program { takes_options: false, ..reader(&[":", "true", "false"], &[]) },
    reader(&["pwd", "tty", "nproc", "arch", "logname", "whoami", "groups", "users", "printenv",
        "sleep", "wait", "dirs"], &["-L", "-P", "-s --silent --quiet", "--all", "--ignore=N",
        "-0 --null", "-l", "-v", "-p", HELP, VERSION]),
    Program { takes_options: false, ..reader(&["echo"], &[]) },
    reader(&["cat"], &["-A --show-all", "-b --number-nonblank", "-e", "-E --show-ends",
        "-n --number", "-s --squeeze-blank", "-t", "-T --show-tabs", "-u",
        "-v --show-nonprinting", HELP, VERSION]),
    reader(&["tac"], &["-b --before", "-r --regex", "-s --separator=STRING", HELP, VERSION]),
    reader(&["nl"], &["-b --body-numbering=STYLE", "-d --section-delimiter=CC",
        "-f --footer-numbering=STYLE", "-h --header-numbering=STYLE", "-i --line-increment=N",
        "-l --join-blank-lines=N", "-n --number-format=FORMAT", "-p --no-renumber",
        "-s --number-separator=STRING", "-v --starting-line-number=N",
        "-w --number-width=N", HELP, VERSION]),
    Program { numeric: true, ..reader(&["head"], &["-c --bytes=N", "-n --lines=N",
        "-q --quiet --silent", "-v --verbose", "-z --zero-terminated", HELP, VERSION]) },
    Program { numeric: true, ..reader(&["tail"], &["-c --bytes=N", "-f --follow[=HOW]", "-F",
        "-n --lines=N", "--max-unchanged-stats=N", "--pid=PID", "-q --quiet --silent", "--retry",
        "-s --sleep-interval=N", "-v --verbose", "-z --zero-terminated", HELP, VERSION]) },
    reader(&["wc"], &["-c --bytes", "-m --chars", "-l --lines", "--files0-from=F",
        "-L --max-line-length", "-w --words", "--total=WHEN", HELP, VERSION]),
    reader(&["ls", "dir", "vdir"], &["-a --all", "-A --almost-all", "--author", "-b --escape",
        "--block-size=SIZE", "-B --ignore-backups", "-c", "-C", "--color[=WHEN] --colour[=WHEN]",
        "-d --directory", "-D --dired", "-f", "-F --classify[=WHEN]", "--file-type",
        "--format=WORD", "--full-time", "-g", "--group-directories-first", "-G --no-group",
        "-h --human-readable", "--si", "-H --dereference-command-line",
        "--dereference-command-line-symlink-to-dir", "--hide=PATTERN", "--hyperlink[=WHEN]",
        "--indicator-style=WORD", "-i --inode", "-I --ignore=PATTERN", "-k --kibibytes", "-l",
        "-L --dereference", "-m", "-n --numeric-uid-gid", "-N --literal", "-o", "-p",
        "-q --hide-control-chars", "--show-control-chars", "-Q --quote-name",
        "--quoting-style=WORD", "-r --reverse", "-R --recursive", "-s --size", "-S", "--sort=WORD",
        "--time=WORD", "--time-style=STYLE", "-t", "-T --tabsize=COLS", "-u", "-U", "-v",
        "-w --width=COLS", "-x", "-X", "-Z --context", "--zero", "-1", HELP, VERSION]),
    reader(&["stat"], &["-L --dereference", "-f --file-system", "-c --format=FORMAT",
        "--printf=FORMAT", "-t --terse", "--cached=MODE", HELP, VERSION]),
    reader(&["file"], &["-b --brief", "-c --checking-printout", "-E", "-e --exclude=TEST",
        "--exclude-quiet=TEST", "-F --separator=SEP", "-f --files-from=FILE",
        "-h --no-dereference", "-i --mime", "--mime-type", "--mime-encoding", "-k --keep-going",
        "-L --dereference", "-l --list", "-N --no-pad", "-n --no-buffer", "-0 --print0",
        "-p --preserve-date", "-r --raw", "-s --special-files", "-S --no-sandbox",
        "-z --uncompress", "-Z --uncompress-noreport", HELP, VERSION]),
    reader(&["realpath"], &["-e --canonicalize-existing", "-m --canonicalize-missing",
        "-L --logical", "-P --physical", "-q --quiet", "--relative-to=DIR", "--relative-base=DIR",
        "-s --strip --no-symlinks", "-z --zero", HELP, VERSION]),
    reader(&["readlink"], &["-f --canonicalize", "-e --canonicalize-existing",
        "-m --canonicalize-missing", "-n --no-newline", "-q --quiet", "-s --silent",
        "-v --verbose", "-z --zero", HELP, VERSION]),
    reader(&["basename"], &["-a --multiple", "-s --suffix=SUFFIX", "-z --zero", HELP, VERSION]),
    reader(&["dirname"], &["-z --zero", HELP, VERSION]),
    reader(&["cut"], &["-b --bytes=LIST", "-c --characters=LIST", "-d --delimiter=DELIM",
        "-f --fields=LIST", "-n", "--complement", "-s --only-delimited",
        "--output-delimiter=STRING", "-z --zero-terminated", HELP, VERSION]),
    reader(&["tr"], &["-c -C --complement", "-d --delete", "-s --squeeze-repeats",
        "-t --truncate-set1", HELP, VERSION]),
    reader(&["paste"], &["-d --delimiters=LIST", "-s --serial",
        "-z --zero-terminated", HELP, VERSION]),
    reader(&["join"], &["-a=FILENUM", "-e=STRING", "-i --ignore-case", "-j=FIELD", "-o=FORMAT",
        "-t=CHAR", "-v=FILENUM", "-1=FIELD", "-2=FIELD", "--check-order", "--nocheck-order",
        "--header", "-z --zero-terminated", HELP, VERSION]),
    reader(&["comm"], &["-1", "-2", "-3", "--check-order", "--nocheck-order",
        "--output-delimiter=STR", "--total", "-z --zero-terminated", HELP, VERSION]),
    reader(&["cmp"], &["-b --print-bytes", "-i --ignore-initial=SKIP", "-l --verbose",
        "-n --bytes=LIMIT", "-s --quiet --silent", HELP, VERSION]),
    Program::rated(&["diff"], &["-i --ignore-case", "--ignore-file-name-case",
        "--no-ignore-file-name-case", "-E --ignore-tab-expansion", "-Z --ignore-trailing-space",
        "-b --ignore-space-change", "-w --ignore-all-space", "-B --ignore-blank-lines",
        "-I --ignore-matching-lines=RE", "-a --text", "--strip-trailing-cr", "-c",
        "-C --context[=NUM]", "-u", "-U --unified[=NUM]", "-e --ed", "-n --rcs",
        "-y --side-by-side", "-W --width=NUM", "--left-column", "--suppress-common-lines",
        "-p --show-c-function", "-F --show-function-line=RE", "--label=LABEL", "-t --expand-tabs",
        "-T --initial-tab", "--tabsize=NUM", "--suppress-blank-empty", "-l --paginate !exec",
        "-r --recursive", "--no-dereference", "-N --new-file", "--unidirectional-new-file",
        "-s --report-identical-files", "-x --exclude=PAT", "-X --exclude-from=FILE",
        "-S --starting-file=FILE", "--from-file=FILE", "--to-file=FILE", "-q --brief",
        "--color[=WHEN]", "--palette=PALETTE", "-d --minimal", "--horizon-lines=NUM",
        "--speed-large-files", "--line-format=FMT", "--old-line-format=FMT",
        "--new-line-format=FMT", "--unchanged-line-format=FMT", "--old-group-format=FMT",
        "--new-group-format=FMT", "--changed-group-format=FMT", "--unchanged-group-format=FMT",
        "-D --ifdef=NAME", "--normal", HELP, VERSION], rate_diff),
    reader(&["md5sum", "sha1sum", "sha224sum", "sha256sum", "sha384sum", "sha512sum", "b2sum",
        "cksum", "sum"], &["-b --binary", "-c --check", "--tag", "-t --text", "-z --zero",
        "--ignore-missing", "--quiet", "--status", "--strict", "-w --warn", "-l --length=BITS",
        "-a --algorithm=TYPE", "--base64", "--raw", "--untagged", "-r",
        "-s --sysv", HELP, VERSION]),
    reader(&["fold"], &["-b --bytes", "-s --spaces", "-w --width=WIDTH", HELP, VERSION]),
    reader(&["expand", "unexpand"], &["-i --initial", "-a --all", "--first-only",
        "-t --tabs=N", HELP, VERSION]),
    reader(&["rev"], &["-0 --zero", HELP, VERSION]),
    reader(&["column"], &["-c --output-width=WIDTH", "-t --table", "-s --separator=SEP",
        "-o --output-separator=SEP", "-x --fillrows", "-n --table-noextreme=N",
        "-N --table-columns=NAMES", "-R --table-right=COLS", "-J --json",
        "-e --table-noempty-lines", "-L --keep-empty-lines",
        "-d --table-noheadings", HELP, VERSION]),
    reader(&["seq"], &["-f --format=FORMAT", "-s --separator=STRING",
        "-w --equal-width", HELP, VERSION]),
    reader(&["id"], &["-a", "-Z --context", "-g --group", "-G --groups", "-n --name", "-r --real",
        "-u --user", "-z --zero", HELP, VERSION]),
    reader(&["uname"], &["-a --all", "-s --kernel-name", "-n --nodename", "-r --kernel-release",
        "-v --kernel-version", "-m --machine", "-p --processor", "-i --hardware-platform",
        "-o --operating-system", HELP, VERSION]),
    reader(&["uptime"], &["-p --pretty", "-s --since", HELP, VERSION]),
    reader(&["w", "who"], &["-a --all", "-b --boot", "-d --dead", "-H --heading", "-l --login",
        "--lookup", "-m", "-p --process", "-q --count", "-r --runlevel", "-s --short", "-t --time",
        "-T -w --mesg --message --writable", "-u --users", "-h --no-header", "-i --ip-addr",
        "-o --old-style", "-f --from", "-n --no-current", HELP, VERSION]),
    reader(&["free"], &["-b --bytes", "-k --kibi", "-m --mebi", "-g --gibi", "--tebi", "--pebi",
        "--kilo", "--mega", "--giga", "--tera", "--peta", "-h --human", "--si", "-l --lohi",
        "-L --line", "-t --total", "-v --committed", "-s --seconds=N", "-c --count=N",
        "-w --wide", HELP, VERSION]),
    reader(&["df"], &["-a --all", "-B --block-size=SIZE", "-h --human-readable", "-H --si",
        "-i --inodes", "-k", "-l --local", "--no-sync", "--output[=FIELDS]", "-P --portability",
        "--sync", "--total", "-t --type=TYPE", "-T --print-type",
        "-x --exclude-type=TYPE", HELP, VERSION]),
    reader(&["du"], &["-0 --null", "-a --all", "--apparent-size", "-B --block-size=SIZE",
        "-b --bytes", "-c --total", "-D --dereference-args", "-d --max-depth=N", "--files0-from=F",
        "-H", "-h --human-readable", "--inodes", "-k", "-L --dereference", "-l --count-links",
        "-m", "-P --no-dereference", "-S --separate-dirs", "--si", "-s --summarize",
        "-t --threshold=SIZE", "--time[=WORD]", "--time-style=STYLE", "-X --exclude-from=FILE",
        "--exclude=PATTERN", "-x --one-file-system", HELP, VERSION]),
    reader(&["lsblk"], &["-a --all", "-b --bytes", "-d --nodeps", "-D --discard",
        "-e --exclude=LIST", "-f --fs", "-I --include=LIST", "-J --json", "-l --list",
        "-m --perms", "-n --noheadings", "-o --output=LIST", "-O --output-all", "-p --paths",
        "-P --pairs", "-r --raw", "-S --scsi", "-s --inverse", "-t --topology", "-T --tree[=ID]",
        "-x --sort=COLUMN", "-z --zoned", HELP, VERSION]),
    reader(&["lscpu"], &["-a --all", "-b --online", "-B --bytes", "-c --offline",
        "-e --extended[=LIST]", "-J --json", "-p --parse[=LIST]", "-s --sysroot=DIR", "-x --hex",
        "-y --physical", "--output-all", HELP, VERSION]),
    reader(&["locale"], &["-a --all-locales", "-m --charmaps", "-c --category-name",
        "-k --keyword-name", "-v --verbose", HELP, VERSION]),
    reader(&["which"], &["-a --all", "-s", HELP, VERSION]),
    reader(&["whereis"], &["-b", "-m", "-s", "-u", "-B=DIRS", "-M=DIRS", "-S=DIRS", "-f",
        "-l", HELP, VERSION]),
    reader(&["type"], &["-a", "-f", "-P", "-p", "-t"]),
    reader(&["zcat", "bzcat", "xzcat", "zstdcat"], &["-f --force", "-q --quiet", "-v --verbose",
        "-d --decompress", "-c --stdout", "-k --keep", "-T --threads=N", HELP, VERSION]),
    reader(&["zipinfo"], &["-1", "-2", "-s", "-m", "-l", "-v", "-h", "-M", "-t", "-T", "-z"]),
    reader(&["pgrep"], &["-d --delimiter=DELIM", "-l --list-name", "-a --list-full",
        "-v --inverse", "-w --lightweight", "-c --count", "-f --full", "-g --pgroup=PGID",
        "-G --group=GID", "-i --ignore-case", "-n --newest", "-o --oldest", "-O --older=SECS",
        "-P --parent=PPID", "-s --session=SID", "-t --terminal=TTY", "-u --euid=ID", "-U --uid=ID",
        "-x --exact", "-F --pidfile=FILE", "-L --logpidfile", "-r --runstates=STATE",
        "-A --ignore-ancestors", "--cgroup=GRP", "--ns=PID", "--nslist=NS",
        "-q --queue=VALUE", HELP, VERSION]),
    reader(&["nproc"], &["--all", "--ignore=N", HELP, VERSION]),
    Program::rated(&["hostnamectl"], &["--json=MODE", "--static", "--transient", "--pretty",
        "-H --host=HOST !net", "-M --machine=NAME", "--no-pager", HELP, VERSION], rate_hostnamectl),
    reader(&["getconf"], &["-a", "-v=SPEC"]),
    reader(&["bc"], &["-l --mathlib", "-q --quiet", "-s --standard", "-w --warn",
        "-i --interactive", "-h --help", "-v --version"]),
    reader(&["jq"], &["-c --compact-output", "-n --null-input", "-e --exit-status", "-s --slurp",
        "-r --raw-output", "-j --join-output", "-a --ascii-output", "-S --sort-keys",
        "-C --color-output", "-M --monochrome-output", "--tab", "--indent=N", "--unbuffered",
        "--stream", "--stream-errors", "--seq", "-f --from-file=FILE", "-L=DIR", "--arg=NAME",
        "--argjson=NAME", "--slurpfile=NAME", "--rawfile=NAME", "--args", "--jsonargs",
        "--raw-input -R", "--raw-output0", "-h", "-V", HELP, VERSION]),
    Program::rated(&["less", "more", "most"], &["-N --LINE-NUMBERS", "-n --line-numbers",
        "-R --RAW-CONTROL-CHARS", "-r --raw-control-chars", "-S --chop-long-lines",
        "-F --quit-if-one-screen", "-X --no-init", "-i --ignore-case", "-I --IGNORE-CASE",
        "-M --LONG-PROMPT", "-m --long-prompt", "-E --QUIT-AT-EOF", "-e --quit-at-eof", "-d",
        "-s --squeeze-blank-lines", "-p --pattern=PATTERN", HELP, VERSION], rate_pager),
    reader(&["tree"], &["-a", "-d", "-l", "-f", "-x", "-L=LEVEL", "-R", "-P=PATTERN", "-I=PATTERN",
        "--gitignore", "--ignore-case", "--matchdirs", "--metafirst", "--prune", "--info",
        "--noreport", "--charset=CHARSET", "--filelimit=N", "-q", "-N", "-Q", "-p", "-u", "-g",
        "-s", "-h", "--si", "--du", "-D", "--timefmt=FORMAT", "-F", "--inodes", "--device", "-v",
        "-t", "-c", "-U", "-r", "--dirsfirst", "--filesfirst", "--sort=TYPE", "-i", "-A", "-S",
        "-n", "-C", "-X", "-J", "-H=BASEHREF", "-T=TITLE", "--nolinks", "--fromfile",
        "--hintro=FILE", "--houtro=FILE", "-o=FILE !write", HELP, VERSION]),
    reader(&["base64", "base32", "basenc"], &["-d --decode", "-i --ignore-garbage",
        "-w --wrap=COLS", "--base64", "--base64url", "--base32", "--base32hex", "--base16",
        "--base2msbf", "--base2lsbf", "--z85", HELP, VERSION]),
    reader(&["strings"], &["-a --all", "-d --data", "-f --print-file-name", "-n --bytes=MIN",
        "-t --radix=RADIX", "-e --encoding=ENC", "-w --include-all-whitespace", "-o",
        "-s --output-separator=SEP", "-U --unicode=MODE", HELP, "-v -V --version"]),
    Program { numeric: true, ..reader(&["od"], &["-A --address-radix=RADIX", "-j --skip-bytes=N",
        "-N --read-bytes=N", "-S --strings[=N]", "-t --format=TYPE", "-v --output-duplicates",
        "-w --width[=N]", "-a", "-b", "-c", "-d", "-f", "-i", "-l", "-o", "-s", "-x",
        "--endian=ORDER", "--traditional", HELP, VERSION]) },
    reader(&["hexdump", "hd"], &["-b --one-byte-octal", "-c --one-byte-char", "-C --canonical",
        "-d --two-bytes-decimal", "-o --two-bytes-octal", "-x --two-bytes-hex", "-e --format=FMT",
        "-f --format-file=FILE", "-n --length=LEN", "-s --skip=OFF", "-v --no-squeezing",
        "-L --color[=WHEN]", "-h --help", "-V --version"]),
    // Their words are expressions (`-f x`), not options.
    Program { takes_options: false, rate: Some(rate_test), ..reader(&["test", "[", "[["], &[]) },
];

/// `less +CMD` runs a pager command at start (`+!cmd` is a shell escape).
fn rate_pager(ctx: &mut super::Ctx<'_>) {
    let program = ctx.cmd.program.clone();
    for operand in ctx.operands() {
        if operand.starts_with('+') {
            ctx.destructive(format!(
                "{program} {operand} runs a pager command, which can run programs"
            ));
        } else {
            super::check_secret(ctx, &operand);
        }
    }
}

/// `hostnamectl` and `hostnamectl status` show; every other verb
/// (`set-hostname`, `hostname NAME`, `icon-name NAME`, …) with an operand
/// changes the machine's names.
fn rate_hostnamectl(ctx: &mut super::Ctx<'_>) {
    let operands = ctx.operands();
    let shows = match operands.as_slice() {
        [] => true,
        [verb] => matches!(
            verb.as_str(),
            "status" | "hostname" | "icon-name" | "chassis" | "deployment" | "location"
        ),
        _ => false,
    };
    if !shows {
        ctx.destructive("hostnamectl with a value changes the machine's names");
    }
}

/// `test -v 'a[$(cmd)]'` evaluates the subscript, and `test x -eq y`
/// evaluates both sides as arithmetic, where a name's value can hold
/// `a[$(cmd)]`: only literal names and numbers stay read-only.
fn rate_test(ctx: &mut super::Ctx<'_>) {
    // `[ … ]` and `[[ … ]]` are checked where they are parsed (shell::walk),
    // with what is known of each name; the `test` command is not.
    if ctx.cmd.program != "test" {
        return;
    }
    let words = ctx.cmd.word_values();
    let arithmetic = ["-eq", "-ne", "-lt", "-le", "-gt", "-ge"];
    for (index, word) in words.iter().enumerate() {
        let next = words.get(index + 1).map_or("", String::as_str);
        let before = index
            .checked_sub(1)
            .and_then(|i| words.get(i))
            .map_or("", String::as_str);
        if word == "-v" && next.contains('[') {
            ctx.moderate("test -v NAME[…] evaluates the subscript, which can run commands");
        }
        if arithmetic.contains(&word.as_str()) {
            let is_number = |w: &str| {
                let digits = w.strip_prefix('-').unwrap_or(w);
                !digits.is_empty() && digits.chars().all(|c| c.is_ascii_digit())
            };
            if !is_number(before) || !is_number(next) {
                ctx.moderate(format!(
                    "test {word} evaluates its operands as arithmetic, which can run commands"
                ));
            }
        }
    }
}

/// `diff -r A B` prints every file below both folders, keys included.
fn rate_diff(ctx: &mut super::Ctx<'_>) {
    let recursive = ctx.has("-r");
    for operand in ctx.operands() {
        if recursive {
            super::check_secret_tree(ctx, &operand, false);
        } else {
            super::check_secret(ctx, &operand);
        }
    }
}
