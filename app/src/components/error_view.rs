//! How a page shows a load that failed, in one place: [`PageErrors`] is an
//! `ErrorBoundary` around a page's data, and its fallback, [`ErrorView`],
//! shows each error (a heading for something missing, an alert otherwise)
//! and sets the HTTP status of the server render from the error: 404 for a
//! missing job, 401 for an ended session, 500 for a server failure. A page
//! returns `Result` from its data closure and lets `?` reach the boundary.

use leptos::prelude::*;

use crate::components::form::ErrorText;
use crate::error::AppError;

/// An error boundary around a page's data, with [`ErrorView`] as fallback.
#[component]
pub fn PageErrors(children: Children) -> impl IntoView {
    view! {
        <ErrorBoundary fallback=|errors| view! { <ErrorView errors/> }>{children()}</ErrorBoundary>
    }
}

/// The errors a boundary caught, each shown once.
#[component]
pub fn ErrorView(errors: ArcRwSignal<Errors>) -> impl IntoView {
    move || {
        errors.with(|errors| {
            errors
                .iter()
                .map(|(_, error)| {
                    let app_error = error.downcast_ref::<AppError>().cloned();
                    set_status(app_error.as_ref().map_or(500, AppError::http_status));
                    match app_error {
                        Some(AppError::NotFound(what)) => view! {
                            <h1 class="page__title">{capitalised(&format!("{what} not found"))}</h1>
                            <p class="muted">"It does not exist, or it is not yours."</p>
                        }
                        .into_any(),
                        _ => view! { <ErrorText text=error.to_string()/> }.into_any(),
                    }
                })
                .collect_view()
        })
    }
}

/// Sets the status of the server render (no-op in the browser).
pub fn set_status(code: u16) {
    #[cfg(feature = "ssr")]
    if let (Some(response), Ok(status)) = (
        use_context::<leptos_axum::ResponseOptions>(),
        axum::http::StatusCode::from_u16(code),
    ) {
        response.set_status(status);
    }
    #[cfg(not(feature = "ssr"))]
    let _ = code;
}

fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map_or_else(String::new, |first| {
        first.to_uppercase().chain(chars).collect()
    })
}

#[cfg(test)]
mod tests {
    use super::capitalised;

    #[test]
    fn the_first_letter_is_upper_case() {
        assert_eq!(capitalised("job not found"), "Job not found");
        assert_eq!(capitalised("élan"), "Élan");
        assert_eq!(capitalised(""), "");
    }
}
