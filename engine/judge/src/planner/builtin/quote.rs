//! Shell quoting for the commands the built-in planner writes. Every piece of
//! user text that reaches a bash step goes through [`quote`]; nothing else in
//! the planner may splice user text into a command.

/// Characters that never need quoting in a bash word.
fn is_plain(c: char) -> bool {
    c.is_ascii_alphanumeric()
        || matches!(c, '_' | '.' | '/' | ':' | '=' | '@' | '%' | '+' | ',' | '-')
}

/// Quotes `text` as exactly one bash word.
///
/// Plain words (letters, digits and `_./:=@%+,-`, not starting with `-`) stay
/// as they are so commands remain readable; anything else is wrapped in single
/// quotes, with embedded single quotes written as `'\''`. A leading `-` is
/// quoted too, but callers still put `--` before operands so that a file named
/// `-rf` is never read as an option.
pub(crate) fn quote(text: &str) -> String {
    if !text.is_empty() && !text.starts_with('-') && text.chars().all(is_plain) {
        return text.to_owned();
    }
    format!("'{}'", text.replace('\'', r"'\''"))
}

#[cfg(test)]
mod tests {
    use super::quote;

    #[test]
    fn plain_words_stay_readable() {
        assert_eq!(quote("/home/u/src/main.rs"), "/home/u/src/main.rs");
        assert_eq!(quote("v1.2.0"), "v1.2.0");
    }

    #[test]
    fn special_characters_are_single_quoted() {
        let cases = [
            ("", "''"),
            ("a b", "'a b'"),
            ("*.log", "'*.log'"),
            ("$HOME", "'$HOME'"),
            ("-rf", "'-rf'"),
            ("it's", r"'it'\''s'"),
            ("x'; rm -rf ~", r"'x'\''; rm -rf ~'"),
            ("a\nb", "'a\nb'"),
        ];
        for (input, expected) in cases {
            assert_eq!(quote(input), expected, "quoting {input:?}");
        }
    }
}
