//! The app shell: header with navigation, the current user and logout,
//! the shortcuts and what asks for attention. On a phone the navigation
//! folds into a menu behind one button.

use leptos::prelude::*;
use leptos_router::components::A;

use crate::api::auth::{Logout, current_user};
use crate::components::attention::Attention;
use crate::components::shortcuts::Shortcuts;

/// Wraps every protected page.
#[component]
pub fn Shell(children: Children) -> impl IntoView {
    let logout = ServerAction::<Logout>::new();
    let user = Resource::new(|| (), |()| current_user());
    let menu_open = RwSignal::new(false);
    let close_menu = move |_| menu_open.set(false);
    view! {
        <div class="shell">
            <header class="shell__header">
                <a class="brand" href="/">"DevOS"</a>
                <button type="button" class="button button--ghost shell__menu-button"
                    aria-controls="shell-menu" aria-expanded=move || menu_open.get().to_string()
                    on:click=move |_| menu_open.update(|open| *open = !*open)>
                    "Menu"
                </button>
                <div id="shell-menu" class="shell__menu" class:shell__menu--open=move || menu_open.get()>
                    <nav class="shell__nav" aria-label="Main" on:click=close_menu>
                        <A href="/" exact=true>"Console"</A>
                        <A href="/history">"History"</A>
                        <A href="/costs">"Costs"</A>
                        <A href="/preferences">"Preferences"</A>
                        <A href="/settings">"Settings"</A>
                    </nav>
                    <div class="shell__user">
                        <Attention/>
                        <Shortcuts/>
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
                </div>
            </header>
            <main class="shell__main">{children()}</main>
        </div>
    }
    .into_any()
}
