//! Quotes: a selection of modules priced for one customer, currency and date, line by
//! line, each line rounded once (see the [module docs](super) for the order of a line).

use crate::ErrorKind;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::bundle;
use super::describe::{self, Priced};
use super::discount::{self, AppliedDiscount, PriceSource};
use super::models;
use super::proration::Proration;
use crate::calendar::{Date, Period};
use crate::error::{Error, Result};
use crate::manifest::{BillingPeriod, Charge, Manifests, Module, Plan};
use crate::money::{add, sub, Currency, Rounding};

/// One module to quote.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Selection {
    /// The module's id.
    pub module: String,
    /// The plan's id; the module's first plan when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub plan: Option<String>,
    /// Seats, units or usage; 1 when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "schema", schemars(with = "Option<String>"))]
    pub quantity: Option<Decimal>,
    /// Transaction amounts, for percentage plans.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[cfg_attr(feature = "schema", schemars(with = "Vec<String>"))]
    pub transactions: Vec<Decimal>,
    /// A purchase (the default) or a cancellation credited for its unused time.
    #[serde(default, skip_serializing_if = "Action::is_purchase")]
    pub action: Action,
}

/// What a selection does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Action {
    /// Buy: the line is charged (prorated when the request says so).
    #[default]
    Purchase,
    /// Cancel a recurring plan: the line is a credit (a negative net) for the unused days,
    /// `[date, end)` of the request's proration, or the whole period without one.
    Cancel,
}

impl Action {
    /// True for a purchase.
    pub fn is_purchase(&self) -> bool {
        *self == Action::Purchase
    }
}

impl Selection {
    /// `quantity` of `module` at its first plan.
    pub fn new(module: impl Into<String>, quantity: Decimal) -> Selection {
        Selection {
            module: module.into(),
            plan: None,
            quantity: Some(quantity),
            transactions: Vec::new(),
            action: Action::Purchase,
        }
    }
}

/// What to quote.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct QuoteRequest {
    /// The modules, one line each, in this order.
    pub selections: Vec<Selection>,
    /// The currency to quote in (the buyer's).
    pub currency: Currency,
    /// The day the price applies (which discounts are active).
    pub date: Date,
    /// For a purchase inside a billing period: the days charged, `[start, end)`, where
    /// `end` is the next renewal day. Usage and one-time plans are never prorated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prorate: Option<Period>,
}

/// One priced line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct QuoteLine {
    /// The module's id.
    pub module: String,
    /// The module's display name.
    pub module_name: String,
    /// The plan's id; absent for a bundle priced from its parts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub plan: Option<String>,
    /// One sentence a person can read.
    pub description: String,
    /// The quantity priced (for per-transaction percentages, the number of transactions).
    #[cfg_attr(feature = "schema", schemars(with = "String"))]
    pub quantity: Decimal,
    /// The unit of the quantity.
    pub unit: String,
    /// Where the price came from.
    pub price_source: PriceSource,
    /// The full period's amount before discounts, exact.
    #[cfg_attr(feature = "schema", schemars(with = "String"))]
    pub list_amount: Decimal,
    /// The full period's discounts, exact (bundle discount included).
    #[cfg_attr(feature = "schema", schemars(with = "String"))]
    pub discount_amount: Decimal,
    /// Each discount applied.
    pub discounts: Vec<AppliedDiscount>,
    /// The share of the billing period charged; absent when the whole period is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub proration: Option<Proration>,
    /// What is charged: (list − discounts) × proration, rounded to the minor unit.
    #[cfg_attr(feature = "schema", schemars(with = "String"))]
    pub net_amount: Decimal,
}

/// A priced selection.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Quote {
    /// One line per selection, in the request's order.
    pub lines: Vec<QuoteLine>,
    /// The exact sum of the lines' net amounts.
    #[cfg_attr(feature = "schema", schemars(with = "String"))]
    pub total: Decimal,
    /// The currency of every amount.
    pub currency: Currency,
    /// The day priced.
    pub date: Date,
    /// The rounding mode the lines used.
    pub rounding: Rounding,
}

/// Quotes `request` against the manifests. A cancellation's line is a credit: its net
/// amount is negative, and the total is the sum of charges less credits.
///
/// # Errors
/// [`ErrorKind::UnknownModule`], [`ErrorKind::UnknownPlan`], [`ErrorKind::NoPrice`] for a selection the
/// catalog cannot price in the currency; [`ErrorKind::Input`] for a negative quantity, a
/// proration outside one billing period or an empty selection list; [`ErrorKind::Overflow`].
/// Errors about one selection name it in their path (`selections[2].quantity`).
pub fn quote(manifests: &Manifests, request: &QuoteRequest) -> Result<Quote> {
    if request.selections.is_empty() {
        return Err(Error::input(
            "selections",
            "select at least one module to quote",
        ));
    }
    let mut lines = Vec::with_capacity(request.selections.len());
    let mut total = Decimal::ZERO;
    let mut prorations = Prorations::new(request.prorate);
    for (i, sel) in request.selections.iter().enumerate() {
        let line = line(manifests, request, &mut prorations, sel).map_err(|e| at(i, e))?;
        total = add(total, line.net_amount)?;
        lines.push(line);
    }
    Ok(Quote {
        lines,
        total,
        currency: request.currency,
        date: request.date,
        rounding: manifests.catalog().rounding,
    })
}

/// Prefixes an input error's path with the selection it is about.
fn at(i: usize, e: Error) -> Error {
    match e.kind() {
        ErrorKind::Input { path, message } if path != "prorate" => {
            Error::input(format!("selections[{i}].{path}"), message.clone())
        }
        _ => e,
    }
}

/// The plan a selection names, or the module's first.
///
/// # Errors
/// [`ErrorKind::UnknownPlan`].
pub fn plan_of<'a>(module: &'a Module, plan: Option<&str>) -> Result<&'a Plan> {
    match plan {
        Some(id) => module.plan(id),
        None => module.plans.first(),
    }
    .ok_or_else(|| {
        ErrorKind::UnknownPlan {
            module: module.id.clone(),
            plan: plan.unwrap_or("(any)").to_string(),
        }
        .into()
    })
}

/// The proration of each billing period in a quote, worked out once per quote.
struct Prorations {
    prorate: Option<Period>,
    month: Option<Option<(Proration, String)>>,
    year: Option<Option<(Proration, String)>>,
}

impl Prorations {
    fn new(prorate: Option<Period>) -> Prorations {
        Prorations {
            prorate,
            month: None,
            year: None,
        }
    }

    /// The proration of a plan billed every `period` and its words; `None` when the plan is
    /// not prorated (usage, one-time, or the whole period charged).
    fn of(&mut self, period: BillingPeriod, charge: Charge) -> Result<Option<(Proration, &str)>> {
        let Some(charged) = self.prorate else {
            return Ok(None);
        };
        if charge == Charge::Usage {
            return Ok(None);
        }
        let slot = match period {
            BillingPeriod::Month => &mut self.month,
            BillingPeriod::Year => &mut self.year,
            BillingPeriod::OneTime => return Ok(None),
        };
        if slot.is_none() {
            let p = Proration::for_plan(charged, period)?.filter(|p| !p.is_full());
            *slot = Some(p.map(|p| (p, p.describe())));
        }
        Ok(slot
            .as_ref()
            .and_then(Option::as_ref)
            .map(|(p, words)| (*p, words.as_str())))
    }
}

/// One line: a purchase, or a cancellation's credit (the same amount, negated).
fn line(
    manifests: &Manifests,
    request: &QuoteRequest,
    prorations: &mut Prorations,
    sel: &Selection,
) -> Result<QuoteLine> {
    let mut l = purchase_line(manifests, request, prorations, sel)?;
    if sel.action == Action::Cancel {
        let module = manifests.module(&sel.module)?;
        let plan = match l.plan.as_deref() {
            Some(p) => module.plan(p),
            None => module
                .includes
                .first()
                .and_then(|id| manifests.module(id).ok())
                .and_then(|part| part.plans.first()),
        };
        if plan.map_or(true, |p| {
            p.charge == Charge::Usage || p.period == BillingPeriod::OneTime
        }) {
            return Err(Error::input(
                "action",
                format!("{} is not a recurring plan: only seats, units and fixed fees billed every month or year can be cancelled for a credit", module.id),
            ));
        }
        if !l.net_amount.is_zero() {
            l.net_amount = -l.net_amount;
        }
        // The description up to its last " = " (found by bytes: no substring searcher).
        let head = l
            .description
            .as_bytes()
            .windows(3)
            .rposition(|w| w == b" = ")
            .and_then(|i| l.description.get(..i))
            .unwrap_or(&l.description);
        l.description = format!(
            "Credit for unused time: {head} = {}",
            describe::Amount(l.net_amount, request.currency)
        );
    }
    Ok(l)
}

fn purchase_line(
    manifests: &Manifests,
    request: &QuoteRequest,
    prorations: &mut Prorations,
    sel: &Selection,
) -> Result<QuoteLine> {
    let module = manifests.module(&sel.module)?;
    let currency = request.currency;
    let quantity = sel.quantity.unwrap_or(Decimal::ONE);
    models::check_quantity(quantity)?;
    let rounding = manifests.catalog().rounding;
    let active = discount::active(manifests.contract(), module, request.date);

    if module.is_bundle()
        && (module.plans.is_empty()
            || sel
                .plan
                .as_deref()
                .is_some_and(|p| module.plan(p).is_none()))
    {
        let b = bundle::price(
            manifests,
            module,
            sel.plan.as_deref(),
            currency,
            quantity,
            &sel.transactions,
        )?;
        let after_bundle = sub(b.sum, b.discount)?;
        let (left, mut applied) = discount::apply(active, after_bundle, currency)?;
        if !b.discount.is_zero() {
            applied.insert(
                0,
                AppliedDiscount {
                    id: "bundle".into(),
                    description: format!("{} % bundle discount", describe::number(b.percent)),
                    percent: Some(b.percent),
                    amount: b.discount,
                },
            );
        }
        let pr = prorations.of(b.period, b.charge)?;
        let net = net(left, pr.map(|(p, _)| p), currency, rounding)?;
        return Ok(QuoteLine {
            module: module.id.clone(),
            module_name: module.name.clone(),
            plan: None,
            description: describe::bundle_line(
                &b,
                quantity,
                &applied,
                pr.map(|(_, w)| w),
                net,
                currency,
            ),
            quantity,
            unit: b.unit.clone(),
            price_source: PriceSource::Bundle,
            list_amount: b.sum,
            discount_amount: sub(b.sum, left)?,
            discounts: applied,
            proration: pr.map(|(p, _)| p),
            net_amount: net,
        });
    }

    let plan = plan_of(module, sel.plan.as_deref())?;
    let (price, source) = discount::price_for(manifests.contract(), module, plan, currency)?;
    let model = models::model_amount(&price.model, quantity, &sel.transactions)?;
    let list = models::bound(model, price.minimum, price.maximum)?;
    let (left, applied) = discount::apply(active, list, currency)?;
    let pr = prorations.of(plan.period, plan.charge)?;
    let net = net(left, pr.map(|(p, _)| p), currency, rounding)?;
    let quantity = match price.model {
        crate::manifest::PriceModel::Percentage { .. } => Decimal::from(sel.transactions.len()),
        _ => quantity,
    };
    let priced = Priced {
        price,
        quantity,
        transactions: &sel.transactions,
        unit: &plan.unit,
        period: plan.period,
        currency,
    };
    Ok(QuoteLine {
        module: module.id.clone(),
        module_name: module.name.clone(),
        plan: Some(plan.id.clone()),
        description: describe::plan_line(&priced, model, list, &applied, pr.map(|(_, w)| w), net)?,
        quantity,
        unit: plan.unit.clone(),
        price_source: source,
        list_amount: list,
        discount_amount: sub(list, left)?,
        discounts: applied,
        proration: pr.map(|(p, _)| p),
        net_amount: net,
    })
}

fn net(
    left: Decimal,
    proration: Option<Proration>,
    currency: Currency,
    rounding: Rounding,
) -> Result<Decimal> {
    let exact = match proration {
        Some(p) => p.apply(left)?,
        None => left,
    };
    Ok(rounding.round(exact, currency.minor_units()))
}
