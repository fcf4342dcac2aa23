//! Intents that look at files: listing, finding, counting, sizes and disk
//! usage. Every step is a read-only bash command with quoted arguments.

use std::path::{Path, PathBuf};

use crate::plan::Plan;

use super::intent::{Effect, Intent};
use super::query::Query;
use super::quote::quote;
use super::steps::{arg, plan, read, text};

/// The file-reading intents.
pub(super) const INTENTS: &[Intent] = &[
    Intent {
        name: "file_owner",
        effect: Effect::Reads,
        examples: &[
            "who owns notes.txt",
            "what are the permissions of deploy.sh",
        ],
        all: &[
            &[
                "owner",
                "owns",
                "owned",
                "ownership",
                "permission*",
                "mode",
                "group",
            ],
            &["<file>", "<path>"],
        ],
        any: &["who", "what", "show", "which"],
        none: &[
            "<port>", "<pid>", "process*", "make", "give", "set", "branch*", "commit*",
        ],
        build: file_owner,
    },
    Intent {
        name: "find_files",
        effect: Effect::Reads,
        examples: &[
            "find files larger than 100MB in ~",
            "find python files under src",
            "list files modified today",
        ],
        all: &[
            &[
                "find", "list", "show", "search", "where", "locate", "which", "get", "look", "any",
                "ls", "files", "what", "anything",
            ],
            &["<filter>"],
        ],
        any: &["files", "file"],
        none: &[
            "count",
            "how many",
            "number of",
            "delete",
            "remove",
            "trash",
            "move",
            "copy",
            "line*",
            "word*",
            "contain*",
            "todo*",
            "fixme*",
            "mention*",
            "occurrence*",
            "text",
            "grep",
            "largest",
            "biggest",
            "changed in git",
            "prefix",
            "suffix",
            "prepend",
            "append",
            "rename",
            "chmod",
            "executable",
            "permission*",
            "symlink",
            "link",
            "replace",
            "compress",
            "zip",
            "tar*",
            "archive",
            "extract",
            "unzip",
            "commit",
            "create",
            "make",
            "give",
            "organi*",
            "tidy",
            "sort",
        ],
        build: find_files,
    },
    Intent {
        name: "recent_changes",
        effect: Effect::Reads,
        examples: &["what changed today", "what changed here recently"],
        all: &[
            &["changed", "changes", "modified", "touched", "edited"],
            &["today", "recently", "recent", "lately", "latest"],
        ],
        any: &["what", "files"],
        none: &["git", "commit*", "branch*", "<size>"],
        build: recent_changes,
    },
    Intent {
        name: "count_files",
        effect: Effect::Reads,
        examples: &[
            "how many files are in ~/Downloads",
            "count the python files in src",
        ],
        all: &[
            &["count", "how many", "number of"],
            &["file*", "pdfs", "images", "photos", "pictures", "<pattern>"],
        ],
        any: &["files"],
        none: &[
            "line*",
            "lines",
            "loc",
            "word*",
            "character*",
            "commit*",
            "process*",
            "<git_change>",
        ],
        build: count_files,
    },
    Intent {
        name: "largest_files",
        effect: Effect::Reads,
        examples: &[
            "show the 10 largest files in ~/Downloads",
            "what are the biggest files here",
        ],
        all: &[
            &["largest", "biggest", "heaviest", "huge", "by size", "big"],
            &["file*", "pdfs", "images", "videos"],
        ],
        any: &["top", "show", "list"],
        none: &["process*", "memory", "cpu", "folders", "directories"],
        build: largest_files,
    },
    Intent {
        name: "list_files",
        effect: Effect::Reads,
        examples: &[
            "list the files in ~/Downloads",
            "what's in the src folder",
            "ls",
        ],
        all: &[
            &[
                "list", "ls", "show", "whats", "what", "contents", "display", "see", "dir",
            ],
            &[
                "file*",
                "folder*",
                "director*",
                "ls",
                "contents",
                "whats in",
                "what is in",
                "<path>",
                "here",
                "dir",
            ],
        ],
        any: &["all", "in"],
        none: &[
            "<filter>",
            "<file>",
            "<archive>",
            // "the contents of every file" asks for what is in them.
            "contents of every",
            "contents of all",
            "contents of each",
            "contents of the files",
            "content of every",
            "content of all",
            "content of each",
            "count",
            "how many",
            "size*",
            "branch*",
            "commit*",
            "process*",
            "port*",
            "tag*",
            "stash*",
            "line*",
            "changed",
            "modified",
            "untracked",
            "tracked",
            "diff",
            "status",
            "largest",
            "biggest",
            "space",
            "big",
            "disk",
            "hidden",
            "dotfile*",
            "tree",
            "newest",
            "oldest",
            "empty",
            "duplicate*",
            "in the name",
            "in their name",
            "sizes",
            "by size",
            "todo*",
            "fixme*",
            "<search_quoted>",
            "current directory",
            "working directory",
            "where am i",
        ],
        build: list_files,
    },
    Intent {
        name: "size_of",
        effect: Effect::Reads,
        examples: &["how big is ~/Downloads", "total size of the src folder"],
        all: &[&[
            "how big",
            "size of",
            "how large",
            "total size",
            "how much space",
            "space used",
            "sizes",
        ]],
        any: &["disk", "folder", "directory"],
        none: &[
            "free",
            "available",
            "left",
            "remaining",
            "largest",
            "biggest",
            "each",
            "every",
            "per",
            "subfolders",
            "breakdown",
            "taking",
            "<size>",
            "memory",
        ],
        build: size_of,
    },
    Intent {
        name: "disk_usage",
        effect: Effect::Reads,
        examples: &[
            "what's taking up space in ~",
            "show disk usage of each folder in ~/projects",
        ],
        all: &[
            &[
                "taking",
                "using",
                "eating",
                "hogging",
                "breakdown",
                "each",
                "per",
                "folders",
                "subfolders",
                "biggest",
                "largest",
            ],
            &[
                "space",
                "disk",
                "size*",
                "du",
                "biggest folders",
                "largest folders",
                "biggest directories",
                "largest directories",
            ],
        ],
        any: &["folder*", "director*"],
        none: &[
            "free",
            "available",
            "left",
            "remaining",
            "memory",
            "ram",
            "process*",
            "<size>",
            "percent*",
            "full",
            "inode*",
            "how many",
            "count",
            "number of",
        ],
        build: disk_usage,
    },
];

/// `find DIR -type f` with the request's name, size and age conditions.
pub(super) fn find_command(query: &Query<'_>, dir: &Path) -> (String, Vec<String>) {
    // "directories named tests", "the folder called build": folders, by name.
    let wants_folders = [
        "folder",
        "folders",
        "directory",
        "directories",
        "dir",
        "dirs",
    ]
    .iter()
    .any(|noun| query.has(&format!("{noun} named")) || query.has(&format!("{noun} called")));
    let kind = if wants_folders { "d" } else { "f" };
    let mut command = format!("find {} -type {kind}", arg(dir));
    let mut conditions = Vec::new();
    let mut patterns = query.name_patterns();
    if wants_folders
        && let Some(name) = query.name_after(&["named", "called"])
        && !patterns.contains(&name)
    {
        patterns.push(name);
    }
    if !patterns.is_empty() {
        let names: Vec<String> = patterns
            .iter()
            .map(|pattern| format!("-iname {}", quote(pattern)))
            .collect();
        if names.len() == 1 {
            command.push_str(&format!(" {}", names.join("")));
        } else {
            command.push_str(&format!(" \\( {} \\)", names.join(" -o ")));
        }
        conditions.push(format!("named {}", patterns.join(" or ")));
    }
    if let Some(size) = query.size_filter() {
        command.push_str(&format!(" -size {}", size.find_arg));
        conditions.push(size.text);
    }
    if let Some(age) = query.age_filter() {
        command.push_str(&format!(" {} {}", age.find_args[0], age.find_args[1]));
        conditions.push(age.text);
    }
    command.push_str(skip_git(query, dir));
    (command, conditions)
}

/// The `find` test that leaves the repository's `.git` out of a walk of
/// `dir`, or nothing when the walk does not go through it.
pub(super) fn skip_git(query: &Query<'_>, dir: &Path) -> &'static str {
    if walks_a_repository(query, dir) {
        " -not -path '*/.git/*'"
    } else {
        ""
    }
}

/// Whether a walk of `dir` goes through the job's repository's `.git`: its
/// objects are nobody's files, unless the folder asked for is `.git` itself.
pub(super) fn walks_a_repository(query: &Query<'_>, dir: &Path) -> bool {
    let in_repo = query
        .context
        .and_then(|context| context.repo.as_ref())
        .is_some_and(|repo| dir.starts_with(&repo.root) || repo.root.starts_with(dir));
    in_repo && !dir.components().any(|part| part.as_os_str() == ".git")
}

fn described(conditions: &[String]) -> String {
    if conditions.is_empty() {
        String::new()
    } else {
        format!(" {}", conditions.join(", "))
    }
}

fn find_files(query: &Query<'_>) -> Result<Plan, String> {
    let dir = query.location();
    let (command, conditions) = find_command(query, &dir);
    let (order, command) = found_order(query, command);
    let noun = if command.contains("-type d") {
        "folders"
    } else {
        "files"
    };
    let what = format!(
        "{noun}{} under {}{order}",
        described(&conditions),
        text(&dir)
    );
    Ok(plan(
        format!("Find the {what}"),
        vec![read(format!("List the {what}"), command)],
        "find walks the directory tree and prints matching paths; nothing is changed.",
    ))
}

/// The found paths in the order asked for ("sorted by size", "newest
/// first", "alphabetically"), as words for the plan and the command.
fn found_order(query: &Query<'_>, command: String) -> (&'static str, String) {
    let by_size = query.has_any(&["by size", "largest first", "biggest first"]);
    let smallest_first = query.has("smallest first");
    let by_time = query.has_any(&[
        "by date",
        "by time",
        "by modification*",
        "by age",
        "newest first",
        "oldest first",
    ]);
    let by_name = query.has_any(&["by name", "alphabetically", "sorted"]);
    if by_size || smallest_first {
        let sort = if smallest_first {
            "sort -n"
        } else {
            "sort -rn"
        };
        let order = if smallest_first {
            ", smallest first"
        } else {
            ", largest first"
        };
        (order, format!("{command} -printf '%s\\t%p\\n' | {sort}"))
    } else if by_time {
        let oldest = query.has("oldest first");
        let sort = if oldest { "sort" } else { "sort -r" };
        let order = if oldest {
            ", oldest first"
        } else {
            ", newest first"
        };
        (
            order,
            format!("{command} -printf '%TY-%Tm-%Td %TH:%TM\\t%p\\n' | {sort}"),
        )
    } else if by_name {
        (", by name", format!("{command} | sort"))
    } else {
        ("", command)
    }
}

fn count_files(query: &Query<'_>) -> Result<Plan, String> {
    let dir = query.location();
    let (command, conditions) = find_command(query, &dir);
    let what = format!("files{} under {}", described(&conditions), text(&dir));
    Ok(plan(
        format!("Count the {what}"),
        vec![read(
            format!("Count the {what}"),
            format!("{command} | wc -l"),
        )],
        "find lists the matching files and wc counts them.",
    ))
}

fn largest_files(query: &Query<'_>) -> Result<Plan, String> {
    let dir = query.location();
    let count = query.count().unwrap_or(10);
    let (command, _) = find_command(query, &dir);
    Ok(plan(
        format!("Show the {count} largest files under {}", text(&dir)),
        vec![read(
            format!("List the {count} largest files (size in bytes, then path)"),
            format!("{command} -printf '%s\\t%p\\n' | sort -rn | head -n {count}"),
        )],
        "find prints each file's size, sort orders them largest first.",
    ))
}

fn list_files(query: &Query<'_>) -> Result<Plan, String> {
    let dir = query
        .location_slot()
        .or_else(|| query.path_after(&["ls", "list", "show"]))
        .or_else(|| {
            let index = query.tokens.iter().position(|token| token.is_quoted)?;
            Some((index, query.resolve(&query.tokens[index].raw)))
        })
        .map_or_else(|| query.location(), |(_, dir)| dir);
    if query.has_any(&[
        "recursively",
        "recursive",
        "subfolders",
        "subdirectories",
        "every file",
    ]) {
        let interpretation = format!("List every file under {}, subfolders included", text(&dir));
        return Ok(plan(
            interpretation.clone(),
            vec![read(
                interpretation,
                format!("find {} -type f{}", arg(&dir), skip_git(query, &dir)),
            )],
            "One path per line.",
        ));
    }
    // "list only directories here": one kind of entry, directly inside.
    let only = query.has_any(&["only", "just"]);
    let only_kind = if !only {
        None
    } else if query.has_any(&["folders", "directories", "dirs", "subfolders"]) {
        Some(("d", "folders", "files"))
    } else if query.has_any(&["files", "regular files"]) {
        Some(("f", "files", "folders"))
    } else {
        None
    };
    if let Some((kind, noun, other)) = only_kind {
        let interpretation = format!("List only the {noun} in {}", text(&dir));
        return Ok(plan(
            interpretation.clone(),
            vec![read(
                interpretation,
                format!(
                    "find {} -mindepth 1 -maxdepth 1 -type {kind} | sort",
                    arg(&dir)
                ),
            )],
            format!("The {noun} directly inside, hidden ones included; {other} are left out."),
        ));
    }
    Ok(plan(
        format!("List the files in {}", text(&dir)),
        vec![read(
            format!("List {} with sizes and dates", text(&dir)),
            format!("ls -lah -- {}", arg(&dir)),
        )],
        "ls shows every entry, hidden ones included, with human-readable sizes.",
    ))
}

fn size_of(query: &Query<'_>) -> Result<Plan, String> {
    // "how much space does node_modules take", "how big is build".
    let Some((index, dir)) = query
        .location_slot()
        .or_else(|| query.path_after(&["is", "does", "of", "are"]))
    else {
        let dir = query.location();
        return Ok(size_plan(&[dir]));
    };
    // "the sizes of src and docs": every place in the list.
    let mut dirs = vec![dir];
    dirs.extend(query.paths_listed_after(index));
    Ok(size_plan(&dirs))
}

fn size_plan(dirs: &[PathBuf]) -> Plan {
    let (names, args) = super::steps::listed(dirs, " and ");
    let each = if dirs.len() == 1 { "" } else { "each of " };
    plan(
        format!("Show the total size of {names}"),
        vec![read(
            format!("Total size of {each}{names}"),
            format!("du -sh -- {args}"),
        )],
        "du adds up the space used by everything inside.",
    )
}

fn disk_usage(query: &Query<'_>) -> Result<Plan, String> {
    let dir = query.location();
    Ok(plan(
        format!("Show what takes up space in {}", text(&dir)),
        vec![read(
            format!("Size of each entry in {}, largest first", text(&dir)),
            format!(
                "du -h --max-depth=1 -- {} | sort -rh | head -n 20",
                arg(&dir)
            ),
        )],
        "du sizes each folder one level down; sort puts the largest first.",
    ))
}

/// Most recently changed paths listed from the context index.
const MAX_RECENT: usize = 20;

/// Recently changed files: from the context engine's index when it has seen
/// changes under the directory (no disk walk), else a `find` for the last day.
fn recent_changes(query: &Query<'_>) -> Result<Plan, String> {
    let dir = query.cwd;
    let recent: Vec<&Path> = query
        .context
        .and_then(|context| context.directory.as_ref())
        .map(|summary| {
            summary
                .recent
                .iter()
                .filter(|change| change.kind != crate::context::ChangeKind::Removed)
                .map(|change| change.path.as_path())
                .take(MAX_RECENT)
                .collect()
        })
        .unwrap_or_default();
    if recent.is_empty() {
        return Ok(plan(
            format!(
                "Find the files changed in the last 24 hours under {}",
                dir.display()
            ),
            vec![read(
                "List files modified in the last day",
                format!(
                    "find {} -type f -mtime -1 -not -path '*/.git/*' -printf '%TY-%Tm-%Td %TH:%TM  %p\\n' | sort -r | head -n 50",
                    quote(&dir.to_string_lossy())
                ),
            )],
            "find looks at modification times; newest first.",
        ));
    }
    let paths: Vec<String> = recent
        .iter()
        .map(|path| quote(&path.to_string_lossy()))
        .collect();
    Ok(plan(
        format!(
            "Show the {} files DevOS saw change most recently under {}",
            recent.len(),
            dir.display()
        ),
        vec![read(
            "List the recently changed files, newest first",
            format!(
                "ls -ldt --time-style=long-iso -- {} 2>/dev/null || true",
                paths.join(" ")
            ),
        )],
        "The list comes from DevOS's live file index, so nothing is walked; ls shows each file's time and size.",
    ))
}

fn file_owner(query: &Query<'_>) -> Result<Plan, String> {
    let raw = query
        .file_index()
        .or_else(|| (0..query.tokens.len()).find(|&index| query.is_path_like(index)))
        .map(|index| query.tokens[index].raw.clone())
        .ok_or("say which file, e.g. \"who owns notes.txt\".")?;
    let path = query.resolve(&raw);
    Ok(plan(
        format!("Show the owner, group and permissions of {}", text(&path)),
        vec![read(
            format!("Show the permissions, owner and group of {}", text(&path)),
            format!("stat -c '%A %U:%G %n' -- {}", arg(&path)),
        )],
        "stat prints the permission bits, then owner:group, then the name.",
    ))
}
