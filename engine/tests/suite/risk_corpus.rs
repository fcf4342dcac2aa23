//! Runs every entry of `fixtures/commands.toml` through `assess`: dangerous
//! commands must never be allowed, everyday read-only ones must be.

use engine::plan::{Decision, SafetyLevel};
use engine::policy::Policy;
use engine::risk::{Scope, assess};
use serde::Deserialize;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct Corpus {
    pub dangerous: Vec<Case>,
    pub safe: Vec<Case>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct Case {
    pub command: String,
    /// The lowest acceptable level.
    pub level: SafetyLevel,
    pub decision: Decision,
}

/// The scope every corpus command is rated in.
pub(super) fn scope() -> Scope {
    Scope {
        cwd: "/home/u/project".into(),
        home: "/home/u".into(),
        write_roots: vec!["/home/u/project".into(), "/tmp/devos-job".into()],
        temp_dir: Some("/tmp/devos-job".into()),
        auto_approve_safe: true,
    }
}

/// The corpus in `fixtures/commands.toml`.
pub(super) fn corpus() -> Corpus {
    match toml::from_str(include_str!("../fixtures/commands.toml")) {
        Ok(corpus) => corpus,
        Err(error) => panic!("fixtures/commands.toml: {error}"),
    }
}

#[test]
fn corpus_is_large_enough() {
    let corpus = corpus();
    assert!(
        corpus.dangerous.len() >= 110,
        "{} dangerous",
        corpus.dangerous.len()
    );
    assert!(corpus.safe.len() >= 110, "{} safe", corpus.safe.len());
}

#[test]
fn dangerous_commands_are_never_allowed() {
    let policy = Policy::load(None).unwrap();
    let mut failures = Vec::new();
    for case in corpus().dangerous {
        let got = assess(&policy, &scope(), &case.command);
        if got.decision == Decision::Allow
            || got.level < case.level
            || got.decision != case.decision
        {
            failures.push(format!(
                "{:?}: got {} / {} {:?}, want at least {} / {}",
                case.command,
                got.level.as_str(),
                got.decision.as_str(),
                got.reasons,
                case.level.as_str(),
                case.decision.as_str()
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn everyday_read_only_commands_are_allowed() {
    let policy = Policy::load(None).unwrap();
    let mut failures = Vec::new();
    for case in corpus().safe {
        let got = assess(&policy, &scope(), &case.command);
        if got.level != case.level || got.decision != case.decision {
            failures.push(format!(
                "{:?}: got {} / {} {:?}",
                case.command,
                got.level.as_str(),
                got.decision.as_str(),
                got.reasons
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn safe_commands_prompt_without_auto_approve() {
    let policy = Policy::load(None).unwrap();
    let scope = Scope {
        auto_approve_safe: false,
        ..scope()
    };
    let got = assess(&policy, &scope, "ls -la");
    assert_eq!(
        (got.level, got.decision),
        (SafetyLevel::Safe, Decision::Prompt)
    );
}

#[test]
fn assessment_serializes_to_the_check_command_line() {
    let policy = Policy::load(None).unwrap();
    let got = serde_json::to_string(&assess(&policy, &scope(), "rm -rf build")).unwrap();
    pretty_assertions::assert_eq!(
        got,
        r#"{"command":"rm -rf build","level":"destructive","decision":"prompt","reasons":["rm -r -f deletes recursively"]}"#
    );
}

#[test]
fn unparseable_script_is_destructive() {
    let policy = Policy::load(None).unwrap();
    let got = assess(&policy, &scope(), "echo 'unterminated");
    assert_eq!(
        (got.level, got.decision),
        (SafetyLevel::Destructive, Decision::Prompt)
    );
}

#[test]
fn moderate_writes_inside_roots_prompt() {
    let policy = Policy::load(None).unwrap();
    for command in [
        "mkdir -p build/out",
        "touch notes.md",
        "git add -A && git commit -m wip",
        "echo hi > out.txt",
        "tar -czf /tmp/devos-job/a.tgz src",
        "git checkout -b feature",
    ] {
        let got = assess(&policy, &scope(), command);
        assert_eq!(
            (got.level, got.decision),
            (SafetyLevel::Moderate, Decision::Prompt),
            "{command}: {:?}",
            got.reasons
        );
    }
}

#[test]
fn writes_outside_roots_are_destructive_with_a_reason() {
    let policy = Policy::load(None).unwrap();
    let got = assess(&policy, &scope(), "echo x >> ~/.profile");
    assert_eq!(got.level, SafetyLevel::Destructive);
    assert_eq!(
        got.reasons,
        vec!["writes outside the write roots: /home/u/.profile".to_owned()]
    );
}

#[test]
fn cd_moves_where_relative_writes_land() {
    let policy = Policy::load(None).unwrap();
    let got = assess(&policy, &scope(), "cd /var/tmp && touch x");
    assert_eq!(got.level, SafetyLevel::Destructive, "{:?}", got.reasons);
}

#[test]
fn user_allow_rule_lifts_moderate_but_not_destructive() {
    let user = r#"
[[rule]]
id = "allow-build-dirs"
program = ["mkdir", "rm"]
decision = "allow"
justification = "team policy"
match = ["mkdir build"]
"#;
    let policy = Policy::load(Some(user)).unwrap();
    assert_eq!(
        assess(&policy, &scope(), "mkdir build").decision,
        Decision::Allow
    );
    assert_eq!(
        assess(&policy, &scope(), "rm -r build").decision,
        Decision::Prompt
    );
}
