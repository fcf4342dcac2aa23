//! What History, the job detail page and the log viewer receive.

use protocol::{JobStatus, LogStream};
use serde::{Deserialize, Serialize};

use super::JobView;

/// A piece of text, marked when it matched the search.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TextPart {
    /// The text.
    pub text: String,
    /// Whether it matched.
    pub matched: bool,
}

/// One row of History.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HistoryRowView {
    /// Job id.
    pub id: i64,
    /// What was asked, with search matches marked.
    pub request: Vec<TextPart>,
    /// Where the job is.
    pub status: JobStatus,
    /// Where it ran.
    pub cwd: String,
    /// `built-in planner` or the model.
    pub planner: String,
    /// "$0.0012", or empty when no model was paid.
    pub cost: String,
    /// "3 s", or empty when it never ran.
    pub duration: String,
    /// "2026-12-02 10:31 UTC".
    pub when: String,
    /// "5 minutes ago".
    pub ago: String,
    /// For a search: where the plan or the output matched.
    pub snippet: Vec<TextPart>,
}

/// A page of History with its filters' choices.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HistoryView {
    /// The rows, newest first.
    pub rows: Vec<HistoryRowView>,
    /// Id for the "Older" link.
    pub older: Option<i64>,
    /// Id for the "Newer" link.
    pub newer: Option<i64>,
    /// Planners to filter by: `builtin` and the models.
    pub planners: Vec<String>,
}

/// A decision on the job detail page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApprovalView {
    /// Who decided.
    pub by: String,
    /// "approved" or "rejected".
    pub decision: String,
    /// Whether it became a remembered rule.
    pub remembered: bool,
    /// Their note.
    pub note: String,
    /// When, in UTC.
    pub when: String,
}

/// One model call a job made (or was refused).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ModelCallView {
    /// `bedrock` or `openai`.
    pub provider: String,
    /// Model id.
    pub model: String,
    /// Input tokens.
    pub input_tokens: i64,
    /// Output tokens.
    pub output_tokens: i64,
    /// "$0.0012".
    pub cost: String,
    /// `ok`, `invalid`, `error`, `refused`.
    pub outcome: String,
    /// Why it failed or was refused.
    pub detail: String,
}

/// The job detail page: the card plus what only this page shows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct JobPageView {
    /// The card: plan, steps with risk and reasons, recent output, context, actions.
    pub job: JobView,
    /// Decisions, oldest first.
    pub approvals: Vec<ApprovalView>,
    /// Model calls, oldest first.
    pub calls: Vec<ModelCallView>,
    /// Total model cost, "$0.0012".
    pub cost: String,
    /// Total tokens.
    pub tokens: i64,
    /// Created, in UTC.
    pub when: String,
    /// What Undo can do now, in words.
    pub undo: String,
}

/// One numbered line in the log viewer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LogLineView {
    /// Row id, to continue after.
    pub id: i64,
    /// Step index, from 0.
    pub step: usize,
    /// Which stream the line came from.
    pub stream: LogStream,
    /// Text.
    pub line: String,
}

/// A slice of a job's log.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LogPageView {
    /// What was asked (the viewer's title).
    pub request: String,
    /// Job status when read.
    pub status: JobStatus,
    /// Lines after the one asked for, oldest first.
    pub lines: Vec<LogLineView>,
    /// Whether more lines are stored after these.
    pub more: bool,
}

#[cfg(feature = "ssr")]
mod convert {
    //! Engine → DTO conversions (server only).

    use engine::store::{JobSummary, MATCH_END, MATCH_START};

    use super::{HistoryRowView, TextPart};

    impl From<JobSummary> for HistoryRowView {
        fn from(job: JobSummary) -> Self {
            let now = engine::store::now_unix();
            let duration = match (job.started_at, job.finished_at) {
                (Some(start), Some(end)) => format!("{} s", (end - start).max(0)),
                (Some(_), None) => "running".to_owned(),
                _ => String::new(),
            };
            Self {
                id: job.id.0,
                request: job
                    .marked_request
                    .as_deref()
                    .map_or_else(|| plain_parts(job.request), marked_parts),
                status: job.status,
                cwd: job.cwd,
                planner: match job.planner.as_str() {
                    "builtin" => "built-in planner".to_owned(),
                    "" => "not planned".to_owned(),
                    _ => job.planner,
                },
                cost: if job.cost_micros > 0 {
                    engine::models::cost::format_usd(job.cost_micros)
                } else {
                    String::new()
                },
                duration,
                when: engine::calendar::format_minute(job.created_at),
                ago: crate::server::ago(now, job.created_at),
                snippet: job.snippet.as_deref().map(marked_parts).unwrap_or_default(),
            }
        }
    }

    /// Splits text marked by the store's search into plain and matched parts.
    fn marked_parts(marked: &str) -> Vec<TextPart> {
        let mut parts = Vec::new();
        let mut matched = false;
        for piece in marked.split([MATCH_START, MATCH_END]) {
            if !piece.is_empty() {
                parts.push(TextPart {
                    text: piece.to_owned(),
                    matched,
                });
            }
            matched = !matched;
        }
        parts
    }

    /// Plain text as one unmatched part.
    fn plain_parts(text: String) -> Vec<TextPart> {
        vec![TextPart {
            text,
            matched: false,
        }]
    }

    #[cfg(test)]
    mod tests {
        use super::*;

        #[test]
        fn marks_become_matched_parts() {
            let marked =
                format!("show {MATCH_START}disk{MATCH_END} and {MATCH_START}usage{MATCH_END}");
            let parts: Vec<(String, bool)> = marked_parts(&marked)
                .into_iter()
                .map(|p| (p.text, p.matched))
                .collect();
            assert_eq!(
                parts,
                [
                    ("show ".to_owned(), false),
                    ("disk".to_owned(), true),
                    (" and ".to_owned(), false),
                    ("usage".to_owned(), true),
                ]
            );
        }
    }
}
