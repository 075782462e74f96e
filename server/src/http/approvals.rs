//! `GET /v1/approvals`, `POST /v1/approvals/{id}/approve` and `…/deny`: the approver only.

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::Json;
use inflow::checkout::ChargeRecord;
use serde::Deserialize;
use serde_json::{json, Value};

use super::error::ApiError;
use super::session::Session;
use crate::charging::decisions::{self, Outcome, Verdict};
use crate::state::AppState;
use crate::store::ledger;

/// The charges waiting for the caller's approval.
pub async fn list(
    State(state): State<AppState>,
    Session(claims): Session,
) -> Result<Json<Value>, ApiError> {
    let mut conn = state.store.pool().acquire().await?;
    let mut pending = Vec::new();
    for (id, body) in ledger::pending_for(&mut conn, &claims.user).await? {
        let record: ChargeRecord = serde_json::from_str(&body)?;
        pending.push(json!({ "charge_id": id, "record": record }));
    }
    Ok(Json(json!({ "pending": pending })))
}

#[derive(Deserialize, Default)]
struct Reason {
    #[serde(default)]
    reason: String,
}

fn reason(body: &Bytes) -> Result<String, ApiError> {
    if body.is_empty() {
        return Ok(String::new());
    }
    let r: Reason = serde_json::from_slice(body).map_err(|e| {
        ApiError::bad_request(format!("the body must be {{\"reason\": \"...\"}} ({e})"))
    })?;
    Ok(r.reason)
}

/// Approves a pending charge.
pub async fn approve(
    State(state): State<AppState>,
    Session(claims): Session,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Json<Outcome>, ApiError> {
    let why = reason(&body)?;
    Ok(Json(
        decisions::decide(&state, &claims, &id, Verdict::Approve, &why).await?,
    ))
}

/// Denies a pending charge.
pub async fn deny(
    State(state): State<AppState>,
    Session(claims): Session,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Json<Outcome>, ApiError> {
    let why = reason(&body)?;
    Ok(Json(
        decisions::decide(&state, &claims, &id, Verdict::Deny, &why).await?,
    ))
}
