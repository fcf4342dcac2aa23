//! Rates resolved file ops against the job's write roots. Pure apart from
//! checking whether a written file exists and resolving symlinks; it never
//! changes anything and never decides alone (policy and rules come after).

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::FileOp;
use super::paths::{exists, real_path};
use crate::plan::SafetyLevel;

/// The engine's rating of a set of file ops.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rating {
    /// The highest level among the ops (`Safe` when there are none).
    pub level: SafetyLevel,
    /// Why the level is what it is, one line per notable op.
    pub reasons: Vec<String>,
    /// Whether a person must approve before the ops run.
    pub needs_approval: bool,
}

/// Rates `ops`: creating, moving and copying inside `write_roots` is
/// `Moderate` and runs without approval; trashing, overwriting with `write`,
/// and touching any path outside the roots (source or destination) is
/// `Destructive` and needs approval.
pub fn rate(ops: &[FileOp], write_roots: &[PathBuf]) -> Rating {
    let roots: Vec<PathBuf> = write_roots.iter().map(|r| real_path(r)).collect();
    let is_inside = |path: &Path| {
        let real = real_path(path);
        roots.iter().any(|root| real.starts_with(root))
    };
    let mut level = if ops.is_empty() {
        SafetyLevel::Safe
    } else {
        SafetyLevel::Moderate
    };
    let mut reasons = Vec::new();
    let mut flag = |reason: String| {
        level = SafetyLevel::Destructive;
        reasons.push(reason);
    };
    for op in ops {
        for path in op.source().into_iter().chain(op.destination()) {
            if !is_inside(path) {
                flag(format!("{} is outside the write roots", path.display()));
            }
        }
        match op {
            FileOp::Trash { path } => flag(format!("trashes {}", path.display())),
            FileOp::Write { path, .. } if exists(path) => {
                flag(format!("overwrites {}", path.display()));
            }
            FileOp::Write { .. }
            | FileOp::Mkdir { .. }
            | FileOp::Move { .. }
            | FileOp::Copy { .. } => {}
        }
    }
    if level == SafetyLevel::Moderate {
        reasons
            .push("creates or moves files inside the write roots without overwriting".to_owned());
    }
    Rating {
        level,
        reasons,
        needs_approval: level == SafetyLevel::Destructive,
    }
}
