//! What one user may be offered: the policy's modules for their communities, less what
//! they own or cannot combine with what they own, less what no allowed funding source can
//! pay for; each priced for this customer with the funding it would use, then ranked and
//! explained by the propensity model under the guardrails (help before selling, cool-down
//! after a dismissal, a daily cap, nothing for a module on trial).

use crate::collections::Set;

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
    rank_top, Candidate, Explanation, Limits, Scorer, SignalsCache, Suggestion, SuggestionKind,
    SuggestionLog, UsageEvent,
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
    /// The signals folded from `events` (cleared by the caller when they change).
    pub signals: &'a SignalsCache,
    /// What was shown and dismissed.
    pub log: &'a SuggestionLog,
    /// The checkout context for pricing and funding (spend, manifest refs).
    pub checkout: Context<'a>,
    /// When.
    pub now: Instant,
}

/// The modules a user's communities offer, what they own and what they are trying.
struct Pool<'a> {
    owned: Set<String>,
    in_trial: Set<&'a str>,
    community: Option<&'a str>,
    offered: Vec<&'a str>,
}

fn pool<'a>(manifests: &'a Manifests, input: &Inputs<'a>) -> Pool<'a> {
    let today = input.now.date();
    let owned = owned_modules(manifests.catalog(), input.grants, input.user, today);
    let mut in_trial = Set::new();
    for g in input
        .grants
        .iter()
        .filter(|g| g.source == GrantSource::Trial && g.covers(input.user) && g.active_on(today))
    {
        in_trial.insert(g.module.as_str());
    }
    let mut community = None;
    let mut seen = Set::new();
    let mut offered = Vec::new();
    for c in manifests.policy().communities_of(&input.user.attributes) {
        community.get_or_insert(c.id.as_str());
        offered.extend(
            c.modules
                .iter()
                .map(String::as_str)
                .filter(|m| seen.insert(*m)),
        );
    }
    Pool {
        owned,
        in_trial,
        community,
        offered,
    }
}

/// The suggestions for one user now by propensity alone: what their communities offer and
/// they do not own (to buy), and what they own but do not use (help), ranked and explained
/// under the guardrails, at most `max`. Nothing is priced or funded: [`offers`] does that.
pub fn suggest(
    manifests: &Manifests,
    scorer: &Scorer,
    input: &Inputs<'_>,
    max: usize,
) -> Vec<Suggestion> {
    ranked(manifests, scorer, input, &pool(manifests, input), max)
}

/// The ranked suggestions, at most `max` (the first `max` of the whole ranking).
fn ranked(
    manifests: &Manifests,
    scorer: &Scorer,
    input: &Inputs<'_>,
    pool: &Pool<'_>,
    max: usize,
) -> Vec<Suggestion> {
    let catalog = manifests.catalog();
    let mut candidates: Vec<Candidate> = pool
        .owned
        .iter()
        .map(|id| Candidate {
            module: id,
            owned: true,
            in_trial: pool.in_trial.contains(id.as_str()),
        })
        .collect();
    for &id in &pool.offered {
        let trying = pool.in_trial.contains(id);
        if trying || !pool.owned.contains(id) {
            candidates.push(Candidate {
                module: id,
                owned: false,
                in_trial: trying,
            });
        }
    }
    let owned_list: Vec<String> = pool.owned.iter().cloned().collect();
    let signals = input
        .signals
        .get(input.events, input.now, catalog, &owned_list);
    let scores = scorer.score(&signals, pool.community);
    let limits = Limits::from_policy(manifests.policy());
    rank_top(
        &candidates,
        &scores,
        &signals,
        catalog,
        input.log,
        &limits,
        input.now,
        max,
    )
}

/// The offers for one user now, ranked, at most `max`: the suggestions, each bought one
/// priced for this customer with the funding it would use. A suggestion that cannot be
/// bought (excluded by what they own, no allowed funding source, no price in their
/// currency) is left out, so the guardrails never offer what could not be paid for.
///
/// # Errors
/// None today; kept for inputs that may become fallible (the signature is the API).
pub fn offers(
    manifests: &Manifests,
    scorer: &Scorer,
    input: &Inputs<'_>,
    max: usize,
) -> Result<Vec<Offer>> {
    let mut out = Vec::new();
    // All of them: some may not be buyable, so how many are needed is not known here.
    for s in ranked(
        manifests,
        scorer,
        input,
        &pool(manifests, input),
        usize::MAX,
    ) {
        if out.len() >= max {
            break;
        }
        let Ok(module) = manifests.module(&s.module) else {
            continue;
        };
        let (price, funding, trial_days) = match s.kind {
            SuggestionKind::Buy => match price_offer(manifests, input, &s.module) {
                Some((p, d, t)) => (Some(p), Some(d), t),
                None => continue,
            },
            SuggestionKind::Help => (None, None, None),
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
