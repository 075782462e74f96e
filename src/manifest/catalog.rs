//! The supplier's catalog: features, modules and their price plans.

use crate::collections::Map;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::money::{Currency, Rounding};

#[cfg(feature = "schema")]
use schemars::JsonSchema;

/// The supplier's catalog of modules (add-ons) and what they grant.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Catalog {
    /// The document's version, for example `"2026-11-01"` or `"3"`. Charges name it.
    pub version: String,
    /// Who sells.
    pub supplier: Party,
    /// How quote lines are rounded to the currency's minor unit.
    #[serde(default)]
    pub rounding: Rounding,
    /// Currencies every price plan must have a price in.
    pub currencies: Vec<Currency>,
    /// Every feature a module can grant.
    pub features: Vec<Feature>,
    /// What every user of the product has without any module (for example 50 exports a month).
    #[serde(default)]
    pub base: Vec<FeatureGrant>,
    /// The modules on sale.
    pub modules: Vec<Module>,
}

/// A named party: a supplier or a customer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Party {
    /// Stable id.
    pub id: String,
    /// Display name.
    pub name: String,
}

/// What kind of thing a feature is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum FeatureKind {
    /// On or off.
    Switch,
    /// A quantity that usage draws down and that resets every `reset` period.
    Limit,
    /// A setting with a value (for example a retention of `"90 days"`).
    Value,
}

/// When a limit's usage starts again from zero.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum ResetPeriod {
    /// Every UTC day.
    Day,
    /// Every ISO week (Monday to Sunday).
    Week,
    /// Every calendar month.
    Month,
    /// Every billing period of the grant that gives the limit.
    BillingPeriod,
    /// Never: a lifetime allowance.
    Never,
}

/// A feature the catalog knows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Feature {
    /// Stable id, for example `"reports.export"`.
    pub id: String,
    /// Display name.
    pub name: String,
    /// What it does.
    #[serde(default)]
    pub description: String,
    /// Switch, limit or value.
    pub kind: FeatureKind,
    /// For limits: the unit counted (`"export"`, `"envelope"`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
    /// For limits: when usage resets. Required for limits, refused otherwise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reset: Option<ResetPeriod>,
    /// For limits: whether a department's members share one pool.
    #[serde(default)]
    pub pooled: bool,
}

/// How much of a limit a grant gives.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Quota {
    /// No limit.
    Unlimited,
    /// At most this much per reset period.
    UpTo(
        #[cfg_attr(feature = "schema", schemars(with = "crate::manifest::DecimalSchema"))] Decimal,
    ),
}

/// A feature as a module (or the base) grants it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct FeatureGrant {
    /// The feature's id.
    pub feature: String,
    /// For limits: how much. Required for limits, refused otherwise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<Quota>,
    /// For values: the value. Required for values, refused otherwise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
}

/// A module (add-on) on sale.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Module {
    /// Stable id, for example `"advanced-reports"`.
    pub id: String,
    /// Display name. Catalog text is data: always shown as text, never as markup.
    pub name: String,
    /// What it is.
    #[serde(default)]
    pub description: String,
    /// One line of value, shown with an offer.
    #[serde(default)]
    pub tagline: String,
    /// Free labels used by contract scopes and card rules (`"per-seat"`, `"personal-productivity"`).
    #[serde(default)]
    pub tags: Vec<String>,
    /// Features it grants.
    #[serde(default)]
    pub features: Vec<FeatureGrant>,
    /// Its price plans. A bundle (with `includes`) may have none: it is then priced as the
    /// sum of its parts less `bundle_discount_percent`.
    #[serde(default)]
    pub plans: Vec<Plan>,
    /// Length of a free trial in days; no trial when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trial_days: Option<u32>,
    /// Modules that must be owned (or bought together) for this one to work.
    #[serde(default)]
    pub requires: Vec<String>,
    /// Modules that cannot be owned together with this one.
    #[serde(default)]
    pub excludes: Vec<String>,
    /// For a bundle: the modules it contains.
    #[serde(default)]
    pub includes: Vec<String>,
    /// For a bundle: the percent taken off the sum of its parts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(
        feature = "schema",
        schemars(with = "Option<crate::manifest::DecimalSchema>")
    )]
    pub bundle_discount_percent: Option<Decimal>,
}

/// How often a plan bills.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum BillingPeriod {
    /// Every calendar month.
    Month,
    /// Every year.
    Year,
    /// Once.
    OneTime,
}

/// What a plan's quantity counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Charge {
    /// Seats (users) bought up front.
    Seats,
    /// Units or packages bought up front (storage, envelopes).
    Units,
    /// Metered usage over the period, billed in arrears.
    Usage,
    /// One fixed amount per period (per department).
    Fixed,
}

/// One way to pay for a module.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Plan {
    /// Stable id within the module, for example `"monthly"`.
    pub id: String,
    /// Display name.
    #[serde(default)]
    pub name: String,
    /// How often it bills.
    pub period: BillingPeriod,
    /// What the quantity counts.
    pub charge: Charge,
    /// The unit a person reads (`"user"`, `"call-minute"`, `"10 GB"`).
    pub unit: String,
    /// For usage plans: the metric (a feature id) whose usage is billed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metric: Option<String>,
    /// The price in each currency. List prices are set per currency, never converted.
    pub prices: Map<Currency, Price>,
}

/// A price in one currency: a model and optional per-period bounds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Price {
    /// How the amount follows from the quantity.
    pub model: PriceModel,
    /// The least charged for a period, whatever the quantity.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(
        feature = "schema",
        schemars(with = "Option<crate::manifest::DecimalSchema>")
    )]
    pub minimum: Option<Decimal>,
    /// The most charged for a period, whatever the quantity.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(
        feature = "schema",
        schemars(with = "Option<crate::manifest::DecimalSchema>")
    )]
    pub maximum: Option<Decimal>,
}

/// A price model. Amounts are exact decimals; write them as strings (`"0.05"`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum PriceModel {
    /// One amount, whatever the quantity.
    Flat {
        /// The amount.
        #[cfg_attr(feature = "schema", schemars(with = "crate::manifest::DecimalSchema"))]
        amount: Decimal,
    },
    /// Quantity × unit price; fractional quantities allowed.
    PerUnit {
        /// Price of one unit.
        #[cfg_attr(feature = "schema", schemars(with = "crate::manifest::DecimalSchema"))]
        unit_price: Decimal,
    },
    /// Whole packages of `size` units; a partial package is charged as a whole one.
    Package {
        /// Units in one package.
        #[cfg_attr(feature = "schema", schemars(with = "crate::manifest::DecimalSchema"))]
        size: Decimal,
        /// Price of one package.
        #[cfg_attr(feature = "schema", schemars(with = "crate::manifest::DecimalSchema"))]
        price: Decimal,
        /// Units free before packages count.
        #[serde(default)]
        #[cfg_attr(feature = "schema", schemars(with = "crate::manifest::DecimalSchema"))]
        free_units: Decimal,
    },
    /// Each tier prices the units that fall in it.
    Graduated {
        /// Tiers in increasing order of `up_to`; the last has none (unbounded).
        tiers: Vec<Tier>,
    },
    /// The tier the whole quantity falls in prices every unit.
    Volume {
        /// Tiers in increasing order of `up_to`; the last has none (unbounded).
        tiers: Vec<Tier>,
    },
    /// A percentage of each transaction's amount, plus a fixed fee per transaction.
    Percentage {
        /// Percent of each transaction (`"2.9"` is 2.9 %).
        #[cfg_attr(feature = "schema", schemars(with = "crate::manifest::DecimalSchema"))]
        rate: Decimal,
        /// Added to each charged transaction.
        #[serde(default)]
        #[cfg_attr(feature = "schema", schemars(with = "crate::manifest::DecimalSchema"))]
        fixed_fee: Decimal,
        /// The first this many transactions of a period are free.
        #[serde(default)]
        free_transactions: u32,
        /// The least charged for one transaction.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        #[cfg_attr(
            feature = "schema",
            schemars(with = "Option<crate::manifest::DecimalSchema>")
        )]
        min_per_transaction: Option<Decimal>,
        /// The most charged for one transaction.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        #[cfg_attr(
            feature = "schema",
            schemars(with = "Option<crate::manifest::DecimalSchema>")
        )]
        max_per_transaction: Option<Decimal>,
    },
    /// Percentages by tier of the period's total transaction amount.
    GraduatedPercentage {
        /// Tiers in increasing order of `up_to` (an amount); the last has none.
        tiers: Vec<PercentTier>,
    },
}

/// One tier of a graduated or volume price.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Tier {
    /// The tier's inclusive upper bound; absent on the last (unbounded) tier.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(
        feature = "schema",
        schemars(with = "Option<crate::manifest::DecimalSchema>")
    )]
    pub up_to: Option<Decimal>,
    /// Price of each unit in the tier.
    #[cfg_attr(feature = "schema", schemars(with = "crate::manifest::DecimalSchema"))]
    pub unit_price: Decimal,
    /// Charged once when any quantity reaches the tier.
    #[serde(default)]
    #[cfg_attr(feature = "schema", schemars(with = "crate::manifest::DecimalSchema"))]
    pub flat_fee: Decimal,
}

/// One tier of a graduated percentage price.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct PercentTier {
    /// The tier's inclusive upper bound (an amount); absent on the last tier.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(
        feature = "schema",
        schemars(with = "Option<crate::manifest::DecimalSchema>")
    )]
    pub up_to: Option<Decimal>,
    /// Percent of the amount in the tier.
    #[cfg_attr(feature = "schema", schemars(with = "crate::manifest::DecimalSchema"))]
    pub rate: Decimal,
    /// Charged once when the total reaches the tier.
    #[serde(default)]
    #[cfg_attr(feature = "schema", schemars(with = "crate::manifest::DecimalSchema"))]
    pub flat_fee: Decimal,
}

impl Catalog {
    /// The module with this id.
    pub fn module(&self, id: &str) -> Option<&Module> {
        self.modules.iter().find(|m| m.id == id)
    }

    /// The feature with this id.
    pub fn feature(&self, id: &str) -> Option<&Feature> {
        self.features.iter().find(|f| f.id == id)
    }
}

impl Module {
    /// The plan with this id.
    pub fn plan(&self, id: &str) -> Option<&Plan> {
        self.plans.iter().find(|p| p.id == id)
    }

    /// True for a bundle (a module that includes others).
    pub fn is_bundle(&self) -> bool {
        !self.includes.is_empty()
    }
}
