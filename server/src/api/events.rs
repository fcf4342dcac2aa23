//! `GET /ws/events`: the live event stream. Sends the caller's own job
//! events (`job_update`, `approval_request`, `plan_text`, `log`) and
//! `context_changed` for the directory the client follows (a
//! `{"type":"follow","dir":…}` frame), as JSON text frames of
//! [`protocol::LiveEvent`].

use std::path::{Path, PathBuf};

use axum::extract::State;
use axum::extract::ws::{Message, WebSocket, WebSocketUpgrade};
use axum::response::Response;
use protocol::{ClientMessage, LiveEvent};
use tokio::sync::broadcast::error::RecvError;

use app::server::AppContext;

use crate::auth::ApiUser;

/// Upgrades to a WebSocket (Origin was checked by the security layer).
pub async fn events(
    State(ctx): State<AppContext>,
    ApiUser(user): ApiUser,
    upgrade: WebSocketUpgrade,
) -> Response {
    upgrade.on_upgrade(move |socket| stream(ctx, user.id, socket))
}

/// Sends `event`; false once the client is gone.
async fn send(socket: &mut WebSocket, event: &LiveEvent) -> bool {
    let Ok(text) = serde_json::to_string(event) else {
        return true;
    };
    socket.send(Message::Text(text.into())).await.is_ok()
}

async fn stream(ctx: AppContext, user_id: i64, mut socket: WebSocket) {
    let mut events = ctx.engine.subscribe();
    // An open console is someone looking: keep processes fresh and forward
    // context changes so its side panel follows the disk.
    let context = ctx.engine.context().cloned();
    let _looking = context.as_ref().map(|c| c.interest());
    let mut changes = context.as_ref().map(|c| c.subscribe());
    let mut following: Option<PathBuf> = None;
    if !send(&mut socket, &LiveEvent::Hello).await {
        return;
    }
    loop {
        let outgoing = tokio::select! {
            event = events.recv() => match event {
                Ok(event) if event.user_id == user_id => event.live,
                Ok(_) => continue,
                // Tell the client to refetch: it missed events.
                Err(RecvError::Lagged(missed)) => LiveEvent::Resync { missed },
                Err(RecvError::Closed) => break,
            },
            change = next_change(changes.as_mut()) => {
                let Some(dir) = change else {
                    changes = None;
                    continue;
                };
                if !following.as_deref().is_some_and(|followed| related(followed, &dir)) {
                    continue;
                }
                LiveEvent::ContextChanged { dir: dir.display().to_string() }
            }
            incoming = socket.recv() => match incoming {
                Some(Ok(Message::Text(text))) => {
                    // Anything but a known frame is ignored, as a browser's extensions may send.
                    match serde_json::from_str(&text) {
                        Ok(ClientMessage::Follow { dir }) => following = Some(ctx.console_dir(&dir)),
                        Ok(ClientMessage::Unfollow) => following = None,
                        Err(_) => {}
                    }
                    continue;
                }
                Some(Ok(Message::Close(_)) | Err(_)) | None => break,
                Some(Ok(_)) => continue,
            },
        };
        if !send(&mut socket, &outgoing).await {
            break;
        }
    }
}

/// Whether a change in `changed` can alter what a panel on `followed`
/// shows: a change inside it, or in a folder holding it (its repository).
fn related(followed: &Path, changed: &Path) -> bool {
    changed.starts_with(followed) || followed.starts_with(changed)
}

/// The next changed directory; pending forever without a context engine,
/// `None` once its channel closes. Lagging just skips to newer changes.
async fn next_change(
    changes: Option<&mut tokio::sync::broadcast::Receiver<engine::context::ContextChanged>>,
) -> Option<PathBuf> {
    let Some(changes) = changes else {
        return std::future::pending().await;
    };
    loop {
        match changes.recv().await {
            Ok(change) => return Some(change.dir),
            Err(RecvError::Lagged(_)) => {}
            Err(RecvError::Closed) => return None,
        }
    }
}
