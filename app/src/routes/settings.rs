//! Settings: how this DevOS is set up (sandbox, context, models, budgets),
//! its trash and undo snapshots, and access (tokens, password, sessions).

use leptos::prelude::*;

use crate::api::jobs::UndoJob;
use crate::api::overview::{TestProviders, settings_overview};
use crate::api::snapshots::{DropSnapshots, snapshot_usage};
use crate::api::trash::{EmptyTrash, list_trash};
use crate::components::error_view::PageErrors;
use crate::components::form::ErrorText;
use crate::dto::ConfigValueView;
use crate::error::AppError;
use crate::routes::settings_access::AccessSection;

/// The Settings page.
#[component]
pub fn SettingsPage() -> impl IntoView {
    let overview = Resource::new(|| (), |()| settings_overview());
    view! {
        <section class="page">
            <h1 class="page__title">"Settings"</h1>
            <p class="muted">"Change these in devos.toml (see DEVOS_CONFIG in the README) and restart; budgets also on the Costs page."</p>
            <Suspense fallback=|| view! { <p class="muted">"Loading…"</p> }>
                <PageErrors>
                {move || Suspend::new(async move {
                    let s = overview.await?;
                    Ok::<_, AppError>(view! {
                            <dl class="settings">
                                <dt>"Sandbox"</dt>
                                <dd class:settings__warn=!s.sandbox_ok data-testid="sandbox-status">{s.sandbox}</dd>
                                <dt>"Step processes"</dt>
                                <dd class:settings__warn=!s.step_control_ok data-testid="step-control">{s.step_control}</dd>
                                <dt>"Step limits"</dt><dd>{s.limits}</dd>
                                <dt>"Approvals"</dt>
                                <dd>{format!("pending jobs expire after {} s; safe steps {}", s.approval_timeout_secs,
                                    if s.auto_approve_safe { "run without asking" } else { "also ask" })}</dd>
                                <dt>"Workspace roots"</dt>
                                <dd><ul class="settings__list">{s.roots.into_iter().map(|r| view! { <li>{r}</li> }).collect_view()}</ul>
                                    {format!("{} files indexed", s.indexed_files)}</dd>
                                <dt>"Models"</dt>
                                <dd>{if s.models.is_empty() {
                                    "built-in planner only (set DEVOS_PROVIDERS to add Bedrock or a local model)".to_owned()
                                } else { s.models.join(", ") }}
                                    <ProviderTest/></dd>
                                <dt>"Budgets"</dt>
                                <dd>{format!("${:.4} per job · ${:.2} per day · ${:.2} per month", s.budgets.per_job, s.budgets.daily, s.budgets.monthly)}</dd>
                                <dt>"Data directory"</dt><dd><code>{s.data_dir}</code></dd>
                            </dl>
                            <ConfigValues values=s.config/>
                        })
                })}
                </PageErrors>
            </Suspense>
            <AccessSection/>
            <TrashSection/>
            <SnapshotSection/>
        </section>
    }
    .into_any()
}

/// Every configuration value with its source, folded under a count.
#[component]
fn ConfigValues(values: Vec<ConfigValueView>) -> impl IntoView {
    let changed = values.iter().filter(|v| v.source != "default").count();
    view! {
        <details class="settings__config" data-testid="config-values">
            <summary>{format!("Effective configuration: {} values, {changed} not from the defaults", values.len())}</summary>
            <div class="table-scroll">
                <table class="table">
                    <thead><tr><th>"Key"</th><th>"Value"</th><th>"From"</th></tr></thead>
                    <tbody>
                        {values.into_iter().map(|v| {
                            let badge = format!("source-badge source-badge--{}", v.source);
                            let key = v.key.clone();
                            view! {
                                <tr data-key=key>
                                    <td><code>{v.key}</code></td>
                                    <td><code class="settings__value">{v.value}</code></td>
                                    <td>
                                        <span class=badge>{v.source}</span>
                                        <span class="muted">{format!(" {}", v.from)}</span>
                                    </td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        </details>
    }
}

/// "Test providers": one tiny real call each, latency or error per line.
#[component]
fn ProviderTest() -> impl IntoView {
    let test = ServerAction::<TestProviders>::new();
    view! {
        <div class="trash__empty">
            <button class="button button--ghost" type="button" disabled=move || test.pending().get()
                on:click=move |_| { test.dispatch(TestProviders {}); }>"Test providers"</button>
            {move || test.pending().get().then(|| view! { <span class="muted">"calling…"</span> })}
        </div>
        {move || test.value().get().map(|result| match result {
            Ok(lines) => view! {
                <ul class="settings__list" data-testid="provider-test">
                    {lines.into_iter().map(|line| view! { <li>{line}</li> }).collect_view()}
                </ul>
            }.into_any(),
            Err(e) => view! { <ErrorText text=e.to_string()/> }.into_any(),
        })}
    }
}

/// Trashed files by job: restore (undo the job) or empty older ones.
#[component]
fn TrashSection() -> impl IntoView {
    let restore = ServerAction::<UndoJob>::new();
    let empty = ServerAction::<EmptyTrash>::new();
    let trash = Resource::new(
        move || (restore.version().get(), empty.version().get()),
        |_| list_trash(),
    );
    let days = RwSignal::new("30".to_owned());
    view! {
        <h2 class="settings__heading">"Trash"</h2>
        <p class="muted">"Files DevOS deleted wait here. Restoring undoes the job that deleted them."</p>
        <div class="trash__empty">
            <label>"Empty items older than "
                <input class="form__input trash__days" type="number" min="0" bind:value=days aria-label="Days"/>
                " days"</label>
            <button class="button button--danger" on:click=move |_| {
                empty.dispatch(EmptyTrash { days: days.get_untracked().parse().unwrap_or(30) });
            }>"Empty"</button>
            {move || empty.value().get().map(|r| match r {
                Ok(text) => view! { <span role="status">{text}</span> }.into_any(),
                Err(e) => view! { <ErrorText text=e.to_string() inline=true/> }.into_any(),
            })}
        </div>
        <Transition fallback=|| view! { <p class="muted">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match trash.await {
                    Ok(items) if items.is_empty() => view! { <p class="muted">"The trash is empty."</p> }.into_any(),
                    Ok(items) => view! {
                        <ul class="trash">
                            {items.into_iter().map(|item| view! {
                                <li class="trash__item" data-testid="trash-item">
                                    <span>{format!("#{} {} — {}", item.job_id, item.request, item.summary)}</span>
                                    <button class="button button--ghost" on:click=move |_| { restore.dispatch(UndoJob { id: item.job_id }); }>
                                        "Restore"
                                    </button>
                                </li>
                            }).collect_view()}
                        </ul>
                    }.into_any(),
                    Err(e) => view! { <ErrorText text=e.to_string()/> }.into_any(),
                }
            })}
        </Transition>
        {move || restore.value().get().map(|r| match r {
            Ok(report) => view! { <p role="status">{format!("restored {} item(s)", report.reverted.len())}
                {(!report.refused.is_empty()).then(|| format!("; refused: {}", report.refused.join("; ")))}</p> }.into_any(),
            Err(e) => view! { <ErrorText text=e.to_string()/> }.into_any(),
        })}
    }
    .into_any()
}

/// Undo snapshots: their total size, and dropping old ones (those jobs can no longer be undone).
#[component]
fn SnapshotSection() -> impl IntoView {
    let drop = ServerAction::<DropSnapshots>::new();
    let usage = Resource::new(move || drop.version().get(), |_| snapshot_usage());
    let days = RwSignal::new("30".to_owned());
    view! {
        <h2 class="settings__heading">"Undo snapshots"</h2>
        <p class="muted">"Before a shell step changes files, DevOS copies its folder so the job can be undone."</p>
        <Transition fallback=|| view! { <p class="muted">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match usage.await {
                    Ok(text) => view! { <p data-testid="snapshot-usage">{text}</p> }.into_any(),
                    Err(e) => view! { <ErrorText text=e.to_string()/> }.into_any(),
                }
            })}
        </Transition>
        <div class="trash__empty">
            <label>"Drop snapshots older than "
                <input class="form__input trash__days" type="number" min="0" bind:value=days aria-label="Snapshot days"/>
                " days"</label>
            <button class="button button--danger" on:click=move |_| {
                drop.dispatch(DropSnapshots { days: days.get_untracked().parse().unwrap_or(30) });
            }>"Drop"</button>
            {move || drop.value().get().map(|r| match r {
                Ok(text) => view! { <span role="status">{text}</span> }.into_any(),
                Err(e) => view! { <ErrorText text=e.to_string() inline=true/> }.into_any(),
            })}
        </div>
    }
    .into_any()
}
