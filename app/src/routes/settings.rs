//! Settings: how this DevOS is set up (sandbox, context, models, budgets).

use leptos::prelude::*;

use crate::api::overview::settings_overview;

/// The Settings page.
#[component]
pub fn SettingsPage() -> impl IntoView {
    let overview = Resource::new(|| (), |()| settings_overview());
    view! {
        <section class="page">
            <h1 class="page__title">"Settings"</h1>
            <p class="muted">"Change these in devos.toml (see DEVOS_CONFIG in the README) and restart."</p>
            <Suspense fallback=|| view! { <p class="muted">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match overview.await {
                        Ok(s) => view! {
                            <dl class="settings">
                                <dt>"Sandbox"</dt>
                                <dd class:settings__warn=!s.sandbox_ok data-testid="sandbox-status">{s.sandbox}</dd>
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
                                } else { s.models.join(", ") }}</dd>
                                <dt>"Budgets"</dt>
                                <dd>{format!("${:.4} per job · ${:.2} per day · ${:.2} per month", s.budgets.0, s.budgets.1, s.budgets.2)}</dd>
                                <dt>"Data directory"</dt><dd><code>{s.data_dir}</code></dd>
                            </dl>
                        }.into_any(),
                        Err(error) => view! { <p class="form__error" role="alert">{error.to_string()}</p> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
    .into_any()
}
