//! The Preferences page (its content arrives with a later milestone).

use leptos::prelude::*;

/// Preferences.
#[component]
pub fn PreferencesPage() -> impl IntoView {
    view! {
        <section class="page">
            <h1 class="page__title">"Preferences"</h1>
            <p class="muted">"Remembered approvals: the rules DevOS applies so you are not asked twice, with how often each matched."</p>
            <p class="notice">"Coming soon."</p>
        </section>
    }
}
