//! History: every past job, searchable by request and output, filterable by status.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::api::jobs::search_jobs;
use crate::components::job_card::JobCard;

/// Statuses offered in the filter.
const STATUSES: [&str; 10] = [
    "completed",
    "failed",
    "pending",
    "executing",
    "approved",
    "planning",
    "rejected",
    "cancelled",
    "expired",
    "interrupted",
];

/// The History page; the form is a plain GET so searches are links.
#[component]
pub fn HistoryPage() -> impl IntoView {
    let query = use_query_map();
    let q = move || query.read().get("q").unwrap_or_default();
    let status = move || query.read().get("status").unwrap_or_default();
    let results = Resource::new(
        move || (q(), status()),
        |(q, status)| search_jobs(q, status),
    );
    view! {
        <section class="page">
            <h1 class="page__title">"History"</h1>
            <form class="history__form" method="get" action="/history">
                <input class="form__input" type="search" name="q" aria-label="Search jobs"
                    placeholder="Search requests and output" value=q/>
                <select class="form__input" name="status" aria-label="Status">
                    <option value="">"any status"</option>
                    {STATUSES.into_iter().map(|s| view! { <option value=s selected=move || status() == s>{s}</option> }).collect_view()}
                </select>
                <button class="button" type="submit">"Search"</button>
            </form>
            <Transition fallback=|| view! { <p class="muted">"Searching…"</p> }>
                {move || Suspend::new(async move {
                    match results.await {
                        Ok(jobs) if jobs.is_empty() => view! { <p class="muted">"No jobs match."</p> }.into_any(),
                        Ok(jobs) => view! {
                            <div class="feed">
                                {jobs.into_iter().map(|job| view! {
                                    <JobCard job=Signal::stored(job) on_change=Callback::new(|_| {})/>
                                }).collect_view()}
                            </div>
                        }.into_any(),
                        Err(error) => view! { <p class="form__error" role="alert">{error.to_string()}</p> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
    .into_any()
}
