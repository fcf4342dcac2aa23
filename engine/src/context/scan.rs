//! Listing one directory for the index, with the ignore rules applied:
//! `.git` internals, `node_modules`, `target`, and whatever `.gitignore` files
//! (at any level, like git) exclude. It reads directory entries and their
//! metadata only, never file contents.

use std::collections::BTreeMap;
use std::path::{Component, Path, PathBuf};
use std::time::UNIX_EPOCH;

use ignore::Match;
use ignore::gitignore::{Gitignore, GitignoreBuilder};

use super::index::Entry;

/// Directory names never indexed, wherever they appear.
pub(crate) const IGNORED_NAMES: &[&str] = &[".git", "node_modules", "target"];

/// One directory's entries plus whether it is the top of a git work tree.
#[derive(Debug, Default)]
pub(crate) struct Listing {
    pub(crate) entries: Vec<Entry>,
    pub(crate) has_git: bool,
}

/// The `.gitignore` matchers found so far, by the directory holding them.
#[derive(Debug, Default)]
pub(crate) struct IgnoreRules {
    matchers: BTreeMap<PathBuf, Gitignore>,
}

impl IgnoreRules {
    /// (Re)reads `dir/.gitignore`, or forgets it when the file is gone.
    pub(crate) fn load_dir(&mut self, dir: &Path) {
        let file = dir.join(".gitignore");
        if !file.is_file() {
            self.matchers.remove(dir);
            return;
        }
        let mut builder = GitignoreBuilder::new(dir);
        if let Some(error) = builder.add(&file) {
            tracing::debug!(path = %file.display(), %error, "partly unreadable .gitignore");
        }
        match builder.build() {
            Ok(matcher) => {
                self.matchers.insert(dir.to_path_buf(), matcher);
            }
            Err(error) => {
                tracing::debug!(path = %file.display(), %error, "unusable .gitignore");
                self.matchers.remove(dir);
            }
        }
    }

    /// Forgets the matchers of `dir` and below (the tree went away).
    pub(crate) fn forget_subtree(&mut self, dir: &Path) {
        self.matchers.retain(|path, _| !path.starts_with(dir));
    }

    /// Whether `path` is excluded: a component is one of [`IGNORED_NAMES`], or
    /// the nearest `.gitignore` with an opinion ignores it.
    pub(crate) fn is_ignored(&self, path: &Path, is_dir: bool) -> bool {
        if has_ignored_component(path) {
            return true;
        }
        for dir in path.ancestors().skip(1) {
            if let Some(matcher) = self.matchers.get(dir) {
                match matcher.matched_path_or_any_parents(path, is_dir) {
                    Match::Ignore(_) => return true,
                    Match::Whitelist(_) => return false,
                    Match::None => {}
                }
            }
        }
        false
    }
}

/// Whether any component of `path` is an always-ignored name.
pub(crate) fn has_ignored_component(path: &Path) -> bool {
    path.components().any(|component| match component {
        Component::Normal(name) => IGNORED_NAMES.iter().any(|ignored| name == *ignored),
        Component::Prefix(_) | Component::RootDir | Component::CurDir | Component::ParentDir => {
            false
        }
    })
}

/// Lists `dir` (after loading its own `.gitignore`), skipping ignored entries.
/// Symbolic links are recorded as files and never followed.
pub(crate) fn list_dir(dir: &Path, rules: &mut IgnoreRules) -> std::io::Result<Listing> {
    rules.load_dir(dir);
    let mut listing = Listing::default();
    for entry in std::fs::read_dir(dir)? {
        let Ok(entry) = entry else { continue };
        let name = entry.file_name();
        if name == ".git" {
            listing.has_git = true;
            continue;
        }
        let Ok(metadata) = entry.metadata() else {
            continue; // removed between readdir and stat
        };
        let is_dir = metadata.is_dir();
        let path = entry.path();
        if rules.is_ignored(&path, is_dir) {
            continue;
        }
        let mtime = metadata
            .modified()
            .ok()
            .and_then(|time| time.duration_since(UNIX_EPOCH).ok())
            .map_or(0, |age| i64::try_from(age.as_secs()).unwrap_or(i64::MAX));
        listing.entries.push(Entry {
            name: name.to_string_lossy().into_owned(),
            size: if is_dir { 0 } else { metadata.len() },
            mtime,
            is_dir,
        });
    }
    Ok(listing)
}

#[cfg(test)]
mod tests {
    use super::*;
    use pretty_assertions::assert_eq;

    #[test]
    fn listing_skips_fixed_names_and_gitignored_entries() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        for sub in [".git", "node_modules", "target", "build", "src"] {
            std::fs::create_dir(root.join(sub)).unwrap();
        }
        std::fs::write(root.join(".gitignore"), "build/\n*.log\n!keep.log\n").unwrap();
        for name in ["a.rs", "debug.log", "keep.log"] {
            std::fs::write(root.join(name), "x").unwrap();
        }
        let mut rules = IgnoreRules::default();
        let listing = list_dir(root, &mut rules).unwrap();
        let mut names: Vec<&str> = listing.entries.iter().map(|e| e.name.as_str()).collect();
        names.sort_unstable();
        assert_eq!(names, vec![".gitignore", "a.rs", "keep.log", "src"]);
        assert!(listing.has_git);
        assert!(rules.is_ignored(&root.join("build/x/y.rs"), false));
        assert!(rules.is_ignored(&root.join("node_modules/p/index.js"), false));
        assert!(!rules.is_ignored(&root.join("src/main.rs"), false));
    }
}
