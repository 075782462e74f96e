//! Verification of a charge record: re-derive its quote and its funding decision from the
//! manifests and the spend to date, and compare. What the server does with every charge
//! before recording it; the browser may run it too, to know in advance what will be refused.
//!
//! Pure: the caller passes the manifests, the digests it trusts, the buyer and the spend
//! (read inside the transaction that will record the charge).

use std::fmt;

use rust_decimal::Decimal;

use super::funding::{community_offering, decide, Decision, Route, Spend};
use super::record::{ChargeKind, ChargeRecord, ManifestRefs};
use crate::error::Error;
use crate::manifest::{FundingSource, Manifests, User};
use crate::money::{add, Money};
use crate::pricing::{quote, Quote, QuoteRequest, Selection};

/// Why a charge record is refused. Each has a stable [`Refusal::code`].
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Refusal {
    /// The record was priced from other manifests than the verifier's.
    StaleManifest {
        /// Which manifest differs (`catalog`, `contract`, `policy`).
        manifest: &'static str,
    },
    /// The record names another user than the buyer.
    NotYourself,
    /// The record's customer, department or currency is not the buyer's.
    WrongParty {
        /// What differs, in plain words.
        what: String,
    },
    /// The module is not offered to the buyer (or does not exist).
    NotOffered {
        /// Why.
        reason: String,
    },
    /// The record's lines or total differ from the verifier's quote.
    PriceMismatch {
        /// The verifier's total.
        expected: Decimal,
        /// The record's total.
        found: Decimal,
    },
    /// The funding source is not allowed for this buyer and module.
    FundingNotAllowed {
        /// Why.
        reason: String,
    },
    /// The funding source has not enough left in its period or term.
    OverBudget {
        /// The source's id.
        source: String,
    },
    /// The buyer's cap (per source or per community) would be exceeded.
    OverCap {
        /// The source's id.
        source: String,
    },
    /// The record's route differs from the verifier's for another reason
    /// (for example it claims auto-approval above the threshold).
    FundingMismatch {
        /// The verifier's decision, in plain words.
        expected: String,
    },
    /// The record cannot be priced at all (an unknown plan, a negative quantity, …).
    Invalid {
        /// The core's error.
        error: Error,
    },
}

impl Refusal {
    /// A stable code, for programs.
    pub fn code(&self) -> &'static str {
        match self {
            Refusal::StaleManifest { .. } => "stale_manifest",
            Refusal::NotYourself => "not_yourself",
            Refusal::WrongParty { .. } => "wrong_party",
            Refusal::NotOffered { .. } => "not_offered",
            Refusal::PriceMismatch { .. } => "price_mismatch",
            Refusal::FundingNotAllowed { .. } => "funding_not_allowed",
            Refusal::OverBudget { .. } => "over_budget",
            Refusal::OverCap { .. } => "over_cap",
            Refusal::FundingMismatch { .. } => "funding_mismatch",
            Refusal::Invalid { .. } => "invalid_record",
        }
    }
}

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Refusal::StaleManifest { manifest } => write!(
                f,
                "the charge was priced from another {manifest} than the server's: reload the manifests and check out again"
            ),
            Refusal::NotYourself => {
                write!(f, "the charge names another user: sign in as that user")
            }
            Refusal::WrongParty { what } => {
                write!(f, "{what}: check out again from the buyer's session")
            }
            Refusal::NotOffered { reason } => {
                write!(f, "not offered: {reason}; choose a module your community offers")
            }
            Refusal::PriceMismatch { expected, found } => write!(
                f,
                "the price is {expected}, the charge says {found}: reload the manifests and check out again"
            ),
            Refusal::FundingNotAllowed { reason } => write!(
                f,
                "funding not allowed: {reason}; choose a funding source your community may use"
            ),
            Refusal::OverBudget { source } => write!(
                f,
                "{source} has not enough left for this purchase: ask its approver or choose another source"
            ),
            Refusal::OverCap { source } => write!(
                f,
                "this purchase would take your spend above your cap on {source}: ask its approver"
            ),
            Refusal::FundingMismatch { expected } => write!(
                f,
                "the funding decision is \"{expected}\": check out again to see it"
            ),
            Refusal::Invalid { error } => write!(f, "{error}"),
        }
    }
}

impl std::error::Error for Refusal {}

/// What verification re-derived: the record is consistent with it.
#[derive(Debug, Clone, PartialEq)]
pub struct Verified {
    /// The quote (for a trial, empty).
    pub quote: Option<Quote>,
    /// The funding decision (for a trial, absent).
    pub decision: Option<Decision>,
}

/// Verifies `record` for `user` against `manifests` (whose digests are `refs`) and `spend`.
///
/// The quote is re-derived on the record's creation day with the record's module, plan and
/// quantity (prorated over the record's period when its lines are), the decision with the
/// spend given. Source, route and approver must agree; the decision's wording may differ.
///
/// # Errors
/// A [`Refusal`] naming the first difference found.
pub fn verify(
    record: &ChargeRecord,
    manifests: &Manifests,
    refs: &ManifestRefs,
    user: &User,
    spend: &Spend,
) -> Result<Verified, Refusal> {
    for (name, mine, theirs) in [
        ("catalog", &refs.catalog, &record.manifests.catalog),
        ("contract", &refs.contract, &record.manifests.contract),
        ("policy", &refs.policy, &record.manifests.policy),
    ] {
        if mine.digest != theirs.digest {
            return Err(Refusal::StaleManifest { manifest: name });
        }
    }
    if record.user != user.id {
        return Err(Refusal::NotYourself);
    }
    let customer = &manifests.contract().customer.id;
    if &record.customer != customer {
        return Err(Refusal::WrongParty {
            what: format!(
                "the charge is for customer {:?}, not {customer:?}",
                record.customer
            ),
        });
    }
    if record.department != user.department() {
        return Err(Refusal::WrongParty {
            what: format!(
                "the charge is for department {:?}, the buyer is in {:?}",
                record.department,
                user.department()
            ),
        });
    }
    let community = community_offering(manifests, user, &record.module).map_err(not_offered)?;
    if record.kind == ChargeKind::Trial {
        let module = manifests.module(&record.module).map_err(not_offered)?;
        if module.trial_days.is_none() || !community.trials {
            return Err(Refusal::NotOffered {
                reason: format!("no trial of {} for {}", record.module, community.name),
            });
        }
        if !record.total.is_zero() || !record.lines.is_empty() {
            return Err(Refusal::PriceMismatch {
                expected: Decimal::ZERO,
                found: record.total,
            });
        }
        return Ok(Verified {
            quote: None,
            decision: None,
        });
    }
    let priced = reprice(record, manifests)?;
    if priced.lines != record.lines
        || priced.total != record.total
        || priced.currency != record.currency
    {
        return Err(Refusal::PriceMismatch {
            expected: priced.total,
            found: record.total,
        });
    }
    let date = record.created_at.date();
    let amount = Money::new(priced.total, priced.currency);
    let claimed = &record.funding;
    let allowed = community.funding_for(&record.module);
    let source = manifests.contract().funding_source(&claimed.source);
    let Some(source) = source.filter(|_| allowed.iter().any(|s| s == &claimed.source)) else {
        return Err(Refusal::FundingNotAllowed {
            reason: format!(
                "{} may not pay for {} in {}",
                claimed.source, record.module, community.name
            ),
        });
    };
    if let FundingSource::Budget { department, .. } = source {
        if department != user.department() {
            return Err(Refusal::FundingNotAllowed {
                reason: format!("{} belongs to the {department} department", source.name()),
            });
        }
    }
    let decision = match decide(manifests, user, &record.module, amount, spend, date) {
        Ok(d) => d,
        Err(Error::NotOffered { reason, .. }) => return Err(Refusal::NotOffered { reason }),
        Err(Error::NotFundable { .. }) => return Err(limit_refusal(source, record, spend)?),
        Err(error) => return Err(Refusal::Invalid { error }),
    };
    if decision.source == claimed.source
        && decision.route == claimed.route
        && decision.approver == claimed.approver
    {
        return Ok(Verified {
            quote: Some(priced),
            decision: Some(decision),
        });
    }
    if decision.source != claimed.source || decision.route == Route::NeedsApproval {
        let refusal = limit_refusal(source, record, spend)?;
        if !matches!(refusal, Refusal::FundingMismatch { .. }) {
            return Err(refusal);
        }
    }
    Err(Refusal::FundingMismatch {
        expected: decision.text,
    })
}

/// The quote the record should carry.
fn reprice(record: &ChargeRecord, manifests: &Manifests) -> Result<Quote, Refusal> {
    let prorated = record.lines.iter().any(|l| l.proration.is_some());
    let request = QuoteRequest {
        selections: vec![Selection {
            module: record.module.clone(),
            plan: Some(record.plan.clone()),
            quantity: Some(record.quantity),
            transactions: Vec::new(),
            action: Default::default(),
        }],
        currency: record.currency,
        date: record.created_at.date(),
        prorate: prorated.then_some(record.period),
    };
    quote(manifests, &request).map_err(|error| match error {
        Error::UnknownModule(m) => Refusal::NotOffered {
            reason: format!("{m} is not in the catalog"),
        },
        error => Refusal::Invalid { error },
    })
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

fn not_offered(error: Error) -> Refusal {
    match error {
        Error::NotOffered { reason, .. } => Refusal::NotOffered { reason },
        Error::UnknownModule(m) => Refusal::NotOffered {
            reason: format!("{m} is not in the catalog"),
        },
        error => Refusal::Invalid { error },
    }
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
