//! From a purchase intent to a charge record: the derivation the browser runs to propose a
//! charge and the server runs again to verify it, so both reach the same record.
//!
//! 1. the id (the idempotency key) is checked: 8 to 128 characters of `A-Z a-z 0-9 _ -`;
//! 2. the module must be offered to the user by a community of the policy, not owned yet,
//!    and not excluded by what they own; what it requires and they lack is bought with it;
//! 3. the service period starts on the purchase day and runs one billing period
//!    (anniversary billing, so nothing is prorated at purchase);
//! 4. the quote prices every module bought, with the contract's terms on that day;
//! 5. the funding decision follows the policy and the spend to date;
//! 6. attribution: land when the user owns no purchased module yet, expand otherwise; the
//!    contract's account team says who earns the credit.

use crate::ErrorKind;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::funding::{community_offering, decide, Decision, Route, Spend};
use super::record::{Attribution, ChargeKind, ChargeRecord, ManifestRefs, Motion};
use crate::calendar::{Instant, Period};
use crate::entitlement::dependencies::{bundle_for, owned_modules};
use crate::entitlement::trial::start_trial;
use crate::entitlement::{Grant, GrantSource};
use crate::error::{Error, Result};
use crate::manifest::{BillingPeriod, Manifests, User};
use crate::money::Money;
use crate::pricing::quote::plan_of;
use crate::pricing::{quote, QuoteRequest, Selection};

/// What the user asked for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Intent {
    /// The idempotency key, chosen by the client.
    pub id: String,
    /// The module.
    pub module: String,
    /// The plan; the module's first when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub plan: Option<String>,
    /// Seats or units; 1 when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quantity: Option<Decimal>,
    /// A purchase or a trial.
    #[serde(default = "purchase")]
    pub kind: ChargeKind,
    /// The offer that led here (its module id), if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub offer: Option<String>,
    /// Where it happened (`"crm-sidebar"`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub surface: Option<String>,
}

pub(crate) fn purchase() -> ChargeKind {
    ChargeKind::Purchase
}

/// Everything besides the intent that the derivation reads.
#[derive(Debug, Clone, Copy)]
pub struct Context<'a> {
    /// The validated manifests.
    pub manifests: &'a Manifests,
    /// The buyer.
    pub user: &'a User,
    /// The grants covering the buyer (theirs, their department's, the organization's).
    pub grants: &'a [Grant],
    /// Spend to date, for the funding decision.
    pub spend: &'a Spend,
    /// The versions and digests of the manifests.
    pub refs: &'a ManifestRefs,
    /// When.
    pub now: Instant,
}

/// Checks an idempotency key: 8 to 128 characters of `A-Z a-z 0-9 _ -`.
///
/// # Errors
/// [`ErrorKind::Input`] at `id`.
pub fn check_id(id: &str) -> Result<()> {
    let ok = (8..=128).contains(&id.len())
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    if ok {
        Ok(())
    } else {
        Err(Error::input(
            "id",
            "a charge id must be 8 to 128 characters of letters, digits, '-' or '_' (a UUID works)",
        ))
    }
}

/// Builds the charge record for `intent`.
///
/// # Errors
/// [`ErrorKind::Input`] for a bad id or quantity; [`ErrorKind::NotOffered`], [`ErrorKind::AlreadyOwned`],
/// [`ErrorKind::Excluded`], [`ErrorKind::TrialRefused`], [`ErrorKind::NotFundable`], and the pricing
/// errors ([`ErrorKind::UnknownPlan`], [`ErrorKind::NoPrice`], [`ErrorKind::Overflow`]).
pub fn prepare(ctx: &Context<'_>, intent: &Intent) -> Result<ChargeRecord> {
    check_id(&intent.id)?;
    let m = ctx.manifests;
    let module = m.module(&intent.module)?;
    let community = community_offering(m, ctx.user, &module.id)?;
    let today = ctx.now.date();
    let owned = owned_modules(m.catalog(), ctx.grants, ctx.user, today);
    let plan = plan_of(module, intent.plan.as_deref())?;
    let quantity = intent.quantity.unwrap_or(Decimal::ONE);
    if quantity <= Decimal::ZERO {
        return Err(Error::input(
            "quantity",
            format!("must be above zero, got {quantity}"),
        ));
    }
    let period = Period {
        start: today,
        end: match plan.period {
            BillingPeriod::Month => today.plus_months(1),
            BillingPeriod::Year => today.plus_months(12),
            BillingPeriod::OneTime => today.plus_days(1),
        },
    };
    let currency = m.currency_for(ctx.user);
    let motion = if owned.is_empty() {
        Motion::Land
    } else {
        Motion::Expand
    };
    let team = &m.contract().account_team;
    let attribution = Attribution {
        offer: intent.offer.clone(),
        surface: intent.surface.clone(),
        motion,
        owner: match motion {
            Motion::Land => team.land_owner.clone(),
            Motion::Expand => team.expand_owner.clone(),
        },
    };
    let (lines, total, funding, period) = match intent.kind {
        ChargeKind::Trial => {
            if !community.trials {
                return Err(ErrorKind::TrialRefused {
                    module: module.id.clone(),
                    reason: format!(
                        "trials are not allowed for {} by your department admin",
                        community.name
                    ),
                }
                .into());
            }
            let grant = start_trial(
                m.catalog(),
                ctx.grants,
                ctx.user,
                &module.id,
                intent.id.clone(),
                today,
            )?;
            let end = grant.ends.unwrap_or(period.end);
            let days = today.days_until(end);
            let decision = Decision {
                source: "trial".into(),
                name: "Free trial".into(),
                route: Route::Trial,
                approver: None,
                reasons: vec![],
                text: format!("free for {days} days"),
            };
            (
                Vec::new(),
                Decimal::ZERO,
                decision,
                Period { start: today, end },
            )
        }
        ChargeKind::Purchase => {
            // A module on trial is bought for real: its trial does not count as owning it.
            let kept: Vec<Grant> = ctx
                .grants
                .iter()
                .filter(|g| !(g.source == GrantSource::Trial && g.module == module.id))
                .cloned()
                .collect();
            let owned = owned_modules(m.catalog(), &kept, ctx.user, today);
            let selections = bundle_for(m.catalog(), &owned, &module.id)?
                .iter()
                .map(|id| Selection {
                    module: id.clone(),
                    plan: (id == &module.id).then(|| plan.id.clone()),
                    quantity: Some(quantity),
                    transactions: Vec::new(),
                    action: Default::default(),
                })
                .collect();
            let q = quote(
                m,
                &QuoteRequest {
                    selections,
                    currency,
                    date: today,
                    prorate: None,
                },
            )?;
            let decision = decide(
                m,
                ctx.user,
                &module.id,
                Money::new(q.total, currency),
                ctx.spend,
                today,
            )?;
            (q.lines, q.total, decision, period)
        }
    };
    Ok(ChargeRecord {
        id: intent.id.clone(),
        kind: intent.kind,
        customer: m.contract().customer.id.clone(),
        department: ctx.user.department().to_string(),
        user: ctx.user.id.clone(),
        module: module.id.clone(),
        plan: plan.id.clone(),
        quantity,
        lines,
        total,
        currency,
        period,
        funding,
        attribution,
        manifests: ctx.refs.clone(),
        created_at: ctx.now,
    })
}
