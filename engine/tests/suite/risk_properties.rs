//! Properties of the risk engine over the corpus: no supported way of
//! wrapping, prefixing, nesting or hiding a flag turns a dangerous command
//! into one that runs without asking, and forbidden commands stay forbidden
//! under every transformation the engine can still see through.

use engine::plan::Decision;
use engine::policy::Policy;
use engine::risk::assess;
use proptest::prelude::*;

use super::risk_corpus::{corpus, scope};

fn dangerous() -> Vec<(String, Decision)> {
    corpus()
        .dangerous
        .into_iter()
        // Single simple commands, so a wrapper or prefix applies to the whole.
        .filter(|c| {
            !c.command
                .contains(['|', ';', '&', '\n', '<', '>', '(', '`'])
        })
        .map(|c| (c.command, c.decision))
        .collect()
}

/// Wrappers the engine unwraps with their full option grammar.
const WRAPPERS: &[&str] = &[
    "command",
    "exec",
    "env",
    "env -i",
    "env -u HOME",
    "env FOO=1",
    "nice",
    "nice -n 5",
    "nice -5",
    "nohup",
    "timeout 5",
    "timeout -k5s 10",
    "timeout --signal=KILL 3",
    "time",
    "time -p",
    "stdbuf -oL",
    "ionice -c3",
    "chrt -o 0",
    "taskset -c 0",
    "setsid",
    "setsid -f",
    "sudo",
    "sudo -u root",
    "doas",
];

/// Quotes text for bash as one word.
fn quote(text: &str) -> String {
    format!("'{}'", text.replace('\'', r"'\''"))
}

/// `-rf` written as `$'\x2d…'`: bash decodes it to the same flag.
fn ansi_c(flag: &str) -> String {
    let hex: String = flag.bytes().map(|b| format!("\\x{b:02x}")).collect();
    format!("$'{hex}'")
}

/// Replaces the first flag of `command` with `make(flag)`, if it has one.
fn hide_first_flag(command: &str, make: impl Fn(&str) -> String) -> Option<String> {
    // Only where the flag is a word of its own, not text inside quotes.
    if command.contains(['\'', '"']) {
        return None;
    }
    let words: Vec<&str> = command.split(' ').collect();
    let at = words
        .iter()
        .position(|w| w.starts_with('-') && w.len() > 1 && !w.contains(['\'', '"', '$']))?;
    let mut out: Vec<String> = words.iter().map(|w| (*w).to_owned()).collect();
    out[at] = make(words[at]);
    Some(out.join(" "))
}

/// `NAME=value` as bash reads it before a command.
fn is_assignment(word: &str) -> bool {
    word.split_once('=').is_some_and(|(name, _)| {
        !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
    })
}

#[derive(Debug, Clone)]
enum Transform {
    Wrap(usize),
    Assign(&'static str),
    BashC,
    Eval,
    AnsiCFlag,
    SubstitutedFlag,
}

impl Transform {
    /// The transformed command, or `None` when the transformation does not apply.
    fn apply(&self, command: &str) -> Option<String> {
        match self {
            Self::Wrap(i) => {
                // Assignments stay in front: `FOO=1 nice rm …`, not `nice FOO=1 rm …`.
                let words: Vec<&str> = command.split(' ').collect();
                let at = words.iter().take_while(|w| is_assignment(w)).count();
                let (assignments, rest) = words.split_at(at);
                let wrapper = WRAPPERS[*i % WRAPPERS.len()];
                Some(
                    assignments
                        .iter()
                        .copied()
                        .chain([wrapper])
                        .chain(rest.iter().copied())
                        .collect::<Vec<_>>()
                        .join(" "),
                )
            }
            Self::Assign(assignment) => Some(format!("{assignment} {command}")),
            Self::BashC => Some(format!("bash -c {}", quote(command))),
            Self::Eval => Some(format!("eval {}", quote(command))),
            Self::AnsiCFlag => hide_first_flag(command, ansi_c),
            Self::SubstitutedFlag => hide_first_flag(command, |f| format!("$(printf %s {f})")),
        }
    }

    /// Whether the engine can still read the command exactly (forbid must hold).
    fn is_visible(&self) -> bool {
        !matches!(self, Self::SubstitutedFlag)
    }
}

fn transform() -> impl Strategy<Value = Transform> {
    prop_oneof![
        (0..WRAPPERS.len()).prop_map(Transform::Wrap),
        prop::sample::select(vec!["FOO=1", "LANG=C", "X=$(pwd)"]).prop_map(Transform::Assign),
        Just(Transform::BashC),
        Just(Transform::Eval),
        Just(Transform::AnsiCFlag),
        Just(Transform::SubstitutedFlag),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    #[test]
    fn dangerous_commands_never_become_allowed(
        case in prop::sample::select(dangerous()),
        transforms in prop::collection::vec(transform(), 1..4),
    ) {
        let policy = Policy::load(None).unwrap();
        let (original, expected) = case;
        let mut command = original.clone();
        let mut visible = true;
        for transform in &transforms {
            if let Some(next) = transform.apply(&command) {
                command = next;
                visible &= transform.is_visible();
            }
        }
        let got = assess(&policy, &scope(), &command);
        prop_assert_ne!(got.decision, Decision::Allow, "{} (from {}): {:?}", command, original, got.reasons);
        if expected == Decision::Forbid && visible {
            prop_assert_eq!(got.decision, Decision::Forbid, "{} (from {}): {:?}", command, original, got.reasons);
        }
    }
}
