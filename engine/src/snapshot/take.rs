//! Taking a snapshot of one write root: a walk that records every entry
//! (mode, times, inode, symlink target, empty folders included) and stores
//! the content of files whose size, times or inode changed since the last
//! snapshot of that root. Unchanged files reuse the object id remembered in
//! the root's cache. Folders named in `skip` are left out and reported. It
//! reads the user's files and writes only into the snapshot store.

use std::collections::HashMap;
use std::ffi::OsString;
use std::fs::{self, File, Metadata};
use std::io::{self, Read as _, Write as _};
use std::os::unix::fs::{MetadataExt as _, PermissionsExt as _};
use std::path::{Path, PathBuf};

use git2::{ObjectType, Odb, Oid};

use super::manifest::{self, Entry, Kind};
use super::scan::{self, Contents, Scanned, ScannedDir};

/// Deepest folder nesting walked; deeper trees are refused rather than risking the stack.
pub(super) const MAX_DEPTH: usize = 200;
/// A file changed this close (ns) to the time it was hashed may have changed
/// again within the same timestamp tick, so it is hashed again next time.
const RACY_NS: i64 = 1_000_000_000;

/// What a snapshot of one root may hold.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Limits {
    /// Most files (and symlinks).
    pub max_files: u64,
    /// Most bytes of file content.
    pub max_bytes: u64,
    /// Folder names left out wherever they appear.
    pub skip: Vec<OsString>,
}

/// A snapshot that was taken.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Taken {
    /// The root folder's manifest.
    pub manifest: Oid,
    /// Files and symlinks recorded.
    pub files: u64,
    /// Bytes of file content recorded.
    pub bytes: u64,
    /// Files whose content was read (the rest came from the cache).
    pub hashed: u64,
    /// Folders left out (relative to the root), sorted.
    pub skipped: Vec<PathBuf>,
}

/// Why a root was not snapshotted.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TakeError {
    /// More files than `max_files`; retrying does not help.
    #[error("it holds more than {0} files")]
    TooManyFiles(u64),
    /// More bytes than `max_bytes`; retrying does not help.
    #[error("its files hold more than {} MiB", .0 / (1024 * 1024))]
    TooBig(u64),
    /// Nested deeper than the walk goes.
    #[error("its folders are nested more than {MAX_DEPTH} deep")]
    TooDeep,
    /// The root is not a folder, or the store failed.
    #[error("{0}")]
    Failed(String),
}

/// What was recorded for a file the last time, to skip reading it again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Seen {
    size: u64,
    mtime_ns: i64,
    ctime_ns: i64,
    ino: u64,
    oid: Oid,
    hashed_at_ns: i64,
}

/// Object ids of one root's files from its last snapshot, by relative path.
#[derive(Debug, Clone, Default)]
pub struct RootCache {
    files: HashMap<PathBuf, Seen>,
    /// Folder manifests known to be in the store, so unchanged ones are not written again.
    dirs: HashMap<PathBuf, Oid>,
}

impl RootCache {
    /// Rebuilds a cache from a stored snapshot taken at `taken_at_ns`
    /// (after a restart, so the next snapshot stays incremental).
    pub fn from_manifest(odb: &Odb<'_>, root_manifest: Oid, taken_at_ns: i64) -> Self {
        let flat = manifest::flatten(odb, root_manifest).unwrap_or_default();
        let mut dirs: HashMap<PathBuf, Oid> = flat
            .iter()
            .filter(|(_, e)| e.kind == Kind::Dir)
            .map(|(path, e)| (path.clone(), e.oid))
            .collect();
        dirs.insert(PathBuf::new(), root_manifest);
        let files = flat
            .into_iter()
            .filter(|(_, e)| e.kind == Kind::File)
            .map(|(path, e)| {
                let seen = Seen {
                    size: e.size,
                    mtime_ns: e.mtime_ns,
                    ctime_ns: e.ctime_ns,
                    ino: e.ino,
                    oid: e.oid,
                    hashed_at_ns: taken_at_ns,
                };
                (path, seen)
            })
            .collect();
        Self { files, dirs }
    }

    /// Number of files remembered.
    pub fn len(&self) -> usize {
        self.files.len()
    }

    /// Whether nothing is remembered.
    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }
}

struct Walk<'a> {
    odb: &'a Odb<'a>,
    limits: &'a Limits,
    old: &'a RootCache,
    new: RootCache,
    now_ns: i64,
    files: u64,
    bytes: u64,
    hashed: u64,
    skipped: Vec<PathBuf>,
}

/// Snapshots `root` into `odb`, reading only files that changed since `cache`
/// was filled; `cache` then describes this snapshot. `now_ns` is the time
/// the walk starts.
pub fn take(
    odb: &Odb<'_>,
    root: &Path,
    limits: &Limits,
    cache: &mut RootCache,
    now_ns: i64,
) -> Result<Taken, TakeError> {
    let meta = fs::symlink_metadata(root)
        .map_err(|e| TakeError::Failed(format!("{}: {e}", root.display())))?;
    if !meta.is_dir() {
        return Err(TakeError::Failed(format!(
            "{} is not a folder",
            root.display()
        )));
    }
    let scanned = scan::scan(root, limits)?;
    let mut walk = Walk {
        odb,
        limits,
        old: cache,
        new: RootCache {
            files: HashMap::with_capacity(cache.files.len()),
            dirs: HashMap::with_capacity(cache.dirs.len()),
        },
        now_ns,
        files: 0,
        bytes: 0,
        hashed: 0,
        skipped: Vec::new(),
    };
    let manifest = walk.dir(root, PathBuf::new(), scanned)?;
    walk.skipped.sort();
    let taken = Taken {
        manifest,
        files: walk.files,
        bytes: walk.bytes,
        hashed: walk.hashed,
        skipped: walk.skipped,
    };
    *cache = walk.new;
    Ok(taken)
}

pub(super) fn failed(path: &Path, error: impl std::fmt::Display) -> TakeError {
    TakeError::Failed(format!("{}: {error}", path.display()))
}

/// Nanoseconds since the epoch from seconds and nanoseconds.
fn ns(secs: i64, nanos: i64) -> i64 {
    secs.saturating_mul(1_000_000_000).saturating_add(nanos)
}

impl Walk<'_> {
    /// Records the folder `abs` (`rel` below the root), listed as
    /// `scanned`, and returns its manifest.
    fn dir(&mut self, abs: &Path, rel: PathBuf, scanned: ScannedDir) -> Result<Oid, TakeError> {
        let mut entries = Vec::with_capacity(scanned.entries.len());
        for Scanned {
            name,
            meta,
            contents,
        } in scanned.entries
        {
            // Full paths only where the file system is asked again.
            let path = || abs.join(&name);
            let child = rel.join(&name);
            let (kind, oid) = match contents {
                Contents::Skipped => {
                    self.skipped.push(child);
                    continue;
                }
                Contents::Folder(Ok(listed)) => match self.dir(&path(), child, listed) {
                    Ok(oid) => (Kind::Dir, oid),
                    // An unreadable folder is recorded but never restored.
                    Err(TakeError::Failed(_)) => (Kind::Other, Oid::ZERO_SHA1),
                    Err(error) => return Err(error),
                },
                Contents::Folder(Err(TakeError::Failed(_))) => (Kind::Other, Oid::ZERO_SHA1),
                Contents::Folder(Err(error)) => return Err(error),
                Contents::Leaf if meta.is_file() => self.file(&path, child, &meta)?,
                Contents::Leaf if meta.file_type().is_symlink() => {
                    self.count(0)?;
                    let path = path();
                    let target = fs::read_link(&path).map_err(|e| failed(&path, e))?;
                    let bytes = std::os::unix::ffi::OsStrExt::as_bytes(target.as_os_str());
                    let oid = self
                        .odb
                        .write(ObjectType::Blob, bytes)
                        .map_err(|e| failed(&path, e.message()))?;
                    (Kind::Symlink, oid)
                }
                Contents::Leaf => (Kind::Other, Oid::ZERO_SHA1),
            };
            entries.push(Entry {
                name,
                kind,
                mode: meta.permissions().mode() & 0o7777,
                size: if kind == Kind::File { meta.len() } else { 0 },
                mtime_ns: ns(meta.mtime(), meta.mtime_nsec()),
                ctime_ns: ns(meta.ctime(), meta.ctime_nsec()),
                ino: meta.ino(),
                oid,
            });
        }
        let bytes = manifest::encode(&mut entries);
        let oid =
            Oid::hash_object(ObjectType::Blob, &bytes).map_err(|e| failed(abs, e.message()))?;
        // Hashing is cheap; compressing and writing an unchanged folder is not.
        if self.old.dirs.get(&rel) != Some(&oid) {
            self.odb
                .write(ObjectType::Blob, &bytes)
                .map_err(|e| failed(abs, e.message()))?;
        }
        self.new.dirs.insert(rel, oid);
        Ok(oid)
    }

    fn count(&mut self, bytes: u64) -> Result<(), TakeError> {
        self.files += 1;
        self.bytes += bytes;
        if self.files > self.limits.max_files {
            return Err(TakeError::TooManyFiles(self.limits.max_files));
        }
        if self.bytes > self.limits.max_bytes {
            return Err(TakeError::TooBig(self.limits.max_bytes));
        }
        Ok(())
    }

    /// Records a regular file: its cached object when nothing about it
    /// changed, else its content read into the store.
    fn file(
        &mut self,
        abs: &dyn Fn() -> PathBuf,
        rel: PathBuf,
        meta: &Metadata,
    ) -> Result<(Kind, Oid), TakeError> {
        self.count(meta.len())?;
        let mtime_ns = ns(meta.mtime(), meta.mtime_nsec());
        let ctime_ns = ns(meta.ctime(), meta.ctime_nsec());
        let cached = self.old.files.get(&rel).filter(|seen| {
            seen.size == meta.len()
                && seen.mtime_ns == mtime_ns
                && seen.ctime_ns == ctime_ns
                && seen.ino == meta.ino()
                && mtime_ns.max(ctime_ns) < seen.hashed_at_ns - RACY_NS
        });
        let (oid, hashed_at_ns) = match cached {
            Some(seen) => (seen.oid, seen.hashed_at_ns),
            None => match store_file(self.odb, &abs()) {
                Ok(oid) => {
                    self.hashed += 1;
                    (oid, self.now_ns)
                }
                // Unreadable (permissions) or vanished: recorded, never restored.
                Err(error) if error.kind() != io::ErrorKind::Other => {
                    tracing::debug!(path = %abs().display(), %error, "not snapshotted");
                    return Ok((Kind::Other, Oid::ZERO_SHA1));
                }
                Err(error) => return Err(failed(&abs(), error)),
            },
        };
        self.new.files.insert(
            rel,
            Seen {
                size: meta.len(),
                mtime_ns,
                ctime_ns,
                ino: meta.ino(),
                oid,
                hashed_at_ns,
            },
        );
        Ok((Kind::File, oid))
    }
}

/// Streams a file's content into the store. Store failures are `Other`.
fn store_file(odb: &Odb<'_>, path: &Path) -> io::Result<Oid> {
    let mut file = File::open(path)?;
    let len = file.metadata()?.len();
    let store_error = |e: git2::Error| io::Error::other(e.message().to_owned());
    let mut writer = odb
        .writer(usize::try_from(len).unwrap_or(usize::MAX), ObjectType::Blob)
        .map_err(store_error)?;
    let mut buffer = vec![0; 64 * 1024];
    let mut left = len;
    while left > 0 {
        let read = file.read(&mut buffer)?;
        if read == 0 {
            break;
        }
        let read = usize::try_from(left).map_or(read, |left| read.min(left));
        writer.write_all(&buffer[..read])?;
        left -= read as u64;
    }
    if left > 0 {
        // Shrank while it was read: store what it holds now instead.
        drop(writer);
        let content = fs::read(path)?;
        return odb.write(ObjectType::Blob, &content).map_err(store_error);
    }
    writer.finalize().map_err(store_error)
}
