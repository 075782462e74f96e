//! Every SQL statement of the server, in one place. Placeholders are `$1`, `$2`, … (both
//! SQLite and PostgreSQL accept them); amounts are decimal text.

/// A charge's digest, receipt and status by id.
pub const CHARGE_BY_ID: &str =
    "SELECT digest, receipt, status, body, user_id, department, source, approver, spend_period, total \
     FROM charges WHERE id = $1";

/// Records a charge.
pub const INSERT_CHARGE: &str = "INSERT INTO charges \
     (id, body, digest, user_id, department, module, total, currency, source, route, approver, \
      status, spend_period, receipt, created_at, recorded_at) \
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)";

/// Changes a charge's status.
pub const SET_STATUS: &str = "UPDATE charges SET status = $2 WHERE id = $1";

/// One spend counter.
pub const SPENT: &str =
    "SELECT spent FROM budget_spend WHERE source = $1 AND period_start = $2 AND user_id = $3";

/// Sets three spend counters (insert or replace; the caller holds the lock and did the sums).
pub const SET_SPENT_3: &str = "INSERT INTO budget_spend (source, period_start, user_id, spent) \
     VALUES ($1, $2, $3, $4), ($5, $6, $7, $8), ($9, $10, $11, $12) \
     ON CONFLICT (source, period_start, user_id) DO UPDATE SET spent = excluded.spent";

/// The counters of `n` sources (`$2`…) for the total ('') and one user (`$1`), every period.
pub fn spend_of(n: usize) -> String {
    let list: Vec<String> = (2..n + 2).map(|i| format!("${i}")).collect();
    format!(
        "SELECT source, period_start, user_id, spent FROM budget_spend \
         WHERE user_id IN ('', $1) AND source IN ({})",
        list.join(", ")
    )
}

/// PostgreSQL only: transaction-scoped locks on `n` funding sources (`$1`…, bound in
/// sorted order), taken left to right in one statement.
pub fn pg_lock_sources(n: usize) -> String {
    let locks: Vec<String> = (1..=n)
        .map(|i| format!("pg_advisory_xact_lock(hashtext(${i}))"))
        .collect();
    format!("SELECT {}", locks.join(", "))
}

/// Records an approver's decision.
pub const INSERT_APPROVAL: &str =
    "INSERT INTO approvals (charge_id, approver, decision, reason, decided_at) \
     VALUES ($1, $2, $3, $4, $5)";

/// Issues a grant.
pub const INSERT_GRANT: &str =
    "INSERT INTO grants (id, charge_id, user_id, module, body, active) VALUES ($1, $2, $3, $4, $5, 1)";

/// Withdraws the grants of a cancelled charge.
pub const DEACTIVATE_GRANTS: &str = "UPDATE grants SET active = 0 WHERE charge_id = $1";

/// A user's grants in force.
pub const ACTIVE_GRANTS: &str =
    "SELECT body FROM grants WHERE user_id = $1 AND active = 1 ORDER BY id";

/// Charges waiting for one approver.
pub const PENDING_FOR: &str = "SELECT id, body, recorded_at FROM charges \
     WHERE approver = $1 AND status = 'pending_approval' ORDER BY recorded_at, id";

/// The charges of one department, oldest first.
pub const CHARGES_OF_DEPARTMENT: &str = "SELECT id, status, route, user_id, module, total, currency, \
     source, created_at, recorded_at, body FROM charges WHERE department = $1 ORDER BY recorded_at, id";

/// How many charges there are (tests and the benchmark).
pub const COUNT_CHARGES: &str = "SELECT COUNT(*) FROM charges WHERE status = $1";
