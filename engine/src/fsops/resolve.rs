//! Expands an [`FsAction`] into concrete [`FileOp`]s against the filesystem as
//! it is now. Reads directories; changes nothing.

use std::collections::HashSet;
use std::fs;
use std::path::{Path, PathBuf};

use glob::{MatchOptions, Pattern};

use super::FileOp;
use super::paths::{exists, expand, free_name, is_glob};
use crate::context::FileCategory;
use crate::plan::FsAction;
use crate::{Error, Result};

/// Directories a recursive glob never descends into.
const SKIPPED_DIRS: [&str; 3] = [".git", "node_modules", "target"];

/// Expands `action` into ops with absolute paths (`~` is `home`, relative
/// paths are joined to `cwd`).
///
/// Globs match regular files only, in the directory they name (and its
/// subdirectories for a recursive `trash`), skipping dotfiles unless the
/// pattern starts with `.`. `claimed` carries sources already taken and
/// destinations already reserved by earlier steps of the same plan: claimed
/// sources are skipped and claimed destinations count as taken, so the last
/// `move * other` of an organize plan only takes what is left. Destination
/// names never collide: `a.txt` becomes `a (1).txt`.
///
/// Fails with [`Error::NotFound`] for a missing plain path, [`Error::Conflict`]
/// when a rename target is taken and [`Error::Invalid`] for unsupported input
/// (a glob in a directory part, copying a directory).
pub fn resolve(
    action: &FsAction,
    cwd: &Path,
    home: &Path,
    claimed: &mut HashSet<PathBuf>,
) -> Result<Vec<FileOp>> {
    match action {
        FsAction::Mkdir { path } => {
            let path = expand(path, cwd, home)?;
            match path.symlink_metadata() {
                Ok(meta) if meta.is_dir() => Ok(Vec::new()),
                Ok(_) => Err(Error::Conflict(format!(
                    "{} exists and is not a directory",
                    path.display()
                ))),
                Err(_) => Ok(vec![FileOp::Mkdir { path }]),
            }
        }
        FsAction::Move { from, to_dir } => into_dir(from, to_dir, cwd, home, claimed, true),
        FsAction::Organize { dir } => organize(dir, cwd, home, claimed),
        FsAction::Copy { from, to_dir } => into_dir(from, to_dir, cwd, home, claimed, false),
        FsAction::Rename { from, to } => {
            if is_glob(from) || is_glob(to) {
                return Err(Error::Invalid(
                    "rename takes plain paths, not globs".to_owned(),
                ));
            }
            let from = expand(from, cwd, home)?;
            let to = expand(to, cwd, home)?;
            if claimed.contains(&from) {
                return Ok(Vec::new());
            }
            if !exists(&from) {
                return Err(Error::NotFound(from.display().to_string()));
            }
            if exists(&to) || claimed.contains(&to) {
                return Err(Error::Conflict(format!(
                    "{} is already taken",
                    to.display()
                )));
            }
            claimed.insert(from.clone());
            claimed.insert(to.clone());
            Ok(vec![FileOp::Move { from, to }])
        }
        FsAction::Write { path, content } => {
            let path = expand(path, cwd, home)?;
            claimed.insert(path.clone());
            Ok(vec![FileOp::Write {
                path,
                content: content.clone(),
            }])
        }
        FsAction::Trash { paths, recursive } => {
            let sources = sources(paths, cwd, home, claimed, *recursive)?;
            claimed.extend(sources.iter().cloned());
            Ok(sources
                .into_iter()
                .map(|path| FileOp::Trash { path })
                .collect())
        }
    }
}

/// Ops for `move`/`copy` into a directory, with a `mkdir` first when needed.
fn into_dir(
    from: &[String],
    to_dir: &str,
    cwd: &Path,
    home: &Path,
    claimed: &mut HashSet<PathBuf>,
    is_move: bool,
) -> Result<Vec<FileOp>> {
    let dir = expand(to_dir, cwd, home)?;
    let sources = sources(from, cwd, home, claimed, false)?;
    let mut ops = Vec::new();
    if !dir.is_dir() && !sources.is_empty() {
        ops.push(FileOp::Mkdir { path: dir.clone() });
    }
    for from in sources {
        let Some(name) = from.file_name() else {
            return Err(Error::Invalid(format!(
                "{} has no file name",
                from.display()
            )));
        };
        if from.parent() == Some(dir.as_path()) {
            // Already where it should be; moving it would only rename it.
            claimed.insert(from);
            continue;
        }
        if !is_move && from.is_dir() {
            return Err(Error::Invalid(format!(
                "{}: copying directories is not supported",
                from.display()
            )));
        }
        let to = free_name(&dir, name, |p| exists(p) || claimed.contains(p));
        claimed.insert(to.clone());
        if is_move {
            claimed.insert(from.clone());
            ops.push(FileOp::Move { from, to });
        } else {
            ops.push(FileOp::Copy { from, to });
        }
    }
    Ok(ops)
}

/// Ops that sort the unclaimed regular files directly in `dir` (dotfiles
/// stay) into one folder per [`FileCategory`], in the order of
/// [`FileCategory::ALL`]; categories without files get no folder.
fn organize(
    dir: &str,
    cwd: &Path,
    home: &Path,
    claimed: &mut HashSet<PathBuf>,
) -> Result<Vec<FileOp>> {
    let dir = expand(dir, cwd, home)?;
    if !dir.is_dir() {
        return Err(Error::NotFound(format!(
            "{} is not a folder",
            dir.display()
        )));
    }
    let every_file = Pattern::new("*").map_err(|e| Error::Invalid(e.to_string()))?;
    let mut files = Vec::new();
    match_in(&dir, &every_file, false, &mut files)?;
    let mut by_category: Vec<Vec<String>> = vec![Vec::new(); FileCategory::ALL.len()];
    for file in files.iter().filter(|file| !claimed.contains(*file)) {
        let name = file
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default();
        if let Some(group) = by_category.get_mut(FileCategory::of_name(name).index()) {
            group.push(file.display().to_string());
        }
    }
    let mut ops = Vec::new();
    for (category, group) in FileCategory::ALL.iter().zip(&by_category) {
        if !group.is_empty() {
            let to_dir = dir.join(category.name()).display().to_string();
            ops.extend(into_dir(group, &to_dir, cwd, home, claimed, true)?);
        }
    }
    Ok(ops)
}

/// Expands plain paths and globs into existing, unclaimed source paths, in
/// order and without duplicates.
fn sources(
    raw: &[String],
    cwd: &Path,
    home: &Path,
    claimed: &HashSet<PathBuf>,
    recursive: bool,
) -> Result<Vec<PathBuf>> {
    let mut found: Vec<PathBuf> = Vec::new();
    for item in raw {
        let path = expand(item, cwd, home)?;
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default();
        let Some(dir) = path.parent() else {
            return Err(Error::Invalid(format!("{item}: no directory to match in")));
        };
        if is_glob(&dir.to_string_lossy()) {
            return Err(Error::Invalid(format!(
                "{item}: globs are supported in the last part only"
            )));
        }
        if !is_glob(name) {
            if claimed.contains(&path) {
                continue;
            }
            if !exists(&path) {
                return Err(Error::NotFound(path.display().to_string()));
            }
            found.push(path);
            continue;
        }
        let pattern = Pattern::new(name).map_err(|e| Error::Invalid(format!("{item}: {e}")))?;
        let mut matched = Vec::new();
        match_in(dir, &pattern, recursive, &mut matched)?;
        found.extend(matched.into_iter().filter(|p| !claimed.contains(p)));
    }
    let mut seen = HashSet::new();
    found.retain(|p| seen.insert(p.clone()));
    Ok(found)
}

/// Collects regular files in `dir` whose names match `pattern`, sorted, and
/// those of non-hidden, non-skipped subdirectories when `recursive`.
fn match_in(dir: &Path, pattern: &Pattern, recursive: bool, out: &mut Vec<PathBuf>) -> Result<()> {
    let options = MatchOptions {
        case_sensitive: true,
        require_literal_separator: true,
        require_literal_leading_dot: true,
    };
    let entries = match fs::read_dir(dir) {
        Ok(entries) => entries,
        // A directory that does not exist yet simply has no matches.
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(err) => return Err(Error::io(dir, err)),
    };
    let mut entries = entries
        .collect::<std::io::Result<Vec<_>>>()
        .map_err(|e| Error::io(dir, e))?;
    entries.sort_by_key(fs::DirEntry::file_name);
    let mut subdirs = Vec::new();
    for entry in entries {
        let file_type = entry.file_type().map_err(|e| Error::io(entry.path(), e))?;
        let name = entry.file_name();
        let Some(name) = name.to_str() else { continue };
        if file_type.is_file() && pattern.matches_with(name, options) {
            out.push(entry.path());
        } else if recursive
            && file_type.is_dir()
            && !name.starts_with('.')
            && !SKIPPED_DIRS.contains(&name)
        {
            subdirs.push(entry.path());
        }
    }
    for sub in subdirs {
        match_in(&sub, pattern, recursive, out)?;
    }
    Ok(())
}
