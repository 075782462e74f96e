//! Bundles: a module that `includes` others and has no plan of its own is priced as the sum
//! of its parts, each at its chosen plan's price (the contract's override when there is
//! one), less the bundle's `bundle_discount_percent`. A bundle with plans of its own is
//! priced by them like any module.
//!
//! The contract's discounts then apply to the bundle line by the bundle's own id and tags,
//! not by its parts': a bundle tagged `per-seat` gets a per-seat discount on top of the
//! bundle discount; an untagged one does not. Overrides of the parts' prices do apply.

use rust_decimal::Decimal;

use super::discount::{percent_of, price_for};
use super::models::{self, non_negative};
use crate::error::{Error, Result};
use crate::manifest::{BillingPeriod, Charge, Manifests, Module, Plan};
use crate::money::{add, sub, Currency};

/// One part of a bundle, priced.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BundlePart {
    /// The part's module id.
    pub module: String,
    /// The part's display name.
    pub name: String,
    /// The plan it is priced at.
    pub plan: String,
    /// Its exact amount for the quantity.
    pub amount: Decimal,
}

/// A bundle priced from its parts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BundlePrice {
    /// The parts, in the catalog's `includes` order.
    pub parts: Vec<BundlePart>,
    /// The sum of the parts (the bundle's list amount).
    pub sum: Decimal,
    /// The bundle discount, in percent.
    pub percent: Decimal,
    /// The exact amount the bundle discount takes off `sum`.
    pub discount: Decimal,
    /// The first part's unit (a bundle of per-seat modules counts seats).
    pub unit: String,
    /// The first part's billing period.
    pub period: BillingPeriod,
    /// The first part's kind of charge.
    pub charge: Charge,
}

/// The plan of `part` a bundle chooses: the plan named `hint` when the part has one, else
/// its first plan.
fn part_plan<'a>(part: &'a Module, hint: Option<&str>) -> Result<&'a Plan> {
    hint.and_then(|h| part.plan(h))
        .or_else(|| part.plans.first())
        .ok_or_else(|| {
            Error::input(
                format!("catalog.modules.{}.plans", part.id),
                "a module inside a bundle needs a plan of its own",
            )
        })
}

/// Prices `bundle` for `quantity` of each part in `currency`.
///
/// Worked example (Sales Productivity Pack, 10 users: Forecasting 25.00 + Advanced
/// Reports 12.00, 15 % off): 250 + 120 = 370; 15 % of 370 = 55.50; 314.50.
///
/// # Errors
/// [`ErrorKind::Input`] when the module includes nothing or a part has no plan;
/// [`ErrorKind::UnknownModule`] for a part the catalog lacks; [`ErrorKind::NoPrice`] for a part
/// without a price in `currency`; and the errors of [`models::amount`].
pub fn price(
    manifests: &Manifests,
    bundle: &Module,
    plan_hint: Option<&str>,
    currency: Currency,
    quantity: Decimal,
    transactions: &[Decimal],
) -> Result<BundlePrice> {
    let mut parts = Vec::with_capacity(bundle.includes.len());
    let mut first: Option<&Plan> = None;
    let mut sum = Decimal::ZERO;
    for id in &bundle.includes {
        let part = manifests.module(id)?;
        let plan = part_plan(part, plan_hint)?;
        first.get_or_insert(plan);
        let (p, _) = price_for(manifests.contract(), part, plan, currency)?;
        let amount = models::amount(p, quantity, transactions)?;
        sum = add(sum, amount)?;
        parts.push(BundlePart {
            module: part.id.clone(),
            name: part.name.clone(),
            plan: plan.id.clone(),
            amount,
        });
    }
    let first = first.ok_or_else(|| {
        Error::input(
            format!("catalog.modules.{}.includes", bundle.id),
            "a bundle without plans must include at least one module",
        )
    })?;
    let percent = non_negative(
        "bundle_discount_percent",
        bundle.bundle_discount_percent.unwrap_or(Decimal::ZERO),
    )?;
    let discount = percent_of(sum, percent)?;
    // The discount never exceeds the sum, so this cannot go below zero.
    let _ = sub(sum, discount)?;
    Ok(BundlePrice {
        parts,
        sum,
        percent,
        discount,
        unit: first.unit.clone(),
        period: first.period,
        charge: first.charge,
    })
}
