//! Slot extraction: the places and names a request carries besides its
//! intent — paths, globs, extensions, selections and names (sizes, ages,
//! counts, ports and pids are in `amounts`). Each slot is a small pure
//! function over a [`Query`]; paths are resolved lexically against the job's
//! directory and home, never looked up on disk.

use std::path::{Path, PathBuf};
use std::sync::LazyLock;

use regex::Regex;

use super::amounts::SIZE;
use super::query::Query;
use super::slot_words::{FILLERS, IN_PREPS, NOT_PATHS, NOUNS, TO_PREPS};
use crate::context::FileCategory;
use crate::typed_path::{expand_tilde, normalize};

/// Home folders people name without a path ("in Downloads").
const KNOWN_DIRS: [(&str, &str); 7] = [
    ("desktop", "Desktop"),
    ("downloads", "Downloads"),
    ("documents", "Documents"),
    ("pictures", "Pictures"),
    ("music", "Music"),
    ("videos", "Videos"),
    ("home", ""),
];

static FILE_NAME: LazyLock<Option<Regex>> =
    LazyLock::new(|| compile(r"^[\w.+-]*[A-Za-z_][\w+-]*\.[A-Za-z][A-Za-z0-9]{0,7}$"));
/// Compiles a pattern written in this file. A typo yields `None`, so the slot
/// never matches and `slot_patterns_compile` fails, instead of a panic at run time.
pub(super) fn compile(pattern: &str) -> Option<Regex> {
    Regex::new(pattern).ok()
}

pub(super) fn is_match(regex: &LazyLock<Option<Regex>>, text: &str) -> bool {
    regex.as_ref().is_some_and(|regex| regex.is_match(text))
}

impl Query<'_> {
    /// Resolves a path as typed: `~` and `~name` against their homes,
    /// relative against the cwd.
    pub fn resolve(&self, raw: &str) -> PathBuf {
        let joined =
            expand_tilde(raw, self.home, self.account_home).unwrap_or_else(|| self.cwd.join(raw));
        normalize(&joined)
    }

    /// Whether the token at `index` looks like a path or file name.
    pub fn is_path_like(&self, index: usize) -> bool {
        let Some(token) = self.tokens.get(index) else {
            return false;
        };
        let raw = token.raw.as_str();
        if token.is_quoted {
            return !raw.trim().is_empty();
        }
        raw.starts_with('~')
            || raw.starts_with('/')
            || raw.starts_with("./")
            || raw.starts_with("../")
            || raw == "."
            || raw == ".."
            || (raw.contains('/') && !raw.contains("://"))
            || is_match(&FILE_NAME, raw)
            || is_dotfile(raw)
    }

    /// Whether the token at `index` is a glob (`*.log`, `test_?`).
    pub fn is_glob(&self, index: usize) -> bool {
        self.tokens
            .get(index)
            .is_some_and(|token| !token.is_quoted && token.raw.contains(['*', '?']))
    }

    /// The path introduced by one of `preps` ("in ~/x", "under the src folder",
    /// "into Downloads"), with the index of its token.
    pub fn path_after(&self, preps: &[&str]) -> Option<(usize, PathBuf)> {
        (0..self.tokens.len())
            .filter(|&index| preps.contains(&self.lower(index)))
            .find_map(|index| self.path_at(index + 1))
    }

    /// The places listed after the one at `index` ("src and docs", "a, b
    /// and c"), in order.
    pub fn paths_listed_after(&self, mut index: usize) -> Vec<PathBuf> {
        let mut listed = Vec::new();
        while matches!(self.lower(index + 1), "and" | "," | "&") {
            let Some((next, path)) = self.path_at(index + 2) else {
                break;
            };
            listed.push(path);
            index = next;
        }
        listed
    }

    fn path_at(&self, start: usize) -> Option<(usize, PathBuf)> {
        let mut index = start;
        while FILLERS.contains(&self.lower(index)) {
            index += 1;
        }
        let token = self.tokens.get(index)?;
        if self.is_glob(index) {
            return None;
        }
        if self.is_path_like(index) {
            return Some((index, self.resolve(&token.raw)));
        }
        let unit = self.lower(index + 1);
        let is_amount = token.lower.chars().all(|c| c.is_ascii_digit() || c == '.')
            && (is_match(&SIZE, &format!("{}{unit}", token.lower))
                || [
                    "minute", "min", "hour", "day", "week", "month", "year", "line", "commit",
                ]
                .iter()
                .any(|word| unit.trim_end_matches('s') == *word));
        if is_amount {
            return None;
        }
        if let Some((_, name)) = KNOWN_DIRS.iter().find(|(word, _)| *word == token.lower) {
            return Some((index, self.home.join(name)));
        }
        let is_word = token
            .lower
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '.'));
        let is_adjective = NOUNS.contains(&self.lower(index + 1))
            || !extensions_for(&token.lower, true).is_empty();
        if is_word
            && !is_adjective
            && !NOT_PATHS.contains(&token.lower.as_str())
            && !token.lower.is_empty()
        {
            return Some((index, self.resolve(&token.raw)));
        }
        None
    }

    /// A new file or folder named at token `index`, placed in the folder the
    /// request names ("create notes.txt in docs" is `docs/notes.txt`); a name
    /// with a folder of its own, or with no folder named, resolves as typed.
    pub fn new_name_at(&self, index: usize) -> PathBuf {
        let raw = &self.tokens[index].raw;
        if raw.starts_with(['/', '~']) || raw.contains('/') {
            return self.resolve(raw);
        }
        match self.path_after(&["in", "under", "inside", "within"]) {
            Some((dir_index, dir)) if dir_index != index => normalize(&dir.join(raw)),
            _ => self.resolve(raw),
        }
    }

    /// The directory the request is about: the path after "in/under/…", else
    /// a bare path-like word not introduced by "to/into", else the cwd.
    pub fn location(&self) -> PathBuf {
        self.location_slot()
            .map_or_else(|| normalize(self.cwd), |(_, path)| path)
    }

    /// Like [`Query::location`] but `None` when the request names no directory.
    pub fn location_slot(&self) -> Option<(usize, PathBuf)> {
        self.path_after(&IN_PREPS)
            .or_else(|| self.known_dir())
            .or_else(|| self.word_before_folder())
            .or_else(|| {
                (0..self.tokens.len())
                    .filter(|&index| !TO_PREPS.contains(&self.lower(index.wrapping_sub(1))))
                    .filter(|&index| !self.tokens[index].is_quoted)
                    .filter(|&index| {
                        !matches!(self.lower(index.wrapping_sub(1)), "named" | "called")
                    })
                    .find(|&index| self.is_path_like(index) && !self.is_glob(index))
                    .map(|index| (index, self.resolve(&self.tokens[index].raw)))
            })
    }

    /// Quoted spans that are not places: the text of a search, a message.
    pub fn quoted_terms(&self) -> Vec<&str> {
        const PLACE_WORDS: [&str; 10] = [
            "in", "under", "inside", "within", "of", "from", "to", "into", "ls", "folder",
        ];
        (0..self.tokens.len())
            .filter(|&index| self.tokens[index].is_quoted)
            .filter(|&index| {
                let mut before = index;
                while before > 0 && FILLERS.contains(&self.lower(before - 1)) {
                    before -= 1;
                }
                let place_word = self.lower(before.wrapping_sub(1));
                let counts_of = place_word == "of"
                    && matches!(
                        self.lower(before.wrapping_sub(2)),
                        "matches" | "occurrences" | "instances" | "count" | "number" | "mentions"
                    );
                counts_of || !PLACE_WORDS.contains(&place_word)
            })
            .map(|index| self.tokens[index].raw.as_str())
            .collect()
    }

    /// "the logs folder", "the build directory": a bare word named as a folder.
    fn word_before_folder(&self) -> Option<(usize, PathBuf)> {
        (0..self.tokens.len())
            .filter(|&index| matches!(self.lower(index + 1), "folder" | "directory" | "dir"))
            .find(|&index| {
                let token = &self.tokens[index];
                !token.is_quoted
                    && !token.lower.is_empty()
                    && !NOT_PATHS.contains(&token.lower.as_str())
                    && token
                        .lower
                        .chars()
                        .all(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '.'))
            })
            .map(|index| {
                let raw = &self.tokens[index].raw;
                let path = KNOWN_DIRS
                    .iter()
                    .find(|(word, _)| *word == self.tokens[index].lower)
                    .map_or_else(|| self.resolve(raw), |(_, name)| self.home.join(name));
                (index, path)
            })
    }

    /// A home folder named as "my downloads" or "the desktop".
    fn known_dir(&self) -> Option<(usize, PathBuf)> {
        (1..self.tokens.len())
            .filter(|&index| matches!(self.lower(index - 1), "my" | "the"))
            .find_map(|index| {
                let (_, name) = KNOWN_DIRS
                    .iter()
                    .find(|(word, _)| *word == self.lower(index))?;
                Some((index, self.home.join(name)))
            })
    }

    /// The first token that is a file name with an extension (quoted or not).
    pub fn file_index(&self) -> Option<usize> {
        (0..self.tokens.len()).find(|&index| {
            let raw = &self.tokens[index].raw;
            self.is_path_like(index)
                && !self.is_glob(index)
                && (Path::new(raw).extension().is_some() || is_dotfile(raw))
                && !raw.ends_with('/')
        })
    }

    /// The first archive named (`.zip`, `.tar`, `.tar.gz`, `.tgz`, …).
    pub fn archive_index(&self) -> Option<usize> {
        (0..self.tokens.len()).find(|&index| {
            let lower = self.tokens[index].raw.to_lowercase();
            self.is_path_like(index)
                && [
                    ".zip", ".tar", ".tar.gz", ".tgz", ".tar.bz2", ".tbz2", ".tar.xz", ".txz",
                    ".tar.zst",
                ]
                .iter()
                .any(|ext| lower.ends_with(ext))
        })
    }

    /// Paths and globs named outside "to/into" phrases, in order, as typed.
    pub fn sources(&self) -> Vec<(usize, String)> {
        let destination = self.path_after(&TO_PREPS).map(|(index, _)| index);
        (0..self.tokens.len())
            .filter(|&index| Some(index) != destination)
            .filter(|&index| self.is_path_like(index) || self.is_glob(index))
            .map(|index| (index, self.tokens[index].raw.clone()))
            .collect()
    }

    /// The word after "called/named" (quotes allowed), as typed.
    pub fn name_after(&self, words: &[&str]) -> Option<String> {
        (0..self.tokens.len())
            .filter(|&index| words.contains(&self.lower(index)))
            .find_map(|index| self.tokens.get(index + 1))
            .map(|token| token.raw.clone())
    }

    /// File-name patterns: globs as typed, extensions ("python files", ".rs",
    /// "pdfs", "images") as `*.ext`, and "named X"/"called X" as `X`.
    pub fn name_patterns(&self) -> Vec<String> {
        self.cache
            .patterns
            .get_or_init(|| self.find_name_patterns())
            .clone()
    }

    fn find_name_patterns(&self) -> Vec<String> {
        let mut patterns: Vec<String> = (0..self.tokens.len())
            .filter(|&index| self.is_glob(index))
            .map(|index| self.tokens[index].raw.clone())
            .collect();
        let place = self.location_slot().map(|(index, _)| index);
        let destination = self.path_after(&TO_PREPS).map(|(index, _)| index);
        for (index, token) in self.tokens.iter().enumerate() {
            if token.is_quoted || Some(index) == place || Some(index) == destination {
                continue;
            }
            let typed_word = self.file_noun_follows(index);
            let dot_ext = token.lower.strip_prefix('.').filter(|ext| is_ext(ext));
            let exts = dot_ext.map(|ext| vec![ext.to_owned()]).unwrap_or_else(|| {
                extensions_for(&token.lower, typed_word)
                    .iter()
                    .map(|ext| (*ext).to_owned())
                    .collect()
            });
            patterns.extend(exts.into_iter().map(|ext| format!("*.{ext}")));
        }
        let names_a_folder = (0..self.tokens.len())
            .filter(|&index| matches!(self.lower(index), "named" | "called"))
            .any(|index| {
                matches!(
                    self.lower(index.wrapping_sub(1)),
                    "folder" | "directory" | "dir" | "archive" | "branch" | "link" | "symlink"
                )
            });
        if !names_a_folder && let Some(name) = self.name_after(&["named", "called"]) {
            patterns.push(name);
        }
        patterns.dedup();
        patterns
    }

    /// Whether the word at `index` is followed by "files"/"code"/…, directly
    /// or through a list of other format words ("json and csv files").
    fn file_noun_follows(&self, index: usize) -> bool {
        let mut next = index + 1;
        loop {
            let word = self.lower(next);
            if matches!(
                word,
                "file" | "files" | "code" | "scripts" | "sources" | "source"
            ) {
                return true;
            }
            let listed = matches!(word, "and" | "or" | "," | "&")
                || !extensions_for(word.trim_end_matches(','), true).is_empty();
            if !listed {
                return false;
            }
            next += 1;
        }
    }

    /// Whether the request selects everything in a place ("everything",
    /// "all files", "all of it") rather than naming files.
    pub fn selects_everything(&self) -> bool {
        self.has_any(&[
            "everything",
            "all files",
            "all the files",
            "all of the files",
            "every file",
            "all of it",
            "all contents",
            "all the contents",
            "the contents",
            "all the stuff",
            "all stuff",
        ])
    }
}

/// `.gitignore`, `.env`, `.bashrc`: a hidden file named on its own, as
/// opposed to an extension (`.log`, `.py`) naming a kind of file.
fn is_dotfile(raw: &str) -> bool {
    // `.git` is the repository folder, not a file to show or delete.
    const MORE_EXTENSIONS: [&str; 13] = [
        "log", "bak", "tmp", "temp", "swp", "pyc", "o", "lock", "out", "conf", "cfg", "ini", "git",
    ];
    // Names that are files far more often than kinds: "cat .env" shows the
    // environment file, though `env` is also a data extension.
    const WHOLE_NAMES: [&str; 2] = ["env", "envrc"];
    raw.strip_prefix('.').is_some_and(|name| {
        let lower = name.to_lowercase();
        if WHOLE_NAMES.contains(&lower.as_str()) {
            return true;
        }
        // ".tar.gz" is two extensions, not a file.
        let is_extension = lower.split('.').any(|part| {
            MORE_EXTENSIONS.contains(&part)
                || FileCategory::ALL
                    .iter()
                    .any(|category| category.extensions().contains(&part))
        });
        !is_extension
            && (2..=40).contains(&name.len())
            && name.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
            && name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'))
    })
}

fn is_ext(ext: &str) -> bool {
    (1..=5).contains(&ext.len())
        && ext.chars().all(|c| c.is_ascii_alphanumeric())
        && ext.chars().any(|c| c.is_ascii_alphabetic())
}

/// Extensions a word stands for. Language and format names count only before
/// "files"/"code"; plural format words ("pdfs") and categories count alone.
pub(super) fn extensions_for(word: &str, typed_word: bool) -> &'static [&'static str] {
    let standalone: &[&str] = match word {
        "pdfs" => &["pdf"],
        "jpgs" | "jpegs" => &["jpg", "jpeg"],
        "pngs" => &["png"],
        "csvs" => &["csv"],
        "mp3s" => &["mp3"],
        "mp4s" => &["mp4"],
        "images" | "photos" | "pictures" | "image" | "photo" => FileCategory::Images.extensions(),
        _ => &[],
    };
    if !standalone.is_empty() || !typed_word {
        return standalone;
    }
    match word {
        "rust" | "rs" => &["rs"],
        "python" | "py" => &["py"],
        "javascript" | "js" => &["js"],
        "typescript" | "ts" => &["ts"],
        "go" | "golang" => &["go"],
        "java" => &["java"],
        "c" => &["c", "h"],
        "cpp" | "c++" => &["cpp", "hpp"],
        "markdown" | "md" => &["md"],
        "text" | "txt" => &["txt"],
        "log" => &["log"],
        "json" => &["json"],
        "yaml" | "yml" => &["yaml", "yml"],
        "toml" => &["toml"],
        "csv" => &["csv"],
        "pdf" => &["pdf"],
        "html" => &["html"],
        "css" => &["css"],
        "shell" | "sh" | "bash" => &["sh"],
        "jpg" | "jpeg" => &["jpg", "jpeg"],
        "png" => &["png"],
        "sql" => &["sql"],
        "xml" => &["xml"],
        "video" => FileCategory::Video.extensions(),
        "audio" => FileCategory::Audio.extensions(),
        _ => &[],
    }
}

#[cfg(test)]
#[path = "slots_tests.rs"]
mod tests;
