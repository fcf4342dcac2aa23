//! Paths as people and plans type them, made real in one place: `~`
//! expansion (`~` and `~/x` are the DevOS user's home, `~name` and `~name/x`
//! that account's home, found by the lookup the caller gives — the engine's
//! reads `/etc/passwd`; as in bash, a word whose account is unknown is not
//! expanded) and lexical normalisation.

use std::path::{Component, Path, PathBuf};

/// Removes `.` and resolves `..` without touching the disk (`/a/b/../c` → `/a/c`).
pub fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::ParentDir => {
                out.pop();
            }
            Component::CurDir => {}
            Component::Prefix(_) | Component::RootDir | Component::Normal(_) => {
                out.push(component);
            }
        }
    }
    out
}

/// Finds the home folder of a named account, for `~name`.
pub type AccountHome = fn(&str) -> Option<PathBuf>;

/// An [`AccountHome`] that knows no account, so `~name` stays as typed.
pub fn no_accounts(_user: &str) -> Option<PathBuf> {
    None
}

/// `raw` with its leading `~` or `~name` expanded, or `None` when it has
/// none or `account_home` knows no such account.
pub fn expand_tilde(
    raw: &str,
    home: &Path,
    account_home: impl FnOnce(&str) -> Option<PathBuf>,
) -> Option<PathBuf> {
    let rest = raw.strip_prefix('~')?;
    let (user, tail) = rest.split_once('/').unwrap_or((rest, ""));
    let base = if user.is_empty() {
        home.to_path_buf()
    } else {
        account_home(user)?
    };
    let tail = tail.trim_start_matches('/');
    Some(if tail.is_empty() {
        base
    } else {
        base.join(tail)
    })
}

/// The home directory of `user` in the text of an `/etc/passwd` file.
pub fn home_in_passwd(passwd: &str, user: &str) -> Option<PathBuf> {
    passwd.lines().find_map(|line| {
        let mut fields = line.split(':');
        if fields.next()? != user {
            return None;
        }
        // name:password:uid:gid:gecos:home:shell
        let home = fields.nth(4)?;
        (!home.is_empty()).then(|| PathBuf::from(home))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const PASSWD: &str = "root:x:0:0:root:/root:/bin/bash\n\
                          bob:x:1001:1001:Bob,,,:/srv/bob:/bin/sh\n\
                          nohome:x:1002:1002:::/bin/sh\n";

    fn expand(raw: &str) -> Option<PathBuf> {
        expand_tilde(raw, Path::new("/home/me"), |user| {
            home_in_passwd(PASSWD, user)
        })
    }

    #[test]
    fn tilde_words_expand_like_bash() {
        let cases: &[(&str, Option<&str>)] = &[
            ("~", Some("/home/me")),
            ("~/", Some("/home/me")),
            ("~/notes.txt", Some("/home/me/notes.txt")),
            ("~//a/b", Some("/home/me/a/b")),
            ("~bob", Some("/srv/bob")),
            ("~bob/x", Some("/srv/bob/x")),
            ("~root/.bashrc", Some("/root/.bashrc")),
            // Unknown accounts, accounts without a home and other words stay as typed.
            ("~alice/x", None),
            ("~nohome/x", None),
            ("~$USER/x", None),
            ("notes.txt", None),
            ("/abs/~bob", None),
            ("", None),
        ];
        for (raw, expected) in cases {
            assert_eq!(expand(raw), expected.map(PathBuf::from), "{raw}");
        }
    }

    #[test]
    fn without_accounts_only_the_own_home_expands() {
        let home = Path::new("/home/me");
        assert_eq!(
            expand_tilde("~/a", home, no_accounts),
            Some(PathBuf::from("/home/me/a"))
        );
        assert_eq!(expand_tilde("~root/a", home, no_accounts), None);
    }
}
