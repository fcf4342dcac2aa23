//! Reusable parts of pages.

pub mod attention;
pub mod context_panel;
pub mod error_view;
pub mod form;
pub mod job_card;
pub mod live;
pub mod shell;
pub mod shortcuts;
