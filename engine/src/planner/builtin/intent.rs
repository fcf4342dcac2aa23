//! The intent table's row type and the scoring that picks a row. Matching is
//! a bag of words: each intent lists synonym groups that must all appear,
//! bonus words that raise confidence and words that rule it out, so word
//! order, politeness and punctuation do not matter.

use crate::plan::Plan;

use super::query::Query;

/// One thing the built-in planner knows how to do.
pub(super) struct Intent {
    /// Stable name, reported with the plan (`list_files`).
    pub name: &'static str,
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
        let matched = self
            .all
            .iter()
            .filter(|group| group.iter().any(|phrase| matches(query, phrase)))
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
        "<file>" => query.file_index().is_some(),
        "<archive>" => query.archive_index().is_some(),
        "<path>" => (0..query.tokens.len()).any(|index| query.is_path_like(index)),
        "<number>" => query.count().is_some(),
        _ => query.has(phrase),
    }
}
