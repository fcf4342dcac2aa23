//! History: one compact row per past job, newest first, paged by id,
//! filtered by status, date, folder and planner, and searched over
//! requests, plans and output with the matches highlighted. The form is a
//! plain GET, so every search and page is a link.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use protocol::JobStatus;

use crate::api::history::{HistoryFilters, history_page};
use crate::components::form::ErrorText;
use crate::components::live::{LiveEvent, use_live_events};
use crate::dto::{HistoryRowView, TextPart};

/// Statuses offered in the filter.
const STATUSES: [JobStatus; 10] = [
    JobStatus::Completed,
    JobStatus::Failed,
    JobStatus::Pending,
    JobStatus::Executing,
    JobStatus::Approved,
    JobStatus::Planning,
    JobStatus::Rejected,
    JobStatus::Cancelled,
    JobStatus::Expired,
    JobStatus::Interrupted,
];

/// Percent-encodes a query-string value.
fn encode(value: &str) -> String {
    value
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => {
                char::from(b).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// `/history?…` for `filters`, leaving out what is empty.
fn history_href(filters: &HistoryFilters) -> String {
    let pairs = [
        ("q", &filters.q),
        ("status", &filters.status),
        ("from", &filters.from),
        ("to", &filters.to),
        ("dir", &filters.dir),
        ("model", &filters.model),
        ("before", &filters.before),
        ("after", &filters.after),
    ];
    let query: Vec<String> = pairs
        .iter()
        .filter(|(_, value)| !value.is_empty())
        .map(|(key, value)| format!("{key}={}", encode(value)))
        .collect();
    if query.is_empty() {
        "/history".to_owned()
    } else {
        format!("/history?{}", query.join("&"))
    }
}

/// Text with its matched parts in `<mark>`.
pub fn marked(parts: Vec<TextPart>) -> impl IntoView {
    parts
        .into_iter()
        .map(|part| {
            if part.matched {
                view! { <mark>{part.text}</mark> }.into_any()
            } else {
                part.text.into_any()
            }
        })
        .collect_view()
}

/// The History page.
#[component]
pub fn HistoryPage() -> impl IntoView {
    let query = use_query_map();
    let filters = move || {
        query.with(|q| {
            let get = |key: &str| q.get(key).unwrap_or_default();
            HistoryFilters {
                q: get("q"),
                status: get("status"),
                from: get("from"),
                to: get("to"),
                dir: get("dir"),
                model: get("model"),
                before: get("before"),
                after: get("after"),
            }
        })
    };
    let page = Resource::new(filters, history_page);
    // A job shown here that changes (approved elsewhere, finished, undone)
    // refreshes its row; new jobs appear.
    use_live_events(move |event| match event {
        LiveEvent::Hello | LiveEvent::Resync { .. } | LiveEvent::JobUpdate { .. } => page.refetch(),
        _ => {}
    });
    view! {
        <section class="page history">
            <h1 class="page__title">"History"</h1>
            <Transition fallback=|| view! { <p class="muted">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    let shown = filters();
                    match page.await {
                        Ok(found) => view! {
                            <FilterForm filters=shown.clone() planners=found.planners/>
                            <Rows rows=found.rows searching=!shown.q.trim().is_empty()/>
                            <Pager filters=shown older=found.older newer=found.newer/>
                        }.into_any(),
                        Err(error) => view! {
                            <FilterForm filters=shown planners=vec!["builtin".to_owned()]/>
                            <ErrorText text=error.to_string()/>
                        }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
    .into_any()
}

#[component]
fn FilterForm(filters: HistoryFilters, planners: Vec<String>) -> impl IntoView {
    let status = filters.status.clone();
    let model = filters.model.clone();
    let filtered = filters != HistoryFilters::default();
    view! {
        <form class="history__filters" method="get" action="/history" role="search">
            <input class="form__input history__search" type="search" name="q" aria-label="Search jobs"
                placeholder="Search requests, plans and output" value=filters.q/>
            <select class="form__input" name="status" aria-label="Status">
                <option value="">"any status"</option>
                {STATUSES.into_iter().map(JobStatus::as_str).map(|s| view! { <option value=s selected=status == s>{s}</option> }).collect_view()}
            </select>
            <select class="form__input" name="model" aria-label="Planner">
                <option value="">"any planner"</option>
                {planners.into_iter().map(|p| {
                    let label = if p == "builtin" { "built-in planner".to_owned() } else { p.clone() };
                    view! { <option value=p.clone() selected=model == p>{label}</option> }
                }).collect_view()}
            </select>
            <label class="history__date">
                <span>"From"</span>
                <input class="form__input" type="date" name="from" value=filters.from/>
            </label>
            <label class="history__date">
                <span>"To"</span>
                <input class="form__input" type="date" name="to" value=filters.to/>
            </label>
            <input class="form__input history__dir" type="text" name="dir" aria-label="Folder"
                placeholder="Folder (and below)" value=filters.dir/>
            <button class="button" type="submit">"Search"</button>
            {filtered.then(|| view! { <a class="button button--ghost" href="/history">"Clear"</a> })}
        </form>
    }
}

#[component]
fn Rows(rows: Vec<HistoryRowView>, searching: bool) -> impl IntoView {
    if rows.is_empty() {
        let message = if searching {
            "No jobs match. Search looks for whole words (the last one may be unfinished)."
        } else {
            "No jobs here yet."
        };
        return view! { <p class="muted" data-testid="history-empty">{message}</p> }.into_any();
    }
    view! {
        <ol class="history-list">
            {rows.into_iter().map(|row| view! { <Row row=row/> }).collect_view()}
        </ol>
    }
    .into_any()
}

#[component]
fn Row(row: HistoryRowView) -> impl IntoView {
    let meta: Vec<String> = [
        format!("#{}", row.id),
        row.cwd,
        row.planner,
        row.cost,
        row.duration,
    ]
    .into_iter()
    .filter(|part| !part.is_empty())
    .collect();
    let has_snippet = !row.snippet.is_empty();
    view! {
        <li class="history-row" data-testid="history-row" data-job-id=row.id>
            <a class="history-row__link" href=format!("/jobs/{}", row.id) data-card="" data-job-id=row.id>
                <span class="history-row__request">{marked(row.request)}</span>
                <span class=format!("status-badge status-badge--{}", row.status)>{row.status.as_str()}</span>
            </a>
            <p class="history-row__meta muted">
                {meta.join(" · ")}" · "<time title=row.when>{row.ago}</time>
            </p>
            {has_snippet.then(|| view! {
                <p class="history-row__snippet" data-testid="history-snippet">{marked(row.snippet)}</p>
            })}
        </li>
    }
}

#[component]
fn Pager(filters: HistoryFilters, older: Option<i64>, newer: Option<i64>) -> impl IntoView {
    let at = |before: Option<i64>, after: Option<i64>| {
        history_href(&HistoryFilters {
            before: before.map(|id| id.to_string()).unwrap_or_default(),
            after: after.map(|id| id.to_string()).unwrap_or_default(),
            ..filters.clone()
        })
    };
    let newest = at(None, None);
    let newer_href = newer.map(|id| at(None, Some(id)));
    let older_href = older.map(|id| at(Some(id), None));
    (newer_href.is_some() || older_href.is_some()).then(|| {
        view! {
            <nav class="pager" aria-label="Pages">
                {newer_href.map(|href| view! {
                    <a class="button button--ghost" href=newest>"Newest"</a>
                    <a class="button button--ghost" href=href rel="prev">"← Newer"</a>
                })}
                {older_href.map(|href| view! { <a class="button button--ghost" href=href rel="next">"Older →"</a> })}
            </nav>
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_keep_the_filters_and_encode_them() {
        let filters = HistoryFilters {
            q: "log files & more".into(),
            dir: "/home/al/my src".into(),
            before: "40".into(),
            ..HistoryFilters::default()
        };
        assert_eq!(
            history_href(&filters),
            "/history?q=log%20files%20%26%20more&dir=/home/al/my%20src&before=40"
        );
        assert_eq!(history_href(&HistoryFilters::default()), "/history");
    }
}
