//! Keyboard shortcuts: `/` or Ctrl+K focuses the request box, `j`/`k` move
//! between cards, `a`/`r`/`u` approve, reject or undo the focused card,
//! `g h`/`g c`/`g s` go to History, Costs or Settings, `?` lists them.
//! Each one presses the same button a mouse would, so both paths stay one.

use leptos::prelude::*;

/// The shortcuts as the help dialog lists them.
pub const SHORTCUTS: [(&str, &str); 9] = [
    ("/ or Ctrl+K", "Focus the request box"),
    ("j / k", "Next / previous card"),
    (
        "a",
        "Approve the focused card (destructive plans ask first)",
    ),
    ("r", "Reject the focused card"),
    ("u", "Undo the focused card's job"),
    ("g h", "Go to History"),
    ("g c", "Go to Costs"),
    ("g s", "Go to Settings"),
    ("?", "Show or hide this list"),
];

/// What a key press asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shortcut {
    /// Focus the console's request box (going to the console if needed).
    FocusRequest,
    /// Focus the next (1) or previous (-1) card.
    MoveFocus(isize),
    /// Press a button of the focused card.
    Press(CardAction),
    /// The first key of `g h`, `g c` or `g s`.
    AwaitGo,
    /// Go to this page.
    Go(&'static str),
    /// Open or close the list of shortcuts.
    ToggleHelp,
    /// Close the list of shortcuts.
    CloseHelp,
}

/// A button on a job card that a shortcut presses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CardAction {
    /// Approve a pending plan.
    Approve,
    /// Reject a pending plan.
    Reject,
    /// Undo a finished job.
    Undo,
}

impl CardAction {
    /// The `data-action` value of the button it presses.
    pub fn name(self) -> &'static str {
        match self {
            Self::Approve => "approve",
            Self::Reject => "reject",
            Self::Undo => "undo",
        }
    }
}

/// A key press, as far as shortcuts care.
#[derive(Debug, Clone, Copy, Default)]
pub struct KeyPress<'a> {
    /// `KeyboardEvent.key`.
    pub key: &'a str,
    /// Ctrl or ⌘ held.
    pub command: bool,
    /// Alt held.
    pub alt: bool,
    /// Typed into a text field, where letters are text.
    pub in_field: bool,
    /// `g` was pressed just before.
    pub after_g: bool,
}

/// The shortcut a key press means, if any.
pub fn shortcut(press: KeyPress<'_>) -> Option<Shortcut> {
    if press.command && !press.alt && press.key.eq_ignore_ascii_case("k") {
        return Some(Shortcut::FocusRequest);
    }
    if press.key == "Escape" {
        return Some(Shortcut::CloseHelp);
    }
    if press.in_field || press.command || press.alt {
        return None;
    }
    if press.after_g {
        return match press.key {
            "h" => Some(Shortcut::Go("/history")),
            "c" => Some(Shortcut::Go("/costs")),
            "s" => Some(Shortcut::Go("/settings")),
            _ => None,
        };
    }
    match press.key {
        "/" => Some(Shortcut::FocusRequest),
        "j" => Some(Shortcut::MoveFocus(1)),
        "k" => Some(Shortcut::MoveFocus(-1)),
        "a" => Some(Shortcut::Press(CardAction::Approve)),
        "r" => Some(Shortcut::Press(CardAction::Reject)),
        "u" => Some(Shortcut::Press(CardAction::Undo)),
        "g" => Some(Shortcut::AwaitGo),
        "?" => Some(Shortcut::ToggleHelp),
        _ => None,
    }
}

/// The shortcuts' key listener and their help dialog, with a header button
/// that opens it for mouse and screen-reader users.
#[component]
pub fn Shortcuts() -> impl IntoView {
    let help_open = RwSignal::new(false);
    #[cfg(feature = "hydrate")]
    keys::listen(help_open, leptos_router::hooks::use_navigate());
    let close = move |_| help_open.set(false);
    view! {
        <button type="button" class="button button--ghost shell__help" aria-haspopup="dialog"
            aria-keyshortcuts="?" on:click=move |_| help_open.set(true)>
            "Shortcuts"
        </button>
        <Show when=move || help_open.get()>
            <div class="dialog-backdrop" on:click=close></div>
            <div class="dialog" role="dialog" aria-modal="true" aria-labelledby="shortcuts-title" data-testid="shortcuts">
                <h2 id="shortcuts-title" class="dialog__title">"Keyboard shortcuts"</h2>
                <dl class="shortcut-list">
                    {SHORTCUTS.iter().map(|(keys, what)| view! {
                        <div class="shortcut-list__row"><dt><kbd>{*keys}</kbd></dt><dd>{*what}</dd></div>
                    }).collect_view()}
                </dl>
                <p class="muted">"Letters do nothing while you type in a field; Ctrl+K and Esc always work."</p>
                <button type="button" class="button button--primary" on:click=close autofocus>"Close"</button>
            </div>
        </Show>
    }
    .into_any()
}

/// Focuses job `id`'s card and scrolls it into view; false when it is not
/// on this page.
#[cfg(feature = "hydrate")]
pub fn focus_card(id: i64) -> bool {
    use wasm_bindgen::JsCast as _;
    let selector = format!("[data-card][data-job-id=\"{id}\"]");
    let Some(card) = document()
        .query_selector(&selector)
        .ok()
        .flatten()
        .and_then(|card| card.dyn_into::<web_sys::HtmlElement>().ok())
    else {
        return false;
    };
    reveal(&card);
    true
}

/// Focuses `card` and scrolls it into view.
#[cfg(feature = "hydrate")]
fn reveal(card: &web_sys::HtmlElement) {
    // Focus fails only for elements that cannot take it; cards can.
    let _ = card.focus();
    card.scroll_into_view_with_bool(false);
}

#[cfg(feature = "hydrate")]
mod keys {
    //! The browser side: a window key listener that acts on the page.

    use std::cell::Cell;
    use std::rc::Rc;

    use leptos::prelude::*;
    use wasm_bindgen::JsCast as _;
    use web_sys::{Element, HtmlElement, KeyboardEvent};

    use super::{CardAction, KeyPress, Shortcut, shortcut};
    use crate::providers::RequestFocus;

    /// How long after `g` its second key counts, in milliseconds.
    const GO_WINDOW_MS: f64 = 1500.0;

    pub fn listen(
        help_open: RwSignal<bool>,
        navigate: impl Fn(&str, leptos_router::NavigateOptions) + Clone + 'static,
    ) {
        let g_pressed_at = Rc::new(Cell::new(None::<f64>));
        let request_focus = use_context::<RequestFocus>();
        let handle = window_event_listener(leptos::ev::keydown, move |event: KeyboardEvent| {
            if event.default_prevented() || event.is_composing() {
                return;
            }
            let now = js_sys_now();
            let after_g = g_pressed_at
                .take()
                .is_some_and(|at| now - at < GO_WINDOW_MS);
            let key = event.key();
            let press = KeyPress {
                key: &key,
                command: event.ctrl_key() || event.meta_key(),
                alt: event.alt_key(),
                in_field: in_field(&event),
                after_g,
            };
            let Some(action) = shortcut(press) else {
                return;
            };
            match action {
                Shortcut::FocusRequest => {
                    event.prevent_default();
                    focus_request(request_focus, &navigate);
                }
                Shortcut::MoveFocus(step) => {
                    if move_focus(step) {
                        event.prevent_default();
                    }
                }
                Shortcut::Press(action) => {
                    if press_in_focused_card(action) {
                        event.prevent_default();
                    }
                }
                Shortcut::AwaitGo => g_pressed_at.set(Some(now)),
                Shortcut::Go(path) => {
                    event.prevent_default();
                    navigate(path, Default::default());
                }
                Shortcut::ToggleHelp => {
                    event.prevent_default();
                    help_open.update(|open| *open = !*open);
                }
                Shortcut::CloseHelp => help_open.set(false),
            }
        });
        on_cleanup(move || handle.remove());
    }

    fn js_sys_now() -> f64 {
        window().performance().map_or(0.0, |p| p.now())
    }

    fn in_field(event: &KeyboardEvent) -> bool {
        let Some(target) = event
            .target()
            .and_then(|t| t.dyn_into::<HtmlElement>().ok())
        else {
            return false;
        };
        matches!(target.tag_name().as_str(), "INPUT" | "TEXTAREA" | "SELECT")
            || target.is_content_editable()
    }

    fn focus_request(
        request_focus: Option<RequestFocus>,
        navigate: &impl Fn(&str, leptos_router::NavigateOptions),
    ) {
        match document()
            .get_element_by_id("request")
            .and_then(|input| input.dyn_into::<HtmlElement>().ok())
        {
            // Focus fails only for elements that cannot take it.
            Some(input) => drop(input.focus()),
            None => {
                if let Some(RequestFocus(wanted)) = request_focus {
                    wanted.set(true);
                }
                navigate("/", Default::default());
            }
        }
    }

    fn focused_card() -> Option<Element> {
        document()
            .active_element()?
            .closest("[data-card]")
            .ok()
            .flatten()
    }

    fn cards() -> Vec<HtmlElement> {
        let Ok(list) = document().query_selector_all("[data-card]") else {
            return Vec::new();
        };
        (0..list.length())
            .filter_map(|index| list.item(index))
            .filter_map(|node| node.dyn_into::<HtmlElement>().ok())
            .collect()
    }

    /// Focuses the card `step` places after the focused one (the first or
    /// last when none is focused). False when the page has no cards.
    fn move_focus(step: isize) -> bool {
        let cards = cards();
        if cards.is_empty() {
            return false;
        }
        let current = focused_card().and_then(|focused| {
            cards
                .iter()
                .position(|card| card.is_same_node(Some(&focused)))
        });
        let last = cards.len() - 1;
        let next = match (current, step.is_negative()) {
            (None, false) => 0,
            (None, true) => last,
            (Some(index), false) => (index + 1).min(last),
            (Some(index), true) => index.saturating_sub(1),
        };
        super::reveal(&cards[next]);
        true
    }

    /// Clicks the focused card's button for `action`; a destructive plan is
    /// approved only after a confirmation. False when there is no such button.
    fn press_in_focused_card(action: CardAction) -> bool {
        let Some(card) = focused_card() else {
            return false;
        };
        let selector = format!("button[data-action=\"{}\"]:not([disabled])", action.name());
        let Some(button) = card
            .query_selector(&selector)
            .ok()
            .flatten()
            .and_then(|button| button.dyn_into::<HtmlElement>().ok())
        else {
            return false;
        };
        let destructive = card
            .query_selector(".risk-badge--destructive")
            .ok()
            .flatten()
            .is_some();
        if action == CardAction::Approve && destructive {
            let request = card
                .query_selector(".job-card__request")
                .ok()
                .flatten()
                .and_then(|title| title.text_content())
                .unwrap_or_default();
            let question = format!("Approve a destructive plan?\n\n{request}");
            if !window().confirm_with_message(&question).unwrap_or(false) {
                return true;
            }
        }
        button.click();
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(key: &str) -> KeyPress<'_> {
        KeyPress {
            key,
            ..KeyPress::default()
        }
    }

    #[test]
    fn letters_map_to_their_shortcuts() {
        let cases = [
            ("/", Some(Shortcut::FocusRequest)),
            ("j", Some(Shortcut::MoveFocus(1))),
            ("k", Some(Shortcut::MoveFocus(-1))),
            ("a", Some(Shortcut::Press(CardAction::Approve))),
            ("r", Some(Shortcut::Press(CardAction::Reject))),
            ("u", Some(Shortcut::Press(CardAction::Undo))),
            ("g", Some(Shortcut::AwaitGo)),
            ("?", Some(Shortcut::ToggleHelp)),
            ("Escape", Some(Shortcut::CloseHelp)),
            ("x", None),
            ("A", None),
            ("Enter", None),
        ];
        for (pressed, expected) in cases {
            assert_eq!(shortcut(key(pressed)), expected, "{pressed}");
        }
    }

    #[test]
    fn g_then_a_letter_goes_to_a_page() {
        let after_g = |k| KeyPress {
            after_g: true,
            ..key(k)
        };
        assert_eq!(shortcut(after_g("h")), Some(Shortcut::Go("/history")));
        assert_eq!(shortcut(after_g("c")), Some(Shortcut::Go("/costs")));
        assert_eq!(shortcut(after_g("s")), Some(Shortcut::Go("/settings")));
        // Anything else after g cancels it rather than acting.
        assert_eq!(shortcut(after_g("a")), None);
        assert_eq!(shortcut(after_g("j")), None);
    }

    #[test]
    fn letters_are_text_in_fields_but_ctrl_k_and_escape_always_work() {
        let typed = |k| KeyPress {
            in_field: true,
            ..key(k)
        };
        for letter in ["a", "r", "u", "j", "k", "g", "/", "?"] {
            assert_eq!(shortcut(typed(letter)), None, "{letter}");
        }
        let ctrl_k = KeyPress {
            command: true,
            ..typed("k")
        };
        assert_eq!(shortcut(ctrl_k), Some(Shortcut::FocusRequest));
        assert_eq!(shortcut(typed("Escape")), Some(Shortcut::CloseHelp));
    }

    #[test]
    fn modified_letters_are_left_to_the_browser() {
        let with = |command, alt, k| KeyPress {
            command,
            alt,
            ..key(k)
        };
        assert_eq!(shortcut(with(true, false, "a")), None);
        assert_eq!(shortcut(with(false, true, "a")), None);
        assert_eq!(shortcut(with(true, true, "k")), None);
        assert_eq!(
            shortcut(with(true, false, "K")),
            Some(Shortcut::FocusRequest)
        );
    }
}
