//! Reading `notify` output: which events matter, which work tree a `.git`
//! path belongs to, and how to explain a watch failure. Pure functions; the
//! watcher thread in `watch` acts on their answers.

use std::path::{Path, PathBuf};

use notify::EventKind;
use notify::event::{AccessKind, AccessMode};

/// Access events (opens, reads, closes without writing) change nothing, and
/// our own directory listings and git reads would otherwise trigger a refresh loop.
pub(crate) fn is_read_only(kind: EventKind) -> bool {
    match kind {
        EventKind::Access(AccessKind::Close(AccessMode::Write))
        | EventKind::Any
        | EventKind::Create(_)
        | EventKind::Modify(_)
        | EventKind::Remove(_) => false,
        EventKind::Access(_) | EventKind::Other => true,
    }
}

/// The work tree owning a path inside a `.git` directory.
pub(crate) fn git_dir_owner(path: &Path) -> Option<PathBuf> {
    path.ancestors()
        .find(|ancestor| ancestor.file_name().is_some_and(|name| name == ".git"))
        .and_then(Path::parent)
        .map(Path::to_path_buf)
}

/// Words for the Settings page explaining why a root is rescanned instead of watched.
pub(crate) fn degraded_reason(error: &notify::Error) -> String {
    const ENOSPC: i32 = 28;
    const EMFILE: i32 = 24;
    match &error.kind {
        notify::ErrorKind::MaxFilesWatch => {
            "the inotify watch limit (fs.inotify.max_user_watches) \
             is exhausted; rescanning periodically instead"
                .into()
        }
        notify::ErrorKind::Io(io) if io.raw_os_error() == Some(ENOSPC) => {
            "the inotify watch limit (fs.inotify.max_user_watches) is exhausted; \
             rescanning periodically instead"
                .into()
        }
        notify::ErrorKind::Io(io) if io.raw_os_error() == Some(EMFILE) => {
            "too many inotify instances (fs.inotify.max_user_instances); \
             rescanning periodically instead"
                .into()
        }
        notify::ErrorKind::Io(_)
        | notify::ErrorKind::Generic(_)
        | notify::ErrorKind::PathNotFound
        | notify::ErrorKind::WatchNotFound
        | notify::ErrorKind::InvalidConfig(_) => {
            format!("cannot watch for changes ({error}); rescanning periodically instead")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use pretty_assertions::assert_eq;

    #[test]
    fn watch_limit_errors_explain_the_sysctl() {
        let limit = notify::Error::new(notify::ErrorKind::MaxFilesWatch);
        assert!(degraded_reason(&limit).contains("max_user_watches"));
        let enospc = notify::Error::io(std::io::Error::from_raw_os_error(28));
        assert!(degraded_reason(&enospc).contains("max_user_watches"));
        let other = notify::Error::generic("boom");
        assert!(degraded_reason(&other).contains("boom"));
    }

    #[test]
    fn git_internals_map_to_their_work_tree() {
        assert_eq!(
            git_dir_owner(Path::new("/w/repo/.git/refs/heads/main")),
            Some(PathBuf::from("/w/repo"))
        );
        assert_eq!(git_dir_owner(Path::new("/w/repo/src/main.rs")), None);
    }

    #[test]
    fn only_writing_events_count() {
        assert!(is_read_only(EventKind::Access(AccessKind::Open(
            AccessMode::Read
        ))));
        assert!(!is_read_only(EventKind::Access(AccessKind::Close(
            AccessMode::Write
        ))));
        assert!(!is_read_only(EventKind::Remove(
            notify::event::RemoveKind::File
        )));
    }
}
