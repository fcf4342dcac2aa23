//! The event bus: typed events every live stream (WebSocket, tests) reads.
//! Publishing never blocks; slow subscribers miss events and resync.

use protocol::LiveEvent;
use tokio::sync::broadcast;

/// One event on the bus: what happened, and whose job it is about so that
/// streams forward a user's own events only.
#[derive(Debug, Clone, PartialEq)]
pub struct Event {
    /// The owner of the job.
    pub user_id: i64,
    /// What a live stream sends.
    pub live: LiveEvent,
}

/// The bus.
#[derive(Debug, Clone)]
pub struct EventBus {
    sender: broadcast::Sender<Event>,
}

impl Default for EventBus {
    fn default() -> Self {
        Self {
            sender: broadcast::channel(1024).0,
        }
    }
}

impl EventBus {
    /// Publishes `live`, about a job of `user_id`, to whoever listens
    /// (nobody listening is fine).
    pub fn publish(&self, user_id: i64, live: LiveEvent) {
        // An error only means there is no subscriber right now.
        let _ = self.sender.send(Event { user_id, live });
    }

    /// A new subscription from now on.
    pub fn subscribe(&self) -> broadcast::Receiver<Event> {
        self.sender.subscribe()
    }
}
