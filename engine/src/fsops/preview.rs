//! What an approval card shows for a file action: how many files, how many
//! bytes, and a few names. Reads sizes; changes nothing.

use std::fs;
use std::path::Path;

use serde::{Deserialize, Serialize};

use super::FileOp;
use crate::plan::FsAction;

/// How many names a preview lists.
const SAMPLE_SIZE: usize = 8;

/// A short description of resolved ops.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Preview {
    /// Files (or directories) moved, copied, trashed or written; `mkdir`s are not counted.
    pub files: usize,
    /// Their total size in bytes (directories counted recursively).
    pub bytes: u64,
    /// The first few names.
    pub sample: Vec<String>,
    /// One line, e.g. `12 files, 3.4 MB: a.tmp, b~, …`.
    pub summary: String,
}

/// Summarises `ops`, which were resolved from `action`.
pub fn preview(action: &FsAction, ops: &[FileOp]) -> Preview {
    let mut files = 0;
    let mut counted = Tally::default();
    let mut names = Vec::new();
    for op in ops {
        let (path, size) = match op {
            FileOp::Mkdir { .. } => continue,
            FileOp::Write { path, content } => (
                path,
                Tally {
                    files: 1,
                    bytes: u64::try_from(content.len()).unwrap_or(u64::MAX),
                    ..Tally::default()
                },
            ),
            FileOp::Move { from: path, .. }
            | FileOp::Copy { from: path, .. }
            | FileOp::Trash { path } => (path, tally(path)),
        };
        files += 1;
        counted.add(&size);
        let slash = if size.folders > 0 { "/" } else { "" };
        names.push(path.file_name().map_or_else(
            || path.display().to_string(),
            |n| format!("{}{slash}", n.to_string_lossy()),
        ));
    }
    let more = names.len() > SAMPLE_SIZE;
    names.truncate(SAMPLE_SIZE);
    let summary = if files == 0 {
        empty_summary(action, ops)
    } else {
        let listed = if matches!(action, FsAction::Organize { .. }) {
            per_folder(ops)
        } else {
            let ellipsis = if more { ", …" } else { "" };
            format!("{}{ellipsis}", names.join(", "))
        };
        format!(
            "{}, {}: {listed}",
            counted.describe(),
            human_bytes(counted.bytes)
        )
    };
    Preview {
        files,
        bytes: counted.bytes,
        sample: names,
        summary,
    }
}

/// How many files each destination folder receives, in the order of the
/// ops: `3 → images/, 1 → other/`.
fn per_folder(ops: &[FileOp]) -> String {
    let mut counts: Vec<(String, usize)> = Vec::new();
    for op in ops {
        let FileOp::Move { to, .. } = op else {
            continue;
        };
        let folder = to
            .parent()
            .and_then(Path::file_name)
            .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
        match counts.iter_mut().find(|(known, _)| *known == folder) {
            Some((_, count)) => *count += 1,
            None => counts.push((folder, 1)),
        }
    }
    counts
        .iter()
        .map(|(folder, count)| format!("{count} → {folder}/"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The summary when no file is touched.
fn empty_summary(action: &FsAction, ops: &[FileOp]) -> String {
    match action {
        FsAction::Mkdir { path } if ops.is_empty() => format!("{path} already exists"),
        FsAction::Mkdir { path } => format!("create directory {path}"),
        FsAction::Organize { dir } => format!("no files to sort in {dir}"),
        FsAction::Move { from, .. } | FsAction::Copy { from, .. } => no_match(from),
        FsAction::Trash { paths, .. } => no_match(paths),
        FsAction::Rename { from, .. } => no_match(std::slice::from_ref(from)),
        FsAction::Write { path, .. } => format!("nothing to write to {path}"),
    }
}

fn no_match(patterns: &[String]) -> String {
    format!("no files match {} yet", patterns.join(", "))
}

/// What the ops touch: loose files, folders (each counted once, top level
/// only) and the files inside those folders, with their total size.
#[derive(Debug, Default, Clone, Copy)]
struct Tally {
    files: usize,
    folders: usize,
    files_in_folders: usize,
    bytes: u64,
}

impl Tally {
    fn add(&mut self, other: &Self) {
        self.files += other.files;
        self.folders += other.folders;
        self.files_in_folders += other.files_in_folders;
        self.bytes = self.bytes.saturating_add(other.bytes);
    }

    /// `3 files`, `1 folder holding 12 files`, `2 files and 1 folder holding 1 file`.
    fn describe(&self) -> String {
        let mut parts = Vec::new();
        if self.files > 0 || self.folders == 0 {
            parts.push(plural(self.files, "file"));
        }
        if self.folders > 0 {
            parts.push(format!(
                "{} holding {}",
                plural(self.folders, "folder"),
                plural(self.files_in_folders, "file")
            ));
        }
        parts.join(" and ")
    }
}

fn plural(count: usize, noun: &str) -> String {
    if count == 1 {
        format!("1 {noun}")
    } else {
        format!("{count} {noun}s")
    }
}

/// A file, or a folder with everything under it; symlinks count as themselves.
fn tally(path: &Path) -> Tally {
    let Ok(meta) = path.symlink_metadata() else {
        return Tally::default();
    };
    if !meta.is_dir() {
        return Tally {
            files: 1,
            bytes: meta.len(),
            ..Tally::default()
        };
    }
    let mut inside = Tally::default();
    if let Ok(entries) = fs::read_dir(path) {
        for entry in entries.filter_map(std::result::Result::ok) {
            inside.add(&tally(&entry.path()));
        }
    }
    Tally {
        files: 0,
        folders: 1,
        files_in_folders: inside.files + inside.files_in_folders,
        bytes: inside.bytes,
    }
}

/// Decimal units with one decimal place: `950 B`, `3.4 MB`. The one size
/// format of DevOS: cards, pages, messages and the CLI.
pub fn human_bytes(bytes: u64) -> String {
    const UNITS: [&str; 4] = ["kB", "MB", "GB", "TB"];
    if bytes < 1000 {
        return format!("{bytes} B");
    }
    let mut unit = 1000u64;
    for (i, name) in UNITS.iter().enumerate() {
        if bytes < unit.saturating_mul(1000) || i == UNITS.len() - 1 {
            let tenths = bytes.saturating_mul(10) / unit;
            return format!("{}.{} {name}", tenths / 10, tenths % 10);
        }
        unit = unit.saturating_mul(1000);
    }
    format!("{bytes} B")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn human_bytes_uses_decimal_units() {
        for (bytes, want) in [
            (0, "0 B"),
            (999, "999 B"),
            (1000, "1.0 kB"),
            (3_456_789, "3.4 MB"),
            (2_000_000_000, "2.0 GB"),
        ] {
            assert_eq!(human_bytes(bytes), want, "{bytes}");
        }
    }
}
