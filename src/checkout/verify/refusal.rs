//! Why a charge record (or a cancellation) is refused, each with a stable code.

use std::fmt;

use rust_decimal::Decimal;

use crate::calendar::Instant;
use crate::error::Error;
use crate::money::Currency;

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
    /// The record's time is too far from the verifier's clock.
    StaleClock {
        /// The record's `created_at` (milliseconds since the epoch).
        created_at: Instant,
        /// The verifier's time.
        now: Instant,
    },
    /// The record's currency is not the one of the buyer's entity.
    WrongCurrency {
        /// The entity's currency.
        expected: Currency,
        /// The record's.
        found: Currency,
    },
    /// A trial the buyer may not start (a second trial of the module, one not offered).
    TrialRefused {
        /// Why.
        reason: String,
    },
    /// Another part of the record (its period, its attribution) differs from the
    /// verifier's derivation.
    Mismatch {
        /// Which field.
        field: &'static str,
    },
    /// A cancellation's credit is not the prorated share of the unused days.
    CreditMismatch {
        /// The prorated credit.
        expected: Decimal,
        /// The claimed one.
        found: Decimal,
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
            Refusal::StaleClock { .. } => "stale_clock",
            Refusal::WrongCurrency { .. } => "wrong_currency",
            Refusal::TrialRefused { .. } => "trial_refused",
            Refusal::Mismatch { .. } => "record_mismatch",
            Refusal::CreditMismatch { .. } => "credit_mismatch",
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
            Refusal::StaleClock { created_at, now } => write!(
                f,
                "the charge was created at {} ms, the server's clock says {} ms: check the device's clock and check out again",
                created_at.0, now.0
            ),
            Refusal::WrongCurrency { expected, found } => write!(
                f,
                "the charge is in {found}, your entity buys in {expected}: check out again"
            ),
            Refusal::TrialRefused { reason } => write!(f, "trial refused: {reason}"),
            Refusal::Mismatch { field } => write!(
                f,
                "the charge's {field} differs from the server's: check out again"
            ),
            Refusal::CreditMismatch { expected, found } => write!(
                f,
                "the credit for the unused days is {expected}, the cancellation says {found}"
            ),
            Refusal::Invalid { error } => write!(f, "{error}"),
        }
    }
}

impl std::error::Error for Refusal {}
