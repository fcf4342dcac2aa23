//! The contexts the app provides once, at its root, for pages and
//! components to read: what one part of the page asks of another.

use leptos::prelude::*;

/// Asks the console's request box to take focus once it is on the page
/// (`/` or Ctrl+K pressed on another page).
#[derive(Debug, Clone, Copy)]
pub struct RequestFocus(pub RwSignal<bool>);

/// Provides [`RequestFocus`]; called once by the app.
pub fn provide_request_focus() {
    provide_context(RequestFocus(RwSignal::new(false)));
}
