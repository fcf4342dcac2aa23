//! Form building blocks: a labelled input and the error line under a form.

use leptos::prelude::*;

use crate::error::AppError;

/// A labelled input.
#[component]
pub fn Field(
    /// Visible label.
    label: &'static str,
    /// Form field name (the server function argument).
    name: &'static str,
    /// Input type (`text`, `password`, …).
    kind: &'static str,
    /// Browser autocomplete hint.
    autocomplete: &'static str,
) -> impl IntoView {
    view! {
        <label class="form__field">
            <span class="form__label">{label}</span>
            <input class="form__input" type=kind name=name autocomplete=autocomplete required/>
        </label>
    }
}

/// Shows an error message under a form when there is one.
#[component]
pub fn ErrorLine(
    /// The current message, usually from [`action_error`].
    #[prop(into)]
    message: Signal<Option<String>>,
) -> impl IntoView {
    move || message.get().map(|text| view! { <ErrorText text/> })
}

/// One error, announced to screen readers: the only way a page shows a
/// failed load or action, so every error looks and reads the same.
#[component]
pub fn ErrorText(
    /// What went wrong, in words.
    #[prop(into)]
    text: String,
    /// Inside a line of text (a table cell, a button row) rather than a paragraph.
    #[prop(optional)]
    inline: bool,
) -> impl IntoView {
    if inline {
        view! { <span class="form__error" role="alert">{text}</span> }.into_any()
    } else {
        view! { <p class="form__error" role="alert">{text}</p> }.into_any()
    }
}

/// The error text of an action's last result, if it failed.
pub fn action_error<T>(result: &Option<Result<T, AppError>>) -> Option<String> {
    match result {
        Some(Err(error)) => Some(error.to_string()),
        _ => None,
    }
}
