//! Git comparisons and counts: two branches against each other, the work
//! tree against the last commit, how many commits there are. Each is
//! read-only git.

use crate::plan::Plan;

use super::intent::{Effect, Intent};
use super::intents_git::git;
use super::query::Query;
use super::quote::quote;
use super::steps::{plan, read};

/// The comparison intents.
pub(super) const INTENTS: &[Intent] = &[
    Intent {
        name: "git_compare_branches",
        effect: Effect::Reads,
        examples: &[
            "compare the main and feature branches",
            "what is the difference between main and develop branches",
        ],
        all: &[
            &[
                "compare*",
                "difference*",
                "differ*",
                "diff",
                "between",
                "vs",
                "versus",
            ],
            &["<two_refs>"],
        ],
        any: &["branch*", "git"],
        none: &["file", "files", "folder*", "director*", "<file>"],
        build: compare_branches,
    },
    Intent {
        name: "git_count_commits",
        effect: Effect::Reads,
        examples: &[
            "how many commits are there",
            "count the commits on this branch",
        ],
        all: &[&["how many", "count", "number of"], &["commits"]],
        any: &["git", "branch", "there"],
        none: &["<age>", "files", "lines"],
        build: count_commits,
    },
    Intent {
        name: "git_since_last_commit",
        effect: Effect::Reads,
        examples: &[
            "what changed since the last commit",
            "which files changed since my last commit",
        ],
        all: &[&[
            "since the last commit",
            "since my last commit",
            "since last commit",
            "since the previous commit",
            "since i last committed",
            "since the latest commit",
        ]],
        any: &["what", "changed", "show"],
        none: &[],
        build: since_last_commit,
    },
];

/// Words around "and"/"with"/"vs" that are not the names compared.
const NOT_REFS: [&str; 14] = [
    "the", "branch", "branches", "my", "a", "git", "is", "are", "what", "and", "with", "vs",
    "versus", "to",
];

/// The two branches compared: refs as [`refs_named`] reads them, when the
/// request says they are branches ("branch", `a..b`) or one of them is the
/// repository's current branch; "compare src and docs" names folders.
pub(super) fn two_refs(query: &Query<'_>) -> Option<(String, String)> {
    let (left, right) = refs_named(query)?;
    let current = query
        .context
        .and_then(|context| context.repo.as_ref())
        .and_then(|repo| repo.branch.as_deref());
    let is_branch_talk = query.has("branch*")
        || query.tokens.iter().any(|token| token.raw.contains(".."))
        || current.is_some_and(|branch| branch == left || branch == right);
    is_branch_talk.then_some((left, right))
}

/// The two refs in "main and feature", "feature with main", "main vs dev",
/// "main..feature"; names as git allows them, none starting with `-`.
fn refs_named(query: &Query<'_>) -> Option<(String, String)> {
    let is_ref = |word: &str| {
        !word.is_empty()
            && !word.starts_with(['-', '.', '/'])
            && !NOT_REFS.contains(&word.to_lowercase().as_str())
            && word
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.' | '/'))
            && !word.contains("..")
    };
    if let Some(token) = query.tokens.iter().find(|token| token.raw.contains(".."))
        && let Some((left, right)) = token
            .raw
            .split_once("...")
            .or_else(|| token.raw.split_once(".."))
        && is_ref(left)
        && is_ref(right)
    {
        return Some((left.to_owned(), right.to_owned()));
    }
    let at = (1..query.tokens.len())
        .find(|&index| matches!(query.lower(index), "and" | "with" | "vs" | "versus" | "to"))?;
    let skip = |word: &str| matches!(word, "the" | "branch" | "branches");
    let left = (0..at)
        .rev()
        .map(|index| &query.tokens[index])
        .find(|token| !skip(&token.lower))?;
    let right = query.tokens[at + 1..]
        .iter()
        .find(|token| !skip(&token.lower))?;
    (is_ref(&left.raw) && is_ref(&right.raw)).then(|| (left.raw.clone(), right.raw.clone()))
}

fn compare_branches(query: &Query<'_>) -> Result<Plan, String> {
    let (left, right) =
        two_refs(query).ok_or("name the two branches, e.g. \"compare main and feature\".")?;
    let range = quote(&format!("{left}...{right}"));
    let git = git(query);
    Ok(plan(
        format!("Compare the branches {left} and {right}"),
        vec![
            read(
                format!("List the commits only on {left} (<) and only on {right} (>)"),
                format!("{git} log --oneline --left-right {range} --"),
            ),
            read(
                format!("Show which files {right} changed since it left {left}"),
                format!("{git} diff --stat {range} --"),
            ),
        ],
        "Nothing is checked out or changed; a name that is not a branch or commit is an error from git.",
    ))
}

fn count_commits(query: &Query<'_>) -> Result<Plan, String> {
    let (by, author) = match super::intents_git_changes::author(query) {
        Some(name) => (format!(" by {name}"), format!(" --author={}", quote(&name))),
        None => (String::new(), String::new()),
    };
    Ok(plan(
        format!("Count the commits{by} on the current branch"),
        vec![read(
            format!("Count the commits{by} reachable from HEAD"),
            format!("{} rev-list --count{author} HEAD", git(query)),
        )],
        "Every commit in the current branch's history, merges included.",
    ))
}

fn since_last_commit(query: &Query<'_>) -> Result<Plan, String> {
    let git = git(query);
    if query.has_any(&["file", "files", "which"]) {
        return Ok(plan(
            "List the files changed since the last commit",
            vec![read(
                "List the changed, staged and untracked files",
                format!("{git} status --short"),
            )],
            "One line per file: staged and unstaged changes and untracked files.",
        ));
    }
    Ok(plan(
        "Show what changed since the last commit",
        vec![read(
            "Show the staged and unstaged changes against the last commit",
            format!("{git} diff HEAD --"),
        )],
        "The diff of the work tree against HEAD; untracked files are not in it.",
    ))
}
