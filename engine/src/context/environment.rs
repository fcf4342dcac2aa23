//! The machine a plan will run on: OS and distribution, which commonly
//! planned tools are on `PATH`, and the active AWS profile and region — so
//! a model does not plan `apt` on Fedora or `rg` where it is missing. It
//! reads `/etc/os-release`, `PATH` directory entries and only the `region`
//! lines of the AWS config file; never the AWS credentials file, never a key.

use std::ffi::OsString;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use judge::context::{AwsContext, EnvironmentInfo, TOOLS};

/// How long a detected environment is reused.
const TTL: Duration = Duration::from_secs(60);

/// Where the environment is read from; [`EnvironmentProbe::from_process`]
/// for the server, explicit values in tests.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnvironmentProbe {
    /// The `PATH` plans run with.
    pub path: Option<OsString>,
    /// `AWS_PROFILE` (or `AWS_DEFAULT_PROFILE`).
    pub aws_profile: Option<String>,
    /// `AWS_REGION` (or `AWS_DEFAULT_REGION`).
    pub aws_region: Option<String>,
    /// `AWS_CONFIG_FILE`, else `~/.aws/config`.
    pub aws_config_file: Option<PathBuf>,
    /// Usually `/etc/os-release`.
    pub os_release: PathBuf,
}

impl EnvironmentProbe {
    /// Reads the variables of this process (read only; nothing is changed).
    pub fn from_process() -> Self {
        let var = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
        Self {
            path: std::env::var_os("PATH"),
            aws_profile: var("AWS_PROFILE").or_else(|| var("AWS_DEFAULT_PROFILE")),
            aws_region: var("AWS_REGION").or_else(|| var("AWS_DEFAULT_REGION")),
            aws_config_file: var("AWS_CONFIG_FILE")
                .map(PathBuf::from)
                .or_else(|| var("HOME").map(|home| Path::new(&home).join(".aws/config"))),
            os_release: PathBuf::from("/etc/os-release"),
        }
    }

    /// Looks everything up now.
    pub fn detect(&self) -> EnvironmentInfo {
        let os_release = std::fs::read_to_string(&self.os_release).unwrap_or_default();
        let field = |key: &str| {
            os_release.lines().find_map(|line| {
                let value = line.strip_prefix(key)?.strip_prefix('=')?;
                Some(value.trim().trim_matches('"').to_owned()).filter(|v| !v.is_empty())
            })
        };
        let family = [field("ID"), field("ID_LIKE")]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(" ");
        let dirs: Vec<PathBuf> = self
            .path
            .as_ref()
            .map(|path| std::env::split_paths(path).collect())
            .unwrap_or_default();
        let (tools, missing_tools): (Vec<&str>, Vec<&str>) = TOOLS
            .iter()
            .partition(|tool| dirs.iter().any(|dir| is_executable(&dir.join(tool))));
        EnvironmentInfo {
            os: std::env::consts::OS.to_owned(),
            arch: std::env::consts::ARCH.to_owned(),
            distribution: field("PRETTY_NAME"),
            distribution_family: Some(family).filter(|f| !f.is_empty()),
            tools: tools.into_iter().map(str::to_owned).collect(),
            missing_tools: missing_tools.into_iter().map(str::to_owned).collect(),
            aws: self.aws(),
        }
    }

    fn aws(&self) -> Option<AwsContext> {
        let config = self
            .aws_config_file
            .as_ref()
            .and_then(|file| std::fs::read_to_string(file).ok())
            .unwrap_or_default();
        let profile = self.aws_profile.clone().or_else(|| {
            config
                .lines()
                .any(|line| line.trim() == "[default]")
                .then(|| "default".to_owned())
        });
        let region = self
            .aws_region
            .clone()
            .or_else(|| profile_region(&config, profile.as_deref().unwrap_or("default")));
        (profile.is_some() || region.is_some()).then_some(AwsContext { profile, region })
    }
}

/// The `region` of `profile` in an AWS config file (`[default]` or `[profile NAME]`).
/// Only that one key is read; nothing else in the file is kept.
fn profile_region(config: &str, profile: &str) -> Option<String> {
    let wanted = if profile == "default" {
        "[default]".to_owned()
    } else {
        format!("[profile {profile}]")
    };
    let mut is_in_profile = false;
    for line in config.lines().map(str::trim) {
        if line.starts_with('[') {
            is_in_profile = line.split_whitespace().collect::<Vec<_>>().join(" ") == wanted;
            continue;
        }
        if !is_in_profile {
            continue;
        }
        if let Some((key, value)) = line.split_once('=')
            && key.trim() == "region"
        {
            let value = value.trim();
            return value
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-')
                .then(|| value.to_owned())
                .filter(|v| !v.is_empty());
        }
    }
    None
}

fn is_executable(path: &Path) -> bool {
    std::fs::metadata(path)
        .is_ok_and(|meta| meta.is_file() && meta.permissions().mode() & 0o111 != 0)
}

/// The detected environment: detected at start, re-detected by
/// [`EnvironmentCache::fresh`] once it is a minute old.
#[derive(Debug)]
pub(crate) struct EnvironmentCache {
    probe: EnvironmentProbe,
    last: Mutex<(Instant, Arc<EnvironmentInfo>)>,
}

impl EnvironmentCache {
    pub(crate) fn new(probe: EnvironmentProbe) -> Self {
        let info = Arc::new(probe.detect());
        Self {
            probe,
            last: Mutex::new((Instant::now(), info)),
        }
    }

    /// The last detection, however old (no I/O).
    pub(crate) fn last(&self) -> Arc<EnvironmentInfo> {
        let last = self.last.lock().unwrap_or_else(PoisonError::into_inner);
        Arc::clone(&last.1)
    }

    /// The environment, detected again when the last detection is over a minute old.
    pub(crate) fn fresh(&self) -> Arc<EnvironmentInfo> {
        let mut last = self.last.lock().unwrap_or_else(PoisonError::into_inner);
        if last.0.elapsed() >= TTL {
            *last = (Instant::now(), Arc::new(self.probe.detect()));
        }
        Arc::clone(&last.1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use pretty_assertions::assert_eq;

    fn probe(dir: &Path) -> EnvironmentProbe {
        EnvironmentProbe {
            path: Some(std::env::join_paths([dir.join("bin"), dir.join("nothing")]).unwrap()),
            aws_profile: None,
            aws_region: None,
            aws_config_file: Some(dir.join("aws-config")),
            os_release: dir.join("os-release"),
        }
    }

    #[test]
    fn tools_distribution_and_aws_region_are_found_without_keys() {
        let dir = tempfile::tempdir().unwrap();
        let bin = dir.path().join("bin");
        std::fs::create_dir(&bin).unwrap();
        for (tool, mode) in [("git", 0o755), ("jq", 0o755), ("rg", 0o644)] {
            std::fs::write(bin.join(tool), "#!/bin/sh\n").unwrap();
            std::fs::set_permissions(bin.join(tool), std::fs::Permissions::from_mode(mode))
                .unwrap();
        }
        std::fs::write(
            dir.path().join("os-release"),
            "NAME=\"Fedora Linux\"\nID=fedora\nPRETTY_NAME=\"Fedora Linux 41 (Workstation Edition)\"\n",
        )
        .unwrap();
        std::fs::write(
            dir.path().join("aws-config"),
            "[default]\nregion = eu-west-1\n\n[profile dev]\nregion=us-west-2\naws_secret_access_key = wJalrXUtnFEMI\n",
        )
        .unwrap();
        let info = probe(dir.path()).detect();
        assert_eq!(info.tools, vec!["git".to_owned(), "jq".to_owned()]);
        assert!(info.missing_tools.contains(&"rg".to_owned()));
        assert_eq!(
            info.distribution.as_deref(),
            Some("Fedora Linux 41 (Workstation Edition)")
        );
        assert_eq!(info.distribution_family.as_deref(), Some("fedora"));
        assert_eq!(
            info.aws,
            Some(AwsContext {
                profile: Some("default".into()),
                region: Some("eu-west-1".into()),
            })
        );
        let dev = EnvironmentProbe {
            aws_profile: Some("dev".into()),
            ..probe(dir.path())
        };
        let json = serde_json::to_string(&dev.detect()).unwrap();
        assert!(json.contains("us-west-2"), "{json}");
        assert!(!json.contains("wJalrXUtnFEMI"), "{json}");
    }

    #[test]
    fn nothing_configured_means_no_aws_part() {
        let dir = tempfile::tempdir().unwrap();
        let info = probe(dir.path()).detect();
        assert_eq!((info.aws, info.distribution), (None, None));
        assert_eq!(info.missing_tools.len(), TOOLS.len());
    }

    #[test]
    fn environment_region_wins_over_the_file() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("aws-config"),
            "[default]\nregion=eu-west-1\n",
        )
        .unwrap();
        let info = EnvironmentProbe {
            aws_region: Some("ap-south-1".into()),
            ..probe(dir.path())
        }
        .detect();
        assert_eq!(
            info.aws.and_then(|aws| aws.region).as_deref(),
            Some("ap-south-1")
        );
    }
}
