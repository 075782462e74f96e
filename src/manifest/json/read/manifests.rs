//! [`Read`] for the manifests (catalog, contract, policy, users, propensity model) and the
//! values they are made of, mirroring each type's serde attributes: `true` where the type
//! has `deny_unknown_fields`, `= (…)` for a field's `#[serde(default)]`.

use crate::collections::Map;

use rust_decimal::Decimal;

use super::{single_key, tag, variant, Kind, Path, Read, Result};
use crate::calendar::{Date, Instant, Period};
use crate::manifest::catalog::{
    BillingPeriod, Catalog, Charge, Feature, FeatureGrant, FeatureKind, Module, Party, PercentTier,
    Plan, Price, PriceModel, Quota, ResetPeriod, Tier,
};
use crate::manifest::contract::{
    AccountTeam, BudgetPeriod, Contract, Discount, DiscountAmount, Entity, FundingSource,
    PriceOverride, Scope,
};
use crate::manifest::json::node::Node;
use crate::manifest::policy::{self, Admin, Community, Policy, Predicate};
use crate::manifest::users::{Directory, User};
use crate::money::{Currency, Rounding};
use crate::propensity::model::{self, Model, ModuleWeights};

/// A currency code, checked against the table (`try_from = "String"`).
impl Read for Currency {
    fn read(node: &Node, at: &Path) -> Result<Currency> {
        let code = String::read(node, at)?;
        Currency::try_new(&code).map_err(|e| super::fail(at, e.to_string()))
    }
}

/// A `YYYY-MM-DD` day (`try_from = "String"`).
impl Read for Date {
    fn read(node: &Node, at: &Path) -> Result<Date> {
        let text = String::read(node, at)?;
        Date::parse(&text).map_err(|e| super::fail(at, e.to_string()))
    }
}

/// Milliseconds since the epoch (`transparent`).
impl Read for Instant {
    fn read(node: &Node, at: &Path) -> Result<Instant> {
        i64::read(node, at).map(Instant)
    }
}

read_struct!(Period, false, { start: Date, end: Date });

read_unit_enum!(Rounding, ["half_up" => HalfUp, "half_even" => HalfEven]);

read_struct!(Catalog, true, {
    version: String,
    supplier: Party,
    rounding: Rounding = (Default::default()),
    currencies: Vec<Currency>,
    features: Vec<Feature>,
    base: Vec<FeatureGrant> = (Vec::new()),
    modules: Vec<Module>,
});

read_struct!(Party, true, { id: String, name: String });

read_unit_enum!(FeatureKind, ["switch" => Switch, "limit" => Limit, "value" => Value]);

read_unit_enum!(ResetPeriod, [
    "day" => Day, "week" => Week, "month" => Month, "billing_period" => BillingPeriod,
    "never" => Never,
]);

read_struct!(Feature, true, {
    id: String,
    name: String,
    description: String = (String::new()),
    kind: FeatureKind,
    unit: Option<String> = (None),
    reset: Option<ResetPeriod> = (None),
    pooled: bool = (false),
});

impl Read for Quota {
    fn read(node: &Node, at: &Path) -> Result<Quota> {
        let (i, body) = variant(
            node,
            at,
            &["unlimited", "up_to"],
            &[Kind::Unit, Kind::Newtype],
        )?;
        let quota = match (i, body) {
            (1, Some((key, value))) => Quota::UpTo(Decimal::read(value, &Path::Key(at, key))?),
            _ => Quota::Unlimited,
        };
        single_key(node, at)?;
        Ok(quota)
    }
}

read_struct!(FeatureGrant, true, {
    feature: String,
    limit: Option<Quota> = (None),
    value: Option<String> = (None),
});

read_struct!(Module, true, {
    id: String,
    name: String,
    description: String = (String::new()),
    tagline: String = (String::new()),
    tags: Vec<String> = (Vec::new()),
    features: Vec<FeatureGrant> = (Vec::new()),
    plans: Vec<Plan> = (Vec::new()),
    trial_days: Option<u32> = (None),
    requires: Vec<String> = (Vec::new()),
    excludes: Vec<String> = (Vec::new()),
    includes: Vec<String> = (Vec::new()),
    bundle_discount_percent: Option<Decimal> = (None),
});

read_unit_enum!(BillingPeriod, ["month" => Month, "year" => Year, "one_time" => OneTime]);

read_unit_enum!(Charge, ["seats" => Seats, "units" => Units, "usage" => Usage, "fixed" => Fixed]);

read_struct!(Plan, true, {
    id: String,
    name: String = (String::new()),
    period: BillingPeriod,
    charge: Charge,
    unit: String,
    metric: Option<String> = (None),
    prices: Map<Currency, Price>,
});

read_struct!(Price, true, {
    model: PriceModel,
    minimum: Option<Decimal> = (None),
    maximum: Option<Decimal> = (None),
});

impl Read for PriceModel {
    fn read(node: &Node, at: &Path) -> Result<PriceModel> {
        const NAMES: &[&str] = &[
            "flat",
            "per_unit",
            "package",
            "graduated",
            "volume",
            "percentage",
            "graduated_percentage",
        ];
        let i = tag(node, at, "type", "internally tagged enum PriceModel", NAMES)?;
        let (body, t) = (&Path::Sealed(at), Some("type"));
        Ok(match i {
            0 => read_fields!(
                node,
                body,
                t,
                "struct variant PriceModel::Flat",
                true,
                PriceModel::Flat { amount: Decimal }
            ),
            1 => read_fields!(
                node,
                body,
                t,
                "struct variant PriceModel::PerUnit",
                true,
                PriceModel::PerUnit {
                    unit_price: Decimal
                }
            ),
            2 => read_fields!(
                node,
                body,
                t,
                "struct variant PriceModel::Package",
                true,
                PriceModel::Package {
                    size: Decimal,
                    price: Decimal,
                    free_units: Decimal = (Decimal::ZERO),
                }
            ),
            3 => read_fields!(node, body, t, "struct variant PriceModel::Graduated", true,
                PriceModel::Graduated { tiers: Vec<Tier> }),
            4 => read_fields!(node, body, t, "struct variant PriceModel::Volume", true,
                PriceModel::Volume { tiers: Vec<Tier> }),
            5 => read_fields!(node, body, t, "struct variant PriceModel::Percentage", true,
            PriceModel::Percentage {
                rate: Decimal,
                fixed_fee: Decimal = (Decimal::ZERO),
                free_transactions: u32 = (0),
                min_per_transaction: Option<Decimal> = (None),
                max_per_transaction: Option<Decimal> = (None),
            }),
            _ => read_fields!(node, body, t, "struct variant PriceModel::GraduatedPercentage",
                true, PriceModel::GraduatedPercentage { tiers: Vec<PercentTier> }),
        })
    }
}

read_struct!(Tier, true, {
    up_to: Option<Decimal> = (None),
    unit_price: Decimal,
    flat_fee: Decimal = (Decimal::ZERO),
});

read_struct!(PercentTier, true, {
    up_to: Option<Decimal> = (None),
    rate: Decimal,
    flat_fee: Decimal = (Decimal::ZERO),
});

read_struct!(Contract, true, {
    version: String,
    customer: Party,
    term: Period,
    currency: Currency,
    entities: Vec<Entity> = (Vec::new()),
    overrides: Vec<PriceOverride> = (Vec::new()),
    discounts: Vec<Discount> = (Vec::new()),
    funding: Vec<FundingSource>,
    account_team: AccountTeam,
});

read_struct!(Entity, true, { id: String, name: String, currency: Currency, members: Predicate });

read_struct!(PriceOverride, true, {
    module: String,
    plan: String,
    currency: Currency,
    price: Price,
});

read_struct!(Discount, true, {
    id: String,
    description: String,
    off: DiscountAmount,
    scope: Scope = (Scope::default()),
    starts: Date,
    ends: Option<Date> = (None),
});

impl Read for DiscountAmount {
    fn read(node: &Node, at: &Path) -> Result<DiscountAmount> {
        let (i, body) = variant(
            node,
            at,
            &["percent", "amount"],
            &[Kind::Newtype, Kind::Struct],
        )?;
        let Some((key, value)) = body else {
            return Err(super::fail(at, "a variant without its value".into()));
        };
        let path = &Path::Key(at, key);
        let amount = match i {
            0 => DiscountAmount::Percent(Decimal::read(value, path)?),
            _ => read_fields!(
                value,
                path,
                None,
                "struct variant DiscountAmount::Amount",
                true,
                DiscountAmount::Amount {
                    amount: Decimal,
                    currency: Currency
                }
            ),
        };
        single_key(node, at)?;
        Ok(amount)
    }
}

read_struct!(Scope, true, {
    modules: Vec<String> = (Vec::new()),
    tags: Vec<String> = (Vec::new()),
});

read_unit_enum!(BudgetPeriod, ["month" => Month, "quarter" => Quarter, "year" => Year]);

impl Read for FundingSource {
    fn read(node: &Node, at: &Path) -> Result<FundingSource> {
        const NAMES: &[&str] = &["budget", "prepaid", "purchase_order", "card"];
        let i = tag(
            node,
            at,
            "type",
            "internally tagged enum FundingSource",
            NAMES,
        )?;
        let (body, t) = (&Path::Sealed(at), Some("type"));
        Ok(match i {
            0 => read_fields!(node, body, t, "struct variant FundingSource::Budget", true,
            FundingSource::Budget {
                id: String,
                name: String,
                department: String,
                currency: Currency,
                limit: Decimal,
                period: BudgetPeriod,
                auto_approve_up_to: Decimal,
                per_user_cap: Option<Decimal> = (None),
                approver: String,
            }),
            1 => read_fields!(node, body, t, "struct variant FundingSource::Prepaid", true,
            FundingSource::Prepaid {
                id: String,
                name: String,
                currency: Currency,
                amount: Decimal,
                term: Period,
                modules: Vec<String>,
            }),
            2 => read_fields!(node, body, t, "struct variant FundingSource::PurchaseOrder", true,
            FundingSource::PurchaseOrder {
                id: String,
                name: String,
                number: String,
                currency: Currency,
                amount: Decimal,
                modules: Vec<String>,
                valid_until: Option<Date> = (None),
            }),
            _ => read_fields!(
                node,
                body,
                t,
                "struct variant FundingSource::Card",
                true,
                FundingSource::Card {
                    id: String,
                    name: String,
                    currency: Currency,
                    max_per_purchase: Decimal,
                    scope: Scope = (Scope::default()),
                }
            ),
        })
    }
}

read_struct!(AccountTeam, true, { land_owner: String, expand_owner: String });

read_struct!(Policy, true, {
    version: String,
    customer: String,
    suggestion_cooldown_days: u32 = (policy::default_cooldown()),
    max_new_suggestions_per_day: u32 = (policy::default_daily()),
    admins: Vec<Admin> = (Vec::new()),
    communities: Vec<Community>,
});

read_struct!(Admin, true, { user: String, departments: Vec<String> });

read_struct!(Community, true, {
    id: String,
    name: String,
    department: String,
    members: Predicate,
    modules: Vec<String>,
    funding: Vec<String>,
    funding_by_module: Map<String, Vec<String>> = (Map::new()),
    trials: bool = (policy::default_true()),
    cap_per_user: Option<Decimal> = (None),
});

impl Read for Predicate {
    fn read(node: &Node, at: &Path) -> Result<Predicate> {
        use Kind::{Newtype, Struct, Unit};
        const NAMES: &[&str] = &["everyone", "all", "any", "not", "eq", "in"];
        let (i, body) = variant(
            node,
            at,
            NAMES,
            &[Unit, Newtype, Newtype, Newtype, Struct, Struct],
        )?;
        let predicate = match body {
            None => Predicate::Everyone,
            Some((key, value)) => {
                let path = &Path::Key(at, key);
                match i {
                    1 => Predicate::All(Vec::read(value, path)?),
                    2 => Predicate::Any(Vec::read(value, path)?),
                    3 => Predicate::Not(Box::read(value, path)?),
                    4 => read_fields!(
                        value,
                        path,
                        None,
                        "struct variant Predicate::Eq",
                        true,
                        Predicate::Eq {
                            attribute: String,
                            value: String
                        }
                    ),
                    5 => read_fields!(value, path, None, "struct variant Predicate::In", true,
                        Predicate::In { attribute: String, values: Vec<String> }),
                    _ => Predicate::Everyone,
                }
            }
        };
        single_key(node, at)?;
        Ok(predicate)
    }
}

read_struct!(User, true, {
    id: String,
    name: String = (String::new()),
    attributes: Map<String, String> = (Map::new()),
});

read_struct!(Directory, true, { version: String, customer: String, users: Vec<User> });

read_struct!(Model, true, {
    version: String,
    trained_at: Option<Instant> = (None),
    seed: Option<u64> = (None),
    min_events_90d: u32 = (model::default_min_events()),
    modules: Map<String, ModuleWeights>,
    cooccurrence: Map<String, Map<String, f64>> = (Map::new()),
    popularity: Map<String, Map<String, f64>> = (Map::new()),
});

read_struct!(ModuleWeights, true, {
    bias: f64 = (0.0),
    weights: Map<String, f64> = (Map::new()),
});
