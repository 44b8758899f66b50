-- VixShield schema, migration 005: outcomes. Once a recommended condor's expiry has passed, its
-- settlement P&L: AM-settled SPX at the expiry morning's opening value (standing in for the special
-- opening quotation), PM-settled SPXW at the expiry day's close. Written by the run of the expiry date.

CREATE TABLE outcomes (
    as_of              TEXT NOT NULL,
    underlying         TEXT NOT NULL,
    profile            TEXT NOT NULL,
    rank               INTEGER NOT NULL,
    expiry             TEXT NOT NULL,
    root               TEXT,
    settlement_source  TEXT NOT NULL CHECK (settlement_source IN ('opening_value', 'close')),
    settlement_price   REAL NOT NULL CHECK (settlement_price > 0),
    contracts          INTEGER NOT NULL CHECK (contracts >= 1),
    credit             REAL NOT NULL,
    condor_pnl_points  REAL NOT NULL,
    condor_pnl_usd     REAL NOT NULL,
    -- Hedge layers are scored once the hedge stage writes them; NULL until then.
    hedge_pnl_usd      REAL,
    total_pnl_usd      REAL NOT NULL,
    PRIMARY KEY (as_of, underlying, profile, rank),
    FOREIGN KEY (as_of, underlying, profile, rank) REFERENCES recommendations (as_of, underlying, profile, rank)
        ON DELETE CASCADE
);
CREATE INDEX outcomes_by_expiry ON outcomes (expiry, underlying);
