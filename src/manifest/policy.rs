//! The department admins' policy: communities of users and what each may see and buy.

use crate::collections::Map;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

#[cfg(feature = "schema")]
use schemars::JsonSchema;

/// The customer's policy for offering modules to its users.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Policy {
    /// The document's version. Charges name it.
    pub version: String,
    /// The customer's id (as in the contract).
    pub customer: String,
    /// Days a dismissed suggestion stays away.
    #[serde(default = "default_cooldown")]
    pub suggestion_cooldown_days: u32,
    /// The most new suggestions one user sees per day.
    #[serde(default = "default_daily")]
    pub max_new_suggestions_per_day: u32,
    /// Department admins and the departments each administers.
    #[serde(default)]
    pub admins: Vec<Admin>,
    /// Communities of users, each with what it may be offered.
    pub communities: Vec<Community>,
}

pub(crate) fn default_cooldown() -> u32 {
    14
}

pub(crate) fn default_daily() -> u32 {
    3
}

pub(crate) fn default_true() -> bool {
    true
}

/// A department admin.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Admin {
    /// The admin's user id.
    pub user: String,
    /// Departments they administer.
    pub departments: Vec<String>,
}

/// A community of users, defined by their attributes, and what it may buy.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Community {
    /// Stable id.
    pub id: String,
    /// Display name ("Sales reps").
    pub name: String,
    /// The department whose admins manage this community.
    pub department: String,
    /// Who belongs.
    pub members: Predicate,
    /// Modules its members may see and buy.
    pub modules: Vec<String>,
    /// Funding sources (contract ids) its members may use, in order of preference.
    pub funding: Vec<String>,
    /// Per module, the funding sources allowed instead of `funding`.
    #[serde(default)]
    pub funding_by_module: Map<String, Vec<String>>,
    /// Whether members may start trials.
    #[serde(default = "default_true")]
    pub trials: bool,
    /// The most one member may spend per month, in the contract's currency.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(
        feature = "schema",
        schemars(with = "Option<crate::manifest::DecimalSchema>")
    )]
    pub cap_per_user: Option<Decimal>,
}

/// A test over a user's attributes (department, role, region, or any other).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum Predicate {
    /// Everyone.
    Everyone,
    /// Every one of these holds.
    All(Vec<Predicate>),
    /// At least one of these holds.
    Any(Vec<Predicate>),
    /// This does not hold.
    Not(Box<Predicate>),
    /// The attribute equals the value.
    Eq {
        /// Attribute name.
        attribute: String,
        /// Value it must have.
        value: String,
    },
    /// The attribute is one of the values.
    In {
        /// Attribute name.
        attribute: String,
        /// Values it may have.
        values: Vec<String>,
    },
}

impl Predicate {
    /// True when a user with these attributes matches. Nesting is bounded by the manifest's
    /// validation (depth 32), so evaluation cannot exhaust the stack.
    pub fn matches(&self, attributes: &Map<String, String>) -> bool {
        match self {
            Predicate::Everyone => true,
            Predicate::All(ps) => ps.iter().all(|p| p.matches(attributes)),
            Predicate::Any(ps) => ps.iter().any(|p| p.matches(attributes)),
            Predicate::Not(p) => !p.matches(attributes),
            Predicate::Eq { attribute, value } => attributes.get(attribute) == Some(value),
            Predicate::In { attribute, values } => attributes
                .get(attribute)
                .is_some_and(|v| values.contains(v)),
        }
    }

    /// How deep the predicate nests (a leaf is 1).
    pub fn depth(&self) -> usize {
        match self {
            Predicate::All(ps) | Predicate::Any(ps) => {
                1 + ps.iter().map(Predicate::depth).max().unwrap_or(0)
            }
            Predicate::Not(p) => 1 + p.depth(),
            _ => 1,
        }
    }
}

impl Policy {
    /// The communities a user with these attributes belongs to, in manifest order.
    pub fn communities_of<'a>(
        &'a self,
        attributes: &'a Map<String, String>,
    ) -> impl Iterator<Item = &'a Community> {
        self.communities
            .iter()
            .filter(move |c| c.members.matches(attributes))
    }
}

impl Community {
    /// The funding sources allowed for `module` in this community.
    pub fn funding_for(&self, module: &str) -> &[String] {
        self.funding_by_module
            .get(module)
            .map_or(&self.funding[..], |v| &v[..])
    }
}
