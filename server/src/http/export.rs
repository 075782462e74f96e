//! `GET /v1/charges.json` and `GET /v1/charges.csv`: the charge history of the caller's
//! departments (admins only).

use axum::extract::State;
use axum::http::header::CONTENT_TYPE;
use axum::response::IntoResponse;
use axum::Json;
use serde_json::{json, Value};

use super::error::ApiError;
use super::session::Session;
use crate::auth::{Claims, Role};
use crate::state::AppState;
use crate::store::ledger::{self, HistoryRow};

async fn rows(state: &AppState, claims: &Claims) -> Result<Vec<HistoryRow>, ApiError> {
    if claims.role != Role::Admin {
        return Err(ApiError::forbidden(
            "not_admin",
            "the charge history is for department admins: ask yours for an export",
        ));
    }
    let mut conn = state.store.pool().acquire().await?;
    let mut out = Vec::new();
    for d in &claims.departments {
        out.extend(ledger::history(&mut conn, d).await?);
    }
    Ok(out)
}

/// The history as JSON, each row with its full record.
pub async fn json(
    State(state): State<AppState>,
    Session(claims): Session,
) -> Result<Json<Value>, ApiError> {
    let mut charges = Vec::new();
    for r in rows(&state, &claims).await? {
        let record: Value = serde_json::from_str(&r.body)?;
        let mut v = serde_json::to_value(&r)?;
        if let Some(o) = v.as_object_mut() {
            o.insert("record".into(), record);
        }
        charges.push(v);
    }
    Ok(Json(json!({ "charges": charges })))
}

/// The history as CSV (RFC 4180 quoting).
pub async fn csv(
    State(state): State<AppState>,
    Session(claims): Session,
) -> Result<impl IntoResponse, ApiError> {
    let mut out = String::from(
        "id,status,route,user,module,total,currency,source,created_at,recorded_at\r\n",
    );
    for r in rows(&state, &claims).await? {
        let fields = [
            r.id,
            r.status,
            r.route,
            r.user,
            r.module,
            r.total,
            r.currency,
            r.source,
            r.created_at.to_string(),
            r.recorded_at.to_string(),
        ];
        let line: Vec<String> = fields.iter().map(|f| quote(f)).collect();
        out.push_str(&line.join(","));
        out.push_str("\r\n");
    }
    Ok(([(CONTENT_TYPE, "text/csv; charset=utf-8")], out))
}

fn quote(field: &str) -> String {
    if field.contains([',', '"', '\n', '\r']) || field.starts_with(['=', '+', '-', '@']) {
        format!("\"{}\"", field.replace('"', "\"\""))
    } else {
        field.to_string()
    }
}
