use std::path::Path;

use super::*;

fn bash(command: &str) -> StepAction {
    StepAction::Bash {
        command: command.to_owned(),
    }
}

fn rule_from(command: &str, scope: &str, decision: RuleDecision) -> Rule {
    let subject = subjects(&bash(command)).unwrap().remove(0);
    Rule {
        id: 7,
        pattern: subject,
        scope: scope.into(),
        decision,
        enabled: true,
        created_from_job: None,
        hit_count: 0,
        last_used_at: None,
        created_at: 0,
    }
}

#[test]
fn remembered_push_does_not_allow_a_forced_push() {
    let rules = [rule_from(
        "git push origin main",
        "/home/u/src",
        RuleDecision::Allow,
    )];
    let cwd = Path::new("/home/u/src/app");
    assert_eq!(
        verdict(&rules, &bash("git push origin main"), cwd),
        Verdict::Allowed(vec![7])
    );
    for variant in [
        "git push --force origin main",
        "git push -f origin main",
        "git push origin main --force-with-lease",
        "git push origin dev",
        "sudo git push origin main",
        "git push origin main > /etc/passwd",
    ] {
        assert_eq!(
            verdict(&rules, &bash(variant), cwd),
            Verdict::Undecided,
            "{variant}"
        );
    }
}

#[test]
fn scope_limits_where_a_rule_applies() {
    let rules = [rule_from(
        "git push origin main",
        "/home/u/src",
        RuleDecision::Allow,
    )];
    assert_eq!(
        verdict(
            &rules,
            &bash("git push origin main"),
            Path::new("/home/u/other")
        ),
        Verdict::Undecided
    );
}

#[test]
fn glob_arguments_never_reach_home_or_root() {
    let rules = [rule_from(
        "rm *.tmp",
        "/home/u/project",
        RuleDecision::Allow,
    )];
    let cwd = Path::new("/home/u/project");
    assert_eq!(
        verdict(&rules, &bash("rm *.tmp"), cwd),
        Verdict::Allowed(vec![7])
    );
    for variant in [
        "rm -rf ~",
        "rm -r *.tmp",
        "rm ~/*.tmp",
        "rm /tmp/a.tmp",
        "rm ../x.tmp",
        "rm *.tmp *.rs",
    ] {
        assert_eq!(
            verdict(&rules, &bash(variant), cwd),
            Verdict::Undecided,
            "{variant}"
        );
    }
    let mut generalized = rule_from("rm a.tmp", "/home/u/project", RuleDecision::Allow);
    generalized.pattern.args = vec!["*.tmp".into()];
    assert_eq!(
        verdict(&[generalized.clone()], &bash("rm b.tmp"), cwd),
        Verdict::Allowed(vec![7])
    );
    assert_eq!(
        verdict(&[generalized], &bash("rm .hidden.tmp"), cwd),
        Verdict::Undecided
    );
}

#[test]
fn every_command_of_a_script_must_be_covered_and_deny_wins() {
    let allow = rule_from("git add -A", "/p", RuleDecision::Allow);
    let cwd = Path::new("/p");
    assert_eq!(
        verdict(
            std::slice::from_ref(&allow),
            &bash("git add -A && git commit -m x"),
            cwd
        ),
        Verdict::Undecided
    );
    let mut deny = rule_from("git commit -m x", "/p", RuleDecision::Deny);
    deny.id = 9;
    assert_eq!(
        verdict(&[allow, deny], &bash("git add -A && git commit -m x"), cwd),
        Verdict::Denied(9)
    );
}

#[test]
fn disabled_rules_and_python_steps_decide_nothing() {
    let mut rule = rule_from("ls", "/", RuleDecision::Allow);
    rule.enabled = false;
    assert_eq!(
        verdict(&[rule], &bash("ls"), Path::new("/")),
        Verdict::Undecided
    );
    let python = StepAction::Python {
        command: "print(1)".into(),
    };
    assert_eq!(verdict(&[], &python, Path::new("/")), Verdict::Undecided);
}

#[test]
fn typed_trash_rules_match_the_same_patterns_only() {
    let trash = |paths: &[&str], recursive| StepAction::Fs {
        action: FsAction::Trash {
            paths: paths.iter().map(|p| (*p).to_owned()).collect(),
            recursive,
        },
    };
    let subject = subjects(&trash(&["/p/*.tmp", "/p/*.bak"], false))
        .unwrap()
        .remove(0);
    let rule = Rule {
        pattern: subject,
        ..rule_from("ls", "/p", RuleDecision::Allow)
    };
    let cwd = Path::new("/p");
    assert_eq!(
        verdict(
            std::slice::from_ref(&rule),
            &trash(&["/p/*.bak", "/p/*.tmp"], false),
            cwd
        ),
        Verdict::Allowed(vec![7])
    );
    assert_eq!(
        verdict(
            std::slice::from_ref(&rule),
            &trash(&["/p/*.tmp", "/p/*.bak"], true),
            cwd
        ),
        Verdict::Undecided
    );
    assert_eq!(
        verdict(&[rule], &trash(&["/p/*"], false), cwd),
        Verdict::Undecided
    );
}
