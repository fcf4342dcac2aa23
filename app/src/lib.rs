//! DevOS web UI.
