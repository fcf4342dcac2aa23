//! Plain data the browser receives. Never secrets, hashes or raw context.

use serde::{Deserialize, Serialize};

/// The logged-in user, as pages show them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserView {
    /// Login name.
    pub name: String,
}

#[cfg(feature = "ssr")]
impl From<engine::store::User> for UserView {
    fn from(user: engine::store::User) -> Self {
        Self { name: user.name }
    }
}
