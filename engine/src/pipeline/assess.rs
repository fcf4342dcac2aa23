//! Turns a plan into assessed steps: the engine's own rating of every step
//! (bash parsed by the risk engine, typed file actions resolved, previewed and
//! rated), combined with the planner's rating (which can only raise it), and
//! the job's overall decision.

use std::collections::HashSet;
use std::path::Path;

use crate::aws;
use crate::fsops;
use crate::job::StepStatus;
use crate::plan::{Decision, Plan, SafetyLevel, StepAction};
use crate::policy::Policy;
use crate::risk::{self, Scope};
use crate::rules::{self, Rule, Verdict};
use crate::store::StepRecord;

/// The assessed plan.
#[derive(Debug, Clone, PartialEq)]
pub struct AssessedPlan {
    /// Steps with level, decision, reasons and previews.
    pub steps: Vec<StepRecord>,
    /// The strictest decision over all steps.
    pub decision: Decision,
    /// Plain-language risks for the approval card.
    pub risks: Vec<String>,
    /// Remembered rules that decided a step.
    pub rule_hits: Vec<i64>,
}

/// Why a plan could not even be assessed (a typed action names a missing file, …).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("step {step}: {message}")]
pub struct AssessError {
    /// 1-based step number.
    pub step: usize,
    /// What is wrong.
    pub message: String,
}

/// Rates every step of `plan` for a job in `scope`. The order is the one in
/// DESIGN.md: forbid (policy and built-in) first, then the user's remembered
/// rules, then policy rules and the level.
pub fn assess_plan(
    policy: &Policy,
    scope: &Scope,
    remembered: &[Rule],
    plan: &Plan,
) -> Result<AssessedPlan, AssessError> {
    let mut rule_hits = Vec::new();
    let mut claimed = HashSet::new();
    let mut steps = Vec::with_capacity(plan.steps.len());
    let mut risks = plan.risks.clone();
    for (idx, step) in plan.steps.iter().enumerate() {
        let mut record = StepRecord {
            idx,
            description: step.description.clone(),
            action: step.action.clone(),
            ops: Vec::new(),
            level: step.safety_level,
            decision: Decision::Allow,
            reasons: Vec::new(),
            preview: String::new(),
            undoable: false,
            network: false,
            status: StepStatus::Pending,
            exit_code: None,
        };
        let mut subjects = None;
        match &step.action {
            StepAction::Bash { command } => {
                // The one parse every judgement of this step comes from.
                let parsed = risk::parse(command);
                let assessment = crate::repo_config::assess(policy, scope, command, &parsed);
                subjects = parsed
                    .ok()
                    .and_then(|script| rules::subjects_of(&script, |_| true));
                record.level = record.level.max(assessment.level);
                record.decision = assessment.decision.max(risk::decision_for_level(
                    record.level,
                    scope.auto_approve_safe,
                ));
                record.reasons = assessment.reasons;
                record.network = assessment.network;
                // `risk` already makes a network step ask; the card says why.
                if record.network {
                    record.reasons.push(
                        "it uses the network: approving lets this step connect out".to_owned(),
                    );
                }
            }
            StepAction::Python { .. } => {
                record.level = SafetyLevel::Destructive;
                record.decision = Decision::Prompt;
                record.reasons =
                    vec!["python code is not analysed, so it always needs approval".to_owned()];
            }
            StepAction::Aws { call, .. } => {
                let rating = aws::rate(call);
                record.level = record.level.max(rating.level);
                record.decision =
                    aws_decision(record.level, rating.needs_approval, scope.auto_approve_safe);
                record.reasons = rating.reasons;
                record.undoable = rating.undoable;
                record.preview = call.summary();
            }
            StepAction::Fs { action } => {
                let ops =
                    fsops::resolve(action, &scope.cwd, &scope.home, &mut claimed).map_err(|e| {
                        AssessError {
                            step: idx + 1,
                            message: e.to_string(),
                        }
                    })?;
                let rating = fsops::rate(
                    &ops,
                    &scope.write_roots,
                    &scope.home,
                    scope.temp_dir.as_deref(),
                );
                record.level = record.level.max(rating.level);
                record.decision = if rating.forbidden {
                    Decision::Forbid
                } else if rating.needs_approval || record.level == SafetyLevel::Destructive {
                    Decision::Prompt
                } else {
                    Decision::Allow
                };
                record.reasons = rating.reasons;
                record.preview = fsops::preview(action, &ops).summary;
                record.undoable = true;
                record.ops = ops;
                subjects = rules::subjects(&step.action);
            }
        }
        if record.decision != Decision::Forbid {
            let verdict = subjects.map_or(Verdict::Undecided, |subjects| {
                rules::verdict_for(remembered, &subjects, &scope.cwd)
            });
            match verdict {
                Verdict::Undecided => {}
                Verdict::Denied(id) => {
                    record.decision = Decision::Forbid;
                    record.reasons.insert(
                        0,
                        format!("you rejected this before (remembered rule #{id})"),
                    );
                    rule_hits.push(id);
                }
                Verdict::Allowed(ids) => {
                    record.decision = Decision::Allow;
                    let list: Vec<String> = ids.iter().map(|id| format!("#{id}")).collect();
                    record.reasons.insert(
                        0,
                        format!(
                            "you approved this before (remembered rule {})",
                            list.join(", ")
                        ),
                    );
                    rule_hits.extend(ids);
                }
            }
        }
        if record.decision >= Decision::Prompt {
            let why = record
                .reasons
                .first()
                .cloned()
                .unwrap_or_else(|| format!("rated {}", record.level.as_str()));
            risks.push(format!("step {}: {why}", idx + 1));
        }
        steps.push(record);
    }
    let decision = overall_decision(&steps);
    dedup(&mut risks);
    Ok(AssessedPlan {
        steps,
        decision,
        risks,
        rule_hits,
    })
}

/// Puts what checking an AWS step before approval found on its card: the
/// call as it will run, the account and region, the preview, and a level
/// or an approval the check calls for. The planner's level still only raises.
pub fn apply_aws(
    assessed: &mut AssessedPlan,
    idx: usize,
    planner_level: SafetyLevel,
    checked: aws::PreparedStep,
    auto_approve_safe: bool,
) {
    let Some(step) = assessed.steps.iter_mut().find(|s| s.idx == idx) else {
        return;
    };
    let aws::PreparedStep {
        region,
        prepared,
        identity,
    } = checked;
    let rating = aws::rate(&prepared.call);
    step.level = prepared.level.unwrap_or(rating.level).max(planner_level);
    step.decision = aws_decision(
        step.level,
        rating.needs_approval || prepared.ask.is_some(),
        auto_approve_safe,
    );
    step.reasons = if prepared.level == Some(SafetyLevel::Safe) {
        Vec::new()
    } else {
        rating.reasons
    };
    step.reasons.extend(prepared.ask);
    step.reasons.insert(
        0,
        format!(
            "acts in AWS account {} as {} in {region}",
            identity.account, identity.arn
        ),
    );
    let mut preview = vec![prepared.call.summary()];
    preview.extend(prepared.preview);
    step.preview = preview.join("\n");
    step.action = StepAction::Aws {
        region: Some(region),
        call: prepared.call,
    };
    let label = format!("step {}: ", idx + 1);
    assessed.risks.retain(|risk| !risk.starts_with(&label));
    if step.decision >= Decision::Prompt {
        let why = step
            .reasons
            .get(1)
            .or(step.reasons.first())
            .cloned()
            .unwrap_or_default();
        assessed.risks.push(format!("{label}{why}"));
    }
    assessed.decision = overall_decision(&assessed.steps);
}

/// An AWS step asks when its call changes the account (or the check says
/// so) or it is destructive; a moderate one that does not (a download, an
/// undoable local write) runs like an undoable typed file action.
fn aws_decision(level: SafetyLevel, asks: bool, auto_approve_safe: bool) -> Decision {
    match level {
        _ if asks => Decision::Prompt,
        SafetyLevel::Safe => risk::decision_for_level(level, auto_approve_safe),
        SafetyLevel::Moderate => Decision::Allow,
        SafetyLevel::Destructive => Decision::Prompt,
    }
}

/// A plan's decision: the strictest of its steps' (an empty plan is allowed).
fn overall_decision(steps: &[StepRecord]) -> Decision {
    steps
        .iter()
        .map(|s| s.decision)
        .max()
        .unwrap_or(Decision::Allow)
}

fn dedup(items: &mut Vec<String>) {
    let mut seen = HashSet::new();
    items.retain(|item| seen.insert(item.clone()));
}

/// The directories a job may write: its cwd and its private temp dir.
pub fn write_roots(cwd: &Path, tmp_dir: &Path) -> Vec<std::path::PathBuf> {
    vec![cwd.to_path_buf(), tmp_dir.to_path_buf()]
}

/// A built-in plan that shows a credentials file the user named in the
/// request (`cat .env`, "show me ~/.aws/credentials") shows it at once: the
/// "reads secrets" prompt guards against a model reading them unasked.
pub fn allow_requested_reads(
    mut assessed: AssessedPlan,
    request: &str,
    auto_approve_safe: bool,
) -> AssessedPlan {
    const SECRET: &str = "reads secrets: ";
    for step in &mut assessed.steps {
        let secrets: Vec<&str> = step
            .reasons
            .iter()
            .filter_map(|r| r.strip_prefix(SECRET))
            .collect();
        let only_secrets = !secrets.is_empty()
            && step.level == SafetyLevel::Moderate
            && step.reasons.iter().all(|r| r.starts_with(SECRET));
        let named = secrets.iter().all(|path| {
            Path::new(path)
                .file_name()
                .is_some_and(|name| request.contains(name.to_string_lossy().as_ref()))
        });
        if only_secrets && named && step.decision == Decision::Prompt && !step.network {
            step.level = SafetyLevel::Safe;
            step.decision = risk::decision_for_level(SafetyLevel::Safe, auto_approve_safe);
            step.reasons = secrets
                .iter()
                .map(|path| format!("shows {path}, which you asked for"))
                .collect();
        }
    }
    let still_asking: Vec<String> = assessed
        .steps
        .iter()
        .filter(|s| s.decision >= Decision::Prompt)
        .map(|s| format!("step {}: ", s.idx + 1))
        .collect();
    assessed.risks.retain(|risk| {
        !risk.starts_with("step ") || still_asking.iter().any(|p| risk.starts_with(p.as_str()))
    });
    assessed.decision = overall_decision(&assessed.steps);
    assessed
}

/// Without Landlock, steps run unconfined, so the engine's judgement is the
/// only wall: every process step a model wrote waits for a person, whatever
/// its rating or remembered rules say; the built-in planner's own steps may
/// run when they are proven `safe`.
pub fn without_sandbox(mut assessed: AssessedPlan, from_builtin: bool) -> AssessedPlan {
    for step in &mut assessed.steps {
        let is_process = matches!(
            step.action,
            StepAction::Bash { .. } | StepAction::Python { .. }
        );
        let trusted = from_builtin && step.level == SafetyLevel::Safe;
        if is_process && !trusted && step.decision == Decision::Allow {
            step.decision = Decision::Prompt;
            step.reasons.push(
                "Landlock is unavailable (or switched off), so this step would run unconfined"
                    .to_owned(),
            );
        }
    }
    assessed.decision = overall_decision(&assessed.steps);
    assessed
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::Step;

    #[test]
    fn a_network_step_always_asks_and_says_why() {
        let policy = Policy::load(None).unwrap();
        let scope = Scope {
            cwd: "/home/u/p".into(),
            home: "/home/u".into(),
            write_roots: vec!["/home/u/p".into()],
            temp_dir: None,
            auto_approve_safe: true,
        };
        let plan = Plan {
            interpretation: "fetch".into(),
            steps: vec![Step {
                description: "fetch".into(),
                action: StepAction::Bash {
                    command: "git fetch origin".into(),
                },
                safety_level: SafetyLevel::Safe,
            }],
            explanation: String::new(),
            risks: Vec::new(),
        };
        let assessed = assess_plan(&policy, &scope, &[], &plan).unwrap();
        assert!(assessed.steps[0].network);
        assert_eq!(assessed.decision, Decision::Prompt);
        assert!(
            assessed.steps[0]
                .reasons
                .iter()
                .any(|r| r.contains("network"))
        );
    }
}
