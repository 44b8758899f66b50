-- VixShield schema, migration 003: the stage framework. Runs can be interrupted, a date's completion is
-- recorded last in its transaction (resume trusts it), stage timings are kept with the run, condors name
-- their root and leg symbols and carry dollar columns, hedge layers are keyed to the condor they protect,
-- every timestamp has an offset, and analysts get three views (schemas/README.md).

-- runs: status may now be 'interrupted' (SQLite cannot alter a CHECK: rebuild, keeping every row).
CREATE TABLE runs_003 (
    run_id          INTEGER PRIMARY KEY,
    command         TEXT NOT NULL,
    as_of_from      TEXT CHECK (as_of_from IS NULL OR as_of_from GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    as_of_to        TEXT CHECK (as_of_to IS NULL OR as_of_to GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    pipeline_name   TEXT,
    pipeline_sha256 TEXT,
    version         TEXT NOT NULL,
    offline         INTEGER NOT NULL DEFAULT 0 CHECK (offline IN (0, 1)),
    started_at      TEXT NOT NULL,
    finished_at     TEXT,
    status          TEXT NOT NULL CHECK (status IN ('running', 'ok', 'failed', 'interrupted')),
    counts_json     TEXT,
    error           TEXT
);
INSERT INTO runs_003 SELECT run_id, command, as_of_from, as_of_to, pipeline_name, pipeline_sha256, version, offline,
    started_at, finished_at, status, counts_json, error FROM runs;
DROP TABLE runs;
ALTER TABLE runs_003 RENAME TO runs;

-- Wall time of each stage of each date of a run (ledger only: never part of a date's data).
CREATE TABLE run_stage_timings (
    run_id      INTEGER NOT NULL REFERENCES runs(run_id) ON DELETE CASCADE,
    as_of       TEXT NOT NULL,
    stage       TEXT NOT NULL,
    elapsed_ms  REAL NOT NULL CHECK (elapsed_ms >= 0),
    PRIMARY KEY (run_id, as_of, stage)
);

-- One row per as-of date and underlying whose per-date stages all committed, written last in the same
-- transaction as the date's data: a row here means the whole date landed. `retry` marks dates decided
-- by a missing or stale input, which a backfill runs again.
CREATE TABLE date_completions (
    as_of            TEXT NOT NULL CHECK (as_of GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    underlying       TEXT NOT NULL,
    status           TEXT NOT NULL CHECK (status IN ('ok', 'no_trade')),
    reason_codes     TEXT NOT NULL DEFAULT '',
    reason           TEXT,
    retry            INTEGER NOT NULL CHECK (retry IN (0, 1)),
    pipeline_sha256  TEXT,
    run_id           INTEGER NOT NULL,
    completed_at     TEXT NOT NULL,
    PRIMARY KEY (as_of, underlying),
    CHECK (status = 'ok' OR reason IS NOT NULL)
);

-- recommendations: the condor's root and each leg's OCC symbol, dollars next to points, the reason's code.
ALTER TABLE recommendations ADD COLUMN root TEXT;
ALTER TABLE recommendations ADD COLUMN long_put_symbol TEXT;
ALTER TABLE recommendations ADD COLUMN short_put_symbol TEXT;
ALTER TABLE recommendations ADD COLUMN short_call_symbol TEXT;
ALTER TABLE recommendations ADD COLUMN long_call_symbol TEXT;
-- Whole position: points x 100 x contracts.
ALTER TABLE recommendations ADD COLUMN credit_usd REAL CHECK (credit_usd IS NULL OR credit_usd > 0);
ALTER TABLE recommendations ADD COLUMN max_loss_usd REAL CHECK (max_loss_usd IS NULL OR max_loss_usd > 0);
ALTER TABLE recommendations ADD COLUMN reason_code TEXT;

-- hedge_recommendations: keyed to the condor it protects (as_of, underlying, profile, rank) plus its layer.
-- The table was never written before this migration (the hedge stage had not landed); any row there is
-- kept under the rank-1 recommendation of its date.
CREATE TABLE hedge_recommendations_003 (
    as_of       TEXT NOT NULL,
    for_date    TEXT NOT NULL,
    underlying  TEXT NOT NULL,
    profile     TEXT NOT NULL,
    rank        INTEGER NOT NULL CHECK (rank >= 1),
    layer       INTEGER NOT NULL CHECK (layer >= 0),
    active      INTEGER NOT NULL CHECK (active IN (0, 1)),
    instrument  TEXT NOT NULL,
    contract    TEXT NOT NULL,
    side        TEXT NOT NULL CHECK (side IN ('buy', 'sell')),
    quantity    INTEGER NOT NULL CHECK (quantity >= 0),
    vega_offset REAL NOT NULL,
    trigger     TEXT NOT NULL,
    rationale   TEXT NOT NULL,
    run_id      INTEGER NOT NULL,
    PRIMARY KEY (as_of, underlying, profile, rank, layer),
    FOREIGN KEY (as_of, underlying, profile, rank) REFERENCES recommendations (as_of, underlying, profile, rank)
        ON DELETE CASCADE
);
INSERT INTO hedge_recommendations_003
SELECT h.as_of, h.for_date, r.underlying, r.profile, r.rank, h.layer, h.active, h.instrument, h.contract, h.side,
       h.quantity, h.vega_offset, h.trigger, h.rationale, h.run_id
FROM hedge_recommendations h
JOIN recommendations r ON r.as_of = h.as_of AND r.rank = 1
GROUP BY h.as_of, h.layer;
DROP TABLE hedge_recommendations;
ALTER TABLE hedge_recommendations_003 RENAME TO hedge_recommendations;

-- chain_snapshots.captured_at: vendor local times ('YYYY-MM-DD HH:MM:SS', America/New_York) get their
-- offset (US daylight saving from the second Sunday of March to the first Sunday of November).
UPDATE chain_snapshots
SET captured_at = replace(captured_at, ' ', 'T') ||
    CASE WHEN substr(captured_at, 1, 10) >= date(substr(captured_at, 1, 4) || '-03-01', 'weekday 0', '+7 days')
              AND substr(captured_at, 1, 10) < date(substr(captured_at, 1, 4) || '-11-01', 'weekday 0')
         THEN '-04:00' ELSE '-05:00' END
WHERE captured_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9][ T][0-9][0-9]:[0-9][0-9]:[0-9][0-9]';

-- MARK: views for analysts (schemas/README.md)

-- The recommendations of each underlying's most recent as-of date.
CREATE VIEW latest_recommendations AS
SELECT r.*
FROM recommendations r
WHERE r.as_of = (SELECT MAX(x.as_of) FROM recommendations x WHERE x.underlying = r.underlying);

-- One row per leg of every traded condor, with the leg's quote, implied volatility and delta as stored
-- on its as-of date (the end-of-day quote set when a source carries several).
CREATE VIEW recommendation_legs AS
WITH legs AS (
    SELECT as_of, for_date, underlying, profile, rank, root, expiry, contracts,
           1 AS leg_order, 'long_put' AS leg, 'buy' AS side, 'P' AS option_type, long_put AS strike, long_put_symbol AS symbol
    FROM recommendations WHERE status = 'trade'
    UNION ALL
    SELECT as_of, for_date, underlying, profile, rank, root, expiry, contracts,
           2, 'short_put', 'sell', 'P', short_put, short_put_symbol
    FROM recommendations WHERE status = 'trade'
    UNION ALL
    SELECT as_of, for_date, underlying, profile, rank, root, expiry, contracts,
           3, 'short_call', 'sell', 'C', short_call, short_call_symbol
    FROM recommendations WHERE status = 'trade'
    UNION ALL
    SELECT as_of, for_date, underlying, profile, rank, root, expiry, contracts,
           4, 'long_call', 'buy', 'C', long_call, long_call_symbol
    FROM recommendations WHERE status = 'trade'
)
SELECT l.as_of, l.for_date, l.underlying, l.profile, l.rank, l.leg_order, l.leg, l.side, l.option_type, l.root,
       l.expiry, l.strike, l.symbol, l.contracts, q.bid, q.ask, q.iv, q.surface_iv, q.delta
FROM legs l
LEFT JOIN option_quotes q ON q.rowid = (
    SELECT q2.rowid FROM option_quotes q2
    WHERE q2.as_of = l.as_of AND q2.underlying = l.underlying AND q2.symbol = l.symbol
    ORDER BY q2.quote_set = 'eod' DESC, q2.quote_set, q2.seq
    LIMIT 1);

-- Every hedge layer next to the condor it protects.
CREATE VIEW hedge_book AS
SELECT h.as_of, h.for_date, h.underlying, h.profile, h.rank, r.root, r.expiry AS condor_expiry,
       r.contracts AS condor_contracts, r.net_vega AS condor_net_vega_usd, h.layer, h.active, h.instrument,
       h.contract, h.side, h.quantity, h.vega_offset, h.trigger, h.rationale
FROM hedge_recommendations h
JOIN recommendations r ON r.as_of = h.as_of AND r.underlying = h.underlying AND r.profile = h.profile AND r.rank = h.rank;
