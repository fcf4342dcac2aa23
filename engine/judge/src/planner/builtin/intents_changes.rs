//! Intents that change files: make directories, copy, move, rename, organise
//! by type, clean temporary files and delete. Every change is a typed
//! [`FsAction`] so the engine journals it and can undo it; nothing here
//! writes through bash.

use std::path::{Path, PathBuf};

use crate::plan::{FsAction, Plan, SafetyLevel};

use super::intent::{Effect, Intent};
use super::query::Query;
use super::slot_words::TO_PREPS;
use super::steps::{fs, plan, text};

/// Globs for editor, OS and tool leftovers that are safe to trash. Exact names
/// are written as one-character classes (`.DS_Stor[e]`) so they stay patterns:
/// a plain path in a trash action must exist, a pattern may match nothing.
const TEMP_GLOBS: [&str; 10] = [
    "*.tmp",
    "*.temp",
    "*~",
    "*.bak",
    "*.swp",
    "*.swo",
    ".*.swp",
    ".*.swo",
    ".DS_Stor[e]",
    "Thumbs.d[b]",
];
/// Words asking for subdirectories too.
pub(super) const RECURSIVE: [&str; 8] = [
    "recursively",
    "recursive",
    "everywhere",
    "subfolders",
    "subdirectories",
    "all folders",
    "all directories",
    "-r",
];
/// Verbs of deletion.
pub(super) const DELETE_VERBS: [&str; 12] = [
    "delete", "remove", "rm", "trash", "erase", "del", "of", "nuke", "wipe", "purge", "destroy",
    "discard",
];

/// Verbs of sorting files into folders; "clean up" only with a word that
/// says how ([`organize`]).
const ORGANIZE_VERBS: &[&str] = &[
    "organi*",
    "sort",
    "tidy",
    "arrange",
    "categori*",
    "declutter",
    "clean up",
    "group",
];

/// The file-changing intents.
pub(super) const INTENTS: &[Intent] = &[
    Intent {
        name: "organize_by_type",
        effect: Effect::Moves,
        examples: &[
            "organize ~/Downloads by file type",
            "sort my downloads into folders by type",
            "tidy up this folder",
        ],
        all: &[ORGANIZE_VERBS],
        any: &["type", "types", "kind", "by", "folders", "extension*"],
        none: &[
            "temp*", "tmp", "backup*", "junk", "process*", "memory", "cpu", "size", "largest",
            "lines", "branch*", "commit*", "git", "swap", "bak",
        ],
        build: organize,
    },
    Intent {
        name: "clean_temp_files",
        effect: Effect::Deletes,
        examples: &[
            "delete temporary files in ~/project",
            "clean up backup files recursively",
        ],
        all: &[
            &[
                "delete", "remove", "clean*", "trash", "get rid", "purge", "wipe", "rm", "erase",
            ],
            &[
                "temp*",
                "tmp",
                "backup*",
                "bak",
                "swap",
                "swp",
                "junk",
                "ds_store",
                ".ds_store",
                "leftover*",
            ],
        ],
        any: &["files"],
        none: &[
            "branch*",
            "stash*",
            "commit*",
            "<quoted>",
            "tmp folder",
            "temp folder",
            "tmp directory",
            "temp directory",
            "tmp dir",
            "backup folder",
            "backups folder",
            "backup directory",
        ],
        build: clean_temp,
    },
    Intent {
        name: "make_directory",
        effect: Effect::Changes,
        examples: &[
            "create a folder called build",
            "mkdir ~/projects/demo",
            "make a new directory named reports in ~/tmp",
        ],
        all: &[
            &["mkdir", "create", "make", "new", "add"],
            &["folder*", "director*", "dir", "mkdir"],
        ],
        any: &["called", "named"],
        none: &[
            "branch",
            "tag",
            "archive",
            "zip",
            "tar*",
            "commit",
            "<archive>",
            "organi*",
        ],
        build: make_directory,
    },
    Intent {
        name: "copy_files",
        effect: Effect::Copies,
        examples: &[
            "copy notes.txt to ~/backup",
            "copy all pdfs from ~/Downloads into ~/Documents",
        ],
        all: &[
            &["copy", "cp", "duplicate"],
            &["to", "into", "<path>", "<pattern>"],
        ],
        any: &["files"],
        none: &["branch*", "commit*", "<new_name>"],
        build: copy_files,
    },
    Intent {
        name: "move_files",
        effect: Effect::Moves,
        examples: &[
            "move report.pdf to ~/Documents",
            "move all *.log files into logs",
        ],
        all: &[
            &["move", "mv", "put", "relocate", "transfer"],
            &["to", "into", "<path>", "<pattern>"],
        ],
        any: &["files"],
        none: &["organi*", "by type", "branch*", "commit*", "rename", "tag*"],
        build: move_files,
    },
    Intent {
        name: "rename",
        effect: Effect::Changes,
        examples: &[
            "rename notes.txt to ideas.txt",
            "change the name of draft.md to final.md",
        ],
        all: &[&["rename", "change the name", "ren"], &["to", "as", "into"]],
        any: &["file", "folder"],
        none: &["branch*", "tag*", "<extension_change>"],
        build: rename,
    },
];

fn moving(action: FsAction, description: String) -> crate::plan::Step {
    fs(description, action, SafetyLevel::Moderate)
}

fn join_all(dir: &Path, globs: &[String]) -> Vec<String> {
    globs.iter().map(|glob| text(&dir.join(glob))).collect()
}

fn organize(query: &Query<'_>) -> Result<Plan, String> {
    // "clean up" alone could as well mean deleting junk or build output.
    let says_sorting = ORGANIZE_VERBS
        .iter()
        .filter(|verb| **verb != "clean up")
        .chain(&["type", "types", "kind", "extension*", "folders"])
        .any(|word| query.has(word));
    if !says_sorting {
        return Err(
            "say what cleaning up means here: sort the files into folders by type, or delete \
             temporary files."
                .to_owned(),
        );
    }
    let dir = query.location();
    Ok(plan(
        format!("Organize the files in {} into folders by type", text(&dir)),
        vec![fs(
            format!(
                "Sort the files directly in {} into one folder per type",
                text(&dir)
            ),
            FsAction::Organize { dir: text(&dir) },
            SafetyLevel::Moderate,
        )],
        "Each file goes to the folder of its type (images, documents, code, data, archives, audio, video, \
         other); a type with no files gets no folder, and the card lists how many files each folder receives. \
         Subfolders and dotfiles stay where they are, nothing is overwritten, and Undo moves everything back.",
    ))
}

/// The leftover patterns a request names ("the `.DS_Store` files", "backup
/// files"); all of them when it says only "temporary" or "junk".
fn temp_globs(query: &Query<'_>) -> Vec<String> {
    let kinds: [(&[&str], &[&str]); 4] = [
        (&["ds_store", ".ds_store", "ds_stores"], &[".DS_Stor[e]"]),
        (&["thumbs.db", "thumbs"], &["Thumbs.d[b]"]),
        (&["backup*", "bak", ".bak"], &["*.bak", "*~"]),
        (
            &["swap", "swp", ".swp", "vim"],
            &["*.swp", "*.swo", ".*.swp", ".*.swo"],
        ),
    ];
    let general = query.has_any(&["temp*", "tmp", "junk", "leftover*"]);
    let named: Vec<String> = kinds
        .iter()
        .filter(|(words, _)| query.has_any(words))
        .flat_map(|(_, globs)| globs.iter().map(|glob| (*glob).to_owned()))
        .collect();
    if named.is_empty() || general {
        return TEMP_GLOBS.iter().map(|glob| (*glob).to_owned()).collect();
    }
    named
}

fn clean_temp(query: &Query<'_>) -> Result<Plan, String> {
    let dir = query.location();
    let recursive = query.has_any(&RECURSIVE);
    let globs = temp_globs(query);
    let scope = if recursive {
        "and all its subfolders"
    } else {
        "(not its subfolders)"
    };
    let mut result = plan(
        format!(
            "Move temporary and backup files in {} {scope} to the trash",
            text(&dir)
        ),
        vec![fs(
            format!("Trash {} in {} {scope}", globs.join(", "), text(&dir)),
            FsAction::Trash {
                paths: join_all(&dir, &globs),
                recursive,
            },
            SafetyLevel::Destructive,
        )],
        "Editor swap files, backups (~, .bak) and OS leftovers are moved to DevOS's trash, from where Undo restores them.",
    );
    result.risks.push(
        "A file you still need could end in .bak or ~; check the preview before approving."
            .to_owned(),
    );
    Ok(result)
}

fn make_directory(query: &Query<'_>) -> Result<Plan, String> {
    let named = (0..query.tokens.len())
        .find(|&index| matches!(query.lower(index), "called" | "named"))
        .filter(|&index| index + 1 < query.tokens.len());
    let path = match named {
        Some(index) => query.new_name_at(index + 1),
        None => query
            .path_after(&["mkdir", "folder", "directory", "dir"])
            .map(|(_, path)| path)
            .ok_or(
                "say the name of the folder to create, e.g. \"create a folder called build\".",
            )?,
    };
    Ok(plan(
        format!("Create the directory {}", text(&path)),
        vec![fs(
            format!("Create {}", text(&path)),
            FsAction::Mkdir { path: text(&path) },
            SafetyLevel::Moderate,
        )],
        "The directory and any missing parents are created.",
    ))
}

/// Sources of a copy or move: explicit paths plus patterns under the "from"/"in" directory.
fn transfer_sources(query: &Query<'_>, to_index: Option<usize>) -> (Vec<String>, Option<usize>) {
    let from_dir = query.path_after(&["from", "in", "under", "inside"]);
    let base = from_dir
        .as_ref()
        .map_or_else(|| query.resolve("."), |(_, dir)| dir.clone());
    let from_index = from_dir.map(|(index, _)| index);
    let mut sources: Vec<String> = query
        .sources()
        .into_iter()
        .filter(|(index, _)| {
            Some(*index) != from_index && Some(*index) != to_index && !query.is_glob(*index)
        })
        .map(|(_, raw)| text(&query.resolve(&raw)))
        .collect();
    for pattern in query.name_patterns() {
        let path = if pattern.contains('/') || pattern.starts_with('~') {
            query.resolve(&pattern)
        } else {
            base.join(&pattern)
        };
        sources.push(text(&path));
    }
    (sources, from_index)
}

/// Where files go: the path after "to"/"into", or in `cp a b dir/` form
/// the last of two or more paths.
fn destination(query: &Query<'_>) -> Result<(Option<usize>, PathBuf), String> {
    if let Some((index, path)) = query.path_after(&TO_PREPS) {
        return Ok((Some(index), path));
    }
    let paths: Vec<usize> = (0..query.tokens.len())
        .filter(|&index| query.is_path_like(index) && !query.is_glob(index))
        .collect();
    let is_command_form = matches!(query.lower(0), "cp" | "mv");
    match paths.as_slice() {
        [.., last] if is_command_form && paths.len() >= 2 => {
            Ok((Some(*last), query.resolve(&query.tokens[*last].raw)))
        }
        _ => Err("say where to, e.g. \"… to ~/backup\".".to_owned()),
    }
}

fn copy_files(query: &Query<'_>) -> Result<Plan, String> {
    let (to_index, to_dir) = destination(query)?;
    let (from, _) = transfer_sources(query, to_index);
    if from.is_empty() {
        return Err("say which files to copy, e.g. \"copy notes.txt to ~/backup\".".to_owned());
    }
    let summary = format!("Copy {} into {}", from.join(", "), text(&to_dir));
    Ok(plan(
        summary.clone(),
        vec![fs(
            summary,
            FsAction::Copy {
                from,
                to_dir: text(&to_dir),
            },
            SafetyLevel::Moderate,
        )],
        "Files are copied keeping their names; a name already taken gets a suffix, nothing is overwritten.",
    ))
}

fn move_files(query: &Query<'_>) -> Result<Plan, String> {
    let (to_index, to_dir) = destination(query)?;
    let (from, _) = transfer_sources(query, to_index);
    if from.is_empty() {
        return Err("say which files to move, e.g. \"move report.pdf to ~/Documents\".".to_owned());
    }
    let summary = format!("Move {} into {}", from.join(", "), text(&to_dir));
    Ok(plan(
        summary.clone(),
        vec![moving(
            FsAction::Move {
                from,
                to_dir: text(&to_dir),
            },
            summary,
        )],
        "Files are moved keeping their names; a name already taken gets a suffix, nothing is overwritten.",
    ))
}

fn rename(query: &Query<'_>) -> Result<Plan, String> {
    let missing =
        || "say the old and the new name, e.g. \"rename notes.txt to ideas.txt\".".to_owned();
    let to_index = (0..query.tokens.len())
        .rev()
        .find(|&index| TO_PREPS.contains(&query.lower(index)))
        .map(|index| index + 1)
        .filter(|&index| index < query.tokens.len())
        .ok_or_else(missing)?;
    let from_index = (0..to_index - 1)
        .rev()
        .find(|&index| query.is_path_like(index))
        .ok_or_else(missing)?;
    let from = query.resolve(&query.tokens[from_index].raw);
    let new_name = &query.tokens[to_index].raw;
    let to = if new_name.contains('/') || new_name.starts_with('~') {
        query.resolve(new_name)
    } else {
        from.parent()
            .map_or_else(|| query.resolve(new_name), |parent| parent.join(new_name))
    };
    let summary = format!("Rename {} to {}", text(&from), text(&to));
    Ok(plan(
        summary.clone(),
        vec![fs(
            summary,
            FsAction::Rename {
                from: text(&from),
                to: text(&to),
            },
            SafetyLevel::Moderate,
        )],
        "The file keeps its content; the rename is refused if the new name is taken.",
    ))
}
