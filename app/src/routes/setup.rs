//! First-run setup: creates the first account through the one-time link.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::api::auth::{SetupAccount, setup_open};
use crate::components::form::{ErrorLine, Field, action_error};

/// The setup form; the token comes from the link's query string.
#[component]
pub fn SetupPage() -> impl IntoView {
    let setup = ServerAction::<SetupAccount>::new();
    let token = move || use_query_map().read().get("token").unwrap_or_default();
    let open = Resource::new(|| (), |()| setup_open());
    view! {
        <main class="centered">
            <div class="panel auth-panel">
                <h1 class="brand brand--large">"Welcome to DevOS"</h1>
                <Suspense fallback=|| view! { <p class="muted">"Loading…"</p> }>
                    {move || Suspend::new(async move {
                        if open.await.unwrap_or(false) {
                            view! {
                                <p class="muted">"Create the account that will own this DevOS."</p>
                                <ActionForm action=setup attr:class="form">
                                    <input type="hidden" name="token" value=token/>
                                    <Field label="User name" name="username" kind="text" autocomplete="username"/>
                                    <Field label="Password (8+ characters)" name="password" kind="password" autocomplete="new-password"/>
                                    <Field label="Repeat password" name="confirm" kind="password" autocomplete="new-password"/>
                                    <ErrorLine message=Signal::derive(move || setup.value().with(action_error))/>
                                    <button type="submit" class="button button--primary" disabled=move || setup.pending().get()>
                                        "Create account"
                                    </button>
                                </ActionForm>
                            }
                            .into_any()
                        } else {
                            view! {
                                <p class="notice" role="status">"Setup is done: this link no longer works."</p>
                                <p><a href="/login">"Log in"</a></p>
                            }
                            .into_any()
                        }
                    })}
                </Suspense>
            </div>
        </main>
    }
}
