//! The Costs page (its content arrives with a later milestone).

use leptos::prelude::*;

/// Costs.
#[component]
pub fn CostsPage() -> impl IntoView {
    view! {
        <section class="page">
            <h1 class="page__title">"Costs"</h1>
            <p class="muted">"Model spending per day and per model, against your per-job, daily and monthly budgets."</p>
            <p class="notice">"Coming soon."</p>
        </section>
    }
}
