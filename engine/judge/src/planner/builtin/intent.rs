//! The intent table's row type and the scoring that picks a row. Matching is
//! a bag of words: each intent lists synonym groups that must all appear,
//! bonus words that raise confidence and words that rule it out, so word
//! order, politeness and punctuation do not matter.

use crate::plan::Plan;

use super::query::Query;

/// What an intent does to the machine. The request's verbs name the effects
/// it asks for; an intent whose effect the verbs do not ask for is ruled out,
/// so "get rid of the logs" never lists them and "copy" never moves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Effect {
    /// Only reads.
    Reads,
    /// Creates or changes something without deleting, copying or moving files.
    Changes,
    /// Deletes files, branches, history or stashes.
    Deletes,
    /// Copies files.
    Copies,
    /// Moves files.
    Moves,
    /// Sends signals to processes.
    Signals,
}

/// Verbs that ask for each forceful effect. Matched outside quotes only.
const CUES: [(Effect, &[&str]); 4] = [
    (
        Effect::Deletes,
        &[
            "delete",
            "deleting",
            "remove",
            "removing",
            "rm",
            "trash",
            "erase",
            "get rid",
            "getting rid",
            "throw away",
            "throw out",
            "wipe",
            "purge",
            "nuke",
            "shred",
            "discard",
            "destroy",
            "clear out",
            "clean out",
            "drop",
            "prune",
            "del",
            "unlink",
            "obliterate",
        ],
    ),
    (
        Effect::Copies,
        &["copy", "copies", "cp", "make a copy", "clone the file"],
    ),
    (Effect::Moves, &["move", "moving", "mv", "relocate"]),
    (
        Effect::Signals,
        &[
            "kill",
            "terminate",
            "pkill",
            "killall",
            "sigterm",
            "sigkill",
            "sighup",
            "sigint",
            "signal",
            "force quit",
        ],
    ),
];

/// Verbs that ask for a change of some kind; a read-only intent never
/// answers a request that contains one ("squash the last 3 commits" is not
/// "show the last 3 commits").
const CHANGE_CUES: &[&str] = &[
    "squash",
    "rebase",
    "revert",
    "undo",
    "amend",
    "reset",
    "cherry-pick",
    "cherrypick",
    "push",
    "pull",
    "merge",
    "rename",
    "chmod",
    "chown",
    "install",
    "uninstall",
    "upgrade",
    "restart",
    "reboot",
    "shutdown",
    "mount",
    "unmount",
    "encrypt",
    "decrypt",
    "deploy",
    "publish",
    "overwrite",
    "replace",
    "unset",
    "uncommit",
    // "free up disk space" asks for space, not for a report of it.
    "free up",
    // "change the permissions of x to 600" is not "show the permissions".
    "change the permission*",
    "change permission*",
    "change the mode",
    "set the permission*",
    "set permission*",
    "change the owner*",
    "change owner*",
    "change the group",
    "set the owner*",
];

/// Operations the built-in planner never performs. A request that asks for
/// one is declined as a whole rather than half done ("squash and force push"
/// must not become just the push).
const UNSUPPORTED: [&str; 18] = [
    // Converting a format ("convert the pngs to jpg") is neither a rename nor a listing.
    "convert",
    "converting",
    "squash",
    "rebase",
    "bisect",
    "submodule",
    "install",
    "uninstall",
    "upgrade",
    "deploy",
    "publish",
    "reboot",
    "shutdown",
    "mount",
    "unmount",
    "encrypt",
    "decrypt",
    "partition",
];

/// Whether the request asks for something no intent may half-do.
pub(super) fn asks_unsupported(query: &Query<'_>) -> bool {
    UNSUPPORTED.iter().any(|word| {
        // "reboot instance i-…" is an EC2 call, not this machine.
        query.has(word) && !(*word == "reboot" && super::intents_aws::names_instances(query))
    })
}

/// Whether the request asks for any change, forceful or not.
pub(super) fn asks_change(query: &Query<'_>) -> bool {
    !query.effects.is_empty() || query.has_any(CHANGE_CUES)
}

/// The forceful effects the request's verbs ask for, in [`CUES`] order.
pub(super) fn asked_effects(query: &Query<'_>) -> Vec<Effect> {
    // "remove duplicate lines" edits text: neither a deletion nor a copy.
    let is_dedupe = query.has_any(&[
        "duplicate line*",
        "duplicated line*",
        "duplicate entries",
        "duplicate rows",
        "repeated line*",
        "duplicates from",
        "duplicates in",
        "the duplicates",
        "dupes",
    ]);
    CUES.iter()
        .filter(|(effect, _)| !(is_dedupe && matches!(effect, Effect::Deletes | Effect::Copies)))
        .filter(|(_, words)| query.has_any(words))
        .map(|(effect, _)| *effect)
        .collect()
}

/// One thing the built-in planner knows how to do.
pub(super) struct Intent {
    /// Stable name, reported with the plan (`list_files`).
    pub name: &'static str,
    /// What it does; checked against the request's verbs.
    pub effect: Effect,
    /// Phrasings it understands; the first is offered as a suggestion.
    pub examples: &'static [&'static str],
    /// Synonym groups that must all match. Entries are phrases for
    /// [`Query::has`] or markers (`<size>`, `<age>`, `<filter>`, `<port>`,
    /// `<pid>`, `<quoted>`, `<path>`, `<file>`, `<archive>`, `<pattern>`,
    /// `<number>`) satisfied by slots.
    pub all: &'static [&'static [&'static str]],
    /// Words that raise confidence when present.
    pub any: &'static [&'static str],
    /// Words or markers that rule the intent out.
    pub none: &'static [&'static str],
    /// Turns the request into a plan, or says which slot is missing.
    pub build: fn(&Query<'_>) -> Result<Plan, String>,
}

/// Confidence reached when every group matches and no bonus word does.
const BASE: f32 = 0.7;
/// Highest score a partial match can reach; stays below the threshold.
const PARTIAL_MAX: f32 = 0.45;

impl Intent {
    /// How well the request fits: above [`super::CONFIDENCE_THRESHOLD`] only
    /// when every group matches; partial matches score lower (used for suggestions).
    pub fn score(&self, query: &Query<'_>) -> f32 {
        if self.none.iter().any(|phrase| matches(query, phrase)) {
            return 0.0;
        }
        let fits_verbs = match query.effects.as_slice() {
            [] => true,
            [asked] => *asked == self.effect,
            // "move … and delete …": two forceful verbs are two jobs; the
            // planner does one or declines.
            _ => false,
        };
        if !fits_verbs || (self.effect == Effect::Reads && query.asks_change) {
            return 0.0;
        }
        let matched = self
            .all
            .iter()
            .filter(|group| {
                group.iter().any(|phrase| matches(query, phrase))
                    || (self.effect == Effect::Reads
                        && group.iter().any(|phrase| query.has_typo_of(phrase)))
            })
            .count();
        let bonus = self
            .any
            .iter()
            .filter(|phrase| matches(query, phrase))
            .count();
        if matched < self.all.len() {
            let coverage = small(matched) / small(self.all.len()).max(1.0);
            return PARTIAL_MAX * coverage + 0.01 * small(bonus).min(3.0);
        }
        (BASE + 0.04 * small(self.all.len()) + 0.03 * small(bonus)).min(0.99)
    }
}

/// Small counts as `f32` without a lossy cast.
fn small(count: usize) -> f32 {
    f32::from(u16::try_from(count).unwrap_or(u16::MAX))
}

fn matches(query: &Query<'_>, phrase: &str) -> bool {
    match phrase {
        "<size>" => query.size_filter().is_some(),
        "<age>" => query.age_filter().is_some(),
        "<pattern>" => !query.name_patterns().is_empty(),
        "<filter>" => {
            query.size_filter().is_some()
                || query.age_filter().is_some()
                || !query.name_patterns().is_empty()
        }
        "<port>" => query.port().is_some(),
        "<pid>" => query.pid().is_some(),
        "<quoted>" => !query.quoted().is_empty(),
        "<search_quoted>" => !query.quoted_terms().is_empty(),
        "<file>" => query.file_index().is_some(),
        "<archive>" => query.archive_index().is_some(),
        "<extension_change>" => super::intents_edit::extension_change(query).is_some(),
        "<git_change>" => super::intents_git::asks_git_change(query),
        "<starts_with>" => query.has_any(&super::intents_text::STARTS_WITH),
        "<ends_with>" => query.has_any(&super::intents_text::ENDS_WITH),
        "<numbered_file>" => super::intents_text::asks_numbered_file(query),
        "<author>" => super::intents_git_changes::author(query).is_some(),
        "<two_refs>" => super::intents_git_compare::two_refs(query).is_some(),
        "<commit_ref>" => super::intents_git_info::commit_ref(query).is_some(),
        "<glob>" => (0..query.tokens.len()).any(|index| query.is_glob(index)),
        "<path>" => (0..query.tokens.len()).any(|index| query.is_path_like(index)),
        "<number>" => query.count().is_some(),
        "<qualified_lines>" => super::intents_lines::line_qualifier(query).is_some(),
        "<line_pattern>" => matches!(
            super::intents_lines::line_qualifier(query),
            Some(super::intents_lines::LineQualifier::Pattern(..))
        ),
        "<s3>" => super::intents_aws::s3_location(query).is_some(),
        "<instance_id>" => super::intents_aws::names_instances(query),
        "<new_name>" => super::intents_edit::new_name(query).is_some(),
        "<line_range>" => super::intents_inspect::line_range(query).is_some(),
        "<json_file>" => super::intents_inspect::json_file(query).is_some(),
        "<process_name>" => super::intents_processes::process_name(query).is_some(),
        "<env_var>" => super::intents_host::env_var_name(query).is_some(),
        "<signal>" => super::intents_processes::signal(query).is_some(),
        "<other_signal>" => super::intents_processes::signal(query)
            .is_some_and(|name| !matches!(name, "KILL" | "TERM")),
        _ => query.has(phrase),
    }
}
