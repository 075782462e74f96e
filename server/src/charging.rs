//! Recording a charge: verify it with the core against the spend read inside the same
//! transaction, insert it once, draw the funding source down, issue the grant.

pub mod batch;
pub mod cancel;
pub mod decisions;

use axum::http::StatusCode;
use inflow::checkout::verify::spend_period;
use inflow::checkout::{verify, ChargeKind, ChargeRecord, Route, Verified};
use inflow::entitlement::{Grant, GrantSource, Holder};
use inflow::manifest::json;
use inflow::manifest::{Manifests, User};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::auth::Claims;
use crate::card::{CardError, CardReceipt};
use crate::clock;
use crate::http::error::ApiError;
use crate::state::AppState;
use crate::store::batched;
use crate::store::ledger::{self, NewCharge};

/// What the server answers for a recorded (or pending) charge.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Receipt {
    /// The charge's id (the idempotency key).
    pub charge_id: String,
    /// `recorded` or `pending_approval`.
    pub status: String,
    /// How it is paid (`auto_approved`, `needs_approval`, `prepaid`, `purchase_order`, `card`, `trial`).
    pub route: String,
    /// The total, exact.
    pub total: Decimal,
    /// The currency.
    pub currency: String,
    /// The funding source's id ('' for a trial).
    pub source: String,
    /// The decision in plain words.
    pub text: String,
    /// The entitlement issued, when the charge is recorded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub grant: Option<Grant>,
    /// The card charge's processor reference, for a `card` purchase.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub card: Option<CardReceipt>,
}

/// The grant a recorded charge gives its buyer.
pub fn grant_for(record: &ChargeRecord) -> Grant {
    let source = match record.kind {
        ChargeKind::Purchase => GrantSource::Purchase,
        ChargeKind::Trial => GrantSource::Trial,
    };
    let mut grant = Grant::new(
        format!("g-{}", record.id),
        record.module.clone(),
        source,
        Holder::User(record.user.clone()),
        record.period.start,
    );
    grant.plan = Some(record.plan.clone());
    grant.quantity = u32::try_from(record.quantity.trunc().mantissa())
        .ok()
        .filter(|_| record.quantity.fract().is_zero());
    grant.anchor = Some(record.period.start);
    if record.kind == ChargeKind::Trial {
        grant = grant.until(record.period.end);
    }
    grant
}

/// SHA-256 of the record's canonical JSON.
fn digest(record: &ChargeRecord) -> Result<String, ApiError> {
    json::digest(record).map_err(|e| ApiError::bad_request(format!("{e}: send a ChargeRecord")))
}

/// Verifies and records `record` for the caller. Returns 201 and the receipt when
/// recorded now, 200 and the first receipt for a replay of the same body.
///
/// A `card` purchase is charged with `payment_token` after verification and before the
/// insert, inside the same transaction: a card that is refused records nothing (402). The
/// processor is idempotent by the charge id, so a concurrent duplicate or a retry after a
/// lost answer never takes the money twice, and a replay of a recorded id never reaches
/// the processor. (The `card` source's lock is held during the processor's call; card
/// purchases are therefore serialised, which is acceptable at card volumes.)
///
/// # Errors
/// The refusal (nothing recorded), `not_yourself`, `idempotency_conflict`,
/// `payment_token_missing`, the card's refusal, storage errors.
pub async fn record(
    state: &AppState,
    claims: &Claims,
    record: ChargeRecord,
    payment_token: Option<&str>,
) -> Result<(StatusCode, Receipt), ApiError> {
    if claims.user != record.user {
        return Err(ApiError::forbidden(
            "not_yourself",
            format!(
                "you are signed in as {:?} but the charge is for {:?}: a user buys only as themself",
                claims.user, record.user
            ),
        ));
    }
    let user = state.users.user(&record.user).ok_or_else(|| {
        ApiError::forbidden(
            "unknown_user",
            "the user is not in the directory: ask an admin to add them",
        )
    })?;
    if record.id.len() < 8 || record.id.len() > 128 {
        return Err(ApiError::bad_request(
            "the charge id must have 8 to 128 characters: use a UUID",
        ));
    }
    let body = serde_json::to_string(&record)?;
    let digest = digest(&record)?;
    let live = state.live.current();
    let job = batch::Job {
        sources: sources_of(&live.manifests, user, &record),
        user: user.clone(),
        live,
        record,
        body,
        digest,
    };
    if job.record.funding.route == Route::Card {
        return record_alone(state, &job, payment_token).await;
    }
    match state.charges.submit(job).await {
        Ok(answer) => answer,
        Err(job) => record_alone(state, &job, payment_token).await,
    }
}

/// The funding sources a charge may read or draw: those its buyer's community allows for
/// the module, and the one the record claims. Locked (on PostgreSQL) while it is recorded.
fn sources_of(manifests: &Manifests, user: &User, record: &ChargeRecord) -> Vec<String> {
    let mut sources: Vec<String> =
        inflow::checkout::funding::community_offering(manifests, user, &record.module)
            .map(|c| c.funding_for(&record.module).to_vec())
            .unwrap_or_default();
    sources.push(record.funding.source.clone());
    sources
}

/// What recording a verified charge writes and answers.
pub(crate) struct Settlement {
    /// `recorded` or `pending_approval`.
    pub status: &'static str,
    /// The route's name.
    pub route: &'static str,
    /// The funding source drawn ('' for a trial).
    pub source: String,
    /// Who must approve it, if anyone.
    pub approver: Option<String>,
    /// The ledger period drawn.
    pub period: String,
    /// Whether the source is drawn now (recorded, not waiting for approval).
    pub draws: bool,
    /// The answer.
    pub receipt: Receipt,
    /// The record as stored when the server attributed it otherwise than the page guessed
    /// (land or expand, and the credit's owner: see `verify`); else the body as sent is.
    pub stored: Option<String>,
}

impl Settlement {
    /// The settlement of `record`, verified as `verified` against `manifests`.
    pub(crate) fn of(
        record: &ChargeRecord,
        verified: &Verified,
        manifests: &Manifests,
    ) -> Settlement {
        let (status, route, source, text, approver) = match &verified.decision {
            Some(d) => (
                if d.route == Route::NeedsApproval {
                    "pending_approval"
                } else {
                    "recorded"
                },
                d.route.as_str(),
                d.source.clone(),
                d.text.clone(),
                d.approver.clone(),
            ),
            None => (
                "recorded",
                "trial",
                String::new(),
                "free trial".to_string(),
                None,
            ),
        };
        let funding = manifests.contract().funding_source(&source);
        let period = funding
            .map(|f| spend_period(f, record.created_at.date()))
            .unwrap_or_default();
        let receipt = Receipt {
            charge_id: record.id.clone(),
            status: status.to_string(),
            route: route.to_string(),
            total: record.total,
            currency: record.currency.to_string(),
            source: source.clone(),
            text,
            grant: (status == "recorded").then(|| grant_for(record)),
            card: None,
        };
        let stored = (verified.record.attribution != record.attribution)
            .then(|| {
                let mut ours = record.clone();
                ours.attribution = verified.record.attribution.clone();
                serde_json::to_string(&ours).ok()
            })
            .flatten();
        Settlement {
            status,
            route,
            draws: funding.is_some() && status == "recorded",
            source,
            approver,
            period,
            receipt,
            stored,
        }
    }

    /// The ledger row, with the receipt's JSON.
    pub(crate) fn row<'a>(
        &'a self,
        record: &'a ChargeRecord,
        body: &'a str,
        digest: &'a str,
        receipt: &'a str,
    ) -> NewCharge<'a> {
        NewCharge {
            id: &record.id,
            body: self.stored.as_deref().unwrap_or(body),
            digest,
            user: &record.user,
            department: &record.department,
            module: &record.module,
            total: record.total,
            currency: &self.receipt.currency,
            source: &self.source,
            route: self.route,
            approver: self.approver.as_deref(),
            status: self.status,
            spend_period: &self.period,
            receipt,
            created_at: record.created_at.0,
            recorded_at: clock::now().0,
        }
    }
}

/// Records one charge in its own transaction: card purchases (the processor is called
/// between verification and insert), and any charge the batch writer could not take.
async fn record_alone(
    state: &AppState,
    job: &batch::Job,
    payment_token: Option<&str>,
) -> Result<(StatusCode, Receipt), ApiError> {
    let record = &job.record;
    let manifests = &job.live.manifests;
    let date = record.created_at.date();
    for _attempt in 0..3 {
        let mut tx = state.store.begin().await?;
        ledger::lock_sources(&mut tx, state.store.backend(), &job.sources).await?;
        if let Some(existing) = ledger::charge(&mut tx, &record.id).await? {
            return replay(existing, &job.digest);
        }
        let spend =
            ledger::read_spend(&mut tx, manifests, &job.sources, &job.user.id, date).await?;
        let grants = batched::grants(&mut tx, &[job.user.id.as_str()])
            .await?
            .remove(&job.user.id)
            .unwrap_or_default();
        let verified = verify(record, &job.context(&grants, &spend))?;
        let mut settled = Settlement::of(record, &verified, manifests);
        if settled.route == Route::Card.as_str() {
            settled.receipt.card = Some(charge_card(state, record, payment_token).await?);
        }
        let receipt_json = serde_json::to_string(&settled.receipt)?;
        let inserted = ledger::insert_charge(
            &mut tx,
            &settled.row(record, &job.body, &job.digest, &receipt_json),
        )
        .await;
        match inserted {
            Ok(()) => {}
            Err(e) if is_unique_violation(&e) => continue,
            Err(e) => return Err(e.into()),
        }
        if let (Some(f), true) = (
            manifests.contract().funding_source(&settled.source),
            settled.draws,
        ) {
            ledger::draw(
                &mut tx,
                f,
                &settled.period,
                &record.user,
                date,
                record.total,
            )
            .await?;
        }
        if let Some(g) = &settled.receipt.grant {
            let gj = serde_json::to_string(g)?;
            ledger::insert_grant(
                &mut tx,
                &g.id,
                &record.id,
                &record.user,
                &record.module,
                &gj,
            )
            .await?;
        }
        tx.commit().await?;
        return Ok((StatusCode::CREATED, settled.receipt));
    }
    Err(ApiError::new(
        StatusCode::SERVICE_UNAVAILABLE,
        "busy",
        "the charge collided with a concurrent one three times; nothing was recorded: retry",
    ))
}

/// Charges the card of a verified `card` purchase; nothing is recorded when it fails.
async fn charge_card(
    state: &AppState,
    record: &ChargeRecord,
    payment_token: Option<&str>,
) -> Result<CardReceipt, ApiError> {
    let token = payment_token
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .ok_or_else(|| {
            ApiError::new(
                StatusCode::BAD_REQUEST,
                "payment_token_missing",
                "a card purchase needs the card: send {record, payment_token} with the token \
                 the checkout page's card field produced",
            )
        })?;
    state
        .card
        .charge(&record.id, record.total, record.currency, token)
        .await
        .map_err(card_refusal)
}

/// The answer to a card the processor did not charge: 402 (503 when it is unavailable).
pub fn card_refusal(e: CardError) -> ApiError {
    let status = match e {
        CardError::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
        _ => StatusCode::PAYMENT_REQUIRED,
    };
    ApiError::new(status, e.code(), e.to_string())
}

/// The answer to a charge id already stored.
pub(crate) fn replay(
    existing: ledger::StoredCharge,
    digest: &str,
) -> Result<(StatusCode, Receipt), ApiError> {
    replay_of(&existing.digest, &existing.receipt, digest)
}

/// The answer to a charge whose id is stored with `stored_digest` and `receipt` (JSON),
/// sent again with `digest`: its first receipt, or a conflict when the bodies differ.
pub(crate) fn replay_of(
    stored_digest: &str,
    receipt: &str,
    digest: &str,
) -> Result<(StatusCode, Receipt), ApiError> {
    if stored_digest != digest {
        return Err(ApiError::new(
            StatusCode::CONFLICT,
            "idempotency_conflict",
            "a different charge was already recorded with this id: give a new purchase a new id",
        ));
    }
    Ok((StatusCode::OK, serde_json::from_str(receipt)?))
}

/// True for a primary-key (unique) violation, on either database.
pub fn is_unique_violation(e: &sqlx::Error) -> bool {
    matches!(e, sqlx::Error::Database(d) if d.is_unique_violation())
}
