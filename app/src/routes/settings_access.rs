//! Settings → Access: API tokens (a new one is shown once, with a copy
//! button), the password, and the open sessions (sign out one or all others).

use leptos::prelude::*;
use leptos::server_fn::ServerFn;

use crate::api::access::{
    ChangePassword, CreateToken, EndSession, RevokeToken, SignOutOtherSessions, list_sessions,
    list_tokens,
};
use crate::components::form::ErrorText;
use crate::dto::SessionView;
use crate::error::AppError;

/// Puts `text` on the clipboard (in the browser; nothing during SSR).
fn copy_to_clipboard(text: &str) {
    #[cfg(feature = "hydrate")]
    if let Some(window) = web_sys::window() {
        // The promise only says whether the browser allowed it; the text is
        // also selectable on the page.
        let _ = window.navigator().clipboard().write_text(text);
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = text;
}

/// One line of an action's outcome: the message, or the error.
fn outcome<A, T>(
    action: ServerAction<A>,
    ok: impl Fn(T) -> String + Send + Sync + 'static,
) -> impl IntoView
where
    A: ServerFn<Output = T, Error = AppError> + Clone + Sync + 'static,
    T: Clone + Send + Sync + 'static,
{
    move || {
        action.value().get().map(|result| match result {
            Ok(value) => view! { <p role="status">{ok(value)}</p> }.into_any(),
            Err(e) => view! { <ErrorText text=e.to_string()/> }.into_any(),
        })
    }
}

/// The Access section of the Settings page.
#[component]
pub fn AccessSection() -> impl IntoView {
    view! {
        <h2 class="settings__heading">"API tokens"</h2>
        <p class="muted">"For scripts, the REST API and "<code>"devos ask"</code>". A token acts as you."</p>
        <Tokens/>
        <h2 class="settings__heading">"Password and sessions"</h2>
        <PasswordForm/>
        <Sessions/>
    }
}

#[component]
fn Tokens() -> impl IntoView {
    let create = ServerAction::<CreateToken>::new();
    let revoke = ServerAction::<RevokeToken>::new();
    let tokens = Resource::new(
        move || (create.version().get(), revoke.version().get()),
        |_| list_tokens(),
    );
    let label = RwSignal::new(String::new());
    view! {
        <form class="trash__empty" on:submit=move |event| {
            event.prevent_default();
            create.dispatch(CreateToken { label: label.get_untracked() });
        }>
            <label>"Label "
                <input class="form__input" type="text" maxlength="64" placeholder="laptop"
                    bind:value=label aria-label="Token label"/>
            </label>
            <button class="button" type="submit" disabled=move || create.pending().get()>"Create token"</button>
        </form>
        {move || create.value().get().map(|result| match result {
            Ok(new) => {
                let secret = new.secret.clone();
                view! {
                    <div class="token__new" role="status" data-testid="new-token">
                        <p>{format!("Token “{}” — copy it now, it is not shown again:", new.label)}</p>
                        <code class="token__secret" data-testid="token-secret">{new.secret}</code>
                        <button class="button button--ghost" type="button"
                            on:click=move |_| copy_to_clipboard(&secret)>"Copy"</button>
                    </div>
                }.into_any()
            }
            Err(e) => view! { <ErrorText text=e.to_string()/> }.into_any(),
        })}
        <Transition fallback=|| view! { <p class="muted">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match tokens.await {
                    Ok(list) if list.is_empty() => view! { <p class="muted">"No tokens yet."</p> }.into_any(),
                    Ok(list) => view! {
                        <ul class="trash">
                            {list.into_iter().map(|token| view! {
                                <li class="trash__item" data-testid="token-item">
                                    <span>{format!("{} — created {}, {}", token.label, token.created, token.last_used)}</span>
                                    <button class="button button--danger" type="button"
                                        on:click=move |_| { revoke.dispatch(RevokeToken { id: token.id }); }>"Revoke"</button>
                                </li>
                            }).collect_view()}
                        </ul>
                    }.into_any(),
                    Err(e) => view! { <ErrorText text=e.to_string()/> }.into_any(),
                }
            })}
        </Transition>
        {outcome(revoke, |()| "Revoked: requests with it are refused from now on.".to_owned())}
    }
}

#[component]
fn PasswordForm() -> impl IntoView {
    let change = ServerAction::<ChangePassword>::new();
    view! {
        <ActionForm action=change attr:class="form preferences">
            <label class="form__field">
                <span class="form__label">"Current password"</span>
                <input class="form__input" type="password" name="current" autocomplete="current-password" required/>
            </label>
            <label class="form__field">
                <span class="form__label">"New password (at least 8 characters)"</span>
                <input class="form__input" type="password" name="new" autocomplete="new-password" minlength="8" required/>
            </label>
            <label class="form__field">
                <span class="form__label">"New password again"</span>
                <input class="form__input" type="password" name="confirm" autocomplete="new-password" minlength="8" required/>
            </label>
            <button class="button" type="submit" disabled=move || change.pending().get()>"Change password"</button>
            {outcome(change, |message| message)}
        </ActionForm>
    }
}

/// Sessions listed before "N more open sessions" (the newest activity first).
const SESSIONS_SHOWN: usize = 5;

/// The open browser sessions, each signed out on its own or all at once.
#[component]
fn Sessions() -> impl IntoView {
    let sign_out = ServerAction::<SignOutOtherSessions>::new();
    let end = ServerAction::<EndSession>::new();
    let sessions = Resource::new(
        move || (sign_out.version().get(), end.version().get()),
        |_| list_sessions(),
    );
    view! {
        <h3 class="settings__subheading">"Open sessions"</h3>
        <Transition fallback=|| view! { <p class="muted">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match sessions.await {
                    Ok(mut list) => {
                        let item = move |session: SessionView| {
                            let id = session.id;
                            view! {
                                <li class="trash__item" data-testid="session-item">
                                    <span>
                                        {format!("{} · {} · signed in {} · active {}",
                                            session.browser, session.address, session.started, session.last_seen)}
                                        {session.current.then(|| view! { <strong>" (this session)"</strong> })}
                                    </span>
                                    {(!session.current).then(|| view! {
                                        <button class="button button--ghost" type="button"
                                            on:click=move |_| { end.dispatch(EndSession { id }); }>"Sign out"</button>
                                    })}
                                </li>
                            }
                        };
                        let rest = list.split_off(list.len().min(SESSIONS_SHOWN));
                        let more = rest.len();
                        view! {
                            <ul class="trash" data-testid="sessions">
                                {list.into_iter().map(item).collect_view()}
                            </ul>
                            {(more > 0).then(|| view! {
                                <details class="settings__more">
                                    <summary>{format!("{more} more open sessions")}</summary>
                                    <ul class="trash">{rest.into_iter().map(item).collect_view()}</ul>
                                </details>
                            })}
                        }.into_any()
                    }
                    Err(e) => view! { <ErrorText text=e.to_string()/> }.into_any(),
                }
            })}
        </Transition>
        {outcome(end, |message| message)}
        <div class="trash__empty">
            <button class="button button--ghost" type="button"
                on:click=move |_| { sign_out.dispatch(SignOutOtherSessions {}); }>"Sign out other sessions"</button>
            {outcome(sign_out, |message| message)}
        </div>
    }
}
