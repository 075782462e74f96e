-- The admins' policy versions (the audit log), the demo's seeded charge history and the
-- suggestion funnel events. Portable SQL: runs unchanged on SQLite and PostgreSQL.

CREATE TABLE policy_versions (
    revision BIGINT PRIMARY KEY,    -- 1, 2, 3, … in order of change
    version TEXT NOT NULL,          -- the policy's `version`, as charges name it
    policy TEXT NOT NULL,           -- the Policy as JSON
    budgets TEXT NOT NULL,          -- {"source": {"auto_approve_up_to", "per_user_cap"}} as JSON
    author TEXT NOT NULL,           -- who changed it ('' for the manifests' own)
    changes TEXT NOT NULL,          -- what changed: a JSON list of {path, before, after}
    created_at BIGINT NOT NULL      -- milliseconds since the epoch
);

-- Charge records older than the ledger (the demo's 18 months), for insights only.
CREATE TABLE history_charges (
    id TEXT PRIMARY KEY,
    body TEXT NOT NULL,             -- a ChargeRecord as JSON
    created_at BIGINT NOT NULL
);

-- What users did with suggestions: shown, opened, trial, bought.
CREATE TABLE funnel_events (
    id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL,
    module TEXT NOT NULL,
    surface TEXT NOT NULL,
    stage TEXT NOT NULL,
    probability TEXT,               -- the model's score when shown, as decimal text
    at BIGINT NOT NULL
);
