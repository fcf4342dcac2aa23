//! Whether the running kernel supports Landlock, and which ABI. Detected
//! once, logged once, and shown on the Settings page.

use std::sync::OnceLock;

use landlock::{ABI, RestrictSelf};
use serde::Serialize;

/// Landlock support of the running kernel.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum LandlockStatus {
    /// Landlock works; steps get filesystem rules.
    Available {
        /// The kernel's Landlock ABI version (1 = Linux 5.13, 4 = 6.7, …).
        abi: u8,
        /// Whether the ABI can deny TCP connect and bind (ABI 4 and later).
        network: bool,
    },
    /// Landlock cannot be used; steps get rlimits and `no_new_privs` only,
    /// and every non-safe step needs approval (or is refused, with
    /// `sandbox.require_landlock`).
    Unavailable {
        /// Why, in words for the Settings page.
        reason: String,
    },
}

/// ABIs this build knows, newest first, with their version numbers.
const KNOWN_ABIS: [(ABI, u8); 10] = [
    (ABI::V10, 10),
    (ABI::V9, 9),
    (ABI::V8, 8),
    (ABI::V7, 7),
    (ABI::V6, 6),
    (ABI::V5, 5),
    (ABI::V4, 4),
    (ABI::V3, 3),
    (ABI::V2, 2),
    (ABI::V1, 1),
];

/// The kernel's Landlock support, detected on the first call (which logs it)
/// and remembered for the life of the process.
pub fn landlock_status() -> LandlockStatus {
    static STATUS: OnceLock<LandlockStatus> = OnceLock::new();
    STATUS
        .get_or_init(|| {
            let status = detect();
            match &status {
                LandlockStatus::Available { abi, network } => {
                    tracing::info!(abi, network, "Landlock available; steps are confined");
                }
                LandlockStatus::Unavailable { reason } => {
                    tracing::warn!(%reason, "Landlock unavailable; steps get rlimits only");
                }
            }
            status
        })
        .clone()
}

fn detect() -> LandlockStatus {
    // With no flags and `no_new_privs(false)`, `apply` only probes the kernel
    // (`landlock_create_ruleset(NULL, 0, VERSION)`); it restricts nothing.
    let probe = match RestrictSelf::default().no_new_privs(false).apply() {
        Ok(status) => status.landlock,
        Err(error) => {
            return LandlockStatus::Unavailable {
                reason: format!("probing Landlock failed: {error}"),
            };
        }
    };
    match probe {
        landlock::LandlockStatus::Available {
            effective_abi,
            kernel_abi,
        } => {
            let known = KNOWN_ABIS
                .iter()
                .find(|(abi, _)| effective_abi >= *abi)
                .map_or(0, |(_, number)| *number);
            let abi = kernel_abi
                .and_then(|v| u8::try_from(v).ok())
                .unwrap_or(known);
            LandlockStatus::Available {
                abi,
                network: effective_abi >= ABI::V4,
            }
        }
        landlock::LandlockStatus::NotEnabled => LandlockStatus::Unavailable {
            reason: "the kernel has Landlock but it is not enabled \
                     (add `landlock` to the `lsm=` boot parameter)"
                .to_owned(),
        },
        landlock::LandlockStatus::NotImplemented => LandlockStatus::Unavailable {
            reason: "the kernel was built without Landlock \
                     (Linux 5.13 or later with CONFIG_SECURITY_LANDLOCK is needed)"
                .to_owned(),
        },
    }
}

/// Whether steps are confined by Landlock on this machine.
pub fn is_confining() -> bool {
    matches!(landlock_status(), LandlockStatus::Available { .. })
}
