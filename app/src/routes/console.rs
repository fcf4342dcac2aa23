//! The console: the request input and the live job feed.

use leptos::prelude::*;

/// The console page.
#[component]
pub fn ConsolePage() -> impl IntoView {
    view! {
        <section class="page">
            <h1 class="page__title">"Console"</h1>
            <p class="muted">"Ask DevOS to do something on this machine."</p>
        </section>
    }
}
