//! The app shell: header with navigation, the current user and logout.

use leptos::prelude::*;
use leptos_router::components::A;

use crate::api::auth::{Logout, current_user};

/// Wraps every protected page.
#[component]
pub fn Shell(children: Children) -> impl IntoView {
    let logout = ServerAction::<Logout>::new();
    let user = Resource::new(|| (), |()| current_user());
    view! {
        <div class="shell">
            <header class="shell__header">
                <a class="brand" href="/">"DevOS"</a>
                <nav class="shell__nav" aria-label="Main">
                    <A href="/" exact=true>"Console"</A>
                    <A href="/history">"History"</A>
                    <A href="/costs">"Costs"</A>
                    <A href="/preferences">"Preferences"</A>
                    <A href="/settings">"Settings"</A>
                </nav>
                <div class="shell__user">
                    <Suspense>
                        {move || Suspend::new(async move {
                            user.await.ok().flatten().map(|user| view! {
                                <span class="shell__name" data-testid="current-user">{user.name}</span>
                            })
                        })}
                    </Suspense>
                    <ActionForm action=logout>
                        <button type="submit" class="button button--ghost">"Log out"</button>
                    </ActionForm>
                </div>
            </header>
            <main class="shell__main">{children()}</main>
        </div>
    }
}
