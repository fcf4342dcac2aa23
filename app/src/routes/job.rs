//! The job detail page, `/jobs/{id}`: the job's card (plan, each step's risk
//! and reasons, context, recent output, and the actions its status allows),
//! then its decisions, model calls with cost and tokens, and undo state.
//! It follows the job live.

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use protocol::{JobId, JobStatus};

use crate::api::history::job_page;
use crate::components::error_view::PageErrors;
use crate::components::job_card::JobCard;
use crate::components::live::{LiveEvent, use_live_events};
use crate::dto::{ApprovalView, JobPageView, JobView, LogView, ModelCallView};
use crate::error::AppError;

/// The `id` route parameter, when it is a number.
pub fn job_id_param() -> Memo<Option<i64>> {
    let params = use_params_map();
    Memo::new(move |_| params.with(|p| p.get("id").and_then(|id| id.parse::<i64>().ok())))
}

/// The job detail page.
#[component]
pub fn JobPage() -> impl IntoView {
    let id = job_id_param();
    let page = Resource::new(
        move || id.get(),
        |id| async move {
            match id {
                Some(id) => job_page(id).await,
                None => Ok(None),
            }
        },
    );
    use_live_events(move |event| {
        let mine = |job_id: JobId| Some(job_id.0) == id.try_get_untracked().flatten();
        match event {
            LiveEvent::Hello | LiveEvent::Resync { .. } => page.refetch(),
            LiveEvent::JobUpdate { job_id, .. } | LiveEvent::ApprovalRequest { job_id, .. }
                if mine(job_id) =>
            {
                page.refetch();
            }
            _ => {}
        }
    });
    let on_change = Callback::new(move |_: JobView| page.refetch());
    view! {
        <section class="page job-page">
            <p class="job-page__back"><a href="/history">"← History"</a></p>
            <Transition fallback=|| view! { <p class="muted">"Loading…"</p> }>
                <PageErrors>
                    {move || Suspend::new(async move {
                        let found = page.await?.ok_or_else(|| AppError::NotFound("job".into()))?;
                        Ok::<_, AppError>(view! { <Detail found=found on_change=on_change/> })
                    })}
                </PageErrors>
            </Transition>
        </section>
    }
    .into_any()
}

/// One fetched state of the page. A refetch replaces it whole; until the new
/// one is in, this one stays on screen with its owner already disposed, so
/// everything it shows reacts only to signals it owns, which nothing writes
/// to once it is gone (its live handler stops with it). `on_change` is the
/// page's, so an action finishing after a refetch still lands.
#[component]
fn Detail(found: JobPageView, on_change: Callback<JobView>) -> impl IntoView {
    let id = found.job.id;
    let card = RwSignal::new(found.job.clone());
    use_live_events(move |event| {
        if let LiveEvent::Log {
            job_id,
            step,
            stream,
            line,
        } = event
            && job_id.0 == id
        {
            card.try_update(|job| {
                if !job.is_final() {
                    job.logs.push(LogView { step, stream, line });
                }
            });
        }
    });
    // An action's result comes back through a refetch of the page, which
    // also brings the decisions and the undo state up to date.
    let job = Signal::from(card);
    view! {
        <h1 class="page__title">{format!("Job #{id}")}</h1>
        <p class="muted">
            {format!("Asked {} · ", found.when)}
            <span data-testid="undo-state">{found.undo}</span>
        </p>
        <JobCard job=job on_change=on_change/>
        <p><a class="button button--ghost" href=format!("/jobs/{id}/log")>"Full log"</a></p>
        <h2 class="job-page__heading">"Decisions"</h2>
        <Approvals approvals=found.approvals status=found.job.status/>
        <h2 class="job-page__heading">"Model calls"</h2>
        <Calls calls=found.calls cost=found.cost tokens=found.tokens/>
    }
}

#[component]
fn Approvals(approvals: Vec<ApprovalView>, status: JobStatus) -> impl IntoView {
    if approvals.is_empty() {
        let text = match status {
            JobStatus::Pending => "Waiting for a decision.",
            JobStatus::Expired => "No one decided in time: the job expired.",
            JobStatus::Planning => "Not planned yet.",
            _ => "Nothing needed a decision: the engine or a remembered rule allowed every step.",
        };
        return view! { <p class="muted">{text}</p> }.into_any();
    }
    view! {
        <ul class="job-page__list" data-testid="approvals">
            {approvals.into_iter().map(|a| view! {
                <li>
                    <strong>{format!("{} {}", a.by, a.decision)}</strong>
                    {format!(" · {}", a.when)}
                    {a.remembered.then_some(" · remembered as a rule")}
                    {(!a.note.is_empty()).then(|| format!(" · “{}”", a.note))}
                </li>
            }).collect_view()}
        </ul>
    }
    .into_any()
}

#[component]
fn Calls(calls: Vec<ModelCallView>, cost: String, tokens: i64) -> impl IntoView {
    if calls.is_empty() {
        return view! {
            <p class="muted" data-testid="model-calls">"No model was called: nothing was spent."</p>
        }
        .into_any();
    }
    view! {
        <p data-testid="model-calls">{format!("{} call(s), {tokens} tokens, {cost}", calls.len())}</p>
        <div class="table-scroll">
            <table class="table">
                <thead><tr><th>"Model"</th><th>"Input"</th><th>"Output"</th><th>"Cost"</th><th>"Outcome"</th></tr></thead>
                <tbody>
                    {calls.into_iter().map(|c| view! {
                        <tr>
                            <td>{format!("{} ({})", c.model, c.provider)}</td>
                            <td>{c.input_tokens}</td>
                            <td>{c.output_tokens}</td>
                            <td>{c.cost}</td>
                            <td>{if c.detail.is_empty() { c.outcome } else { format!("{}: {}", c.outcome, c.detail) }}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}
