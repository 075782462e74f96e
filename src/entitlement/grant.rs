//! A grant: one right to one module, held by the organization, a department or a user,
//! for a half-open range of days.

use std::fmt;

use serde::{Deserialize, Serialize};

#[cfg(feature = "schema")]
use schemars::JsonSchema;

use crate::calendar::Date;
use crate::manifest::{BillingPeriod, User};

/// How a grant came about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum GrantSource {
    /// Part of the customer's subscription plan.
    Plan,
    /// Bought in the workflow (or a converted trial).
    Purchase,
    /// A free trial; it ends on its own.
    Trial,
    /// Given by a promotion.
    Promotion,
    /// Given by an administrator.
    Admin,
}

impl fmt::Display for GrantSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            GrantSource::Plan => "plan",
            GrantSource::Purchase => "purchase",
            GrantSource::Trial => "trial",
            GrantSource::Promotion => "promotion",
            GrantSource::Admin => "admin",
        })
    }
}

/// Who holds a grant: the whole organization, every member of a department, or one user.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Holder {
    /// Everyone in the customer's organization.
    Org,
    /// Every user whose `department` attribute is this.
    Department(String),
    /// One user, by id.
    User(String),
}

impl Holder {
    /// True when this holder includes `user`.
    pub fn covers(&self, user: &User) -> bool {
        match self {
            Holder::Org => true,
            Holder::Department(d) => !d.is_empty() && d == user.department(),
            Holder::User(id) => id == &user.id,
        }
    }
}

/// Why a grant gives nothing for now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(tag = "cause", rename_all = "snake_case")]
pub enum Suspension {
    /// A module this grant's module requires is no longer owned.
    MissingRequirement {
        /// The required module's id.
        module: String,
    },
    /// An administrator suspended it.
    Admin {
        /// The administrator's note.
        #[serde(default)]
        note: String,
    },
}

/// One right to one module.
///
/// Serialized with snake_case fields; dates as `"YYYY-MM-DD"`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Grant {
    /// Stable id (chosen by whoever issues the grant; a converted trial keeps it).
    pub id: String,
    /// The module's id in the catalog.
    pub module: String,
    /// How it came about.
    pub source: GrantSource,
    /// Who holds it.
    pub holder: Holder,
    /// First day it gives anything.
    pub starts: Date,
    /// First day it no longer gives anything; open-ended when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ends: Option<Date>,
    /// Seats or units bought. For a pooled limit, the pool gets the module's limit this
    /// many times; a per-user limit is not multiplied.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quantity: Option<u32>,
    /// The price plan bought, when there is one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub plan: Option<String>,
    /// How often the plan bills; limits that reset every billing period follow it
    /// (monthly when absent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub billing_period: Option<BillingPeriod>,
    /// The day billing periods are counted from; `starts` when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub anchor: Option<Date>,
    /// Why it gives nothing for now; active when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub suspended: Option<Suspension>,
}

impl Grant {
    /// A grant of `module` to `holder` from `starts`, open-ended, not suspended.
    pub fn new(
        id: impl Into<String>,
        module: impl Into<String>,
        source: GrantSource,
        holder: Holder,
        starts: Date,
    ) -> Grant {
        Grant {
            id: id.into(),
            module: module.into(),
            source,
            holder,
            starts,
            ends: None,
            quantity: None,
            plan: None,
            billing_period: None,
            anchor: None,
            suspended: None,
        }
    }

    /// The same grant ending on `ends` (exclusive).
    pub fn until(mut self, ends: Date) -> Grant {
        self.ends = Some(ends);
        self
    }

    /// True when `day` is inside `[starts, ends)`, suspended or not.
    pub fn in_force_on(&self, day: Date) -> bool {
        self.starts <= day && !matches!(self.ends, Some(e) if e <= day)
    }

    /// True when the grant gives its module on `day`: in force and not suspended.
    pub fn active_on(&self, day: Date) -> bool {
        self.suspended.is_none() && self.in_force_on(day)
    }

    /// True when the grant's holder includes `user`.
    pub fn covers(&self, user: &User) -> bool {
        self.holder.covers(user)
    }

    /// The day billing periods count from.
    pub fn billing_anchor(&self) -> Date {
        self.anchor.unwrap_or(self.starts)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::entitlement::fixture::{day, user};

    #[test]
    fn department_grant_covers_members_only() {
        let g = Grant::new(
            "g1",
            "esign",
            GrantSource::Purchase,
            Holder::Department("Sales".into()),
            day("2026-01-01"),
        );
        assert!(g.covers(&user("ann", "Sales")));
        assert!(!g.covers(&user("mo", "Marketing")));
        assert!(!g.covers(&user("nobody", "")));
        let org = Grant {
            holder: Holder::Org,
            ..g.clone()
        };
        assert!(org.covers(&user("mo", "Marketing")));
        let own = Grant {
            holder: Holder::User("ann".into()),
            ..g
        };
        assert!(own.covers(&user("ann", "Sales")));
        assert!(!own.covers(&user("bob", "Sales")));
    }

    #[test]
    fn grants_are_half_open_and_suspension_stops_them() {
        let mut g = Grant::new(
            "g1",
            "forecasting",
            GrantSource::Trial,
            Holder::User("ann".into()),
            day("2026-06-01"),
        )
        .until(day("2026-06-15"));
        assert!(!g.active_on(day("2026-05-31")));
        assert!(g.active_on(day("2026-06-01")));
        assert!(g.active_on(day("2026-06-14")));
        assert!(!g.active_on(day("2026-06-15")));
        g.suspended = Some(Suspension::Admin {
            note: "audit".into(),
        });
        assert!(!g.active_on(day("2026-06-02")));
        assert!(g.in_force_on(day("2026-06-02")));
    }

    #[test]
    fn serializes_with_snake_case_fields() {
        let mut g = Grant::new(
            "g1",
            "esign",
            GrantSource::Purchase,
            Holder::Department("Sales".into()),
            day("2026-01-15"),
        );
        g.billing_period = Some(BillingPeriod::Month);
        g.suspended = Some(Suspension::MissingRequirement {
            module: "advanced-reports".into(),
        });
        let j = serde_json::to_value(&g).unwrap();
        assert_eq!(j["holder"]["department"], "Sales");
        assert_eq!(j["starts"], "2026-01-15");
        assert_eq!(j["billing_period"], "month");
        assert_eq!(j["suspended"]["cause"], "missing_requirement");
        let back: Grant = serde_json::from_value(j).unwrap();
        assert_eq!(back, g);
    }
}
