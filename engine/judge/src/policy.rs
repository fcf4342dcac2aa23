//! Prefix rules as data, in the spirit of codex's execpolicy. `policy` loads
//! `config/security.toml` (embedded) with a user file on top, validates every
//! rule's `match`/`not_match` examples at load time, and answers which rule a
//! parsed command matches. It never rates levels or executes anything.
//!
//! A rule names programs and a token pattern. Pattern tokens whose
//! alternatives all start with `-` are flags, normalized per program (so
//! `--recursive` in a rule matches `-r`, `-R` and `-rf` in a command) and
//! looked for anywhere; the other tokens must match positional arguments in
//! order (as a prefix when `anchored`). An alternative written `glob:…` is a
//! glob where `*` matches any text; otherwise it is compared literally.

use std::collections::HashMap;

use serde::Deserialize;

use crate::plan::Decision;
use crate::risk;
use crate::shell::SimpleCommand;

/// The built-in rules, shipped in the binary.
pub const DEFAULT_POLICY: &str = include_str!("../../../config/security.toml");

/// Why a policy file was rejected. Fix the file; retrying does not help.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PolicyError {
    /// The file is not valid TOML or has unknown or missing keys.
    #[error("{origin} policy: {message}")]
    Toml {
        /// `built-in` or `user`.
        origin: &'static str,
        /// What the TOML parser said.
        message: String,
    },
    /// A rule is malformed (no programs, an empty alternative list).
    #[error("policy rule `{id}`: {message}")]
    InvalidRule {
        /// The rule's id.
        id: String,
        /// What is wrong.
        message: String,
    },
    /// A rule's `match` example does not match, or a `not_match` example does.
    #[error("policy rule `{id}`: example `{example}` should {expected}match")]
    Example {
        /// The rule's id.
        id: String,
        /// The failing example.
        example: String,
        /// `""` for a `match` example, `"not "` for a `not_match` example.
        expected: &'static str,
    },
}

/// One pattern token: a single alternative or a list of them.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(untagged)]
pub enum Token {
    /// Exactly this (or this glob).
    One(String),
    /// Any of these.
    Any(Vec<String>),
}

impl Token {
    fn alternatives(&self) -> &[String] {
        match self {
            Self::One(one) => std::slice::from_ref(one),
            Self::Any(any) => any,
        }
    }
}

/// A rule as written in `security.toml`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rule {
    /// Stable name, shown with the decision (the audit trail).
    pub id: String,
    /// Program names (basenames) this rule is about; `glob:` allowed.
    pub program: Token,
    /// Flag and positional tokens that must all be present.
    #[serde(default)]
    pub pattern: Vec<Token>,
    /// Positional tokens must be the first positional arguments.
    #[serde(default)]
    pub anchored: bool,
    /// Only when reading a pipe from one of these programs (`curl … | sh`).
    #[serde(default)]
    pub piped_from: Option<Token>,
    /// What happens to a matching command.
    pub decision: Decision,
    /// Why, for the approval card and the `check-command` reasons.
    pub justification: String,
    /// Commands that must match (checked at load).
    #[serde(default, rename = "match")]
    pub matches: Vec<String>,
    /// Commands that must not match (checked at load).
    #[serde(default)]
    pub not_match: Vec<String>,
}

/// A rule that matched a command.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleMatch {
    /// The rule's id.
    pub id: String,
    /// Its decision.
    pub decision: Decision,
    /// Its justification.
    pub justification: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PolicyFile {
    #[serde(default, rename = "rule")]
    rules: Vec<Rule>,
}

/// The loaded rules, indexed by program name.
#[derive(Debug, Clone)]
pub struct Policy {
    rules: Vec<Rule>,
    by_program: HashMap<String, Vec<usize>>,
    glob_programs: Vec<usize>,
}

impl Policy {
    /// Loads the built-in rules with the user's rules (if any) on top: user
    /// rules are checked first and win ties, but the strictest decision of all
    /// matching rules always wins, so a user rule cannot unlock a built-in forbid.
    pub fn load(user_toml: Option<&str>) -> Result<Self, PolicyError> {
        let mut rules = match user_toml {
            Some(text) => parse_file(text, "user")?,
            None => Vec::new(),
        };
        rules.extend(parse_file(DEFAULT_POLICY, "built-in")?);
        let mut policy = Self {
            rules: Vec::new(),
            by_program: HashMap::new(),
            glob_programs: Vec::new(),
        };
        for rule in rules {
            policy.add(rule)?;
        }
        policy.validate_examples()?;
        Ok(policy)
    }

    /// All rules, user rules first.
    pub fn rules(&self) -> &[Rule] {
        &self.rules
    }

    fn add(&mut self, rule: Rule) -> Result<(), PolicyError> {
        let invalid = |message: &str| PolicyError::InvalidRule {
            id: rule.id.clone(),
            message: message.to_owned(),
        };
        let tokens = std::iter::once(&rule.program)
            .chain(&rule.pattern)
            .chain(&rule.piped_from);
        if tokens
            .into_iter()
            .any(|t| t.alternatives().is_empty() || t.alternatives().iter().any(String::is_empty))
        {
            return Err(invalid("a token has no alternatives or an empty one"));
        }
        if rule.matches.is_empty() {
            return Err(invalid("every rule needs at least one `match` example"));
        }
        let index = self.rules.len();
        for program in rule.program.alternatives() {
            if program.starts_with("glob:") {
                self.glob_programs.push(index);
            } else {
                self.by_program
                    .entry(program.clone())
                    .or_default()
                    .push(index);
            }
        }
        self.rules.push(rule);
        Ok(())
    }

    fn validate_examples(&self) -> Result<(), PolicyError> {
        for rule in &self.rules {
            let cases = rule
                .matches
                .iter()
                .map(|e| (e, true))
                .chain(rule.not_match.iter().map(|e| (e, false)));
            for (example, expected) in cases {
                let matched = risk::parse(example)
                    .is_ok_and(|script| script.commands.iter().any(|c| rule_matches(rule, c)));
                if matched != expected {
                    return Err(PolicyError::Example {
                        id: rule.id.clone(),
                        example: example.clone(),
                        expected: if expected { "" } else { "not " },
                    });
                }
            }
        }
        Ok(())
    }

    /// The strictest rule matching `command` (the earliest on ties), if any.
    pub fn check(&self, command: &SimpleCommand) -> Option<RuleMatch> {
        let exact = self.by_program.get(&command.program).into_iter().flatten();
        let mut best: Option<&Rule> = None;
        for &index in exact.chain(&self.glob_programs) {
            let Some(rule) = self.rules.get(index) else {
                continue;
            };
            if rule_matches(rule, command) && best.is_none_or(|b| rule.decision > b.decision) {
                best = Some(rule);
            }
        }
        best.map(|rule| RuleMatch {
            id: rule.id.clone(),
            decision: rule.decision,
            justification: rule.justification.clone(),
        })
    }
}

fn parse_file(text: &str, origin: &'static str) -> Result<Vec<Rule>, PolicyError> {
    toml::from_str::<PolicyFile>(text)
        .map(|file| file.rules)
        .map_err(|e| PolicyError::Toml {
            origin,
            message: e.to_string(),
        })
}

fn alternative_matches(pattern: &str, text: &str) -> bool {
    match pattern.strip_prefix("glob:") {
        Some(glob) => glob_matches(glob.as_bytes(), text.as_bytes()),
        None => pattern == text,
    }
}

/// `*` matches any run of bytes; everything else is literal.
fn glob_matches(glob: &[u8], text: &[u8]) -> bool {
    match glob.split_first() {
        None => text.is_empty(),
        Some((b'*', rest)) => {
            (0..=text.len()).any(|skip| glob_matches(rest, text.get(skip..).unwrap_or_default()))
        }
        Some((c, rest)) => text
            .split_first()
            .is_some_and(|(t, text)| t == c && glob_matches(rest, text)),
    }
}

fn rule_matches(rule: &Rule, command: &SimpleCommand) -> bool {
    if !rule
        .program
        .alternatives()
        .iter()
        .any(|p| alternative_matches(p, &command.program))
    {
        return false;
    }
    if let Some(from) = &rule.piped_from {
        // Any program upstream: `curl … | tee x | sh` and `. <(curl …)` alike.
        let fed = command.upstream.iter().any(|source| {
            from.alternatives()
                .iter()
                .any(|p| alternative_matches(p, source))
        });
        if !fed {
            return false;
        }
    }
    let (flags, positionals): (Vec<&Token>, Vec<&Token>) = rule
        .pattern
        .iter()
        .partition(|t| t.alternatives().iter().all(|a| a.starts_with('-')));
    let has_flags = flags.iter().all(|token| {
        token.alternatives().iter().any(|alt| {
            let wanted = risk::canonical_flags(command, alt);
            !wanted.is_empty() && wanted.iter().all(|w| command.has_flag(w))
        })
    });
    has_flags && positionals_match(&positionals, &command.args, rule.anchored)
}

fn positionals_match(tokens: &[&Token], args: &[String], anchored: bool) -> bool {
    let mut args = args.iter().filter(|a| *a != "--");
    tokens.iter().all(|token| {
        let hit = |arg: &String| {
            token
                .alternatives()
                .iter()
                .any(|alt| alternative_matches(alt, arg))
        };
        if anchored {
            args.next().is_some_and(hit)
        } else {
            args.any(hit)
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const RULE: &str = r#"
[[rule]]
id = "no-force-push"
program = "git"
pattern = ["push", ["--force", "--force-with-lease"]]
anchored = true
decision = "prompt"
justification = "rewrites history on the remote"
match = ["git push --force origin main", "git push -f", "git push origin main --force-with-lease"]
not_match = ["git push origin main", "git log --force"]
"#;

    #[test]
    fn user_rule_with_passing_examples_loads_and_matches() {
        let policy = Policy::load(Some(RULE)).unwrap();
        let cmd = risk::parse("git push origin -f")
            .unwrap()
            .commands
            .remove(0);
        assert_eq!(
            policy.check(&cmd).map(|m| m.id),
            Some("no-force-push".to_owned())
        );
    }

    #[test]
    fn rule_with_failing_match_example_is_a_load_error() {
        let bad = RULE.replace("\"git push -f\"", "\"git push origin\"");
        assert_eq!(
            Policy::load(Some(&bad)).unwrap_err(),
            PolicyError::Example {
                id: "no-force-push".into(),
                example: "git push origin".into(),
                expected: ""
            }
        );
    }

    #[test]
    fn rule_with_failing_not_match_example_is_a_load_error() {
        let bad = RULE.replace("\"git log --force\"", "\"git push --force\"");
        assert!(matches!(
            Policy::load(Some(&bad)),
            Err(PolicyError::Example {
                expected: "not ",
                ..
            })
        ));
    }

    #[test]
    fn unknown_keys_are_rejected() {
        let bad = RULE.replace("anchored = true", "anchord = true");
        assert!(matches!(
            Policy::load(Some(&bad)),
            Err(PolicyError::Toml { origin: "user", .. })
        ));
    }

    #[test]
    fn built_in_policy_loads() {
        assert!(!Policy::load(None).unwrap().rules().is_empty());
    }

    #[test]
    fn globs_match_any_text() {
        for (glob, text, expected) in [
            ("mkfs*", "mkfs.ext4", true),
            ("/dev/sd*", "/dev/sda1", true),
            ("/dev/sd*", "/dev/null", false),
            ("a*b", "ab", true),
        ] {
            assert_eq!(
                glob_matches(glob.as_bytes(), text.as_bytes()),
                expected,
                "{glob} vs {text}"
            );
        }
    }
}
