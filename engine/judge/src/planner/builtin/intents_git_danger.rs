//! The dangerous git requests, planned exactly as asked with a preview of
//! what they would lose: reset --hard (and clean), force-push and wiping
//! the history. The engine rates them destructive and gates them.

use crate::plan::{FsAction, Plan, SafetyLevel};

use super::intent::{Effect, Intent};
use super::intents_git::git;
use super::query::Query;
use super::quote::quote;
use super::steps::{arg, bash, fs, plan, read, text};

/// The intents of this module.
pub(super) const INTENTS: &[Intent] = &[
    Intent {
        name: "git_reset_hard",
        effect: Effect::Deletes,
        examples: &["git reset --hard", "throw away all my local changes"],
        all: &[
            &[
                "reset",
                "throw away",
                "discard",
                "wipe",
                "drop",
                "get rid",
                "nuke",
                "remove",
            ],
            &[
                "--hard",
                "hard",
                "local changes",
                "all changes",
                "all my changes",
                "uncommitted",
                "all my local",
                "everything since",
            ],
        ],
        any: &["git", "clean", "untracked"],
        none: &["<file>", "stash*", "history", "commits", "branch"],
        build: git_reset_hard,
    },
    Intent {
        name: "git_force_push",
        effect: Effect::Changes,
        examples: &["force push to origin", "git push --force"],
        all: &[
            &["push"],
            &["force", "--force", "-f", "forcefully", "overwrite"],
        ],
        any: &["origin", "remote"],
        none: &[],
        build: git_force_push,
    },
    Intent {
        name: "git_wipe_history",
        effect: Effect::Deletes,
        examples: &[
            "wipe the git history and start fresh",
            "delete the .git folder",
        ],
        all: &[
            &[
                "wipe",
                "delete",
                "remove",
                "erase",
                "throw away",
                "get rid",
                "nuke",
                "destroy",
                "purge",
                "clear",
                "reset",
                "start over",
                "start fresh",
            ],
            &[
                "history",
                ".git",
                "all commits",
                "every commit",
                "git folder",
                "git directory",
                "git repo",
                "repository",
            ],
        ],
        any: &["git", "fresh", "start"],
        none: &[
            "<file>",
            "branch*",
            "stash*",
            "last commit",
            "bash history",
            "shell history",
            "browser",
        ],
        build: git_wipe_history,
    },
];

fn git_reset_hard(query: &Query<'_>) -> Result<Plan, String> {
    let git = git(query);
    let target = query
        .name_after(&["to"])
        .filter(|name| {
            name.contains('/') || name.len() >= 7 || name.contains('~') || name.starts_with("HEAD")
        })
        .unwrap_or_else(|| "HEAD".to_owned());
    let clean = query.has_any(&["clean", "untracked", "new files", "everything"]);
    let mut steps = vec![
        read("Show what would be lost", format!("{git} status --short")),
        bash(
            format!("Reset the branch, index and working tree to {target}"),
            format!("{git} reset --hard {}", quote(&target)),
            SafetyLevel::Destructive,
        ),
    ];
    if clean {
        steps.push(bash(
            "Delete untracked files and folders",
            format!("{git} clean -fd"),
            SafetyLevel::Destructive,
        ));
    }
    let mut result = plan(
        format!(
            "Throw away all uncommitted changes (git reset --hard {target}{})",
            if clean { " and git clean" } else { "" }
        ),
        steps,
        "The working tree ends up exactly as the commit.",
    );
    result
        .risks
        .push("Uncommitted changes are lost; git cannot bring them back.".to_owned());
    Ok(result)
}

fn git_force_push(query: &Query<'_>) -> Result<Plan, String> {
    let remote = query
        .name_after(&["to"])
        .filter(|name| {
            !matches!(
                name.to_lowercase().as_str(),
                "the" | "remote" | "github" | "server"
            )
        })
        .unwrap_or_else(|| "origin".to_owned());
    let summary = format!("Force-push the current branch to {remote}");
    let mut result = plan(
        summary.clone(),
        vec![bash(
            summary,
            format!("{} push --force {} HEAD", git(query), quote(&remote)),
            SafetyLevel::Destructive,
        )],
        "The remote branch is replaced by yours.",
    );
    result
        .risks
        .push("Commits on the remote that you do not have are lost there.".to_owned());
    Ok(result)
}

fn git_wipe_history(query: &Query<'_>) -> Result<Plan, String> {
    let dir = query
        .path_after(&["in", "of", "under", "for"])
        .map_or_else(|| query.resolve("."), |(_, path)| path);
    let dot_git = dir.join(".git");
    let restart = !query.has_any(&[
        "delete the .git",
        "remove the .git",
        "just delete",
        "no new",
    ]);
    let mut steps = vec![fs(
        format!(
            "Move {} (all history, branches and stashes) to the trash",
            text(&dot_git)
        ),
        FsAction::Trash {
            paths: vec![text(&dot_git)],
            recursive: false,
        },
        SafetyLevel::Destructive,
    )];
    if restart {
        steps.push(bash(
            "Start a new, empty repository",
            format!("git init -q -- {}", arg(&dir)),
            SafetyLevel::Moderate,
        ));
    }
    let mut result = plan(
        format!("Wipe the git history of {}", text(&dir)),
        steps,
        "Your files stay as they are; only the repository's history goes, to the trash (Undo restores it).",
    );
    result
        .risks
        .push("Every commit, branch, tag and stash of this repository goes.".to_owned());
    Ok(result)
}
