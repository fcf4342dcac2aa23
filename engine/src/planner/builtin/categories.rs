//! File-type categories used to organise a directory and to read words such
//! as "images" in a request. Extensions are lowercase; globs are produced in
//! both cases because the executor's globs are case-sensitive.

/// Pictures.
pub(super) const IMAGES: &[&str] = &[
    "jpg", "jpeg", "png", "gif", "bmp", "svg", "webp", "heic", "tif", "tiff", "ico",
];
/// Text documents, office files and e-books.
pub(super) const DOCUMENTS: &[&str] = &[
    "pdf", "doc", "docx", "odt", "rtf", "txt", "md", "xls", "xlsx", "ods", "ppt", "pptx", "odp",
    "epub",
];
/// Source code and scripts.
pub(super) const CODE: &[&str] = &[
    "rs", "py", "js", "ts", "jsx", "tsx", "go", "java", "c", "h", "cpp", "hpp", "cs", "rb", "php",
    "sh", "html", "css", "kt", "swift",
];
/// Structured data.
pub(super) const DATA: &[&str] = &[
    "csv", "json", "xml", "yaml", "yml", "toml", "sql", "sqlite", "db", "parquet",
];
/// Archives and disk images.
pub(super) const ARCHIVES: &[&str] = &[
    "zip", "tar", "gz", "tgz", "bz2", "xz", "7z", "rar", "zst", "iso", "dmg",
];
/// Sound.
pub(super) const AUDIO: &[&str] = &["mp3", "wav", "flac", "aac", "ogg", "m4a", "opus"];
/// Moving pictures.
pub(super) const VIDEO: &[&str] = &["mp4", "mkv", "mov", "avi", "webm", "wmv", "m4v"];

/// The categories in the order organising applies them, with their folder names.
pub(super) const ALL: [(&str, &[&str]); 7] = [
    ("images", IMAGES),
    ("documents", DOCUMENTS),
    ("code", CODE),
    ("data", DATA),
    ("archives", ARCHIVES),
    ("audio", AUDIO),
    ("video", VIDEO),
];

/// `*.ext` and `*.EXT` globs for every extension of a category.
pub(super) fn globs(extensions: &[&str]) -> Vec<String> {
    extensions
        .iter()
        .flat_map(|ext| [format!("*.{ext}"), format!("*.{}", ext.to_uppercase())])
        .collect()
}
