//! The built-in planner's read-only plans stay `safe` and run at once under
//! the risk engine: a stricter engine must not turn everyday questions into
//! approval cards (approval fatigue is a failure too).

use std::path::Path;

use engine::plan::{Decision, SafetyLevel, StepAction};
use engine::planner::{BuiltinOutcome, PlanRequest, plan_builtin};
use engine::policy::Policy;
use engine::risk::{Scope, assess};

/// Everyday read-only requests the built-in planner answers with shell steps.
const READ_ONLY_REQUESTS: &[&str] = &[
    "list the files here",
    "show git status",
    "what is listening on port 8080",
    "show disk usage",
    "what are the biggest files in this folder",
    "show the last 5 commits",
    "which processes use the most memory",
    "show the current branch",
    "search for TODO in this folder",
    "how much free memory do I have",
    "show the kernel version",
    "list all branches",
    "show what changed in the last commit",
    "find files larger than 1 MB",
    "count lines in all python files",
    "show uptime",
    "list running processes",
    "what changed today",
    "show the diff of unstaged changes",
];

#[test]
fn read_only_builtin_plans_are_rated_safe_and_allowed() {
    let policy = Policy::load(None).unwrap();
    let (cwd, home) = (Path::new("/home/u/project"), Path::new("/home/u"));
    let scope = Scope {
        cwd: cwd.to_path_buf(),
        home: home.to_path_buf(),
        write_roots: vec![cwd.to_path_buf()],
        temp_dir: None,
        auto_approve_safe: true,
    };
    let mut asking = Vec::new();
    for request in READ_ONLY_REQUESTS {
        let outcome = plan_builtin(&PlanRequest {
            text: request,
            cwd,
            home,
            account_home: engine::typed_path::account_home,
            context: None,
        });
        let BuiltinOutcome::Planned { plan, .. } = outcome else {
            panic!("{request}: not planned: {outcome:?}");
        };
        for step in &plan.steps {
            let StepAction::Bash { command } = &step.action else {
                continue;
            };
            let got = assess(&policy, &scope, command);
            if got.level != SafetyLevel::Safe || got.decision != Decision::Allow {
                asking.push(format!("{request}: {command}: {:?}", got.reasons));
            }
        }
    }
    assert!(
        asking.is_empty(),
        "read-only plans that ask:\n{}",
        asking.join("\n")
    );
}
