//! File type categories, decided from the file name alone (extension or a
//! few well-known names). It never opens a file.

use serde::{Deserialize, Serialize};

/// The kind of a file, as shown in a directory summary.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FileCategory {
    /// Pictures and drawings (`png`, `jpg`, `svg`, …).
    Images,
    /// Text and office documents (`pdf`, `md`, `docx`, …).
    Documents,
    /// Source code, scripts and build files.
    Code,
    /// Structured data and configuration (`json`, `csv`, `toml`, databases).
    Data,
    /// Compressed archives and packages.
    Archives,
    /// Sound files.
    Audio,
    /// Films and screen recordings.
    Video,
    /// Everything else.
    Other,
}

impl FileCategory {
    /// Every category, in the order used for per-directory counters.
    pub const ALL: [FileCategory; 8] = [
        FileCategory::Images,
        FileCategory::Documents,
        FileCategory::Code,
        FileCategory::Data,
        FileCategory::Archives,
        FileCategory::Audio,
        FileCategory::Video,
        FileCategory::Other,
    ];

    /// Position of this category in [`FileCategory::ALL`].
    pub fn index(self) -> usize {
        match self {
            FileCategory::Images => 0,
            FileCategory::Documents => 1,
            FileCategory::Code => 2,
            FileCategory::Data => 3,
            FileCategory::Archives => 4,
            FileCategory::Audio => 5,
            FileCategory::Video => 6,
            FileCategory::Other => 7,
        }
    }

    /// The category's name in lowercase, which is also the folder
    /// organizing by type moves its files into.
    pub fn name(self) -> &'static str {
        match self {
            FileCategory::Images => "images",
            FileCategory::Documents => "documents",
            FileCategory::Code => "code",
            FileCategory::Data => "data",
            FileCategory::Archives => "archives",
            FileCategory::Audio => "audio",
            FileCategory::Video => "video",
            FileCategory::Other => "other",
        }
    }

    /// The lowercase extensions that make a file of this category (none for
    /// [`FileCategory::Other`]).
    pub fn extensions(self) -> &'static [&'static str] {
        TABLE
            .iter()
            .find(|(category, _)| *category == self)
            .map_or(&[], |(_, extensions)| extensions)
    }

    /// Classifies a file by its name.
    pub fn of_name(name: &str) -> FileCategory {
        if CODE_NAMES.contains(&name) {
            return FileCategory::Code;
        }
        let Some((_, extension)) = name.rsplit_once('.') else {
            return FileCategory::Other;
        };
        let extension = extension.to_ascii_lowercase();
        let extension = extension.as_str();
        TABLE
            .iter()
            .find(|(_, extensions)| extensions.contains(&extension))
            .map_or(FileCategory::Other, |(category, _)| *category)
    }
}

const CODE_NAMES: &[&str] = &[
    "Makefile",
    "makefile",
    "Dockerfile",
    "Containerfile",
    "Justfile",
    "justfile",
    "Rakefile",
    "Gemfile",
    "CMakeLists.txt",
];

const TABLE: &[(FileCategory, &[&str])] = &[
    (
        FileCategory::Images,
        &[
            "png", "jpg", "jpeg", "gif", "bmp", "svg", "webp", "ico", "tif", "tiff", "heic",
            "avif", "psd", "xcf", "raw", "cr2", "nef",
        ],
    ),
    (
        FileCategory::Documents,
        &[
            "pdf", "doc", "docx", "odt", "rtf", "txt", "md", "markdown", "rst", "tex", "epub",
            "ppt", "pptx", "odp", "org", "adoc",
        ],
    ),
    (
        FileCategory::Code,
        &[
            "rs", "py", "js", "mjs", "cjs", "ts", "tsx", "jsx", "go", "c", "h", "cc", "cpp", "cxx",
            "hpp", "java", "kt", "kts", "swift", "rb", "php", "sh", "bash", "zsh", "fish", "lua",
            "pl", "pm", "scala", "cs", "fs", "m", "mm", "sql", "html", "htm", "css", "scss",
            "sass", "less", "vue", "svelte", "ex", "exs", "erl", "hs", "ml", "clj", "dart", "r",
            "jl", "zig", "nim", "ps1", "bat", "cmake", "gradle", "proto", "wasm",
        ],
    ),
    (
        FileCategory::Data,
        &[
            "json", "jsonl", "ndjson", "csv", "tsv", "xml", "yaml", "yml", "toml", "ini", "cfg",
            "conf", "lock", "parquet", "avro", "arrow", "feather", "sqlite", "sqlite3", "db",
            "xls", "xlsx", "ods", "h5", "hdf5", "npy", "npz", "pkl", "env",
        ],
    ),
    (
        FileCategory::Archives,
        &[
            "zip", "tar", "gz", "tgz", "bz2", "xz", "zst", "7z", "rar", "jar", "war", "deb", "rpm",
            "iso", "dmg", "lz4", "crate", "whl",
        ],
    ),
    (
        FileCategory::Audio,
        &[
            "mp3", "wav", "flac", "ogg", "oga", "m4a", "aac", "opus", "wma", "aiff", "mid", "midi",
        ],
    ),
    (
        FileCategory::Video,
        &[
            "mp4", "mkv", "mov", "avi", "webm", "wmv", "flv", "m4v", "mpeg", "mpg", "3gp",
        ],
    ),
];

#[cfg(test)]
mod tests {
    use super::*;
    use pretty_assertions::assert_eq;

    #[test]
    fn names_map_to_categories() {
        let cases = [
            ("photo.JPG", FileCategory::Images),
            ("report.pdf", FileCategory::Documents),
            ("main.rs", FileCategory::Code),
            ("Makefile", FileCategory::Code),
            ("Cargo.lock", FileCategory::Data),
            ("backup.tar.gz", FileCategory::Archives),
            ("song.flac", FileCategory::Audio),
            ("clip.webm", FileCategory::Video),
            ("README", FileCategory::Other),
            ("id_rsa", FileCategory::Other),
            (".env", FileCategory::Data),
        ];
        for (name, expected) in cases {
            assert_eq!(FileCategory::of_name(name), expected, "name: {name}");
        }
    }

    #[test]
    fn names_are_the_serde_names_and_extensions_classify_back() {
        for category in FileCategory::ALL {
            let json = serde_json::to_string(&category).unwrap_or_default();
            assert_eq!(json, format!("\"{}\"", category.name()));
            for extension in category.extensions() {
                assert_eq!(FileCategory::of_name(&format!("a.{extension}")), category);
            }
        }
        assert!(FileCategory::Other.extensions().is_empty());
    }

    #[test]
    fn index_matches_all_order() {
        for (position, category) in FileCategory::ALL.iter().enumerate() {
            assert_eq!(category.index(), position, "{category:?}");
        }
    }
}
