//! Git questions and small history edits: who made the last commit and when,
//! merged and unmerged branches, the stash list, remotes, and amending the
//! last commit's message. Reads are one plain git command each.

use crate::plan::{Plan, SafetyLevel};

use super::intent::{Effect, Intent};
use super::intents_git::git;
use super::query::Query;
use super::quote::quote;
use super::steps::{bash, plan, read};

/// The git question intents.
pub(super) const INTENTS: &[Intent] = &[
    Intent {
        name: "git_commit_author",
        effect: Effect::Reads,
        examples: &[
            "who made the last commit",
            "show the author and date of the last commit",
        ],
        all: &[
            &[
                "author",
                "who made",
                "who did",
                "who committed",
                "when was",
                "date of",
                "who wrote",
            ],
            &["commit"],
        ],
        any: &["last", "latest"],
        none: &["<file>", "commits by", "amend"],
        build: git_commit_author,
    },
    Intent {
        name: "git_merged_branches",
        effect: Effect::Reads,
        examples: &["list merged branches", "which branches are not merged"],
        all: &[
            &["merged", "unmerged", "not merged", "not yet merged"],
            &["branch*"],
        ],
        any: &["list", "show", "which"],
        none: &["delete", "remove"],
        build: git_merged_branches,
    },
    Intent {
        name: "git_stash_list",
        effect: Effect::Reads,
        examples: &["show the stash list", "what's in my stash"],
        all: &[
            &["stash", "stashes", "stashed"],
            &["list", "show", "whats", "what is", "any"],
        ],
        any: &[],
        none: &["pop", "apply", "drop", "restore", "clear", "delete"],
        build: |query| {
            Ok(one(
                "List the stashes",
                format!("{} stash list", git(query)),
            ))
        },
    },
    Intent {
        name: "git_remotes",
        effect: Effect::Reads,
        examples: &["list remotes", "what is the origin url"],
        all: &[&["remote", "remotes", "origin url", "remote url"]],
        any: &["list", "show", "what", "url"],
        none: &[
            "push", "pull", "fetch", "add", "remove", "delete", "force", "branch*",
        ],
        build: |query| {
            Ok(one(
                "List the remotes and their URLs",
                format!("{} remote -v", git(query)),
            ))
        },
    },
    Intent {
        name: "git_stash_drop",
        effect: Effect::Deletes,
        examples: &["drop the stash", "delete the latest stash"],
        all: &[
            &["drop", "delete", "remove", "discard", "throw away", "clear"],
            &["stash", "stashes", "stashed"],
        ],
        any: &["latest", "last"],
        none: &["pop", "apply", "restore", "list", "show"],
        build: git_stash_drop,
    },
    Intent {
        name: "git_cherry_pick",
        effect: Effect::Changes,
        examples: &[
            "cherry-pick abc1234",
            "cherry pick commit 9f2c1e0 onto this branch",
        ],
        all: &[
            &["cherry-pick", "cherrypick", "cherry pick"],
            &["<commit_ref>"],
        ],
        any: &["commit"],
        none: &[],
        build: git_cherry_pick,
    },
    Intent {
        name: "git_revert",
        effect: Effect::Changes,
        examples: &["revert the last commit", "revert commit abc1234"],
        all: &[&["revert"], &["commit", "<commit_ref>"]],
        any: &["last"],
        none: &["<file>", "keep*", "uncommit", "soft", "but keep"],
        build: git_revert,
    },
    Intent {
        name: "git_amend_message",
        effect: Effect::Changes,
        examples: &[
            "amend the last commit message to 'fix typo'",
            "change the last commit message to \"v2\"",
        ],
        all: &[
            &["amend", "reword", "change", "fix", "edit", "rename"],
            &["message", "commit"],
            &["<quoted>"],
        ],
        any: &["last", "commit"],
        none: &["branch*", "tag*", "<file>"],
        build: git_amend_message,
    },
];

fn one(interpretation: &str, command: String) -> Plan {
    plan(
        interpretation,
        vec![read(interpretation, command)],
        "Read-only; nothing is changed.",
    )
}

fn git_commit_author(query: &Query<'_>) -> Result<Plan, String> {
    Ok(one(
        "Show the author and date of the last commit",
        format!(
            "{} log -1 --format='%h %an <%ae>%nDate: %ad%n%s'",
            git(query)
        ),
    ))
}

fn git_merged_branches(query: &Query<'_>) -> Result<Plan, String> {
    let unmerged = query.has_any(&["unmerged", "not merged", "not yet merged"]);
    let (flag, what) = if unmerged {
        ("--no-merged", "not merged into")
    } else {
        ("--merged", "merged into")
    };
    Ok(one(
        &format!("List the branches {what} the current branch"),
        format!("{} branch {flag}", git(query)),
    ))
}

fn git_amend_message(query: &Query<'_>) -> Result<Plan, String> {
    let message = query
        .quoted()
        .last()
        .map(|quoted| (*quoted).to_owned())
        .ok_or(
            "put the new message in quotes, e.g. amend the last commit message to 'fix typo'.",
        )?;
    let summary = format!("Change the last commit's message to \"{message}\"");
    let mut result = plan(
        summary.clone(),
        vec![bash(
            summary,
            format!(
                "{} commit --amend --only -m {}",
                git(query),
                quote(&message)
            ),
            SafetyLevel::Moderate,
        )],
        "Only the message changes; the commit's content stays the same.",
    );
    result
        .risks
        .push("If the commit was already pushed, the next push needs --force.".to_owned());
    Ok(result)
}

/// A commit id written in the request (7 to 40 hex digits), or `HEAD~n`.
pub(super) fn commit_ref(query: &Query<'_>) -> Option<String> {
    query.tokens.iter().find_map(|token| {
        let raw = token.raw.as_str();
        let is_hash = (7..=40).contains(&raw.len())
            && raw.chars().all(|c| c.is_ascii_hexdigit())
            && raw.chars().any(|c| c.is_ascii_alphabetic());
        let is_head = raw.starts_with("HEAD~") && raw[5..].chars().all(|c| c.is_ascii_digit());
        (is_hash || is_head).then(|| raw.to_owned())
    })
}

fn git_stash_drop(query: &Query<'_>) -> Result<Plan, String> {
    let summary = "Delete the most recent stash".to_owned();
    let mut result = plan(
        summary.clone(),
        vec![
            read(
                "Show the stash that would be deleted",
                format!("{} stash show -p stash@{{0}}", git(query)),
            ),
            bash(
                summary,
                format!("{} stash drop", git(query)),
                SafetyLevel::Destructive,
            ),
        ],
        "Only the newest stash goes; older ones stay.",
    );
    result
        .risks
        .push("The stashed changes are gone unless you noted the commit id.".to_owned());
    Ok(result)
}

fn git_cherry_pick(query: &Query<'_>) -> Result<Plan, String> {
    let commit = commit_ref(query).ok_or("say which commit, e.g. \"cherry-pick abc1234\".")?;
    let summary = format!("Apply commit {commit} onto the current branch");
    Ok(plan(
        summary.clone(),
        vec![bash(
            summary,
            format!("{} cherry-pick {}", git(query), quote(&commit)),
            SafetyLevel::Moderate,
        )],
        "On a conflict git stops and leaves the conflict markers for you to resolve.",
    ))
}

fn git_revert(query: &Query<'_>) -> Result<Plan, String> {
    let commit = commit_ref(query).unwrap_or_else(|| "HEAD".to_owned());
    let summary = format!("Make a new commit that undoes {commit}");
    Ok(plan(
        summary.clone(),
        vec![bash(
            summary,
            format!("{} revert --no-edit {}", git(query), quote(&commit)),
            SafetyLevel::Moderate,
        )],
        "History is kept: the revert is a new commit.",
    ))
}
