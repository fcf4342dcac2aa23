//! Live events in the browser: a WebSocket to `/ws/events` that reconnects
//! by itself, shared by every component on the page and turned into calls
//! of their handlers. Opened only on the client; closed when no component
//! listens any more.

pub use protocol::LiveEvent;

/// Calls `on_event` for every event while the current component lives.
/// Every component shares the page's one socket, which stays open across
/// client-side navigation and closes when no component listens.
#[cfg_attr(
    not(feature = "hydrate"),
    expect(unused_variables, reason = "no socket on the server")
)]
pub fn use_live_events(on_event: impl Fn(LiveEvent) + 'static) {
    #[cfg(feature = "hydrate")]
    socket::subscribe(std::rc::Rc::new(on_event));
}

/// Asks the server for `context_changed` events about `dir` (the console's
/// working directory; empty for the default root) and no other folder,
/// now and after every reconnect.
#[cfg_attr(
    not(feature = "hydrate"),
    expect(unused_variables, reason = "no socket on the server")
)]
pub fn follow_dir(dir: String) {
    #[cfg(feature = "hydrate")]
    socket::follow(Some(dir));
}

/// Asks the server for no more `context_changed` events (the console is
/// gone; other pages do not show the folder).
pub fn unfollow_dirs() {
    #[cfg(feature = "hydrate")]
    socket::follow(None);
}

#[cfg(feature = "hydrate")]
mod socket {
    //! The browser side: one web-sys WebSocket per page with exponential
    //! reconnect, and the handlers of the components that listen.

    use std::cell::{Cell, RefCell};
    use std::rc::Rc;
    use std::time::Duration;

    use leptos::prelude::*;
    use send_wrapper::SendWrapper;
    use wasm_bindgen::JsCast as _;
    use wasm_bindgen::closure::Closure;
    use web_sys::{MessageEvent, WebSocket};

    use protocol::ClientMessage;

    use super::LiveEvent;

    /// A listening component's handler; `alive` turns false when the
    /// component goes away, so an event already being dispatched skips it.
    #[derive(Clone)]
    struct Listener {
        id: u64,
        alive: Rc<Cell<bool>>,
        on_event: Rc<dyn Fn(LiveEvent)>,
    }

    #[derive(Default)]
    struct Hub {
        listeners: RefCell<Vec<Listener>>,
        next_id: Cell<u64>,
        socket: RefCell<Option<WebSocket>>,
        reconnect_pending: Cell<bool>,
        backoff_ms: Cell<u64>,
        /// The directory the page follows, sent again on every (re)connect.
        followed: RefCell<Option<String>>,
    }

    thread_local! {
        static HUB: Hub = Hub::default();
    }

    pub fn subscribe(on_event: Rc<dyn Fn(LiveEvent)>) {
        let alive = Rc::new(Cell::new(true));
        let id = HUB.with(|hub| {
            let id = hub.next_id.get();
            hub.next_id.set(id + 1);
            hub.listeners.borrow_mut().push(Listener {
                id,
                alive: Rc::clone(&alive),
                on_event,
            });
            id
        });
        open_if_needed();
        let alive = SendWrapper::new(alive);
        on_cleanup(move || {
            alive.set(false);
            HUB.with(|hub| {
                hub.listeners
                    .borrow_mut()
                    .retain(|listener| listener.id != id);
            });
            // A client-side navigation drops the old page's listeners before
            // the new page adds its own: close only if none came back.
            set_timeout(close_if_unused, CLOSE_AFTER);
        });
    }

    /// Follows `dir`, or nothing.
    pub fn follow(dir: Option<String>) {
        HUB.with(|hub| *hub.followed.borrow_mut() = dir);
        send_follow();
    }

    /// Tells the server which directory the page follows (or that it
    /// follows none), if the socket is open.
    fn send_follow() {
        HUB.with(|hub| {
            let Some(socket) = hub.socket.borrow().clone() else {
                return;
            };
            if socket.ready_state() != WebSocket::OPEN {
                return;
            }
            let message = match hub.followed.borrow().clone() {
                Some(dir) => ClientMessage::Follow { dir },
                None => ClientMessage::Unfollow,
            };
            if let Ok(text) = serde_json::to_string(&message) {
                // A send on a closing socket fails; the reconnect sends again.
                let _ = socket.send_with_str(&text);
            }
        });
    }

    /// How long the socket stays open without listeners.
    const CLOSE_AFTER: Duration = Duration::from_secs(2);

    fn close_if_unused() {
        HUB.with(|hub| {
            if !hub.listeners.borrow().is_empty() {
                return;
            }
            if let Some(socket) = hub.socket.borrow_mut().take() {
                socket.set_onclose(None);
                // Closing an already closed socket is harmless.
                let _ = socket.close();
            }
        });
    }

    /// Hands `event` to every listener alive when it arrived. The list is
    /// copied first: a handler may navigate, and so add or drop listeners.
    fn dispatch(event: &LiveEvent) {
        let listeners: Vec<Listener> = HUB.with(|hub| hub.listeners.borrow().clone());
        for listener in listeners {
            if listener.alive.get() {
                (listener.on_event)(event.clone());
            }
        }
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

    fn open_if_needed() {
        let wanted = HUB.with(|hub| {
            hub.socket.borrow().is_none()
                && !hub.reconnect_pending.get()
                && !hub.listeners.borrow().is_empty()
        });
        if !wanted {
            return;
        }
        let Some(socket) = url().and_then(|url| WebSocket::new(&url).ok()) else {
            schedule_reconnect();
            return;
        };
        let on_message = Closure::<dyn FnMut(MessageEvent)>::new(|event: MessageEvent| {
            HUB.with(|hub| hub.backoff_ms.set(500));
            let Some(text) = event.data().as_string() else {
                return;
            };
            if let Ok(event) = serde_json::from_str::<LiveEvent>(&text) {
                if event == LiveEvent::Hello {
                    send_follow();
                }
                dispatch(&event);
            }
        });
        socket.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        on_message.forget();
        let on_close = Closure::<dyn FnMut()>::new(|| {
            HUB.with(|hub| hub.socket.borrow_mut().take());
            schedule_reconnect();
        });
        socket.set_onclose(Some(on_close.as_ref().unchecked_ref()));
        on_close.forget();
        HUB.with(|hub| *hub.socket.borrow_mut() = Some(socket));
    }

    fn schedule_reconnect() {
        let delay = HUB.with(|hub| {
            if hub.listeners.borrow().is_empty() || hub.reconnect_pending.get() {
                return None;
            }
            hub.reconnect_pending.set(true);
            let delay = hub.backoff_ms.get().max(500);
            hub.backoff_ms.set((delay * 2).min(10_000));
            Some(delay)
        });
        if let Some(delay) = delay {
            set_timeout(
                || {
                    HUB.with(|hub| hub.reconnect_pending.set(false));
                    open_if_needed();
                },
                Duration::from_millis(delay),
            );
        }
    }
}
