//! `GET /v1/insights`: the supplier's expansion insights over the charge history (the
//! demo's seeded 18 months plus the ledger's recorded and approved charges) and the
//! suggestion funnel events, computed by the core.

use std::collections::BTreeSet;

use axum::extract::State;
use axum::Json;
use inflow::checkout::ChargeRecord;
use inflow::insights::{insights, FunnelEvent, History, Prediction, Stage};
use inflow::Instant;
use serde_json::Value;
use sqlx::Row;

use super::error::ApiError;
use super::session::Session;
use crate::auth::Role;
use crate::state::AppState;

fn stage(s: &str) -> Option<Stage> {
    match s {
        "shown" => Some(Stage::Shown),
        "opened" => Some(Stage::Opened),
        "trial" => Some(Stage::Trial),
        "bought" => Some(Stage::Bought),
        _ => None,
    }
}

/// Every insight series.
pub async fn get(
    State(state): State<AppState>,
    Session(claims): Session,
) -> Result<Json<Value>, ApiError> {
    if claims.role != Role::Admin {
        return Err(ApiError::forbidden(
            "not_an_admin",
            "insights are for the supplier and the customer's admins: sign in as one",
        ));
    }
    let mut conn = state.store.pool().acquire().await?;
    let mut charges: Vec<ChargeRecord> = Vec::new();
    for r in sqlx::query("SELECT body FROM history_charges ORDER BY created_at")
        .fetch_all(&mut *conn)
        .await?
    {
        charges.push(serde_json::from_str(&r.try_get::<String, _>(0)?)?);
    }
    for r in sqlx::query("SELECT body FROM charges WHERE status IN ('recorded', 'approved')")
        .fetch_all(&mut *conn)
        .await?
    {
        charges.push(serde_json::from_str(&r.try_get::<String, _>(0)?)?);
    }
    let rows = sqlx::query(
        "SELECT user_id, module, surface, stage, probability, at FROM funnel_events ORDER BY at",
    )
    .fetch_all(&mut *conn)
    .await?;
    let mut events = Vec::new();
    let mut shown = Vec::new();
    let mut bought = BTreeSet::new();
    for r in rows {
        let user: String = r.try_get(0)?;
        let module: String = r.try_get(1)?;
        let Some(st) = stage(&r.try_get::<String, _>(3)?) else {
            continue;
        };
        let p: Option<String> = r.try_get(4)?;
        if st == Stage::Bought {
            bought.insert((user.clone(), module.clone()));
        }
        if let (Stage::Shown, Some(p)) = (st, p.and_then(|p| p.parse::<f64>().ok())) {
            shown.push((user, module.clone(), p));
        }
        events.push(FunnelEvent {
            module,
            surface: r.try_get(2)?,
            stage: st,
            at: Instant(r.try_get(5)?),
        });
    }
    let predictions: Vec<Prediction> = shown
        .into_iter()
        .map(|(u, m, p)| Prediction {
            probability: p,
            bought: bought.contains(&(u, m)),
        })
        .collect();
    let live = state.live.current();
    let all = insights(&History {
        charges: &charges,
        events: &events,
        users: &state.users.users,
        policy: live.manifests.policy(),
        predictions: &predictions,
    });
    serde_json::to_value(all)
        .map(Json)
        .map_err(ApiError::internal)
}
