//! What a repository's own git config makes git run. `git status` runs
//! `core.fsmonitor`, `git diff` runs `diff.external` and textconv drivers,
//! `git log --show-signature` runs `gpg.program`: settings that arrive with
//! an extracted or downloaded repository, so a git command the risk engine
//! proved read-only is only that when the repository sets none of them.

use std::path::{Path, PathBuf};

use git2::{ConfigLevel, Repository};

use crate::plan::{Decision, SafetyLevel};
use crate::policy::Policy;
use crate::risk::{self, Assessment, Scope};
use crate::shell::{ParseError, Script};

/// The engine's whole assessment of a shell step: the risk engine's, raised
/// by [`raise_for_repo_config`]. The one entry for the pipeline and for
/// `devos check-command`; `parsed` is `risk::parse(command)`.
pub fn assess(
    policy: &Policy,
    scope: &Scope,
    command: &str,
    parsed: &Result<Script, ParseError>,
) -> Assessment {
    match parsed {
        Ok(script) => {
            let mut assessment = risk::assess_parsed(policy, scope, command, script);
            raise_for_repo_config(&mut assessment, script, &scope.cwd);
            assessment
        }
        Err(error) => risk::unparseable(command, error),
    }
}

/// Raises `assessment` of `script` (run in `cwd`) to an approval when a git
/// command in it works on a repository whose own config names a program.
fn raise_for_repo_config(assessment: &mut Assessment, script: &Script, cwd: &Path) {
    // Each repository's config is read once, however many git commands use it.
    let mut dirs: Vec<PathBuf> = Vec::new();
    for command in script.commands.iter().filter(|c| c.program == "git") {
        let dir = command
            .flags
            .iter()
            .filter(|flag| flag.name == "-C")
            .filter_map(|flag| flag.value.as_deref())
            .fold(cwd.to_path_buf(), |dir, next| dir.join(next));
        if !dirs.contains(&dir) {
            dirs.push(dir);
        }
    }
    let mut reasons = Vec::new();
    for hazard in dirs.iter().flat_map(|dir| program_settings(dir)) {
        if !reasons.contains(&hazard) {
            reasons.push(hazard);
        }
    }
    if reasons.is_empty() {
        return;
    }
    assessment.level = assessment.level.max(SafetyLevel::Moderate);
    assessment.decision = assessment.decision.max(Decision::Prompt);
    assessment
        .reasons
        .retain(|reason| !reason.starts_with("read-only"));
    assessment.reasons.extend(reasons);
}

/// The settings of the repository at or above `dir` (its own config files,
/// not the user's) that make git run a program.
fn program_settings(dir: &Path) -> Vec<String> {
    let Ok(repo) = Repository::discover(dir) else {
        return Vec::new();
    };
    let Ok(config) = repo.config() else {
        return Vec::new();
    };
    let root = repo
        .workdir()
        .map_or_else(|| repo.path().to_path_buf(), Path::to_path_buf);
    let mut found = Vec::new();
    for level in [ConfigLevel::Local, ConfigLevel::Worktree, ConfigLevel::App] {
        let Ok(own) = config.open_level(level) else {
            continue;
        };
        let Ok(mut entries) = own.entries(None) else {
            continue;
        };
        while let Some(Ok(entry)) = entries.next() {
            let name = entry.name().unwrap_or_default().to_lowercase();
            let value = entry.value().unwrap_or_default();
            if runs_a_program(&name, value) {
                found.push(format!(
                    "the repository at {} sets {name}, which git runs as a program",
                    shown(&root)
                ));
            }
        }
    }
    found
}

fn shown(root: &Path) -> String {
    root.components().collect::<PathBuf>().display().to_string()
}

/// Whether config `name` (lowercase) with `value` makes a reading git
/// command (status, log, diff, show, grep, blame) run a program, or reads
/// more config from elsewhere. Hooks, editors and credential helpers are
/// not here: only commands that change the repository or reach a remote
/// run them, and those ask anyway.
fn runs_a_program(name: &str, value: &str) -> bool {
    let is_off = value.is_empty() || matches!(value.to_lowercase().as_str(), "false" | "0" | "no");
    let section = name.split('.').next().unwrap_or_default();
    let key = name.rsplit('.').next().unwrap_or_default();
    match section {
        "core" => match key {
            "fsmonitor" => !is_off,
            "pager" | "askpass" | "sshcommand" | "gitproxy" => true,
            _ => false,
        },
        // Status runs a clean filter on files it must compare.
        "diff" => matches!(key, "external" | "textconv" | "command"),
        "filter" => matches!(key, "clean" | "smudge" | "process"),
        "gpg" => key == "program",
        "include" | "includeif" => key == "path",
        "pager" => true,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn program_settings_of_the_repository_are_found_and_plain_ones_are_not() {
        let dir = tempfile::tempdir().unwrap();
        let repo = Repository::init(dir.path()).unwrap();
        assert_eq!(program_settings(dir.path()), Vec::<String>::new());
        let mut config = repo
            .config()
            .unwrap()
            .open_level(ConfigLevel::Local)
            .unwrap();
        config.set_str("user.name", "x").unwrap();
        config.set_bool("core.fsmonitor", false).unwrap();
        assert_eq!(program_settings(dir.path()), Vec::<String>::new());
        config.set_str("core.fsmonitor", "/tmp/evil").unwrap();
        config.set_str("diff.pdf.textconv", "/tmp/evil").unwrap();
        let found = program_settings(dir.path());
        assert_eq!(found.len(), 2, "{found:?}");
        assert!(found[0].contains("core.fsmonitor"), "{found:?}");
        assert!(found[1].contains("diff.pdf.textconv"), "{found:?}");
    }
}
