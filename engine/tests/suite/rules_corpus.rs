//! The dangerous-command corpus through the pipeline's assessment with broad
//! remembered allow rules present: none of them may let a dangerous variant run.

use std::path::PathBuf;

use engine::pipeline::assess_plan;
use engine::plan::{Decision, Plan, SafetyLevel, Step, StepAction};
use engine::policy::Policy;
use engine::rules::{Rule, RuleDecision, subjects};

use super::risk_corpus::{corpus, scope};

/// Approvals a busy developer might have remembered in their project.
const REMEMBERED: [&str; 12] = [
    "rm *.tmp",
    "rm -r build",
    "rm -f notes.bak",
    "git push origin main",
    "git reset --soft HEAD~1",
    "git clean -n",
    "kill 4242",
    "chmod +x run.sh",
    "mv draft.txt final.txt",
    "curl -o page.html https://example.com",
    "find . -name '*.log'",
    "tar -czf backup.tgz src",
];

fn bash(command: &str) -> StepAction {
    StepAction::Bash {
        command: command.to_owned(),
    }
}

fn remembered_rules(scope: &str) -> Vec<Rule> {
    REMEMBERED
        .iter()
        .flat_map(|command| subjects(&bash(command)).unwrap())
        .enumerate()
        .map(|(i, pattern)| Rule {
            id: i64::try_from(i).unwrap() + 1,
            pattern,
            scope: PathBuf::from(scope),
            decision: RuleDecision::Allow,
            enabled: true,
            created_from_job: None,
            hit_count: 0,
            last_used_at: None,
            created_at: 0,
        })
        .collect()
}

fn plan_of(command: &str) -> Plan {
    Plan {
        interpretation: command.to_owned(),
        steps: vec![Step {
            description: command.to_owned(),
            action: bash(command),
            safety_level: SafetyLevel::Safe,
        }],
        explanation: String::new(),
        risks: Vec::new(),
    }
}

#[test]
fn remembered_commands_themselves_run_without_asking() {
    let policy = Policy::load(None).unwrap();
    let rules = remembered_rules("/home/u");
    for command in REMEMBERED {
        let assessed = assess_plan(&policy, &scope(), &rules, &plan_of(command)).unwrap();
        assert_eq!(
            assessed.decision,
            Decision::Allow,
            "{command}: {:?}",
            assessed.steps[0].reasons
        );
        assert!(!assessed.rule_hits.is_empty(), "{command}");
    }
}

#[test]
fn broad_remembered_rules_never_let_a_dangerous_command_through() {
    let corpus = corpus();
    let policy = Policy::load(None).unwrap();
    // Scoped at the filesystem root: the broadest a user could make them.
    let rules = remembered_rules("/");
    let mut allowed = Vec::new();
    for case in &corpus.dangerous {
        if REMEMBERED.contains(&case.command.as_str()) {
            continue;
        }
        let assessed = assess_plan(&policy, &scope(), &rules, &plan_of(&case.command)).unwrap();
        if assessed.decision == Decision::Allow {
            allowed.push(case.command.clone());
        }
    }
    assert!(corpus.dangerous.len() >= 100);
    assert!(
        allowed.is_empty(),
        "allowed through remembered rules: {allowed:#?}"
    );
}

#[test]
fn forbid_policy_beats_a_remembered_allow() {
    let policy = Policy::load(None).unwrap();
    let mut rules = remembered_rules("/");
    let template = rules[0].clone();
    rules.extend(
        subjects(&bash("rm -rf /"))
            .unwrap()
            .into_iter()
            .map(|pattern| Rule {
                id: 99,
                pattern,
                ..template.clone()
            }),
    );
    let assessed = assess_plan(&policy, &scope(), &rules, &plan_of("rm -rf /")).unwrap();
    assert_eq!(assessed.decision, Decision::Forbid);
}
