//! The manifest of one directory in a snapshot: its entries (name, kind,
//! mode, size, times, inode, object id) in a compact binary form, stored as
//! a blob in the snapshot store. A subdirectory's entry points at its own
//! manifest, so unchanged folders share one object across snapshots. It
//! only encodes and decodes; it never touches the filesystem.

use std::collections::BTreeMap;
use std::ffi::OsString;
use std::os::unix::ffi::{OsStrExt as _, OsStringExt as _};
use std::path::PathBuf;

use git2::Oid;

/// First bytes of every manifest (format version 1).
const MAGIC: &[u8; 4] = b"DSM1";
/// Bytes of an entry before its name.
const FIXED: usize = 1 + 4 + 8 + 8 + 8 + 8 + 20 + 2;

/// What a path is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    /// A regular file; the object is its content.
    File,
    /// A symbolic link; the object is its target.
    Symlink,
    /// A directory; the object is its manifest.
    Dir,
    /// A FIFO, socket or device: recorded, never restored.
    Other,
}

impl Kind {
    fn code(self) -> u8 {
        match self {
            Self::File => b'f',
            Self::Symlink => b'l',
            Self::Dir => b'd',
            Self::Other => b'o',
        }
    }

    fn from_code(code: u8) -> Option<Self> {
        Some(match code {
            b'f' => Self::File,
            b'l' => Self::Symlink,
            b'd' => Self::Dir,
            b'o' => Self::Other,
            _ => return None,
        })
    }
}

/// One entry of a directory manifest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// The file name.
    pub name: OsString,
    /// What it is.
    pub kind: Kind,
    /// Permission bits (`st_mode & 0o7777`).
    pub mode: u32,
    /// Size in bytes (files only; 0 otherwise).
    pub size: u64,
    /// Modification time, nanoseconds since the epoch.
    pub mtime_ns: i64,
    /// Status-change time, nanoseconds since the epoch.
    pub ctime_ns: i64,
    /// Inode number.
    pub ino: u64,
    /// Content, link target or sub-manifest (zero for `Other`).
    pub oid: Oid,
}

impl Entry {
    /// Whether two entries hold the same thing: kind, permissions and
    /// content (times and inodes are not compared; a directory's content is
    /// compared entry by entry, not here).
    pub fn same_as(&self, other: &Self) -> bool {
        self.kind == other.kind
            && self.mode == other.mode
            && (self.kind == Kind::Dir || self.oid == other.oid)
    }
}

/// Encodes entries (sorted here by name) as a manifest.
pub fn encode(entries: &mut [Entry]) -> Vec<u8> {
    entries.sort_by(|a, b| a.name.as_bytes().cmp(b.name.as_bytes()));
    let names: usize = entries.iter().map(|e| e.name.len()).sum();
    let mut out = Vec::with_capacity(MAGIC.len() + entries.len() * FIXED + names);
    out.extend_from_slice(MAGIC);
    for entry in entries.iter() {
        let name = entry.name.as_bytes();
        // Linux names are at most 255 bytes, so this never truncates.
        let len = u16::try_from(name.len()).unwrap_or(u16::MAX);
        out.push(entry.kind.code());
        out.extend_from_slice(&entry.mode.to_le_bytes());
        out.extend_from_slice(&entry.size.to_le_bytes());
        out.extend_from_slice(&entry.mtime_ns.to_le_bytes());
        out.extend_from_slice(&entry.ctime_ns.to_le_bytes());
        out.extend_from_slice(&entry.ino.to_le_bytes());
        out.extend_from_slice(entry.oid.as_bytes());
        out.extend_from_slice(&len.to_le_bytes());
        out.extend_from_slice(&name[..usize::from(len)]);
    }
    out
}

/// Decodes a manifest; `None` when the bytes are not one (a damaged store).
pub fn decode(bytes: &[u8]) -> Option<Vec<Entry>> {
    let mut rest = bytes.strip_prefix(MAGIC)?;
    let mut entries = Vec::new();
    while !rest.is_empty() {
        let fixed = rest.get(..FIXED)?;
        let kind = Kind::from_code(fixed[0])?;
        let u32_at = |at: usize| {
            fixed
                .get(at..at + 4)?
                .try_into()
                .ok()
                .map(u32::from_le_bytes)
        };
        let u64_at = |at: usize| {
            fixed
                .get(at..at + 8)?
                .try_into()
                .ok()
                .map(u64::from_le_bytes)
        };
        let i64_at = |at: usize| {
            fixed
                .get(at..at + 8)?
                .try_into()
                .ok()
                .map(i64::from_le_bytes)
        };
        let len = fixed.get(FIXED - 2..FIXED)?;
        let len = usize::from(u16::from_le_bytes([len[0], len[1]]));
        let name = rest.get(FIXED..FIXED + len)?;
        entries.push(Entry {
            name: OsString::from_vec(name.to_vec()),
            kind,
            mode: u32_at(1)?,
            size: u64_at(5)?,
            mtime_ns: i64_at(13)?,
            ctime_ns: i64_at(21)?,
            ino: u64_at(29)?,
            oid: Oid::from_bytes(fixed.get(37..57)?).ok()?,
        });
        rest = &rest[FIXED + len..];
    }
    Some(entries)
}

/// Every path of a snapshot, relative to its root, with its entry.
pub type Flat = BTreeMap<PathBuf, Entry>;

/// Reads the manifest `oid` and everything below it into one map.
pub fn flatten(odb: &git2::Odb<'_>, oid: Oid) -> Result<Flat, String> {
    let mut flat = Flat::new();
    let mut pending = vec![(PathBuf::new(), oid)];
    while let Some((dir, oid)) = pending.pop() {
        for entry in read(odb, oid)? {
            let path = dir.join(&entry.name);
            if entry.kind == Kind::Dir {
                pending.push((path.clone(), entry.oid));
            }
            flat.insert(path, entry);
        }
    }
    Ok(flat)
}

/// Reads one manifest from the store.
pub fn read(odb: &git2::Odb<'_>, oid: Oid) -> Result<Vec<Entry>, String> {
    let object = odb
        .read(oid)
        .map_err(|e| format!("snapshot manifest {oid} is missing: {}", e.message()))?;
    decode(object.data()).ok_or_else(|| format!("snapshot manifest {oid} is damaged"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(name: &str, kind: Kind) -> Entry {
        Entry {
            name: name.into(),
            kind,
            mode: 0o644,
            size: 3,
            mtime_ns: -5,
            ctime_ns: 7,
            ino: 42,
            oid: Oid::hash_object(git2::ObjectType::Blob, name.as_bytes()).unwrap(),
        }
    }

    #[test]
    fn a_manifest_round_trips_sorted_by_name() {
        let mut entries = vec![entry("b\nodd", Kind::File), entry("a", Kind::Symlink)];
        let bytes = encode(&mut entries);
        let decoded = decode(&bytes).unwrap();
        assert_eq!(decoded, entries);
        assert_eq!(decoded[0].name, "a");
    }

    #[test]
    fn truncated_or_foreign_bytes_are_not_a_manifest() {
        let bytes = encode(&mut [entry("a", Kind::File)]);
        for bad in [&bytes[..bytes.len() - 1], &b"DSM0"[..], &bytes[..10]] {
            assert_eq!(decode(bad), None, "{bad:?}");
        }
    }
}
