//! What Undo will and will not bring back, said on the approval card before
//! anyone decides: for every bash or python step that may write, whether its
//! write roots are snapshotted (or too big), which folders are left out, and
//! the effects no file snapshot covers (network, processes, git history,
//! cloud tools). Pure: the roots' coverage is measured by the caller.

use std::path::PathBuf;

use super::AssessedPlan;
use crate::plan::{SafetyLevel, StepAction};
use crate::snapshot::Coverage;

/// Programs whose effects reach beyond the files, with what they change.
const OUTSIDE_EFFECTS: [(&[&str], &str); 4] = [
    (
        &[
            "kill",
            "pkill",
            "killall",
            "systemctl",
            "service",
            "reboot",
            "shutdown",
        ],
        "stopping or starting processes and services",
    ),
    (
        &["git"],
        "git history, branches, stashes and pushes (.git is not in the snapshot)",
    ),
    (
        &[
            "aws",
            "gcloud",
            "az",
            "kubectl",
            "helm",
            "terraform",
            "docker",
            "podman",
            "ssh",
            "scp",
            "rsync",
            "curl",
            "wget",
        ],
        "what it changes on other machines, containers or cloud services",
    ),
    (
        &["npm", "pip", "pip3", "cargo", "apt", "apt-get", "brew"],
        "packages it publishes or installs outside the folder",
    ),
];

/// Left-out folders named on the card before the rest are counted.
const SHOWN_SKIPPED: usize = 5;

/// Adds the undo reasons to every process step that may write. `coverage`
/// has one entry per snapshotted write root; `confined` says whether
/// Landlock keeps writes inside the write roots.
pub fn with_undo_limits(
    mut assessed: AssessedPlan,
    coverage: &[(PathBuf, Coverage)],
    confined: bool,
) -> AssessedPlan {
    let root_reasons = root_reasons(coverage);
    let covered = coverage
        .iter()
        .all(|(_, c)| matches!(c, Coverage::Covered { .. }));
    for step in &mut assessed.steps {
        let programs = match &step.action {
            StepAction::Bash { command } => programs_of(command),
            StepAction::Python { .. } => Vec::new(),
            // Typed steps journal their local writes; an AWS card already
            // says that changes in the account cannot be undone.
            StepAction::Fs { .. } | StepAction::Aws { .. } => continue,
        };
        if step.level == SafetyLevel::Safe {
            continue;
        }
        step.reasons.extend(root_reasons.iter().cloned());
        if step.network {
            step.reasons
                .push("cannot be undone: what it sends or changes over the network".to_owned());
        }
        if !confined {
            step.reasons.push(
                "cannot be undone: without Landlock it may write outside its write roots, which the snapshot does not cover"
                    .to_owned(),
            );
        }
        if matches!(step.action, StepAction::Python { .. }) {
            step.reasons.push(
                "cannot be undone: processes it stops or starts, and anything it changes outside its write roots"
                    .to_owned(),
            );
        }
        for (names, effect) in OUTSIDE_EFFECTS {
            if programs.iter().any(|p| names.contains(&p.as_str())) {
                step.reasons.push(format!("cannot be undone: {effect}"));
            }
        }
        step.undoable = covered && !coverage.is_empty();
    }
    assessed
}

/// One line per root: snapshotted (with left-out folders) or why not.
fn root_reasons(coverage: &[(PathBuf, Coverage)]) -> Vec<String> {
    let mut reasons = Vec::new();
    for (root, coverage) in coverage {
        let root = root.display();
        match coverage {
            Coverage::Covered { files, skipped, .. } => {
                reasons.push(format!(
                    "undo: the {files} file(s) in {root} are snapshotted before it runs"
                ));
                if !skipped.is_empty() {
                    let mut names: Vec<String> = skipped
                        .iter()
                        .take(SHOWN_SKIPPED)
                        .map(|p| p.display().to_string())
                        .collect();
                    if skipped.len() > SHOWN_SKIPPED {
                        names.push(format!("{} more", skipped.len() - SHOWN_SKIPPED));
                    }
                    reasons.push(format!(
                        "cannot be undone: changes inside {} (left out of the snapshot as rebuildable)",
                        names.join(", ")
                    ));
                }
            }
            Coverage::TooManyFiles(max) => reasons.push(format!(
                "cannot be undone: {root} holds more than {max} files, over the snapshot cap (snapshots.max_files)"
            )),
            Coverage::TooBig(max) => reasons.push(format!(
                "cannot be undone: the files in {root} hold more than {} MiB, over the snapshot cap (snapshots.max_size_mb)",
                max / (1024 * 1024)
            )),
            Coverage::TooSlow(budget) => reasons.push(format!(
                "cannot be undone: {root} is too big to look through in {} ms (snapshots.walk_max_ms)",
                budget.as_millis()
            )),
            Coverage::Missing => {
                reasons.push(format!("cannot be undone: {root} is not a readable folder"));
            }
        }
    }
    reasons
}

/// Program names of a script's commands and wrappers (empty when it does not parse).
fn programs_of(command: &str) -> Vec<String> {
    crate::risk::parse(command).map_or_else(
        |_| Vec::new(),
        |script| {
            script
                .commands
                .iter()
                .flat_map(|c| {
                    let wrappers = c
                        .wrappers
                        .iter()
                        .filter_map(|w| w.split_whitespace().next().map(str::to_owned));
                    std::iter::once(c.program.clone()).chain(wrappers)
                })
                .collect()
        },
    )
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;
    use crate::plan::{Plan, Step};
    use crate::policy::Policy;
    use crate::risk::Scope;

    fn assessed(command: &str) -> AssessedPlan {
        let scope = Scope {
            cwd: "/w/p".into(),
            home: "/w".into(),
            write_roots: vec!["/w/p".into()],
            temp_dir: None,
            auto_approve_safe: true,
        };
        let plan = Plan {
            interpretation: String::new(),
            steps: vec![Step {
                description: String::new(),
                action: StepAction::Bash {
                    command: command.into(),
                },
                safety_level: SafetyLevel::Safe,
            }],
            explanation: String::new(),
            risks: Vec::new(),
        };
        super::super::assess_plan(&Policy::load(None).unwrap(), &scope, &[], &plan).unwrap()
    }

    fn undo_reasons(plan: &AssessedPlan) -> Vec<&str> {
        plan.steps[0]
            .reasons
            .iter()
            .filter(|r| r.starts_with("undo:") || r.starts_with("cannot be undone"))
            .map(String::as_str)
            .collect()
    }

    #[test]
    fn a_covered_step_says_so_and_names_left_out_folders_and_outside_effects() {
        let coverage = [(
            PathBuf::from("/w/p"),
            Coverage::Covered {
                files: 12,
                bytes: 100,
                skipped: vec!["node_modules".into()],
            },
        )];
        let plan = with_undo_limits(
            assessed("sed -i s/a/b/ x && git commit -am x"),
            &coverage,
            true,
        );
        assert_eq!(
            undo_reasons(&plan),
            [
                "undo: the 12 file(s) in /w/p are snapshotted before it runs",
                "cannot be undone: changes inside node_modules (left out of the snapshot as rebuildable)",
                "cannot be undone: git history, branches, stashes and pushes (.git is not in the snapshot)",
            ]
        );
        assert!(plan.steps[0].undoable);
    }

    #[test]
    fn a_root_over_a_cap_or_too_slow_cannot_be_undone() {
        for (coverage, says) in [
            (Coverage::TooManyFiles(10), "holds more than 10 files"),
            (
                Coverage::TooSlow(Duration::from_millis(5)),
                "too big to look through in 5 ms",
            ),
        ] {
            let plan = with_undo_limits(
                assessed("rm -rf build2"),
                &[("/w/p".into(), coverage)],
                true,
            );
            let reasons = undo_reasons(&plan);
            assert!(reasons.iter().any(|r| r.contains(says)), "{reasons:?}");
            assert!(!plan.steps[0].undoable);
        }
    }

    #[test]
    fn a_read_only_step_gets_no_undo_reasons() {
        let plan = with_undo_limits(assessed("ls -la"), &[], false);
        assert_eq!(undo_reasons(&plan), Vec::<&str>::new());
    }
}
