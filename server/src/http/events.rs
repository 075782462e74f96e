//! `POST /v1/me/events`: the suggestion funnel as pages see it (an offer shown, opened,
//! tried, bought), reported by the caller's own page for the insights. Raw usage telemetry
//! never comes here: it stays in the browser.

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Value};

use super::error::ApiError;
use super::session::Session;
use crate::state::AppState;

/// The most events one request may carry.
const MAX_EVENTS: usize = 500;

/// One funnel event from a page.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Event {
    /// The page's id for the event (8 to 128 of `A-Z a-z 0-9 _ -`), so a retry counts once.
    id: String,
    /// The module offered.
    module: String,
    /// Where (`"crm-sidebar"`).
    surface: String,
    /// `shown`, `opened`, `trial` or `bought`.
    stage: String,
    /// The model's probability when shown.
    #[serde(default)]
    probability: Option<f64>,
    /// When, in milliseconds since the epoch.
    at: i64,
}

/// The request body.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Events {
    events: Vec<Event>,
}

fn check(i: usize, e: &Event, state: &AppState) -> Result<(), ApiError> {
    let at = |what: &str| ApiError::bad_request(format!("events[{i}].{what}"));
    let id_ok = (8..=128).contains(&e.id.len())
        && e.id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    if !id_ok {
        return Err(at(
            "id: must be 8 to 128 letters, digits, '-' or '_' (a UUID works)",
        ));
    }
    if !matches!(e.stage.as_str(), "shown" | "opened" | "trial" | "bought") {
        return Err(at(&format!(
            "stage: {:?} is not one of shown, opened, trial, bought",
            e.stage
        )));
    }
    if state.live.current().manifests.module(&e.module).is_err() {
        return Err(at(&format!("module: {:?} is not in the catalog", e.module)));
    }
    if e.surface.is_empty() || e.surface.len() > 64 {
        return Err(at("surface: must be 1 to 64 characters"));
    }
    if e.probability.is_some_and(|p| !(0.0..=1.0).contains(&p)) {
        return Err(at("probability: must be between 0 and 1"));
    }
    Ok(())
}

/// Stores the caller's events; an id already stored is skipped, so retries are harmless.
pub async fn post(
    State(state): State<AppState>,
    Session(claims): Session,
    Json(body): Json<Events>,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    if body.events.len() > MAX_EVENTS {
        return Err(ApiError::bad_request(format!(
            "at most {MAX_EVENTS} events a request: send them in batches"
        )));
    }
    for (i, e) in body.events.iter().enumerate() {
        check(i, e, &state)?;
    }
    let mut tx = state.store.pool().begin().await?;
    let mut stored = 0u64;
    for e in &body.events {
        let done = sqlx::query(
            "INSERT INTO funnel_events (id, user_id, module, surface, stage, probability, at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (id) DO NOTHING",
        )
        .bind(&e.id)
        .bind(&claims.user)
        .bind(&e.module)
        .bind(&e.surface)
        .bind(&e.stage)
        .bind(e.probability.map(|p| format!("{p:.4}")))
        .bind(e.at)
        .execute(&mut *tx)
        .await?;
        stored += done.rows_affected();
    }
    tx.commit().await?;
    Ok((
        StatusCode::ACCEPTED,
        Json(json!({ "stored": stored, "received": body.events.len() })),
    ))
}
