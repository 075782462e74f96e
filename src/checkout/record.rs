//! The charge record: what a purchase or trial leaves behind, priced and decided by the
//! core in the browser, then verified and recorded by the server.
//!
//! The record's `id` is the idempotency key, chosen by the client: delivering the same
//! record twice has one effect; the same id with another body is refused.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::funding::{Decision, Route};
use crate::calendar::{Instant, Period};
use crate::money::Currency;
use crate::pricing::QuoteLine;

/// A purchase or a trial.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ChargeKind {
    /// A paid purchase.
    Purchase,
    /// A free trial (total zero; recorded so conversion and attribution can be measured).
    Trial,
}

/// Whether the purchase lands a new module family or expands an existing customer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Motion {
    /// The customer's first purchase of this module.
    Land,
    /// A later purchase of a module the customer already buys elsewhere, or a new one after the first.
    Expand,
}

/// What led to the purchase, and who earns the sales credit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attribution {
    /// The offer that was shown (its module id), if the purchase came from a suggestion.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub offer: Option<String>,
    /// Where it happened (`"crm-sidebar"`, `"product-export"`, …).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub surface: Option<String>,
    /// Land or expand.
    pub motion: Motion,
    /// The account team member who earns the sales credit.
    pub owner: String,
}

/// The version and digest of one manifest a charge was priced from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ManifestRef {
    /// The document's `version`.
    pub version: String,
    /// SHA-256 of its canonical JSON (see [`crate::manifest::json::digest`]).
    pub digest: String,
}

/// The manifests a charge was priced and decided from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ManifestRefs {
    /// The catalog.
    pub catalog: ManifestRef,
    /// The contract.
    pub contract: ManifestRef,
    /// The policy.
    pub policy: ManifestRef,
}

/// One charge, as the browser proposes it and the server records it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ChargeRecord {
    /// The idempotency key, chosen by the client (a UUID or similar, 8–128 characters).
    pub id: String,
    /// Purchase or trial.
    pub kind: ChargeKind,
    /// The customer (contract) id.
    pub customer: String,
    /// The buyer's department.
    pub department: String,
    /// The buyer.
    pub user: String,
    /// The module bought.
    pub module: String,
    /// The plan bought.
    pub plan: String,
    /// Seats, units or packs.
    pub quantity: Decimal,
    /// The quote's lines.
    pub lines: Vec<QuoteLine>,
    /// The quote's total (the sum of its rounded lines).
    pub total: Decimal,
    /// The currency.
    pub currency: Currency,
    /// The service period the charge pays for.
    pub period: Period,
    /// How it is paid, and whether it needs approval.
    pub funding: Decision,
    /// What led to it and who earns the credit.
    pub attribution: Attribution,
    /// The manifests it was priced from.
    pub manifests: ManifestRefs,
    /// When the client created it.
    pub created_at: Instant,
}

/// What applying a confirmed charge reads of its record: whose it is, what it grants, for
/// when, and whether it still awaits approval. The page reads records back through this
/// (`Engine.apply`), so its wasm carries no reader for the quote lines, funding details and
/// attribution it would not use: what a record says about money is the server's to verify.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Confirmed {
    /// The record's id: the grant's.
    pub id: String,
    /// Purchase or trial.
    pub kind: ChargeKind,
    /// The buyer.
    pub user: String,
    /// The module bought.
    pub module: String,
    /// The plan bought.
    pub plan: String,
    /// The modules of the quote's lines (a purchase grants the required ones too).
    pub lines: Vec<ConfirmedLine>,
    /// The service period: when the grant starts (and a trial's ends).
    pub period: Period,
    /// Whether the charge awaits approval.
    pub funding: ConfirmedFunding,
}

/// The module of one of a record's quote lines.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct ConfirmedLine {
    /// The module priced on the line.
    pub module: String,
}

/// The route of a record's funding decision.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct ConfirmedFunding {
    /// How it is paid, and whether it needs approval first.
    pub route: Route,
}

impl From<&ChargeRecord> for Confirmed {
    fn from(record: &ChargeRecord) -> Confirmed {
        Confirmed {
            id: record.id.clone(),
            kind: record.kind,
            user: record.user.clone(),
            module: record.module.clone(),
            plan: record.plan.clone(),
            lines: record
                .lines
                .iter()
                .map(|l| ConfirmedLine {
                    module: l.module.clone(),
                })
                .collect(),
            period: record.period,
            funding: ConfirmedFunding {
                route: record.funding.route,
            },
        }
    }
}
