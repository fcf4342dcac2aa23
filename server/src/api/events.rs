//! `GET /ws/events`: the live event stream. Sends the caller's own events
//! only: `job_update`, `approval_request`, `log` as JSON text frames.

use axum::extract::State;
use axum::extract::ws::{Message, WebSocket, WebSocketUpgrade};
use axum::response::Response;
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

async fn stream(ctx: AppContext, user_id: i64, mut socket: WebSocket) {
    let mut events = ctx.engine.subscribe();
    // An open console is someone looking: keep processes fresh and forward
    // context changes so its side panel follows the disk.
    let context = ctx.engine.context().cloned();
    let _looking = context.as_ref().map(|c| c.interest());
    let mut changes = context.as_ref().map(|c| c.subscribe());
    if socket
        .send(Message::Text(r#"{"type":"hello"}"#.into()))
        .await
        .is_err()
    {
        return;
    }
    loop {
        tokio::select! {
            event = events.recv() => match event {
                Ok(event) if event.user_id() == user_id => {
                    let Ok(text) = serde_json::to_string(&event) else { continue };
                    if socket.send(Message::Text(text.into())).await.is_err() {
                        break;
                    }
                }
                Ok(_) => {}
                Err(RecvError::Lagged(missed)) => {
                    // Tell the client to refetch: it missed events.
                    let text = format!(r#"{{"type":"resync","missed":{missed}}}"#);
                    if socket.send(Message::Text(text.into())).await.is_err() {
                        break;
                    }
                }
                Err(RecvError::Closed) => break,
            },
            change = next_change(changes.as_mut()) => {
                let Some(dir) = change else {
                    changes = None;
                    continue;
                };
                let text = serde_json::json!({ "type": "context_changed", "dir": dir }).to_string();
                if socket.send(Message::Text(text.into())).await.is_err() {
                    break;
                }
            }
            incoming = socket.recv() => match incoming {
                Some(Ok(Message::Close(_)) | Err(_)) | None => break,
                Some(Ok(_)) => {}
            },
        }
    }
}

/// The next changed directory; pending forever without a context engine,
/// `None` once its channel closes. Lagging just skips to newer changes.
async fn next_change(
    changes: Option<&mut tokio::sync::broadcast::Receiver<engine::context::ContextChanged>>,
) -> Option<std::path::PathBuf> {
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
