//! The built-in planner against real phrasings: each row names the intent it
//! must pick and a key slot of the plan (the exact bash command, or the typed
//! file action), plus out-of-scope requests, quoting and path resolution.

use std::path::Path;

use engine::plan::{FsAction, Plan, StepAction};
use engine::planner::builtin::supported_phrasings;
use engine::planner::{BuiltinOutcome, CONFIDENCE_THRESHOLD, PlanRequest, plan_builtin};
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

fn planned(text: &str) -> (&'static str, Plan) {
    match outcome(text) {
        BuiltinOutcome::Planned {
            plan,
            confidence,
            intent,
        } => {
            assert!(
                confidence >= CONFIDENCE_THRESHOLD,
                "{text}: confidence {confidence}"
            );
            (intent, plan)
        }
        BuiltinOutcome::NotUnderstood {
            message,
            suggestions,
        } => {
            panic!("{text}: not understood: {message} {suggestions:?}")
        }
    }
}

/// The last bash command of a plan (the one that does the work).
fn last_command(plan: &Plan) -> String {
    plan.steps
        .iter()
        .rev()
        .find_map(|step| match &step.action {
            StepAction::Bash { command } => Some(command.clone()),
            StepAction::Python { .. } | StepAction::Fs { .. } | StepAction::Aws { .. } => None,
        })
        .unwrap_or_default()
}

fn first_fs(plan: &Plan) -> Option<FsAction> {
    plan.steps.iter().find_map(|step| match &step.action {
        StepAction::Fs { action } => Some(action.clone()),
        StepAction::Bash { .. } | StepAction::Python { .. } | StepAction::Aws { .. } => None,
    })
}

/// The intent and plan, or a line describing why the phrasing was not planned.
fn try_plan(text: &str) -> Result<(&'static str, Plan), String> {
    match outcome(text) {
        BuiltinOutcome::Planned { plan, intent, .. } => Ok((intent, plan)),
        BuiltinOutcome::NotUnderstood { message, .. } => {
            Err(format!("{text:?}: not understood: {message}"))
        }
    }
}

/// Checks every row and reports all mismatches at once, each with its phrasing.
fn check_commands(cases: &[(&str, &str, &str)]) {
    let failures: Vec<String> = cases
        .iter()
        .filter_map(|(text, intent, command)| {
            let (got_intent, plan) = match try_plan(text) {
                Ok(found) => found,
                Err(why) => return Some(why),
            };
            let got = last_command(&plan);
            let described = !plan.interpretation.is_empty()
                && plan.steps.iter().all(|s| !s.description.is_empty());
            (got_intent != *intent || got != *command || !described)
                .then(|| format!("{text:?}: got {got_intent} `{got}`, want {intent} `{command}`"))
        })
        .collect();
    assert!(
        failures.is_empty(),
        "{} phrasings failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn file_reading_phrasings() {
    check_commands(&[
        (
            "list the files in ~/Downloads",
            "list_files",
            "ls -lah -- /home/u/Downloads",
        ),
        ("ls", "list_files", "ls -lah -- /home/u/proj"),
        (
            "Please list files here.",
            "list_files",
            "ls -lah -- /home/u/proj",
        ),
        (
            "can you show me what's in the src folder?",
            "list_files",
            "ls -lah -- /home/u/proj/src",
        ),
        (
            "what files are in /tmp/x",
            "list_files",
            "ls -lah -- /tmp/x",
        ),
        (
            "show the contents of ~/Desktop",
            "list_files",
            "ls -lah -- /home/u/Desktop",
        ),
        (
            "LIST FILES UNDER src",
            "list_files",
            "ls -lah -- /home/u/proj/src",
        ),
        (
            "what's in my downloads",
            "list_files",
            "ls -lah -- /home/u/Downloads",
        ),
        (
            "find files larger than 100MB in ~",
            "find_files",
            "find /home/u -type f -size +100M",
        ),
        (
            "find python files under src",
            "find_files",
            "find /home/u/proj/src -type f -iname '*.py'",
        ),
        (
            "list files modified today",
            "find_files",
            "find /home/u/proj -type f -mtime -1",
        ),
        (
            "find *.log files older than 7 days in /var/log",
            "find_files",
            "find /var/log -type f -iname '*.log' -mtime +7",
        ),
        (
            "where are the pdfs in ~/Documents",
            "find_files",
            "find /home/u/Documents -type f -iname '*.pdf'",
        ),
        (
            "find files named notes.txt",
            "find_files",
            "find /home/u/proj -type f -iname notes.txt",
        ),
        (
            "show me files bigger than 1.5G",
            "find_files",
            "find /home/u/proj -type f -size +1536M",
        ),
        (
            "find files smaller than 2k in src",
            "find_files",
            "find /home/u/proj/src -type f -size -2048c",
        ),
        (
            "which files were modified in the last 3 days",
            "find_files",
            "find /home/u/proj -type f -mtime -3",
        ),
        (
            "list all .rs files",
            "find_files",
            "find /home/u/proj -type f -iname '*.rs'",
        ),
        (
            "find images in ~/Pictures changed last week",
            "find_files",
            "find /home/u/Pictures -type f \\( -iname '*.png' -o -iname '*.jpg' -o -iname '*.jpeg' -o -iname '*.gif' -o -iname '*.bmp' -o -iname '*.svg' -o -iname '*.webp' -o -iname '*.ico' -o -iname '*.tif' -o -iname '*.tiff' -o -iname '*.heic' -o -iname '*.avif' -o -iname '*.psd' -o -iname '*.xcf' -o -iname '*.raw' -o -iname '*.cr2' -o -iname '*.nef' \\) -mtime -7",
        ),
        (
            "locate markdown files",
            "find_files",
            "find /home/u/proj -type f -iname '*.md'",
        ),
        (
            "find log files edited in the past 2 hours",
            "find_files",
            "find /home/u/proj -type f -iname '*.log' -mmin -120",
        ),
        (
            "how many files are in ~/Downloads",
            "count_files",
            "find /home/u/Downloads -type f | wc -l",
        ),
        (
            "count the python files in src",
            "count_files",
            "find /home/u/proj/src -type f -iname '*.py' | wc -l",
        ),
        (
            "number of pdfs in ~/Documents",
            "count_files",
            "find /home/u/Documents -type f -iname '*.pdf' | wc -l",
        ),
        (
            "count files older than 30 days",
            "count_files",
            "find /home/u/proj -type f -mtime +30 | wc -l",
        ),
        (
            "show the 10 largest files in ~/Downloads",
            "largest_files",
            "find /home/u/Downloads -type f -printf '%s\\t%p\\n' | sort -rn | head -n 10",
        ),
        (
            "what are the biggest files here",
            "largest_files",
            "find /home/u/proj -type f -printf '%s\\t%p\\n' | sort -rn | head -n 10",
        ),
        (
            "top 5 largest files under /var",
            "largest_files",
            "find /var -type f -printf '%s\\t%p\\n' | sort -rn | head -n 5",
        ),
        (
            "how big is ~/Downloads",
            "size_of",
            "du -sh -- /home/u/Downloads",
        ),
        (
            "total size of the src folder",
            "size_of",
            "du -sh -- /home/u/proj/src",
        ),
        (
            "size of this directory",
            "size_of",
            "du -sh -- /home/u/proj",
        ),
        (
            "what's taking up space in ~",
            "disk_usage",
            "du -h --max-depth=1 -- /home/u | sort -rh | head -n 20",
        ),
        (
            "show disk usage of each folder in ~/projects",
            "disk_usage",
            "du -h --max-depth=1 -- /home/u/projects | sort -rh | head -n 20",
        ),
        (
            "disk usage breakdown",
            "disk_usage",
            "du -h --max-depth=1 -- /home/u/proj | sort -rh | head -n 20",
        ),
    ]);
}

#[test]
fn text_and_archive_phrasings() {
    check_commands(&[
        (
            "search for TODO in src",
            "search_text",
            "grep -rn -e TODO -- /home/u/proj/src",
        ),
        (
            "find TODOs",
            "search_text",
            "grep -rn -e TODO -- /home/u/proj",
        ),
        (
            // Typed in lowercase, the markers are meant in any case.
            "find todos and fixmes under src",
            "search_text",
            "grep -rn -E -i -e 'TODO|FIXME' -- /home/u/proj/src",
        ),
        (
            "find 'parse_config' in *.rs files",
            "search_text",
            "grep -rn --include '*.rs' -e parse_config -- /home/u/proj",
        ),
        (
            "grep \"timeout\" in ~/project",
            "search_text",
            "grep -rn -e timeout -- /home/u/project",
        ),
        (
            "which files mention 'api key'",
            "search_text",
            "grep -rn -e 'api key' -- /home/u/proj",
        ),
        (
            "search for \"Error\" in python files, ignore case",
            "search_text",
            "grep -rn -i --include '*.py' -e Error -- /home/u/proj",
        ),
        (
            "look for unwrap in src",
            "search_text",
            "grep -rn -e unwrap -- /home/u/proj/src",
        ),
        (
            "count the lines in src/main.rs",
            "count_lines",
            "wc -l -- /home/u/proj/src/main.rs",
        ),
        (
            "how many lines of rust code are in src",
            "count_lines",
            "find /home/u/proj/src -type f -iname '*.rs' -print0 | wc -l --files0-from=- | tail -n 1",
        ),
        (
            "count the lines in notes.txt",
            "count_lines",
            "wc -l -- /home/u/proj/notes.txt",
        ),
        (
            "total lines of code",
            "count_lines",
            "find /home/u/proj -type f -print0 | wc -l --files0-from=- | tail -n 1",
        ),
        (
            "count the words in README.md",
            "count_words",
            "wc -w -- /home/u/proj/README.md",
        ),
        (
            "how many words are in ~/essay.txt",
            "count_words",
            "wc -w -- /home/u/essay.txt",
        ),
        (
            "show the first 20 lines of src/main.rs",
            "head_file",
            "head -n 20 -- /home/u/proj/src/main.rs",
        ),
        (
            "head README.md",
            "head_file",
            "head -n 10 -- /home/u/proj/README.md",
        ),
        (
            "top 5 lines of data.csv",
            "head_file",
            "head -n 5 -- /home/u/proj/data.csv",
        ),
        (
            "show the last 50 lines of app.log",
            "tail_file",
            "tail -n 50 -- /home/u/proj/app.log",
        ),
        (
            "tail /var/log/syslog.1",
            "tail_file",
            "tail -n 10 -- /var/log/syslog.1",
        ),
        (
            "end of server.log please",
            "tail_file",
            "tail -n 10 -- /home/u/proj/server.log",
        ),
        (
            "show me README.md",
            "show_file",
            "cat -- /home/u/proj/README.md",
        ),
        (
            "cat config.toml",
            "show_file",
            "cat -- /home/u/proj/config.toml",
        ),
        (
            "what's in ~/.bashrc.d/env.sh",
            "show_file",
            "cat -- /home/u/.bashrc.d/env.sh",
        ),
        (
            "print the contents of Cargo.toml",
            "show_file",
            "cat -- /home/u/proj/Cargo.toml",
        ),
        (
            "compress the docs folder into docs.tar.gz",
            "archive_create",
            "tar -czf /home/u/proj/docs.tar.gz -C /home/u/proj -- docs",
        ),
        (
            "zip the src folder",
            "archive_create",
            "cd /home/u/proj && zip -r -q /home/u/proj/src.zip ./src",
        ),
        (
            "make a tarball of logs",
            "archive_create",
            "tar -czf /home/u/proj/logs.tar.gz -C /home/u/proj -- logs",
        ),
        (
            "archive ~/notes as ~/backup/notes.zip",
            "archive_create",
            "cd /home/u && zip -r -q /home/u/backup/notes.zip ./notes",
        ),
        (
            "list the contents of backup.tar.gz",
            "archive_list",
            "tar -tf /home/u/proj/backup.tar.gz",
        ),
        (
            "what's inside files.zip",
            "archive_list",
            "unzip -l /home/u/proj/files.zip",
        ),
        (
            "show files in ~/dl/site.tgz",
            "archive_list",
            "tar -tf /home/u/dl/site.tgz",
        ),
        (
            "extract backup.tar.gz",
            "archive_extract",
            "tar -xkf /home/u/proj/backup.tar.gz -C /home/u/proj",
        ),
        (
            "unzip photos.zip into ~/Pictures",
            "archive_extract",
            "unzip -n /home/u/proj/photos.zip -d /home/u/Pictures",
        ),
        (
            "untar ~/dl/src.tar.xz to /tmp/src",
            "archive_extract",
            "tar -xkf /home/u/dl/src.tar.xz -C /tmp/src",
        ),
    ]);
}

#[test]
fn git_phrasings() {
    check_commands(&[
        ("git status", "git_status", "git status"),
        ("what's the status of my repo?", "git_status", "git status"),
        (
            "show git status in ~/src/app",
            "git_status",
            "git -C /home/u/src/app status",
        ),
        ("status of the repository", "git_status", "git status"),
        (
            "show the last 5 commits",
            "git_log",
            "git log --oneline --decorate -n 5",
        ),
        ("git log", "git_log", "git log --oneline --decorate -n 10"),
        (
            "show the commit history",
            "git_log",
            "git log --oneline --decorate -n 10",
        ),
        (
            "recent commits please",
            "git_log",
            "git log --oneline --decorate -n 10",
        ),
        ("show the diff", "git_diff", "git diff"),
        ("what did I change?", "git_diff", "git diff"),
        ("show staged changes", "git_diff", "git diff --staged"),
        ("git diff", "git_diff", "git diff"),
        (
            "show the last commit",
            "git_show_last_commit",
            "git show --stat HEAD",
        ),
        (
            "what was in the latest commit",
            "git_show_last_commit",
            "git show --stat HEAD",
        ),
        (
            "show me the most recent commit",
            "git_show_last_commit",
            "git show --stat HEAD",
        ),
        (
            "which files changed",
            "git_changed_files",
            "git status --short",
        ),
        (
            "list the modified files",
            "git_changed_files",
            "git status --short",
        ),
        (
            "what files changed in the last commit",
            "git_changed_files",
            "git show --name-status --format= HEAD",
        ),
        ("list branches", "git_branch_list", "git branch -a"),
        ("show all branches", "git_branch_list", "git branch -a"),
        ("git branches", "git_branch_list", "git branch -a"),
        (
            "what branch am I on",
            "git_current_branch",
            "git branch --show-current",
        ),
        (
            "which branch is this",
            "git_current_branch",
            "git branch --show-current",
        ),
        (
            "current branch?",
            "git_current_branch",
            "git branch --show-current",
        ),
        (
            "create a branch called feature/login",
            "git_branch_create",
            "git branch feature/login",
        ),
        (
            "new branch fix-123 and switch to it",
            "git_branch_create",
            "git switch -c fix-123",
        ),
        (
            "make a new branch named 'spike'",
            "git_branch_create",
            "git branch spike",
        ),
        ("switch to branch main", "git_switch", "git switch main"),
        ("checkout develop", "git_switch", "git switch develop"),
        ("go to the dev branch", "git_switch", "git switch dev"),
        (
            "switch to release/1.2",
            "git_switch",
            "git switch release/1.2",
        ),
        (
            "commit all changes with message \"fix login\"",
            "git_commit",
            "git add -A && git commit -m 'fix login'",
        ),
        (
            "commit the staged changes: 'update docs'",
            "git_commit",
            "git commit -m 'update docs'",
        ),
        (
            "please commit everything, message 'wip'",
            "git_commit",
            "git add -A && git commit -m wip",
        ),
        (
            "commit with message \"it's done\"",
            "git_commit",
            "git commit -m 'it'\\''s done'",
        ),
        ("stash my changes", "git_stash", "git stash push"),
        (
            "stash everything as 'half done'",
            "git_stash",
            "git stash push -m 'half done'",
        ),
        ("git stash", "git_stash", "git stash push"),
        ("pop the stash", "git_stash_pop", "git stash pop"),
        (
            "restore my stashed changes",
            "git_stash_pop",
            "git stash pop",
        ),
        ("git stash pop", "git_stash_pop", "git stash pop"),
        ("tag this commit as v1.2.0", "git_tag", "git tag v1.2.0"),
        (
            "create tag v1.0 with message 'first release'",
            "git_tag",
            "git tag -a v1.0 -m 'first release'",
        ),
        ("tag release-2024", "git_tag", "git tag release-2024"),
        ("list tags", "git_tag_list", "git tag --list"),
        ("show all git tags", "git_tag_list", "git tag --list"),
        (
            "undo my last commit but keep the changes",
            "git_undo_commit",
            "git reset --soft HEAD~1",
        ),
        (
            "uncommit the last commit",
            "git_undo_commit",
            "git reset --soft HEAD~1",
        ),
        (
            "Can you revert the last commit, keeping my changes?",
            "git_undo_commit",
            "git reset --soft HEAD~1",
        ),
        (
            "roll back the previous commit",
            "git_undo_commit",
            "git reset --soft HEAD~1",
        ),
    ]);
}

#[test]
fn process_and_system_phrasings() {
    check_commands(&[
        ("kill process 1234", "kill_process", "kill 1234"),
        ("kill firefox", "kill_process", "pkill -x -- firefox"),
        ("stop the node process", "kill_process", "pkill -x -- node"),
        ("force kill pid 4321", "kill_process", "kill -KILL 4321"),
        (
            "terminate all python3 processes",
            "kill_process",
            "pkill -x -- python3",
        ),
        (
            "what is listening on port 8080",
            "port_listener",
            "ss -ltnp 'sport = :8080'",
        ),
        (
            "which process uses port 3000?",
            "port_listener",
            "ss -ltnp 'sport = :3000'",
        ),
        (
            "who's on :5432",
            "port_listener",
            "ss -ltnp 'sport = :5432'",
        ),
        ("port 443", "port_listener", "ss -ltnp 'sport = :443'"),
        ("show listening ports", "list_ports", "ss -ltnp"),
        ("what ports are open", "list_ports", "ss -ltnp"),
        (
            "what's using the most memory",
            "top_memory",
            "ps aux --sort=-%mem | head -n 11",
        ),
        (
            "top 5 processes by memory",
            "top_memory",
            "ps aux --sort=-%mem | head -n 6",
        ),
        (
            "which processes hog ram",
            "top_memory",
            "ps aux --sort=-%mem | head -n 11",
        ),
        (
            "top processes by cpu",
            "top_cpu",
            "ps aux --sort=-%cpu | head -n 11",
        ),
        (
            "what's eating my CPU?",
            "top_cpu",
            "ps aux --sort=-%cpu | head -n 11",
        ),
        (
            "show the 3 busiest processes by cpu",
            "top_cpu",
            "ps aux --sort=-%cpu | head -n 4",
        ),
        (
            "is nginx running",
            "process_running",
            "pgrep -a -i -- nginx || echo 'nginx is not running'",
        ),
        (
            "check if postgres is running",
            "process_running",
            "pgrep -a -i -- postgres || echo 'postgres is not running'",
        ),
        (
            "is the redis server still up?",
            "process_running",
            "pgrep -a -i -- redis || echo 'redis is not running'",
        ),
        ("list running processes", "list_processes", "ps aux"),
        ("ps", "list_processes", "ps aux"),
        ("uptime", "uptime", "uptime"),
        ("how long has the system been up", "uptime", "uptime"),
        ("what kernel am I running", "kernel_version", "uname -a"),
        ("uname", "kernel_version", "uname -a"),
        ("which os is this", "os_release", "cat /etc/os-release"),
        ("how much disk space is free", "disk_free", "df -h"),
        ("df", "disk_free", "df -h"),
        ("how much space is left on the drive", "disk_free", "df -h"),
        ("how much memory is free", "memory_usage", "free -h"),
        ("show ram usage", "memory_usage", "free -h"),
        ("memory", "memory_usage", "free -h"),
        ("whoami", "current_user", "whoami"),
        ("which user am I logged in as", "current_user", "whoami"),
        ("what's my username", "current_user", "whoami"),
        ("what's the date", "date", "date"),
        ("what time is it?", "date", "date"),
        ("what day is it today", "date", "date"),
    ]);
}

fn check_fs(cases: &[(&str, &str, FsAction)]) {
    let failures: Vec<String> = cases
        .iter()
        .filter_map(|(text, intent, action)| {
            let (got_intent, plan) = match try_plan(text) {
                Ok(found) => found,
                Err(why) => return Some(why),
            };
            let got = first_fs(&plan);
            (got_intent != *intent || got.as_ref() != Some(action))
                .then(|| format!("{text:?}: got {got_intent} {got:?}, want {intent} {action:?}"))
        })
        .collect();
    assert!(
        failures.is_empty(),
        "{} phrasings failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

fn strings(items: &[&str]) -> Vec<String> {
    items.iter().map(|item| (*item).to_owned()).collect()
}

#[test]
fn file_change_phrasings() {
    let mkdir = |path: &str| FsAction::Mkdir {
        path: path.to_owned(),
    };
    let copy = |from: &[&str], to: &str| FsAction::Copy {
        from: strings(from),
        to_dir: to.to_owned(),
    };
    let mv = |from: &[&str], to: &str| FsAction::Move {
        from: strings(from),
        to_dir: to.to_owned(),
    };
    let rename = |from: &str, to: &str| FsAction::Rename {
        from: from.to_owned(),
        to: to.to_owned(),
    };
    let trash = |paths: &[&str], recursive| FsAction::Trash {
        paths: strings(paths),
        recursive,
    };
    check_fs(&[
        (
            "create a folder called build",
            "make_directory",
            mkdir("/home/u/proj/build"),
        ),
        (
            "mkdir ~/projects/demo",
            "make_directory",
            mkdir("/home/u/projects/demo"),
        ),
        (
            "make a new directory named reports in ~/tmp",
            "make_directory",
            mkdir("/home/u/tmp/reports"),
        ),
        (
            "create directory out/assets",
            "make_directory",
            mkdir("/home/u/proj/out/assets"),
        ),
        (
            "copy notes.txt to ~/backup",
            "copy_files",
            copy(&["/home/u/proj/notes.txt"], "/home/u/backup"),
        ),
        (
            "copy all pdfs from ~/Downloads into ~/Documents",
            "copy_files",
            copy(&["/home/u/Downloads/*.pdf"], "/home/u/Documents"),
        ),
        (
            "cp src/a.rs src/b.rs to /tmp/x",
            "copy_files",
            copy(
                &["/home/u/proj/src/a.rs", "/home/u/proj/src/b.rs"],
                "/tmp/x",
            ),
        ),
        (
            "duplicate 'my notes.md' into backup",
            "copy_files",
            copy(&["/home/u/proj/my notes.md"], "/home/u/proj/backup"),
        ),
        (
            "move report.pdf to ~/Documents",
            "move_files",
            mv(&["/home/u/proj/report.pdf"], "/home/u/Documents"),
        ),
        (
            "move all *.log files into logs",
            "move_files",
            mv(&["/home/u/proj/*.log"], "/home/u/proj/logs"),
        ),
        (
            "put the images from ~/Desktop into ~/Pictures",
            "move_files",
            mv(
                &[
                    "/home/u/Desktop/*.png",
                    "/home/u/Desktop/*.jpg",
                    "/home/u/Desktop/*.jpeg",
                    "/home/u/Desktop/*.gif",
                    "/home/u/Desktop/*.bmp",
                    "/home/u/Desktop/*.svg",
                    "/home/u/Desktop/*.webp",
                    "/home/u/Desktop/*.ico",
                    "/home/u/Desktop/*.tif",
                    "/home/u/Desktop/*.tiff",
                    "/home/u/Desktop/*.heic",
                    "/home/u/Desktop/*.avif",
                    "/home/u/Desktop/*.psd",
                    "/home/u/Desktop/*.xcf",
                    "/home/u/Desktop/*.raw",
                    "/home/u/Desktop/*.cr2",
                    "/home/u/Desktop/*.nef",
                ],
                "/home/u/Pictures",
            ),
        ),
        (
            "mv ../old.txt to archive/",
            "move_files",
            mv(&["/home/u/old.txt"], "/home/u/proj/archive"),
        ),
        (
            "rename notes.txt to ideas.txt",
            "rename",
            rename("/home/u/proj/notes.txt", "/home/u/proj/ideas.txt"),
        ),
        (
            "change the name of docs/draft.md to final.md",
            "rename",
            rename("/home/u/proj/docs/draft.md", "/home/u/proj/docs/final.md"),
        ),
        (
            "rename ~/a.txt as ~/b/c.txt",
            "rename",
            rename("/home/u/a.txt", "/home/u/b/c.txt"),
        ),
        (
            "delete old.txt",
            "delete_files",
            trash(&["/home/u/proj/old.txt"], false),
        ),
        (
            "remove the build folder",
            "delete_files",
            trash(&["/home/u/proj/build"], false),
        ),
        (
            "delete all log files in ~/logs",
            "delete_files",
            trash(&["/home/u/logs/*.log"], false),
        ),
        (
            "trash *.orig everywhere",
            "delete_files",
            trash(&["/home/u/proj/*.orig"], true),
        ),
        (
            "rm /tmp/x/a.out",
            "delete_files",
            trash(&["/tmp/x/a.out"], false),
        ),
        (
            "delete 'my file.txt'",
            "delete_files",
            trash(&["/home/u/proj/my file.txt"], false),
        ),
        (
            "delete temporary files in ~/project",
            "clean_temp_files",
            trash(
                &[
                    "/home/u/project/*.tmp",
                    "/home/u/project/*.temp",
                    "/home/u/project/*~",
                    "/home/u/project/*.bak",
                    "/home/u/project/*.swp",
                    "/home/u/project/*.swo",
                    "/home/u/project/.*.swp",
                    "/home/u/project/.*.swo",
                    "/home/u/project/.DS_Stor[e]",
                    "/home/u/project/Thumbs.d[b]",
                ],
                false,
            ),
        ),
        (
            "clean up backup files recursively",
            "clean_temp_files",
            trash(&["/home/u/proj/*.bak", "/home/u/proj/*~"], true),
        ),
        (
            "remove .DS_Store files in all subfolders of /tmp/m",
            "clean_temp_files",
            trash(&["/tmp/m/.DS_Stor[e]"], true),
        ),
    ]);
}

#[test]
fn remote_extension_append_and_owner_phrasings() {
    check_commands(&[
        ("push my commits", "git_push", "git push"),
        ("git push", "git_push", "git push"),
        ("push to origin", "git_push", "git push origin HEAD"),
        (
            "push the branch feature to origin",
            "git_push",
            "git push origin feature",
        ),
        (
            "push all tags to origin",
            "git_push",
            "git push origin --tags",
        ),
        ("pull the latest changes", "git_pull", "git pull --ff-only"),
        (
            "git pull from upstream",
            "git_pull",
            "git pull --ff-only upstream",
        ),
        (
            "pull main from origin",
            "git_pull",
            "git pull --ff-only origin main",
        ),
        (
            "push feature to origin",
            "git_push",
            "git push origin feature",
        ),
        ("fetch from origin", "git_fetch", "git fetch origin"),
        ("git fetch all remotes", "git_fetch", "git fetch --all"),
        (
            "rename all .txt files to .md",
            "change_extension",
            "cd /home/u/proj && for f in *.txt; do [ -f \"$f\" ] || continue; mv -n -- \"$f\" \"${f%.txt}.md\"; done",
        ),
        (
            "change the extension of the jpeg files from jpeg to jpg in ~/Pictures",
            "change_extension",
            "cd /home/u/Pictures && for f in *.jpeg; do [ -f \"$f\" ] || continue; mv -n -- \"$f\" \"${f%.jpeg}.jpg\"; done",
        ),
        (
            "append 'hello world' to notes.txt",
            "append_text",
            "printf '%s\\n' 'hello world' >> /home/u/proj/notes.txt",
        ),
        (
            "add the line 'export EDITOR=vim' to ~/.bashrc",
            "append_text",
            "printf '%s\\n' 'export EDITOR=vim' >> /home/u/.bashrc",
        ),
        (
            "who owns notes.txt",
            "file_owner",
            "stat -c '%A %U:%G %n' -- /home/u/proj/notes.txt",
        ),
        (
            "what are the permissions of deploy.sh",
            "file_owner",
            "stat -c '%A %U:%G %n' -- /home/u/proj/deploy.sh",
        ),
    ]);
}

#[test]
fn look_alikes_of_the_new_intents_are_not_them() {
    for (text, not) in [
        ("force push to origin", "git_push"),
        ("open a pull request", "git_pull"),
        ("convert all the .png files to .jpg", "change_extension"),
        ("add the prefix old_ to every .txt file", "append_text"),
        ("make deploy.sh executable", "file_owner"),
    ] {
        if let Ok((intent, _)) = try_plan(text) {
            assert_ne!(intent, not, "{text}");
        }
    }
}

#[test]
fn organize_is_one_typed_sort_of_the_folder_named() {
    for text in [
        "organize ~/Downloads by file type",
        "Please sort my downloads into folders by type!",
        "can you tidy up ~/Downloads",
        "organise the files in Downloads by extension",
    ] {
        let (intent, plan) = planned(text);
        assert_eq!(intent, "organize_by_type", "phrasing: {text}");
        let actions: Vec<&StepAction> = plan.steps.iter().map(|step| &step.action).collect();
        assert_eq!(
            actions,
            [&StepAction::Fs {
                action: FsAction::Organize {
                    dir: "/home/u/Downloads".into()
                }
            }],
            "phrasing: {text}"
        );
    }
}

#[test]
fn organize_without_a_directory_uses_the_cwd() {
    let (intent, plan) = planned("organize this folder by type");
    assert_eq!(intent, "organize_by_type");
    assert_eq!(
        plan.interpretation,
        "Organize the files in this folder into folders by type"
    );
}

#[test]
fn out_of_scope_requests_are_not_understood() {
    for text in [
        "write me a poem",
        "deploy to kubernetes",
        "what's the weather like",
        "send an email to bob",
        "book a flight to Paris",
        "translate this to french",
        "tell me a joke",
        "order a pizza",
        "play some music",
        "open a pull request on github",
        "reboot the server",
        "install docker",
        "summarize this pdf",
        "who won the game last night",
        "explain quantum computing",
        "create a react app",
        "",
        "hello",
        "what is the meaning of life",
        "upgrade all packages",
        "ssh into prod",
    ] {
        match outcome(text) {
            BuiltinOutcome::NotUnderstood {
                message,
                suggestions,
            } => {
                assert!(
                    message.starts_with("I could not plan this with the built-in planner"),
                    "{text}: {message}"
                );
                assert!(
                    !suggestions.is_empty() && suggestions.len() <= 3,
                    "{text}: {suggestions:?}"
                );
            }
            BuiltinOutcome::Planned {
                intent, confidence, ..
            } => {
                panic!("{text}: planned as {intent} with confidence {confidence}")
            }
        }
    }
}

#[test]
fn missing_slots_explain_what_to_add() {
    for (text, hint) in [
        ("commit my changes", "commit message in quotes"),
        (
            "undo the last commit and discard the changes",
            "could not plan this",
        ),
        ("copy notes.txt", "say where to"),
    ] {
        match outcome(text) {
            BuiltinOutcome::NotUnderstood {
                message,
                suggestions,
            } => {
                assert!(message.contains(hint), "{text}: {message}");
                assert!(!suggestions.is_empty(), "{text}");
            }
            BuiltinOutcome::Planned { intent, .. } => panic!("{text}: planned as {intent}"),
        }
    }
}

#[test]
fn hostile_file_names_stay_one_quoted_argument() {
    let cases = [
        (
            "show the first 5 lines of \"x'; rm -rf ~\"",
            "head -n 5 -- '/home/u/proj/x'\\''; rm -rf ~'",
        ),
        (
            "search for 'a$(reboot)b' in src",
            "grep -rn -e 'a$(reboot)b' -- /home/u/proj/src",
        ),
        ("create a branch called 'x;rm'", "git branch 'x;rm'"),
        (
            "commit all with message \"$(curl evil) `id`\"",
            "git add -A && git commit -m '$(curl evil) `id`'",
        ),
        ("list files in '/tmp/a b'", "ls -lah -- '/tmp/a b'"),
    ];
    for (text, command) in cases {
        let (_, plan) = planned(text);
        assert_eq!(last_command(&plan), command, "phrasing: {text}");
    }
    let (_, plan) = planned("delete '; rm -rf ~'");
    assert_eq!(
        first_fs(&plan),
        Some(FsAction::Trash {
            paths: strings(&["/home/u/proj/; rm -rf ~"]),
            recursive: false
        })
    );
}

#[test]
fn paths_resolve_against_home_cwd_and_root() {
    for (text, command) in [
        ("list files in ~", "ls -lah -- /home/u"),
        ("list files in ~/a/../b", "ls -lah -- /home/u/b"),
        (
            "list files in ./src/./bin",
            "ls -lah -- /home/u/proj/src/bin",
        ),
        ("list files in ..", "ls -lah -- /home/u"),
        ("list files in /etc", "ls -lah -- /etc"),
        (
            "list files under the docs folder",
            "ls -lah -- /home/u/proj/docs",
        ),
    ] {
        let (_, plan) = planned(text);
        assert_eq!(last_command(&plan), command, "phrasing: {text}");
    }
}

#[test]
fn every_example_phrasing_plans_to_its_own_intent() {
    for (name, examples) in supported_phrasings() {
        for example in examples {
            let (intent, plan) = planned(example);
            // A command line among the examples (`git reset --hard`) runs as written.
            if intent == "run_command" {
                assert_eq!(last_command(&plan), *example, "example command: {example}");
                continue;
            }
            assert_eq!(intent, name, "example phrasing: {example}");
        }
    }
}

#[test]
fn deletions_and_kills_carry_risks() {
    for text in [
        "delete old.txt",
        "kill firefox",
        "delete temporary files",
        "undo my last commit",
    ] {
        let (_, plan) = planned(text);
        assert!(!plan.risks.is_empty(), "phrasing: {text}");
    }
}
