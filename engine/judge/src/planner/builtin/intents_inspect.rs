//! Read-only intents that answer a question about the files in a folder:
//! newest and oldest, a tree, empty files and folders, duplicates, hidden
//! files, exact sizes, names containing a word, and a range of lines or a
//! JSON field of one file. Each is one plain command with quoted operands.

use crate::plan::Plan;

use super::intent::{Effect, Intent};
use super::query::Query;
use super::quote::quote;
use super::steps::{arg, plan, read, text};

/// The folder-question intents.
pub(super) const INTENTS: &[Intent] = &[
    Intent {
        name: "newest_file",
        effect: Effect::Reads,
        examples: &["show the newest file", "what is the oldest file here"],
        all: &[
            &[
                "newest",
                "latest",
                "most recent",
                "most recently",
                "oldest",
                "least recently",
            ],
            &["file", "files", "modified", "changed"],
        ],
        any: &["which", "what", "show"],
        none: &[
            "commit*", "branch*", "tag*", "<filter>", "lines", "largest", "biggest",
        ],
        build: newest_file,
    },
    Intent {
        name: "tree",
        effect: Effect::Reads,
        examples: &["show a tree of this folder", "tree view of src"],
        all: &[&["tree", "structure", "hierarchy"]],
        any: &["show", "folder", "directory"],
        none: &["git", "commit*", "working tree", "branch*"],
        build: tree,
    },
    Intent {
        name: "empty_entries",
        effect: Effect::Reads,
        examples: &["find empty folders", "list empty files"],
        all: &[
            &["empty"],
            &["folder*", "director*", "dirs", "files", "file"],
        ],
        any: &["find", "list", "show", "any"],
        none: &["trash", "the file", "empty the", "truncate"],
        build: empty_entries,
    },
    Intent {
        name: "duplicate_files",
        effect: Effect::Reads,
        examples: &["find duplicate files", "are there identical files here"],
        all: &[
            &[
                "duplicate",
                "duplicates",
                "duplicated",
                "identical",
                "same content",
            ],
            &["files", "file", "duplicates", "here", "folder"],
        ],
        any: &["find", "list", "show"],
        none: &["lines", "line", "<file>", "rows"],
        build: duplicate_files,
    },
    Intent {
        name: "hidden_files",
        effect: Effect::Reads,
        examples: &["list hidden files", "show the dotfiles in ~"],
        all: &[&["hidden", "dotfiles", "dot files", "dotfile"]],
        any: &["list", "show", "find"],
        none: &["<filter>"],
        build: hidden_files,
    },
    Intent {
        name: "file_sizes",
        effect: Effect::Reads,
        examples: &["show file sizes in bytes", "list files sorted by size"],
        all: &[
            &["sizes", "size", "by size", "bytes"],
            &[
                "files", "file", "in bytes", "sorted", "each", "every", "list",
            ],
        ],
        any: &["show", "list", "bytes"],
        none: &[
            "<filter>",
            "largest",
            "biggest",
            "<file>",
            "folder*",
            "director*",
            "total",
            "disk",
            "how big",
        ],
        build: file_sizes,
    },
    Intent {
        name: "name_contains",
        effect: Effect::Reads,
        examples: &[
            "find files with main in the name",
            "files whose name contains test",
        ],
        all: &[&[
            "in the name",
            "in their name",
            "in its name",
            "name contains",
            "names contain",
            "name containing",
            "names containing",
            "name includes",
        ]],
        any: &["find", "list", "files"],
        none: &["<filter>"],
        build: name_contains,
    },
    Intent {
        name: "line_range",
        effect: Effect::Reads,
        examples: &[
            "show lines 10 to 20 of main.rs",
            "print lines 5-8 of notes.txt",
        ],
        all: &[&["<line_range>"], &["<file>"]],
        any: &["show", "print", "lines"],
        none: &[],
        build: show_line_range,
    },
    Intent {
        name: "json_field",
        effect: Effect::Reads,
        examples: &[
            "show the version from package.json",
            "what is the name field in package.json",
        ],
        all: &[
            &["<json_file>"],
            &[
                "field", "key", "value", "version", "name", "from", "property", "entry",
            ],
        ],
        any: &["what", "show", "get"],
        none: &[
            "lines", "count", "replace", "change", "set", "sort", "search", "grep",
        ],
        build: json_field,
    },
];

fn newest_file(query: &Query<'_>) -> Result<Plan, String> {
    let dir = query.location();
    let oldest = query.has_any(&["oldest", "least recently"]);
    let count = query.count().unwrap_or(1).clamp(1, 1000);
    let (order, which) = if oldest {
        ("-rt", "oldest")
    } else {
        ("-t", "most recently modified")
    };
    let recursive = query.has_any(&["recursively", "subfolders", "anywhere", "under"]);
    let command = if recursive {
        let sort = if oldest { "sort -n" } else { "sort -rn" };
        format!(
            "find {} -type f{} -printf '%T@ %p\\n' | {sort} | head -n {count} | cut -d' ' -f2-",
            arg(&dir),
            super::intents_files::skip_git(query, &dir)
        )
    } else {
        format!(
            "ls -1p {order} -- {} | grep -v / | head -n {count}",
            arg(&dir)
        )
    };
    let noun = if count == 1 { "file" } else { "files" };
    let interpretation = format!("Show the {count} {which} {noun} in {}", text(&dir));
    Ok(plan(
        interpretation.clone(),
        vec![read(interpretation, command)],
        "Ordered by modification time.",
    ))
}

fn tree(query: &Query<'_>) -> Result<Plan, String> {
    let dir = query.location();
    let depth = query.count().unwrap_or(3).clamp(1, 20);
    let interpretation = format!("Show the folder tree of {} ({depth} levels)", text(&dir));
    Ok(plan(
        interpretation.clone(),
        vec![read(
            interpretation,
            format!(
                "find {} -maxdepth {depth} -not -path '*/.git/*' | sort",
                arg(&dir)
            ),
        )],
        "Every file and folder, one per line, in path order.",
    ))
}

fn empty_entries(query: &Query<'_>) -> Result<Plan, String> {
    let dir = query.location();
    let folders = query.has_any(&["folder*", "director*", "dirs"]);
    let (kind, noun) = if folders {
        ("d", "folders")
    } else {
        ("f", "files")
    };
    let interpretation = format!("List the empty {noun} under {}", text(&dir));
    Ok(plan(
        interpretation.clone(),
        vec![read(
            interpretation,
            format!(
                "find {} -mindepth 1 -type {kind} -empty{}",
                arg(&dir),
                super::intents_files::skip_git(query, &dir)
            ),
        )],
        "Nothing is changed.",
    ))
}

fn duplicate_files(query: &Query<'_>) -> Result<Plan, String> {
    let dir = query.location();
    let interpretation = format!("List files with identical content under {}", text(&dir));
    Ok(plan(
        interpretation.clone(),
        vec![read(
            interpretation,
            format!(
                "find {} -type f -not -path '*/.git/*' -exec md5sum {{}} + | sort | uniq -w32 --all-repeated=separate",
                arg(&dir)
            ),
        )],
        "Files are grouped by checksum; each group holds copies of the same content.",
    ))
}

fn hidden_files(query: &Query<'_>) -> Result<Plan, String> {
    let dir = query.location();
    let interpretation = format!("List the hidden files and folders in {}", text(&dir));
    Ok(plan(
        interpretation.clone(),
        vec![read(
            interpretation,
            format!("ls -d -- {}/.[!.]*", arg(&dir)),
        )],
        "Names starting with a dot.",
    ))
}

fn file_sizes(query: &Query<'_>) -> Result<Plan, String> {
    let dir = query.location();
    let human = query.has_any(&["human", "readable", "mb", "kb"]) && !query.has("bytes");
    let (format, what) = if human {
        ("-lhS", "human-readable sizes")
    } else {
        ("-lS", "sizes in bytes")
    };
    let interpretation = format!(
        "List the files in {} with their {what}, largest first",
        text(&dir)
    );
    Ok(plan(
        interpretation.clone(),
        vec![read(
            interpretation,
            format!("ls {format} -- {}", arg(&dir)),
        )],
        "ls -S sorts by size.",
    ))
}

fn name_contains(query: &Query<'_>) -> Result<Plan, String> {
    const SKIP: [&str; 6] = ["the", "word", "a", "text", "string", "with"];
    let word = query
        .quoted()
        .first()
        .map(|quoted| (*quoted).to_owned())
        .or_else(|| {
            let anchor = (0..query.tokens.len())
                .find(|&index| {
                    matches!(
                        query.lower(index),
                        "contains" | "containing" | "includes" | "contain"
                    )
                })
                .filter(|index| matches!(query.lower(index.wrapping_sub(1)), "name" | "names"));
            if let Some(anchor) = anchor {
                return query
                    .tokens
                    .iter()
                    .skip(anchor + 1)
                    .find(|token| !SKIP.contains(&token.lower.as_str()))
                    .map(|token| token.raw.clone());
            }
            // "files with main in the name": the word before "in the name".
            let at = query
                .find("in the name")
                .or_else(|| query.find("in their name"))?;
            query
                .tokens
                .get(..at)?
                .iter()
                .rev()
                .find(|token| !SKIP.contains(&token.lower.as_str()))
                .filter(|token| {
                    !matches!(
                        token.lower.as_str(),
                        "files" | "file" | "containing" | "word"
                    )
                })
                .map(|token| token.raw.clone())
        })
        .ok_or("say the word, e.g. \"find files with main in the name\".")?;
    let dir = query.location();
    let interpretation = format!(
        "Find files under {} whose name contains \"{word}\"",
        text(&dir)
    );
    Ok(plan(
        interpretation.clone(),
        vec![read(
            interpretation,
            format!("find {} -iname {}", arg(&dir), quote(&format!("*{word}*"))),
        )],
        "Matching ignores case.",
    ))
}

/// "lines 10 to 20", "lines 5-8", "from line 3 to line 9".
pub(super) fn line_range(query: &Query<'_>) -> Option<(u32, u32)> {
    for index in 0..query.tokens.len() {
        if !matches!(query.lower(index), "lines" | "line") {
            continue;
        }
        let first = query.lower(index + 1);
        if let Some((a, b)) = first.split_once('-')
            && let (Ok(a), Ok(b)) = (a.parse::<u32>(), b.parse::<u32>())
        {
            return (a >= 1 && b >= a).then_some((a, b));
        }
        let Ok(a) = first.parse::<u32>() else {
            continue;
        };
        let mut next = index + 2;
        if !matches!(
            query.lower(next),
            "to" | "through" | "thru" | "until" | "and"
        ) {
            // "line 7 of main.rs": that one line.
            if query.lower(index) == "line" && a >= 1 {
                return Some((a, a));
            }
            continue;
        }
        next += 1;
        if query.lower(next) == "line" {
            next += 1;
        }
        if let Ok(b) = query.lower(next).parse::<u32>() {
            return (a >= 1 && b >= a).then_some((a, b));
        }
    }
    None
}

fn line_range_plan(query: &Query<'_>) -> Result<(std::path::PathBuf, u32, u32), String> {
    let (a, b) =
        line_range(query).ok_or("say the lines, e.g. \"show lines 10 to 20 of main.rs\".")?;
    let file = query
        .file_index()
        .map(|index| query.resolve(&query.tokens[index].raw))
        .ok_or("say which file, e.g. \"show lines 10 to 20 of main.rs\".")?;
    Ok((file, a, b))
}

fn show_line_range(query: &Query<'_>) -> Result<Plan, String> {
    let (file, a, b) = line_range_plan(query)?;
    let interpretation = if a == b {
        format!("Show line {a} of {}", text(&file))
    } else {
        format!("Show lines {a} to {b} of {}", text(&file))
    };
    Ok(plan(
        interpretation.clone(),
        vec![read(
            interpretation,
            format!("sed -n {a},{b}p -- {}", arg(&file)),
        )],
        "Only those lines are printed.",
    ))
}

/// The named `.json` file, when there is one.
pub(super) fn json_file(query: &Query<'_>) -> Option<usize> {
    (0..query.tokens.len()).find(|&index| {
        query.is_path_like(index) && query.tokens[index].raw.to_lowercase().ends_with(".json")
    })
}

fn json_field(query: &Query<'_>) -> Result<Plan, String> {
    const SKIP: [&str; 12] = [
        "the", "field", "key", "value", "of", "property", "entry", "from", "in", "what", "is",
        "show",
    ];
    let index = json_file(query).ok_or("say which .json file.")?;
    let file = query.resolve(&query.tokens[index].raw);
    let key = query
        .quoted()
        .first()
        .map(|quoted| (*quoted).to_owned())
        .or_else(|| {
            query
                .tokens
                .get(..index)?
                .iter()
                .filter(|token| !SKIP.contains(&token.lower.as_str()))
                .find(|token| {
                    token
                        .lower
                        .chars()
                        .all(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '.'))
                })
                .map(|token| token.raw.clone())
        })
        .ok_or("say which field, e.g. \"show the version from package.json\".")?;
    let filter: String = key
        .split('.')
        .map(|part| format!("[{}]", json_string(part)))
        .collect();
    let interpretation = format!("Show the \"{key}\" field of {}", text(&file));
    Ok(plan(
        interpretation.clone(),
        vec![read(
            interpretation,
            format!("jq -r {} {}", quote(&format!(".{filter}")), arg(&file)),
        )],
        "jq reads the JSON file; nothing is changed.",
    ))
}

/// `text` as a JSON string literal for a jq filter.
fn json_string(text: &str) -> String {
    serde_json::to_string(text).unwrap_or_else(|_| "\"\"".to_owned())
}
