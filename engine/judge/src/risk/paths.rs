//! Lexical path resolution against a [`Scope`]: `~` and `$HOME` become the home
//! directory, relative paths join the working directory and `..` is folded
//! without touching the filesystem.

use std::path::{Component, Path, PathBuf};

use super::Scope;
use crate::shell::is_dynamic;

/// Directories whose recursive deletion, move or permission change is refused.
const SYSTEM_DIRS: &[&str] = &[
    "/", "/bin", "/boot", "/dev", "/etc", "/home", "/lib", "/lib32", "/lib64", "/opt", "/proc",
    "/root", "/sbin", "/srv", "/sys", "/usr", "/var",
];

/// Device prefixes that are disks: writing to them destroys file systems.
const BLOCK_DEVICES: &[&str] = &[
    "/dev/sd",
    "/dev/nvme",
    "/dev/hd",
    "/dev/vd",
    "/dev/xvd",
    "/dev/mmcblk",
    "/dev/disk",
    "/dev/mapper/",
    "/dev/dm-",
    "/dev/md",
    "/dev/loop",
    "/dev/sr",
    "/dev/mem",
    "/dev/kmem",
    "/dev/port",
    "/dev/root",
    "/dev/nbd",
    "/dev/sg",
    "/dev/block/",
    "/dev/rbd",
    "/dev/zd",
    "/dev/zram",
    "/dev/pmem",
    "/dev/bcache",
    "/dev/mtd",
    "/dev/ubi",
];

/// Folders of `/dev` that hold no disks; any other `/dev/GROUP/NAME` is
/// taken for one (LVM names its volumes `/dev/VG/LV`).
const DEVICE_GROUPS_WITHOUT_DISKS: &[&str] = &[
    "pts",
    "shm",
    "mqueue",
    "hugepages",
    "input",
    "snd",
    "dri",
    "net",
    "bus",
    "char",
    "serial",
    "v4l",
    "usb",
    "cpu",
    "vfio",
    "hidraw",
    "fd",
];

/// Whether writing to `path` writes a disk.
fn is_block_device(path: &Path) -> bool {
    let text = path.to_string_lossy();
    if BLOCK_DEVICES.iter().any(|dev| text.starts_with(dev)) {
        return true;
    }
    let mut parts = path
        .components()
        .skip(1)
        .map(|c| c.as_os_str().to_string_lossy());
    match (parts.next(), parts.next(), parts.next()) {
        (Some(dev), Some(group), Some(_)) => {
            dev == "dev" && !DEVICE_GROUPS_WITHOUT_DISKS.contains(&group.as_ref())
        }
        _ => false,
    }
}

/// Devices that are harmless to write to.
const HARMLESS_DEVICES: &[&str] = &[
    "/dev/null",
    "/dev/stdout",
    "/dev/stderr",
    "/dev/tty",
    "/dev/zero",
];

/// Resolves `word` to an absolute, lexically normalized path, or `None` when it
/// is only known at run time. A trailing glob component (`/etc/*`) is dropped,
/// so the result is the directory the glob lives in.
pub fn resolve(scope: &Scope, cwd: &Path, word: &str) -> Option<PathBuf> {
    let home_relative = if word == "~" || word.starts_with("~/") {
        word.get(1..)
    } else {
        home_expansion_rest(word)
    };
    let rest = home_relative.unwrap_or(word);
    if is_dynamic(rest) || rest.starts_with('~') {
        return None;
    }
    let joined = match home_relative {
        Some(rest) => scope.home.join(rest.trim_start_matches('/')),
        None => cwd.join(rest),
    };
    let mut out = PathBuf::from("/");
    for component in joined.components() {
        match component {
            Component::ParentDir => {
                out.pop();
            }
            Component::Normal(part) if part.to_string_lossy().contains(['*', '?', '[']) => break,
            Component::Normal(part) => out.push(part),
            Component::RootDir | Component::CurDir | Component::Prefix(_) => {}
        }
    }
    Some(out)
}

/// The rest of a word that starts with an expansion of `$HOME` (`$HOME/x`,
/// `${HOME}`, `${HOME:-/}`, `${HOME%/}`): `""` or `/…`.
fn home_expansion_rest(word: &str) -> Option<&str> {
    let rest = if let Some(rest) = word.strip_prefix("${HOME") {
        let close = rest.find('}')?;
        &rest[close + 1..]
    } else {
        word.strip_prefix("$HOME")?
    };
    (rest.is_empty() || rest.starts_with('/')).then_some(rest)
}

/// Whether a word names some user's home directory itself: `~`, `~/`,
/// `~bob`, `~$USER`, `$HOME`, `${HOME:-x}`.
pub fn is_home_word(word: &str) -> bool {
    let word = word.trim_end_matches('/');
    (word.starts_with('~') && !word.contains('/')) || home_expansion_rest(word) == Some("")
}

/// Places under the home directory that hold credentials, whatever their
/// files are called (`.ssh` has public files too: see [`is_secret`]).
const HOME_SECRETS: &[&str] = &[
    ".ssh",
    ".aws/credentials",
    ".aws/sso/cache",
    ".gnupg",
    ".git-credentials",
    ".docker/config.json",
    ".kube/config",
    ".config/gh/hosts.yml",
    ".config/gcloud",
    ".azure",
    ".vault-token",
    ".npmrc",
    ".pypirc",
    ".cargo/credentials",
    ".config/git/credentials",
    ".gem/credentials",
    ".s3cfg",
    ".config/rclone",
    ".cargo/credentials.toml",
    ".terraform.d/credentials.tfrc.json",
    ".password-store",
    ".local/share/keyrings",
    ".my.cnf",
    ".local/share/devos",
    ".config/devos",
];

/// System files that hold password hashes or host keys.
const SYSTEM_SECRETS: &[&str] = &[
    "/etc/shadow",
    "/etc/shadow-",
    "/etc/gshadow",
    "/etc/gshadow-",
    "/etc/ssh",
    // Container and orchestrator secrets, and every process's environment.
    "/run/secrets",
    "/var/run/secrets",
];

/// Names a credentials file is likely to have; a glob that could match one
/// of them reads it ([`glob_may_match_secret`]).
const SECRET_SAMPLES: &[&str] = &[
    ".env",
    ".env.local",
    ".env.production",
    ".envrc",
    ".netrc",
    ".pgpass",
    ".htpasswd",
    ".git-credentials",
    "credentials",
    "id_rsa",
    "id_ed25519",
    "id_ecdsa",
    "server.pem",
    "server.key",
    "cert.p12",
];

/// File names that are credentials wherever they are.
const SECRET_NAMES: &[&str] = &[
    ".netrc",
    ".pgpass",
    ".htpasswd",
    "id_rsa",
    "id_dsa",
    "id_ecdsa",
    "id_ecdsa_sk",
    "id_ed25519",
    "id_ed25519_sk",
];

/// File name endings of keys and certificates with their private parts.
const SECRET_SUFFIXES: &[&str] = &[".pem", ".key", ".p12", ".pfx", ".jks", ".keystore"];

/// Whether reading `path` would show credentials: keys, tokens, passwords
/// and DevOS's own data.
pub fn is_secret(scope: &Scope, path: &Path) -> bool {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy())
        .unwrap_or_default();
    // This account's home and every other one (`/root`, `/home/*`).
    let homes = std::iter::once(scope.home.clone()).chain(other_home(path));
    for home in homes {
        if path.starts_with(home.join(".ssh")) {
            return !name.ends_with(".pub") && name != "known_hosts" && name != "config";
        }
        if HOME_SECRETS
            .iter()
            .any(|rel| path.starts_with(home.join(rel)))
        {
            return true;
        }
    }
    if path.starts_with("/etc/ssh") {
        return name.starts_with("ssh_host_") && !name.ends_with(".pub");
    }
    let is_environ = path.starts_with("/proc") && name == "environ";
    is_environ || SYSTEM_SECRETS.iter().any(|file| path.starts_with(file)) || is_secret_name(&name)
}

/// The home folder `path` lies in when it is another account's: `/root`
/// or `/home/NAME`.
fn other_home(path: &Path) -> Option<PathBuf> {
    let mut parts = path.components().skip(1);
    match parts.next()?.as_os_str().to_str()? {
        "root" => Some(PathBuf::from("/root")),
        "home" => Some(Path::new("/home").join(parts.next()?.as_os_str())),
        _ => None,
    }
}

/// Whether `word`, a path the engine cannot resolve (`~root/…`, `$X/…`),
/// ends in one of the places of credentials in a home.
pub fn names_home_secret(word: &str) -> bool {
    word.contains("/.ssh/")
        || HOME_SECRETS
            .iter()
            .any(|rel| word.ends_with(&format!("/{rel}")) || word.contains(&format!("/{rel}/")))
}

/// Whether a file called `name` holds credentials wherever it is.
pub fn is_secret_name(name: &str) -> bool {
    name == ".env"
        || name == ".envrc"
        || (name.starts_with(".env.") && !name.ends_with(".example"))
        || SECRET_NAMES.contains(&name)
        || SECRET_SUFFIXES.iter().any(|suffix| name.ends_with(suffix))
}

/// Whether the glob `pattern` (one path component: `.env*`, `*.pem`,
/// `.e[n]v`) could match the name of a credentials file.
///
/// Only a pattern aimed at such names counts: one that also matches
/// ordinary names (`*`, `.[!.]*`) would make every `ls *` ask. A pattern
/// that does not start with a dot never matches a dot name, as in bash
/// without `dotglob`.
pub fn glob_may_match_secret(pattern: &str) -> bool {
    const ORDINARY: [&str; 8] = [
        ".bashrc",
        ".gitignore",
        ".config",
        "README.md",
        "main.rs",
        "notes.txt",
        "Makefile",
        "data.json",
    ];
    let matches = |name: &str| {
        (pattern.starts_with('.') || !name.starts_with('.'))
            && glob_matches(pattern.as_bytes(), name.as_bytes())
    };
    !ORDINARY.iter().any(|name| matches(name)) && SECRET_SAMPLES.iter().any(|name| matches(name))
}

/// Shell pattern matching of one component: `*`, `?`, `[…]` (with `!`/`^`
/// and ranges); a leading dot is matched like any other character, as
/// with `dotglob`.
fn glob_matches(pattern: &[u8], name: &[u8]) -> bool {
    match pattern.split_first() {
        None => name.is_empty(),
        Some((b'*', rest)) => (0..=name.len()).any(|skip| glob_matches(rest, &name[skip..])),
        Some((b'?', rest)) => !name.is_empty() && glob_matches(rest, &name[1..]),
        Some((b'[', rest)) => {
            let Some(close) = rest.iter().skip(1).position(|&b| b == b']').map(|i| i + 1) else {
                return name.first() == Some(&b'[') && glob_matches(rest, &name[1..]);
            };
            let (set, after) = (&rest[..close], &rest[close + 1..]);
            let (negated, set) = match set.split_first() {
                Some((b'!' | b'^', tail)) => (true, tail),
                _ => (false, set),
            };
            let Some(&c) = name.first() else {
                return false;
            };
            let mut found = false;
            let mut i = 0;
            while i < set.len() {
                if i + 2 < set.len() && set[i + 1] == b'-' {
                    found |= (set[i]..=set[i + 2]).contains(&c);
                    i += 3;
                } else {
                    found |= set[i] == c;
                    i += 1;
                }
            }
            found != negated && glob_matches(after, &name[1..])
        }
        Some((b'\\', rest)) if !rest.is_empty() => {
            name.first() == Some(&rest[0]) && glob_matches(&rest[1..], &name[1..])
        }
        Some((&b, rest)) => name.first() == Some(&b) && glob_matches(rest, &name[1..]),
    }
}

/// Whether reading everything under the directory `path` would show
/// credentials: it is secret, or one of the known places of credentials
/// lies below it. With `skips_hidden` (`rg` without `--hidden`, a glob not
/// starting with a dot) a place below a hidden directory does not count.
pub fn holds_secrets(scope: &Scope, path: &Path, skips_hidden: bool) -> bool {
    let reachable = |place: &Path| {
        place.strip_prefix(path).is_ok_and(|below| {
            !skips_hidden
                || below
                    .components()
                    .all(|part| !part.as_os_str().to_string_lossy().starts_with('.'))
        })
    };
    is_secret(scope, path)
        || HOME_SECRETS
            .iter()
            .any(|rel| reachable(&scope.home.join(rel)))
        || SYSTEM_SECRETS.iter().any(|file| reachable(Path::new(file)))
}

/// Whether `path` is inside one of the scope's write roots.
pub fn is_inside_roots(scope: &Scope, path: &Path) -> bool {
    scope.write_roots.iter().any(|root| {
        resolve(scope, &scope.cwd, &root.to_string_lossy()).is_some_and(|r| path.starts_with(r))
    })
}

/// Whether `path` is the root or a system directory (`/usr`, `/etc`, …).
pub fn is_system_dir(path: &Path) -> bool {
    SYSTEM_DIRS.iter().any(|dir| path == Path::new(dir))
}

/// Whether `path` is the root, a system directory, the home directory or one of its ancestors.
pub fn is_critical(scope: &Scope, path: &Path) -> bool {
    is_system_dir(path) || scope.home.starts_with(path)
}

/// What writing to a path means.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WriteTarget {
    /// `/dev/null` and friends.
    Harmless,
    /// A disk or memory device.
    BlockDevice,
    /// `/etc`, `/boot`, `/proc/sysrq-trigger`, `/proc/sys`, `/sys`.
    SystemConfig,
    /// `/dev/fd/N`, `/proc/*/fd/N`, `/dev/stdin`: wherever a descriptor points.
    Descriptor,
    /// Inside the write roots.
    InsideRoots,
    /// Anywhere else, or unknown.
    Outside,
}

/// Classifies a write to `word`.
pub fn classify_write(scope: &Scope, cwd: &Path, word: &str) -> WriteTarget {
    let Some(path) = resolve(scope, cwd, word) else {
        return WriteTarget::Outside;
    };
    let text = path.to_string_lossy();
    let is_proc_fd = path.starts_with("/proc")
        && path
            .components()
            .any(|c| c.as_os_str() == "fd" || c.as_os_str() == "fdinfo");
    if HARMLESS_DEVICES.contains(&text.as_ref()) {
        WriteTarget::Harmless
    } else if path.starts_with("/dev/fd") || path.starts_with("/dev/stdin") || is_proc_fd {
        WriteTarget::Descriptor
    } else if is_block_device(&path) {
        WriteTarget::BlockDevice
    } else if ["/etc", "/boot", "/proc", "/sys"]
        .iter()
        .any(|dir| path.starts_with(dir))
    {
        WriteTarget::SystemConfig
    } else if is_inside_roots(scope, &path) {
        WriteTarget::InsideRoots
    } else {
        WriteTarget::Outside
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::risk::tests::scope;

    #[test]
    fn paths_resolve_lexically_against_cwd_and_home() {
        let s = scope();
        for (word, expected) in [
            ("a.txt", Some("/home/u/project/a.txt")),
            ("./src/../b", Some("/home/u/project/b")),
            ("..", Some("/home/u")),
            ("~", Some("/home/u")),
            ("~/.bashrc", Some("/home/u/.bashrc")),
            ("$HOME/x", Some("/home/u/x")),
            ("/etc/hosts", Some("/etc/hosts")),
            ("/*", Some("/")),
            ("/tmp/../etc", Some("/etc")),
            ("$DIR/x", None),
            ("${HOME}/x", Some("/home/u/x")),
            ("${HOME:-/}", Some("/home/u")),
            ("~bob/x", None),
        ] {
            assert_eq!(
                resolve(&s, &s.cwd, word),
                expected.map(PathBuf::from),
                "{word}"
            );
        }
    }

    #[test]
    fn writes_are_classified_by_where_they_land() {
        let s = scope();
        for (word, expected) in [
            ("out.txt", WriteTarget::InsideRoots),
            ("/tmp/devos-job/x", WriteTarget::InsideRoots),
            ("/dev/null", WriteTarget::Harmless),
            ("/dev/fd/3", WriteTarget::Descriptor),
            ("/proc/self/fd/1", WriteTarget::Descriptor),
            ("/proc/sysrq-trigger", WriteTarget::SystemConfig),
            ("/dev/sda", WriteTarget::BlockDevice),
            ("/dev/nvme0n1p1", WriteTarget::BlockDevice),
            ("/etc/hosts", WriteTarget::SystemConfig),
            ("~/.bashrc", WriteTarget::Outside),
            ("../x", WriteTarget::Outside),
            ("$OUT", WriteTarget::Outside),
        ] {
            assert_eq!(classify_write(&s, &s.cwd, word), expected, "{word}");
        }
    }

    #[test]
    fn home_words_and_secrets_are_recognised() {
        for (word, expected) in [
            ("~", true),
            ("~/", true),
            ("~bob", true),
            ("~$USER", true),
            ("${HOME%/}", true),
            ("~/x", false),
            ("$HOME/x", false),
        ] {
            assert_eq!(is_home_word(word), expected, "{word}");
        }
        let s = scope();
        for (path, expected) in [
            ("/home/u/.ssh/id_ed25519", true),
            ("/home/u/.ssh/id_ed25519.pub", false),
            ("/home/u/.aws/credentials", true),
            ("/home/u/project/.env", true),
            ("/home/u/project/.env.example", false),
            ("/home/u/project/server.pem", true),
            ("/home/u/project/README.md", false),
            ("/home/u/.ssh/known_hosts", false),
            ("/home/u/.config/gcloud/credentials.db", true),
            ("/home/u/.npmrc", true),
            ("/home/u/backup/id_ecdsa", true),
            ("/etc/shadow", true),
            ("/etc/ssh/ssh_host_ed25519_key", true),
            ("/etc/ssh/ssh_host_ed25519_key.pub", false),
            ("/etc/ssh/sshd_config", false),
            ("/etc/passwd", false),
        ] {
            assert_eq!(is_secret(&s, Path::new(path)), expected, "{path}");
        }
    }

    #[test]
    fn a_tree_holds_secrets_when_a_place_of_credentials_lies_below_it() {
        let s = scope();
        for (path, skips_hidden, expected) in [
            ("/home/u", false, true),
            ("/home/u/.aws", false, true),
            ("/home/u/.aws", true, true),
            ("/", false, true),
            ("/etc", false, true),
            ("/home/u", true, false),
            ("/home/u/project", false, false),
            ("/home/u/.cache", false, false),
            ("/usr", false, false),
        ] {
            assert_eq!(
                holds_secrets(&s, Path::new(path), skips_hidden),
                expected,
                "{path} skipping hidden: {skips_hidden}"
            );
        }
    }

    #[test]
    fn home_and_its_ancestors_are_critical() {
        let s = scope();
        for (path, expected) in [
            ("/", true),
            ("/home", true),
            ("/home/u", true),
            ("/etc", true),
            ("/home/u/project", false),
            ("/tmp/x", false),
        ] {
            assert_eq!(is_critical(&s, Path::new(path)), expected, "{path}");
        }
    }
}
