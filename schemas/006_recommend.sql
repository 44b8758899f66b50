-- VixShield schema, migration 006: scored recommendations, the layered hedge over a condor's life,
-- scenario grids, position advice and parity signals.

-- recommendations: the score the ranking used, the annualized expected return on risk that met (or
-- missed) the hurdle, the projected expected move, and the events inside the trade's life.
ALTER TABLE recommendations ADD COLUMN score REAL;
ALTER TABLE recommendations ADD COLUMN annualized_return REAL;
ALTER TABLE recommendations ADD COLUMN expected_move_points REAL;
ALTER TABLE recommendations ADD COLUMN events_in_life TEXT;

-- hedge_recommendations: one row per night, condor and layer. `as_of` is the night the layer is decided;
-- (condor_as_of, underlying, profile, rank) names the condor it protects (opened that night or earlier).
-- Rebuilt to add the condor's own date to the key; no layer was ever written before this migration, but
-- any row is kept under its own night's condor.
CREATE TABLE hedge_recommendations_006 (
    as_of          TEXT NOT NULL,
    for_date       TEXT NOT NULL,
    underlying     TEXT NOT NULL,
    profile        TEXT NOT NULL,
    condor_as_of   TEXT NOT NULL,
    rank           INTEGER NOT NULL CHECK (rank >= 1),
    layer          INTEGER NOT NULL CHECK (layer >= 0),
    layer_name     TEXT NOT NULL DEFAULT '',
    active         INTEGER NOT NULL CHECK (active IN (0, 1)),
    active_since   TEXT,
    instrument     TEXT NOT NULL,
    contract       TEXT NOT NULL,
    side           TEXT NOT NULL CHECK (side IN ('buy', 'sell')),
    quantity       INTEGER NOT NULL CHECK (quantity >= 0),
    vega_offset    REAL NOT NULL,
    trigger        TEXT NOT NULL,
    trigger_value  REAL,
    carry_cost_usd REAL,
    beta           REAL,
    rationale      TEXT NOT NULL,
    -- The layer's state carried to the next night (hysteresis, minimum hold, the contract held), as JSON.
    state_json     TEXT,
    run_id         INTEGER NOT NULL,
    PRIMARY KEY (as_of, underlying, profile, condor_as_of, rank, layer),
    FOREIGN KEY (condor_as_of, underlying, profile, rank) REFERENCES recommendations (as_of, underlying, profile, rank)
        ON DELETE CASCADE
);
INSERT INTO hedge_recommendations_006 (as_of, for_date, underlying, profile, condor_as_of, rank, layer, active, instrument,
    contract, side, quantity, vega_offset, trigger, rationale, run_id)
SELECT as_of, for_date, underlying, profile, as_of, rank, layer, active, instrument, contract, side, quantity, vega_offset,
       trigger, rationale, run_id FROM hedge_recommendations;
DROP VIEW hedge_book;
DROP TABLE hedge_recommendations;
ALTER TABLE hedge_recommendations_006 RENAME TO hedge_recommendations;

-- Every hedge layer of a night next to the condor it protects.
CREATE VIEW hedge_book AS
SELECT h.as_of, h.for_date, h.underlying, h.profile, h.condor_as_of, h.rank, r.root, r.expiry AS condor_expiry,
       r.contracts AS condor_contracts, r.net_vega AS condor_net_vega_usd, h.layer, h.layer_name, h.active, h.active_since,
       h.instrument, h.contract, h.side, h.quantity, h.vega_offset, h.trigger, h.trigger_value, h.carry_cost_usd, h.beta,
       h.rationale
FROM hedge_recommendations h
JOIN recommendations r ON r.as_of = h.condor_as_of AND r.underlying = h.underlying AND r.profile = h.profile AND r.rank = h.rank;

-- The recommended condor's P&L with and without its hedge over SPX moves × implied-vol shocks
-- (sticky-moneyness), next day and at expiry. The hedge columns are filled by the hedge stage.
CREATE TABLE scenarios (
    as_of             TEXT NOT NULL,
    underlying        TEXT NOT NULL,
    profile           TEXT NOT NULL,
    rank              INTEGER NOT NULL,
    horizon           TEXT NOT NULL CHECK (horizon IN ('next_day', 'expiry')),
    spx_move_pct      REAL NOT NULL,
    vol_shock_points  REAL NOT NULL,
    condor_pnl_usd    REAL NOT NULL,
    hedge_pnl_usd     REAL,
    total_pnl_usd     REAL NOT NULL,
    PRIMARY KEY (as_of, underlying, profile, rank, horizon, spx_move_pct, vol_shock_points),
    FOREIGN KEY (as_of, underlying, profile, rank) REFERENCES recommendations (as_of, underlying, profile, rank)
        ON DELETE CASCADE
);

-- Nightly advice for every open condor of the book (the paper book of rank-1 trades, filled at their
-- recommended credit on their trade date).
CREATE TABLE position_advice (
    as_of               TEXT NOT NULL,
    underlying          TEXT NOT NULL,
    profile             TEXT NOT NULL,
    opened_as_of        TEXT NOT NULL,
    rank                INTEGER NOT NULL,
    root                TEXT,
    expiry              TEXT NOT NULL,
    contracts           INTEGER NOT NULL,
    entry_credit        REAL NOT NULL,
    closing_debit       REAL,
    mark_pnl_usd        REAL,
    short_put_delta     REAL,
    short_call_delta    REAL,
    days_to_expiry      INTEGER NOT NULL,
    action              TEXT NOT NULL CHECK (action IN ('hold', 'roll', 'widen', 'close')),
    reason              TEXT NOT NULL,
    PRIMARY KEY (as_of, underlying, profile, opened_as_of, rank),
    FOREIGN KEY (opened_as_of, underlying, profile, rank) REFERENCES recommendations (as_of, underlying, profile, rank)
        ON DELETE CASCADE
);

-- Put-call parity and box-spread violations larger than the bid/ask costs, per as-of date.
CREATE TABLE parity_signals (
    as_of        TEXT NOT NULL,
    underlying   TEXT NOT NULL,
    expiry       TEXT NOT NULL,
    root         TEXT NOT NULL,
    kind         TEXT NOT NULL,
    strike_low   REAL NOT NULL,
    strike_high  REAL,
    edge_points  REAL NOT NULL CHECK (edge_points > 0),
    detail       TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (as_of, underlying, expiry, root, kind, strike_low, strike_high)
);
