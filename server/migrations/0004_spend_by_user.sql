-- A charge reads its buyer's counters (and the sources' totals, user '') across periods:
-- `WHERE user_id IN (...) AND source IN (...)`. The primary key leads with the period, so
-- without this index that read scans every user's counter of the source and slows down as
-- the ledger grows.
CREATE INDEX budget_spend_user ON budget_spend (user_id, source);
