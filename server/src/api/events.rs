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
            incoming = socket.recv() => match incoming {
                Some(Ok(Message::Close(_)) | Err(_)) | None => break,
                Some(Ok(_)) => {}
            },
        }
    }
}
