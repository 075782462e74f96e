//! `POST /v1/charges` and `POST /v1/charges/{id}/cancel`.

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use inflow::checkout::ChargeRecord;

use super::error::ApiError;
use super::session::Session;
use crate::charging::decisions::{self, Outcome};
use crate::charging::{self, Receipt};
use crate::state::AppState;

/// Verifies and records a charge record.
pub async fn create(
    State(state): State<AppState>,
    Session(claims): Session,
    body: Bytes,
) -> Result<(StatusCode, Json<Receipt>), ApiError> {
    let record: ChargeRecord = serde_json::from_slice(&body).map_err(|e| {
        ApiError::bad_request(format!(
            "the body is not a charge record ({e}): send the record the engine's checkout produced"
        ))
    })?;
    let (status, receipt) = charging::record(&state, &claims, record).await?;
    Ok((status, Json(receipt)))
}

/// Cancels a charge (the buyer, or an admin of their department).
pub async fn cancel(
    State(state): State<AppState>,
    Session(claims): Session,
    Path(id): Path<String>,
) -> Result<Json<Outcome>, ApiError> {
    Ok(Json(decisions::cancel(&state, &claims, &id).await?))
}
