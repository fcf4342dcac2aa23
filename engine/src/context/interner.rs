//! Compact string interning for file names: every distinct name is stored
//! once in one arena, and files refer to it by a `u32` id. This is what keeps
//! the index far below 200 bytes per file; it never touches the filesystem.

use std::collections::HashMap;
use std::hash::{BuildHasher, RandomState};

/// Interned names: one `String` arena, the end offset of each name, and a
/// hash → id table. Two names with the same 64-bit hash (rare) go to a small
/// exact-match side table instead.
#[derive(Debug, Default)]
pub(crate) struct Interner {
    arena: String,
    ends: Vec<u32>,
    by_hash: HashMap<u64, u32>,
    collisions: HashMap<Box<str>, u32>,
    hasher: RandomState,
}

impl Interner {
    /// The id of `name`, adding it when new.
    pub(crate) fn intern(&mut self, name: &str) -> u32 {
        let hash = self.hasher.hash_one(name);
        match self.by_hash.get(&hash) {
            Some(&id) if self.get(id) == name => id,
            Some(_) => {
                if let Some(&id) = self.collisions.get(name) {
                    return id;
                }
                let id = self.push(name);
                self.collisions.insert(name.into(), id);
                id
            }
            None => {
                let id = self.push(name);
                self.by_hash.insert(hash, id);
                id
            }
        }
    }

    /// The name with this id; empty for an unknown id.
    pub(crate) fn get(&self, id: u32) -> &str {
        let index = id as usize;
        let start = match index.checked_sub(1) {
            Some(previous) => self.ends.get(previous).copied().unwrap_or(0),
            None => 0,
        };
        let end = self.ends.get(index).copied().unwrap_or(start);
        self.arena.get(start as usize..end as usize).unwrap_or("")
    }

    /// How many names are stored (live or not).
    pub(crate) fn len(&self) -> usize {
        self.ends.len()
    }

    /// Heap bytes held, from capacities (hash tables count one control byte per slot).
    pub(crate) fn heap_bytes(&self) -> usize {
        let slot = size_of::<(u64, u32)>() + 1;
        self.arena.capacity()
            + self.ends.capacity() * size_of::<u32>()
            + self.by_hash.capacity() * slot
            + self
                .collisions
                .keys()
                .map(|name| name.len() + size_of::<(Box<str>, u32)>() + 1)
                .sum::<usize>()
    }

    fn push(&mut self, name: &str) -> u32 {
        let id = u32::try_from(self.ends.len()).unwrap_or(u32::MAX);
        self.arena.push_str(name);
        self.ends
            .push(u32::try_from(self.arena.len()).unwrap_or(u32::MAX));
        id
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use pretty_assertions::assert_eq;

    #[test]
    fn interning_is_stable_and_reversible() {
        let mut interner = Interner::default();
        let a = interner.intern("main.rs");
        let b = interner.intern("lib.rs");
        assert_eq!(interner.intern("main.rs"), a);
        assert_eq!((interner.get(a), interner.get(b)), ("main.rs", "lib.rs"));
        assert_eq!(interner.len(), 2);
        assert_eq!(interner.get(99), "");
    }
}
