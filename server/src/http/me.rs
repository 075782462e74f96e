//! The caller's own data: manifests and spend for the browser engine, entitlements; and
//! short-lived tokens for the caller; demo tokens when the server runs with `--demo`.

use axum::extract::{Query, State};
use axum::Json;
use inflow::entitlement::Grant;
use serde::Deserialize;
use serde_json::{json, Value};

use super::error::ApiError;
use super::session::Session;
use crate::auth::{self, Claims};
use crate::clock;
use crate::state::AppState;
use crate::store::ledger;

/// The manifests, their digests, the user, and their spend to date on every source.
pub async fn manifests(
    State(state): State<AppState>,
    Session(claims): Session,
) -> Result<Json<Value>, ApiError> {
    let user = state.users.user(&claims.user).ok_or_else(|| {
        ApiError::forbidden("unknown_user", "you are not in the directory: ask an admin")
    })?;
    let live = state.live.current();
    let mut conn = state.store.pool().acquire().await?;
    let spend =
        ledger::read_user_spend(&mut conn, &live.manifests, &user.id, clock::today()).await?;
    Ok(Json(json!({
        "user": user,
        "catalog": live.manifests.catalog(),
        "contract": live.manifests.contract(),
        "policy": live.manifests.policy(),
        "manifests": live.refs,
        "spend": spend,
        "today": clock::today(),
    })))
}

/// The caller's grants in force.
pub async fn entitlements(
    State(state): State<AppState>,
    Session(claims): Session,
) -> Result<Json<Value>, ApiError> {
    let mut conn = state.store.pool().acquire().await?;
    let grants = ledger::active_grants(&mut conn, &claims.user)
        .await?
        .iter()
        .map(|g| serde_json::from_str::<Grant>(g))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Json(json!({ "user": claims.user, "grants": grants })))
}

/// How long a token from `POST /v1/me/token` lives: long enough to type a card.
pub const SHORT_TOKEN_SECS: i64 = 15 * 60;

/// A short-lived token for the caller themself, never outliving the caller's own: what a host
/// holding a long-lived credential on its server (Salesforce's Named Credential) hands to the
/// card entry page, so the long-lived one never reaches a browser.
pub async fn short_token(
    State(state): State<AppState>,
    Session(claims): Session,
) -> Result<Json<Value>, ApiError> {
    let exp = (clock::now_secs() + SHORT_TOKEN_SECS).min(claims.exp);
    let claims = Claims { exp, ..claims };
    let token = auth::mint(&state.secret, &claims).map_err(ApiError::internal)?;
    Ok(Json(json!({ "token": token, "expires_at": exp })))
}

#[derive(Deserialize)]
pub struct DemoUser {
    user: String,
}

/// A demo token for any directory user, valid 8 hours; only with `--demo`.
pub async fn demo_token(
    State(state): State<AppState>,
    Query(q): Query<DemoUser>,
) -> Result<Json<Value>, ApiError> {
    if !state.demo {
        return Err(ApiError::not_found(
            "demo tokens are off: start the server with --demo, or mint one with `inflow token`",
        ));
    }
    let user = state.users.user(&q.user).ok_or_else(|| {
        ApiError::not_found(format!(
            "no user {:?} in users.json: pick one listed there",
            q.user
        ))
    })?;
    let claims = Claims::for_user(user, clock::now_secs() + 8 * 3600);
    let token = auth::mint(&state.secret, &claims).map_err(ApiError::internal)?;
    Ok(Json(json!({ "token": token, "claims": claims })))
}
