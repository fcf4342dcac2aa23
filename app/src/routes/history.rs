//! The History page (its content arrives with a later milestone).

use leptos::prelude::*;

/// History.
#[component]
pub fn HistoryPage() -> impl IntoView {
    view! {
        <section class="page">
            <h1 class="page__title">"History"</h1>
            <p class="muted">"Search every past job by request and output, filter by status, and reopen any job card."</p>
            <p class="notice">"Coming soon."</p>
        </section>
    }
}
