-- Cancellations: the credit given back and the receipt answered, once per charge (a second
-- cancel answers the same receipt). Portable SQL: runs unchanged on SQLite and PostgreSQL.

CREATE TABLE cancellations (
    charge_id TEXT PRIMARY KEY,
    credit TEXT NOT NULL,           -- the prorated credit given back, exact decimal
    cancelled_by TEXT NOT NULL,     -- the buyer or their department's admin
    receipt TEXT NOT NULL,          -- the receipt answered, as JSON
    cancelled_at BIGINT NOT NULL    -- the server's time, milliseconds since the epoch
);
