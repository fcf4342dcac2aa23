//! Git intents: status, history, diffs, branches, commits, stashes, tags and
//! undoing the last commit. Reads are rated safe; commands that change the
//! repository are rated moderate and keep the working tree's changes.

use crate::plan::{Plan, SafetyLevel};

use super::intent::{Effect, Intent};
use super::query::Query;
use super::quote::quote;
use super::steps::{arg, bash, plan, read};

/// The git intents.
pub(super) const INTENTS: &[Intent] = &[
    Intent {
        name: "git_undo_commit",
        effect: Effect::Changes,
        examples: &[
            "undo my last commit but keep the changes",
            "uncommit the last commit",
        ],
        all: &[
            &[
                "undo",
                "revert",
                "reset",
                "uncommit",
                "take back",
                "roll back",
                "rollback",
            ],
            &["commit", "uncommit"],
        ],
        any: &["last", "keep", "changes"],
        none: &[],
        build: git_undo_commit,
    },
    Intent {
        name: "git_changed_files",
        effect: Effect::Reads,
        examples: &[
            "which files changed",
            "list the modified files",
            "what files changed in the last commit",
        ],
        all: &[
            &["which", "what", "list", "show"],
            &["files"],
            &[
                "changed", "change", "modified", "touched", "edited", "dirty",
            ],
        ],
        any: &["git"],
        // "the 3 most recently modified files" ranks files by time on disk.
        none: &[
            "between",
            "compare*",
            "since",
            "<age>",
            "<pattern>",
            "most recently",
            "least recently",
            "newest",
            "oldest",
        ],
        build: git_changed_files,
    },
    Intent {
        name: "git_staged_files",
        effect: Effect::Reads,
        examples: &["which files are staged", "list the files staged for commit"],
        all: &[
            &[
                "staged",
                "in the index",
                "added to the index",
                "to be committed",
            ],
            &["file*", "what", "which", "list", "show"],
        ],
        any: &["git", "commit", "files"],
        none: &[
            "unstaged",
            "not staged",
            "unstage",
            "diff",
            "changes",
            "count",
            "how many",
            "number of",
        ],
        build: git_staged_files,
    },
    Intent {
        name: "git_untracked_files",
        effect: Effect::Reads,
        examples: &["list untracked files", "which files are not tracked by git"],
        all: &[&[
            "untracked",
            "not tracked",
            "not yet tracked",
            "arent tracked",
            "isnt tracked",
            "not in git",
            "not added",
        ]],
        any: &["file*", "list", "show", "which", "what"],
        none: &[
            "delete", "remove", "clean", "add", "commit", "ignore*", "count", "how many",
        ],
        build: git_untracked_files,
    },
    Intent {
        name: "git_count_files",
        effect: Effect::Reads,
        examples: &["how many files are untracked", "count the changed files"],
        all: &[&["count", "how many", "number of"], GIT_STATES],
        any: &["git", "files"],
        none: &[
            "<age>",
            "<pattern>",
            "<size>",
            "line*",
            "word*",
            "between",
            "since",
        ],
        build: git_count_files,
    },
    Intent {
        name: "git_status",
        effect: Effect::Reads,
        examples: &["git status", "what's the status of my repo"],
        all: &[
            &["status", "state"],
            &["git", "repo*", "working tree", "status"],
        ],
        any: &["show"],
        none: &["stash*"],
        build: git_status,
    },
    Intent {
        name: "git_show_last_commit",
        effect: Effect::Reads,
        examples: &["show the last commit", "what was in the latest commit"],
        all: &[
            &["last", "latest", "most recent", "previous", "head"],
            &["commit"],
        ],
        any: &["show"],
        none: &[
            "files", "which", "amend", "delete", "remove", "history", "commits", "<age>",
        ],
        build: git_show_last_commit,
    },
    Intent {
        name: "git_commit",
        effect: Effect::Changes,
        examples: &[
            "commit all changes with message \"fix login\"",
            "commit the staged changes: 'update docs'",
        ],
        all: &[
            &["commit"],
            &[
                "<quoted>",
                "message",
                "msg",
                "-m",
                "staged",
                "changes",
                "everything",
                "all",
            ],
        ],
        any: &["message", "staged"],
        // "which files are staged for commit" asks, it does not commit.
        none: &[
            "last",
            "latest",
            "previous",
            "history",
            "commits",
            "which",
            "what",
            "list",
            "show",
            "are staged",
            "is staged",
        ],
        build: git_commit,
    },
    Intent {
        name: "git_log",
        effect: Effect::Reads,
        examples: &[
            "show the last 5 commits",
            "git log",
            "show the commit history",
        ],
        all: &[&["log", "history", "commits"]],
        any: &["git", "recent", "last", "show"],
        // "the last 5 lines of the app log" is a file's tail.
        none: &[
            "diff",
            "between",
            "compare*",
            "files",
            "<file>",
            "<path>",
            "line",
            "lines",
            "file",
            "watch*",
            "follow*",
            "how many",
            "count",
            "number of",
        ],
        build: git_log,
    },
    Intent {
        name: "git_diff",
        effect: Effect::Reads,
        examples: &["show the diff", "what did I change", "show staged changes"],
        all: &[&[
            "diff",
            "diffs",
            "what did i change",
            "what have i changed",
            "show changes",
            "show my changes",
            "staged changes",
            "unstaged changes",
        ]],
        any: &["git"],
        none: &[
            "between", "commits", "compare*", "commit", "stash*", "files", "which",
        ],
        build: git_diff,
    },
    Intent {
        name: "git_stash_pop",
        effect: Effect::Changes,
        examples: &["pop the stash", "restore my stashed changes"],
        all: &[
            &[
                "pop",
                "apply",
                "restore",
                "unstash",
                "unshelve",
                "bring back",
                "get back",
            ],
            &["stash*", "unstash", "unshelve", "shelved"],
        ],
        any: &[],
        none: &[],
        build: git_stash_pop,
    },
    Intent {
        name: "git_stash",
        effect: Effect::Changes,
        examples: &["stash my changes", "stash everything as 'half done'"],
        all: &[&["stash", "shelve"]],
        any: &["changes"],
        none: &["pop", "apply", "restore", "list", "drop"],
        build: git_stash,
    },
    Intent {
        name: "git_branch_create",
        effect: Effect::Changes,
        examples: &[
            "create a branch called feature/login",
            "new branch fix-123 and switch to it",
        ],
        all: &[&["create", "new", "make", "start", "add"], &["branch"]],
        any: &["called", "named"],
        none: &["delete", "remove"],
        build: git_branch_create,
    },
    Intent {
        name: "git_switch",
        effect: Effect::Changes,
        examples: &[
            "switch to branch main",
            "checkout develop",
            "go to the dev branch",
        ],
        all: &[&["switch", "checkout", "check out", "go to", "change to"]],
        any: &["branch"],
        none: &["create", "new", "commit", "file*"],
        build: git_switch,
    },
    Intent {
        name: "git_current_branch",
        effect: Effect::Reads,
        examples: &["what branch am I on", "which branch is this"],
        all: &[&["branch"], &["current", "which", "what"]],
        any: &["on"],
        none: &["switch", "checkout", "create", "new", "all", "branches"],
        build: git_current_branch,
    },
    Intent {
        name: "git_branch_list",
        effect: Effect::Reads,
        examples: &["list branches", "show all branches"],
        all: &[&["branches", "branch"]],
        any: &["list", "show", "all", "git"],
        none: &[
            "create",
            "new",
            "switch",
            "checkout",
            "delete",
            "make",
            "current",
            "compare*",
            "between",
            "difference*",
        ],
        build: git_branch_list,
    },
    Intent {
        name: "git_tag_list",
        effect: Effect::Reads,
        examples: &["list tags", "show all git tags"],
        all: &[&["tags"]],
        any: &["list", "show", "all"],
        none: &["create", "delete"],
        build: git_tag_list,
    },
    Intent {
        name: "git_tag",
        effect: Effect::Changes,
        examples: &[
            "tag this commit as v1.2.0",
            "create tag v1.0 with message 'first release'",
        ],
        all: &[&["tag"]],
        any: &["create", "add", "as", "version"],
        none: &["delete", "list", "tags"],
        build: git_tag,
    },
];

/// `git` or `git -C DIR` when the request names the repository's directory.
/// A file name is never a `-C` directory ("the diff in main.rs").
pub(super) fn git(query: &Query<'_>) -> String {
    query
        .path_after(&["in", "under", "inside", "within"])
        .filter(|(index, _)| !is_file_name(&query.tokens[*index].raw))
        .map_or_else(
            || "git".to_owned(),
            |(_, dir)| format!("git -C {}", arg(&dir)),
        )
}

/// Whether a typed path names a file (`main.rs`, `src/app.py`) rather than a folder.
fn is_file_name(raw: &str) -> bool {
    !raw.ends_with('/')
        && std::path::Path::new(raw).extension().is_some_and(|ext| {
            ext.len() <= 8
                && ext
                    .to_string_lossy()
                    .chars()
                    .any(|c| c.is_ascii_alphabetic())
        })
}

fn one_read(query: &Query<'_>, interpretation: &str, args: &str, explanation: &str) -> Plan {
    plan(
        interpretation,
        vec![read(interpretation, format!("{} {args}", git(query)))],
        explanation,
    )
}

fn git_status(query: &Query<'_>) -> Result<Plan, String> {
    Ok(one_read(
        query,
        "Show the git status of the repository",
        "status",
        "Shows staged, unstaged and untracked files.",
    ))
}

fn git_log(query: &Query<'_>) -> Result<Plan, String> {
    if let Some(age) = query.age_filter()
        && age.find_args[0] == "-mtime"
        && let Some(days) = age.find_args[1].strip_prefix('-')
    {
        return Ok(one_read(
            query,
            &format!("Show the commits of the last {days} days"),
            &format!(
                "log --oneline --decorate --since={}",
                quote(&format!("{days} days ago"))
            ),
            "One line per commit, newest first.",
        ));
    }
    let count = query.count().unwrap_or(10);
    if query.has_any(&["graph", "tree"]) {
        return Ok(one_read(
            query,
            &format!("Show the last {count} commits of every branch as a graph"),
            &format!("log --oneline --decorate --graph --all -n {count}"),
            "One line per commit, with the branches and merges drawn beside them.",
        ));
    }
    Ok(one_read(
        query,
        &format!("Show the last {count} commits"),
        &format!("log --oneline --decorate -n {count}"),
        "One line per commit, newest first.",
    ))
}

fn git_diff(query: &Query<'_>) -> Result<Plan, String> {
    let staged = query.has("staged") && !query.has("unstaged");
    let (what, args) = if staged {
        ("staged changes", "diff --staged")
    } else {
        ("unstaged changes", "diff")
    };
    Ok(one_read(
        query,
        &format!("Show the {what}"),
        args,
        "The diff is shown; nothing is changed.",
    ))
}

fn git_show_last_commit(query: &Query<'_>) -> Result<Plan, String> {
    Ok(one_read(
        query,
        "Show the last commit",
        "show --stat HEAD",
        "Shows the last commit's message and the files it touched.",
    ))
}

fn git_changed_files(query: &Query<'_>) -> Result<Plan, String> {
    if query.has("commits")
        && let Some(count) = query.count()
    {
        let count = count.clamp(1, 1000);
        return Ok(one_read(
            query,
            &format!("List the files changed in each of the last {count} commits"),
            &format!("log -n {count} --name-status --format='%h %s'"),
            "Each commit's hash and subject, then its files with A(dded), M(odified) or D(eleted).",
        ));
    }
    if query.has("commit*") {
        return Ok(one_read(
            query,
            "List the files changed in the last commit",
            "show --name-status --format= HEAD",
            "Lists each file of the last commit with A(dded), M(odified) or D(eleted).",
        ));
    }
    Ok(one_read(
        query,
        "List the files with uncommitted changes",
        "status --short",
        "One line per changed or untracked file.",
    ))
}

fn git_staged_files(query: &Query<'_>) -> Result<Plan, String> {
    Ok(one_read(
        query,
        "List the files staged for the next commit",
        "diff --cached --name-status",
        "Each staged file with A(dded), M(odified), D(eleted) or R(enamed).",
    ))
}

fn git_untracked_files(query: &Query<'_>) -> Result<Plan, String> {
    Ok(one_read(
        query,
        "List the files git does not track",
        "ls-files --others --exclude-standard",
        "Files in the work tree that are neither tracked nor ignored.",
    ))
}

/// Words for a file's state in git rather than on disk.
const GIT_STATES: &[&str] = &[
    "untracked",
    "not tracked",
    "staged",
    "unstaged",
    "uncommitted",
    "changed",
    "modified",
    "dirty",
];

/// Whether the request asks about files by their state in git: "changed",
/// "untracked"… with no age ("changed today" is a time on disk).
pub(super) fn asks_git_change(query: &Query<'_>) -> bool {
    query.age_filter().is_none() && GIT_STATES.iter().any(|state| query.has(state))
}

/// Counts the files git lists for the kind of change asked for.
fn git_count_files(query: &Query<'_>) -> Result<Plan, String> {
    let (what, args) = if query.has("untracked") || query.has("not tracked") {
        ("untracked files", "ls-files --others --exclude-standard")
    } else if query.has("unstaged") {
        ("files with unstaged changes", "diff --name-only")
    } else if query.has("staged") {
        ("staged files", "diff --cached --name-only")
    } else if query.has("commit") {
        (
            "files changed in the last commit",
            "show --name-only --format= HEAD",
        )
    } else {
        ("files with uncommitted changes", "status --porcelain")
    };
    let interpretation = format!("Count the {what}");
    Ok(plan(
        interpretation.clone(),
        vec![read(
            interpretation,
            format!("{} {args} | wc -l", git(query)),
        )],
        "git lists the files, one per line, and wc counts them.",
    ))
}

fn git_current_branch(query: &Query<'_>) -> Result<Plan, String> {
    Ok(one_read(
        query,
        "Show the current git branch",
        "branch --show-current",
        "Prints the checked-out branch.",
    ))
}

fn git_branch_list(query: &Query<'_>) -> Result<Plan, String> {
    Ok(one_read(
        query,
        "List the git branches",
        "branch -a",
        "Lists local and remote-tracking branches; * marks the current one.",
    ))
}

fn git_tag_list(query: &Query<'_>) -> Result<Plan, String> {
    Ok(one_read(
        query,
        "List the git tags",
        "tag --list",
        "Lists every tag.",
    ))
}

fn write(query: &Query<'_>, interpretation: String, args: &str, explanation: &str) -> Plan {
    plan(
        interpretation.clone(),
        vec![bash(
            interpretation,
            format!("{} {args}", git(query)),
            SafetyLevel::Moderate,
        )],
        explanation,
    )
}

/// A branch or tag name: the first quoted word, else the word after one of
/// `words` (skipping "called", "named", "the", …).
fn name_after(query: &Query<'_>, words: &[&str]) -> Option<String> {
    const SKIP: [&str; 10] = [
        "called", "named", "the", "a", "new", "branch", "to", "as", "this", "commit",
    ];
    (0..query.tokens.len())
        .filter(|&index| words.contains(&query.lower(index)))
        .find_map(|index| {
            let mut next = index + 1;
            while SKIP.contains(&query.lower(next))
                && !query.tokens.get(next).is_some_and(|token| token.is_quoted)
            {
                next += 1;
            }
            let token = query.tokens.get(next)?;
            let is_name = !token.raw.is_empty() && !token.raw.chars().any(char::is_whitespace);
            let is_word = ["and", "with", "from", "off", "it", "for", "message"]
                .contains(&token.lower.as_str());
            (is_name && !is_word).then(|| token.raw.clone())
        })
}

fn git_branch_create(query: &Query<'_>) -> Result<Plan, String> {
    let name = name_after(query, &["branch", "called", "named"])
        .ok_or("say the branch name, e.g. \"create a branch called feature/login\".")?;
    if query.has_any(&["switch", "checkout", "check out", "and go", "move to"]) {
        return Ok(write(
            query,
            format!("Create the branch {name} and switch to it"),
            &format!("switch -c {}", quote(&name)),
            "The new branch starts at the current commit; uncommitted changes come along.",
        ));
    }
    Ok(write(
        query,
        format!("Create the branch {name}"),
        &format!("branch {}", quote(&name)),
        "The new branch points at the current commit; you stay on the current branch.",
    ))
}

fn git_switch(query: &Query<'_>) -> Result<Plan, String> {
    let name = name_after(query, &["switch", "checkout", "out", "to", "branch"])
        .ok_or("say the branch name, e.g. \"switch to branch main\".")?;
    Ok(write(
        query,
        format!("Switch to the branch {name}"),
        &format!("switch {}", quote(&name)),
        "git refuses to switch if uncommitted changes would be overwritten.",
    ))
}

fn git_commit(query: &Query<'_>) -> Result<Plan, String> {
    let message = query
        .quoted()
        .first()
        .map(|message| (*message).to_owned())
        .ok_or(
            "put the commit message in quotes, e.g. commit all changes with message \"fix login\".",
        )?;
    let everything = query.has_any(&[
        "all",
        "everything",
        "every change",
        "-a",
        "and commit",
        "add",
    ]);
    // With the repository's state known, "commit my changes" commits what is
    // staged, or stages everything when nothing is (and says so).
    let repo = query.context.and_then(|c| c.repo.as_ref());
    if let Some(repo) = repo
        && repo.staged.count == 0
        && repo.unstaged.count + repo.untracked.count + repo.conflicted.count == 0
    {
        return Err(format!(
            "there is nothing to commit: {} has no changes.",
            repo.root.display()
        ));
    }
    let nothing_staged = repo.is_some_and(|repo| repo.staged.count == 0);
    let everything = everything || nothing_staged;
    let (interpretation, args) = if everything {
        (
            if nothing_staged {
                format!(
                    "Nothing is staged, so stage all changes and commit them with the message \"{message}\""
                )
            } else {
                format!("Stage all changes and commit them with the message \"{message}\"")
            },
            format!("add -A && {} commit -m {}", git(query), quote(&message)),
        )
    } else {
        (
            format!("Commit the staged changes with the message \"{message}\""),
            format!("commit -m {}", quote(&message)),
        )
    };
    Ok(write(
        query,
        interpretation,
        &args,
        "A new commit is recorded on the current branch; nothing is pushed.",
    ))
}

fn git_stash(query: &Query<'_>) -> Result<Plan, String> {
    let (interpretation, args) = match query.quoted().first() {
        Some(message) => (
            format!("Stash the uncommitted changes as \"{message}\""),
            format!("stash push -m {}", quote(message)),
        ),
        None => (
            "Stash the uncommitted changes".to_owned(),
            "stash push".to_owned(),
        ),
    };
    Ok(write(
        query,
        interpretation,
        &args,
        "The changes are saved on the stash and the working tree is clean; pop brings them back.",
    ))
}

fn git_stash_pop(query: &Query<'_>) -> Result<Plan, String> {
    Ok(write(
        query,
        "Restore the most recently stashed changes".to_owned(),
        "stash pop",
        "The latest stash is applied and dropped; on a conflict it stays on the stash.",
    ))
}

fn git_tag(query: &Query<'_>) -> Result<Plan, String> {
    let version = (0..query.tokens.len()).find(|&index| {
        let lower = query.lower(index).trim_start_matches('v').to_owned();
        !lower.is_empty()
            && lower
                .split('.')
                .all(|part| !part.is_empty() && part.chars().all(|c| c.is_ascii_digit()))
    });
    let name = version
        .map(|index| query.tokens[index].raw.clone())
        .or_else(|| name_after(query, &["tag", "as", "called", "named"]))
        .ok_or("say the tag name, e.g. \"tag this commit as v1.2.0\".")?;
    let message = query.quoted().into_iter().find(|quoted| *quoted != name);
    let (interpretation, args) = match message {
        Some(message) => (
            format!("Tag the current commit as {name} with the message \"{message}\""),
            format!("tag -a {} -m {}", quote(&name), quote(message)),
        ),
        None => (
            format!("Tag the current commit as {name}"),
            format!("tag {}", quote(&name)),
        ),
    };
    Ok(write(
        query,
        interpretation,
        &args,
        "The tag marks the current commit; it is not pushed.",
    ))
}

fn git_undo_commit(query: &Query<'_>) -> Result<Plan, String> {
    if query.has_any(&[
        "discard",
        "throw away",
        "hard",
        "lose",
        "dont keep",
        "do not keep",
        "without keeping",
    ]) {
        return Err("discarding changes is not done by the built-in planner; it can only undo a commit and keep its changes.".to_owned());
    }
    let mut result = write(
        query,
        "Undo the last commit but keep its changes staged".to_owned(),
        "reset --soft HEAD~1",
        "The branch moves back one commit; the commit's changes stay staged, so nothing in your files is lost.",
    );
    result.risks.push(
        "If the commit was already pushed, the branch will diverge from the remote.".to_owned(),
    );
    Ok(result)
}
