//! Small constructors for plans and steps, so intent builders read as data.

use std::path::Path;

use crate::plan::{FsAction, Plan, SafetyLevel, Step, StepAction};

use super::quote::quote;

/// A bash step.
pub(super) fn bash(
    description: impl Into<String>,
    command: impl Into<String>,
    safety_level: SafetyLevel,
) -> Step {
    Step {
        description: description.into(),
        action: StepAction::Bash {
            command: command.into(),
        },
        safety_level,
    }
}

/// A read-only bash step.
pub(super) fn read(description: impl Into<String>, command: impl Into<String>) -> Step {
    bash(description, command, SafetyLevel::Safe)
}

/// A typed file step.
pub(super) fn fs(
    description: impl Into<String>,
    action: FsAction,
    safety_level: SafetyLevel,
) -> Step {
    Step {
        description: description.into(),
        action: StepAction::Fs { action },
        safety_level,
    }
}

/// A plan without risks.
pub(super) fn plan(
    interpretation: impl Into<String>,
    steps: Vec<Step>,
    explanation: impl Into<String>,
) -> Plan {
    Plan {
        interpretation: interpretation.into(),
        steps,
        explanation: explanation.into(),
        risks: Vec::new(),
    }
}

/// A path as plan text.
pub(super) fn text(path: &Path) -> String {
    path.display().to_string()
}

/// A path as one quoted shell word.
pub(super) fn arg(path: &Path) -> String {
    quote(&text(path))
}

/// Several paths as the plan names them (joined by `separator`) and as
/// shell arguments (joined by spaces).
pub(super) fn listed(paths: &[std::path::PathBuf], separator: &str) -> (String, String) {
    let names: Vec<String> = paths.iter().map(|path| text(path)).collect();
    let args: Vec<String> = paths.iter().map(|path| arg(path)).collect();
    (names.join(separator), args.join(" "))
}
