//! The policy versions table (the audit log) and the pending totals per budget.

use std::str::FromStr;

use rust_decimal::Decimal;
use serde::Serialize;
use sqlx::{AnyConnection, Row};

use super::scope::Change;
use super::AdminDocument;

const LATEST: &str = "SELECT revision, policy, budgets FROM policy_versions \
     ORDER BY revision DESC LIMIT 1";
const INSERT: &str = "INSERT INTO policy_versions \
     (revision, version, policy, budgets, author, changes, created_at) \
     VALUES ($1, $2, $3, $4, $5, $6, $7)";
const LOG: &str = "SELECT revision, version, author, changes, created_at FROM policy_versions \
     ORDER BY revision DESC LIMIT $1";
const PENDING: &str = "SELECT total FROM charges WHERE source = $1 AND status = 'pending_approval'";

/// The latest stored version: its revision and document.
///
/// # Errors
/// Database errors, or a stored document that no longer parses.
pub async fn latest(conn: &mut AnyConnection) -> anyhow::Result<Option<(i64, AdminDocument)>> {
    let Some(row) = sqlx::query(LATEST).fetch_optional(&mut *conn).await? else {
        return Ok(None);
    };
    let revision: i64 = row.try_get(0)?;
    let policy: String = row.try_get(1)?;
    let budgets: String = row.try_get(2)?;
    Ok(Some((
        revision,
        AdminDocument {
            policy: serde_json::from_str(&policy)?,
            budgets: serde_json::from_str(&budgets)?,
        },
    )))
}

/// Stores version `revision`. Fails with a unique violation when another admin stored the
/// same revision first.
///
/// # Errors
/// Database errors.
pub async fn insert(
    conn: &mut AnyConnection,
    revision: i64,
    document: &AdminDocument,
    author: &str,
    changes: &[Change],
    at: i64,
) -> anyhow::Result<()> {
    sqlx::query(INSERT)
        .bind(revision)
        .bind(&document.policy.version)
        .bind(serde_json::to_string(&document.policy)?)
        .bind(serde_json::to_string(&document.budgets)?)
        .bind(author)
        .bind(serde_json::to_string(changes)?)
        .bind(at)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// One entry of the audit log.
#[derive(Debug, Clone, Serialize)]
pub struct Entry {
    /// The revision.
    pub revision: i64,
    /// The policy's version.
    pub version: String,
    /// Who ('' for the manifests' own policy).
    pub author: String,
    /// What changed.
    pub changes: Vec<Change>,
    /// When (milliseconds since the epoch).
    pub at: i64,
}

/// The latest `limit` entries, newest first.
///
/// # Errors
/// Database errors.
pub async fn log(conn: &mut AnyConnection, limit: i64) -> anyhow::Result<Vec<Entry>> {
    let rows = sqlx::query(LOG).bind(limit).fetch_all(&mut *conn).await?;
    let mut out = Vec::new();
    for r in rows {
        let changes: String = r.try_get(3)?;
        out.push(Entry {
            revision: r.try_get(0)?,
            version: r.try_get(1)?,
            author: r.try_get(2)?,
            changes: serde_json::from_str(&changes).unwrap_or_default(),
            at: r.try_get(4)?,
        });
    }
    Ok(out)
}

/// The sum of the charges waiting for approval on `source`.
///
/// # Errors
/// Database errors, or a stored amount that is not a decimal.
pub async fn pending(conn: &mut AnyConnection, source: &str) -> anyhow::Result<(Decimal, u32)> {
    let rows = sqlx::query(PENDING)
        .bind(source)
        .fetch_all(&mut *conn)
        .await?;
    let mut sum = Decimal::ZERO;
    for r in &rows {
        let t: String = r.try_get(0)?;
        sum = sum
            .checked_add(Decimal::from_str(&t)?)
            .ok_or_else(|| anyhow::anyhow!("pending total overflows"))?;
    }
    Ok((sum, u32::try_from(rows.len()).unwrap_or(u32::MAX)))
}
