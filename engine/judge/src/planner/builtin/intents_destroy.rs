//! Intents that destroy content beyond the trash: truncating a file,
//! shredding it, and deleting empty folders. They are planned exactly as
//! asked, rated destructive, and always preview what they will touch.

use crate::plan::{Plan, SafetyLevel};

use super::intent::{Effect, Intent};
use super::query::Query;
use super::steps::{arg, bash, plan, read, text};

/// The destroying intents.
pub(super) const INTENTS: &[Intent] = &[
    Intent {
        name: "truncate_file",
        effect: Effect::Deletes,
        examples: &["truncate app.log", "empty the file server.log"],
        all: &[
            &["truncate", "empty", "clear", "blank", "zero out", "wipe"],
            &["<file>"],
        ],
        any: &["file", "contents"],
        none: &[
            "folder*",
            "director*",
            "trash",
            "<archive>",
            "lines",
            "empty lines",
            "blank lines",
            "create",
            "new",
            "make",
            "touch",
            "called",
            "named",
        ],
        build: truncate_file,
    },
    Intent {
        name: "create_file",
        effect: Effect::Changes,
        examples: &["create an empty file called notes.txt", "touch todo.md"],
        all: &[
            &["create", "make", "new", "touch", "add"],
            &["file", "empty", "touch"],
            &["<file>"],
        ],
        any: &["called", "named"],
        none: &[
            "folder*",
            "director*",
            "archive",
            "zip",
            "tar*",
            "copy",
            "backup",
            "link",
            "symlink",
            "branch*",
            "tag*",
            "commit*",
            "executable",
            "prefix",
            "suffix",
            "read only",
            "read-only",
            "permission*",
            "<archive>",
            "chmod",
            "append*",
            "line",
            "lines",
        ],
        build: create_file,
    },
    Intent {
        name: "shred_file",
        effect: Effect::Deletes,
        examples: &["shred secret.txt", "securely delete id_rsa.bak"],
        all: &[
            &[
                "shred",
                "securely delete",
                "securely erase",
                "secure delete",
                "overwrite and delete",
            ],
            &["<file>"],
        ],
        any: &[],
        none: &[],
        build: shred_file,
    },
    Intent {
        name: "delete_empty_dirs",
        effect: Effect::Deletes,
        examples: &[
            "delete empty folders",
            "remove all empty directories under src",
        ],
        all: &[&["empty"], &["folder*", "director*", "dirs"]],
        any: &["all"],
        none: &["files", "file", "trash"],
        build: delete_empty_dirs,
    },
];

fn named_file(query: &Query<'_>, example: &str) -> Result<std::path::PathBuf, String> {
    query
        .file_index()
        .map(|index| query.new_name_at(index))
        .ok_or_else(|| format!("say which file, e.g. \"{example}\"."))
}

fn truncate_file(query: &Query<'_>) -> Result<Plan, String> {
    let file = named_file(query, "truncate app.log")?;
    let summary = format!("Empty {} (its size becomes 0 bytes)", text(&file));
    let mut result = plan(
        summary.clone(),
        vec![
            read(
                format!("Show the size of {}", text(&file)),
                format!("ls -l -- {}", arg(&file)),
            ),
            bash(
                summary,
                format!("truncate -s 0 -- {}", arg(&file)),
                SafetyLevel::Destructive,
            ),
        ],
        "The file stays, its content goes.",
    );
    result
        .risks
        .push("The content is gone for good; Undo cannot bring it back.".to_owned());
    Ok(result)
}

fn create_file(query: &Query<'_>) -> Result<Plan, String> {
    let file = named_file(query, "create an empty file called notes.txt")?;
    if query.has("touch") {
        let summary = format!(
            "Touch {} (create it empty if missing, else update its time)",
            text(&file)
        );
        return Ok(plan(
            summary.clone(),
            vec![bash(
                summary,
                format!("touch -- {}", arg(&file)),
                SafetyLevel::Moderate,
            )],
            "An existing file keeps its content.",
        ));
    }
    let summary = format!("Create the empty file {}", text(&file));
    Ok(plan(
        summary.clone(),
        vec![super::steps::fs(
            summary,
            crate::plan::FsAction::Write {
                path: text(&file),
                content: String::new(),
            },
            SafetyLevel::Moderate,
        )],
        "If the file already exists, writing it needs your approval and the old content is kept for undo.",
    ))
}

fn shred_file(query: &Query<'_>) -> Result<Plan, String> {
    let file = named_file(query, "shred secret.txt")?;
    let summary = format!("Overwrite {} and delete it", text(&file));
    let mut result = plan(
        summary.clone(),
        vec![
            read(
                format!("Show {}", text(&file)),
                format!("ls -l -- {}", arg(&file)),
            ),
            bash(
                summary,
                format!("shred -u -- {}", arg(&file)),
                SafetyLevel::Destructive,
            ),
        ],
        "shred overwrites the file's blocks before unlinking it.",
    );
    result
        .risks
        .push("The file cannot be recovered, not even from the trash.".to_owned());
    Ok(result)
}

fn delete_empty_dirs(query: &Query<'_>) -> Result<Plan, String> {
    let dir = query.location();
    let find = format!(
        "find {} -mindepth 1 -type d -empty{}",
        arg(&dir),
        super::intents_files::skip_git(query, &dir)
    );
    let summary = format!("Delete the empty folders under {}", text(&dir));
    Ok(plan(
        summary.clone(),
        vec![
            read("List the empty folders", find.clone()),
            bash(summary, format!("{find} -delete"), SafetyLevel::Destructive),
        ],
        "Only folders with nothing in them go.",
    ))
}
