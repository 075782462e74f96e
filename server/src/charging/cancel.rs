//! Cancelling a charge: the buyer or their department's admin. The credit is the core's
//! prorated share of the unused days ([`cancel_credit`]) on the server's clock; it goes back
//! to the budget, commitment or purchase order drawn, in the same transaction that marks the
//! charge cancelled and ends its grant. A card purchase is refunded that credit through the
//! processor first: when the refund fails, nothing changes. A second cancel answers the
//! first receipt and credits nothing more.

use axum::http::StatusCode;
use inflow::checkout::verify::{cancel_credit, verify_cancel};
use inflow::checkout::{ChargeRecord, Refusal};
use inflow::{Date, Period};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::Receipt;
use crate::auth::Claims;
use crate::card::{CardError, CardRefund};
use crate::http::error::ApiError;
use crate::state::AppState;
use crate::store::ledger;

/// What the server answers for a cancelled charge.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Cancellation {
    /// The charge's id.
    pub charge_id: String,
    /// Always `cancelled`.
    pub status: String,
    /// The day it was cancelled (the server's clock).
    pub cancelled_on: Date,
    /// What was given back, exact (zero for a trial, a pending charge or a period over).
    pub credit: Decimal,
    /// The currency.
    pub currency: String,
    /// The funding source credited ('' for a trial).
    pub source: String,
    /// The unused days the credit covers, `[cancelled_on, period end)`; absent when the
    /// period is over.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unused: Option<Period>,
    /// How many days `unused` has.
    pub unused_days: i64,
    /// How many days the charge's period has.
    pub period_days: i64,
    /// The cancellation in plain words.
    pub text: String,
    /// The card refund, for a card purchase with a credit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refund: Option<CardRefund>,
}

fn missing(id: &str) -> ApiError {
    ApiError::not_found(format!("no charge {id:?}: check the id"))
}

/// Cancels charge `id` for `claims`, crediting the unused days; `claimed` is the credit the
/// client computed, checked against the server's.
///
/// # Errors
/// `not_found`, `not_allowed`, `wrong_status`, `credit_mismatch` (nothing changed),
/// `refund_failed` (nothing changed), storage errors.
pub async fn cancel(
    state: &AppState,
    claims: &Claims,
    id: &str,
    claimed: Option<Decimal>,
) -> Result<Cancellation, ApiError> {
    let mut tx = state.store.begin().await?;
    let stored = ledger::charge(&mut tx, id)
        .await?
        .ok_or_else(|| missing(id))?;
    if stored.user != claims.user && !claims.administers(&stored.department) {
        return Err(ApiError::forbidden(
            "not_allowed",
            "only the buyer or an admin of their department may cancel a charge",
        ));
    }
    ledger::lock_sources(
        &mut tx,
        state.store.backend(),
        std::slice::from_ref(&stored.source),
    )
    .await?;
    if let Some(first) = ledger::cancellation_receipt(&mut tx, id).await? {
        return Ok(serde_json::from_str(&first)?);
    }
    let stored = ledger::charge(&mut tx, id)
        .await?
        .ok_or_else(|| missing(id))?;
    let drawn = matches!(stored.status.as_str(), "recorded" | "approved");
    if !drawn && stored.status != "pending_approval" {
        return Err(ApiError::new(
            StatusCode::CONFLICT,
            "wrong_status",
            format!("the charge is already {}: nothing to cancel", stored.status),
        ));
    }
    let record: ChargeRecord = serde_json::from_str(&stored.body)?;
    let first: Receipt = serde_json::from_str(&stored.receipt)?;
    let on = state.clock.today();
    let credit = if drawn {
        match claimed {
            Some(c) => verify_cancel(&record, on, c)?,
            None => cancel_credit(&record, on)?,
        }
    } else {
        match claimed {
            Some(c) if !c.is_zero() => {
                return Err(Refusal::CreditMismatch {
                    expected: Decimal::ZERO,
                    found: c,
                }
                .into())
            }
            _ => Decimal::ZERO,
        }
    };
    if drawn {
        if let Some(f) = state.manifests.contract().funding_source(&stored.source) {
            if !credit.is_zero() {
                let day = record.created_at.date();
                ledger::draw(&mut tx, f, &stored.spend_period, &stored.user, day, -credit).await?;
            }
        }
        ledger::deactivate_grants(&mut tx, id).await?;
    }
    let refund = if first.route == "card" && !credit.is_zero() {
        let payment = first
            .card
            .as_ref()
            .map(|c| c.reference.as_str())
            .ok_or_else(|| {
                ApiError::new(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "internal",
                    "the card purchase has no payment reference: report this to the operator",
                )
            })?;
        let refund = state
            .card
            .refund(id, payment, credit, record.currency)
            .await
            .map_err(|e| refund_failure(&e, credit, &record, payment))?;
        Some(refund)
    } else {
        None
    };
    ledger::set_status(&mut tx, id, "cancelled").await?;
    let answer = receipt(&record, &first, on, credit, refund, drawn);
    let json = serde_json::to_string(&answer)?;
    let at = state.clock.now().0;
    ledger::insert_cancellation(&mut tx, id, credit, &claims.user, &json, at).await?;
    tx.commit().await?;
    Ok(answer)
}

/// The receipt of a cancellation on `on` crediting `credit`.
fn receipt(
    record: &ChargeRecord,
    first: &Receipt,
    on: Date,
    credit: Decimal,
    refund: Option<CardRefund>,
    drawn: bool,
) -> Cancellation {
    let period = record.period;
    let from = on.max(period.start);
    let unused = Period::new(from, period.end).ok().filter(|p| p.days() > 0);
    let unused_days = unused.map_or(0, |p| p.days());
    let currency = record.currency.to_string();
    let text = if !drawn {
        "cancelled before it was approved: nothing was drawn, nothing to credit".to_string()
    } else if first.route == "trial" {
        "free trial ended: nothing was paid, nothing to credit".to_string()
    } else if credit.is_zero() {
        format!(
            "cancelled after its period ended ({}): no unused days to credit",
            period.end
        )
    } else {
        let to = match &refund {
            Some(r) => format!("refunded to the card (payment {})", r.payment),
            None => format!("credited back to {}", first.source),
        };
        format!(
            "{credit} {currency} {to} for {unused_days} unused of {} days ({from} to {})",
            period.days(),
            period.end
        )
    };
    Cancellation {
        charge_id: record.id.clone(),
        status: "cancelled".to_string(),
        cancelled_on: on,
        credit,
        currency,
        source: first.source.clone(),
        unused,
        unused_days,
        period_days: period.days(),
        text,
        refund,
    }
}

/// The answer to a refund the processor did not make: the charge stays active.
fn refund_failure(
    e: &CardError,
    credit: Decimal,
    record: &ChargeRecord,
    payment: &str,
) -> ApiError {
    let why = match e {
        CardError::Unavailable(why) => why.clone(),
        CardError::InvalidCard => format!("the processor does not know payment {payment}"),
        other => other.code().to_string(),
    };
    let status = match e {
        CardError::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
        _ => StatusCode::BAD_GATEWAY,
    };
    ApiError::new(
        status,
        "refund_failed",
        format!(
            "the card refund of {credit} {} failed ({why}); the charge is still active and nothing \
             was credited: cancel again in a few minutes, or ask support to refund payment {payment}",
            record.currency
        ),
    )
}
