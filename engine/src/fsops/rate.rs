//! Rates resolved file ops against the job's write roots. Pure apart from
//! checking whether a written file exists and resolving symlinks; it never
//! changes anything and never decides alone (policy and rules come after).

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::FileOp;
use super::paths::{exists, real_path};
use super::tracked::TrackedFiles;
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
    /// An op moves or trashes a home, system or credentials directory: never run.
    pub forbidden: bool,
}

/// Credentials directories under the home that are never trashed or moved away.
const CREDENTIAL_DIRS: &[&str] = &[
    ".ssh",
    ".aws",
    ".gnupg",
    ".kube",
    ".docker",
    ".config/gh",
    ".password-store",
];

/// Files a tool runs or loads later: creating one needs approval.
fn runs_later(path: &Path, home: &Path) -> bool {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy())
        .unwrap_or_default();
    let text = path.to_string_lossy();
    matches!(
        name.as_ref(),
        "build.rs"
            | "conftest.py"
            | ".envrc"
            | "Makefile"
            | "makefile"
            | "GNUmakefile"
            | "setup.py"
            | "sitecustomize.py"
            | "usercustomize.py"
            | ".bashrc"
            | ".bash_profile"
            | ".profile"
            | ".zshrc"
            | ".zprofile"
            | ".bash_login"
            | ".bash_logout"
            | "authorized_keys"
            | ".npmrc"
            | ".pth"
            | "justfile"
            | ".gitattributes"
    ) || text.contains("/.git/hooks/")
        // A repository's config names programs git runs (core.fsmonitor, …).
        || text.ends_with("/.git/config")
        || text.ends_with(".cargo/config.toml")
        || text.ends_with(".cargo/config")
        || name.ends_with(".pth")
        || path.starts_with(home.join(".config/autostart"))
        || path.starts_with(home.join(".config/systemd"))
        || path.starts_with(home.join(".local/bin"))
}

/// Whether removing or moving `path` away would take a home, a system or a
/// credentials directory with it.
fn is_protected(path: &Path, home: &Path) -> bool {
    crate::risk::is_system_dir(path)
        // `/tmp` is shared by every program on the machine.
        || path == Path::new("/tmp")
        || home.starts_with(path)
        || path.parent() == Some(Path::new("/home"))
        || CREDENTIAL_DIRS
            .iter()
            .any(|dir| home.join(dir).starts_with(path) || path == home.join(dir))
}

/// Rates `ops`: creating, moving and copying inside `write_roots` is
/// `Moderate` and runs without approval; trashing, overwriting with `write`,
/// moving a file that a git repository tracks, and touching any path outside
/// the roots (source or destination) is `Destructive` and needs approval.
/// Moving anything into the job's `temp_dir`, which is deleted when the job
/// ends, is forbidden.
pub fn rate(
    ops: &[FileOp],
    write_roots: &[PathBuf],
    home: &Path,
    temp_dir: Option<&Path>,
) -> Rating {
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
    let mut forbidden = false;
    for op in ops {
        if let FileOp::Trash { path } | FileOp::Move { from: path, .. } = op
            && is_protected(path, home)
        {
            forbidden = true;
            reasons.push(format!(
                "{} is a home, system or credentials directory and is never moved or trashed",
                path.display()
            ));
        }
        if let Some(to) = temp_dir.and_then(|temp| super::moves_into(op, temp)) {
            forbidden = true;
            reasons.push(format!(
                "{} is in the job's temp dir, which is deleted when the job ends; \
                 what is moved there would be lost",
                to.display()
            ));
        }
        if let Some(path) = op.destination()
            && runs_later(path, home)
        {
            reasons.push(format!(
                "{} is a file that a tool runs or loads later",
                path.display()
            ));
            level = SafetyLevel::Destructive;
        }
    }
    let mut flag = |reason: String| {
        level = SafetyLevel::Destructive;
        reasons.push(reason);
    };
    let mut tracked = TrackedFiles::default();
    for op in ops {
        if let FileOp::Move { from, .. } = op
            && let Some(root) = tracked.repository_tracking(from)
        {
            flag(format!(
                "moves {}, which the git repository at {} tracks",
                from.display(),
                root.display()
            ));
        }
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
    if forbidden {
        level = SafetyLevel::Destructive;
    }
    Rating {
        level,
        reasons,
        needs_approval: level == SafetyLevel::Destructive,
        forbidden,
    }
}
