//! The customer's users and their attributes.

use crate::collections::Map;

use serde::{Deserialize, Serialize};

#[cfg(feature = "schema")]
use schemars::JsonSchema;

/// A user as the host knows them: an id and attributes the policy's communities test
/// (`department`, `role`, `region`, or any other string attribute).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct User {
    /// Stable id.
    pub id: String,
    /// Display name.
    #[serde(default)]
    pub name: String,
    /// Attributes: `department`, `role`, `region`, and any others the host passes.
    #[serde(default)]
    pub attributes: Map<String, String>,
}

impl User {
    /// The `department` attribute, or `""`.
    pub fn department(&self) -> &str {
        self.attributes.get("department").map_or("", String::as_str)
    }
}

/// The customer's users (the demo's directory, or what a host passes).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Directory {
    /// The document's version.
    pub version: String,
    /// The customer's id (as in the contract).
    pub customer: String,
    /// The users.
    pub users: Vec<User>,
}

impl Directory {
    /// The user with this id.
    pub fn user(&self, id: &str) -> Option<&User> {
        self.users.iter().find(|u| u.id == id)
    }
}
