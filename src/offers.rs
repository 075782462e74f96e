//! What one user may be offered: the policy's modules for their communities, less what
//! they own or cannot combine with what they own, less what no allowed funding source can
//! pay for; each priced for this customer with the funding it would use, then ranked and
//! explained by the propensity model under the guardrails (help before selling, cool-down
//! after a dismissal, a daily cap, nothing for a module on trial).

use std::collections::{BTreeMap, BTreeSet};

use rust_decimal::Decimal;
use serde::Serialize;

use crate::calendar::Instant;
use crate::checkout::{prepare, ChargeKind, Context, Decision, Intent};
use crate::entitlement::dependencies::owned_modules;
use crate::entitlement::{Grant, GrantSource};
use crate::error::Result;
use crate::manifest::{BillingPeriod, Manifests, PriceModel, User};
use crate::money::Currency;
use crate::propensity::{
    rank, Candidate, Explanation, Limits, Scorer, Signals, SuggestionKind, SuggestionLog,
    UsageEvent,
};

/// The price shown with an offer: `amount` for `quantity` `unit`s per `period`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OfferPrice {
    /// The plan quoted.
    pub plan: String,
    /// How often it bills.
    pub period: BillingPeriod,
    /// What is counted (`"user"`, `"envelope"`).
    pub unit: String,
    /// How many units the amount is for (1, or a package's size).
    pub quantity: Decimal,
    /// The amount for this customer, with the contract's terms, rounded.
    pub amount: Decimal,
    /// The currency.
    pub currency: Currency,
    /// Modules bought together with it because it requires them.
    pub requires: Vec<String>,
}

/// One offer, ready to show.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Offer {
    /// The module.
    pub module: String,
    /// Its name (catalog text: show as text).
    pub name: String,
    /// One line of value.
    pub tagline: String,
    /// What it is.
    pub description: String,
    /// Buy, or help with a module already owned.
    pub kind: SuggestionKind,
    /// Why, in plain words, from the user's own signals.
    pub reason: Explanation,
    /// The model's probability that the user wants it.
    pub probability: f64,
    /// The price; absent for help.
    pub price: Option<OfferPrice>,
    /// How it would be paid; absent for help.
    pub funding: Option<Decision>,
    /// Days of free trial the user may start; absent when no trial is possible.
    pub trial_days: Option<u32>,
}

/// What [`offers`] reads besides the manifests.
#[derive(Debug, Clone, Copy)]
pub struct Inputs<'a> {
    /// The user.
    pub user: &'a User,
    /// The grants covering them.
    pub grants: &'a [Grant],
    /// Their usage telemetry.
    pub events: &'a [UsageEvent],
    /// What was shown and dismissed.
    pub log: &'a SuggestionLog,
    /// The checkout context for pricing and funding (spend, manifest refs).
    pub checkout: Context<'a>,
    /// When.
    pub now: Instant,
}

/// The offers for one user now, ranked, at most `max`.
///
/// # Errors
/// Only for broken inputs (an unknown module in a grant); a module that cannot be priced
/// or funded is left out, not an error.
pub fn offers(
    manifests: &Manifests,
    scorer: &Scorer,
    input: &Inputs<'_>,
    max: usize,
) -> Result<Vec<Offer>> {
    let today = input.now.date();
    let catalog = manifests.catalog();
    let owned = owned_modules(catalog, input.grants, input.user, today);
    let in_trial: BTreeSet<&str> = input
        .grants
        .iter()
        .filter(|g| g.source == GrantSource::Trial && g.covers(input.user) && g.active_on(today))
        .map(|g| g.module.as_str())
        .collect();
    let communities: Vec<_> = manifests
        .policy()
        .communities_of(&input.user.attributes)
        .collect();
    let mut offered: Vec<&str> = Vec::new();
    for c in &communities {
        for m in &c.modules {
            if !offered.contains(&m.as_str()) {
                offered.push(m);
            }
        }
    }
    let mut priced: BTreeMap<&str, (OfferPrice, Decision, Option<u32>)> = BTreeMap::new();
    let mut candidates = Vec::new();
    for id in owned.iter().map(String::as_str) {
        candidates.push(Candidate {
            module: id,
            owned: true,
            in_trial: in_trial.contains(id),
        });
    }
    for &id in &offered {
        if owned.contains(id) && !in_trial.contains(id) {
            continue;
        }
        let Some(p) = price_offer(manifests, input, id) else {
            continue;
        };
        priced.insert(id, p);
        candidates.push(Candidate {
            module: id,
            owned: false,
            in_trial: in_trial.contains(id),
        });
    }
    let owned_list: Vec<String> = owned.iter().cloned().collect();
    let signals = Signals::fold(input.events, input.now, catalog, &owned_list);
    let scores = scorer.score(&signals, communities.first().map(|c| c.id.as_str()));
    let limits = Limits::from_policy(manifests.policy());
    let ranked = rank(
        &candidates,
        &scores,
        &signals,
        catalog,
        input.log,
        &limits,
        input.now,
    );
    let mut out = Vec::new();
    for s in ranked.into_iter().take(max) {
        let Ok(module) = manifests.module(&s.module) else {
            continue;
        };
        let (price, funding, trial_days) = match (s.kind, priced.get(s.module.as_str())) {
            (SuggestionKind::Buy, Some((p, d, t))) => (Some(p.clone()), Some(d.clone()), *t),
            (SuggestionKind::Buy, None) => continue,
            (SuggestionKind::Help, _) => (None, None, None),
        };
        out.push(Offer {
            module: module.id.clone(),
            name: module.name.clone(),
            tagline: module.tagline.clone(),
            description: module.description.clone(),
            kind: s.kind,
            reason: s.explanation,
            probability: s.probability,
            price,
            funding,
            trial_days,
        });
    }
    Ok(out)
}

/// Prices one module as the user would buy it, with its funding; `None` when it cannot be
/// bought (excluded, not fundable, no price in their currency).
fn price_offer(
    manifests: &Manifests,
    input: &Inputs<'_>,
    id: &str,
) -> Option<(OfferPrice, Decision, Option<u32>)> {
    let module = manifests.module(id).ok()?;
    let plan = module.plans.first();
    let quantity = plan
        .and_then(|p| p.prices.values().next())
        .map_or(Decimal::ONE, |price| match price.model {
            PriceModel::Package { size, .. } => size,
            _ => Decimal::ONE,
        });
    let intent = |kind| Intent {
        id: "offer-preview".into(),
        module: id.to_string(),
        plan: None,
        quantity: Some(quantity),
        kind,
        offer: None,
        surface: None,
    };
    let record = prepare(&input.checkout, &intent(ChargeKind::Purchase)).ok()?;
    let trial = prepare(&input.checkout, &intent(ChargeKind::Trial))
        .ok()
        .and(module.trial_days);
    let requires = record
        .lines
        .iter()
        .filter(|l| l.module != id)
        .map(|l| l.module.clone())
        .collect();
    let price = OfferPrice {
        plan: record.plan.clone(),
        period: plan.map_or(BillingPeriod::Month, |p| p.period),
        unit: plan.map_or_else(String::new, |p| p.unit.clone()),
        quantity,
        amount: record.total,
        currency: record.currency,
        requires,
    };
    Some((price, record.funding, trial))
}
