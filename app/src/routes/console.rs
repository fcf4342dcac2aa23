//! The console: the request input and the live job feed. The server renders
//! the newest jobs; once hydrated, the feed follows `/ws/events`.

use leptos::html::{Form, Textarea};
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api::context::{change_dir, list_dirs};
use crate::api::jobs::{SubmitJob, get_job, list_jobs};
use crate::components::context_panel::ContextPanel;
use crate::components::error_view::PageErrors;
use crate::components::form::{ErrorLine, action_error};
use crate::components::job_card::JobCard;
use crate::components::live::{LiveEvent, follow_dir, unfollow_dirs, use_live_events};
use crate::dto::{JobView, LogView};
use crate::error::AppError;
use crate::providers::RequestFocus;

/// The console page.
#[component]
pub fn ConsolePage() -> impl IntoView {
    let initial = Resource::new(|| (), |()| list_jobs());
    let feed = RwSignal::new(Vec::<JobView>::new());
    let cwd = RwSignal::new(String::new());
    let context_version = RwSignal::new(0u64);
    let on_change = Callback::new(move |view: JobView| upsert(feed, view));
    use_live_events(move |event| {
        if matches!(event, LiveEvent::ContextChanged { .. }) {
            context_version.update(|v| *v += 1);
        }
        apply_event(feed, event);
    });
    // The server sends context changes of this folder only.
    Effect::new(move |_| follow_dir(cwd.get()));
    on_cleanup(unfollow_dirs);
    view! {
        <div class="console-layout">
        <section class="page console">
            <h1 class="page__title">"Console"</h1>
            <RequestForm on_change=on_change cwd=cwd/>
            <Suspense fallback=|| view! { <p class="muted">"Loading jobs…"</p> }>
                <PageErrors>
                    {move || Suspend::new(async move {
                        feed.set(initial.await?);
                        Ok::<_, AppError>(view! { <Feed feed=feed on_change=on_change/> })
                    })}
                </PageErrors>
            </Suspense>
        </section>
        <ContextPanel cwd=cwd version=context_version/>
        </div>
    }
}

#[component]
fn Feed(feed: RwSignal<Vec<JobView>>, on_change: Callback<JobView>) -> impl IntoView {
    view! {
        <Show when=move || feed.with(|f| !f.is_empty())
            fallback=|| view! { <p class="muted feed__empty">"No jobs yet. Try “list the files here” or “show git status”."</p> }>
            <div class="feed" aria-live="polite">
                <For each=move || feed.with(|f| f.iter().map(|j| j.id).collect::<Vec<_>>()) key=|id| *id let:id>
                    <JobCard
                        job=Signal::derive(move || feed.with(|f| f.iter().find(|j| j.id == id).cloned()).unwrap_or_else(|| JobView::placeholder(id)))
                        on_change=on_change
                    />
                </For>
            </div>
        </Show>
    }
    .into_any()
}

/// Puts a job's newest view into the feed (newest jobs first). Streamed
/// plan text lives only in the browser, so a fresher view keeps it. Views
/// fetched concurrently can arrive out of order: one fetched mid-run never
/// replaces a final one, which already holds every output line.
fn upsert(feed: RwSignal<Vec<JobView>>, mut view: JobView) {
    feed.update(|jobs| match jobs.iter_mut().find(|j| j.id == view.id) {
        Some(existing) if existing.is_final() && !view.is_final() => {}
        Some(existing) => {
            if view.plan_text.is_empty() {
                view.plan_text = std::mem::take(&mut existing.plan_text);
            }
            *existing = view;
        }
        None => {
            jobs.push(view);
            jobs.sort_by_key(|j| std::cmp::Reverse(j.id));
        }
    });
}

fn refresh_job(feed: RwSignal<Vec<JobView>>, id: i64) {
    spawn_local(async move {
        if let Ok(Some(view)) = get_job(id).await {
            upsert(feed, view);
        }
    });
}

fn apply_event(feed: RwSignal<Vec<JobView>>, event: LiveEvent) {
    match event {
        LiveEvent::Hello | LiveEvent::Resync { .. } => spawn_local(async move {
            if let Ok(jobs) = list_jobs().await {
                feed.set(jobs);
            }
        }),
        LiveEvent::JobUpdate { job_id, .. } | LiveEvent::ApprovalRequest { job_id, .. } => {
            refresh_job(feed, job_id.0);
        }
        LiveEvent::PlanText { job_id, text } => {
            let job_id = job_id.0;
            let known = feed.with_untracked(|f| f.iter().any(|j| j.id == job_id));
            if known {
                feed.update(|jobs| {
                    if let Some(job) = jobs.iter_mut().find(|j| j.id == job_id) {
                        job.plan_text.push_str(&text);
                    }
                });
            } else {
                // The card appears with the text so far; its details follow.
                let mut view = JobView::placeholder(job_id);
                view.plan_text = text;
                upsert(feed, view);
                refresh_job(feed, job_id);
            }
        }
        LiveEvent::ContextChanged { .. } => {}
        LiveEvent::Log {
            job_id,
            step,
            stream,
            line,
        } => {
            let job_id = job_id.0;
            let known = feed.with_untracked(|f| f.iter().any(|j| j.id == job_id));
            if known {
                feed.update(|jobs| {
                    // A final view was fetched after the line was stored: it has it.
                    if let Some(job) = jobs.iter_mut().find(|j| j.id == job_id && !j.is_final()) {
                        job.logs.push(LogView { step, stream, line });
                    }
                });
            } else {
                refresh_job(feed, job_id);
            }
        }
    }
}

/// The request input: Enter submits, Shift+Enter adds a line, ↑ recalls.
#[component]
fn RequestForm(on_change: Callback<JobView>, cwd: RwSignal<String>) -> impl IntoView {
    let submit = ServerAction::<SubmitJob>::new();
    let form_ref = NodeRef::<Form>::new();
    let input_ref = NodeRef::<Textarea>::new();
    let history = StoredValue::new(Vec::<String>::new());
    let cd_error = RwSignal::new(None::<String>);
    let dirs = Resource::new(move || cwd.get(), list_dirs);
    let cursor = StoredValue::new(0usize);
    // `/` or Ctrl+K pressed on another page brings the user here to type.
    if let Some(RequestFocus(wanted)) = use_context() {
        Effect::new(move |_| {
            if let (true, Some(input)) = (wanted.get(), input_ref.get()) {
                // Focus fails only for elements that cannot take it.
                let _ = input.focus();
                wanted.set(false);
            }
        });
    }
    Effect::new(move |_| {
        if let Some(Ok(view)) = submit.value().get() {
            if let Some(input) = input_ref.get_untracked() {
                history.update_value(|h| h.push(view.request.clone()));
                cursor.set_value(history.with_value(Vec::len));
                input.set_value("");
            }
            on_change.run(view);
        }
    });
    let on_keydown = move |event: leptos::ev::KeyboardEvent| {
        let Some(input) = input_ref.get_untracked() else {
            return;
        };
        match event.key().as_str() {
            "Enter" if !event.shift_key() => {
                event.prevent_default();
                let text = input.value();
                let text = text.trim();
                if text == "cd" || text.starts_with("cd ") {
                    // `cd` changes the console's directory; nothing runs.
                    let target = text.trim_start_matches("cd").trim().to_owned();
                    let current = cwd.get_untracked();
                    spawn_local(async move {
                        match change_dir(current, target).await {
                            Ok(dir) => {
                                cwd.set(dir);
                                cd_error.set(None);
                                if let Some(input) = input_ref.get_untracked() {
                                    input.set_value("");
                                }
                            }
                            Err(error) => cd_error.set(Some(error.to_string())),
                        }
                    });
                    return;
                }
                if let Some(form) = form_ref.get_untracked() {
                    // request_submit fails only for forms not in the document.
                    let _ = form.request_submit();
                }
            }
            "ArrowUp"
                if input.value().is_empty()
                    || input.selection_start().ok().flatten() == Some(0) =>
            {
                let previous = cursor.get_value().checked_sub(1);
                if let Some(index) = previous {
                    cursor.set_value(index);
                    if let Some(text) = history.with_value(|h| h.get(index).cloned()) {
                        event.prevent_default();
                        input.set_value(&text);
                    }
                }
            }
            _ => {}
        }
    };
    view! {
        <ActionForm action=submit node_ref=form_ref attr:class="request-form">
            <label class="request-form__label" for="request">"What should DevOS do?"</label>
            <textarea
                id="request"
                name="request"
                class="form__textarea request-form__input"
                rows="2"
                placeholder="e.g. organize ~/Downloads by type · show git status · what is listening on port 8080"
                node_ref=input_ref
                aria-keyshortcuts="/ Control+K"
                on:keydown=on_keydown
                required
            ></textarea>
            <div class="request-form__row">
                <input class="form__input request-form__cwd" type="text" name="cwd" aria-label="Working directory"
                    placeholder="Working directory (default: first workspace root; or type cd DIR)" bind:value=cwd
                    list="cwd-dirs" autocomplete="off"/>
                <datalist id="cwd-dirs">
                    <Transition>
                        {move || Suspend::new(async move {
                            dirs.await.unwrap_or_default().into_iter()
                                .map(|dir| view! { <option value=dir></option> })
                                .collect_view()
                        })}
                    </Transition>
                </datalist>
                <button type="submit" class="button button--primary" disabled=move || submit.pending().get()>
                    {move || if submit.pending().get() { "Planning…" } else { "Run" }}
                </button>
            </div>
            <ErrorLine message=Signal::derive(move || submit.value().with(action_error))/>
            <ErrorLine message=cd_error/>
        </ActionForm>
    }
    .into_any()
}
