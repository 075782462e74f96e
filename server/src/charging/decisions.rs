//! What an approver does with a charge waiting for them: approves it (drawing the source down
//! and issuing the grant) or denies it, in one transaction. Cancellations are in
//! [`super::cancel`].

use axum::http::StatusCode;
use inflow::checkout::ChargeRecord;
use serde::Serialize;

use super::grant_for;
use crate::auth::Claims;
use crate::clock;
use crate::http::error::ApiError;
use crate::state::AppState;
use crate::store::ledger;

/// A charge's new state.
#[derive(Debug, Clone, Serialize)]
pub struct Outcome {
    /// The charge's id.
    pub charge_id: String,
    /// Its status now.
    pub status: String,
    /// The grant issued by an approval.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub grant: Option<inflow::entitlement::Grant>,
}

/// An approver's decision.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// Draw the budget down and issue the grant.
    Approve,
    /// Record nothing but the refusal.
    Deny,
}

fn conflict(message: String) -> ApiError {
    ApiError::new(StatusCode::CONFLICT, "wrong_status", message)
}

fn missing(id: &str) -> ApiError {
    ApiError::not_found(format!("no charge {id:?}: check the id"))
}

/// Approves or denies a pending charge; only its named approver may.
///
/// # Errors
/// `not_found`, `not_approver`, `wrong_status`, storage errors.
pub async fn decide(
    state: &AppState,
    claims: &Claims,
    id: &str,
    verdict: Verdict,
    reason: &str,
) -> Result<Outcome, ApiError> {
    let mut tx = state.store.begin().await?;
    let stored = ledger::charge(&mut tx, id)
        .await?
        .ok_or_else(|| missing(id))?;
    if stored.approver.as_deref() != Some(claims.user.as_str()) {
        return Err(ApiError::forbidden(
            "not_approver",
            "only the charge's approver may decide it: ask them",
        ));
    }
    ledger::lock_sources(
        &mut tx,
        state.store.backend(),
        std::slice::from_ref(&stored.source),
    )
    .await?;
    let stored = ledger::charge(&mut tx, id)
        .await?
        .ok_or_else(|| missing(id))?;
    if stored.status != "pending_approval" {
        return Err(conflict(format!(
            "the charge is {}, not pending approval: nothing to decide",
            stored.status
        )));
    }
    let record: ChargeRecord = serde_json::from_str(&stored.body)?;
    let (status, grant) = match verdict {
        Verdict::Approve => {
            if let Some(f) = state.manifests.contract().funding_source(&stored.source) {
                let day = record.created_at.date();
                ledger::draw(
                    &mut tx,
                    f,
                    &stored.spend_period,
                    &stored.user,
                    day,
                    stored.total,
                )
                .await?;
            }
            let grant = grant_for(&record);
            let gj = serde_json::to_string(&grant)?;
            ledger::insert_grant(&mut tx, &grant.id, id, &stored.user, &record.module, &gj).await?;
            ("approved", Some(grant))
        }
        Verdict::Deny => ("denied", None),
    };
    ledger::set_status(&mut tx, id, status).await?;
    ledger::insert_approval(&mut tx, id, &claims.user, status, reason, clock::now().0).await?;
    tx.commit().await?;
    Ok(Outcome {
        charge_id: id.to_string(),
        status: status.to_string(),
        grant,
    })
}
