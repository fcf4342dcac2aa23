//! DevOS web UI: the HTML shell, the router, pages, components, server
//! functions and the DTOs the browser sees. Server-only code sits in
//! [`server`] behind the `ssr` feature; the browser build pulls in nothing of it.

pub mod api;
pub mod components;
pub mod dto;
pub mod error;
pub mod providers;
pub mod routes;
#[cfg(feature = "ssr")]
pub mod server;

use leptos::prelude::*;
use leptos_meta::{MetaTags, Stylesheet, Title, provide_meta_context};
use leptos_router::components::{Route, Router, Routes};
use leptos_router::{SsrMode, path};

use crate::components::shell::Shell;
use crate::routes::{
    console::ConsolePage, costs::CostsPage, history::HistoryPage, job::JobPage,
    job_log::JobLogPage, login::LoginPage, preferences::PreferencesPage, settings::SettingsPage,
    setup::SetupPage,
};

/// The HTML document around the app, rendered on the server.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    #[cfg(feature = "ssr")]
    server::set_content_security_policy();
    view! {
        <!DOCTYPE html>
        <html lang="en">
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <link rel="icon" href="/favicon.svg" type="image/svg+xml"/>
                <HydrationScripts options/>
                <MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

/// The application: stylesheet, title and routes.
#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    providers::provide_request_focus();
    mark_hydrated();
    view! {
        <Stylesheet id="leptos" href="/pkg/devos.css"/>
        <Title text="DevOS"/>
        <Router>
            <Routes fallback=|| view! { <NotFound/> }>
                <Route path=path!("/login") view=LoginPage/>
                <Route path=path!("/setup") view=SetupPage/>
                <Route path=path!("/") view=|| view! { <Shell><ConsolePage/></Shell> }/>
                <Route path=path!("/history") view=|| view! { <Shell><HistoryPage/></Shell> }/>
                // Rendered once their data is in, so a missing job answers 404.
                <Route path=path!("/jobs/:id") ssr=SsrMode::Async view=|| view! { <Shell><JobPage/></Shell> }/>
                <Route path=path!("/jobs/:id/log") ssr=SsrMode::Async view=|| view! { <Shell><JobLogPage/></Shell> }/>
                <Route path=path!("/costs") view=|| view! { <Shell><CostsPage/></Shell> }/>
                <Route
                    path=path!("/preferences")
                    view=|| view! { <Shell><PreferencesPage/></Shell> }
                />
                <Route path=path!("/settings") view=|| view! { <Shell><SettingsPage/></Shell> }/>
            </Routes>
        </Router>
    }
}

#[component]
fn NotFound() -> impl IntoView {
    components::error_view::set_status(404);
    view! {
        <main class="centered">
            <div class="panel">
                <h1>"Page not found"</h1>
                <p><a href="/">"Back to the console"</a></p>
            </div>
        </main>
    }
}

/// Marks `<body data-hydrated="true">` once the page is interactive (tests wait for it).
fn mark_hydrated() {
    Effect::new(move |_| {
        if let Some(body) = document().body() {
            // Only a test hook: failing to set it changes nothing for users.
            let _ = body.set_attribute("data-hydrated", "true");
        }
    });
}

/// Browser entry point: hydrates the server-rendered page.
#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_body(App);
}
