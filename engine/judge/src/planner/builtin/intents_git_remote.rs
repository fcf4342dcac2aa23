//! Git and its remotes: push (never forced; that is `git_force_push`),
//! pull as a fast-forward only, and fetch. Each is one git command; the
//! engine rates the change and the network use.

use crate::plan::{Plan, SafetyLevel};

use super::intent::{Effect, Intent};
use super::intents_git::git;
use super::query::Query;
use super::quote::quote;
use super::steps::{bash, plan};

/// The remote intents.
pub(super) const INTENTS: &[Intent] = &[
    Intent {
        name: "git_push",
        effect: Effect::Changes,
        examples: &["push my commits", "push the branch feature to origin"],
        all: &[&["push"]],
        any: &[
            "git", "origin", "remote", "commits", "changes", "branch", "tags",
        ],
        // A forced push is `git_force_push`.
        none: &[
            "force",
            "--force",
            "-f",
            "forcefully",
            "overwrite",
            "stash*",
            "pull",
            "fetch",
            "docker",
            "image",
            "s3",
            "bucket",
        ],
        build: git_push,
    },
    Intent {
        name: "git_pull",
        effect: Effect::Changes,
        examples: &["pull the latest changes", "git pull from origin"],
        all: &[
            &["pull"],
            &[
                "git", "latest", "changes", "commits", "origin", "upstream", "remote", "from",
                "updates", "main", "master",
            ],
        ],
        any: &["git", "latest"],
        none: &[
            "request", "requests", "pr", "prs", "pull up", "push", "docker", "image", "s3",
            "bucket",
        ],
        build: git_pull,
    },
    Intent {
        name: "git_fetch",
        effect: Effect::Changes,
        examples: &["fetch from origin", "git fetch all remotes"],
        all: &[
            &["fetch"],
            &[
                "git", "origin", "remote", "remotes", "upstream", "from", "updates", "branches",
                "tags",
            ],
        ],
        any: &["git", "all"],
        none: &["push", "pull", "url", "http*", "s3", "bucket"],
        build: git_fetch,
    },
];

/// The remote named after "to"/"from", unless it is a filler word.
fn remote(query: &Query<'_>, preps: &[&str]) -> Option<String> {
    const NOT_REMOTES: [&str; 8] = [
        "the", "remote", "github", "gitlab", "server", "my", "a", "it",
    ];
    query
        .name_after(preps)
        .filter(|name| !NOT_REMOTES.contains(&name.to_lowercase().as_str()))
        .filter(|name| {
            name.chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'))
        })
}

/// The branch named after "branch", or right after the verb ("push
/// feature to origin", "pull main from origin"), as typed.
fn branch(query: &Query<'_>, verb: &str) -> Option<String> {
    const NOT_BRANCHES: [&str; 25] = [
        "to",
        "from",
        "the",
        "on",
        "my",
        "all",
        "it",
        "this",
        "current",
        "changes",
        "commits",
        "latest",
        "updates",
        "new",
        "recent",
        "everything",
        "in",
        "down",
        "tags",
        "branch",
        "origin",
        "upstream",
        "remote",
        "up",
        "a",
    ];
    let is_branch = |name: &String| {
        !NOT_BRANCHES.contains(&name.to_lowercase().as_str())
            && !name.starts_with('-')
            && name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.' | '/'))
    };
    query
        .name_after(&["branch"])
        .filter(is_branch)
        .or_else(|| query.name_after(&[verb]).filter(is_branch))
}

fn git_push(query: &Query<'_>) -> Result<Plan, String> {
    let named_remote = remote(query, &["to"]);
    let tags = query.has_any(&["tags", "all tags"]);
    let (summary, arguments) = match (named_remote, branch(query, "push")) {
        (remote, Some(branch)) => {
            let remote = remote.unwrap_or_else(|| "origin".to_owned());
            (
                format!("Push the branch {branch} to {remote}"),
                format!("{} {}", quote(&remote), quote(&branch)),
            )
        }
        (Some(remote), None) if tags => (
            format!("Push all tags to {remote}"),
            format!("{} --tags", quote(&remote)),
        ),
        (None, None) if tags => (
            "Push all tags to origin".to_owned(),
            "origin --tags".to_owned(),
        ),
        (Some(remote), None) => (
            format!("Push the current branch to {remote}"),
            format!("{} HEAD", quote(&remote)),
        ),
        (None, None) => (
            "Push the current branch to its upstream".to_owned(),
            String::new(),
        ),
    };
    let command = format!("{} push {arguments}", git(query))
        .trim_end()
        .to_owned();
    Ok(plan(
        summary.clone(),
        vec![bash(summary, command, SafetyLevel::Moderate)],
        "A plain push: git refuses it when the remote has commits you do not have, so nothing on the remote is lost.",
    ))
}

fn git_pull(query: &Query<'_>) -> Result<Plan, String> {
    let named_remote = remote(query, &["from"]);
    let (summary, arguments) = match (named_remote, branch(query, "pull")) {
        (remote, Some(branch)) => {
            let remote = remote.unwrap_or_else(|| "origin".to_owned());
            (
                format!("Pull {branch} from {remote} (fast-forward only)"),
                format!(" {} {}", quote(&remote), quote(&branch)),
            )
        }
        (Some(remote), None) => (
            format!("Pull from {remote} (fast-forward only)"),
            format!(" {}", quote(&remote)),
        ),
        (None, None) => (
            "Pull the current branch's upstream (fast-forward only)".to_owned(),
            String::new(),
        ),
    };
    Ok(plan(
        summary.clone(),
        vec![bash(
            summary,
            format!("{} pull --ff-only{arguments}", git(query)),
            SafetyLevel::Moderate,
        )],
        "Fast-forward only: when your branch and the remote have both moved, git stops and changes nothing \
         instead of making a merge you did not ask for.",
    ))
}

fn git_fetch(query: &Query<'_>) -> Result<Plan, String> {
    let every = query.has_any(&["all remotes", "every remote", "all the remotes", "--all"]);
    let (summary, arguments) = match remote(query, &["from"]) {
        _ if every => ("Fetch from every remote".to_owned(), " --all".to_owned()),
        Some(remote) => (
            format!("Fetch from {remote}"),
            format!(" {}", quote(&remote)),
        ),
        None => ("Fetch from the default remote".to_owned(), String::new()),
    };
    Ok(plan(
        summary.clone(),
        vec![bash(
            summary,
            format!("{} fetch{arguments}", git(query)),
            SafetyLevel::Moderate,
        )],
        "Fetching updates the remote-tracking branches only; your branches and files stay as they are.",
    ))
}
