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

/// Records a cancellation.
pub const INSERT_CANCELLATION: &str =
    "INSERT INTO cancellations (charge_id, credit, cancelled_by, receipt, cancelled_at) \
     VALUES ($1, $2, $3, $4, $5)";

/// A cancellation's receipt.
pub const CANCELLATION_RECEIPT: &str = "SELECT receipt FROM cancellations WHERE charge_id = $1";

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

/// The grants of `n` users (`$1`…), in force or not, with their user.
pub fn grants_of(n: usize) -> String {
    format!(
        "SELECT user_id, body, active FROM grants WHERE user_id IN ({}) ORDER BY id",
        list(1, n)
    )
}

/// Charges waiting for one approver.
pub const PENDING_FOR: &str = "SELECT id, body, recorded_at FROM charges \
     WHERE approver = $1 AND status = 'pending_approval' ORDER BY recorded_at, id";

/// The charges of one department, oldest first.
pub const CHARGES_OF_DEPARTMENT: &str = "SELECT id, status, route, user_id, module, total, currency, \
     source, created_at, recorded_at, body FROM charges WHERE department = $1 ORDER BY recorded_at, id";

/// How many charges there are (tests and the benchmark).
pub const COUNT_CHARGES: &str = "SELECT COUNT(*) FROM charges WHERE status = $1";

/// `rows` groups of `cols` placeholders from `$1`, each group followed by `tail` (a literal
/// column value or nothing): `($1, $2), ($3, $4)`.
fn groups(rows: usize, cols: usize, tail: &str) -> String {
    (0..rows)
        .map(|r| {
            let list: Vec<String> = (1..=cols).map(|c| format!("${}", r * cols + c)).collect();
            format!("({}{tail})", list.join(", "))
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// `$from`, … `$(from + n - 1)`, comma-separated.
fn list(from: usize, n: usize) -> String {
    (from..from + n)
        .map(|i| format!("${i}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The id, digest and receipt of those of `n` charge ids (`$1`…) already recorded.
pub fn charges_in(n: usize) -> String {
    format!(
        "SELECT id, digest, receipt FROM charges WHERE id IN ({})",
        list(1, n)
    )
}

/// Every counter of `sources` sources (`$1`…) for `users` users (the following
/// placeholders; '' among them for the sources' totals), every period.
pub fn counters_of(sources: usize, users: usize) -> String {
    format!(
        "SELECT source, period_start, user_id, spent FROM budget_spend \
         WHERE source IN ({}) AND user_id IN ({})",
        list(1, sources),
        list(sources + 1, users)
    )
}

/// Records `n` charges (16 values each, in [`INSERT_CHARGE`]'s order).
pub fn insert_charges(n: usize) -> String {
    format!(
        "INSERT INTO charges \
         (id, body, digest, user_id, department, module, total, currency, source, route, approver, \
          status, spend_period, receipt, created_at, recorded_at) VALUES {}",
        groups(n, 16, "")
    )
}

/// Sets `n` spend counters (source, period, user, spent each; insert or replace: the
/// caller holds the lock and did the sums).
pub fn set_counters(n: usize) -> String {
    format!(
        "INSERT INTO budget_spend (source, period_start, user_id, spent) VALUES {} \
         ON CONFLICT (source, period_start, user_id) DO UPDATE SET spent = excluded.spent",
        groups(n, 4, "")
    )
}

/// Issues `n` grants (id, charge, user, module, body each).
pub fn insert_grants(n: usize) -> String {
    format!(
        "INSERT INTO grants (id, charge_id, user_id, module, body, active) VALUES {}",
        groups(n, 5, ", 1")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn batched_statements_number_their_placeholders_in_order() {
        assert_eq!(
            insert_grants(2),
            "INSERT INTO grants (id, charge_id, user_id, module, body, active) VALUES \
             ($1, $2, $3, $4, $5, 1), ($6, $7, $8, $9, $10, 1)"
        );
        assert!(counters_of(2, 3).ends_with("source IN ($1, $2) AND user_id IN ($3, $4, $5)"));
        assert!(insert_charges(2).ends_with("$16), ($17, $18, $19, $20, $21, $22, $23, $24, $25, $26, $27, $28, $29, $30, $31, $32)"));
    }
}
