//! The console's side panel: what DevOS knows about the current directory
//! (files, repository, AWS profile and region, recent changes, busy
//! processes), refreshed live.

use leptos::prelude::*;

use crate::api::context::{WatchFolder, context_panel};
use crate::components::form::ErrorText;

/// The panel for the directory in `cwd` (empty: the default workspace root).
#[component]
pub fn ContextPanel(
    /// The console's working directory.
    cwd: RwSignal<String>,
    /// Bumped whenever the context engine reports a change.
    version: RwSignal<u64>,
) -> impl IntoView {
    let panel = Resource::new(
        move || (cwd.get(), version.get()),
        |(dir, _)| context_panel(dir),
    );
    let watch = ServerAction::<WatchFolder>::new();
    Effect::new(move |_| {
        if let Some(Ok(_)) = watch.value().get() {
            version.update(|v| *v += 1);
        }
    });
    view! {
        <aside class="context-panel" aria-label="Context">
            <h2 class="context-panel__title">"Context"</h2>
            <Transition fallback=|| view! { <p class="muted">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match panel.await {
                        Ok(view) => view! {
                            <p class="context-panel__cwd"><code>{view.cwd}</code></p>
                            {view.note.map(|note| view! { <p class="muted">{note}</p> })}
                            {view.can_watch.then(|| view! {
                                <button class="button button--ghost" disabled=move || watch.pending().get()
                                    on:click=move |_| { watch.dispatch(WatchFolder { cwd: cwd.get_untracked() }); }>
                                    "Watch this folder"
                                </button>
                            })}
                            {move || watch.value().get().map(|result| match result {
                                Ok(root) => view! {
                                    <p class="muted" role="status" data-testid="watch-result">
                                        {format!("Watching {root}: it is indexed now and followed from here on, after restarts too.")}
                                    </p>
                                }.into_any(),
                                Err(error) => view! { <ErrorText text=error.to_string()/> }.into_any(),
                            })}
                            {view.directory.map(|line| view! { <p data-testid="context-directory">{line}</p> })}
                            {view.repo.map(|line| view! { <p data-testid="context-repo">{line}</p> })}
                            {view.aws.map(|line| view! { <p data-testid="context-aws">{line}</p> })}
                            <Section title="Newest entries" lines=view.entries/>
                            <Section title="Recent changes" lines=view.recent/>
                            <Section title="Busiest processes" lines=view.processes/>
                        }.into_any(),
                        Err(error) => view! { <ErrorText text=error.to_string()/> }.into_any(),
                    }
                })}
            </Transition>
        </aside>
    }
    .into_any()
}

#[component]
fn Section(title: &'static str, lines: Vec<String>) -> impl IntoView {
    (!lines.is_empty()).then(|| {
        view! {
            <h3 class="context-panel__heading">{title}</h3>
            <ul class="context-panel__list">
                {lines.into_iter().map(|line| view! { <li>{line}</li> }).collect_view()}
            </ul>
        }
    })
}
