//! `POST /v1/charges` and `POST /v1/charges/{id}/cancel`.

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use inflow::checkout::ChargeRecord;
use serde::Deserialize;

use super::error::ApiError;
use super::session::Session;
use crate::charging::cancel::{self, Cancellation};
use crate::charging::{self, Receipt};
use crate::state::AppState;

/// The body of `POST /v1/charges`: a bare charge record, or `{record, payment_token}` (the
/// token is required for a `card` purchase and kept out of the record and its digest).
#[derive(Debug, Deserialize)]
pub struct ChargeRequest {
    /// The record the engine's checkout produced.
    pub record: ChargeRecord,
    /// What the supplier's checkout page collected for a card purchase.
    #[serde(default)]
    pub payment_token: Option<String>,
}

impl ChargeRequest {
    /// Parses either form of the body.
    ///
    /// # Errors
    /// 400 saying which form was expected.
    pub fn parse(body: &[u8]) -> Result<ChargeRequest, ApiError> {
        let value: serde_json::Value = serde_json::from_slice(body).map_err(|e| {
            ApiError::bad_request(format!(
                "the body is not JSON ({e}): send the record the engine's checkout produced"
            ))
        })?;
        if value.get("record").is_some() {
            serde_json::from_value(value).map_err(|e| {
                ApiError::bad_request(format!(
                    "the body is not {{record, payment_token}} ({e}): send the engine's record \
                     under `record` and the card's token as a string"
                ))
            })
        } else {
            let record: ChargeRecord = serde_json::from_value(value).map_err(|e| {
                ApiError::bad_request(format!(
                    "the body is not a charge record ({e}): send the record the engine's checkout produced"
                ))
            })?;
            Ok(ChargeRequest {
                record,
                payment_token: None,
            })
        }
    }
}

/// Verifies and records a charge record (charging the card of a `card` purchase).
pub async fn create(
    State(state): State<AppState>,
    Session(claims): Session,
    body: Bytes,
) -> Result<(StatusCode, Json<Receipt>), ApiError> {
    let request = ChargeRequest::parse(&body)?;
    let (status, receipt) = charging::record(
        &state,
        &claims,
        request.record,
        request.payment_token.as_deref(),
    )
    .await?;
    Ok((status, Json(receipt)))
}

/// The optional body of `POST /v1/charges/{id}/cancel`: the credit the client computed.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct CancelRequest {
    #[serde(default)]
    credit: Option<rust_decimal::Decimal>,
}

/// Cancels a charge (the buyer, or an admin of their department), crediting the unused
/// days; a claimed `credit` must equal the server's.
pub async fn cancel(
    State(state): State<AppState>,
    Session(claims): Session,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Json<Cancellation>, ApiError> {
    let request: CancelRequest = if body.iter().all(u8::is_ascii_whitespace) {
        CancelRequest::default()
    } else {
        serde_json::from_slice(&body).map_err(|e| {
            ApiError::bad_request(format!(
                "the body must be empty or {{\"credit\": \"12.34\"}} ({e}): send the credit \
                 the engine computed for the unused days, or nothing"
            ))
        })?
    };
    Ok(Json(
        cancel::cancel(&state, &claims, &id, request.credit).await?,
    ))
}
