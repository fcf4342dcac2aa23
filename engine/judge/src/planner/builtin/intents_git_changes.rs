//! Git intents for one file and for history-changing commands: diff, blame
//! and history of a file, commits by an author, unstage, restore, merge,
//! delete a branch, reset --hard, force-push and wiping the history. The
//! dangerous ones are planned as they were asked; the engine gates them.

use std::path::{Path, PathBuf};

use crate::plan::{Plan, SafetyLevel};

use super::intent::{Effect, Intent};
use super::intents_git::git;
use super::query::Query;
use super::quote::quote;
use super::steps::{arg, bash, plan, read, text};

/// The per-file and history-changing git intents.
pub(super) const INTENTS: &[Intent] = &[
    Intent {
        name: "git_diff_file",
        effect: Effect::Reads,
        examples: &["show the diff of src/main.rs", "what changed in app.py"],
        all: &[&["diff", "changed", "changes", "modified"], &["<file>"]],
        any: &["git", "show", "what"],
        none: &[
            "commit", "stash*", "restore", "discard", "revert", "undo", "who", "blame", "history",
            "log",
        ],
        build: git_diff_file,
    },
    Intent {
        name: "git_blame",
        effect: Effect::Reads,
        examples: &["who changed line 10 of src/main.rs", "git blame app.py"],
        all: &[
            &[
                "blame",
                "who changed",
                "who wrote",
                "who edited",
                "who modified",
                "who touched",
                "who last",
            ],
            &["<file>"],
        ],
        any: &["line"],
        none: &[],
        build: git_blame,
    },
    Intent {
        name: "git_file_history",
        effect: Effect::Reads,
        examples: &["show the history of README.md", "git log for src/lib.rs"],
        all: &[&["history", "log", "commits"], &["<file>"]],
        any: &["git", "show"],
        none: &["restore", "revert", "discard", "who changed", "blame"],
        build: git_file_history,
    },
    Intent {
        name: "git_log_author",
        effect: Effect::Reads,
        examples: &["show commits by alice", "what did bob commit this week"],
        all: &[&["commits", "commit", "committed", "log"], &["<author>"]],
        any: &["show", "list", "git"],
        none: &[
            "<file>",
            "message",
            "amend",
            "how many",
            "count",
            "number of",
        ],
        build: git_log_author,
    },
    Intent {
        name: "git_unstage",
        effect: Effect::Changes,
        examples: &["unstage notes.txt", "unstage everything"],
        all: &[&[
            "unstage",
            "un-stage",
            "remove from staging",
            "remove from the index",
            "take out of staging",
        ]],
        any: &["file", "all"],
        none: &[],
        build: git_unstage,
    },
    Intent {
        name: "git_restore_file",
        effect: Effect::Deletes,
        examples: &[
            "restore app.py from the last commit",
            "discard my changes to main.rs",
        ],
        all: &[
            &[
                "restore",
                "revert",
                "discard",
                "undo",
                "reset",
                "throw away",
                "get back",
                "checkout",
                "check out",
            ],
            &["<file>"],
        ],
        any: &["changes", "last commit", "head"],
        none: &[
            "stash*",
            "trash",
            "deleted from the trash",
            "unstage",
            "staged",
        ],
        build: git_restore_file,
    },
    Intent {
        name: "git_merge",
        effect: Effect::Changes,
        examples: &["merge the feature branch into this one", "merge develop"],
        all: &[&["merge"]],
        any: &["branch", "into"],
        none: &["merged", "unmerged", "abort", "conflict*", "<file>", "pdf*"],
        build: git_merge,
    },
    Intent {
        name: "git_branch_delete",
        effect: Effect::Deletes,
        examples: &["delete the branch old-feature", "force delete branch spike"],
        all: &[
            &["delete", "remove", "rm", "drop", "get rid", "del", "prune"],
            &["branch", "branches"],
        ],
        any: &["force"],
        none: &["merged branches", "all branches", "remote", "origin"],
        build: git_branch_delete,
    },
];

/// The first named file, as a `-- path` operand relative to the job's folder.
fn file_path(query: &Query<'_>) -> Option<PathBuf> {
    query
        .file_index()
        .map(|index| query.resolve(&query.tokens[index].raw))
}

fn file_or_err(query: &Query<'_>, example: &str) -> Result<PathBuf, String> {
    file_path(query).ok_or_else(|| format!("say which file, e.g. \"{example}\"."))
}

/// Git for a file: `git -C <its folder>` so the file's own repository answers.
fn git_for(query: &Query<'_>, file: &Path) -> String {
    match file.parent() {
        Some(dir) if dir != query.resolve(".") => format!("git -C {}", arg(dir)),
        _ => "git".to_owned(),
    }
}

fn one(interpretation: String, command: String, explanation: &str) -> Plan {
    plan(
        interpretation.clone(),
        vec![read(interpretation, command)],
        explanation,
    )
}

fn git_diff_file(query: &Query<'_>) -> Result<Plan, String> {
    let file = file_or_err(query, "show the diff of src/main.rs")?;
    let staged = if query.has("staged") && !query.has("unstaged") {
        " --staged"
    } else {
        ""
    };
    Ok(one(
        format!("Show the uncommitted changes to {}", text(&file)),
        format!("{} diff{staged} -- {}", git_for(query, &file), arg(&file)),
        "The diff is shown; nothing is changed.",
    ))
}

fn git_blame(query: &Query<'_>) -> Result<Plan, String> {
    let file = file_or_err(query, "git blame app.py")?;
    let line = (0..query.tokens.len()).find_map(|index| {
        matches!(query.lower(index.wrapping_sub(1)), "line" | "l")
            .then(|| query.lower(index).parse::<u32>().ok())
            .flatten()
            .filter(|n| *n > 0)
    });
    let (what, range) = line.map_or_else(
        || {
            (
                format!("Show who last changed each line of {}", text(&file)),
                String::new(),
            )
        },
        |n| {
            (
                format!("Show who last changed line {n} of {}", text(&file)),
                format!(" -L {n},{n}"),
            )
        },
    );
    Ok(one(
        what,
        format!("{} blame{range} -- {}", git_for(query, &file), arg(&file)),
        "Each line with the commit, author and date that last changed it.",
    ))
}

fn git_file_history(query: &Query<'_>) -> Result<Plan, String> {
    let file = file_or_err(query, "show the history of README.md")?;
    let count = query.count().unwrap_or(20);
    Ok(one(
        format!("Show the last {count} commits that changed {}", text(&file)),
        format!(
            "{} log --oneline -n {count} -- {}",
            git_for(query, &file),
            arg(&file)
        ),
        "One line per commit, newest first.",
    ))
}

/// Whose commits a request asks for: the name after "by"/"from"/"did"
/// ("commits by alice", "what did bob commit"), or a possessive ("alice's
/// commits"); never a time ("from last week", "from yesterday").
pub(super) fn author(query: &Query<'_>) -> Option<String> {
    const NOT_AUTHORS: [&str; 20] = [
        "me",
        "the",
        "a",
        "date",
        "author",
        "day",
        "time",
        "month",
        "i",
        "we",
        "you",
        "last",
        "this",
        "today",
        "yesterday",
        "week",
        "year",
        "past",
        "previous",
        "my",
    ];
    query
        .name_after(&["by", "from", "author", "authored", "did"])
        .filter(|name| {
            let lower = name.to_lowercase();
            !NOT_AUTHORS.contains(&lower.as_str())
                && !lower.starts_with(|c: char| c.is_ascii_digit())
        })
        .or_else(|| {
            (0..query.tokens.len()).find_map(|index| {
                query.tokens[index]
                    .lower
                    .strip_suffix("s")
                    .filter(|_| query.tokens[index].raw.ends_with("'s"))
                    .map(|_| query.tokens[index].raw.trim_end_matches("'s").to_owned())
            })
        })
}

fn git_log_author(query: &Query<'_>) -> Result<Plan, String> {
    let author = author(query).ok_or("say whose commits, e.g. \"show commits by alice\".")?;
    let mut command = format!("{} log --oneline --author={}", git(query), quote(&author));
    let mut what = format!("Show the commits by {author}");
    if let Some(age) = query.age_filter()
        && age.find_args[0] == "-mtime"
        && let Some(days) = age.find_args[1].strip_prefix('-')
    {
        command.push_str(&format!(" --since={}", quote(&format!("{days} days ago"))));
        what.push_str(&format!(" from the last {days} days"));
    } else {
        let count = query.count().unwrap_or(20);
        command.push_str(&format!(" -n {count}"));
    }
    Ok(one(
        what,
        command,
        "Matches the author's name or email, newest first.",
    ))
}

fn git_unstage(query: &Query<'_>) -> Result<Plan, String> {
    let (what, operand) = match file_path(query) {
        Some(file) => (text(&file), arg(&file)),
        None => ("everything staged".to_owned(), ".".to_owned()),
    };
    let summary = format!("Unstage {what} (the changes stay in the working tree)");
    Ok(plan(
        summary.clone(),
        vec![bash(
            summary,
            format!("{} restore --staged -- {operand}", git(query)),
            SafetyLevel::Moderate,
        )],
        "Only the index changes; your edits are kept.",
    ))
}

fn git_restore_file(query: &Query<'_>) -> Result<Plan, String> {
    let file = file_or_err(query, "restore app.py from the last commit")?;
    let summary = format!("Restore {} to its last committed version", text(&file));
    let mut result = plan(
        summary.clone(),
        vec![
            read(
                format!("Show the changes to {} that would be lost", text(&file)),
                format!("{} diff HEAD -- {}", git_for(query, &file), arg(&file)),
            ),
            bash(
                summary,
                format!(
                    "{} restore --source=HEAD --staged --worktree -- {}",
                    git_for(query, &file),
                    arg(&file)
                ),
                SafetyLevel::Destructive,
            ),
        ],
        "The file goes back to how it was in the last commit.",
    );
    result
        .risks
        .push("Uncommitted changes to the file are lost.".to_owned());
    Ok(result)
}

fn git_merge(query: &Query<'_>) -> Result<Plan, String> {
    const SKIP: [&str; 6] = ["the", "branch", "in", "my", "changes", "from"];
    let anchor = query
        .find("merge")
        .ok_or("say which branch to merge, e.g. \"merge develop\".")?;
    let branch = query
        .tokens
        .iter()
        .skip(anchor + 1)
        .find(|token| token.is_quoted || !SKIP.contains(&token.lower.as_str()))
        .map(|token| token.raw.clone())
        .filter(|name| {
            !matches!(
                name.to_lowercase().as_str(),
                "into" | "this" | "it" | "branch"
            )
        })
        .ok_or("say which branch to merge, e.g. \"merge develop\".")?;
    let into = query.name_after(&["into"]).filter(|name| {
        !matches!(
            name.to_lowercase().as_str(),
            "this" | "the" | "current" | "mine" | "here"
        )
    });
    let git = git(query);
    let mut steps = Vec::new();
    if let Some(target) = &into {
        steps.push(bash(
            format!("Switch to {target}"),
            format!("{git} switch -- {}", quote(target)),
            SafetyLevel::Moderate,
        ));
    }
    let summary = format!(
        "Merge {branch} into {}",
        into.as_deref().unwrap_or("the current branch")
    );
    steps.push(bash(
        summary.clone(),
        format!("{git} merge --no-edit {}", quote(&branch)),
        SafetyLevel::Moderate,
    ));
    Ok(plan(
        summary,
        steps,
        "On a conflict git stops and leaves the conflict markers for you to resolve.",
    ))
}

fn git_branch_delete(query: &Query<'_>) -> Result<Plan, String> {
    const SKIP: [&str; 9] = [
        "the", "branch", "local", "called", "named", "my", "old", "a", "git",
    ];
    let anchor = query
        .find("branch")
        .ok_or("say which branch, e.g. \"delete the branch old-feature\".")?;
    let after = query
        .tokens
        .iter()
        .skip(anchor + 1)
        .find(|token| token.is_quoted || !SKIP.contains(&token.lower.as_str()));
    let before = anchor
        .checked_sub(1)
        .and_then(|index| query.tokens.get(index))
        .filter(|token| {
            !matches!(
                token.lower.as_str(),
                "the" | "a" | "delete" | "remove" | "local" | "force"
            )
        });
    let name = after
        .or(before)
        .map(|token| token.raw.clone())
        .ok_or("say which branch, e.g. \"delete the branch old-feature\".")?;
    let force = query.has_any(&["force", "forcefully", "-d", "unmerged", "even if", "anyway"]);
    let flag = if force { "-D" } else { "-d" };
    let summary = format!(
        "Delete the local branch {name}{}",
        if force {
            " even if it is not merged"
        } else {
            ""
        }
    );
    let mut result = plan(
        summary.clone(),
        vec![
            read(
                format!("Show the last commits of {name}"),
                format!("{} log --oneline -n 5 {}", git(query), quote(&name)),
            ),
            bash(
                summary,
                format!("{} branch {flag} -- {}", git(query), quote(&name)),
                SafetyLevel::Destructive,
            ),
        ],
        "git branch -d refuses to delete a branch that is not merged; -D deletes it anyway.",
    );
    if force {
        result
            .risks
            .push("Commits only on this branch become unreachable.".to_owned());
    }
    Ok(result)
}
