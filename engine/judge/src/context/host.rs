//! The machine a plan runs on as a snapshot shows it: busy processes,
//! listening sockets, load, memory, OS, tools on `PATH` and the AWS profile.

use std::net::IpAddr;

use serde::{Deserialize, Serialize};

/// Tools plans commonly use, looked up on `PATH` (package managers included).
pub const TOOLS: &[&str] = &[
    "git", "python3", "node", "npm", "docker", "podman", "aws", "rg", "fd", "fdfind", "jq", "curl",
    "wget", "ss", "lsof", "zip", "unzip", "make", "cargo", "go", "ffmpeg", "apt-get", "dnf", "yum",
    "pacman", "zypper", "apk", "brew",
];

/// One process as the context shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProcessInfo {
    /// Process id.
    pub pid: u32,
    /// Executable name.
    pub name: String,
    /// Command line, redacted and shortened.
    pub command: String,
    /// CPU use since the previous refresh, percent of one core.
    pub cpu_percent: f32,
    /// Resident memory.
    pub memory_bytes: u64,
}

/// Load averages over 1, 5 and 15 minutes.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct LoadAverage {
    /// Last minute.
    pub one: f64,
    /// Last 5 minutes.
    pub five: f64,
    /// Last 15 minutes.
    pub fifteen: f64,
}

/// Machine memory totals.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemoryTotals {
    /// Installed memory.
    pub total_bytes: u64,
    /// In use.
    pub used_bytes: u64,
    /// Available for new work.
    pub available_bytes: u64,
}

/// A TCP socket in the LISTEN state.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Listener {
    /// The port.
    pub port: u16,
    /// The local address it is bound to (`0.0.0.0` / `::` for all).
    pub address: IpAddr,
    /// The owning process, when `/proc` shows it.
    pub pid: Option<u32>,
    /// That process's name.
    pub process: Option<String>,
    /// Its command line, redacted and shortened.
    pub command: Option<String>,
}

/// The active AWS profile and region; never credentials.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AwsContext {
    /// `AWS_PROFILE`, else `default` when the config file has that profile.
    pub profile: Option<String>,
    /// `AWS_REGION` / `AWS_DEFAULT_REGION`, else the profile's `region`.
    pub region: Option<String>,
}

/// The environment part of a snapshot.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EnvironmentInfo {
    /// `linux`, `macos`, …
    pub os: String,
    /// `x86_64`, `aarch64`, …
    pub arch: String,
    /// The distribution's pretty name from `/etc/os-release`.
    pub distribution: Option<String>,
    /// Its `ID` and `ID_LIKE` (`fedora`, `debian ubuntu`), which decide the package manager.
    pub distribution_family: Option<String>,
    /// Tools of [`TOOLS`] found on `PATH`.
    pub tools: Vec<String>,
    /// Tools of [`TOOLS`] not found.
    pub missing_tools: Vec<String>,
    /// AWS profile and region, when any is configured.
    pub aws: Option<AwsContext>,
}
