//! Text tools whose options or scripts can write or run programs: `sed`
//! (`-i`, `w`, `e`), `awk` (`system`, pipes, program files), `sort -o` and
//! `--compress-program`, `uniq OUT`, `grep`, `rg --pre`.

use super::{Ctx, Program, check_secret, check_secret_tree};

#[rustfmt::skip]
const SED: &[&str] = &[
    "-n --quiet --silent", "--debug", "-e --expression=SCRIPT", "-f --file=FILE !exec",
    "--follow-symlinks", "-i --in-place[=SUFFIX]", "-l --line-length=N", "--posix",
    "-E -r --regexp-extended", "-s --separate", "--sandbox", "-u --unbuffered", "-z --null-data",
    "--help", "--version",
];
#[rustfmt::skip]
const AWK: &[&str] = &[
    "-F --field-separator=FS", "-v --assign=VAR", "-f --file=FILE !exec",
    "-e --source=PROGRAM !exec", "-i --include=FILE !exec", "-l --load=LIB !exec",
    "-E --exec=FILE !exec", "-b --characters-as-bytes", "-c --traditional", "-P --posix",
    "-S --sandbox", "-n --non-decimal-data", "-O --optimize", "-s --no-optimize", "-t --lint-old",
    "-L --lint[=VALUE]", "-M --bignum", "-N --use-lc-numeric", "-r --re-interval", "--csv",
    "--help -h", "--version -V",
];
#[rustfmt::skip]
const SORT: &[&str] = &[
    "-b --ignore-leading-blanks", "-d --dictionary-order", "-f --ignore-case",
    "-g --general-numeric-sort", "-i --ignore-nonprinting", "-M --month-sort",
    "-h --human-numeric-sort", "-n --numeric-sort", "-R --random-sort", "--random-source=FILE",
    "-r --reverse", "--sort=WORD", "-V --version-sort", "--batch-size=N", "-c --check[=DIAG]", "-C",
    "--compress-program=PROG !exec", "--debug", "--files0-from=F", "-k --key=KEYDEF", "-m --merge",
    "-o --output=FILE !write", "-s --stable", "-S --buffer-size=SIZE", "-t --field-separator=SEP",
    "-T --temporary-directory=DIR", "--parallel=N", "-u --unique", "-z --zero-terminated", "--help",
    "--version",
];
#[rustfmt::skip]
const UNIQ: &[&str] = &[
    "-c --count", "-d --repeated", "-D", "--all-repeated[=METHOD]", "-f --skip-fields=N",
    "--group[=METHOD]", "-i --ignore-case", "-s --skip-chars=N", "-u --unique",
    "-z --zero-terminated", "-w --check-chars=N", "--help", "--version",
];
#[rustfmt::skip]
const GREP: &[&str] = &[
    "-E --extended-regexp", "-F --fixed-strings", "-G --basic-regexp", "-P --perl-regexp",
    "-e --regexp=PATTERNS", "-f --file=FILE", "-i -y --ignore-case", "--no-ignore-case",
    "-w --word-regexp", "-x --line-regexp", "-z --null-data", "-s --no-messages",
    "-v --invert-match", "-V --version", "--help", "-m --max-count=NUM", "-b --byte-offset",
    "-n --line-number", "--line-buffered", "-H --with-filename", "-h --no-filename",
    "--label=LABEL", "-o --only-matching", "-q --quiet --silent", "--binary-files=TYPE",
    "-a --text", "-I", "-d --directories=ACTION", "-D --devices=ACTION", "-r --recursive",
    "-R --dereference-recursive", "--include=GLOB", "--exclude=GLOB", "--exclude-from=FILE",
    "--exclude-dir=GLOB", "-L --files-without-match", "-l --files-with-matches", "-c --count",
    "-T --initial-tab", "-Z --null", "-B --before-context=NUM", "-A --after-context=NUM",
    "-C --context=NUM", "--group-separator=SEP", "--no-group-separator",
    "--color[=WHEN] --colour[=WHEN]", "-U --binary",
];
#[rustfmt::skip]
const RG: &[&str] = &[
    "-e --regexp=PATTERN", "-f --file=PATTERNFILE", "--pre=COMMAND !exec", "--pre-glob=GLOB",
    "--hostname-bin=COMMAND !exec", "-z --search-zip", "-A --after-context=NUM",
    "-B --before-context=NUM", "-C --context=NUM", "-c --count", "--count-matches",
    "-F --fixed-strings", "-g --glob=GLOB", "--iglob=GLOB", "-i --ignore-case", "-S --smart-case",
    "-s --case-sensitive", "-l --files-with-matches", "--files-without-match", "--files",
    "-L --follow", "-M --max-columns=NUM", "--max-columns-preview", "-m --max-count=NUM",
    "-d --max-depth=NUM --maxdepth=NUM", "--max-filesize=NUM", "-n --line-number",
    "-N --no-line-number", "-o --only-matching", "-p --pretty", "-q --quiet",
    "-r --replace=REPLACEMENT", "-t --type=TYPE", "-T --type-not=TYPE", "--type-list",
    "-u --unrestricted", "-uu", "-v --invert-match", "-w --word-regexp", "-x --line-regexp",
    "-H --with-filename", "-I --no-filename", "--hidden", "--no-ignore", "--no-ignore-vcs",
    "--no-ignore-dot", "--no-ignore-parent", "--no-ignore-global", "--no-ignore-exclude",
    "--no-heading", "--heading", "--color=WHEN", "--colors=SPEC", "--column", "--no-messages",
    "--sort=SORTBY", "--sortr=SORTBY", "--stats", "--json", "-0 --null", "-U --multiline",
    "--multiline-dotall", "-P --pcre2", "-a --text", "-E --encoding=ENCODING", "-j --threads=NUM",
    "--trim", "--vimgrep", "-b --byte-offset", "--passthru", "--debug", "--trace", "-h --help",
    "-V --version",
];

/// Text tools.
pub(super) const TEXT: &[Program] = &[
    Program::rated(&["sed", "gsed"], SED, rate_sed),
    Program::rated(&["awk", "gawk", "mawk", "nawk"], AWK, rate_awk),
    Program::rated(&["sort"], SORT, rate_operands_read),
    Program::rated(&["uniq"], UNIQ, rate_uniq),
    Program::rated(&["grep", "egrep", "fgrep", "zgrep"], GREP, rate_grep),
    Program::rated(&["rg"], RG, rate_grep),
];

fn rate_operands_read(ctx: &mut Ctx<'_>) {
    for operand in ctx.operands() {
        check_secret(ctx, &operand);
    }
}

fn rate_grep(ctx: &mut Ctx<'_>) {
    let patterns_given = ctx.has("-e") || ctx.has("-f");
    let operands = ctx.operands();
    let files = if patterns_given {
        &operands[..]
    } else {
        operands.get(1..).unwrap_or_default()
    };
    // `rg` always descends, but skips hidden directories unless asked.
    let (recursive, skips_hidden) = if ctx.cmd.program == "rg" {
        let unrestricted = ctx.parsed.options.iter().filter(|o| o.name == "-u").count();
        (
            true,
            !(ctx.has("--hidden") || ctx.has("-uu") || unrestricted >= 2),
        )
    } else {
        let recurse =
            ctx.has("-r") || ctx.has("-R") || ctx.value("-d").as_deref() == Some("recurse");
        (recurse, false)
    };
    for file in files {
        if recursive {
            check_secret_tree(ctx, file, skips_hidden);
        } else {
            check_secret(ctx, file);
        }
    }
    // With no folder named a recursive search reads the working directory
    // (`cd ~ && grep -r key`).
    if recursive && files.is_empty() {
        check_secret_tree(ctx, ".", skips_hidden);
    }
}

fn rate_sed(ctx: &mut Ctx<'_>) {
    let given: Vec<String> = ctx
        .parsed
        .options
        .iter()
        .filter(|o| o.name == "-e")
        .filter_map(|o| o.value.clone())
        .collect();
    let operands = ctx.operands();
    let (scripts, files) = if given.is_empty() && !ctx.has("-f") {
        (
            operands.first().cloned().into_iter().collect::<Vec<_>>(),
            operands.get(1..).unwrap_or_default().to_vec(),
        )
    } else {
        (given, operands)
    };
    let mut reads = Vec::new();
    // Once a script writes or runs, the step asks whatever else it reads.
    let runs_or_writes = scripts
        .iter()
        .any(|s| sed_script_runs_or_writes(s, &mut reads));
    // `sed 'r ~/.ssh/id_rsa' README` prints the key after every line.
    for file in &reads {
        check_secret(ctx, file);
    }
    if runs_or_writes {
        ctx.destructive(
            "the sed script writes files or runs commands (w, W, e, r/R of files is fine)",
        );
    }
    if ctx.has("-i") {
        for file in &files {
            ctx.write(file, "edits in place");
        }
        if files.is_empty() {
            ctx.destructive("sed -i edits files the engine cannot see");
        }
    } else {
        for file in &files {
            check_secret(ctx, file);
        }
    }
}

/// Whether a sed script uses a command or `s` flag that writes files or runs
/// commands: `w`/`W` (write), `e` (execute), and the `w`/`e` flags of `s`.
/// It reads the script command by command, so `1!e cmd` and `$e` are found
/// while `s/we are/x/` is not a `w`.
/// The files its `r`/`R` commands read are added to `reads`.
pub(super) fn sed_script_runs_or_writes(script: &str, reads: &mut Vec<String>) -> bool {
    let bytes = script.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        // Skip addresses: numbers, $, /regex/, \cREGEXc, ranges, steps, `!`.
        loop {
            let after_regex = i > 0 && bytes[i - 1] == b'/';
            match bytes.get(i) {
                Some(
                    b'0'..=b'9'
                    | b' '
                    | b'\t'
                    | b'\n'
                    | b';'
                    | b'!'
                    | b','
                    | b'~'
                    | b'$'
                    | b'+'
                    | b'{'
                    | b'}',
                ) => {
                    i += 1;
                }
                Some(b'I' | b'M') if after_regex => i += 1,
                Some(b'/') => i = skip_delimited(bytes, i + 1, b'/'),
                Some(b'\\') => match bytes.get(i + 1) {
                    Some(&delim) => i = skip_delimited(bytes, i + 2, delim),
                    None => return true,
                },
                _ => break,
            }
        }
        let Some(&command) = bytes.get(i) else {
            return false;
        };
        i += 1;
        match command {
            b's' | b'y' => {
                let Some(&delim) = bytes.get(i) else {
                    return true;
                };
                i = skip_delimited(bytes, i + 1, delim);
                i = skip_delimited(bytes, i, delim);
                // Flags of `s`: w FILE writes, e executes the pattern space.
                while let Some(&flag) = bytes.get(i) {
                    match flag {
                        b'w' | b'e' => return true,
                        b'g' | b'p' | b'i' | b'I' | b'm' | b'M' | b'0'..=b'9' => i += 1,
                        _ => break,
                    }
                }
            }
            // Commands whose argument runs to the end of the line.
            b'a' | b'i' | b'c' | b'r' | b'R' | b'b' | b't' | b'T' | b':' | b'q' | b'Q' | b'l'
            | b'L' | b'#' => {
                let start = i;
                while bytes.get(i).is_some_and(|&b| {
                    b != b'\n'
                        && !(matches!(command, b'b' | b't' | b'T' | b'q' | b'Q' | b'l' | b'L')
                            && b == b';')
                }) {
                    i += 1;
                }
                if matches!(command, b'r' | b'R') {
                    let file = String::from_utf8_lossy(&bytes[start..i]).trim().to_owned();
                    if !file.is_empty() {
                        reads.push(file);
                    }
                }
            }
            b'p' | b'P' | b'd' | b'D' | b'n' | b'N' | b'g' | b'G' | b'h' | b'H' | b'x' | b'='
            | b'z' | b'F' => {}
            // `w`/`W` write, `e` executes; anything unknown: assume the worst.
            _ => return true,
        }
    }
    false
}

/// Index just past the closing `delim`, honouring backslash escapes.
fn skip_delimited(bytes: &[u8], mut i: usize, delim: u8) -> usize {
    while let Some(&b) = bytes.get(i) {
        if b == b'\\' {
            i += 2;
            continue;
        }
        i += 1;
        if b == delim {
            break;
        }
    }
    i
}

fn rate_awk(ctx: &mut Ctx<'_>) {
    let operands = ctx.operands();
    let program = operands.first().map_or("", String::as_str);
    let code = without_strings(program);
    if program.contains("system")
        || code.contains('|')
        || prints_to_file(&code)
        || program.contains("getline")
        // gawk's `@load`, `@include` and indirect calls (`@f()`).
        || code.contains('@')
        || program.contains("ENVIRON")
        // `ARGV[1] = ".env"` picks the input files inside the program.
        || program.contains("ARGV")
    {
        ctx.destructive("the awk program runs commands, reads other input or writes files");
    }
    for file in operands.get(1..).unwrap_or_default().to_vec() {
        check_secret(ctx, &file);
    }
}

/// An awk program with the text of its string literals left out (`"}"`
/// becomes `""`), so that a `;` or `}` in a string does not end a statement.
fn without_strings(program: &str) -> String {
    let mut code = String::with_capacity(program.len());
    let mut in_string = false;
    let mut escaped = false;
    for c in program.chars() {
        if in_string {
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == '"' {
                in_string = false;
                code.push(c);
            }
        } else {
            in_string = c == '"';
            code.push(c);
        }
    }
    code
}

/// Whether a `print`/`printf` statement in an awk program redirects to a
/// file (`print > "f"`); `$3 > 100` outside a print is a comparison.
fn prints_to_file(program: &str) -> bool {
    program.match_indices("print").any(|(at, _)| {
        program[at..]
            .split([';', '}', '\n'])
            .next()
            .is_some_and(|statement| statement.contains('>'))
    })
}

fn rate_uniq(ctx: &mut Ctx<'_>) {
    let operands = ctx.operands();
    if let Some(output) = operands.get(1) {
        ctx.write(output, "uniq writes");
    }
    if let Some(input) = operands.first() {
        check_secret(ctx, input);
    }
}

#[cfg(test)]
mod tests {
    use super::sed_script_runs_or_writes;
    use crate::risk::tests::level_of;

    #[test]
    fn sed_writing_commands_are_detected() {
        for (script, expected) in [
            ("s/a/b/g", false),
            ("s/we are/x/", false),
            ("1,5p", false),
            ("/foo/d", false),
            ("s/a/b/w out.txt", true),
            ("/x/w out", true),
            ("1e", true),
            ("1!e rm -rf x", true),
            ("$!N;W log", true),
            ("s/x/date/e", true),
            ("y/abc/xyz/", false),
            ("/start/,/end/p", false),
        ] {
            assert_eq!(
                sed_script_runs_or_writes(script, &mut Vec::new()),
                expected,
                "{script}"
            );
        }
    }

    #[test]
    fn accepts_reading_text_tools() {
        for command in [
            "sed -n '1,10p' f",
            "sed --quiet -e 's/a/b/' f",
            "awk '{print $1}' f",
            "awk '$3 > 100 {print $1}' f",
            "sort -rn f",
            "sort -k2,2 -t, f",
            "uniq -c f",
            "grep -rn TODO src",
            "rg -i foo",
        ] {
            assert_eq!(level_of(command), "safe", "{command}");
        }
    }

    #[test]
    fn rejects_text_tools_that_write_or_run() {
        for command in [
            "sed --in-pla s/a/b/ f",
            "sed -i s/a/b/ f",
            "sed '1!e rm -rf .' f",
            "sort --outp=f x",
            "sort -o f x",
            "sort --compress-program=sh x",
            "awk -e 'BEGIN{system(\"rm x\")}'",
            "awk --source 'BEGIN{}'",
            "awk -f prog.awk f",
            "awk 'BEGIN{system(\"id\")}'",
            "awk '{print > \"out\"}' f",
            "awk '{print $1 | \"sh\"}' f",
            "rg --pre sh foo",
            "rg --hostname-bin=./x foo",
            "uniq a b",
            "grep foo ~/.ssh/id_rsa",
        ] {
            assert_ne!(level_of(command), "safe", "{command}");
        }
    }

    #[test]
    fn a_recursive_search_of_a_tree_that_holds_credentials_reads_secrets() {
        for command in [
            "grep -r AWS ~/.aws",
            "grep -R password ~",
            "grep --directories=recurse key /etc",
            "rg secret ~/.aws",
            "rg --hidden token ~",
            "rg -uu token ~",
            "cat ~/.aws/*",
            "head ~/.a*/cred*",
            "cat /etc/shadow",
        ] {
            assert_eq!(level_of(command), "moderate", "{command}");
        }
        // Not below: rg skips hidden directories, a plain glob skips dot names.
        for command in ["grep -r TODO .", "rg token ~", "ls ~/*", "grep -r x src"] {
            assert_eq!(level_of(command), "safe", "{command}");
        }
    }
}
