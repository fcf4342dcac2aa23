//! Reusable parts of pages.

pub mod context_panel;
pub mod form;
pub mod job_card;
pub mod live;
pub mod shell;
