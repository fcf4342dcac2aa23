//! Table tests for the slot extractors, one phrasing per row.

use super::FILE_NAME;
use crate::planner::builtin::amounts::{AGE_NUMBER, AGE_NUMBER_OLD, SIZE};
use crate::planner::builtin::query::Query;
use std::path::{Path, PathBuf};

fn query(text: &str) -> Query<'static> {
    Query::new(text, Path::new("/w/p"), Path::new("/h"))
}

#[test]
fn slot_patterns_compile() {
    for regex in [&FILE_NAME, &SIZE, &AGE_NUMBER, &AGE_NUMBER_OLD] {
        assert!(regex.is_some());
    }
}

#[test]
fn sizes_become_find_arguments() {
    let cases = [
        ("files larger than 10MB", "+10M"),
        ("bigger than 1G", "+1G"),
        ("over 1.5 GB", "+1536M"),
        ("smaller than 2k", "-2048c"),
        ("files under 500 bytes", "-500c"),
    ];
    for (text, expected) in cases {
        let size = query(text).size_filter();
        assert_eq!(
            size.map(|s| s.find_arg),
            Some(expected.to_owned()),
            "{text}"
        );
    }
}

#[test]
fn ages_become_find_arguments() {
    let cases = [
        ("older than 7 days", ["-mtime", "+7"]),
        ("modified in the last 3 days", ["-mtime", "-3"]),
        ("changed within 2 hours", ["-mmin", "-120"]),
        ("files 2 weeks old", ["-mtime", "+14"]),
        ("modified today", ["-mtime", "-1"]),
        ("edited last week", ["-mtime", "-7"]),
    ];
    for (text, expected) in cases {
        let age = query(text).age_filter().map(|a| a.find_args);
        assert_eq!(age, Some(expected.map(str::to_owned)), "{text}");
    }
}

#[test]
fn paths_resolve_against_cwd_and_home() {
    let cases = [
        ("list files in ~/Downloads", "/h/Downloads"),
        ("list files in ~", "/h"),
        ("list files under src", "/w/p/src"),
        ("list files in ../other/./x", "/w/other/x"),
        ("list files in /tmp/x", "/tmp/x"),
        ("list files in Downloads", "/h/Downloads"),
        ("list files in the docs folder", "/w/p/docs"),
        ("ls src/", "/w/p/src"),
        ("list files", "/w/p"),
    ];
    for (text, expected) in cases {
        assert_eq!(query(text).location(), PathBuf::from(expected), "{text}");
    }
}

#[test]
fn counts_ports_and_pids_are_told_apart() {
    let q = query("show the top 5 processes on port 8080");
    assert_eq!((q.count(), q.port()), (Some(5), Some(8080)));
    let q = query("kill process 4321");
    assert_eq!((q.count(), q.pid()), (None, Some(4321)));
    assert_eq!(query("files older than 7 days").count(), None);
}

#[test]
fn name_patterns_come_from_globs_extensions_and_names() {
    let cases: [(&str, &[&str]); 4] = [
        ("find *.log files", &["*.log"]),
        ("find python files", &["*.py"]),
        ("list all .rs files", &["*.rs"]),
        ("find files named notes.txt", &["notes.txt"]),
    ];
    for (text, expected) in cases {
        assert_eq!(query(text).name_patterns(), expected, "{text}");
    }
}

#[test]
fn size_phrasings_become_find_arguments() {
    let cases = [
        ("find files over 1 MB", "+1M"),
        ("files bigger than 500k", "+500k"),
        ("at least 2 gigs", "+2G"),
        ("larger than 3 gigabytes", "+3G"),
        ("more than 10 megs", "+10M"),
        ("anything above 750 kb", "+750k"),
        ("files exceeding 1.5GB", "+1536M"),
        ("smaller than 100 bytes", "-100c"),
        ("less than 2 kilobytes", "-2048c"),
        ("at most 1 mb", "-1048576c"),
        ("under 20k", "-20480c"),
        ("below 1 megabyte", "-1048576c"),
    ];
    for (text, expected) in cases {
        let size = query(text).size_filter().map(|s| s.find_arg);
        assert_eq!(size, Some(expected.to_owned()), "{text}");
    }
}

#[test]
fn words_that_are_not_sizes_give_no_size() {
    for text in [
        "list files over there",
        "files in 2024",
        "top 5 files",
        "the m file",
        "show a.mb",
    ] {
        assert_eq!(query(text).size_filter(), None, "{text}");
    }
}

#[test]
fn age_phrasings_become_find_arguments() {
    let cases = [
        ("older than two weeks", ["-mtime", "+14"]),
        ("older than a month", ["-mtime", "+30"]),
        ("in the last 3 days", ["-mtime", "-3"]),
        ("modified in the past hour", ["-mmin", "-60"]),
        ("since yesterday", ["-mtime", "-2"]),
        ("changed today", ["-mtime", "-1"]),
        ("more than 90 days old", ["-mtime", "+90"]),
        ("files 3 days old", ["-mtime", "+3"]),
        ("edited within the last 30 minutes", ["-mmin", "-30"]),
        ("not touched for over 1 year", ["-mtime", "+365"]),
        ("created in the last five days", ["-mtime", "-5"]),
        ("not modified in the last 10 days", ["-mtime", "+10"]),
        ("untouched for over a year", ["-mtime", "+365"]),
    ];
    for (text, expected) in cases {
        let age = query(text).age_filter().map(|a| a.find_args);
        assert_eq!(age, Some(expected.map(str::to_owned)), "{text}");
    }
}

#[test]
fn selection_words_are_selections_not_paths() {
    let cases = [
        "delete everything",
        "remove all files",
        "trash every file here",
        "move all of it",
        "delete all the contents",
    ];
    for text in cases {
        let q = query(text);
        assert!(q.selects_everything(), "{text}");
        assert_eq!(q.location(), PathBuf::from("/w/p"), "{text}");
    }
    assert!(!query("delete notes.txt").selects_everything());
}

#[test]
fn request_words_never_become_paths() {
    let cases = [
        "delete everything over 1 MB",
        "find files over 1 MB",
        "which files contain the word name",
        "list files in order of name",
        "search for anything in everything",
        "show files with more than 3 lines",
        "list files in the last week",
        "files bigger than 500k in total",
    ];
    for text in cases {
        assert_eq!(query(text).location_slot(), None, "{text}");
    }
}

#[test]
fn places_resolve_with_spaces_quotes_and_home_folders() {
    let cases = [
        ("list files in 'my stuff'", "/w/p/my stuff"),
        (
            "list files in \"Old Projects/site\"",
            "/w/p/Old Projects/site",
        ),
        (
            "what's in '~/Downloads/new folder/'",
            "/h/Downloads/new folder",
        ),
        ("anywhere under src", "/w/p/src"),
        ("in the src folder", "/w/p/src"),
        ("inside ./build", "/w/p/build"),
        ("in my downloads", "/h/Downloads"),
        ("on my desktop", "/h/Desktop"),
        ("here", "/w/p"),
        ("in this folder", "/w/p"),
        ("in this repo", "/w/p"),
    ];
    for (text, expected) in cases {
        assert_eq!(query(text).location(), PathBuf::from(expected), "{text}");
    }
}

#[test]
fn counts_come_from_top_first_and_last() {
    let cases = [
        ("top 5 processes", Some(5)),
        ("first 20 lines of a.txt", Some(20)),
        ("last 3 commits", Some(3)),
        ("the 10 largest files", Some(10)),
        ("files older than 7 days", None),
        ("files over 5 MB", None),
        ("what is on port 8080", None),
    ];
    for (text, expected) in cases {
        assert_eq!(query(text).count(), expected, "{text}");
    }
}

#[test]
fn file_patterns_come_from_every_way_of_naming_a_type() {
    let cases: [(&str, &[&str]); 8] = [
        ("every .log file", &["*.log"]),
        ("the python files", &["*.py"]),
        ("all pdfs", &["*.pdf"]),
        ("*.tmp and *.bak", &["*.tmp", "*.bak"]),
        ("markdown files", &["*.md"]),
        ("the rust code", &["*.rs"]),
        ("csv files", &["*.csv"]),
        ("log files", &["*.log"]),
    ];
    for (text, expected) in cases {
        assert_eq!(query(text).name_patterns(), expected, "{text}");
    }
}
