//! One customer's contract: negotiated prices and discounts, funding sources, the account team.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::catalog::{Party, Price};
use super::policy::Predicate;
use crate::calendar::{Date, Period};
use crate::money::Currency;

#[cfg(feature = "schema")]
use schemars::JsonSchema;

/// A customer's contract with the supplier.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Contract {
    /// The document's version. Charges name it.
    pub version: String,
    /// The customer.
    pub customer: Party,
    /// The contract's term.
    pub term: Period,
    /// The currency the customer buys in, unless an entity says otherwise.
    pub currency: Currency,
    /// Legal entities buying in another currency (a subsidiary), chosen by user attributes.
    #[serde(default)]
    pub entities: Vec<Entity>,
    /// Negotiated prices replacing the list price of a plan in one currency.
    #[serde(default)]
    pub overrides: Vec<PriceOverride>,
    /// Negotiated discounts, limited in time and scope.
    #[serde(default)]
    pub discounts: Vec<Discount>,
    /// How purchases are paid for.
    pub funding: Vec<FundingSource>,
    /// Who earns the sales credit.
    pub account_team: AccountTeam,
}

/// A legal entity of the customer that buys in its own currency.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Entity {
    /// Stable id.
    pub id: String,
    /// Display name.
    pub name: String,
    /// Its currency.
    pub currency: Currency,
    /// Which users buy through it.
    pub members: Predicate,
}

/// A negotiated price for one plan of one module in one currency.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct PriceOverride {
    /// The module.
    pub module: String,
    /// The plan.
    pub plan: String,
    /// The currency.
    pub currency: Currency,
    /// The price that replaces the list price.
    pub price: Price,
}

/// A negotiated discount.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Discount {
    /// Stable id.
    pub id: String,
    /// Shown on quote lines ("contract discount").
    pub description: String,
    /// How much.
    pub off: DiscountAmount,
    /// Which modules.
    #[serde(default)]
    pub scope: Scope,
    /// First day it applies.
    pub starts: Date,
    /// First day it no longer applies; open-ended when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ends: Option<Date>,
}

/// How much a discount takes off.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum DiscountAmount {
    /// A percent of the line (`"10"` is 10 %).
    Percent(
        #[cfg_attr(feature = "schema", schemars(with = "crate::manifest::DecimalSchema"))] Decimal,
    ),
    /// A fixed amount off each line, in the given currency; never below zero.
    Amount {
        /// The amount.
        #[cfg_attr(feature = "schema", schemars(with = "crate::manifest::DecimalSchema"))]
        amount: Decimal,
        /// Its currency.
        currency: Currency,
    },
}

/// Which modules something applies to: modules named, or modules carrying a tag.
/// Empty on both counts means every module.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Scope {
    /// Module ids.
    #[serde(default)]
    pub modules: Vec<String>,
    /// Module tags.
    #[serde(default)]
    pub tags: Vec<String>,
}

/// How long a budget's limit runs before it starts again.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum BudgetPeriod {
    /// Calendar month.
    Month,
    /// Calendar quarter.
    Quarter,
    /// Calendar year.
    Year,
}

/// A way the customer pays for purchases.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum FundingSource {
    /// A department budget purchases are billed back to.
    Budget {
        /// Stable id.
        id: String,
        /// Display name ("Sales Ops budget").
        name: String,
        /// The department it belongs to.
        department: String,
        /// Its currency.
        currency: Currency,
        /// How much may be spent per period.
        #[cfg_attr(feature = "schema", schemars(with = "crate::manifest::DecimalSchema"))]
        limit: Decimal,
        /// The period.
        period: BudgetPeriod,
        /// A purchase at or under this amount is approved without a person.
        #[cfg_attr(feature = "schema", schemars(with = "crate::manifest::DecimalSchema"))]
        auto_approve_up_to: Decimal,
        /// The most one user may spend per period without approval.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        #[cfg_attr(
            feature = "schema",
            schemars(with = "Option<crate::manifest::DecimalSchema>")
        )]
        per_user_cap: Option<Decimal>,
        /// The user who approves what exceeds the limits.
        approver: String,
    },
    /// A prepaid commitment that purchases draw down.
    Prepaid {
        /// Stable id.
        id: String,
        /// Display name.
        name: String,
        /// Its currency.
        currency: Currency,
        /// The amount committed for the term.
        #[cfg_attr(feature = "schema", schemars(with = "crate::manifest::DecimalSchema"))]
        amount: Decimal,
        /// The term.
        term: Period,
        /// Modules that draw it down.
        modules: Vec<String>,
    },
    /// A purchase order.
    PurchaseOrder {
        /// Stable id.
        id: String,
        /// Display name.
        name: String,
        /// The customer's PO number.
        number: String,
        /// Its currency.
        currency: Currency,
        /// The amount the PO covers.
        #[cfg_attr(feature = "schema", schemars(with = "crate::manifest::DecimalSchema"))]
        amount: Decimal,
        /// Modules it covers.
        modules: Vec<String>,
        /// Last day it may be used.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        valid_until: Option<Date>,
    },
    /// The end user's own card.
    Card {
        /// Stable id.
        id: String,
        /// Display name.
        name: String,
        /// Its currency.
        currency: Currency,
        /// The most one purchase may cost.
        #[cfg_attr(feature = "schema", schemars(with = "crate::manifest::DecimalSchema"))]
        max_per_purchase: Decimal,
        /// Modules it may pay for.
        #[serde(default)]
        scope: Scope,
    },
}

impl FundingSource {
    /// The source's id.
    pub fn id(&self) -> &str {
        match self {
            FundingSource::Budget { id, .. }
            | FundingSource::Prepaid { id, .. }
            | FundingSource::PurchaseOrder { id, .. }
            | FundingSource::Card { id, .. } => id,
        }
    }

    /// The source's display name.
    pub fn name(&self) -> &str {
        match self {
            FundingSource::Budget { name, .. }
            | FundingSource::Prepaid { name, .. }
            | FundingSource::PurchaseOrder { name, .. }
            | FundingSource::Card { name, .. } => name,
        }
    }

    /// The source's currency.
    pub fn currency(&self) -> Currency {
        match self {
            FundingSource::Budget { currency, .. }
            | FundingSource::Prepaid { currency, .. }
            | FundingSource::PurchaseOrder { currency, .. }
            | FundingSource::Card { currency, .. } => *currency,
        }
    }
}

/// The supplier's account team for this customer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct AccountTeam {
    /// Earns credit for the first purchase of a module family (land).
    pub land_owner: String,
    /// Earns credit for later purchases (expand).
    pub expand_owner: String,
}

impl Contract {
    /// The funding source with this id.
    pub fn funding_source(&self, id: &str) -> Option<&FundingSource> {
        self.funding.iter().find(|f| f.id() == id)
    }
}

impl Scope {
    /// True when a module with this id and these tags is in scope.
    pub fn covers(&self, module: &str, tags: &[String]) -> bool {
        (self.modules.is_empty() && self.tags.is_empty())
            || self.modules.iter().any(|m| m == module)
            || self.tags.iter().any(|t| tags.contains(t))
    }
}
