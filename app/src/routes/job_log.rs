//! The log viewer, `/jobs/{id}/log`: a job's whole log at full height, with
//! line numbers, stdout and stderr told apart, a search that keeps line
//! numbers, live follow while the job runs, and a download of the text.

use leptos::html::Div;
use leptos::prelude::*;
use leptos::task::spawn_local;

use super::job::job_id_param;
use protocol::JobStatus;

use crate::api::history::job_log;
use crate::components::error_view::PageErrors;
use crate::components::form::ErrorLine;
use crate::components::live::{LiveEvent, use_live_events};
use crate::dto::{LogLineView, LogPageView};
use crate::error::AppError;

/// What the viewer holds: every line read so far and where to continue.
#[derive(Debug, Clone, Default, PartialEq)]
struct Loaded {
    request: String,
    status: Option<JobStatus>,
    lines: Vec<LogLineView>,
}

impl Loaded {
    fn last_id(&self) -> i64 {
        self.lines.last().map_or(0, |line| line.id)
    }

    fn append(&mut self, page: LogPageView) {
        self.request = page.request;
        self.status = Some(page.status);
        let after = self.last_id();
        self.lines
            .extend(page.lines.into_iter().filter(|line| line.id > after));
    }
}

/// Reads every line after the last one loaded, slice by slice. One reader
/// at a time: a call while one runs makes it read once more at the end.
#[derive(Clone, Copy)]
struct Reader {
    id: i64,
    loaded: RwSignal<Loaded>,
    busy: StoredValue<bool>,
    again: StoredValue<bool>,
    error: RwSignal<Option<String>>,
}

impl Reader {
    fn read_more(self) {
        if self.busy.get_value() {
            self.again.set_value(true);
            return;
        }
        self.busy.set_value(true);
        // The viewer may go away while a slice is read: every access after
        // an await is a `try_`, and a viewer that is gone stops the loop.
        spawn_local(async move {
            loop {
                self.again.set_value(false);
                let Some(after) = self.loaded.try_with_untracked(Loaded::last_id) else {
                    return;
                };
                match job_log(self.id, after).await {
                    Ok(page) => {
                        let more = page.more;
                        self.loaded.try_update(|loaded| loaded.append(page));
                        self.error.set(None);
                        if more {
                            continue;
                        }
                    }
                    Err(error) => self.error.set(Some(error.to_string())),
                }
                if !self.again.try_get_value().unwrap_or(false) {
                    break;
                }
            }
            self.busy.set_value(false);
        });
    }
}

/// The log viewer page.
#[component]
pub fn JobLogPage() -> impl IntoView {
    let id = job_id_param();
    let first = Resource::new(
        move || id.get(),
        |id| async move {
            match id {
                Some(id) => job_log(id, 0).await.map(Some),
                None => Ok(None),
            }
        },
    );
    view! {
        <section class="page log-page">
            <Suspense fallback=|| view! { <p class="muted">"Loading…"</p> }>
                <PageErrors>
                    {move || Suspend::new(async move {
                        let missing = || AppError::NotFound("job".into());
                        let page = first.await?.ok_or_else(missing)?;
                        let id = id.get_untracked().ok_or_else(missing)?;
                        Ok::<_, AppError>(view! { <Viewer id=id first=page/> })
                    })}
                </PageErrors>
            </Suspense>
        </section>
    }
    .into_any()
}

#[component]
fn Viewer(id: i64, first: LogPageView) -> impl IntoView {
    let more = first.more;
    let mut start = Loaded::default();
    start.append(first);
    let reader = Reader {
        id,
        loaded: RwSignal::new(start),
        busy: StoredValue::new(false),
        again: StoredValue::new(false),
        error: RwSignal::new(None),
    };
    let loaded = reader.loaded;
    if more {
        Effect::new(move |_| reader.read_more());
    }
    use_live_events(move |event| match event {
        LiveEvent::Hello | LiveEvent::Resync { .. } => reader.read_more(),
        LiveEvent::Log { job_id, .. } | LiveEvent::JobUpdate { job_id, .. } if job_id.0 == id => {
            reader.read_more();
        }
        _ => {}
    });
    let search = RwSignal::new(String::new());
    let follow = RwSignal::new(true);
    let view_ref = NodeRef::<Div>::new();
    Effect::new(move |_| {
        loaded.track();
        if follow.get()
            && let Some(view) = view_ref.get()
        {
            view.set_scroll_top(view.scroll_height());
        }
    });
    let shown = Memo::new(move |_| {
        let needle = search.get().to_lowercase();
        loaded.with(|loaded| {
            loaded
                .lines
                .iter()
                .enumerate()
                .filter(|(_, line)| needle.is_empty() || line.line.to_lowercase().contains(&needle))
                .map(|(n, line)| (n + 1, line.clone()))
                .collect::<Vec<_>>()
        })
    });
    let counts = move || {
        let total = loaded.with(|l| l.lines.len());
        if search.with(String::is_empty) {
            format!("{total} lines")
        } else {
            format!("{} of {total} lines match", shown.with(Vec::len))
        }
    };
    view! {
        <header class="log-page__header">
            <h1 class="page__title">{move || loaded.with(|l| format!("Log of job #{id}: {}", l.request))}</h1>
            <p class="muted">
                <a href=format!("/jobs/{id}")>"← Job"</a>
                " · "
                <span data-testid="log-status">{move || loaded.with(|l| l.status.map(JobStatus::as_str))}</span>
                " · "
                <span data-testid="log-count">{counts}</span>
            </p>
            <div class="log-page__tools">
                <input class="form__input" type="search" aria-label="Search the log" placeholder="Search the log"
                    bind:value=search/>
                <label class="log-page__follow">
                    <input type="checkbox" bind:checked=follow/>
                    " Follow"
                </label>
                <a class="button button--ghost" href=format!("/api/v1/command/{id}/log") download=format!("devos-job-{id}.log")>
                    "Download"
                </a>
            </div>
            <ErrorLine message=reader.error/>
        </header>
        <div class="log-view" node_ref=view_ref data-testid="log-view" tabindex="0" aria-label="Log lines">
            <Show when=move || loaded.with(|l| !l.lines.is_empty())
                fallback=|| view! { <p class="muted">"No output yet."</p> }>
                <ol class="log-view__lines">
                    <For each=move || shown.get() key=|(_, line)| line.id let:item>
                        <li class=format!("log-view__line log-line--{}", item.1.stream) data-stream=item.1.stream.as_str()>
                            <span class="log-view__number" aria-hidden="true">{item.0}</span>
                            <span class="log-view__stream">{item.1.stream.as_str()}</span>
                            <span class="log-view__text">{item.1.line.clone()}</span>
                        </li>
                    </For>
                </ol>
            </Show>
        </div>
    }
}
