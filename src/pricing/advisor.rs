//! The best-plan advisor: replays a usage history through every option a customer could
//! have chosen (each plan of a module, or combinations such as a plan plus add-on packs,
//! monthly against annual) and says which adequate option would have cost least.
//!
//! The history is a list of consecutive monthly periods, each mapping a metric (a feature
//! id such as `"calls.minutes"`) to the usage of that month. Each option is priced at the
//! contract's price (override and discounts active on the request's date):
//!
//! - a monthly plan is charged once per month of history on that month's quantity;
//! - a yearly plan is charged a twelfth of its yearly price per month of history; a
//!   metered yearly plan is priced on the month's usage × 12 (the month's run rate);
//! - a one-time plan is charged once, on the first month's quantity.
//!
//! Amounts stay exact per month; each option's total is rounded once, to the currency's
//! minor unit with the catalog's rounding mode.

use crate::collections::Map;
use crate::quoted::quoted;
use crate::ErrorKind;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::describe::{number, Amount};
use super::discount;
use super::models;
use super::quote::plan_of;
use crate::calendar::Date;
use crate::error::{Error, Result};
use crate::manifest::{BillingPeriod, Charge, Manifests};
use crate::money::{add, div, mul, sub, Currency};

const TWELVE: Decimal = Decimal::from_parts(12, 0, 0, false, 0);

/// Where a component's quantity comes from in each period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum QuantitySource {
    /// The same quantity every period (seats, packs bought up front).
    Fixed(#[cfg_attr(feature = "schema", schemars(with = "String"))] Decimal),
    /// The period's usage of this metric (metered plans, or packs sized to the usage).
    Metric(String),
}

/// One module at one plan inside an option.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Component {
    /// The module's id.
    pub module: String,
    /// The plan's id.
    pub plan: String,
    /// Its quantity each period.
    pub quantity: QuantitySource,
}

/// One option the customer could have chosen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Candidate {
    /// Stable id.
    pub id: String,
    /// What a person reads ("Sandbox, annual").
    pub label: String,
    /// What it buys.
    pub components: Vec<Component>,
    /// Per metric, the most usage it covers in a month; a metric not named is unbounded.
    #[serde(default)]
    #[cfg_attr(
        feature = "schema",
        schemars(with = "std::collections::BTreeMap<String, String>")
    )]
    pub covers: Map<String, Decimal>,
}

/// What to advise on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct AdviceRequest {
    /// The currency.
    pub currency: Currency,
    /// The day whose contract terms apply.
    pub date: Date,
    /// Consecutive months of usage, oldest first: metric → usage.
    #[cfg_attr(
        feature = "schema",
        schemars(with = "Vec<std::collections::BTreeMap<String, String>>")
    )]
    pub history: Vec<Map<String, Decimal>>,
    /// The options to compare.
    pub candidates: Vec<Candidate>,
    /// The id of the option the customer has now.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub current: Option<String>,
}

/// One option's cost over the history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct OptionCost {
    /// The candidate's id.
    pub id: String,
    /// The candidate's label.
    pub label: String,
    /// Each month's exact cost.
    #[cfg_attr(feature = "schema", schemars(with = "Vec<String>"))]
    pub per_period: Vec<Decimal>,
    /// The whole history's cost, rounded to the minor unit.
    #[cfg_attr(feature = "schema", schemars(with = "String"))]
    pub total: Decimal,
    /// True when it covers the usage of every month.
    pub adequate: bool,
    /// Why it is not adequate.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shortfall: Option<String>,
}

/// The advisor's answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Advice {
    /// Every option, in the request's order.
    pub options: Vec<OptionCost>,
    /// The cheapest adequate option (the first such on a tie).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub best: Option<String>,
    /// The current option's total less the best's: what switching saves (zero when the
    /// best is the current one). Negative only when the current option falls short of the
    /// usage and covering it costs more.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "schema", schemars(with = "Option<String>"))]
    pub saving: Option<Decimal>,
    /// The currency.
    pub currency: Currency,
    /// The advice in one sentence.
    pub sentence: String,
}

/// One candidate per plan of `module`: metered plans take their metric's usage, the others
/// `quantity` (seats or units).
///
/// # Errors
/// [`ErrorKind::UnknownModule`].
pub fn plans_of(manifests: &Manifests, module: &str, quantity: Decimal) -> Result<Vec<Candidate>> {
    let m = manifests.module(module)?;
    Ok(m.plans
        .iter()
        .map(|p| Candidate {
            id: p.id.clone(),
            label: if p.name.is_empty() {
                format!("{} {}", m.name, p.id)
            } else {
                format!("{} {}", m.name, p.name)
            },
            components: vec![Component {
                module: m.id.clone(),
                plan: p.id.clone(),
                quantity: match (&p.metric, p.charge) {
                    (Some(metric), Charge::Usage) => QuantitySource::Metric(metric.clone()),
                    _ => QuantitySource::Fixed(quantity),
                },
            }],
            covers: Map::new(),
        })
        .collect())
}

/// Replays the history through every candidate.
///
/// # Errors
/// [`ErrorKind::Input`] for an empty history or candidate list, an unknown `current`, or a
/// negative usage; [`ErrorKind::UnknownModule`], [`ErrorKind::UnknownPlan`], [`ErrorKind::NoPrice`] for
/// a component the catalog cannot price; [`ErrorKind::Overflow`].
pub fn advise(manifests: &Manifests, request: &AdviceRequest) -> Result<Advice> {
    if request.history.is_empty() {
        return Err(Error::input("history", "give at least one month of usage"));
    }
    if request.candidates.is_empty() {
        return Err(Error::input(
            "candidates",
            "give at least one option to compare",
        ));
    }
    let rounding = manifests.catalog().rounding;
    let c = request.currency;
    let mut options = Vec::with_capacity(request.candidates.len());
    for (i, cand) in request.candidates.iter().enumerate() {
        let per_period = cost(manifests, request, cand).map_err(|e| match e.kind() {
            ErrorKind::Input { path, message } => {
                Error::input(format!("candidates[{i}].{path}"), message.clone())
            }
            _ => e,
        })?;
        let total = rounding.round(
            per_period
                .iter()
                .try_fold(Decimal::ZERO, |a, b| add(a, *b))?,
            c.minor_units(),
        );
        let shortfall = shortfall(&request.history, &cand.covers);
        options.push(OptionCost {
            id: cand.id.clone(),
            label: cand.label.clone(),
            per_period,
            total,
            adequate: shortfall.is_none(),
            shortfall,
        });
    }
    let best = options
        .iter()
        .filter(|o| o.adequate)
        .fold(None::<&OptionCost>, |b, o| match b {
            Some(b) if b.total <= o.total => Some(b),
            _ => Some(o),
        });
    let current = match &request.current {
        Some(id) => Some(options.iter().find(|o| &o.id == id).ok_or_else(|| {
            Error::input(
                "current",
                format!("{} is not one of the candidates", quoted(id)),
            )
        })?),
        None => None,
    };
    let months = request.history.len();
    let m = |a: Decimal| Amount(a, c).to_string();
    let over = format!(
        "Over the {} month{} of history",
        number(Decimal::from(months)),
        if months == 1 { "" } else { "s" }
    );
    let (saving, sentence) = match (best, current) {
        (None, _) => (
            None,
            format!("{over}, no option covers the usage of every month."),
        ),
        (Some(b), Some(cur)) if b.id == cur.id => (
            Some(Decimal::ZERO),
            format!(
                "{over}, {} (the current option) is already the cheapest adequate one, at {}.",
                b.label,
                m(b.total)
            ),
        ),
        (Some(b), Some(cur)) if !cur.adequate => {
            let s = sub(cur.total, b.total)?;
            let diff = if s.is_sign_negative() {
                format!("{} more", m(-s))
            } else {
                format!("{} less", m(s))
            };
            (
                Some(s),
                format!(
                    "{over}, {} (the current option) fell short ({}); {} covers the usage for {}, {diff}.",
                    cur.label,
                    cur.shortfall.as_deref().unwrap_or("it does not cover the usage"),
                    b.label,
                    m(b.total),
                ),
            )
        }
        (Some(b), Some(cur)) => {
            let s = sub(cur.total, b.total)?;
            (
                Some(s),
                format!(
                    "{over}, {} would have cost {} against {} on {}: a saving of {}.",
                    b.label,
                    m(b.total),
                    m(cur.total),
                    cur.label,
                    m(s)
                ),
            )
        }
        (Some(b), None) => (
            None,
            format!(
                "{over}, {} is the cheapest adequate option, at {}.",
                b.label,
                m(b.total)
            ),
        ),
    };
    Ok(Advice {
        best: best.map(|b| b.id.clone()),
        options,
        saving,
        currency: c,
        sentence,
    })
}

fn cost(manifests: &Manifests, request: &AdviceRequest, cand: &Candidate) -> Result<Vec<Decimal>> {
    let mut per = vec![Decimal::ZERO; request.history.len()];
    for comp in &cand.components {
        let module = manifests.module(&comp.module)?;
        let plan = plan_of(module, Some(&comp.plan))?;
        let (price, _) = discount::price_for(manifests.contract(), module, plan, request.currency)?;
        for (month, (usage, slot)) in request.history.iter().zip(per.iter_mut()).enumerate() {
            let q = match &comp.quantity {
                QuantitySource::Fixed(q) => *q,
                QuantitySource::Metric(metric) => {
                    usage.get(metric).copied().unwrap_or(Decimal::ZERO)
                }
            };
            models::check_quantity(q).map_err(|_| {
                Error::input(
                    format!("history[{month}]"),
                    format!("usage cannot be negative, got {q}"),
                )
            })?;
            let amount = match plan.period {
                BillingPeriod::Month => models::amount(price, q, &[])?,
                BillingPeriod::Year => {
                    let q = match comp.quantity {
                        QuantitySource::Fixed(_) => q,
                        QuantitySource::Metric(_) => mul(q, TWELVE)?,
                    };
                    div(models::amount(price, q, &[])?, TWELVE)?
                }
                BillingPeriod::OneTime if month == 0 => models::amount(price, q, &[])?,
                BillingPeriod::OneTime => Decimal::ZERO,
            };
            let active = discount::active(manifests.contract(), module, request.date);
            let (net, _) = discount::apply(active, amount, request.currency)?;
            *slot = add(*slot, net)?;
        }
    }
    Ok(per)
}

fn shortfall(history: &[Map<String, Decimal>], covers: &Map<String, Decimal>) -> Option<String> {
    history.iter().enumerate().find_map(|(i, usage)| {
        covers.iter().find_map(|(metric, cap)| {
            let used = usage.get(metric).copied().unwrap_or(Decimal::ZERO);
            (used > *cap).then(|| {
                format!(
                    "month {} used {} {metric}, above the {} it covers",
                    i + 1,
                    number(used),
                    number(*cap)
                )
            })
        })
    })
}
