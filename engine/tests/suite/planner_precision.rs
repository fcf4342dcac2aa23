//! Precision of the built-in planner: the verb decides the intent, words such
//! as "everything", "over" and "name" never become paths, commands written in
//! the request run as written, conflicting verbs decline, and the everyday
//! requests that used to be declined plan to the right command.

use std::path::Path;

use engine::plan::{FsAction, Plan, StepAction};
use engine::planner::{BuiltinOutcome, PlanRequest, plan_builtin};
use pretty_assertions::assert_eq;

const CWD: &str = "/home/u/proj";
const HOME: &str = "/home/u";

fn outcome(text: &str) -> BuiltinOutcome {
    plan_builtin(&PlanRequest {
        text,
        cwd: Path::new(CWD),
        home: Path::new(HOME),
        account_home: engine::typed_path::account_home,
        context: None,
    })
}

/// Every command and typed action of a plan, one per line.
fn plan_text(plan: &Plan) -> String {
    plan.steps
        .iter()
        .map(|step| match &step.action {
            StepAction::Bash { command } | StepAction::Python { command } => command.clone(),
            StepAction::Fs { action } => format!("{action:?}"),
            StepAction::Aws { region, call } => format!("{region:?} {call:?}"),
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// `(request, intent, a piece of the plan's commands)`; reports every mismatch.
fn check(cases: &[(&str, &str, &str)]) {
    let failures: Vec<String> = cases
        .iter()
        .filter_map(|(text, want_intent, want_piece)| match outcome(text) {
            BuiltinOutcome::Planned { plan, intent, .. } => {
                let commands = plan_text(&plan);
                (intent != *want_intent || !commands.contains(want_piece)).then(|| {
                    format!("{text:?}: got {intent} `{commands}`, want {want_intent} containing `{want_piece}`")
                })
            }
            BuiltinOutcome::NotUnderstood { message, .. } => {
                Some(format!("{text:?}: declined: {message}"))
            }
        })
        .collect();
    assert!(
        failures.is_empty(),
        "{} rows failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

fn check_declined(cases: &[&str]) {
    let planned: Vec<String> = cases
        .iter()
        .filter_map(|text| match outcome(text) {
            BuiltinOutcome::Planned { intent, plan, .. } => {
                Some(format!("{text:?}: planned {intent} `{}`", plan_text(&plan)))
            }
            BuiltinOutcome::NotUnderstood { .. } => None,
        })
        .collect();
    assert!(
        planned.is_empty(),
        "{} should decline:\n{}",
        planned.len(),
        planned.join("\n")
    );
}

#[test]
fn the_verb_decides_delete_versus_list() {
    check(&[
        (
            "get rid of all log files under logs",
            "delete_files",
            "/home/u/proj/logs/*.log",
        ),
        (
            "remove every .log file in logs",
            "delete_files",
            "/home/u/proj/logs/*.log",
        ),
        (
            "list all log files under logs",
            "find_files",
            "-iname '*.log'",
        ),
        (
            "show me the log files in logs",
            "find_files",
            "-iname '*.log'",
        ),
        ("erase old.txt", "delete_files", "/home/u/proj/old.txt"),
    ]);
}

#[test]
fn the_verb_decides_wipe_versus_show_history() {
    check(&[
        (
            "wipe the git history",
            "git_wipe_history",
            "/home/u/proj/.git",
        ),
        (
            "throw away the git history and start fresh",
            "git_wipe_history",
            "git init",
        ),
        ("show the git history", "git_log", "git log"),
    ]);
}

#[test]
fn the_verb_decides_move_versus_copy() {
    let moved = outcome("move notes.txt to docs");
    let copied = outcome("copy notes.txt to docs");
    let action = |outcome: BuiltinOutcome| match outcome {
        BuiltinOutcome::Planned { plan, .. } => {
            plan.steps.into_iter().find_map(|s| match s.action {
                StepAction::Fs { action } => Some(action),
                StepAction::Bash { .. } | StepAction::Python { .. } | StepAction::Aws { .. } => {
                    None
                }
            })
        }
        BuiltinOutcome::NotUnderstood { .. } => None,
    };
    assert_eq!(
        action(moved),
        Some(FsAction::Move {
            from: vec!["/home/u/proj/notes.txt".into()],
            to_dir: "/home/u/proj/docs".into()
        })
    );
    assert_eq!(
        action(copied),
        Some(FsAction::Copy {
            from: vec!["/home/u/proj/notes.txt".into()],
            to_dir: "/home/u/proj/docs".into()
        })
    );
}

#[test]
fn conflicting_verbs_decline_instead_of_picking_one() {
    check_declined(&[
        "move notes.txt to docs and then delete docs",
        "copy or move the pdfs somewhere",
        "list the files in docs and delete them",
        "undo the last commit and discard the changes",
        "kill and restart nginx then copy the logs",
        "squash everything into one commit and force push",
        "rebase onto main and delete the old branch",
        "install docker",
        "move all screenshots to pictures",
        "show the diff between two commits",
    ]);
}

#[test]
fn commands_written_in_the_request_run_exactly_as_written() {
    check(&[
        ("run this: ls -la /tmp", "run_command", "ls -la /tmp"),
        ("please run `git status`", "run_command", "git status"),
        ("$ du -sh .", "run_command", "du -sh ."),
        (
            "tidy up with `rm -rf build dist`",
            "run_command",
            "rm -rf build dist",
        ),
        (
            "organize things: `mv *.jpg images/`",
            "run_command",
            "mv *.jpg images/",
        ),
    ]);
    let BuiltinOutcome::Planned { plan, .. } = outcome("tidy up with `rm -rf build`") else {
        panic!("not planned");
    };
    assert_eq!(plan.steps.len(), 1);
    assert_eq!(plan_text(&plan), "rm -rf build");
}

#[test]
fn a_request_that_is_a_command_line_runs_as_written() {
    check(&[
        ("wc -w notes.txt", "run_command", "wc -w notes.txt"),
        (
            "stat -c %s notes.txt",
            "run_command",
            "stat -c %s notes.txt",
        ),
        (
            "cut -d: -f1 /etc/passwd",
            "run_command",
            "cut -d: -f1 /etc/passwd",
        ),
    ]);
}

#[test]
fn what_the_request_leaves_out_is_never_done() {
    check_declined(&[
        "list the logs but do not show app.log",
        "show the files in logs excluding app.log",
        "delete all files except notes.txt",
        "don't delete anything, just list the logs",
        "show notes.txt without the first line",
    ]);
    // Where an intent reads the negation, it plans.
    check(&[
        (
            "files not modified in the last 10 days",
            "find_files",
            "-mtime +10",
        ),
        (
            "which branches are not merged",
            "git_merged_branches",
            "--no-merged",
        ),
        (
            "search for TODO excluding the vendor folder",
            "search_text",
            "vendor",
        ),
    ]);
}

#[test]
fn untracked_files_are_asked_of_git_not_of_the_folder() {
    check(&[
        (
            "list untracked files",
            "git_untracked_files",
            "ls-files --others --exclude-standard",
        ),
        (
            "show files that are not tracked",
            "git_untracked_files",
            "ls-files --others",
        ),
        (
            "which files aren't tracked by git",
            "git_untracked_files",
            "ls-files --others",
        ),
    ]);
}

#[test]
fn counting_files_by_their_state_in_git_counts_what_git_lists() {
    check(&[
        (
            "how many untracked files",
            "git_count_files",
            "ls-files --others --exclude-standard | wc -l",
        ),
        (
            "how many files changed",
            "git_count_files",
            "status --porcelain | wc -l",
        ),
        (
            "count the staged files",
            "git_count_files",
            "diff --cached --name-only | wc -l",
        ),
        (
            "number of files changed in the last commit",
            "git_count_files",
            "show --name-only --format= HEAD | wc -l",
        ),
        // An age is a time on disk, not a state in git.
        (
            "how many files were modified in the last 7 days",
            "count_files",
            "-mtime -7",
        ),
    ]);
}

#[test]
fn text_that_must_be_absent_is_searched_for_with_inverted_grep() {
    check(&[
        (
            "show the lines in notes.txt that don't contain hello",
            "search_text",
            "grep -vn -e hello -- /home/u/proj/notes.txt",
        ),
        (
            "which files don't contain TODO",
            "search_text",
            "grep -rL -e TODO -- /home/u/proj",
        ),
        (
            "find lines that do not mention foo in app.log",
            "search_text",
            "grep -vn -e foo -- /home/u/proj/app.log",
        ),
    ]);
    // Neither lines nor files said: which one is a guess.
    assert!(
        matches!(
            outcome("search src for what doesn't contain TODO"),
            BuiltinOutcome::NotUnderstood { .. }
        ),
        "an absence without lines or files must not plan"
    );
}

#[test]
fn changing_permissions_or_owners_is_never_answered_by_showing_them() {
    check(&[
        (
            "change permissions of notes.txt to 600",
            "set_permissions",
            "chmod 600",
        ),
        (
            "set the permissions of run.sh to 755",
            "set_permissions",
            "chmod 755",
        ),
    ]);
}

#[test]
fn a_day_a_month_and_a_year_are_ages() {
    check(&[
        (
            "show files modified in the last day",
            "find_files",
            "-mtime -1",
        ),
        (
            "files changed in the past month",
            "find_files",
            "-mtime -30",
        ),
        ("files modified this year", "find_files", "-mtime -365"),
    ]);
}

#[test]
fn commands_asked_about_are_not_run() {
    check_declined(&[
        "what does `rm -rf /` do",
        "explain `git push --force`",
        "don't run `rm -rf ~`",
    ]);
}

#[test]
fn request_words_never_become_paths() {
    let cases = [
        "delete everything over 1 MB",
        "find files over 1 MB",
        "which files contain the word name",
        "find everything bigger than 500k",
        "list files with name in the name",
    ];
    for text in cases {
        if let BuiltinOutcome::Planned { plan, .. } = outcome(text) {
            let commands = plan_text(&plan);
            for word in ["/everything", "/over", "proj/name "] {
                assert!(!commands.contains(word), "{text}: {commands}");
            }
        }
    }
    check(&[
        (
            "which files contain the word name",
            "search_text",
            "-e name -- /home/u/proj",
        ),
        ("find files over 1 MB", "find_files", "-size +1M"),
    ]);
}

#[test]
fn git_never_runs_with_dash_c_on_a_file() {
    check(&[
        (
            "show the diff of src/main.rs",
            "git_diff_file",
            "diff -- /home/u/proj/src/main.rs",
        ),
        (
            "git status in src",
            "git_status",
            "git -C /home/u/proj/src status",
        ),
    ]);
    for text in [
        "show the diff in main.rs",
        "git log of notes.md",
        "show changes in app.py",
    ] {
        if let BuiltinOutcome::Planned { plan, .. } = outcome(text) {
            assert!(
                !plan_text(&plan).contains("-C /home/u/proj/main.rs"),
                "{text}"
            );
            assert!(!plan_text(&plan).contains(".md status"), "{text}");
        }
    }
}

#[test]
fn everyday_file_requests_plan() {
    check(&[
        (
            "copy notes.txt to notes-backup.txt",
            "copy_as",
            "cp -n -- /home/u/proj/notes.txt /home/u/proj/notes-backup.txt",
        ),
        (
            "duplicate config.yaml as config.local.yaml",
            "copy_as",
            "config.local.yaml",
        ),
        (
            "add the prefix old_ to every .txt file",
            "rename_affix",
            "n=old_\"$f\"",
        ),
        (
            "make deploy.sh executable",
            "set_permissions",
            "chmod +x -- /home/u/proj/deploy.sh",
        ),
        (
            "chmod 644 notes.txt",
            "set_permissions",
            "chmod 644 -- /home/u/proj/notes.txt",
        ),
        (
            "create a symlink to notes.txt called latest.txt",
            "symlink",
            "ln -s -- /home/u/proj/notes.txt /home/u/proj/latest.txt",
        ),
        (
            "replace localhost with 127.0.0.1 in config.ini",
            "replace_in_file",
            "s/localhost/127.0.0.1/g",
        ),
        (
            "sort names.txt into sorted.txt",
            "sort_lines",
            "sort -- /home/u/proj/names.txt > /home/u/proj/sorted.txt",
        ),
        (
            "remove duplicate lines from emails.txt and save to unique.txt",
            "sort_lines",
            "sort -u",
        ),
        (
            "extract the lines containing ERROR from app.log into errors.txt",
            "extract_lines",
            "grep -F -e ERROR",
        ),
        (
            "sum the second column of data.csv",
            "sum_column",
            "awk -F, '{ s += $2 } END { print s }'",
        ),
        (
            "create a .tar.gz of docs",
            "archive_create",
            "tar -czf /home/u/proj/docs.tar.gz",
        ),
        (
            "show lines 10 to 20 of main.rs",
            "line_range",
            "sed -n 10,20p",
        ),
        ("show the newest file", "newest_file", "ls -1p -t"),
        ("find empty folders", "empty_entries", "-type d -empty"),
        (
            "create an empty file called todo.txt",
            "create_file",
            "Write { path: \"/home/u/proj/todo.txt\"",
        ),
        (
            "touch todo.md",
            "create_file",
            "touch -- /home/u/proj/todo.md",
        ),
    ]);
}

#[test]
fn everyday_git_and_system_requests_plan() {
    check(&[
        (
            "merge the feature branch",
            "git_merge",
            "merge --no-edit feature",
        ),
        (
            "unstage notes.txt",
            "git_unstage",
            "restore --staged -- /home/u/proj/notes.txt",
        ),
        (
            "restore app.py from the last commit",
            "git_restore_file",
            "restore --source=HEAD",
        ),
        (
            "who changed line 10 of main.rs",
            "git_blame",
            "blame -L 10,10",
        ),
        ("show commits by alice", "git_log_author", "--author=alice"),
        (
            "send SIGHUP to process 1234",
            "send_signal",
            "kill -s HUP 1234",
        ),
        ("what is the value of $EDITOR", "env_var", "printenv EDITOR"),
        (
            "which linux distro is this",
            "os_release",
            "cat /etc/os-release",
        ),
        ("how many cpu cores do i have", "cpu_info", "nproc"),
        ("show inode usage", "inode_usage", "df -i"),
        (
            "what version of git is installed",
            "tool_version",
            "git --version",
        ),
        (
            "kill whatever is running on port 3000",
            "kill_port",
            "fuser -k -TERM 3000/tcp",
        ),
        (
            "revert the last commit",
            "git_revert",
            "revert --no-edit HEAD",
        ),
        ("what's listening on 3000", "port_listener", "sport = :3000"),
        (
            "how much space does node_modules take",
            "size_of",
            "du -sh -- /home/u/proj/node_modules",
        ),
        (
            "show the commit history for the last week",
            "git_log",
            "--since='7 days ago'",
        ),
    ]);
}

#[test]
fn dangerous_requests_are_planned_for_the_gate() {
    check(&[
        (
            "delete everything in build",
            "delete_files",
            "/home/u/proj/build",
        ),
        (
            "delete everything here",
            "delete_files",
            "-mindepth 1 -delete",
        ),
        (
            "force push to origin",
            "git_force_push",
            "push --force origin",
        ),
        ("reset hard to HEAD", "git_reset_hard", "reset --hard HEAD"),
        ("git reset --hard", "run_command", "git reset --hard"),
        (
            "give everyone full access to uploads recursively",
            "set_permissions",
            "chmod -R 777",
        ),
        ("shred secret.txt", "shred_file", "shred -u --"),
        ("truncate app.log", "truncate_file", "truncate -s 0"),
        (
            "kill all python processes",
            "kill_process",
            "pkill -x -- python",
        ),
        (
            "force delete the branch spike",
            "git_branch_delete",
            "branch -D -- spike",
        ),
        (
            "delete log files older than 30 days",
            "delete_files",
            "-mtime +30",
        ),
    ]);
}

#[test]
fn the_words_that_shape_a_search_or_a_count_are_kept() {
    check(&[
        // The file named without "in" is where the search looks.
        (
            "grep ERROR logs/app.log",
            "search_text",
            "grep -n -e ERROR -- /home/u/proj/logs/app.log",
        ),
        // A lowercase marker is meant in any case; "case sensitive" wins.
        ("search for todo", "search_text", "grep -rn -i -e TODO"),
        (
            "search for todo case sensitive",
            "search_text",
            "grep -rn -e TODO",
        ),
        ("grep -i todo in all files", "search_text", " -i "),
        (
            "search for the whole word x in notes.md",
            "search_text",
            "grep -n -w -e x --",
        ),
        (
            "find lines starting with ERROR in app.log",
            "search_text",
            "grep -n -E -e '^ERROR' --",
        ),
        (
            "show lines in main.c that end with a.b",
            "search_text",
            "-E -e 'a\\.b$' --",
        ),
        (
            "how many ERROR lines in logs/app.log",
            "count_matches",
            "grep -c -F -e ERROR -- /home/u/proj/logs/app.log",
        ),
        (
            "how many ERROR and WARN lines are in app.log",
            "count_matches",
            "grep -c -E -e 'ERROR|WARN' --",
        ),
        (
            "how many blank lines in a.txt",
            "count_matches",
            "'^[[:space:]]*$'",
        ),
        (
            "how many unique lines in a.txt",
            "sort_lines",
            "sort -u -- /home/u/proj/a.txt | wc -l",
        ),
        (
            "count lines in each file in src",
            "count_lines",
            "-print0 | wc -l --files0-from=-",
        ),
        (
            "sort data.csv by the second column",
            "sort_lines",
            "sort -t, -k2,2 --",
        ),
        (
            "list json and csv files",
            "find_files",
            "\\( -iname '*.json' -o -iname '*.csv' \\)",
        ),
        (
            "show the 3 most recently modified files",
            "newest_file",
            "head -n 3",
        ),
        (
            "list only directories here",
            "list_files",
            "-maxdepth 1 -type d",
        ),
        (
            "create a file called x.md in docs",
            "create_file",
            "/home/u/proj/docs/x.md",
        ),
        (
            "create an empty file named .keep in empty_dir",
            "create_file",
            "/home/u/proj/empty_dir/.keep",
        ),
        (
            "make a new directory named reports in build",
            "make_directory",
            "/home/u/proj/build/reports",
        ),
    ]);
}

#[test]
fn git_questions_get_the_git_answer() {
    check(&[
        (
            "what files are staged",
            "git_staged_files",
            "git diff --cached --name-status",
        ),
        (
            "show me which files are staged for commit",
            "git_staged_files",
            "git diff --cached --name-status",
        ),
        (
            "compare main and feature branches",
            "git_compare_branches",
            "git diff --stat main...feature --",
        ),
        (
            "diff main..feature",
            "git_compare_branches",
            "git log --oneline --left-right main...feature --",
        ),
        (
            "what changed since the last commit?",
            "git_since_last_commit",
            "git diff HEAD --",
        ),
        (
            "which files changed since my last commit",
            "git_since_last_commit",
            "git status --short",
        ),
        ("who changed src/lib.rs last", "git_blame", "blame"),
        // Folders, not branches.
        (
            "compare the sizes of src and docs",
            "size_of",
            "du -sh -- /home/u/proj/src /home/u/proj/docs",
        ),
    ]);
}

#[test]
fn requests_whose_key_words_the_planner_cannot_honour_decline() {
    check_declined(&[
        // Cleaning up could as well mean deleting.
        "clean up",
        // The planner cannot see which column is "age".
        "sort data.csv by age",
        // "long" describes lines; it is not text to count.
        "how many long lines in a.txt",
        // A log named in words is not a file; never the git log.
        "last 5 lines of the app log",
    ]);
}

#[test]
fn what_a_listing_or_a_read_is_asked_to_show_is_kept() {
    check(&[
        ("print line 2 of list.txt", "line_range", "sed -n 2,2p --"),
        (
            "cat a.txt list.txt",
            "show_file",
            "cat -- /home/u/proj/a.txt /home/u/proj/list.txt",
        ),
        ("show a.txt with line numbers", "show_file", "cat -n --"),
        (
            "find directories named tests",
            "find_files",
            "find /home/u/proj -type d -iname tests",
        ),
        (
            "list all rust files sorted by size",
            "find_files",
            "-printf '%s\\t%p\\n' | sort -rn",
        ),
        ("list python files newest first", "find_files", "| sort -r"),
        (
            "show files changed in the last 3 commits",
            "git_changed_files",
            "git log -n 3 --name-status",
        ),
        (
            "show commits from last week",
            "git_log",
            "git log --oneline --decorate --since='7 days ago'",
        ),
        (
            "what did bob commit this week",
            "git_log_author",
            "--author=bob --since='7 days ago'",
        ),
    ]);
    check_declined(&[
        // Following a file never ends; a step must.
        "show the last 20 lines of logs/app.log and follow it",
        "watch the log file",
    ]);
}

#[test]
fn git_history_questions_are_answered_as_asked() {
    check(&[
        (
            "show me the git log as a graph",
            "git_log",
            "git log --oneline --decorate --graph --all -n 10",
        ),
        (
            "how many commits are there",
            "git_count_commits",
            "git rev-list --count HEAD",
        ),
        (
            "count the commits by alice",
            "git_count_commits",
            "git rev-list --count --author=alice HEAD",
        ),
    ]);
    check_declined(&[
        // A rename of one file, never a text replacement of "extension".
        "change the extension of notes.md to .txt",
        // Opening in an editor is not printing the file.
        "open a.txt in vim",
        // Not a listing of the files' names.
        "show the contents of every file in src",
        // A report of the space is not freeing it.
        "free up disk space",
    ]);
}
