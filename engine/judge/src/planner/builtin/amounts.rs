//! Amount slots: sizes ("over 1 MB", "at least 2 gigs"), ages ("older than
//! two weeks", "since yesterday"), counts ("top 5"), ports and pids. Pure
//! functions over a [`Query`]; the place and file-name slots live in `slots`.

use std::sync::LazyLock;

use regex::Regex;

use super::query::Query;
use super::slots::{compile, is_match};

pub(super) static SIZE: LazyLock<Option<Regex>> = LazyLock::new(|| {
    compile(
        r"^(\d+)(?:\.(\d{1,3}))?(b|bytes?|k|kb|kib|kilobytes?|m|mb|mib|megs?|megabytes?|g|gb|gib|gigs?|gigabytes?|t|tb|tib|terabytes?)$",
    )
});
pub(super) static AGE_NUMBER: LazyLock<Option<Regex>> = LazyLock::new(|| {
    compile(
        r"\b(older than|more than|over|at least|newer than|less than|within|in the last|in the past|the last|the past|last|past|under|since) (\d+|an?|one|two|three|four|five|six|seven|eight|nine|ten|twelve|couple of|few) (minute|min|hour|day|week|month|year)s?\b( old| ago)?",
    )
});
pub(super) static AGE_NUMBER_OLD: LazyLock<Option<Regex>> = LazyLock::new(|| {
    compile(
        r"\b(\d+|an?|one|two|three|four|five|six|seven|eight|nine|ten|twelve) (minute|min|hour|day|week|month|year)s? (old|ago)\b",
    )
});

/// A size condition for `find -size`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct SizeFilter {
    /// The `-size` argument, e.g. `+10M` or `-512000c`.
    pub find_arg: String,
    /// The condition as people say it: "larger than 10MB".
    pub text: String,
}

/// An age condition for `find -mtime`/`-mmin`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct AgeFilter {
    /// The find arguments, e.g. `["-mtime", "+7"]`.
    pub find_args: [String; 2],
    /// The condition as people say it: "modified more than 7 days ago".
    pub text: String,
    /// Whether it reads the request's "not" ("not modified in 10 days").
    pub is_negated: bool,
}
impl Query<'_> {
    /// A size condition ("larger than 10MB", "under 500 KB").
    pub fn size_filter(&self) -> Option<SizeFilter> {
        self.cache
            .size
            .get_or_init(|| self.find_size_filter())
            .clone()
    }

    fn find_size_filter(&self) -> Option<SizeFilter> {
        self.tokens.iter().enumerate().find_map(|(index, token)| {
            let joined = format!("{}{}", token.lower, self.lower(index + 1));
            let size = SIZE.as_ref()?;
            let (caps, spoken) = size
                .captures(&token.lower)
                .map(|caps| (caps, token.raw.clone()))
                .or_else(|| size.captures(&joined).map(|caps| (caps, joined.clone())))?;
            let bytes = size_bytes(
                &caps[1],
                caps.get(2).map_or("", |frac| frac.as_str()),
                &caps[3],
            )?;
            let before: Vec<&str> = (index.saturating_sub(3)..index)
                .rev()
                .map(|i| self.lower(i))
                .collect();
            let is_smaller = before
                .iter()
                .find_map(|word| match *word {
                    "smaller" | "less" | "under" | "below" | "most" | "tinier" | "up" => Some(true),
                    "larger" | "bigger" | "over" | "above" | "more" | "greater" | "least"
                    | "exceeding" => Some(false),
                    _ => None,
                })
                .unwrap_or(false);
            let (find_arg, text) = if is_smaller {
                (format!("-{bytes}c"), format!("smaller than {spoken}"))
            } else {
                (
                    format!("+{}", find_size_unit(bytes)),
                    format!("larger than {spoken}"),
                )
            };
            Some(SizeFilter { find_arg, text })
        })
    }

    /// An age condition ("older than 7 days", "modified today", "last week").
    pub fn age_filter(&self) -> Option<AgeFilter> {
        let filter = self
            .cache
            .age
            .get_or_init(|| self.find_age_filter())
            .clone();
        if filter.as_ref().is_some_and(|f| f.is_negated) {
            // Whoever takes the filter takes "not modified" with it.
            self.note_negation_read();
        }
        filter
    }

    fn find_age_filter(&self) -> Option<AgeFilter> {
        let filter = self.plain_age_filter()?;
        // "not modified in the last 10 days" means older than 10 days.
        let is_negated = self.has_any(&[
            "not modified",
            "not changed",
            "not touched",
            "not edited",
            "not been",
            "havent been",
            "hasnt been",
            "havent changed",
            "hasnt changed",
            "havent touched",
            "untouched",
            "unchanged",
            "not used",
        ]);
        // "not touched for over a year" already means old: only a recent
        // window ("in the last 10 days") turns around.
        let [flag, value] = filter.find_args.clone();
        let Some(days) = value.strip_prefix('-').filter(|_| is_negated) else {
            return Some(AgeFilter {
                is_negated,
                ..filter
            });
        };
        Some(AgeFilter {
            find_args: [flag, format!("+{days}")],
            text: format!("not {}", filter.text),
            is_negated,
        })
    }

    fn plain_age_filter(&self) -> Option<AgeFilter> {
        let text = self.lower_text();
        if let Some(caps) = AGE_NUMBER.as_ref().and_then(|regex| regex.captures(&text)) {
            let is_older = matches!(&caps[1], "older than" | "more than" | "over" | "at least")
                || caps.get(4).is_some();
            return age(&caps[2], &caps[3], is_older);
        }
        if let Some(caps) = AGE_NUMBER_OLD
            .as_ref()
            .and_then(|regex| regex.captures(&text))
        {
            return age(&caps[1], &caps[2], true);
        }
        let spans = [
            (
                &["today", "modified today"][..],
                ("-mtime", "-1"),
                "modified in the last 24 hours",
            ),
            (
                &["last day", "past day"][..],
                ("-mtime", "-1"),
                "modified in the last 24 hours",
            ),
            (
                &["last hour", "past hour"][..],
                ("-mmin", "-60"),
                "modified in the last hour",
            ),
            (
                &["yesterday", "since yesterday"][..],
                ("-mtime", "-2"),
                "modified since yesterday",
            ),
            (
                &["last week", "this week"][..],
                ("-mtime", "-7"),
                "modified in the last 7 days",
            ),
            (
                &["past week", "recently"][..],
                ("-mtime", "-7"),
                "modified in the last 7 days",
            ),
            (
                &["last month", "this month", "past month"][..],
                ("-mtime", "-30"),
                "modified in the last 30 days",
            ),
            (
                &["last year", "this year", "past year"][..],
                ("-mtime", "-365"),
                "modified in the last 365 days",
            ),
        ];
        // "the most recently modified files" ranks by time, it sets no age.
        let ranked = self.has_any(&["most recently", "least recently"]);
        spans
            .iter()
            .find(|(phrases, _, _)| {
                phrases
                    .iter()
                    .any(|phrase| self.has(phrase) && !(ranked && *phrase == "recently"))
            })
            .map(|(_, (flag, value), text)| AgeFilter {
                find_args: [(*flag).to_owned(), (*value).to_owned()],
                text: (*text).to_owned(),
                is_negated: false,
            })
    }

    /// An integer count ("top 5", "last 20 lines"): the first bare number not
    /// used as a size, age, port or pid.
    pub fn count(&self) -> Option<u32> {
        self.tokens.iter().enumerate().find_map(|(index, token)| {
            let number = token
                .lower
                .parse::<u32>()
                .ok()
                .filter(|_| !token.is_quoted)?;
            let previous = self.lower(index.wrapping_sub(1));
            let next = self.lower(index + 1);
            let is_other = matches!(previous, "port" | "pid" | "process" | "kill" | "than")
                || is_match(&SIZE, &format!("{number}{next}"))
                || ["minute", "min", "hour", "day", "week", "month", "year"]
                    .iter()
                    .any(|unit| next.trim_end_matches('s') == *unit);
            (!is_other).then_some(number)
        })
    }

    /// A TCP port ("port 8080", ":3000").
    pub fn port(&self) -> Option<u16> {
        self.tokens.iter().enumerate().find_map(|(index, token)| {
            let after_word = matches!(self.lower(index.wrapping_sub(1)), "port" | "ports")
                || (matches!(self.lower(index.wrapping_sub(1)), "on" | "at")
                    && self.has_any(&["listening", "listens", "running on", "bound", "serving"]));
            let digits = if after_word {
                token.lower.as_str()
            } else {
                token.lower.strip_prefix(':')?
            };
            digits.parse::<u16>().ok().filter(|port| *port > 0)
        })
    }

    /// A process id ("pid 1234", "process 1234", "kill 1234").
    pub fn pid(&self) -> Option<u32> {
        self.tokens.iter().enumerate().find_map(|(index, token)| {
            let previous = self.lower(index.wrapping_sub(1));
            let is_pid_word = matches!(previous, "pid" | "process" | "kill" | "id" | "-9");
            is_pid_word
                .then(|| token.lower.parse::<u32>().ok())
                .flatten()
                .filter(|pid| *pid > 1)
        })
    }
}

fn size_bytes(whole: &str, fraction: &str, unit: &str) -> Option<u64> {
    let multiplier: u64 = match unit.chars().next()? {
        'k' => 1 << 10,
        'm' => 1 << 20,
        'g' => 1 << 30,
        't' => 1 << 40,
        _ => 1,
    };
    let whole: u64 = whole.parse().ok()?;
    let scale = 10u64.pow(u32::try_from(fraction.len()).ok()?);
    let fraction: u64 = if fraction.is_empty() {
        0
    } else {
        fraction.parse().ok()?
    };
    whole
        .checked_mul(multiplier)?
        .checked_add(fraction.checked_mul(multiplier)? / scale)
}

fn find_size_unit(bytes: u64) -> String {
    let units = [(1u64 << 30, 'G'), (1 << 20, 'M'), (1 << 10, 'k')];
    units
        .iter()
        .find(|(size, _)| bytes >= *size && bytes.is_multiple_of(*size))
        .map_or_else(
            || format!("{bytes}c"),
            |(size, unit)| format!("{}{unit}", bytes / size),
        )
}

/// A small count written as digits or a word ("two", "a couple of").
fn small_number(word: &str) -> Option<u32> {
    let n = match word {
        "a" | "an" | "one" => 1,
        "two" | "couple of" => 2,
        "three" | "few" => 3,
        "four" => 4,
        "five" => 5,
        "six" => 6,
        "seven" => 7,
        "eight" => 8,
        "nine" => 9,
        "ten" => 10,
        "twelve" => 12,
        digits => return digits.parse().ok(),
    };
    Some(n)
}

fn age(number: &str, unit: &str, is_older: bool) -> Option<AgeFilter> {
    let n: u32 = small_number(number)?;
    let (flag, amount, unit_text) = match unit {
        "minute" | "min" => ("-mmin", n, "minutes"),
        "hour" => ("-mmin", n.checked_mul(60)?, "hours"),
        "day" => ("-mtime", n, "days"),
        "week" => ("-mtime", n.checked_mul(7)?, "weeks"),
        "month" => ("-mtime", n.checked_mul(30)?, "months"),
        _ => ("-mtime", n.checked_mul(365)?, "years"),
    };
    let (sign, text) = if is_older {
        ('+', format!("modified more than {n} {unit_text} ago"))
    } else {
        ('-', format!("modified in the last {n} {unit_text}"))
    };
    Some(AgeFilter {
        find_args: [flag.to_owned(), format!("{sign}{amount}")],
        text,
        is_negated: false,
    })
}
