//! What asks for the user's attention: the tab title counts the plans
//! waiting for approval, and a browser notification tells of a new one
//! while the tab is hidden (permission asked from a button, never on load).

use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::jobs::pending_approvals;
use crate::components::live::{LiveEvent, use_live_events};
use crate::dto::PendingView;

/// The tab title with `count` plans waiting.
pub fn title(count: usize) -> String {
    match count {
        0 => "DevOS".to_owned(),
        n => format!("({n}) DevOS · approval needed"),
    }
}

/// Keeps the pending list current, titles the tab and sends notifications.
/// The list is read in the browser only, so the server-rendered title is
/// plain "DevOS" and hydration matches.
#[component]
pub fn Attention() -> impl IntoView {
    let pending = RwSignal::new(None::<Vec<PendingView>>);
    let refresh = move || {
        leptos::task::spawn_local(async move {
            if let Ok(list) = pending_approvals().await {
                // Plans already waiting when the page opened are no news.
                if let Some(before) = pending.try_get_untracked().flatten() {
                    announce_new(&before, &list);
                }
                pending.set(Some(list));
            }
        });
    };
    Effect::new(move |_| refresh());
    use_live_events(move |event| match event {
        LiveEvent::Hello
        | LiveEvent::Resync { .. }
        | LiveEvent::JobUpdate { .. }
        | LiveEvent::ApprovalRequest { .. } => refresh(),
        _ => {}
    });
    let count = move || pending.with(|list| list.as_ref().map(Vec::len));
    view! {
        <Title text=move || title(count().unwrap_or(0))/>
        {move || count().map(|n| view! {
            <span class="visually-hidden" role="status" data-testid="pending-approvals">
                {match n {
                    0 => "No plan is waiting for approval.".to_owned(),
                    1 => "1 plan is waiting for approval.".to_owned(),
                    n => format!("{n} plans are waiting for approval."),
                }}
            </span>
        })}
        <NotificationsButton/>
    }
    .into_any()
}

/// Notifies of each job in `now` that `before` did not hold.
#[cfg_attr(
    not(feature = "hydrate"),
    expect(unused_variables, reason = "no notifications on the server")
)]
fn announce_new(before: &[PendingView], now: &[PendingView]) {
    #[cfg(feature = "hydrate")]
    for job in now
        .iter()
        .filter(|job| !before.iter().any(|old| old.id == job.id))
    {
        browser::notify(job);
    }
}

/// "Enable notifications", shown only where the browser can notify and the
/// user has not decided yet.
#[component]
fn NotificationsButton() -> impl IntoView {
    let undecided = RwSignal::new(false);
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| undecided.set(browser::permission_undecided()));
    let ask = move |_| {
        #[cfg(feature = "hydrate")]
        browser::ask_permission(move || undecided.set(browser::permission_undecided()));
    };
    view! {
        <Show when=move || undecided.get()>
            <button type="button" class="button button--ghost" data-testid="enable-notifications" on:click=ask>
                "Enable notifications"
            </button>
        </Show>
    }
}

#[cfg(feature = "hydrate")]
mod browser {
    //! The browser's Notification API.

    use leptos::prelude::*;
    use wasm_bindgen::JsCast as _;
    use wasm_bindgen::closure::Closure;
    use web_sys::{Notification, NotificationOptions, NotificationPermission, VisibilityState};

    use crate::components::shortcuts::focus_card;
    use crate::dto::PendingView;

    /// Whether this browser has the Notification API at all.
    fn supported() -> bool {
        let window = window();
        web_sys::js_sys::Reflect::has(window.as_ref(), &"Notification".into()).unwrap_or(false)
    }

    pub fn permission_undecided() -> bool {
        supported() && Notification::permission() == NotificationPermission::Default
    }

    pub fn ask_permission(then: impl FnOnce() + 'static) {
        if !supported() {
            return;
        }
        let Ok(promise) = Notification::request_permission() else {
            return;
        };
        let done = Closure::once(move |_: wasm_bindgen::JsValue| then());
        // The promise is dropped; the closure lives until it runs.
        let _ = promise.then(&done);
        done.forget();
    }

    /// A notification for `job` when the tab is hidden and notifying is
    /// allowed; clicking it brings the tab forward and focuses the card (or
    /// opens the job's page when its card is not on this one).
    pub fn notify(job: &PendingView) {
        let hidden = document().visibility_state() != VisibilityState::Visible;
        if !hidden || !supported() || Notification::permission() != NotificationPermission::Granted
        {
            return;
        }
        let options = NotificationOptions::new();
        options.set_body(&job.request);
        options.set_tag(&format!("devos-job-{}", job.id));
        let Ok(notification) =
            Notification::new_with_options("DevOS: a plan needs your approval", &options)
        else {
            return;
        };
        let id = job.id;
        let shown = notification.clone();
        let on_click = Closure::<dyn FnMut()>::new(move || {
            // Focusing the window fails only where the browser forbids it.
            let _ = window().focus();
            if !focus_card(id) {
                let _ = window().location().set_href(&format!("/jobs/{id}"));
            }
            shown.close();
        });
        notification.set_onclick(Some(on_click.as_ref().unchecked_ref()));
        on_click.forget();
    }
}

#[cfg(test)]
mod tests {
    use super::title;

    #[test]
    fn the_title_counts_waiting_plans() {
        assert_eq!(title(0), "DevOS");
        assert_eq!(title(1), "(1) DevOS · approval needed");
        assert_eq!(title(12), "(12) DevOS · approval needed");
    }
}
