//! Quote removal and the small facts about words the walker needs: escapes,
//! ANSI-C strings, brace expansion and globs. Pure string functions.

/// Whether a word's value is only known at run time (expansions, substitutions).
pub fn is_dynamic(word: &str) -> bool {
    word.contains('$') || word.contains('`') || word.contains("<(") || word.contains(">(")
}

/// The last path component of a program word (`/bin/rm` → `rm`).
pub fn basename(word: &str) -> &str {
    if is_dynamic(word) {
        return word;
    }
    word.rsplit('/')
        .next()
        .filter(|b| !b.is_empty())
        .unwrap_or(word)
}

/// Removes backslash escapes from an unquoted word (`\rm` → `rm`).
pub fn unescape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            if let Some(next) = chars.next() {
                out.push(next);
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// Removes the escapes that are special inside double quotes.
pub fn unescape_dquoted(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match (c, chars.peek()) {
            ('\\', Some(&next @ ('"' | '\\' | '`' | '\n'))) => {
                chars.next();
                if next != '\n' {
                    out.push(next);
                }
            }
            _ => out.push(c),
        }
    }
    out
}

/// Decodes the body of `$'…'` the way bash does, or `None` for escapes the
/// engine does not decode (`\c`, `\u`), which make the word unknown.
pub fn decode_ansi_c(body: &str) -> Option<String> {
    let mut out = String::with_capacity(body.len());
    let mut chars = body.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        let escaped = chars.next()?;
        let decoded = match escaped {
            'n' => '\n',
            't' => '\t',
            'r' => '\r',
            'a' => '\u{7}',
            'b' => '\u{8}',
            'e' | 'E' => '\u{1b}',
            'f' => '\u{c}',
            'v' => '\u{b}',
            '\\' | '\'' | '"' | '?' => escaped,
            'x' => {
                let mut value = 0u32;
                let mut digits = 0;
                while digits < 2 {
                    match chars.peek().and_then(|d| d.to_digit(16)) {
                        Some(d) => {
                            value = value * 16 + d;
                            digits += 1;
                            chars.next();
                        }
                        None => break,
                    }
                }
                if digits == 0 {
                    return None;
                }
                char::from_u32(value)?
            }
            '0'..='7' => {
                let mut value = escaped.to_digit(8)?;
                for _ in 0..2 {
                    match chars.peek().and_then(|d| d.to_digit(8)) {
                        Some(d) => {
                            value = value * 8 + d;
                            chars.next();
                        }
                        None => break,
                    }
                }
                char::from_u32(value)?
            }
            _ => return None,
        };
        out.push(decoded);
    }
    Some(out)
}

/// Whether unquoted word text contains a brace expansion (`{a,b}`, `{1..3}`),
/// which bash turns into several words the engine would not see.
pub fn has_brace_expansion(text: &str) -> bool {
    let bytes = text.as_bytes();
    let mut escaped = false;
    for (start, &b) in bytes.iter().enumerate() {
        if escaped {
            escaped = false;
            continue;
        }
        if b == b'\\' {
            escaped = true;
            continue;
        }
        if b == b'{' {
            let inner = &text[start + 1..];
            if let Some(end) = inner.find('}') {
                let body = &inner[..end];
                if body.contains(',') || body.contains("..") {
                    return true;
                }
            }
        }
    }
    false
}

/// Whether unquoted word text has glob characters that bash expands.
pub fn has_glob(text: &str) -> bool {
    let mut escaped = false;
    text.chars().any(|c| {
        let glob = !escaped && matches!(c, '*' | '?' | '[');
        escaped = !escaped && c == '\\';
        glob
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ansi_c_strings_decode_like_bash() {
        for (body, expected) in [
            (r"-\x64elete", Some("-delete")),
            (r"\055rf", Some("-rf")),
            (r"a\tb", Some("a\tb")),
            (r"it\'s", Some("it's")),
            (r"\cA", None),
            (r"\u0041", None),
        ] {
            assert_eq!(decode_ansi_c(body).as_deref(), expected, "{body}");
        }
    }

    #[test]
    fn brace_expansion_is_recognised() {
        for (text, expected) in [
            ("{-delete,}", true),
            ("a{1..3}", true),
            ("x{a,b}y", true),
            ("{}", false),
            ("{x}", false),
            (r"\{a,b}", false),
            ("plain", false),
        ] {
            assert_eq!(has_brace_expansion(text), expected, "{text}");
        }
    }

    #[test]
    fn globs_are_recognised_unless_escaped() {
        assert!(has_glob("*.rs"));
        assert!(has_glob("a?b"));
        assert!(!has_glob(r"\*"));
        assert!(!has_glob("plain"));
    }
}
