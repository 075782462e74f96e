//! The ledger's operations, each inside the caller's transaction.

use std::collections::BTreeMap;
use std::str::FromStr;

use inflow::checkout::verify::{spend_period, ALL_SOURCES};
use inflow::checkout::Spend;
use inflow::manifest::{FundingSource, Manifests};
use inflow::Date;
use rust_decimal::Decimal;
use sqlx::any::AnyArguments;
use sqlx::query::Query;
use sqlx::{Any, AnyConnection, Row};

use super::{sql, Backend};

/// A stored charge, as the ledger operations need it.
#[derive(Debug, Clone)]
pub struct StoredCharge {
    /// SHA-256 of the record's canonical JSON.
    pub digest: String,
    /// The first receipt (JSON).
    pub receipt: String,
    /// `recorded`, `pending_approval`, `approved`, `denied` or `cancelled`.
    pub status: String,
    /// The record (JSON).
    pub body: String,
    /// The buyer.
    pub user: String,
    /// The buyer's department.
    pub department: String,
    /// The funding source drawn ('' for a trial).
    pub source: String,
    /// Who must approve it, if anyone.
    pub approver: Option<String>,
    /// The ledger period drawn.
    pub spend_period: String,
    /// The total, exact.
    pub total: Decimal,
}

/// A charge to insert.
#[derive(Debug, Clone)]
pub struct NewCharge<'a> {
    pub id: &'a str,
    pub body: &'a str,
    pub digest: &'a str,
    pub user: &'a str,
    pub department: &'a str,
    pub module: &'a str,
    pub total: Decimal,
    pub currency: &'a str,
    pub source: &'a str,
    pub route: &'a str,
    pub approver: Option<&'a str>,
    pub status: &'a str,
    pub spend_period: &'a str,
    pub receipt: &'a str,
    pub created_at: i64,
    pub recorded_at: i64,
}

/// The stored charge with this id.
///
/// # Errors
/// Database errors.
pub async fn charge(conn: &mut AnyConnection, id: &str) -> sqlx::Result<Option<StoredCharge>> {
    let row = sqlx::query(sql::CHARGE_BY_ID)
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?;
    row.map(|r| {
        Ok(StoredCharge {
            digest: r.try_get(0)?,
            receipt: r.try_get(1)?,
            status: r.try_get(2)?,
            body: r.try_get(3)?,
            user: r.try_get(4)?,
            department: r.try_get(5)?,
            source: r.try_get(6)?,
            approver: r.try_get(7)?,
            spend_period: r.try_get(8)?,
            total: decimal(r.try_get::<String, _>(9)?)?,
        })
    })
    .transpose()
}

/// A query with one charge's 16 values bound after what it has, in [`sql::INSERT_CHARGE`]'s
/// column order (one row of [`sql::insert_charges`]).
pub(crate) fn bind_charge<'q>(
    query: Query<'q, Any, AnyArguments<'q>>,
    c: &NewCharge<'q>,
) -> Query<'q, Any, AnyArguments<'q>> {
    query
        .bind(c.id)
        .bind(c.body)
        .bind(c.digest)
        .bind(c.user)
        .bind(c.department)
        .bind(c.module)
        .bind(c.total.to_string())
        .bind(c.currency)
        .bind(c.source)
        .bind(c.route)
        .bind(c.approver)
        .bind(c.status)
        .bind(c.spend_period)
        .bind(c.receipt)
        .bind(c.created_at)
        .bind(c.recorded_at)
}

/// Inserts a charge.
///
/// # Errors
/// Database errors; a unique violation when the id was recorded meanwhile.
pub async fn insert_charge(conn: &mut AnyConnection, c: &NewCharge<'_>) -> sqlx::Result<()> {
    bind_charge(sqlx::query(sql::INSERT_CHARGE), c)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Sets a charge's status.
///
/// # Errors
/// Database errors.
pub async fn set_status(conn: &mut AnyConnection, id: &str, status: &str) -> sqlx::Result<()> {
    sqlx::query(sql::SET_STATUS)
        .bind(id)
        .bind(status)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Records the cancellation of `charge`: its credit and the receipt answered.
///
/// # Errors
/// Database errors; a unique violation when it was cancelled meanwhile.
pub async fn insert_cancellation(
    conn: &mut AnyConnection,
    charge: &str,
    credit: Decimal,
    by: &str,
    receipt: &str,
    at: i64,
) -> sqlx::Result<()> {
    sqlx::query(sql::INSERT_CANCELLATION)
        .bind(charge)
        .bind(credit.to_string())
        .bind(by)
        .bind(receipt)
        .bind(at)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// The receipt (JSON) answered when `charge` was cancelled, if it was.
///
/// # Errors
/// Database errors.
pub async fn cancellation_receipt(
    conn: &mut AnyConnection,
    charge: &str,
) -> sqlx::Result<Option<String>> {
    let row = sqlx::query(sql::CANCELLATION_RECEIPT)
        .bind(charge)
        .fetch_optional(&mut *conn)
        .await?;
    row.map(|r| r.try_get(0)).transpose()
}

/// Locks the funding sources `ids` until the transaction ends (PostgreSQL; SQLite's
/// `BEGIN IMMEDIATE` already excludes other writers), in one statement. Sorted, so two
/// transactions never wait on each other in a circle.
///
/// # Errors
/// Database errors.
pub async fn lock_sources(
    conn: &mut AnyConnection,
    backend: Backend,
    ids: &[String],
) -> sqlx::Result<()> {
    if backend != Backend::Postgres || ids.is_empty() {
        return Ok(());
    }
    let mut ids: Vec<&String> = ids.iter().collect();
    ids.sort();
    ids.dedup();
    let statement = sql::pg_lock_sources(ids.len());
    let mut query = sqlx::query(&statement);
    for id in ids {
        query = query.bind(id.as_str());
    }
    query.execute(&mut *conn).await?;
    Ok(())
}

/// One spend counter (zero when absent).
///
/// # Errors
/// Database errors; a counter that is not a decimal.
pub async fn spent(
    conn: &mut AnyConnection,
    source: &str,
    period: &str,
    user: &str,
) -> sqlx::Result<Decimal> {
    let row = sqlx::query(sql::SPENT)
        .bind(source)
        .bind(period)
        .bind(user)
        .fetch_optional(&mut *conn)
        .await?;
    match row {
        Some(r) => decimal(r.try_get::<String, _>(0)?),
        None => Ok(Decimal::ZERO),
    }
}

/// Every counter of `sources` (and the monthly totals) that concerns `user`: keyed by
/// (source, period, user), with user '' for a source's total. One statement.
async fn counters(
    conn: &mut AnyConnection,
    sources: &[&str],
    user: &str,
) -> sqlx::Result<Counters> {
    let statement = sql::spend_of(sources.len());
    let mut query = sqlx::query(&statement).bind(user);
    for s in sources {
        query = query.bind(*s);
    }
    let mut found = BTreeMap::new();
    for r in query.fetch_all(&mut *conn).await? {
        found.insert(
            (r.try_get(0)?, r.try_get(1)?, r.try_get(2)?),
            decimal(r.try_get::<String, _>(3)?)?,
        );
    }
    Ok(found)
}

/// Spend counters keyed by (source, period, user), user '' for a source's total.
pub type Counters = BTreeMap<(String, String, String), Decimal>;

/// The spend to date of `user` on `sources`, for a purchase on `date`.
///
/// # Errors
/// Database errors.
pub async fn read_spend(
    conn: &mut AnyConnection,
    manifests: &Manifests,
    sources: &[String],
    user: &str,
    date: Date,
) -> sqlx::Result<Spend> {
    let mut ids: Vec<&str> = sources.iter().map(String::as_str).collect();
    ids.push(ALL_SOURCES);
    let found = counters(conn, &ids, user).await?;
    Ok(spend_from(&found, manifests, sources, user, date))
}

/// The spend to date of `user` on every funding source of the contract, on `date`: what
/// a session (or an admin's preview of one) starts from.
///
/// # Errors
/// Database errors.
pub async fn read_user_spend(
    conn: &mut AnyConnection,
    manifests: &Manifests,
    user: &str,
    date: Date,
) -> sqlx::Result<Spend> {
    let sources: Vec<String> = manifests
        .contract()
        .funding
        .iter()
        .map(|f| f.id().to_string())
        .collect();
    read_spend(conn, manifests, &sources, user, date).await
}

/// The spend to date of `user` on `sources` for a purchase on `date`, from `found`
/// (missing counters are zero).
pub fn spend_from(
    found: &Counters,
    manifests: &Manifests,
    sources: &[String],
    user: &str,
    date: Date,
) -> Spend {
    let get = |source: &str, period: &str, user: &str| {
        found
            .get(&(source.to_string(), period.to_string(), user.to_string()))
            .copied()
            .unwrap_or_default()
    };
    let mut spend = Spend::default();
    for id in sources {
        let Some(source) = manifests.contract().funding_source(id) else {
            continue;
        };
        let period = spend_period(source, date);
        spend.by_source.insert(id.clone(), get(id, &period, ""));
        spend.by_user.insert(id.clone(), get(id, &period, user));
    }
    spend.user_month_total = get(ALL_SOURCES, &date.month_start().to_string(), user);
    spend
}

/// The three counters a draw of `source` by `user` moves: the source's total in `period`,
/// the user's share of it, and the user's total across sources in the month of `date`.
pub fn draw_keys(
    source: &str,
    period: &str,
    user: &str,
    date: Date,
) -> [(String, String, String); 3] {
    [
        (source.to_string(), period.to_string(), String::new()),
        (source.to_string(), period.to_string(), user.to_string()),
        (
            ALL_SOURCES.to_string(),
            date.month_start().to_string(),
            user.to_string(),
        ),
    ]
}

/// Draws `amount` (negative: credits it back) from `source` for `user`: the source's
/// counter, the user's counter on it, and the user's monthly total; read in one statement,
/// written in another (the caller holds the lock on the source).
///
/// # Errors
/// Database errors; an overflow.
pub async fn draw(
    conn: &mut AnyConnection,
    source: &FundingSource,
    period: &str,
    user: &str,
    month: Date,
    amount: Decimal,
) -> sqlx::Result<()> {
    let month = month.month_start().to_string();
    let found = counters(conn, &[source.id(), ALL_SOURCES], user).await?;
    let keys = [
        (source.id(), period, ""),
        (source.id(), period, user),
        (ALL_SOURCES, month.as_str(), user),
    ];
    let mut query = sqlx::query(sql::SET_SPENT_3);
    for (s, p, u) in keys {
        let now = found
            .get(&(s.to_string(), p.to_string(), u.to_string()))
            .copied()
            .unwrap_or_default();
        let next = now
            .checked_add(amount)
            .ok_or_else(|| sqlx::Error::Protocol("spend counter overflow".into()))?;
        query = query.bind(s).bind(p).bind(u).bind(next.to_string());
    }
    query.execute(&mut *conn).await?;
    Ok(())
}

/// Records an approver's decision.
///
/// # Errors
/// Database errors.
pub async fn insert_approval(
    conn: &mut AnyConnection,
    charge: &str,
    approver: &str,
    decision: &str,
    reason: &str,
    at: i64,
) -> sqlx::Result<()> {
    sqlx::query(sql::INSERT_APPROVAL)
        .bind(charge)
        .bind(approver)
        .bind(decision)
        .bind(reason)
        .bind(at)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Issues a grant (JSON body) for a charge.
///
/// # Errors
/// Database errors.
pub async fn insert_grant(
    conn: &mut AnyConnection,
    id: &str,
    charge: &str,
    user: &str,
    module: &str,
    body: &str,
) -> sqlx::Result<()> {
    sqlx::query(sql::INSERT_GRANT)
        .bind(id)
        .bind(charge)
        .bind(user)
        .bind(module)
        .bind(body)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Withdraws a charge's grants.
///
/// # Errors
/// Database errors.
pub async fn deactivate_grants(conn: &mut AnyConnection, charge: &str) -> sqlx::Result<()> {
    sqlx::query(sql::DEACTIVATE_GRANTS)
        .bind(charge)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// A user's grants in force (JSON bodies).
///
/// # Errors
/// Database errors.
pub async fn active_grants(conn: &mut AnyConnection, user: &str) -> sqlx::Result<Vec<String>> {
    let rows = sqlx::query(sql::ACTIVE_GRANTS)
        .bind(user)
        .fetch_all(&mut *conn)
        .await?;
    rows.iter().map(|r| r.try_get(0)).collect()
}

/// The charges waiting for `approver`: (id, record JSON).
///
/// # Errors
/// Database errors.
pub async fn pending_for(
    conn: &mut AnyConnection,
    approver: &str,
) -> sqlx::Result<Vec<(String, String)>> {
    let rows = sqlx::query(sql::PENDING_FOR)
        .bind(approver)
        .fetch_all(&mut *conn)
        .await?;
    rows.iter()
        .map(|r| Ok((r.try_get(0)?, r.try_get(1)?)))
        .collect()
}

/// One row of the charge history export.
#[derive(Debug, Clone, serde::Serialize)]
pub struct HistoryRow {
    pub id: String,
    pub status: String,
    pub route: String,
    pub user: String,
    pub module: String,
    pub total: String,
    pub currency: String,
    pub source: String,
    pub created_at: i64,
    pub recorded_at: i64,
    #[serde(skip)]
    pub body: String,
}

/// The charges of a department, oldest first.
///
/// # Errors
/// Database errors.
pub async fn history(conn: &mut AnyConnection, department: &str) -> sqlx::Result<Vec<HistoryRow>> {
    let rows = sqlx::query(sql::CHARGES_OF_DEPARTMENT)
        .bind(department)
        .fetch_all(&mut *conn)
        .await?;
    rows.iter()
        .map(|r| {
            Ok(HistoryRow {
                id: r.try_get(0)?,
                status: r.try_get(1)?,
                route: r.try_get(2)?,
                user: r.try_get(3)?,
                module: r.try_get(4)?,
                total: r.try_get(5)?,
                currency: r.try_get(6)?,
                source: r.try_get(7)?,
                created_at: r.try_get(8)?,
                recorded_at: r.try_get(9)?,
                body: r.try_get(10)?,
            })
        })
        .collect()
}

/// How many charges have `status`.
///
/// # Errors
/// Database errors.
pub async fn count(conn: &mut AnyConnection, status: &str) -> sqlx::Result<i64> {
    let row = sqlx::query(sql::COUNT_CHARGES)
        .bind(status)
        .fetch_one(&mut *conn)
        .await?;
    row.try_get(0)
}

pub(crate) fn decimal(text: String) -> sqlx::Result<Decimal> {
    Decimal::from_str(&text)
        .map_err(|e| sqlx::Error::Decode(format!("amount {text:?} is not a decimal: {e}").into()))
}
