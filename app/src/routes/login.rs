//! The login page.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::api::auth::{Login, setup_open};
use crate::components::form::{ErrorLine, Field, action_error};

/// User name + password form; works before hydration (`ActionForm`).
#[component]
pub fn LoginPage() -> impl IntoView {
    let login = ServerAction::<Login>::new();
    let next = move || use_query_map().read().get("next").unwrap_or_default();
    let setup = Resource::new(|| (), |()| setup_open());
    view! {
        <main class="centered">
            <div class="panel auth-panel">
                <h1 class="brand brand--large">"DevOS"</h1>
                <p class="muted">"Sign in to drive this machine."</p>
                <Suspense>
                    {move || Suspend::new(async move {
                        setup.await.ok().filter(|open| *open).map(|_| view! {
                            <p class="notice" role="status">
                                "No account exists yet. Open the one-time setup link printed in the server console."
                            </p>
                        })
                    })}
                </Suspense>
                <ActionForm action=login attr:class="form">
                    <input type="hidden" name="next" value=next/>
                    <Field label="User name" name="username" kind="text" autocomplete="username"/>
                    <Field label="Password" name="password" kind="password" autocomplete="current-password"/>
                    <ErrorLine message=Signal::derive(move || login.value().with(action_error))/>
                    <button type="submit" class="button button--primary" disabled=move || login.pending().get()>
                        "Log in"
                    </button>
                </ActionForm>
            </div>
        </main>
    }
}
