//! The versioned JSON API under `/v1` (described in server/openapi.yaml).

use axum::routing::{get, post};
use axum::Router;

use super::{admin, approvals, charges, events, export, insights, me};
use crate::state::AppState;

/// The `/v1` routes.
pub fn router(state: AppState) -> Router {
    Router::new()
        .route("/v1/me/manifests", get(me::manifests))
        .route("/v1/me/entitlements", get(me::entitlements))
        .route("/v1/me/events", post(events::post))
        .route("/v1/me/token", post(me::short_token))
        .route("/v1/demo/token", get(me::demo_token))
        .route("/v1/charges", post(charges::create))
        .route("/v1/charges/{id}/cancel", post(charges::cancel))
        .route("/v1/charges.json", get(export::json))
        .route("/v1/charges.csv", get(export::csv))
        .route("/v1/approvals", get(approvals::list))
        .route("/v1/approvals/{id}/approve", post(approvals::approve))
        .route("/v1/approvals/{id}/deny", post(approvals::deny))
        .route("/v1/admin/policy", get(admin::get).put(admin::put))
        .route("/v1/admin/audit", get(admin::audit))
        .route("/v1/admin/members", post(admin::members))
        .route("/v1/admin/preview", get(admin::preview))
        .route("/v1/insights", get(insights::get))
        .with_state(state)
}
