//! Preferences: remembered approvals, searchable, with scope editing (and a
//! preview of what the edited rule would match), disable and delete.

use leptos::prelude::*;

use crate::api::preferences::{SavePreferences, get_preferences};
use crate::api::rules::{DeleteRule, PreviewRule, SaveRule, list_rules};
use crate::components::form::{ErrorLine, ErrorText, action_error};
use crate::dto::RuleView;

/// The Preferences page.
#[component]
pub fn PreferencesPage() -> impl IntoView {
    let save = ServerAction::<SaveRule>::new();
    let delete = ServerAction::<DeleteRule>::new();
    let rules = Resource::new(
        move || (save.version().get(), delete.version().get()),
        |_| list_rules(),
    );
    let search = RwSignal::new(String::new());
    view! {
        <section class="page">
            <h1 class="page__title">"Preferences"</h1>
            <ApprovalSettings/>
            <h2 class="settings__heading">"Remembered approvals"</h2>
            <p class="muted">
                "Approving (or rejecting) with “remember” adds a rule here; "
                "it applies to the same program, flags and arguments inside its folder, never to variants."
            </p>
            <input class="form__input rules__search" type="search" placeholder="Search rules"
                aria-label="Search rules" bind:value=search/>
            <Transition fallback=|| view! { <p class="muted">"Loading rules…"</p> }>
                {move || Suspend::new(async move {
                    match rules.await {
                        Ok(list) if list.is_empty() => view! {
                            <p class="muted">"No remembered rules yet."</p>
                        }.into_any(),
                        Ok(list) => view! {
                            <ul class="rules">
                                {list.into_iter().map(|rule| view! {
                                    <RuleRow rule=rule search=search save=save delete=delete/>
                                }).collect_view()}
                            </ul>
                        }.into_any(),
                        Err(error) => view! { <ErrorText text=error.to_string()/> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

/// Auto-approve safe steps, approval timeout and extra write roots.
#[component]
fn ApprovalSettings() -> impl IntoView {
    let save = ServerAction::<SavePreferences>::new();
    let current = Resource::new(move || save.version().get(), |_| get_preferences());
    view! {
        <Transition fallback=|| view! { <p class="muted">"Loading…"</p> }>
            {move || Suspend::new(async move {
                current.await.map(|prefs| view! {
                    <ActionForm action=save attr:class="form preferences">
                        <label class="approval__remember">
                            <input type="checkbox" name="auto_approve_safe" value="on" checked=prefs.auto_approve_safe/>
                            " Run safe (read-only) steps without asking"
                        </label>
                        <label class="form__field">
                            <span class="form__label">"Approval timeout (seconds)"</span>
                            <input class="form__input" type="number" min="1" name="approval_timeout_secs"
                                value=prefs.approval_timeout_secs.to_string()/>
                        </label>
                        <label class="form__field">
                            <span class="form__label">"Extra write roots (one absolute folder per line; every job may change them)"</span>
                            <textarea class="form__textarea" name="write_roots" rows="3">{prefs.write_roots}</textarea>
                        </label>
                        <button class="button" type="submit" disabled=move || save.pending().get()>"Save preferences"</button>
                        {move || save.value().get().map(|r| match r {
                            Ok(()) => view! { <p role="status">"Saved."</p> }.into_any(),
                            Err(e) => view! { <ErrorText text=e.to_string()/> }.into_any(),
                        })}
                    </ActionForm>
                })
            })}
        </Transition>
    }
    .into_any()
}

#[component]
fn RuleRow(
    rule: RuleView,
    search: RwSignal<String>,
    save: ServerAction<SaveRule>,
    delete: ServerAction<DeleteRule>,
) -> impl IntoView {
    let preview = ServerAction::<PreviewRule>::new();
    let scope = RwSignal::new(rule.scope.clone());
    let haystack = format!("{} {} {}", rule.pattern, rule.scope, rule.decision).to_lowercase();
    let visible = move || haystack.contains(&search.get().to_lowercase());
    let id = rule.id;
    let enabled = rule.enabled;
    let matched = move || {
        preview
            .value()
            .get()
            .and_then(Result::ok)
            .flatten()
            .map_or(rule.matched_jobs, |r| r.matched_jobs)
    };
    let examples = rule
        .examples
        .iter()
        .map(|example| format!("#{} {}", example.job_id, example.request))
        .collect::<Vec<_>>()
        .join(" · ");
    view! {
        <li class="rule" class:rule--disabled=!enabled hidden=move || !visible() data-testid="rule">
            <div class="rule__head">
                <span class=format!("risk-badge rule__decision--{}", rule.decision)>{rule.decision.clone()}</span>
                <code class="rule__pattern">{rule.pattern.clone()}</code>
            </div>
            <p class="muted rule__meta">
                {format!("used {} times", rule.hit_count)}
                {rule.created_from_job.map(|job| format!(" · from job #{job}"))}
                " · would have matched "<strong>{matched}</strong>" past job(s)"
                {(!examples.is_empty()).then(|| format!(": {examples}"))}
            </p>
            <div class="rule__edit">
                <input class="form__input rule__scope" type="text" aria-label="Scope" bind:value=scope/>
                <button class="button button--ghost" on:click=move |_| { preview.dispatch(PreviewRule { id, scope: scope.get_untracked() }); }>
                    "Preview"
                </button>
                <button class="button" on:click=move |_| { save.dispatch(SaveRule { id, scope: scope.get_untracked(), enabled }); }>
                    "Save scope"
                </button>
                <button class="button button--ghost" on:click=move |_| { save.dispatch(SaveRule { id, scope: scope.get_untracked(), enabled: !enabled }); }>
                    {if enabled { "Disable" } else { "Enable" }}
                </button>
                <button class="button button--danger" on:click=move |_| { delete.dispatch(DeleteRule { id }); }>
                    "Delete"
                </button>
            </div>
            <ErrorLine message=Signal::derive(move || preview.value().with(action_error))/>
            <ErrorLine message=Signal::derive(move || save.value().with(action_error))/>
        </li>
    }
    .into_any()
}
