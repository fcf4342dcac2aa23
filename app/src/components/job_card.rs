//! A job in the feed: request, interpretation, steps with risk, live output,
//! result, and the actions that fit its status (approve/reject, cancel, undo, redo).

use leptos::prelude::*;

use crate::api::jobs::{CancelJob, DecideJob, RedoJob, UndoJob};
use crate::components::form::{ErrorLine, ErrorText, action_error};
use crate::dto::{JobView, StepView, UndoView};
use crate::error::AppError;

/// One job card. `job` follows the feed; `on_change` receives updated views.
#[component]
pub fn JobCard(
    /// The job as the feed currently knows it.
    #[prop(into)]
    job: Signal<JobView>,
    /// Called with the view an action returned.
    on_change: Callback<JobView>,
) -> impl IntoView {
    let status = move || job.with(|j| j.status.as_str());
    let card_class = move || format!("job-card job-card--{}", status());
    let steps = move || job.with(|j| j.steps.clone());
    let all_steps = RwSignal::new(false);
    view! {
        <article class=card_class data-testid="job-card" data-card="" tabindex="-1"
            aria-label=move || job.with(|j| format!("Job #{}: {}", j.id, j.request))
            data-job-id=move || job.with(|j| j.id)>
            <header class="job-card__header">
                <h3 class="job-card__request">{move || job.with(|j| j.request.clone())}</h3>
                <span class=move || format!("status-badge status-badge--{}", status()) data-testid="job-status">
                    {status}
                </span>
            </header>
            <p class="job-card__meta muted">
                {move || job.with(|j| format!("#{} · {} · in {} · {}{}", j.id, j.planner, j.cwd, timing(j), cost(j)))}
            </p>
            <p class="job-card__interpretation">{move || job.with(|j| j.interpretation.clone())}</p>
            <Show when=move || job.with(|j| !j.write_roots.is_empty())>
                <p class="job-card__roots muted" data-testid="job-write-roots">
                    {move || job.with(|j| format!("May also write in {}", j.write_roots.join(", ")))}
                </p>
            </Show>
            <ol class="step-list">
                <For each=move || visible_steps(steps(), all_steps.get()) key=|(i, s)| (*i, s.status) let:item>
                    <StepItem step=item.1/>
                </For>
            </ol>
            <Show when=move || job.with(|j| j.steps.len() > STEPS_SHOWN)>
                <button type="button" class="button button--ghost step-list__more" aria-expanded=move || all_steps.get().to_string()
                    on:click=move |_| all_steps.update(|all| *all = !*all)>
                    {move || if all_steps.get() {
                        "Show fewer steps".to_owned()
                    } else {
                        format!("Show {} more steps", job.with(|j| j.steps.len()) - STEPS_SHOWN)
                    }}
                </button>
            </Show>
            <Show when=move || job.with(JobView::is_pending)>
                <ApprovalBox job=job on_change=on_change/>
            </Show>
            <Show when=move || job.with(|j| !j.plan_text.is_empty() && j.steps.is_empty())>
                <pre class="job-card__plan-text" data-testid="plan-text">{move || job.with(|j| j.plan_text.clone())}</pre>
            </Show>
            <JobOutput job=job/>
            <Show when=move || job.with(|j| !j.context.is_empty())>
                <details class="job-card__context">
                    <summary>"Context used"</summary>
                    <pre>{move || job.with(|j| j.context.clone())}</pre>
                </details>
            </Show>
            <JobActions job=job on_change=on_change/>
        </article>
    }
    .into_any()
}

/// Steps a card shows before "Show N more steps".
const STEPS_SHOWN: usize = 5;

/// Commands longer than this (or of more than two lines) fold.
const COMMAND_FOLD_CHARS: usize = 160;

/// The steps a card shows, each with its index.
fn visible_steps(steps: Vec<StepView>, all: bool) -> Vec<(usize, StepView)> {
    let shown = if all { steps.len() } else { STEPS_SHOWN };
    steps.into_iter().enumerate().take(shown).collect()
}

/// A long command's first part, cut at a character boundary, when it folds.
fn folded_command(command: &str) -> Option<String> {
    let long = command.chars().count() > COMMAND_FOLD_CHARS || command.lines().count() > 2;
    long.then(|| {
        let first_line = command.lines().next().unwrap_or_default();
        let head: String = first_line.chars().take(COMMAND_FOLD_CHARS / 2).collect();
        format!("{head}…")
    })
}

fn cost(job: &JobView) -> String {
    if job.estimated_cost > 0.0 {
        format!(" · est. ${:.4}", job.estimated_cost)
    } else {
        String::new()
    }
}

fn timing(job: &JobView) -> String {
    match (job.started_at, job.finished_at) {
        (Some(start), Some(end)) => format!("took {}s", (end - start).max(0)),
        (Some(_), None) => "running".to_owned(),
        (None, Some(_)) => "finished".to_owned(),
        (None, None) => "not started".to_owned(),
    }
}

#[component]
fn StepItem(step: StepView) -> impl IntoView {
    let reasons = step.reasons.join("; ");
    let has_reasons = !reasons.is_empty();
    let has_preview = !step.preview.is_empty();
    view! {
        <li class=format!("step step--{}", step.status)>
            <div class="step__head">
                <span class=format!("risk-badge risk-badge--{}", step.level)>{step.level.as_str()}</span>
                <span class="step__description">{step.description.clone()}</span>
                <span class="step__status muted">{step.status.as_str()}</span>
            </div>
            {match folded_command(&step.command) {
                Some(head) => view! {
                    <details class="step__fold">
                        <summary>
                            <code class="step__command">{head}</code>
                            <span class="muted">{format!(" show all {} characters", step.command.chars().count())}</span>
                        </summary>
                        <code class="step__command step__command--full">{step.command.clone()}</code>
                    </details>
                }.into_any(),
                None => view! { <code class="step__command">{step.command.clone()}</code> }.into_any(),
            }}
            {has_preview.then(|| view! { <p class="step__preview" data-testid="step-preview">{step.preview.clone()}</p> })}
            {has_reasons.then(|| view! { <p class="step__reasons muted">{reasons}</p> })}
        </li>
    }
    .into_any()
}

#[component]
fn ApprovalBox(job: Signal<JobView>, on_change: Callback<JobView>) -> impl IntoView {
    let decide = ServerAction::<DecideJob>::new();
    let note = RwSignal::new(String::new());
    let remember = RwSignal::new(false);
    Effect::new(move |_| {
        if let Some(Ok(view)) = decide.value().get() {
            on_change.run(view);
        }
    });
    let send = move |approved: bool| {
        decide.dispatch(DecideJob {
            id: job.with_untracked(|j| j.id),
            approved,
            remember: remember.get_untracked(),
            note: note.get_untracked(),
        });
    };
    view! {
        <section class="approval" aria-label="Approval">
            <h4 class="approval__title">"Needs your approval"</h4>
            <ul class="approval__risks">
                <For each=move || job.with(|j| j.risks.clone()) key=|r| r.clone() let:risk>
                    <li>{risk}</li>
                </For>
            </ul>
            <label class="form__field">
                <span class="form__label">"Note (optional)"</span>
                <input class="form__input" type="text" bind:value=note/>
            </label>
            <label class="approval__remember">
                <input type="checkbox" bind:checked=remember/>
                " Remember this decision for similar commands"
            </label>
            <div class="approval__buttons">
                <button class="button button--primary" data-action="approve" aria-keyshortcuts="a"
                    disabled=move || decide.pending().get() on:click=move |_| send(true)>
                    "Approve"
                </button>
                <button class="button button--danger" data-action="reject" aria-keyshortcuts="r"
                    disabled=move || decide.pending().get() on:click=move |_| send(false)>
                    "Reject"
                </button>
            </div>
            <ErrorLine message=Signal::derive(move || decide.value().with(action_error))/>
        </section>
    }
    .into_any()
}

#[component]
fn JobOutput(job: Signal<JobView>) -> impl IntoView {
    let lines = move || {
        job.with(|j| {
            j.logs
                .iter()
                .map(|l| (l.stream, l.line.clone()))
                .collect::<Vec<_>>()
        })
    };
    view! {
        <Show when=move || job.with(|j| !j.logs.is_empty())>
            <pre class="job-card__log" data-testid="job-log">
                <For each=move || lines().into_iter().enumerate() key=|(i, _)| *i let:item>
                    <span class=format!("log-line log-line--{}", item.1.0)>{item.1.1}"\n"</span>
                </For>
            </pre>
        </Show>
        {move || job.with(|j| j.error.clone()).map(|e| view! { <p class="job-card__error" data-testid="job-error">{e}</p> })}
    }
    .into_any()
}

#[component]
fn JobActions(job: Signal<JobView>, on_change: Callback<JobView>) -> impl IntoView {
    let cancel = ServerAction::<CancelJob>::new();
    let undo = ServerAction::<UndoJob>::new();
    let redo = ServerAction::<RedoJob>::new();
    Effect::new(move |_| {
        if let Some(Ok(view)) = cancel.value().get() {
            on_change.run(view);
        }
    });
    let id = move || job.with_untracked(|j| j.id);
    view! {
        <div class="job-card__actions">
            <Show when=move || job.with(|j| j.is_active() && !j.is_pending())>
                <button class="button button--ghost" on:click=move |_| { cancel.dispatch(CancelJob { id: id() }); }>
                    "Cancel"
                </button>
            </Show>
            <Show when=move || job.with(|j| j.can_undo)>
                <button class="button button--ghost" data-action="undo" aria-keyshortcuts="u" disabled=move || undo.pending().get()
                    on:click=move |_| { undo.dispatch(UndoJob { id: id() }); }>
                    "Undo"
                </button>
            </Show>
            <Show when=move || job.with(|j| j.can_redo)>
                <button class="button button--ghost" disabled=move || redo.pending().get()
                    on:click=move |_| { redo.dispatch(RedoJob { id: id() }); }>
                    "Redo"
                </button>
            </Show>
            {move || undo.value().get().map(|result| undo_report("Undone", result))}
            {move || redo.value().get().map(|result| undo_report("Redone", result))}
            <ErrorLine message=Signal::derive(move || cancel.value().with(action_error))/>
        </div>
    }
    .into_any()
}

/// What an undo or redo did: counts of restored, trashed and refused paths, and the refusals.
fn undo_report(done: &'static str, result: Result<UndoView, AppError>) -> AnyView {
    match result {
        Ok(report) => {
            let restored = report.reverted.len().saturating_sub(report.removed.len());
            view! {
                <p class="job-card__undo" role="status">
                    {format!(
                        "{done}: {} change(s) reverted ({restored} restored, {} moved to the trash){}",
                        report.reverted.len(),
                        report.removed.len(),
                        if report.refused.is_empty() { String::new() } else { format!("; {} refused", report.refused.len()) },
                    )}
                </p>
                {(!report.refused.is_empty()).then(|| view! {
                    <ul class="job-card__refused">
                        {report.refused.into_iter().map(|line| view! { <li>{line}</li> }).collect_view()}
                    </ul>
                })}
            }
            .into_any()
        }
        Err(error) => view! { <ErrorText text=error.to_string()/> }.into_any(),
    }
}

#[cfg(test)]
mod tests {
    use super::{COMMAND_FOLD_CHARS, folded_command};

    #[test]
    fn long_or_multi_line_commands_fold_and_short_ones_do_not() {
        assert_eq!(folded_command("ls -la"), None);
        assert_eq!(folded_command("a\nb"), None);
        let folded = folded_command("a\nb\nc").expect("three lines fold");
        assert_eq!(folded, "a…");
        let long = "é".repeat(COMMAND_FOLD_CHARS + 1);
        let folded = folded_command(&long).expect("long commands fold");
        assert_eq!(folded.chars().count(), COMMAND_FOLD_CHARS / 2 + 1);
        assert!(folded.ends_with('…'));
    }
}
