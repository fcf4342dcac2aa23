//! A few MiB of ballast in the data dir, given back the moment the disk is
//! full so that the failure of the job that hit it can still be written.

use std::io::Write as _;
use std::path::{Path, PathBuf};

use crate::Error;

/// Size of the ballast: room for a job's failure and a few more writes.
pub const RESERVE_BYTES: u64 = 4 * 1024 * 1024;

/// The ballast file, `data_dir/disk-reserve`.
#[derive(Debug, Clone)]
pub struct DiskReserve {
    path: PathBuf,
}

impl DiskReserve {
    /// The reserve of `data_dir` (not created yet: see [`Self::refill`]).
    pub fn new(data_dir: &Path) -> Self {
        Self {
            path: data_dir.join("disk-reserve"),
        }
    }

    /// Makes sure the ballast is there; false when the disk has no room for
    /// it (a half-written one is removed again).
    pub fn refill(&self) -> bool {
        if std::fs::metadata(&self.path).is_ok_and(|m| m.len() == RESERVE_BYTES) {
            return true;
        }
        let written = std::fs::File::create(&self.path).and_then(|mut file| {
            let chunk = vec![0u8; 64 * 1024];
            for _ in 0..RESERVE_BYTES / 64 / 1024 {
                file.write_all(&chunk)?;
            }
            file.sync_all()
        });
        if written.is_err() {
            let _ = std::fs::remove_file(&self.path);
        }
        written.is_ok()
    }

    /// Frees the ballast; true when there was one to free.
    pub fn release(&self) -> bool {
        std::fs::remove_file(&self.path).is_ok()
    }

    /// The folder whose disk is full, for messages.
    pub fn dir(&self) -> &Path {
        self.path.parent().unwrap_or(&self.path)
    }
}

/// Whether a store error means the disk is full (SQLite's `SQLITE_FULL`, or
/// `ENOSPC` from the file system).
pub fn is_disk_full(error: &Error) -> bool {
    match error {
        Error::Database(sqlx::Error::Database(db)) => db.code().as_deref() == Some("13"),
        Error::Database(sqlx::Error::Io(io)) => io.raw_os_error() == Some(28),
        Error::Io { source, .. } => source.raw_os_error() == Some(28),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_reserve_is_refilled_and_released() {
        let dir = tempfile::tempdir().unwrap();
        let reserve = DiskReserve::new(dir.path());
        assert!(!reserve.release());
        assert!(reserve.refill());
        assert_eq!(
            std::fs::metadata(dir.path().join("disk-reserve"))
                .unwrap()
                .len(),
            RESERVE_BYTES
        );
        assert!(reserve.refill());
        assert!(reserve.release());
    }
}
