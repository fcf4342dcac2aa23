//! Live events in the browser: a WebSocket to `/ws/events` that reconnects
//! by itself, turned into calls of a handler. Opened only on the client;
//! closed when the owning component goes away.

use serde::Deserialize;

/// An event as the browser reads it from `/ws/events`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum LiveEvent {
    /// Sent on every (re)connect: refetch whatever you show.
    Hello,
    /// The server dropped events for this client: refetch.
    Resync,
    /// A job changed.
    JobUpdate {
        /// Which job.
        job_id: i64,
        /// New status.
        status: String,
    },
    /// A plan waits for approval.
    ApprovalRequest {
        /// Which job.
        job_id: i64,
    },
    /// A model streams plan text.
    PlanText {
        /// Which job.
        job_id: i64,
        /// The next piece of text.
        text: String,
    },
    /// Files, git or processes changed under a watched directory.
    ContextChanged,
    /// A line of output.
    Log {
        /// Which job.
        job_id: i64,
        /// Step index.
        step: usize,
        /// `stdout`, `stderr`, `info`.
        stream: String,
        /// Text.
        line: String,
    },
}

/// Calls `on_event` for every event while the current component lives.
#[cfg_attr(
    not(feature = "hydrate"),
    expect(unused_variables, reason = "no socket on the server")
)]
pub fn use_live_events(on_event: impl Fn(LiveEvent) + 'static) {
    #[cfg(feature = "hydrate")]
    socket::connect(std::rc::Rc::new(on_event));
}

#[cfg(feature = "hydrate")]
mod socket {
    //! The browser side: web-sys WebSocket with exponential reconnect.

    use std::cell::{Cell, RefCell};
    use std::rc::Rc;
    use std::time::Duration;

    use leptos::prelude::*;
    use send_wrapper::SendWrapper;
    use wasm_bindgen::JsCast as _;
    use wasm_bindgen::closure::Closure;
    use web_sys::{MessageEvent, WebSocket};

    use super::LiveEvent;

    struct Connection {
        socket: RefCell<Option<WebSocket>>,
        stopped: Cell<bool>,
        backoff_ms: Cell<u64>,
    }

    pub fn connect(on_event: Rc<dyn Fn(LiveEvent)>) {
        let connection = Rc::new(Connection {
            socket: RefCell::new(None),
            stopped: Cell::new(false),
            backoff_ms: Cell::new(500),
        });
        open(Rc::clone(&connection), on_event);
        let on_drop = SendWrapper::new(connection);
        on_cleanup(move || {
            on_drop.stopped.set(true);
            if let Some(socket) = on_drop.socket.borrow_mut().take() {
                // Closing an already closed socket is harmless.
                let _ = socket.close();
            }
        });
    }

    fn url() -> Option<String> {
        let location = window().location();
        let scheme = if location.protocol().ok()? == "https:" {
            "wss"
        } else {
            "ws"
        };
        Some(format!("{scheme}://{}/ws/events", location.host().ok()?))
    }

    fn open(connection: Rc<Connection>, on_event: Rc<dyn Fn(LiveEvent)>) {
        if connection.stopped.get() {
            return;
        }
        let Some(socket) = url().and_then(|url| WebSocket::new(&url).ok()) else {
            schedule_reconnect(connection, on_event);
            return;
        };
        let handler = Rc::clone(&on_event);
        let reset = Rc::clone(&connection);
        let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
            reset.backoff_ms.set(500);
            let Some(text) = event.data().as_string() else {
                return;
            };
            if let Ok(event) = serde_json::from_str::<LiveEvent>(&text) {
                handler(event);
            }
        });
        socket.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        on_message.forget();
        let again = Rc::clone(&connection);
        let on_close = Closure::<dyn FnMut()>::new(move || {
            schedule_reconnect(Rc::clone(&again), Rc::clone(&on_event));
        });
        socket.set_onclose(Some(on_close.as_ref().unchecked_ref()));
        on_close.forget();
        *connection.socket.borrow_mut() = Some(socket);
    }

    fn schedule_reconnect(connection: Rc<Connection>, on_event: Rc<dyn Fn(LiveEvent)>) {
        if connection.stopped.get() {
            return;
        }
        let delay = connection.backoff_ms.get();
        connection.backoff_ms.set((delay * 2).min(10_000));
        set_timeout(
            move || open(connection, on_event),
            Duration::from_millis(delay),
        );
    }
}
