//! Aggregates of a directory as the file index reports them: totals by
//! category and the recent changes below it.

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use super::category::FileCategory;

/// What happened to a path.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ChangeKind {
    /// The path appeared (created, or renamed/moved to here).
    Created,
    /// Its size or modification time changed.
    Modified,
    /// The path went away (deleted, or renamed/moved away).
    Removed,
}

/// One entry of the recent-changes ring.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecentChange {
    /// The file (or, for a removed tree, the directory).
    pub path: PathBuf,
    /// What happened.
    pub kind: ChangeKind,
    /// When DevOS noticed it, Unix seconds.
    pub changed_at: i64,
}

/// Files and bytes of one category.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct CategoryCount {
    /// The category.
    pub category: FileCategory,
    /// Number of files.
    pub files: u64,
    /// Sum of their sizes.
    pub bytes: u64,
}

/// Aggregates for a directory and everything indexed below it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DirSummary {
    /// The directory.
    pub path: PathBuf,
    /// Files in it and below.
    pub files: u64,
    /// Subdirectories below it (ignored ones not counted).
    pub dirs: u64,
    /// Total size of those files.
    pub total_bytes: u64,
    /// Non-empty categories, most files first.
    pub by_category: Vec<CategoryCount>,
    /// Recent changes below it, newest first.
    pub recent: Vec<RecentChange>,
}
