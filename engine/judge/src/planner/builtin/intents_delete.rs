//! Deleting files: named files, kinds of files ("all the log files under
//! build"), what a search finds, and everything in a folder. Deletion is a
//! typed trash, which Undo restores; the engine asks before any of it.

use crate::plan::{FsAction, Plan, SafetyLevel};

use super::intent::{Effect, Intent};
use super::intents_changes::{DELETE_VERBS, RECURSIVE};
use super::query::Query;
use super::steps::{fs, plan, text};

/// The intents of this module.
pub(super) const INTENTS: &[Intent] = &[Intent {
    name: "delete_files",
    effect: Effect::Deletes,
    examples: &[
        "delete old.txt",
        "remove the build folder",
        "delete all log files in ~/logs",
    ],
    all: &[
        &[
            "delete",
            "remove",
            "rm",
            "trash",
            "erase",
            "get rid of",
            "wipe",
            "nuke",
            "purge",
            "clear out",
            "throw away",
            "discard",
            "destroy",
            "del",
        ],
        &[
            "<path>",
            "<pattern>",
            "folder",
            "directory",
            "files",
            "file",
            "everything",
            "all of it",
            "contents",
            "<filter>",
        ],
    ],
    any: &["file", "files"],
    none: &[
        "temp files",
        "temporary",
        "tmp files",
        "backup files",
        "backups",
        "branch*",
        "tag*",
        "stash*",
        "commit*",
        "<archive>",
        "duplicate*",
        ".git",
        "history",
        "git folder",
    ],
    build: delete_files,
}];

fn delete_files(query: &Query<'_>) -> Result<Plan, String> {
    if query.age_filter().is_some() || query.size_filter().is_some() {
        return delete_found(query);
    }
    if query.selects_everything() && query.name_patterns().is_empty() {
        return delete_everything(query);
    }
    let dir = query.path_after(&["in", "under", "inside", "from"]);
    let dir_index = dir.as_ref().map(|(index, _)| *index);
    let base = dir.map_or_else(|| query.resolve("."), |(_, path)| path);
    let mut paths: Vec<String> = (0..query.tokens.len())
        .filter(|&index| {
            Some(index) != dir_index && query.is_path_like(index) && !query.is_glob(index)
        })
        .map(|index| text(&query.resolve(&query.tokens[index].raw)))
        .collect();
    if paths.is_empty()
        && let Some((index, path)) = query.path_after(&DELETE_VERBS)
        && Some(index) != dir_index
    {
        paths.push(text(&path));
    }
    for pattern in query.name_patterns() {
        let path = if pattern.contains('/') || pattern.starts_with('~') {
            query.resolve(&pattern)
        } else {
            base.join(&pattern)
        };
        paths.push(text(&path));
    }
    if paths.is_empty() {
        return Err(
            "say what to delete, e.g. \"delete old.txt\" or \"delete all log files in ~/logs\"."
                .to_owned(),
        );
    }
    let recursive = query.has_any(&RECURSIVE)
        || query.has_any(&["find and delete", "find and remove", "anywhere"]);
    let summary = format!(
        "Move {} to the trash{}",
        paths.join(", "),
        if recursive {
            ", in all subfolders too"
        } else {
            ""
        }
    );
    let mut result = plan(
        summary.clone(),
        vec![fs(
            summary,
            FsAction::Trash { paths, recursive },
            SafetyLevel::Destructive,
        )],
        "The files go to DevOS's trash, not straight to oblivion; Undo restores them.",
    );
    result.risks.push("The named files disappear from their folder; anything depending on them breaks until restored.".to_owned());
    Ok(result)
}

/// "delete log files older than 30 days": the age and size conditions need
/// `find`, so this is a bash step after a read-only preview of the same list.
fn delete_found(query: &Query<'_>) -> Result<Plan, String> {
    let dir = query.location();
    let (mut find, conditions) = super::intents_files::find_command(query, &dir);
    if !query.has_any(&RECURSIVE) && !query.has_any(&["anywhere", "under"]) {
        find = find.replacen(" -type f", " -maxdepth 1 -type f", 1);
    }
    let what = if conditions.is_empty() {
        String::new()
    } else {
        format!(" {}", conditions.join(", "))
    };
    let summary = format!("Delete the files in {}{what}", text(&dir));
    let mut result = plan(
        summary.clone(),
        vec![
            super::steps::read(
                format!("List the files that would be deleted{what}"),
                format!("{find} -print"),
            ),
            fs_free_bash(summary, format!("{find} -delete")),
        ],
        "find deletes exactly the files the first step lists.",
    );
    result.risks.push(
        "find -delete does not use the trash; the files cannot be restored by Undo.".to_owned(),
    );
    Ok(result)
}

fn fs_free_bash(description: String, command: String) -> crate::plan::Step {
    super::steps::bash(description, command, SafetyLevel::Destructive)
}

/// "delete everything in build": the folder goes to the trash and an empty
/// one takes its place (both undoable). In the job's own folder, where that
/// is impossible, its contents are deleted with `find` after a preview.
fn delete_everything(query: &Query<'_>) -> Result<Plan, String> {
    let dir = query.location();
    let cwd = query.resolve(".");
    if dir == cwd || cwd.starts_with(&dir) {
        let summary = format!("Delete everything in {}", text(&dir));
        let listed = super::steps::arg(&dir);
        let mut result = plan(
            summary.clone(),
            vec![
                super::steps::read(
                    "List what would be deleted",
                    format!("find {listed} -mindepth 1 -maxdepth 1"),
                ),
                fs_free_bash(summary, format!("find {listed} -mindepth 1 -delete")),
            ],
            "Every file and folder inside goes, hidden ones too; the folder itself stays.",
        );
        result
            .risks
            .push("This does not use the trash; Undo cannot bring the files back.".to_owned());
        return Ok(result);
    }
    let summary = format!("Move everything in {} to the trash", text(&dir));
    let mut result = plan(
        summary.clone(),
        vec![
            fs(
                format!("Move {} and all it holds to the trash", text(&dir)),
                FsAction::Trash {
                    paths: vec![text(&dir)],
                    recursive: false,
                },
                SafetyLevel::Destructive,
            ),
            fs(
                format!("Create {} again, empty", text(&dir)),
                FsAction::Mkdir { path: text(&dir) },
                SafetyLevel::Moderate,
            ),
        ],
        "The folder's contents go to DevOS's trash; Undo restores them.",
    );
    result
        .risks
        .push("Everything inside the folder disappears, hidden files too.".to_owned());
    Ok(result)
}
