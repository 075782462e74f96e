//! Verification of a charge record: run the same derivation the browser ran
//! ([`super::prepare`]) from the record's intent, the manifests, the buyer's grants and the
//! spend to date, and compare, field by field. What the server does with every charge
//! before recording it; the browser may run it too, to know in advance what will be
//! refused. Every difference is a typed [`Refusal`].
//!
//! Pure: the caller passes the manifests, the digests it trusts, the buyer, their grants,
//! the spend (read inside the transaction that will record the charge) and its own time.

mod refusal;

use crate::quoted::quoted;
use crate::ErrorKind;
use rust_decimal::Decimal;

use super::funding::{community_offering, Decision, Route, Spend};
use super::prepare::{prepare, Context, Intent};
use super::record::ChargeRecord;
use crate::calendar::Date;
use crate::error::Error;
use crate::manifest::FundingSource;
use crate::money::add;
use crate::pricing::proration::credit_for_unused;

pub use refusal::Refusal;

/// How far ahead of the verifier's clock a record may be dated (the device's clock skew).
pub const MAX_AHEAD_MS: i64 = 5 * 60 * 1000;
/// How long after its creation a record is still accepted (an outbox delivering after the
/// device was offline); an older one is checked out again.
pub const MAX_AGE_MS: i64 = 24 * 60 * 60 * 1000;

/// What verification re-derived: the record is consistent with it.
#[derive(Debug, Clone, PartialEq)]
pub struct Verified {
    /// The record as the verifier derived it.
    pub record: ChargeRecord,
    /// The funding decision (for a trial, absent).
    pub decision: Option<Decision>,
}

/// Verifies `record` in `ctx`: `ctx.now` is the verifier's time, `ctx.refs` the digests it
/// trusts, `ctx.grants` the buyer's grants as it knows them (trials that ended included),
/// `ctx.spend` the spend to date.
///
/// The record is derived again with [`prepare`] from its own intent (module, plan,
/// quantity, kind, offer, surface, id) at its own time, then compared: the parties, the
/// currency, the lines and total, the funding source, route and approver (the decision's
/// wording may differ) and the period. The attribution's motion and owner are the verifier's
/// own (the returned record carries them), not compared.
///
/// # Errors
/// A [`Refusal`] naming the first difference found.
pub fn verify(record: &ChargeRecord, ctx: &Context<'_>) -> Result<Verified, Refusal> {
    let manifests = ctx.manifests;
    let user = ctx.user;
    for (name, mine, theirs) in [
        ("catalog", &ctx.refs.catalog, &record.manifests.catalog),
        ("contract", &ctx.refs.contract, &record.manifests.contract),
        ("policy", &ctx.refs.policy, &record.manifests.policy),
    ] {
        // A page not given the server's digests (they come with `GET /v1/me/manifests`) names
        // the versions it priced from only; everything else is derived again below anyway.
        let same = if theirs.digest.is_empty() {
            mine.version == theirs.version
        } else {
            mine.digest == theirs.digest
        };
        if !same {
            return Err(Refusal::StaleManifest { manifest: name });
        }
    }
    if record.user != user.id {
        return Err(Refusal::NotYourself);
    }
    let age = ctx.now.0.saturating_sub(record.created_at.0);
    if !(-MAX_AHEAD_MS..=MAX_AGE_MS).contains(&age) {
        return Err(Refusal::StaleClock {
            created_at: record.created_at,
            now: ctx.now,
        });
    }
    let customer = &manifests.contract().customer.id;
    if &record.customer != customer {
        return Err(Refusal::WrongParty {
            what: format!(
                "the charge is for customer {}, not {}",
                quoted(&record.customer),
                quoted(customer)
            ),
        });
    }
    if record.department != user.department() {
        return Err(Refusal::WrongParty {
            what: format!(
                "the charge is for department {}, the buyer is in {}",
                quoted(&record.department),
                quoted(user.department())
            ),
        });
    }
    let currency = manifests.currency_for(user);
    if record.currency != currency {
        return Err(Refusal::WrongCurrency {
            expected: currency,
            found: record.currency,
        });
    }
    let intent = Intent {
        id: record.id.clone(),
        module: record.module.clone(),
        plan: Some(record.plan.clone()),
        quantity: Some(record.quantity),
        kind: record.kind,
        offer: record.attribution.offer.clone(),
        surface: record.attribution.surface.clone(),
    };
    let at_creation = Context {
        now: record.created_at,
        ..*ctx
    };
    let expected = match prepare(&at_creation, &intent) {
        Ok(r) => r,
        Err(e) if matches!(e.kind(), ErrorKind::NotFundable { .. }) => {
            let source = claimed_source(record, ctx)?;
            return Err(limit_refusal(source, record, ctx.spend)?);
        }
        Err(error) => return Err(refusal_of(error)),
    };
    if expected.lines != record.lines || expected.total != record.total {
        return Err(Refusal::PriceMismatch {
            expected: expected.total,
            found: record.total,
        });
    }
    let claimed = &record.funding;
    let decided = &expected.funding;
    if decided.route != Route::Trial {
        let source = claimed_source(record, ctx)?;
        if decided.source != claimed.source
            || decided.route != claimed.route
            || decided.approver != claimed.approver
        {
            if decided.source != claimed.source || decided.route == Route::NeedsApproval {
                let refusal = limit_refusal(source, record, ctx.spend)?;
                if !matches!(refusal, Refusal::FundingMismatch { .. }) {
                    return Err(refusal);
                }
            }
            return Err(Refusal::FundingMismatch {
                expected: decided.text.clone(),
            });
        }
    } else if claimed.route != Route::Trial || claimed.source != decided.source {
        return Err(Refusal::FundingMismatch {
            expected: decided.text.clone(),
        });
    }
    if expected.period != record.period {
        return Err(Refusal::Mismatch { field: "period" });
    }
    // The attribution's offer and surface are the page's to say (where the purchase happened:
    // `expected` took them from the record). Land or expand, and so who earns the credit, are
    // the server's to decide: it knows every purchase, where a page may not have seen one made
    // elsewhere (another device, a purchase not synced yet, a demo's local state). The page's
    // guess is replaced by `expected`'s, not compared.
    let decision = (expected.kind != super::ChargeKind::Trial).then(|| expected.funding.clone());
    Ok(Verified {
        record: expected,
        decision,
    })
}

/// The credit a cancellation of `record` on `on` gives back: the prorated share of its
/// total for the unused days of its period (all of it before the period starts, nothing
/// after it ends).
///
/// # Errors
/// [`Refusal::Invalid`] when the period or the arithmetic is out of range.
pub fn cancel_credit(record: &ChargeRecord, on: Date) -> Result<Decimal, Refusal> {
    if on <= record.period.start {
        return Ok(record.total);
    }
    if on >= record.period.end {
        return Ok(Decimal::ZERO);
    }
    let credit = credit_for_unused(record.total, record.period, on)
        .map_err(|error| Refusal::Invalid { error })?;
    Ok(crate::money::Rounding::default().round(credit, record.currency.minor_units()))
}

/// Checks a cancellation's `claimed` credit for `record` on `on` against [`cancel_credit`].
///
/// # Errors
/// [`Refusal::CreditMismatch`] when they differ.
pub fn verify_cancel(
    record: &ChargeRecord,
    on: Date,
    claimed: Decimal,
) -> Result<Decimal, Refusal> {
    let expected = cancel_credit(record, on)?;
    if expected != claimed {
        return Err(Refusal::CreditMismatch {
            expected,
            found: claimed,
        });
    }
    Ok(expected)
}

/// The claimed funding source, when the buyer's community allows it for the module.
fn claimed_source<'a>(
    record: &ChargeRecord,
    ctx: &Context<'a>,
) -> Result<&'a FundingSource, Refusal> {
    let community =
        community_offering(ctx.manifests, ctx.user, &record.module).map_err(refusal_of)?;
    let claimed = &record.funding.source;
    let allowed = community.funding_for(&record.module);
    let source = ctx
        .manifests
        .contract()
        .funding_source(claimed)
        .filter(|_| allowed.iter().any(|s| s == claimed))
        .ok_or_else(|| Refusal::FundingNotAllowed {
            reason: format!(
                "{claimed} may not pay for {} in {}",
                record.module, community.name
            ),
        })?;
    if let FundingSource::Budget { department, .. } = source {
        if department != ctx.user.department() {
            return Err(Refusal::FundingNotAllowed {
                reason: format!("{} belongs to the {department} department", source.name()),
            });
        }
    }
    Ok(source)
}

/// The refusal for an error of the derivation.
fn refusal_of(error: Error) -> Refusal {
    match error.into_kind() {
        ErrorKind::NotOffered { reason, .. } => Refusal::NotOffered { reason },
        ErrorKind::UnknownModule(m) => Refusal::NotOffered {
            reason: format!("{m} is not in the catalog"),
        },
        ErrorKind::AlreadyOwned { module } => Refusal::NotOffered {
            reason: format!("you already own {module}"),
        },
        ErrorKind::Excluded { module, by } => Refusal::NotOffered {
            reason: format!("{module} cannot be combined with {by}, which you own"),
        },
        ErrorKind::TrialRefused { reason, .. } => Refusal::TrialRefused { reason },
        kind => Refusal::Invalid { error: kind.into() },
    }
}

/// Which limit of the claimed source the purchase breaks, if any.
fn limit_refusal(
    source: &FundingSource,
    record: &ChargeRecord,
    spend: &Spend,
) -> Result<Refusal, Refusal> {
    let id = source.id().to_string();
    let spent = spend.by_source.get(&id).copied().unwrap_or_default();
    let sum = |a: Decimal, b: Decimal| add(a, b).map_err(|error| Refusal::Invalid { error });
    let over = |limit: Decimal| -> Result<bool, Refusal> { Ok(sum(spent, record.total)? > limit) };
    Ok(match source {
        FundingSource::Prepaid { amount, .. } | FundingSource::PurchaseOrder { amount, .. }
            if over(*amount)? =>
        {
            Refusal::OverBudget { source: id }
        }
        FundingSource::Budget {
            limit,
            per_user_cap,
            ..
        } => {
            let mine = spend.by_user.get(&id).copied().unwrap_or_default();
            if over(*limit)? {
                Refusal::OverBudget { source: id }
            } else if per_user_cap
                .is_some_and(|cap| sum(mine, record.total).is_ok_and(|after| after > cap))
            {
                Refusal::OverCap { source: id }
            } else {
                Refusal::FundingMismatch {
                    expected: record.funding.text.clone(),
                }
            }
        }
        _ => Refusal::FundingNotAllowed {
            reason: format!("{} cannot take this purchase", source.name()),
        },
    })
}

/// The ledger period a purchase on `date` draws `source` down in, as a stable key: the
/// budget period's first day for a budget, the term's first day for a prepaid commitment,
/// `"term"` for a purchase order, the month's first day for a card. The server keeps one
/// spend counter per source and key (and per user within it), so that [`Spend`] can be
/// read back for a date.
pub fn spend_period(source: &FundingSource, date: crate::calendar::Date) -> String {
    match source {
        FundingSource::Budget { period, .. } => super::funding::budget_period(*period, date)
            .start
            .to_string(),
        FundingSource::Prepaid { term, .. } => term.start.to_string(),
        FundingSource::PurchaseOrder { .. } => "term".to_string(),
        FundingSource::Card { .. } => date.month_start().to_string(),
    }
}

/// The key of the per-user monthly total across all sources (the community's cap).
pub const ALL_SOURCES: &str = "*";
