//! Path helpers shared by the file-action modules: `~` and relative
//! expansion, lexical normalisation, symlink-aware containment and
//! collision-free names. Pure except for `real_path` and `free_name`'s probe.

use std::ffi::OsString;
use std::path::{Component, Path, PathBuf};

use crate::{Error, Result};

/// Turns a plan path into an absolute, normalised path: `~` and `~name`
/// are those homes, relative paths are joined to `cwd`.
pub(crate) fn expand(raw: &str, cwd: &Path, home: &Path) -> Result<PathBuf> {
    if raw.is_empty() {
        return Err(Error::Invalid("empty path in file action".to_owned()));
    }
    let joined = crate::typed_path::expand_tilde(raw, home).unwrap_or_else(|| cwd.join(raw));
    Ok(normalize(&joined))
}

pub(crate) use crate::typed_path::normalize;

/// The path with symlinks resolved in its longest existing ancestor, so that
/// `root/link-to-etc/passwd` is seen as `/etc/passwd`.
pub(crate) fn real_path(path: &Path) -> PathBuf {
    let mut rest = Vec::new();
    let mut base = path;
    loop {
        if let Ok(real) = base.canonicalize() {
            return rest.iter().rev().fold(real, |acc, part| acc.join(part));
        }
        match (base.parent(), base.file_name()) {
            (Some(parent), Some(name)) => {
                rest.push(name.to_owned());
                base = parent;
            }
            _ => return path.to_path_buf(),
        }
    }
}

/// Whether `s` contains glob syntax.
pub(crate) fn is_glob(s: &str) -> bool {
    s.contains(['*', '?', '['])
}

/// `dir/name`, or `dir/name (1).ext`, `dir/name (2).ext`… — the first one for
/// which `is_taken` says no.
pub(crate) fn free_name(
    dir: &Path,
    name: &std::ffi::OsStr,
    is_taken: impl Fn(&Path) -> bool,
) -> PathBuf {
    let first = dir.join(name);
    if !is_taken(&first) {
        return first;
    }
    let as_path = Path::new(name);
    let (stem, ext) = match (as_path.file_stem(), as_path.extension()) {
        (Some(stem), Some(ext)) => (stem.to_owned(), Some(ext.to_owned())),
        _ => (name.to_owned(), None),
    };
    (1u64..)
        .map(|n| {
            let mut candidate = OsString::from(&stem);
            candidate.push(format!(" ({n})"));
            if let Some(ext) = &ext {
                candidate.push(".");
                candidate.push(ext);
            }
            dir.join(candidate)
        })
        .find(|candidate| !is_taken(candidate))
        .unwrap_or(first)
}

/// Whether anything (even a dangling symlink) exists at `path`.
pub(crate) fn exists(path: &Path) -> bool {
    path.symlink_metadata().is_ok()
}

/// Where a trashed or saved file goes inside `trash_dir`: its absolute path
/// re-rooted there, with a suffix when that slot is already used.
pub(crate) fn trash_slot(trash_dir: &Path, original: &Path) -> PathBuf {
    let relative: PathBuf = original
        .components()
        .filter(|c| matches!(c, Component::Normal(_)))
        .collect();
    let slot = trash_dir.join(relative);
    match (slot.parent(), slot.file_name()) {
        (Some(parent), Some(name)) => free_name(parent, name, exists),
        _ => slot,
    }
}

/// Whether `path` is inside one of `roots` with no symlink on the way: every
/// existing component below the root is a real directory (the last one may
/// be a file or, when `last_may_link`, a symlink that is itself the subject).
pub(crate) fn is_contained(path: &Path, roots: &[PathBuf], last_may_link: bool) -> bool {
    roots.iter().any(|root| {
        let real_root = real_path(root);
        let Ok(rest) = path
            .strip_prefix(root)
            .or_else(|_| path.strip_prefix(&real_root))
        else {
            return false;
        };
        let mut current = real_root.clone();
        let parts: Vec<_> = rest.components().collect();
        for (at, part) in parts.iter().enumerate() {
            current.push(part);
            let is_last = at + 1 == parts.len();
            match current.symlink_metadata() {
                Ok(meta) if meta.file_type().is_symlink() => {
                    if !(is_last && last_may_link) {
                        return false;
                    }
                }
                Ok(_) => {}
                // Nothing exists from here on: it will be created inside.
                Err(_) => return true,
            }
        }
        true
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expand_handles_home_relative_and_dots() {
        let cwd = Path::new("/w/job");
        let home = Path::new("/home/u");
        for (raw, want) in [
            ("~", "/home/u"),
            ("~/Downloads/a.txt", "/home/u/Downloads/a.txt"),
            ("a/./b/../c", "/w/job/a/c"),
            ("/etc/x", "/etc/x"),
        ] {
            assert_eq!(
                expand(raw, cwd, home).ok(),
                Some(PathBuf::from(want)),
                "{raw}"
            );
        }
        // Another account's home, from /etc/passwd; an unknown one stays a
        // literal name, as in bash.
        assert_eq!(
            expand("~root/x", cwd, home).ok(),
            Some(PathBuf::from("/root/x"))
        );
        assert_eq!(
            expand("~no-such-account/x", cwd, home).ok(),
            Some(PathBuf::from("/w/job/~no-such-account/x"))
        );
        assert!(expand("", cwd, home).is_err());
    }

    #[test]
    fn free_name_adds_numbered_suffix_before_extension() {
        let taken = [PathBuf::from("/d/a.txt"), PathBuf::from("/d/a (1).txt")];
        let got = free_name(Path::new("/d"), "a.txt".as_ref(), |p| {
            taken.iter().any(|t| t == p)
        });
        assert_eq!(got, PathBuf::from("/d/a (2).txt"));
        let got = free_name(Path::new("/d"), "Makefile".as_ref(), |p| {
            p == Path::new("/d/Makefile")
        });
        assert_eq!(got, PathBuf::from("/d/Makefile (1)"));
    }
}
