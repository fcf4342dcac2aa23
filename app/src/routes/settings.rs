//! The Settings page (its content arrives with a later milestone).

use leptos::prelude::*;

/// Settings.
#[component]
pub fn SettingsPage() -> impl IntoView {
    view! {
        <section class="page">
            <h1 class="page__title">"Settings"</h1>
            <p class="muted">"Sandbox status, budgets, workspace roots and API tokens."</p>
            <p class="notice">"Coming soon."</p>
        </section>
    }
}
