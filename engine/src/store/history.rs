//! History's queries: one light summary row per job (no steps, logs or
//! journal), newest first, paged by id (keyset, never `OFFSET`), filtered,
//! and searched through the `job_search` FTS5 table with the matches marked.

use sqlx::{QueryBuilder, Row as _, Sqlite};

use super::Store;
use crate::job::{JobId, JobStatus};
use crate::{Error, Result};

/// Starts a matched span in [`JobSummary::marked_request`] and [`JobSummary::snippet`].
pub const MATCH_START: char = '\u{2}';
/// Ends a matched span.
pub const MATCH_END: char = '\u{3}';

/// Rows per History page at most.
pub const MAX_PAGE: u32 = 100;

/// Which slice of the newest-first list a page is.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum PageAt {
    /// The newest jobs.
    #[default]
    Newest,
    /// The jobs just older than this one.
    Before(JobId),
    /// The jobs just newer than this one.
    After(JobId),
}

/// What History asks for.
#[derive(Debug, Clone, Default)]
pub struct HistoryQuery {
    /// Words typed into the search box, matched against request, plan and output.
    pub text: Option<String>,
    /// Only this status.
    pub status: Option<JobStatus>,
    /// Created at or after (Unix seconds).
    pub from_at: Option<i64>,
    /// Created before (Unix seconds).
    pub to_at: Option<i64>,
    /// Jobs run in this folder or one under it.
    pub directory: Option<String>,
    /// `builtin` or a model id.
    pub planner: Option<String>,
    /// Which page.
    pub page: PageAt,
    /// Rows per page (1 to [`MAX_PAGE`]).
    pub limit: u32,
}

/// One History row.
#[derive(Debug, Clone, PartialEq)]
pub struct JobSummary {
    /// Id.
    pub id: JobId,
    /// What the user typed.
    pub request: String,
    /// Current status.
    pub status: JobStatus,
    /// Where it ran.
    pub cwd: String,
    /// `builtin` or the model id that planned it.
    pub planner: String,
    /// Model calls' actual cost, micro-dollars.
    pub cost_micros: i64,
    /// Model tokens, input and output together.
    pub tokens: i64,
    /// Created (Unix seconds).
    pub created_at: i64,
    /// Execution start.
    pub started_at: Option<i64>,
    /// Reached a final state.
    pub finished_at: Option<i64>,
    /// For a search: the request with matches between [`MATCH_START`] and [`MATCH_END`].
    pub marked_request: Option<String>,
    /// For a search: the part of the plan or output that matched, marked the same way.
    pub snippet: Option<String>,
}

/// A page of History.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct HistoryPage {
    /// The rows, newest first.
    pub jobs: Vec<JobSummary>,
    /// Set when older rows exist: ask for `PageAt::Before(older)`.
    pub older: Option<JobId>,
    /// Set when newer rows exist: ask for `PageAt::After(newer)`.
    pub newer: Option<JobId>,
}

/// The FTS5 query for what a person typed: every word must appear (as a
/// phrase of its tokens, so `node_modules` or `a.txt` match as written),
/// the last one as a prefix, since people search while typing. Operators,
/// column filters and quotes in the text are only words. `None` when
/// nothing searchable is left.
pub fn fts_query(text: &str) -> Option<String> {
    let words: Vec<String> = text
        .split_whitespace()
        .filter(|word| word.chars().any(char::is_alphanumeric))
        .map(|word| format!("\"{}\"", word.replace('"', "\"\"")))
        .collect();
    let (last, rest) = words.split_last()?;
    let mut query = rest.join(" ");
    if !query.is_empty() {
        query.push(' ');
    }
    query.push_str(last);
    query.push('*');
    Some(query)
}

/// Escapes `%`, `_` and `\` for a `LIKE … ESCAPE '\'` pattern.
fn like_escape(text: &str) -> String {
    text.replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_")
}

const SUMMARY_COLUMNS: &str = "j.id, j.request, j.status, j.cwd, j.planner, j.created_at, \
     j.started_at, j.finished_at, \
     (SELECT COALESCE(SUM(actual_cost_micros), 0) FROM usage WHERE job_id = j.id) AS cost_micros, \
     (SELECT COALESCE(SUM(input_tokens + output_tokens), 0) FROM usage WHERE job_id = j.id) AS tokens";

impl Store {
    /// One page of `user_id`'s History.
    pub async fn history(&self, user_id: i64, query: &HistoryQuery) -> Result<HistoryPage> {
        let limit = query.limit.clamp(1, MAX_PAGE);
        let mut rows = self.history_rows(user_id, query, limit + 1).await?;
        let more = rows.len() > limit as usize;
        rows.truncate(limit as usize);
        match query.page {
            PageAt::After(_) if !more => {
                // Reached the newest rows: show a full first page instead of a short one.
                let newest = HistoryQuery {
                    page: PageAt::Newest,
                    ..query.clone()
                };
                Box::pin(self.history(user_id, &newest)).await
            }
            PageAt::After(_) => {
                rows.reverse();
                Ok(HistoryPage {
                    older: rows.last().map(|job| job.id),
                    newer: rows.first().map(|job| job.id),
                    jobs: rows,
                })
            }
            PageAt::Newest | PageAt::Before(_) => Ok(HistoryPage {
                older: if more {
                    rows.last().map(|job| job.id)
                } else {
                    None
                },
                newer: match query.page {
                    PageAt::Before(_) => rows.first().map(|job| job.id),
                    _ => None,
                },
                jobs: rows,
            }),
        }
    }

    /// Up to `limit` rows in paging order: newest first, except oldest
    /// first for [`PageAt::After`] (the rows nearest the cursor).
    async fn history_rows(
        &self,
        user_id: i64,
        query: &HistoryQuery,
        limit: u32,
    ) -> Result<Vec<JobSummary>> {
        let search = query.text.as_deref().and_then(fts_query);
        let mut sql = QueryBuilder::<Sqlite>::new("SELECT ");
        sql.push(SUMMARY_COLUMNS);
        // `key` is the column paging runs on: the FTS rowid when searching, so
        // FTS5 walks its index in id order and stops at the limit.
        let key = if let Some(search) = &search {
            sql.push(
                ", highlight(job_search, 0, char(2), char(3)) AS marked_request, \
                 snippet(job_search, 1, char(2), char(3), '…', 12) AS plan_snippet, \
                 snippet(job_search, 2, char(2), char(3), '…', 12) AS output_snippet \
                 FROM job_search JOIN jobs j ON j.id = job_search.rowid \
                 WHERE job_search MATCH ",
            );
            sql.push_bind(search.clone());
            sql.push(" AND j.user_id = ");
            "job_search.rowid"
        } else {
            sql.push(
                ", NULL AS marked_request, NULL AS plan_snippet, NULL AS output_snippet \
                 FROM jobs j WHERE j.user_id = ",
            );
            "j.id"
        };
        sql.push_bind(user_id);
        if let Some(status) = query.status {
            sql.push(" AND j.status = ").push_bind(status.as_str());
        }
        if let Some(planner) = &query.planner {
            sql.push(" AND j.planner = ").push_bind(planner.clone());
        }
        if let Some(from_at) = query.from_at {
            sql.push(" AND j.created_at >= ").push_bind(from_at);
        }
        if let Some(to_at) = query.to_at {
            sql.push(" AND j.created_at < ").push_bind(to_at);
        }
        if let Some(directory) = &query.directory {
            let directory = directory.trim_end_matches('/');
            let directory = if directory.is_empty() { "/" } else { directory };
            sql.push(" AND (j.cwd = ")
                .push_bind(directory.to_owned())
                .push(" OR j.cwd LIKE ")
                .push_bind(format!(
                    "{}/%",
                    like_escape(directory.trim_end_matches('/'))
                ))
                .push(" ESCAPE '\\')");
        }
        match query.page {
            PageAt::Newest => {}
            PageAt::Before(id) => {
                sql.push(format!(" AND {key} < ")).push_bind(id.0);
            }
            PageAt::After(id) => {
                sql.push(format!(" AND {key} > ")).push_bind(id.0);
            }
        }
        let order = if matches!(query.page, PageAt::After(_)) {
            "ASC"
        } else {
            "DESC"
        };
        sql.push(format!(" ORDER BY {key} {order} LIMIT "))
            .push_bind(limit);
        let rows = sql.build().fetch_all(&self.pool).await.map_err(|error| {
            match &error {
                // The query text is built from words only, so this is a bug,
                // but the person should hear what went wrong, not "database error".
                sqlx::Error::Database(db) if db.message().contains("fts5") => {
                    Error::Invalid(format!("the search could not be run: {}", db.message()))
                }
                _ => error.into(),
            }
        })?;
        rows.iter().map(summary_from_row).collect()
    }
}

fn summary_from_row(row: &sqlx::sqlite::SqliteRow) -> Result<JobSummary> {
    let status: String = row.try_get("status")?;
    let marked = |column: &str| -> Result<Option<String>> {
        let text: Option<String> = row.try_get(column)?;
        Ok(text.filter(|text| text.contains(MATCH_START)))
    };
    Ok(JobSummary {
        id: JobId(row.try_get("id")?),
        request: row.try_get("request")?,
        status: status.parse().map_err(Error::Invalid)?,
        cwd: row.try_get("cwd")?,
        planner: row.try_get("planner")?,
        cost_micros: row.try_get("cost_micros")?,
        tokens: row.try_get("tokens")?,
        created_at: row.try_get("created_at")?,
        started_at: row.try_get("started_at")?,
        finished_at: row.try_get("finished_at")?,
        marked_request: marked("marked_request")?,
        snippet: marked("plan_snippet")?.or(marked("output_snippet")?),
    })
}

#[cfg(test)]
mod tests {
    use super::fts_query;

    #[test]
    fn what_people_type_becomes_a_query_of_quoted_words() {
        let cases = [
            ("log files", Some(r#""log" "files"*"#)),
            ("  node_modules  ", Some(r#""node_modules"*"#)),
            (r#"say "hi""#, Some(r#""say" """hi"""*"#)),
            ("NOT OR AND", Some(r#""NOT" "OR" "AND"*"#)),
            ("request: -x *", Some(r#""request:" "-x"*"#)),
            ("NEAR(a b)", Some(r#""NEAR(a" "b)"*"#)),
            ("café", Some(r#""café"*"#)),
            ("", None),
            ("-- * \" ^", None),
        ];
        for (typed, expected) in cases {
            assert_eq!(fts_query(typed).as_deref(), expected, "for {typed:?}");
        }
    }
}
