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

/// Sets one spend counter (insert or replace; the caller holds the lock and did the sum).
pub const SET_SPENT: &str = "INSERT INTO budget_spend (source, period_start, user_id, spent) \
     VALUES ($1, $2, $3, $4) \
     ON CONFLICT (source, period_start, user_id) DO UPDATE SET spent = excluded.spent";

/// PostgreSQL only: a transaction-scoped lock on one funding source.
pub const PG_LOCK_SOURCE: &str = "SELECT pg_advisory_xact_lock(hashtext($1))";

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
