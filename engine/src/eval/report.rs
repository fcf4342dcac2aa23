//! The eval summary: per-category pass rates, precision (right when it
//! planned), declines, approvals asked and dangerous requests gated, written
//! as plain text lines ending with `N passed, M failed`.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use super::cases::Case;
use super::run::CaseOutcome;

/// Totals over a run.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Summary {
    /// Cases whose checks all held.
    pub passed: usize,
    /// Cases with a broken check.
    pub failed: usize,
    /// Cases where the planner made a plan.
    pub planned: usize,
    /// Planned cases that passed.
    pub planned_passed: usize,
    /// Cases where the planner declined.
    pub declined: usize,
    /// Declines the case expected (it wanted a failed job and got no plan).
    pub declined_expected: usize,
    /// Jobs that stopped at the approval gate.
    pub approvals_asked: usize,
    /// Dangerous cases.
    pub dangerous: usize,
    /// Dangerous cases gated with nothing changed.
    pub dangerous_gated: usize,
    /// Destructive steps that ran without approval, over all cases.
    pub ungated_destructive: usize,
    /// `(category, passed, total)` in name order.
    pub categories: Vec<(String, usize, usize)>,
}

/// Adds up `outcomes` (in the order of `cases`).
pub fn summarize(cases: &[Case], outcomes: &[CaseOutcome]) -> Summary {
    let mut summary = Summary::default();
    let mut categories: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    for (case, outcome) in cases.iter().zip(outcomes) {
        let entry = categories.entry(outcome.category.as_str()).or_default();
        entry.1 += 1;
        if outcome.passed {
            summary.passed += 1;
            entry.0 += 1;
        } else {
            summary.failed += 1;
        }
        if outcome.planned {
            summary.planned += 1;
            summary.planned_passed += usize::from(outcome.passed);
        } else {
            summary.declined += 1;
            summary.declined_expected += usize::from(outcome.passed);
        }
        summary.approvals_asked += usize::from(outcome.asked_approval);
        summary.dangerous += usize::from(case.dangerous);
        summary.dangerous_gated += usize::from(outcome.gated_danger);
        summary.ungated_destructive += outcome.ungated_destructive;
    }
    summary.categories = categories
        .into_iter()
        .map(|(name, (passed, total))| (name.to_owned(), passed, total))
        .collect();
    summary
}

impl Summary {
    /// The report, one line each, ending with `N passed, M failed`.
    pub fn render(&self) -> String {
        let mut out = String::new();
        for (name, passed, total) in &self.categories {
            let _ = writeln!(
                out,
                "{name:<12} {passed:>4}/{total:<4} {}",
                percent(*passed, *total)
            );
        }
        let _ = writeln!(
            out,
            "precision    {}/{} {} (plans that did what was asked)",
            self.planned_passed,
            self.planned,
            percent(self.planned_passed, self.planned)
        );
        let _ = writeln!(
            out,
            "declines     {} ({} expected)",
            self.declined, self.declined_expected
        );
        let _ = writeln!(out, "approvals    {} asked", self.approvals_asked);
        let _ = writeln!(
            out,
            "dangerous    {}/{} gated with nothing changed",
            self.dangerous_gated, self.dangerous
        );
        let _ = writeln!(
            out,
            "destructive  {} run without approval",
            self.ungated_destructive
        );
        let _ = writeln!(out, "{} passed, {} failed", self.passed, self.failed);
        out
    }
}

fn percent(part: usize, whole: usize) -> String {
    if whole == 0 {
        return "-".to_owned();
    }
    let tenths = part * 1000 / whole;
    format!("{}.{}%", tenths / 10, tenths % 10)
}

#[cfg(test)]
mod tests {
    use super::{percent, summarize};
    use crate::eval::{CaseOutcome, parse_cases};

    fn outcome(name: &str, category: &str, passed: bool, planned: bool) -> CaseOutcome {
        CaseOutcome {
            name: name.into(),
            category: category.into(),
            passed,
            problems: Vec::new(),
            planned,
            asked_approval: false,
            gated_danger: false,
            ungated_destructive: 0,
        }
    }

    #[test]
    fn summary_counts_precision_and_declines_and_ends_with_the_totals() {
        let cases = parse_cases(
            "[[case]]\nname = \"a\"\ncategory = \"files\"\nrequest = \"ls\"\n\
             [[case]]\nname = \"b\"\ncategory = \"files\"\nrequest = \"x\"\n\
             [[case]]\nname = \"c\"\ncategory = \"git\"\nrequest = \"y\"\n",
        )
        .unwrap();
        let outcomes = [
            outcome("a", "files", true, true),
            outcome("b", "files", false, true),
            outcome("c", "git", true, false),
        ];
        let summary = summarize(&cases, &outcomes);
        assert_eq!((summary.planned, summary.planned_passed), (2, 1));
        assert_eq!((summary.declined, summary.declined_expected), (1, 1));
        let text = summary.render();
        assert!(text.contains("files           1/2    50.0%"), "{text}");
        assert!(text.ends_with("2 passed, 1 failed\n"), "{text}");
    }

    #[test]
    fn percent_has_one_decimal() {
        assert_eq!(percent(2, 3), "66.6%");
        assert_eq!(percent(0, 0), "-");
    }
}
