//! The ledger operations of a batch of charges recorded in one transaction: each is one
//! statement for the whole batch, whatever its size.

use std::collections::BTreeMap;

use inflow::entitlement::{Grant, GrantSource};
use sqlx::{AnyConnection, Row};

use super::ledger::{bind_charge, decimal, Counters, NewCharge};
use super::sql;

/// The (digest, receipt) of each of `ids` already recorded.
///
/// # Errors
/// Database errors.
pub async fn recorded(
    conn: &mut AnyConnection,
    ids: &[&str],
) -> sqlx::Result<BTreeMap<String, (String, String)>> {
    if ids.is_empty() {
        return Ok(BTreeMap::new());
    }
    let statement = sql::charges_in(ids.len());
    let mut query = sqlx::query(&statement);
    for id in ids {
        query = query.bind(*id);
    }
    let mut found = BTreeMap::new();
    for r in query.fetch_all(&mut *conn).await? {
        found.insert(r.try_get(0)?, (r.try_get(1)?, r.try_get(2)?));
    }
    Ok(found)
}

/// The grants each of `users` holds as verification sees them: those in force, and every
/// trial (one that ended or was cancelled still counts: one trial per user and module).
///
/// # Errors
/// Database errors; a stored grant that is not a grant.
pub async fn grants(
    conn: &mut AnyConnection,
    users: &[&str],
) -> sqlx::Result<BTreeMap<String, Vec<Grant>>> {
    let mut found: BTreeMap<String, Vec<Grant>> = BTreeMap::new();
    if users.is_empty() {
        return Ok(found);
    }
    let statement = sql::grants_of(users.len());
    let mut query = sqlx::query(&statement);
    for u in users {
        query = query.bind(*u);
    }
    for r in query.fetch_all(&mut *conn).await? {
        let body: String = r.try_get(1)?;
        let grant: Grant = serde_json::from_str(&body).map_err(|e| {
            sqlx::Error::Decode(format!("a stored grant is not a grant: {e}").into())
        })?;
        let active: i64 = r.try_get(2)?;
        if active == 1 || grant.source == GrantSource::Trial {
            found.entry(r.try_get(0)?).or_default().push(grant);
        }
    }
    Ok(found)
}

/// Every counter of `sources` for `users` ('' among them for the sources' totals).
///
/// # Errors
/// Database errors; a counter that is not a decimal.
pub async fn counters(
    conn: &mut AnyConnection,
    sources: &[&str],
    users: &[&str],
) -> sqlx::Result<Counters> {
    let mut found = Counters::new();
    if sources.is_empty() || users.is_empty() {
        return Ok(found);
    }
    let statement = sql::counters_of(sources.len(), users.len());
    let mut query = sqlx::query(&statement);
    for s in sources.iter().chain(users) {
        query = query.bind(*s);
    }
    for r in query.fetch_all(&mut *conn).await? {
        found.insert(
            (r.try_get(0)?, r.try_get(1)?, r.try_get(2)?),
            decimal(r.try_get::<String, _>(3)?)?,
        );
    }
    Ok(found)
}

/// Inserts `charges`.
///
/// # Errors
/// Database errors; a unique violation when one of the ids was recorded meanwhile (then
/// none is).
pub async fn insert_charges(
    conn: &mut AnyConnection,
    charges: &[NewCharge<'_>],
) -> sqlx::Result<()> {
    if charges.is_empty() {
        return Ok(());
    }
    let statement = sql::insert_charges(charges.len());
    let mut query = sqlx::query(&statement);
    for c in charges {
        query = bind_charge(query, c);
    }
    query.execute(&mut *conn).await?;
    Ok(())
}

/// Sets the counters of `values` to their amounts (the caller holds the sources' locks).
///
/// # Errors
/// Database errors.
pub async fn set_counters(conn: &mut AnyConnection, values: &Counters) -> sqlx::Result<()> {
    if values.is_empty() {
        return Ok(());
    }
    let statement = sql::set_counters(values.len());
    let mut query = sqlx::query(&statement);
    for ((source, period, user), spent) in values {
        query = query
            .bind(source.as_str())
            .bind(period.as_str())
            .bind(user.as_str())
            .bind(spent.to_string());
    }
    query.execute(&mut *conn).await?;
    Ok(())
}

/// A grant to issue: (id, charge, user, module, JSON body).
pub type NewGrant = (String, String, String, String, String);

/// Issues `grants`.
///
/// # Errors
/// Database errors.
pub async fn insert_grants(conn: &mut AnyConnection, grants: &[NewGrant]) -> sqlx::Result<()> {
    if grants.is_empty() {
        return Ok(());
    }
    let statement = sql::insert_grants(grants.len());
    let mut query = sqlx::query(&statement);
    for (id, charge, user, module, body) in grants {
        query = query
            .bind(id.as_str())
            .bind(charge.as_str())
            .bind(user.as_str())
            .bind(module.as_str())
            .bind(body.as_str());
    }
    query.execute(&mut *conn).await?;
    Ok(())
}
