//! The department admin's API: the policy in force and its budgets (GET), a new version
//! (PUT, validated whole and scoped to the admin's departments), the audit log, who a
//! predicate selects, and what one of their users would be offered and why.

use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use inflow::manifest::{json as mjson, FundingSource, Predicate};
use inflow::Problem;
use serde::Deserialize;
use serde_json::{json, Value};

use super::error::ApiError;
use super::session::Session;
use crate::auth::{Claims, Role};
use crate::clock;
use crate::policy::{self, preview, scope, store, AdminDocument};
use crate::state::AppState;
use crate::store::ledger;

fn admin(claims: &Claims) -> Result<(), ApiError> {
    if claims.role == Role::Admin {
        Ok(())
    } else {
        Err(ApiError::forbidden(
            "not_an_admin",
            "only a department admin may read or change the policy: sign in as one",
        ))
    }
}

/// An answer listing problems, each at its path.
fn problems(status: StatusCode, code: &str, message: &str, problems: &[Problem]) -> Response {
    let body = json!({ "error": { "code": code, "message": message, "problems": problems } });
    (status, Json(body)).into_response()
}

/// The policy in force, the budgets with spend to date and pending, the caller's scope.
pub async fn get(
    State(state): State<AppState>,
    Session(claims): Session,
) -> Result<Json<Value>, ApiError> {
    admin(&claims)?;
    let live = state.live.current();
    let mut conn = state.store.pool().acquire().await?;
    let mut budgets = Vec::new();
    for f in &live.manifests.contract().funding {
        let FundingSource::Budget {
            id,
            name,
            department,
            currency,
            limit,
            period,
            auto_approve_up_to,
            per_user_cap,
            approver,
        } = f
        else {
            continue;
        };
        let spend = ledger::read_spend(
            &mut conn,
            &live.manifests,
            std::slice::from_ref(id),
            "",
            clock::today(),
        )
        .await?;
        let (pending, pending_count) = store::pending(&mut conn, id)
            .await
            .map_err(ApiError::internal)?;
        budgets.push(json!({
            "id": id, "name": name, "department": department, "currency": currency,
            "limit": limit, "period": period, "auto_approve_up_to": auto_approve_up_to,
            "per_user_cap": per_user_cap, "approver": approver,
            "spent": spend.by_source.get(id).copied().unwrap_or_default(),
            "pending": pending, "pending_count": pending_count,
            "editable": claims.administers(department),
        }));
    }
    let users: Vec<Value> = state
        .users
        .users
        .iter()
        .map(|u| {
            let communities: Vec<&str> = live
                .manifests
                .policy()
                .communities_of(&u.attributes)
                .map(|c| c.id.as_str())
                .collect();
            json!({ "id": u.id, "name": u.name, "attributes": u.attributes,
                    "communities": communities,
                    "yours": claims.administers(u.department()) })
        })
        .collect();
    let modules: Vec<Value> = live
        .manifests
        .catalog()
        .modules
        .iter()
        .map(|m| json!({ "id": m.id, "name": m.name }))
        .collect();
    let sources: Vec<Value> = live
        .manifests
        .contract()
        .funding
        .iter()
        .map(|f| json!({ "id": f.id(), "name": f.name() }))
        .collect();
    Ok(Json(json!({
        "revision": live.revision,
        "version": live.manifests.policy().version,
        "document": live.document,
        "departments": claims.departments,
        "budgets": budgets,
        "users": users,
        "modules": modules,
        "sources": sources,
    })))
}

#[derive(Deserialize)]
pub struct Base {
    /// The revision the admin edited; a newer one in force makes the save a conflict.
    base: Option<i64>,
}

/// Stores a new version of the policy and puts it in force.
pub async fn put(
    State(state): State<AppState>,
    Session(claims): Session,
    Query(q): Query<Base>,
    body: String,
) -> Result<Response, ApiError> {
    admin(&claims)?;
    let mut doc: AdminDocument = match mjson::from_str("$", &body) {
        Ok(d) => d,
        Err(e) => {
            let list: Vec<Problem> = policy::to_problems(e)
                .into_iter()
                .map(|p| Problem {
                    path: p
                        .path
                        .trim_start_matches('$')
                        .trim_start_matches('.')
                        .to_string(),
                    ..p
                })
                .collect();
            return Ok(problems(
                StatusCode::UNPROCESSABLE_ENTITY,
                "manifest_invalid",
                "the document does not parse: nothing was changed",
                &list,
            ));
        }
    };
    let live = state.live.current();
    if q.base.is_some_and(|b| b != live.revision) {
        return Err(ApiError::new(
            StatusCode::CONFLICT,
            "stale_policy",
            format!(
                "revision {} is in force since you loaded the policy: reload and redo your change",
                live.revision
            ),
        ));
    }
    let contract = state.manifests.contract();
    let changes = match scope::check(&claims, contract, &live.document, &doc) {
        Ok(c) => c,
        Err(list) => {
            return Ok(problems(
                StatusCode::FORBIDDEN,
                "out_of_scope",
                "the change touches what you do not administer: nothing was changed",
                &list,
            ))
        }
    };
    if changes.is_empty() {
        return Ok(Json(json!({ "revision": live.revision, "version": live.manifests.policy().version, "changes": [] })).into_response());
    }
    let revision = live.revision + 1;
    doc.policy.version = format!("{}.{revision}", clock::today());
    let next = match policy::build(state.manifests.catalog(), contract, doc, revision) {
        Ok(n) => n,
        Err(list) => {
            return Ok(problems(
                StatusCode::UNPROCESSABLE_ENTITY,
                "manifest_invalid",
                "the policy is invalid: nothing was changed",
                &list,
            ))
        }
    };
    let mut conn = state.store.pool().acquire().await?;
    if let Err(e) = store::insert(
        &mut conn,
        revision,
        &next.document,
        &claims.user,
        &changes,
        clock::now().0,
    )
    .await
    {
        return Err(ApiError::new(
            StatusCode::CONFLICT,
            "stale_policy",
            format!(
                "another admin saved revision {revision} first ({e}): reload and redo your change"
            ),
        ));
    }
    let version = next.manifests.policy().version.clone();
    state.live.replace(next);
    Ok(
        Json(json!({ "revision": revision, "version": version, "changes": changes }))
            .into_response(),
    )
}

/// The audit log, newest first.
pub async fn audit(
    State(state): State<AppState>,
    Session(claims): Session,
) -> Result<Json<Value>, ApiError> {
    admin(&claims)?;
    let mut conn = state.store.pool().acquire().await?;
    let entries = store::log(&mut conn, 200)
        .await
        .map_err(ApiError::internal)?;
    Ok(Json(json!({ "entries": entries })))
}

/// The users a predicate selects (to preview a community's members before saving).
pub async fn members(
    State(state): State<AppState>,
    Session(claims): Session,
    body: String,
) -> Result<Json<Value>, ApiError> {
    admin(&claims)?;
    let p: Predicate = mjson::from_str("members", &body)
        .map_err(|e| ApiError::bad_request(format!("{e}: send a predicate")))?;
    if p.depth() > 32 {
        return Err(ApiError::bad_request("the predicate nests deeper than 32"));
    }
    let users: Vec<Value> = state
        .users
        .users
        .iter()
        .filter(|u| p.matches(&u.attributes))
        .map(|u| json!({ "id": u.id, "name": u.name, "attributes": u.attributes }))
        .collect();
    Ok(Json(json!({ "users": users })))
}

#[derive(Deserialize)]
pub struct Who {
    user: String,
}

/// What one of the admin's users would be offered now, and why (or why not).
pub async fn preview(
    State(state): State<AppState>,
    Session(claims): Session,
    Query(q): Query<Who>,
) -> Result<Json<Value>, ApiError> {
    admin(&claims)?;
    let user = state
        .users
        .user(&q.user)
        .ok_or_else(|| ApiError::not_found(format!("no user {:?} in the directory", q.user)))?;
    if !claims.administers(user.department()) {
        return Err(ApiError::forbidden(
            "out_of_scope",
            format!(
                "{} is in department {:?}, which you do not administer",
                user.id,
                user.department()
            ),
        ));
    }
    let live = state.live.current();
    let mut conn = state.store.pool().acquire().await?;
    let grants = ledger::active_grants(&mut conn, &user.id)
        .await?
        .iter()
        .filter_map(|g| serde_json::from_str(g).ok())
        .collect::<Vec<_>>();
    let spend =
        ledger::read_user_spend(&mut conn, &live.manifests, &user.id, clock::today()).await?;
    let rows = preview::preview(
        &live.manifests,
        &live.refs,
        user,
        &grants,
        &spend,
        clock::now(),
    );
    Ok(Json(
        json!({ "user": user, "revision": live.revision, "modules": rows }),
    ))
}
