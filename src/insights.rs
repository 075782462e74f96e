//! Expansion metrics from charge history: land vs expand revenue per month and the expansion
//! ratio, the time from a buyer's first to second order, attach rates per module and
//! community, the suggestion funnel per module and surface, sales credit per owner, and
//! propensity calibration (predicted against observed, per decile).
//!
//! Pure: the caller passes the charges that count (recorded or approved purchases and
//! trials; not denied, cancelled or pending ones), the funnel events, the users and the
//! policy. Money stays exact and per currency; only rates and probabilities are `f64`.

mod calibration;
mod funnel;

use std::collections::{BTreeMap, BTreeSet};

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

pub use calibration::{calibration, Decile, Prediction};
pub use funnel::{funnel, FunnelEvent, FunnelRow, Stage};

use crate::checkout::{ChargeKind, ChargeRecord, Motion};
use crate::manifest::{Policy, User};
use crate::money::Currency;

/// Land and expand revenue of one month in one currency.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MonthRevenue {
    /// `YYYY-MM` of the charge's creation date.
    pub month: String,
    /// The currency.
    pub currency: Currency,
    /// Revenue of charges attributed to the land motion.
    pub land: Decimal,
    /// Revenue of charges attributed to the expand motion.
    pub expand: Decimal,
}

/// Expand revenue per land revenue, in one currency, over the whole history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExpansionRatio {
    /// The currency.
    pub currency: Currency,
    /// Total land revenue.
    pub land: Decimal,
    /// Total expand revenue.
    pub expand: Decimal,
    /// `expand / land`, rounded to 2 decimals; absent when there is no land revenue.
    pub ratio: Option<Decimal>,
}

/// One bucket of the time-to-second-order distribution.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Bucket {
    /// Its label ("0–30 days").
    pub label: String,
    /// Fewest days included.
    pub from_days: i64,
    /// Most days included; absent for the last, open bucket.
    pub to_days: Option<i64>,
    /// Buyers whose second order came this many days after their first.
    pub buyers: u32,
}

/// The time from each buyer's first purchase to their second.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SecondOrder {
    /// The distribution.
    pub buckets: Vec<Bucket>,
    /// The median in days (the mean of the two middle values for an even count).
    pub median_days: Option<f64>,
    /// Buyers with two purchases or more.
    pub repeat_buyers: u32,
    /// Buyers with exactly one purchase so far.
    pub single_buyers: u32,
}

/// How many members of a community bought a module it offers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Attach {
    /// The community.
    pub community: String,
    /// The module.
    pub module: String,
    /// Members of the community.
    pub members: u32,
    /// Members who bought it at least once.
    pub buyers: u32,
    /// `buyers / members` (0 when the community is empty).
    pub rate: f64,
}

/// Sales credit earned by one account-team member in one currency.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Credit {
    /// The owner (`ae-114`).
    pub owner: String,
    /// The currency.
    pub currency: Currency,
    /// Purchases credited.
    pub purchases: u32,
    /// Of which land.
    pub land: Decimal,
    /// Of which expand.
    pub expand: Decimal,
    /// Their sum.
    pub total: Decimal,
}

/// Every series the supplier's insights page draws.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Insights {
    /// Land vs expand revenue per month and currency, in month order.
    pub revenue: Vec<MonthRevenue>,
    /// The expansion ratio per currency.
    pub expansion: Vec<ExpansionRatio>,
    /// Time from first to second order.
    pub second_order: SecondOrder,
    /// Attach rate per community and module.
    pub attach: Vec<Attach>,
    /// The suggestion funnel per module and surface.
    pub funnel: Vec<FunnelRow>,
    /// Sales credit per owner.
    pub credit: Vec<Credit>,
    /// Propensity calibration per decile.
    pub calibration: Vec<Decile>,
}

/// What [`insights`] reads.
#[derive(Debug, Clone, Copy)]
pub struct History<'a> {
    /// Charges that count (see the module docs).
    pub charges: &'a [ChargeRecord],
    /// Funnel events.
    pub events: &'a [FunnelEvent],
    /// The customer's users (for community membership).
    pub users: &'a [User],
    /// The policy defining the communities.
    pub policy: &'a Policy,
    /// Predicted probabilities with what happened.
    pub predictions: &'a [Prediction],
}

/// Every insight series at once.
pub fn insights(h: &History<'_>) -> Insights {
    Insights {
        revenue: revenue(h.charges),
        expansion: expansion(h.charges),
        second_order: second_order(h.charges),
        attach: attach(h.charges, h.users, h.policy),
        funnel: funnel(h.events),
        credit: credit(h.charges),
        calibration: calibration(h.predictions),
    }
}

fn purchases(charges: &[ChargeRecord]) -> impl Iterator<Item = &ChargeRecord> {
    charges.iter().filter(|c| c.kind == ChargeKind::Purchase)
}

fn month_of(c: &ChargeRecord) -> String {
    let (y, m, _) = c.created_at.date().ymd();
    format!("{y:04}-{m:02}")
}

/// Land and expand revenue per month and currency, months in order, empty months between
/// the first and the last included with zeros.
pub fn revenue(charges: &[ChargeRecord]) -> Vec<MonthRevenue> {
    let mut by: BTreeMap<(String, Currency), (Decimal, Decimal)> = BTreeMap::new();
    let mut currencies = BTreeSet::new();
    let mut dates = Vec::new();
    for c in purchases(charges) {
        currencies.insert(c.currency);
        dates.push(c.created_at.date().month_start());
        let e = by.entry((month_of(c), c.currency)).or_default();
        match c.attribution.motion {
            Motion::Land => e.0 = e.0.saturating_add(c.total),
            Motion::Expand => e.1 = e.1.saturating_add(c.total),
        }
    }
    let (Some(first), Some(last)) = (dates.iter().min(), dates.iter().max()) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let mut d = *first;
    while d <= *last {
        let (y, m, _) = d.ymd();
        let month = format!("{y:04}-{m:02}");
        for cur in &currencies {
            let (land, expand) = by.get(&(month.clone(), *cur)).copied().unwrap_or_default();
            out.push(MonthRevenue {
                month: month.clone(),
                currency: *cur,
                land,
                expand,
            });
        }
        d = d.plus_months(1);
    }
    out
}

/// Expand dollars per land dollar, per currency.
pub fn expansion(charges: &[ChargeRecord]) -> Vec<ExpansionRatio> {
    let mut by: BTreeMap<Currency, (Decimal, Decimal)> = BTreeMap::new();
    for c in purchases(charges) {
        let e = by.entry(c.currency).or_default();
        match c.attribution.motion {
            Motion::Land => e.0 = e.0.saturating_add(c.total),
            Motion::Expand => e.1 = e.1.saturating_add(c.total),
        }
    }
    by.into_iter()
        .map(|(currency, (land, expand))| ExpansionRatio {
            currency,
            land,
            expand,
            ratio: (!land.is_zero())
                .then(|| expand.checked_div(land))
                .flatten()
                .map(|r| r.round_dp(2)),
        })
        .collect()
}

/// The buckets of the time-to-second-order distribution, in days.
pub const BUCKETS: [(i64, Option<i64>, &str); 5] = [
    (0, Some(30), "0–30 days"),
    (31, Some(90), "31–90 days"),
    (91, Some(180), "91–180 days"),
    (181, Some(365), "181–365 days"),
    (366, None, "over a year"),
];

/// Days from each buyer's first purchase to their second, bucketed, with the median.
pub fn second_order(charges: &[ChargeRecord]) -> SecondOrder {
    let mut by_user: BTreeMap<&str, Vec<i64>> = BTreeMap::new();
    for c in purchases(charges) {
        by_user.entry(&c.user).or_default().push(c.created_at.0);
    }
    let mut days = Vec::new();
    let mut single = 0u32;
    for times in by_user.values_mut() {
        times.sort_unstable();
        match (times.first(), times.get(1)) {
            (Some(a), Some(b)) => days.push((b - a).div_euclid(86_400_000)),
            _ => single += 1,
        }
    }
    days.sort_unstable();
    let buckets = BUCKETS
        .iter()
        .map(|&(from, to, label)| Bucket {
            label: label.to_string(),
            from_days: from,
            to_days: to,
            buyers: count(
                days.iter()
                    .filter(|&&d| d >= from && to.map_or(true, |t| d <= t)),
            ),
        })
        .collect();
    let n = days.len();
    let median_days = match n {
        0 => None,
        _ if n % 2 == 1 => days.get(n / 2).map(|&d| d as f64),
        _ => match (days.get(n / 2 - 1), days.get(n / 2)) {
            (Some(&a), Some(&b)) => Some((a + b) as f64 / 2.0),
            _ => None,
        },
    };
    SecondOrder {
        buckets,
        median_days,
        repeat_buyers: count(days.iter()),
        single_buyers: single,
    }
}

fn count<T>(it: impl Iterator<Item = T>) -> u32 {
    u32::try_from(it.count()).unwrap_or(u32::MAX)
}

/// Per community and each module it offers: the share of its members who bought it.
pub fn attach(charges: &[ChargeRecord], users: &[User], policy: &Policy) -> Vec<Attach> {
    let bought: BTreeSet<(&str, &str)> = purchases(charges)
        .map(|c| (c.user.as_str(), c.module.as_str()))
        .collect();
    let mut out = Vec::new();
    for community in &policy.communities {
        let members: Vec<&User> = users
            .iter()
            .filter(|u| community.members.matches(&u.attributes))
            .collect();
        for module in &community.modules {
            let buyers = count(
                members
                    .iter()
                    .filter(|u| bought.contains(&(u.id.as_str(), module.as_str()))),
            );
            let n = count(members.iter());
            out.push(Attach {
                community: community.id.clone(),
                module: module.clone(),
                members: n,
                buyers,
                rate: if n == 0 {
                    0.0
                } else {
                    f64::from(buyers) / f64::from(n)
                },
            });
        }
    }
    out
}

/// Sales credit per owner and currency, owners in id order.
pub fn credit(charges: &[ChargeRecord]) -> Vec<Credit> {
    let mut by: BTreeMap<(&str, Currency), Credit> = BTreeMap::new();
    for c in purchases(charges) {
        let e = by
            .entry((&c.attribution.owner, c.currency))
            .or_insert_with(|| Credit {
                owner: c.attribution.owner.clone(),
                currency: c.currency,
                purchases: 0,
                land: Decimal::ZERO,
                expand: Decimal::ZERO,
                total: Decimal::ZERO,
            });
        e.purchases = e.purchases.saturating_add(1);
        match c.attribution.motion {
            Motion::Land => e.land = e.land.saturating_add(c.total),
            Motion::Expand => e.expand = e.expand.saturating_add(c.total),
        }
        e.total = e.total.saturating_add(c.total);
    }
    by.into_values().collect()
}

// The tests read their charge history from JSON text (the `json` feature; CI runs them
// with `--all-features`).
#[cfg(all(test, feature = "json"))]
mod tests;
