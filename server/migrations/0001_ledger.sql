-- The charge ledger. Portable SQL: runs unchanged on SQLite and PostgreSQL.
-- Amounts are exact decimals stored as text; times are milliseconds since the epoch.

CREATE TABLE charges (
    id TEXT PRIMARY KEY,            -- the client's idempotency key
    body TEXT NOT NULL,             -- the ChargeRecord as received (canonical JSON)
    digest TEXT NOT NULL,           -- SHA-256 of body
    user_id TEXT NOT NULL,
    department TEXT NOT NULL,
    module TEXT NOT NULL,
    total TEXT NOT NULL,
    currency TEXT NOT NULL,
    source TEXT NOT NULL,           -- funding source id ('' for a trial)
    route TEXT NOT NULL,            -- auto_approved | needs_approval | prepaid | purchase_order | card | trial
    approver TEXT,
    status TEXT NOT NULL,           -- recorded | pending_approval | approved | denied | cancelled
    spend_period TEXT NOT NULL,     -- the ledger period drawn down
    receipt TEXT NOT NULL,          -- the first receipt, returned again on a replay
    created_at BIGINT NOT NULL,     -- the client's time
    recorded_at BIGINT NOT NULL     -- the server's time
);
CREATE INDEX charges_user ON charges (user_id);
CREATE INDEX charges_department ON charges (department, recorded_at);
CREATE INDEX charges_approver ON charges (approver, status);

-- Spend per funding source and ledger period; user_id '' is the source's total,
-- source '*' a user's monthly total across sources.
CREATE TABLE budget_spend (
    source TEXT NOT NULL,
    period_start TEXT NOT NULL,
    user_id TEXT NOT NULL,
    spent TEXT NOT NULL,
    PRIMARY KEY (source, period_start, user_id)
);

CREATE TABLE approvals (
    charge_id TEXT PRIMARY KEY,
    approver TEXT NOT NULL,
    decision TEXT NOT NULL,         -- approved | denied
    reason TEXT NOT NULL,
    decided_at BIGINT NOT NULL
);

CREATE TABLE grants (
    id TEXT PRIMARY KEY,
    charge_id TEXT NOT NULL,
    user_id TEXT NOT NULL,
    module TEXT NOT NULL,
    body TEXT NOT NULL,             -- inflow::entitlement::Grant as JSON
    active BIGINT NOT NULL          -- 1 in force, 0 cancelled
);
CREATE INDEX grants_user ON grants (user_id, active);
