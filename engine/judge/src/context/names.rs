//! File names for a snapshot: one entry of a folder listing as the planner
//! sees it, the words of a request that pick which names matter
//! ("screenshots", ".log"), and whether a request is about processes. Pure
//! functions over strings; it never reads the filesystem, and never a
//! file's contents.

use serde::{Deserialize, Serialize};

/// Whether an entry is a directory.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EntryKind {
    /// A regular file (or a symbolic link, which is never followed).
    File,
    /// A directory.
    Dir,
}

/// One entry of a folder, as a snapshot lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EntryInfo {
    /// The path relative to the snapshot's `cwd` (just the name for its own entries).
    pub name: String,
    /// File or directory.
    pub kind: EntryKind,
    /// Size in bytes; left out of the JSON for directories and empty files.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub size: u64,
    /// Last modification, Unix seconds (0 when unknown).
    pub modified_at: i64,
}

#[expect(
    clippy::trivially_copy_pass_by_ref,
    reason = "serde's skip_serializing_if passes a reference"
)]
fn is_zero(size: &u64) -> bool {
    *size == 0
}

/// Sorts newest first; ties by name so the order is stable.
pub fn sort_newest_first(entries: &mut [EntryInfo]) {
    entries.sort_by(newest_order);
}

/// The last component of a relative path (`a/b.png` → `b.png`).
pub fn file_name(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}

/// Words that make a request about processes, ports, servers, memory or CPU.
const PROCESS_WORDS: &[&str] = &[
    "process",
    "processes",
    "proc",
    "procs",
    "pid",
    "pids",
    "port",
    "ports",
    "listen",
    "listens",
    "listening",
    "listener",
    "listeners",
    "server",
    "servers",
    "serve",
    "serves",
    "serving",
    "daemon",
    "daemons",
    "service",
    "services",
    "memory",
    "ram",
    "swap",
    "cpu",
    "cpus",
    "load",
    "kill",
    "pkill",
    "killall",
    "running",
    "hog",
    "hogging",
    "localhost",
];

/// Whether `request` talks about processes, ports, servers, memory or CPU
/// (a word of [`PROCESS_WORDS`], or a `:8080`-style port).
pub fn is_about_processes(request: &str) -> bool {
    request
        .split(|c: char| c.is_whitespace() || matches!(c, ',' | ';' | '?' | '!' | '"' | '\''))
        .any(|raw| {
            let word = raw.trim_matches(|c: char| !c.is_alphanumeric() && c != ':');
            let lower = word.to_lowercase();
            // `:8080`, `localhost:3000`, `127.0.0.1:5432`, but not a time like `10:30`.
            let is_port = lower.rsplit_once(':').is_some_and(|(host, port)| {
                let is_host = host.is_empty() || host == "localhost" || host.contains('.');
                is_host && (1..=5).contains(&port.len()) && port.chars().all(|c| c.is_ascii_digit())
            });
            is_port || PROCESS_WORDS.contains(&lower.trim_matches(':'))
        })
}

/// Words of a request too common to pick out file names.
const STOPWORDS: &[&str] = &[
    "all",
    "and",
    "any",
    "are",
    "can",
    "copy",
    "delete",
    "does",
    "every",
    "file",
    "files",
    "find",
    "folder",
    "folders",
    "for",
    "from",
    "have",
    "here",
    "how",
    "into",
    "last",
    "list",
    "move",
    "much",
    "my",
    "named",
    "new",
    "old",
    "older",
    "newer",
    "please",
    "remove",
    "rename",
    "show",
    "some",
    "than",
    "that",
    "the",
    "their",
    "them",
    "then",
    "these",
    "this",
    "those",
    "today",
    "what",
    "where",
    "which",
    "with",
    "week",
    "month",
    "year",
    "yesterday",
    "you",
    "your",
    "directory",
    "directories",
    "recent",
    "recently",
    "changed",
    "modified",
    "created",
    "sort",
    "count",
    "size",
    "sizes",
    "big",
    "biggest",
    "large",
    "largest",
    "small",
    "each",
    "one",
    "two",
    "not",
    "but",
    "only",
    "just",
    "there",
    "were",
    "was",
    "put",
    "about",
    "write",
    "make",
    "create",
    "terminal",
    "get",
    "give",
    "tell",
];

/// What a name must contain (or end with) to match a request.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NameMatcher {
    /// Lowercase words a matching name contains.
    words: Vec<String>,
    /// Lowercase extensions (with the dot) a matching name ends with.
    extensions: Vec<String>,
}

impl NameMatcher {
    /// The words of `request` that can pick out names: extensions
    /// (`.log`, `*.png`) match the end of a name; other words of three or
    /// more letters that are not everyday words match anywhere in it, with a
    /// plural `s` dropped ("screenshots" finds `Screenshot 1.png`).
    pub fn from_request(request: &str) -> Self {
        let mut matcher = Self::default();
        for raw in request.split(|c: char| {
            c.is_whitespace() || matches!(c, ',' | ';' | '"' | '\'' | '(' | ')' | '?' | '!')
        }) {
            let token = raw.trim_start_matches('*').to_lowercase();
            if let Some(extension) = token.strip_prefix('.') {
                let extension = extension.trim_end_matches(['.', ':']);
                if !extension.is_empty() && extension.chars().all(char::is_alphanumeric) {
                    push_unique(&mut matcher.extensions, format!(".{extension}"));
                }
                continue;
            }
            let word = token.trim_matches(|c: char| !c.is_alphanumeric());
            let is_wordy = word.chars().count() >= 3
                && word
                    .chars()
                    .all(|c| c.is_alphanumeric() || matches!(c, '-' | '_'))
                && !word.chars().all(|c| c.is_ascii_digit());
            if !is_wordy || STOPWORDS.contains(&word) {
                continue;
            }
            let stem = match word.strip_suffix('s') {
                Some(stem) if stem.chars().count() >= 3 && !stem.ends_with('s') => stem,
                _ => word,
            };
            push_unique(&mut matcher.words, stem.to_owned());
        }
        matcher
    }

    /// Whether the request named nothing to look for.
    pub fn is_empty(&self) -> bool {
        self.words.is_empty() && self.extensions.is_empty()
    }

    /// Whether a file or directory called `name` matches.
    pub fn is_match(&self, name: &str) -> bool {
        if self.is_empty() {
            return false;
        }
        // Most names are ASCII: compare bytes without allocating a lowercase copy.
        if name.is_ascii() {
            let name = name.as_bytes();
            return self
                .extensions
                .iter()
                .any(|extension| ends_with_ignore_case(name, extension.as_bytes()))
                || self
                    .words
                    .iter()
                    .any(|word| contains_ignore_case(name, word.as_bytes()));
        }
        let name = name.to_lowercase();
        self.extensions
            .iter()
            .any(|extension| name.ends_with(extension.as_str()))
            || self.words.iter().any(|word| name.contains(word.as_str()))
    }
}

fn ends_with_ignore_case(name: &[u8], suffix: &[u8]) -> bool {
    name.len()
        .checked_sub(suffix.len())
        .and_then(|start| name.get(start..))
        .is_some_and(|tail| tail.eq_ignore_ascii_case(suffix))
}

fn contains_ignore_case(name: &[u8], word: &[u8]) -> bool {
    !word.is_empty()
        && name
            .windows(word.len())
            .any(|window| window.eq_ignore_ascii_case(word))
}

/// The `cap` newest of `entries`, cloned and sorted newest first, and how
/// many were left out. Only the kept entries are cloned.
pub fn newest<'a>(
    entries: impl Iterator<Item = &'a EntryInfo>,
    cap: usize,
) -> (Vec<EntryInfo>, usize) {
    let mut refs: Vec<&EntryInfo> = entries.collect();
    let dropped = refs.len().saturating_sub(cap);
    if dropped > 0 {
        refs.select_nth_unstable_by(cap, |a, b| newest_order(a, b));
        refs.truncate(cap);
    }
    let mut kept: Vec<EntryInfo> = refs.into_iter().cloned().collect();
    sort_newest_first(&mut kept);
    (kept, dropped)
}

fn newest_order(a: &EntryInfo, b: &EntryInfo) -> std::cmp::Ordering {
    b.modified_at
        .cmp(&a.modified_at)
        .then_with(|| a.name.cmp(&b.name))
}

fn push_unique(list: &mut Vec<String>, value: String) {
    if !list.contains(&value) {
        list.push(value);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use pretty_assertions::assert_eq;

    #[test]
    fn requests_pick_the_names_they_talk_about() {
        let cases = [
            (
                "rename the screenshots from last week",
                "Screenshot 2026-11-20 at 10.00.png",
                true,
            ),
            ("rename the screenshots from last week", "notes.md", false),
            ("delete the .log files", "server.LOG", true),
            ("delete the .log files", "logbook.txt", false),
            ("zip all *.png here", "a.png", true),
            ("compress the invoices", "invoice-03.pdf", true),
            ("list the files", "files.txt", false),
            ("show me what is in 2024", "2024.txt", false),
        ];
        for (request, name, expected) in cases {
            let matcher = NameMatcher::from_request(request);
            assert_eq!(matcher.is_match(name), expected, "{request} / {name}");
        }
    }

    #[test]
    fn an_everyday_request_matches_nothing() {
        let matcher = NameMatcher::from_request("list the files in this folder");
        assert!(matcher.is_empty(), "{matcher:?}");
        assert!(!matcher.is_match("anything.txt"));
    }

    #[test]
    fn process_questions_are_recognised() {
        let cases = [
            ("what is listening on 8080", true),
            ("stop whatever is serving this project", true),
            ("which process uses the most memory?", true),
            ("is anything on localhost:3000", true),
            ("kill node", true),
            ("why is the CPU so busy", true),
            ("write a report of the imports", false),
            ("rename the screenshots from last week", false),
            ("meet at 10:30", false),
        ];
        for (request, expected) in cases {
            assert_eq!(is_about_processes(request), expected, "{request}");
        }
    }

    #[test]
    fn newest_keeps_only_the_newest_and_counts_the_rest() {
        let entries: Vec<EntryInfo> = (0..10)
            .map(|n| EntryInfo {
                name: format!("f{n}"),
                kind: EntryKind::File,
                size: 1,
                modified_at: n,
            })
            .collect();
        let (kept, dropped) = newest(entries.iter(), 3);
        let names: Vec<&str> = kept.iter().map(|e| e.name.as_str()).collect();
        assert_eq!((names, dropped), (vec!["f9", "f8", "f7"], 7));
        let (all, none) = newest(entries.iter(), 50);
        assert_eq!((all.len(), none), (10, 0));
    }

    #[test]
    fn non_ascii_names_match_case_insensitively() {
        let matcher = NameMatcher::from_request("find the Übersicht files");
        assert!(matcher.is_match("ÜBERSICHT-2026.pdf"));
        assert!(!matcher.is_match("plan.pdf"));
    }

    #[test]
    fn newest_entries_come_first() {
        let entry = |name: &str, modified_at| EntryInfo {
            name: name.into(),
            kind: EntryKind::File,
            size: 1,
            modified_at,
        };
        let mut entries = vec![entry("b", 5), entry("a", 9), entry("c", 5)];
        sort_newest_first(&mut entries);
        let names: Vec<&str> = entries.iter().map(|e| e.name.as_str()).collect();
        assert_eq!(names, vec!["a", "b", "c"]);
    }
}
