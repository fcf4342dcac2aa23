//! Intents that read file contents (search, line and word counts, head, tail,
//! cat) and work with archives (create, list, extract). Reads are read-only
//! bash; archive creation and extraction write new files and are rated
//! moderate, and extraction never overwrites existing files.

use std::path::{Path, PathBuf};

use crate::plan::{FsAction, Plan, SafetyLevel};

use super::intent::{Effect, Intent};
use super::intents_files::find_command;
use super::query::Query;
use super::quote::quote;
use super::steps::{arg, bash, fs, plan, read, text};

/// The content and archive intents.
pub(super) const INTENTS: &[Intent] = &[
    Intent {
        name: "search_text",
        effect: Effect::Reads,
        examples: &[
            "search for TODO in src",
            "find 'parse_config' in *.rs files",
            "grep \"timeout\" in ~/project",
        ],
        all: &[
            &[
                "search",
                "grep",
                "find",
                "look",
                "where",
                "which files",
                "show",
                "print",
                "lines",
            ],
            &[
                "<search_quoted>",
                "with",
                "matching",
                "defined",
                "declared",
                "implemented",
                "for",
                "todo*",
                "fixme*",
                "contain*",
                "mention*",
                "occurrence*",
                "text",
                "string",
                "grep",
                "used",
            ],
        ],
        any: &["in", "files"],
        none: &[
            "<size>",
            "<age>",
            "named",
            "called",
            "<archive>",
            "in the name",
            "in their name",
            "name contains",
            "names contain",
            "whose name",
            "name containing",
            "how many",
            "count",
            "number of",
            "staged",
            "unstaged",
            "<numbered_file>",
        ],
        build: search_text,
    },
    Intent {
        name: "count_lines",
        effect: Effect::Reads,
        examples: &[
            "count the lines in src/main.rs",
            "how many lines of rust code are in src",
        ],
        all: &[
            &["count", "how many", "number of", "wc", "total"],
            &["lines", "line", "loc", "-l"],
        ],
        any: &["code"],
        none: &[
            "contain*",
            "matching",
            "mention*",
            "with",
            "<qualified_lines>",
        ],
        build: count_lines,
    },
    Intent {
        name: "count_words",
        effect: Effect::Reads,
        examples: &["count the words in README.md"],
        all: &[
            &["count", "how many", "number of", "wc", "word count"],
            &["words", "word", "word count"],
            &["<file>", "<quoted>"],
        ],
        any: &[],
        none: &[],
        build: count_words,
    },
    Intent {
        name: "head_file",
        effect: Effect::Reads,
        examples: &["show the first 20 lines of src/main.rs", "head README.md"],
        all: &[
            &["first", "head", "top", "beginning", "start"],
            &["<file>", "<quoted>"],
        ],
        any: &["lines", "show"],
        // "lines starting with #" is a search.
        none: &["<archive>", "<starts_with>"],
        build: head_file,
    },
    Intent {
        name: "tail_file",
        effect: Effect::Reads,
        examples: &["show the last 50 lines of app.log", "tail server.log"],
        all: &[&["last", "tail", "end", "bottom"], &["<file>", "<quoted>"]],
        any: &["lines", "show"],
        // "who changed it last" asks git; "lines ending with ;" is a search.
        none: &[
            "<archive>",
            "<age>",
            "commit*",
            "who",
            "<ends_with>",
            // Following a file never ends; a step must.
            "follow*",
            "watch*",
            "live",
            "stream*",
        ],
        build: tail_file,
    },
    Intent {
        name: "show_file",
        effect: Effect::Reads,
        examples: &["show me README.md", "cat config.toml"],
        all: &[
            &[
                "cat",
                "show",
                "print",
                "display",
                "read",
                "open",
                "view",
                "contents",
                "whats in",
                "what is in",
            ],
            &["<file>", "<quoted>"],
        ],
        any: &["file", "contents"],
        none: &[
            "<archive>",
            // Opening in an editor is not printing.
            "vim",
            "vi",
            "nano",
            "emacs",
            "editor",
            "vscode",
            "first",
            "last",
            "head",
            "tail",
            "lines",
            "words",
            "size",
            "big",
            "read only",
            "read-only",
            "readonly",
            "executable",
            "permission*",
            "chmod",
            "<line_range>",
        ],
        build: show_file,
    },
    Intent {
        name: "archive_create",
        effect: Effect::Changes,
        examples: &[
            "compress the docs folder into docs.tar.gz",
            "zip the src folder",
            "make a tarball of logs",
        ],
        all: &[&[
            "compress", "zip", "tar", "archive", "tarball", "pack", "bundle", "back up", ".tar.gz",
            "tar.gz", ".tgz", "tgz", ".zip",
        ]],
        any: &["folder", "into"],
        none: &[
            "extract",
            "unzip",
            "unpack",
            "decompress",
            "untar",
            "list",
            "contents",
            "whats in",
            "what is in",
            "inside",
            "<size>",
        ],
        build: archive_create,
    },
    Intent {
        name: "archive_list",
        effect: Effect::Reads,
        examples: &[
            "list the contents of backup.tar.gz",
            "what's inside files.zip",
        ],
        all: &[
            &[
                "list", "show", "whats", "what is", "contents", "inside", "peek", "files in",
            ],
            &["<archive>"],
        ],
        any: &["contents"],
        none: &["extract", "unzip", "unpack", "decompress", "untar"],
        build: archive_list,
    },
    Intent {
        name: "archive_extract",
        effect: Effect::Changes,
        examples: &["extract backup.tar.gz", "unzip photos.zip into ~/Pictures"],
        all: &[
            &[
                "extract",
                "unzip",
                "unpack",
                "decompress",
                "untar",
                "expand",
            ],
            &["<archive>"],
        ],
        any: &["into", "to"],
        none: &[],
        build: archive_extract,
    },
];

/// The text a search is for: TODO/FIXME, a quoted span, or the word after
/// "for"/"containing"/… ("the word name" is `name`).
pub(super) fn search_pattern(query: &Query<'_>) -> Result<(String, bool), String> {
    const FILLER: [&str; 11] = [
        "the", "word", "words", "string", "text", "phrase", "term", "a", "for", "whole", "exact",
    ];
    if query.has_any(&["todo*"]) && query.has_any(&["fixme*"]) {
        return Ok(("TODO|FIXME".to_owned(), true));
    }
    if query.has("todo*") {
        return Ok(("TODO".to_owned(), false));
    }
    if query.has("fixme*") {
        return Ok(("FIXME".to_owned(), false));
    }
    if let Some(quoted) = query.quoted_terms().first() {
        return Ok(((*quoted).to_owned(), false));
    }
    // "where is parse_config defined": the word before "defined".
    if let Some(at) = (0..query.tokens.len())
        .find(|&index| matches!(query.lower(index), "defined" | "declared" | "implemented"))
        && let Some(token) = query.tokens[..at]
            .iter()
            .rev()
            .find(|token| {
                !matches!(
                    token.lower.as_str(),
                    "is" | "are" | "the" | "function" | "class"
                )
            })
            .filter(|token| !matches!(token.lower.as_str(), "where" | "what"))
    {
        return Ok((token.raw.clone(), false));
    }
    let anchor = (0..query.tokens.len())
        .find(|&index| {
            matches!(
                query.lower(index),
                "for"
                    | "grep"
                    | "containing"
                    | "contains"
                    | "contain"
                    | "mentioning"
                    | "mention"
                    | "with"
                    | "does"
            )
        })
        .ok_or("put the text to search for in quotes, e.g. search for \"timeout\" in src.")?;
    query
        .tokens
        .iter()
        .skip(anchor + 1)
        .find(|token| !FILLER.contains(&token.lower.as_str()) && !token.raw.starts_with('-'))
        .map(|token| (token.raw.clone(), false))
        .ok_or_else(|| {
            "put the text to search for in quotes, e.g. search for \"timeout\" in src.".to_owned()
        })
}

/// Whether "with line numbers" asks to number a shown file ("show a.txt
/// with line numbers") rather than to number the lines a search finds.
pub(super) fn asks_numbered_file(query: &Query<'_>) -> bool {
    query.has_any(&["with line numbers", "with numbers"])
        && query.quoted().is_empty()
        && !query.has_any(&[
            "search", "grep", "find", "for", "contain*", "matching", "mention*", "todo*", "fixme*",
        ])
}

/// Folders the request excludes ("excluding vendor", "except the tests folder").
pub(super) fn excluded_dirs(query: &Query<'_>) -> Vec<String> {
    const FILLER: [&str; 5] = ["the", "folder", "directory", "dir", "my"];
    let excluded: Vec<String> = (0..query.tokens.len())
        .filter(|&index| {
            matches!(
                query.lower(index),
                "excluding"
                    | "except"
                    | "exclude"
                    | "skip"
                    | "skipping"
                    | "ignore"
                    | "ignoring"
                    | "without"
            )
        })
        .filter_map(|index| {
            query
                .tokens
                .iter()
                .skip(index + 1)
                .find(|token| !FILLER.contains(&token.lower.as_str()))
                .filter(|token| !matches!(token.lower.as_str(), "case" | "binary" | "hidden"))
                .map(|token| token.raw.trim_end_matches('/').to_owned())
        })
        .collect();
    if !excluded.is_empty() {
        query.note_negation_read();
    }
    excluded
}

/// Where a search looks: the place after "in/under/…", else a folder or
/// file named elsewhere in the request ("grep ERROR logs/app.log"), never
/// the searched text itself or an excluded folder; else the cwd.
fn search_target(query: &Query<'_>, pattern: &str, excluded: &[String]) -> PathBuf {
    let usable = |index: &usize| {
        let raw = &query.tokens[*index].raw;
        raw != pattern && !excluded.contains(raw)
    };
    query
        .path_after(&["in", "under", "inside", "within", "of"])
        .filter(|(index, _)| usable(index))
        .or_else(|| query.location_slot().filter(|(index, _)| usable(index)))
        .map_or_else(|| query.resolve("."), |(_, dir)| dir)
}

/// grep's options for how the text matches: `-i` when case is to be ignored
/// (asked, typed as `-i`, or a lowercase "todo"/"fixme", which is meant as
/// the marker in any case), `-w` for a whole word; "case sensitive" wins.
fn match_options(query: &Query<'_>) -> String {
    let case_sensitive = query.has_any(&[
        "case sensitive",
        "case-sensitive",
        "match case",
        "matching case",
        "exact case",
    ]);
    let marker_in_lowercase = query.tokens.iter().any(|token| {
        (token.lower.starts_with("todo") || token.lower.starts_with("fixme"))
            && token.raw == token.lower
    });
    let ignore_case = query.has_any(&[
        "ignore case",
        "ignoring case",
        "case insensitive",
        "case-insensitive",
        "any case",
        "-i",
    ]) || marker_in_lowercase;
    let mut options = String::new();
    if ignore_case && !case_sensitive {
        options.push_str(" -i");
    }
    if query.has_any(&[
        "whole word",
        "whole words",
        "as a word",
        "full word",
        "exact word",
        "-w",
    ]) {
        options.push_str(" -w");
    }
    options
}

/// Words that anchor a searched text to the start of the line.
pub(super) const STARTS_WITH: [&str; 6] = [
    "start with",
    "starts with",
    "starting with",
    "begin with",
    "begins with",
    "beginning with",
];
/// Words that anchor a searched text to the end of the line.
pub(super) const ENDS_WITH: [&str; 3] = ["end with", "ends with", "ending with"];

/// The pattern anchored to the start or end of the line when the request
/// says "starting with"/"ending with"; the text stays literal.
fn anchored(query: &Query<'_>, pattern: &str, is_regex: bool) -> (String, bool) {
    let at_start = query.has_any(&STARTS_WITH);
    let at_end = query.has_any(&ENDS_WITH);
    if !at_start && !at_end {
        return (pattern.to_owned(), is_regex);
    }
    let body = if is_regex {
        format!("({pattern})")
    } else {
        ere_literal(pattern)
    };
    let start = if at_start { "^" } else { "" };
    let end = if at_end { "$" } else { "" };
    (format!("{start}{body}{end}"), true)
}

/// `text` as an extended regular expression that matches only itself.
pub(super) fn ere_literal(text: &str) -> String {
    text.chars()
        .flat_map(|c| {
            let escape = "\\.[]*^$+?(){}|".contains(c).then_some('\\');
            escape.into_iter().chain(std::iter::once(c))
        })
        .collect()
}

fn search_text(query: &Query<'_>) -> Result<Plan, String> {
    let (pattern, is_regex) = search_pattern(query)?;
    let excluded = excluded_dirs(query);
    let dir = search_target(query, &pattern, &excluded);
    let (searched, is_regex) = anchored(query, &pattern, is_regex);
    let is_file = query
        .file_index()
        .is_some_and(|index| query.resolve(&query.tokens[index].raw) == dir);
    let inverted = inverted_match(query)?;
    let mut command = String::from(match (is_file, inverted) {
        (true, None) => "grep -n",
        (false, None) => "grep -rn",
        (true, Some(Inverted::Lines)) => "grep -vn",
        (false, Some(Inverted::Lines)) => "grep -rvn",
        (_, Some(Inverted::Files)) => "grep -rL",
    });
    if is_regex {
        command.push_str(" -E");
    }
    command.push_str(&match_options(query));
    if !is_file {
        for include in query.name_patterns() {
            command.push_str(&format!(" --include {}", quote(&include)));
        }
        for exclude in &excluded {
            command.push_str(&format!(" --exclude-dir {}", quote(exclude)));
        }
        if super::intents_files::walks_a_repository(query, &dir) {
            command.push_str(" --exclude-dir .git");
        }
    }
    command.push_str(&format!(" -e {} -- {}", quote(&searched), arg(&dir)));
    let place = if is_file {
        text(&dir)
    } else {
        format!("the files under {}", text(&dir))
    };
    let (interpretation, step) = match inverted {
        None => (
            format!("Search for \"{pattern}\" in {place}"),
            format!("Show each line containing \"{pattern}\" with its file and line number"),
        ),
        Some(Inverted::Lines) => (
            format!("Show the lines without \"{pattern}\" in {}", text(&dir)),
            format!("Show each line that does not contain \"{pattern}\", with its line number"),
        ),
        Some(Inverted::Files) => (
            format!("List the files under {} without \"{pattern}\"", text(&dir)),
            format!("List each file that does not contain \"{pattern}\""),
        ),
    };
    Ok(plan(
        interpretation,
        vec![read(step, command)],
        "grep reads the files and prints what was asked for; nothing is changed.",
    ))
}

/// What a search that asks for the text's absence shows.
#[derive(Clone, Copy)]
enum Inverted {
    /// "lines that don't contain X": `grep -v`.
    Lines,
    /// "files that don't contain X": `grep -L`.
    Files,
}

/// Whether the request asks for what does NOT contain the text, and then
/// whether for lines or for files; neither said is a question back.
fn inverted_match(query: &Query<'_>) -> Result<Option<Inverted>, String> {
    const ABSENCE: [&str; 8] = [
        "not contain*",
        "dont contain*",
        "doesnt contain*",
        "not match*",
        "dont match*",
        "doesnt match*",
        "not mention*",
        "dont mention*",
    ];
    if !query.has_any(&ABSENCE) {
        return Ok(None);
    }
    query.note_negation_read();
    if query.has_any(&["line", "lines"]) {
        Ok(Some(Inverted::Lines))
    } else if query.has_any(&["file", "files"]) {
        Ok(Some(Inverted::Files))
    } else {
        Err(
            "say whether you want the lines or the files that do not contain it, \
             e.g. \"show the lines in app.log that don't contain DEBUG\"."
                .to_owned(),
        )
    }
}

fn file_or_err(query: &Query<'_>, example: &str) -> Result<PathBuf, String> {
    query
        .file_index()
        .map(|index| query.tokens[index].raw.as_str())
        .or_else(|| query.quoted().first().copied())
        .map(|raw| query.resolve(raw))
        .ok_or_else(|| format!("say which file, e.g. \"{example}\"."))
}

fn count_lines(query: &Query<'_>) -> Result<Plan, String> {
    if let Some(index) = query.file_index() {
        let file = query.resolve(&query.tokens[index].raw);
        return Ok(plan(
            format!("Count the lines in {}", text(&file)),
            vec![read(
                format!("Count the lines of {}", text(&file)),
                format!("wc -l -- {}", arg(&file)),
            )],
            "wc -l counts newline characters.",
        ));
    }
    let dir = query.location();
    let (find, _) = find_command(query, &dir);
    if query.has_any(&[
        "each file",
        "every file",
        "per file",
        "by file",
        "each of the files",
        "for each",
    ]) {
        return Ok(plan(
            format!("Count the lines of each file under {}", text(&dir)),
            vec![read(
                format!(
                    "Lines of each matching file under {}, then the total",
                    text(&dir)
                ),
                format!("{find} -print0 | wc -l --files0-from=-"),
            )],
            "find lists the files and wc prints each one's lines, then the total.",
        ));
    }
    Ok(plan(
        format!("Count the lines in the files under {}", text(&dir)),
        vec![read(
            format!("Total lines of the matching files under {}", text(&dir)),
            format!("{find} -print0 | wc -l --files0-from=- | tail -n 1"),
        )],
        "find lists the files and wc adds up their lines; the last line is the total.",
    ))
}

fn count_words(query: &Query<'_>) -> Result<Plan, String> {
    let file = file_or_err(query, "count the words in README.md")?;
    Ok(plan(
        format!("Count the words in {}", text(&file)),
        vec![read(
            format!("Count the words of {}", text(&file)),
            format!("wc -w -- {}", arg(&file)),
        )],
        "wc -w counts whitespace-separated words.",
    ))
}

fn head_file(query: &Query<'_>) -> Result<Plan, String> {
    let file = file_or_err(query, "show the first 20 lines of main.rs")?;
    let count = query.count().unwrap_or(10);
    Ok(plan(
        format!("Show the first {count} lines of {}", text(&file)),
        vec![read(
            format!("Print the first {count} lines"),
            format!("head -n {count} -- {}", arg(&file)),
        )],
        "head prints the start of the file.",
    ))
}

fn tail_file(query: &Query<'_>) -> Result<Plan, String> {
    let file = file_or_err(query, "show the last 50 lines of app.log")?;
    let count = query.count().unwrap_or(10);
    Ok(plan(
        format!("Show the last {count} lines of {}", text(&file)),
        vec![read(
            format!("Print the last {count} lines"),
            format!("tail -n {count} -- {}", arg(&file)),
        )],
        "tail prints the end of the file.",
    ))
}

fn show_file(query: &Query<'_>) -> Result<Plan, String> {
    let first = file_or_err(query, "show me README.md")?;
    // "cat a.txt b.txt": every file named, in order.
    let mut files = vec![first];
    for index in 0..query.tokens.len() {
        let path = query.resolve(&query.tokens[index].raw);
        let is_file = query.is_path_like(index)
            && !query.is_glob(index)
            && (Path::new(&query.tokens[index].raw).extension().is_some()
                || query.tokens[index].raw.starts_with('.'));
        if is_file && !files.contains(&path) {
            files.push(path);
        }
    }
    let (names, args) = super::steps::listed(&files, ", ");
    let numbered = query.has_any(&["line numbers", "numbered", "numbering", "-n"]);
    let (command, with) = if numbered {
        (format!("cat -n -- {args}"), " with line numbers")
    } else {
        (format!("cat -- {args}"), "")
    };
    Ok(plan(
        format!("Show the contents of {names}{with}"),
        vec![read(format!("Print {names}{with}"), command)],
        "cat prints the whole file.",
    ))
}

fn is_zip(path: &Path) -> bool {
    path.extension()
        .is_some_and(|ext| ext.eq_ignore_ascii_case("zip"))
}

fn archive_create(query: &Query<'_>) -> Result<Plan, String> {
    let output = query.path_after(&["into", "to", "as", "called", "named"]);
    let output_index = output.as_ref().map(|(index, _)| *index);
    // ".tar.gz" and "tar.gz" name the format, not a file to pack.
    let is_format = |raw: &str| {
        let lower = raw.trim_start_matches('.').to_lowercase();
        matches!(
            lower.as_str(),
            "tar.gz" | "tgz" | "zip" | "tar" | "tar.xz" | "tar.bz2"
        )
    };
    let excluded = excluded_dirs(query);
    let target = (0..query.tokens.len())
        .find(|&index| {
            Some(index) != output_index
                && query.is_path_like(index)
                && !query.is_glob(index)
                && !is_format(&query.tokens[index].raw)
        })
        .map(|index| query.resolve(&query.tokens[index].raw))
        .or_else(|| {
            query
                .path_after(&[
                    "compress", "zip", "tar", "archive", "of", "pack", "bundle", "up",
                ])
                .filter(|(index, _)| {
                    Some(*index) != output_index && !is_format(&query.tokens[*index].raw)
                })
                .map(|(_, path)| path)
        })
        .ok_or("say what to archive, e.g. \"zip the src folder\".")?;
    let wants_zip = query.has("zip") && !query.has_any(&["tar*", "tgz", "gz"]);
    let default_ext = if wants_zip { "zip" } else { "tar.gz" };
    let name = target
        .file_name()
        .map(|name| name.to_string_lossy().into_owned())
        .ok_or("name a folder or file, not /.")?;
    let parent = target
        .parent()
        .map_or_else(|| query.resolve("."), Path::to_path_buf);
    let output = output.map_or_else(
        || parent.join(format!("{name}.{default_ext}")),
        |(_, path)| path,
    );
    let command = if is_zip(&output) {
        format!(
            "cd {} && zip -r -q {} {}{}",
            arg(&parent),
            arg(&output),
            quote(&format!("./{name}")),
            excluded
                .iter()
                .map(|dir| format!(" -x {}", quote(&format!("./{name}/{dir}/*"))))
                .collect::<String>()
        )
    } else {
        format!(
            "tar -czf {} -C {}{} -- {}",
            arg(&output),
            arg(&parent),
            excluded
                .iter()
                .map(|dir| format!(" --exclude={}", quote(&format!("{name}/{dir}"))))
                .collect::<String>(),
            quote(&name)
        )
    };
    Ok(plan(
        format!(
            "Create the archive {} from {}",
            text(&output),
            text(&target)
        ),
        vec![bash(
            format!("Pack {} into {}", text(&target), text(&output)),
            command,
            SafetyLevel::Moderate,
        )],
        "The archive holds the folder under its own name; the originals are left in place.",
    ))
}

fn archive_path(query: &Query<'_>) -> Result<(usize, PathBuf), String> {
    let index = query
        .archive_index()
        .ok_or("name the archive, e.g. backup.tar.gz or files.zip.")?;
    Ok((index, query.resolve(&query.tokens[index].raw)))
}

fn archive_list(query: &Query<'_>) -> Result<Plan, String> {
    let (_, archive) = archive_path(query)?;
    let command = if is_zip(&archive) {
        format!("unzip -l {}", arg(&archive))
    } else {
        format!("tar -tf {}", arg(&archive))
    };
    Ok(plan(
        format!("List the contents of {}", text(&archive)),
        vec![read(
            format!("List the files inside {}", text(&archive)),
            command,
        )],
        "The archive is read, not unpacked.",
    ))
}

fn archive_extract(query: &Query<'_>) -> Result<Plan, String> {
    let (index, archive) = archive_path(query)?;
    let named = query
        .path_after(&["into", "to", "in"])
        .filter(|(dest_index, _)| *dest_index != index);
    let mut steps = Vec::new();
    let dest = match named {
        Some((_, dest)) => {
            steps.push(fs(
                format!("Create {}", text(&dest)),
                FsAction::Mkdir { path: text(&dest) },
                SafetyLevel::Moderate,
            ));
            dest
        }
        None => archive
            .parent()
            .map_or_else(|| query.resolve("."), Path::to_path_buf),
    };
    let command = if is_zip(&archive) {
        format!("unzip -n {} -d {}", arg(&archive), arg(&dest))
    } else {
        format!("tar -xkf {} -C {}", arg(&archive), arg(&dest))
    };
    steps.push(bash(
        format!("Unpack {} into {}", text(&archive), text(&dest)),
        command,
        SafetyLevel::Moderate,
    ));
    let mut result = plan(
        format!("Extract {} into {}", text(&archive), text(&dest)),
        steps,
        "Files are unpacked next to what is there; existing files are kept, never overwritten.",
    );
    result
        .risks
        .push("Unpacked files are not journaled, so Undo cannot remove them.".to_owned());
    Ok(result)
}
