//! `~` expansion with this machine's accounts: the judge's pure expansion
//! (`judge::typed_path`) given a lookup in `/etc/passwd`.

use std::path::{Path, PathBuf};

use judge::typed_path::home_in_passwd;
pub use judge::typed_path::normalize;

/// The home folder of account `user` in `/etc/passwd`.
pub fn account_home(user: &str) -> Option<PathBuf> {
    let passwd = std::fs::read_to_string("/etc/passwd").ok()?;
    home_in_passwd(&passwd, user)
}

/// `raw` with its leading `~` or `~name` expanded, or `None` when it has
/// none or names no account of this machine.
pub fn expand_tilde(raw: &str, home: &Path) -> Option<PathBuf> {
    judge::typed_path::expand_tilde(raw, home, account_home)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn this_machine_knows_root() {
        // Every Linux passwd names root's home; the real lookup must find it.
        let root = expand_tilde("~root", Path::new("/home/me"));
        assert!(root.is_some_and(|path| path.is_absolute()));
    }
}
