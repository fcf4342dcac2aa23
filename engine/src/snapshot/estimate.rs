//! A quick look at a write root before approval: how many files and bytes a
//! snapshot of it would hold and which left-out folders it has, within a time
//! budget, so the approval card can say whether the step can be undone. It
//! reads directory entries and their metadata only, never file contents.

use std::fs;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use super::take::Limits;

/// What a snapshot of one root would be.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Coverage {
    /// It fits the caps.
    Covered {
        /// Files and symlinks.
        files: u64,
        /// Bytes of file content.
        bytes: u64,
        /// Left-out folders found (relative to the root), sorted.
        skipped: Vec<PathBuf>,
    },
    /// More files than the cap.
    TooManyFiles(u64),
    /// More bytes than the cap.
    TooBig(u64),
    /// Not walked within the time budget.
    TooSlow(Duration),
    /// Not a readable folder.
    Missing,
}

/// Walks `root` as a snapshot would, stopping at the caps or after `budget`.
pub fn estimate(root: &Path, limits: &Limits, budget: Duration) -> Coverage {
    if !fs::symlink_metadata(root).is_ok_and(|m| m.is_dir()) {
        return Coverage::Missing;
    }
    let started = Instant::now();
    let (mut files, mut bytes) = (0u64, 0u64);
    let mut skipped = Vec::new();
    let mut pending = vec![root.to_path_buf()];
    while let Some(dir) = pending.pop() {
        if started.elapsed() > budget {
            return Coverage::TooSlow(budget);
        }
        let Ok(listing) = fs::read_dir(&dir) else {
            continue;
        };
        for item in listing.flatten() {
            let Ok(meta) = item.metadata() else { continue };
            if meta.is_dir() {
                let name = item.file_name();
                if limits.skip.contains(&name) {
                    let path = item.path();
                    skipped.push(path.strip_prefix(root).unwrap_or(&path).to_path_buf());
                } else {
                    pending.push(item.path());
                }
                continue;
            }
            files += 1;
            if meta.is_file() {
                bytes += meta.len();
            }
            if files > limits.max_files {
                return Coverage::TooManyFiles(limits.max_files);
            }
            if bytes > limits.max_bytes {
                return Coverage::TooBig(limits.max_bytes);
            }
        }
    }
    skipped.sort();
    Coverage::Covered {
        files,
        bytes,
        skipped,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limits(max_files: u64) -> Limits {
        Limits {
            max_files,
            max_bytes: 1 << 30,
            skip: vec!["node_modules".into()],
        }
    }

    #[test]
    fn counts_files_names_left_out_folders_and_stops_at_the_cap() {
        let dir = tempfile::tempdir().unwrap();
        fs::create_dir_all(dir.path().join("src/node_modules/x")).unwrap();
        fs::write(dir.path().join("src/a.rs"), "abc").unwrap();
        fs::write(dir.path().join("src/node_modules/x/big"), "0123456789").unwrap();
        fs::write(dir.path().join("b"), "de").unwrap();
        let budget = Duration::from_secs(5);
        assert_eq!(
            estimate(dir.path(), &limits(10), budget),
            Coverage::Covered {
                files: 2,
                bytes: 5,
                skipped: vec![PathBuf::from("src/node_modules")],
            }
        );
        assert_eq!(
            estimate(dir.path(), &limits(1), budget),
            Coverage::TooManyFiles(1)
        );
        assert_eq!(
            estimate(&dir.path().join("nope"), &limits(1), budget),
            Coverage::Missing
        );
    }
}
