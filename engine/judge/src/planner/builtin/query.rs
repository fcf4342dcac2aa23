//! The request as the matcher sees it: words split out of free text, with
//! quoted spans kept whole, case and punctuation normalised for matching and
//! the original spelling kept for slots (paths, names, messages). Pure: it
//! never touches the filesystem.

use std::cell::{Cell, OnceCell};
use std::path::Path;

use crate::context::ContextSnapshot;
use crate::typed_path::{AccountHome, no_accounts};

use super::amounts::{AgeFilter, SizeFilter};
use super::intent::Effect;

/// One word of the request.
#[derive(Debug, Clone)]
pub(super) struct Token {
    /// As typed, with surrounding punctuation trimmed (quotes removed for quoted spans).
    pub raw: String,
    /// Lowercase, apostrophes dropped, for keyword matching. Empty for quoted spans,
    /// so text inside quotes never looks like a keyword.
    pub lower: String,
    /// Whether the word was written inside quotes.
    pub is_quoted: bool,
}

/// A tokenised request plus the directories it is resolved against.
#[derive(Debug)]
pub(super) struct Query<'a> {
    /// The job's directory.
    pub cwd: &'a Path,
    /// The user's home.
    pub home: &'a Path,
    /// Finds other accounts' homes, for `~name`.
    pub account_home: AccountHome,
    /// The words, in order.
    pub tokens: Vec<Token>,
    /// The context snapshot of `cwd`, when the caller has one.
    pub context: Option<&'a ContextSnapshot>,
    /// The forceful effects the request's verbs ask for (set by the planner).
    pub effects: Vec<Effect>,
    /// Whether any verb asks for a change (set by the planner).
    pub asks_change: bool,
    /// Slots asked for by many intents, computed once per request.
    pub(super) cache: SlotCache,
    /// Set when a matched phrase or a slot took in one of the request's
    /// negations ("not merged", "excluding vendor"); see [`Query::unread_negation`].
    negation_read: Cell<bool>,
}

/// Words that leave something out or turn a request around. A plan that
/// ignores one does something other than what was asked.
const NEGATIONS: [&str; 17] = [
    "not",
    "dont",
    "never",
    "except",
    "excluding",
    "exclude",
    "without",
    "skip",
    "skipping",
    "ignore",
    "ignoring",
    "besides",
    "unless",
    "doesnt",
    "isnt",
    "arent",
    "shouldnt",
];

/// Slot values computed on first use: every intent's matcher asks for them,
/// and each takes a scan of the request (the age filter a regex).
#[derive(Debug, Default)]
pub(super) struct SlotCache {
    pub patterns: OnceCell<Vec<String>>,
    pub size: OnceCell<Option<SizeFilter>>,
    pub age: OnceCell<Option<AgeFilter>>,
}

const QUOTES: [(char, char); 5] = [('"', '"'), ('\'', '\''), ('`', '`'), ('“', '”'), ('‘', '’')];

impl<'a> Query<'a> {
    /// Splits `text` into tokens.
    pub fn new(text: &str, cwd: &'a Path, home: &'a Path) -> Self {
        Self {
            cwd,
            home,
            account_home: no_accounts,
            tokens: tokenize(text),
            context: None,
            effects: Vec::new(),
            asks_change: false,
            cache: SlotCache::default(),
            negation_read: Cell::new(false),
        }
    }

    /// Records that a slot took in the request's negation (the folders after
    /// "excluding").
    pub fn note_negation_read(&self) {
        self.negation_read.set(true);
    }

    /// Forgets what earlier matching took in, before one intent is checked.
    pub fn forget_negation_reads(&self) {
        self.negation_read.set(false);
    }

    /// A negation in the request ("do not show app.log") that nothing matched
    /// since [`Query::forget_negation_reads`].
    pub fn unread_negation(&self) -> Option<&str> {
        if self.negation_read.get() {
            return None;
        }
        self.tokens
            .iter()
            .find(|token| !token.is_quoted && NEGATIONS.contains(&token.lower.as_str()))
            .map(|token| token.raw.as_str())
    }

    /// Whether the request contains `phrase`: space-separated words matched in
    /// order on consecutive tokens; a word ending in `*` matches by prefix.
    pub fn has(&self, phrase: &str) -> bool {
        self.find(phrase).is_some()
    }

    /// Index of the first token where `phrase` (as in [`Query::has`]) starts.
    pub fn find(&self, phrase: &str) -> Option<usize> {
        let words: Vec<&str> = phrase.split(' ').collect();
        let found = (0..self.tokens.len()).find(|&start| {
            words.iter().enumerate().all(|(offset, word)| {
                self.tokens
                    .get(start + offset)
                    .is_some_and(|token| word_matches(word, &token.lower))
            })
        });
        if found.is_some() && words.iter().any(|word| NEGATIONS.contains(word)) {
            self.negation_read.set(true);
        }
        found
    }

    /// Whether a single-word `phrase` of five letters or more occurs with one
    /// typo (a letter added, dropped, changed or two swapped): "stauts",
    /// "delte", "comit". Only used for the required words of read-only
    /// intents, never for the words that rule an intent out: a typo may
    /// find an answer, never a change.
    pub fn has_typo_of(&self, phrase: &str) -> bool {
        if phrase.contains([' ', '*', '<']) || phrase.chars().count() < 5 {
            return false;
        }
        self.tokens.iter().any(|token| {
            !token.is_quoted
                && token.lower.chars().count() >= 4
                && token.lower.chars().next() == phrase.chars().next()
                // "deleted", "commits": another word, not a typo.
                && !token.lower.starts_with(phrase)
                && !phrase.starts_with(token.lower.as_str())
                && is_one_typo(&token.lower, phrase)
        })
    }

    /// Whether any of `phrases` occurs.
    pub fn has_any(&self, phrases: &[&str]) -> bool {
        phrases.iter().any(|phrase| self.has(phrase))
    }

    /// The lowercase word at `index`, or "" past the end.
    pub fn lower(&self, index: usize) -> &str {
        self.tokens
            .get(index)
            .map_or("", |token| token.lower.as_str())
    }

    /// Joins unquoted words that together spell a name the context lists
    /// in the job's folder ("report final.docx", "My Notes/todo.md") into
    /// one quoted token, as if the user had quoted it. Only names with a
    /// space qualify, and only when the span looks like a name rather than
    /// prose: its last word has an extension, or a word in it has a capital
    /// letter or a digit. The longest name wins; without a context nothing
    /// changes.
    pub fn join_known_names(&mut self) {
        let Some(context) = self.context else { return };
        let mut names: Vec<&str> = context
            .entries
            .iter()
            .chain(&context.matching)
            .map(|entry| entry.name.as_str())
            .filter(|name| name.contains(' ') && !name.contains("  "))
            .collect();
        names.sort_by_key(|name| std::cmp::Reverse(name.len()));
        let mut index = 0;
        while index < self.tokens.len() {
            let joined = names.iter().find_map(|name| {
                let words = name.split(' ').count();
                let span = self.tokens.get(index..index + words)?;
                let spelled = span.iter().all(|token| !token.is_quoted)
                    && span
                        .iter()
                        .map(|token| token.raw.as_str())
                        .eq(name.split(' '))
                    && looks_like_a_name(name);
                spelled.then_some((*name, words))
            });
            if let Some((name, words)) = joined {
                self.tokens.splice(
                    index..index + words,
                    [Token {
                        raw: name.to_owned(),
                        lower: String::new(),
                        is_quoted: true,
                    }],
                );
            }
            index += 1;
        }
    }

    /// The quoted spans, in order.
    pub fn quoted(&self) -> Vec<&str> {
        self.tokens
            .iter()
            .filter(|token| token.is_quoted)
            .map(|token| token.raw.as_str())
            .collect()
    }

    /// The lowercase words joined by single spaces (quoted spans left out).
    pub fn lower_text(&self) -> String {
        let words: Vec<&str> = self
            .tokens
            .iter()
            .filter(|token| !token.is_quoted)
            .map(|token| token.lower.as_str())
            .collect();
        words.join(" ")
    }
}

/// Whether a name with spaces reads as a name, not as words of a request:
/// the last word has an extension, or a word has a capital or a digit.
fn looks_like_a_name(name: &str) -> bool {
    let has_extension = name
        .rsplit(' ')
        .next()
        .and_then(|last| last.rsplit_once('.'))
        .is_some_and(|(stem, extension)| !stem.is_empty() && !extension.is_empty());
    has_extension || name.chars().any(|c| c.is_uppercase() || c.is_ascii_digit())
}

/// Whether `a` and `b` differ by exactly one edit or one swap of neighbours.
fn is_one_typo(a: &str, b: &str) -> bool {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    if a == b {
        return false;
    }
    let prefix = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let (rest_a, rest_b) = (&a[prefix..], &b[prefix..]);
    match rest_a.len().abs_diff(rest_b.len()) {
        0 => {
            rest_a.get(1..) == rest_b.get(1..)
                || (rest_a.len() >= 2
                    && rest_a[0] == rest_b[1]
                    && rest_a[1] == rest_b[0]
                    && rest_a[2..] == rest_b[2..])
        }
        1 => {
            let (longer, shorter) = if rest_a.len() > rest_b.len() {
                (rest_a, rest_b)
            } else {
                (rest_b, rest_a)
            };
            longer.get(1..) == Some(shorter)
        }
        _ => false,
    }
}

fn word_matches(word: &str, lower: &str) -> bool {
    match word.strip_suffix('*') {
        Some(prefix) => lower.starts_with(prefix),
        None => lower == word,
    }
}

fn tokenize(text: &str) -> Vec<Token> {
    let chars: Vec<char> = text.chars().collect();
    let mut tokens = Vec::new();
    let mut current = String::new();
    let mut index = 0;
    while let Some(&c) = chars.get(index) {
        let closing = QUOTES
            .iter()
            .find(|(open, _)| *open == c)
            .map(|(_, close)| *close);
        if let (Some(close), true) = (closing, current.is_empty()) {
            let rest = chars.get(index + 1..).unwrap_or_default();
            if let Some(end) = rest.iter().position(|&other| other == close) {
                let raw: String = rest.iter().take(end).collect();
                tokens.push(Token {
                    raw,
                    lower: String::new(),
                    is_quoted: true,
                });
                index += end + 2;
                continue;
            }
        }
        if c.is_whitespace() {
            push_word(&mut tokens, &current);
            current.clear();
        } else {
            current.push(c);
        }
        index += 1;
    }
    push_word(&mut tokens, &current);
    tokens
}

fn push_word(tokens: &mut Vec<Token>, word: &str) {
    let mut raw = word
        .trim_start_matches(['(', '['])
        .trim_end_matches([',', ';', '!', '?', ')', ']']);
    if raw.len() > 1 && raw.ends_with('.') && !raw.ends_with("..") {
        raw = &raw[..raw.len() - 1];
    }
    if raw.ends_with(':') && !raw.starts_with(':') {
        raw = &raw[..raw.len() - 1];
    }
    if raw.is_empty() {
        return;
    }
    let lower = raw.to_lowercase().replace(['\'', '’'], "");
    tokens.push(Token {
        raw: raw.to_owned(),
        lower,
        is_quoted: false,
    });
}

#[cfg(test)]
mod tests {
    use super::Query;
    use std::path::Path;

    fn query(text: &str) -> Query<'static> {
        Query::new(text, Path::new("/w"), Path::new("/h"))
    }

    #[test]
    fn quotes_make_one_token_and_apostrophes_do_not() {
        let q = query("what's in 'my file.txt', please?");
        let raws: Vec<&str> = q.tokens.iter().map(|t| t.raw.as_str()).collect();
        assert_eq!(raws, ["what's", "in", "my file.txt", "please"]);
        assert!(q.has("whats in"));
        assert_eq!(q.quoted(), ["my file.txt"]);
    }

    #[test]
    fn one_typo_matches_long_words_only() {
        let cases = [
            ("show git stauts", "status", true),
            ("delte old.txt", "delete", true),
            ("comit my changes", "commit", true),
            ("brnach list", "branch", true),
            ("show git status", "status", false),
            ("show git stats", "status", true),
            ("show deleted files", "delete", false),
            ("list commits", "commit", false),
            ("remove it", "rename", false),
            ("lsit files", "list", false),
        ];
        for (text, word, expected) in cases {
            assert_eq!(query(text).has_typo_of(word), expected, "{text} ~ {word}");
        }
    }

    #[test]
    fn names_the_context_lists_are_joined_when_they_read_as_names() {
        use crate::context::{ContextSnapshot, EntryInfo, EntryKind};
        let entry = |name: &str| EntryInfo {
            name: name.to_owned(),
            kind: EntryKind::File,
            size: 1,
            modified_at: 0,
        };
        let context = ContextSnapshot {
            cwd: "/w".into(),
            is_read_on_demand: false,
            directory: None,
            matching: vec![entry("docs/Q3 plan.md")],
            entries: vec![
                entry("report final.docx"),
                entry("report final.docx.bak"),
                entry("old logs"),
                entry("Tax Returns"),
            ],
            repo: None,
            processes: None,
            environment: None,
            omitted: Vec::new(),
            estimated_tokens: 0,
        };
        for (text, want) in [
            (
                "please delete report final.docx now",
                vec!["please", "delete", "report final.docx", "now"],
            ),
            (
                "copy report final.docx.bak to x",
                vec!["copy", "report final.docx.bak", "to", "x"],
            ),
            ("open docs/Q3 plan.md", vec!["open", "docs/Q3 plan.md"]),
            ("zip Tax Returns", vec!["zip", "Tax Returns"]),
            // Prose that happens to spell a folder name stays words.
            ("show old logs", vec!["show", "old", "logs"]),
            // Case matters: the name is spelled as listed.
            (
                "delete Report Final.docx",
                vec!["delete", "Report", "Final.docx"],
            ),
        ] {
            let mut q = Query::new(text, Path::new("/w"), Path::new("/h"));
            q.context = Some(&context);
            q.join_known_names();
            let raws: Vec<&str> = q.tokens.iter().map(|t| t.raw.as_str()).collect();
            assert_eq!(raws, want, "text: {text}");
        }
        let mut without = query("please delete report final.docx");
        without.join_known_names();
        assert_eq!(without.tokens.len(), 4);
    }

    #[test]
    fn prefix_words_match() {
        let q = query("Organise my Downloads.");
        assert!(q.has("organi*"));
        assert!(q.has("my downloads"));
        assert!(!q.has("downloads."));
    }
}
