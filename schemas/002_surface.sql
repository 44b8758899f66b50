-- VixShield schema, migration 002: the implied-volatility surface.

-- One row per as-of date, underlying and expiry (settlement time): forward and discount from put-call
-- parity, the fitted raw SVI slice with its fit quality and arbitrage checks, and the Cboe-method
-- model-free variance.
CREATE TABLE surface_slices (
    as_of                 TEXT NOT NULL,
    underlying            TEXT NOT NULL,
    expiry                TEXT NOT NULL,
    settlement            TEXT NOT NULL CHECK (settlement IN ('am', 'pm')),
    roots                 TEXT NOT NULL,
    expiry_time           TEXT NOT NULL,
    minutes_to_expiry     INTEGER NOT NULL,
    years_to_expiry       REAL NOT NULL,
    forward               REAL NOT NULL CHECK (forward > 0),
    discount              REAL NOT NULL CHECK (discount > 0),
    forward_method        TEXT NOT NULL,
    forward_residual_rms  REAL,
    svi_a                 REAL,
    svi_b                 REAL,
    svi_rho               REAL,
    svi_m                 REAL,
    svi_sigma             REAL,
    fit_points            INTEGER,
    rmse_vol_points       REAL,
    max_error_vol_points  REAL,
    min_butterfly_g       REAL,
    repaired              INTEGER NOT NULL DEFAULT 0 CHECK (repaired IN (0, 1)),
    flags                 TEXT NOT NULL DEFAULT '',
    model_free_variance   REAL,
    model_free_options    INTEGER,
    diagnostics           TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (as_of, underlying, expiry, settlement),
    CHECK ((svi_a IS NULL) = (svi_b IS NULL))
);

-- Chain-level results: the pipeline's own constant-maturity model-free indexes (VIX- and VIX9D-style,
-- in volatility points) next to the spot.
CREATE TABLE surface_summaries (
    as_of           TEXT NOT NULL,
    underlying      TEXT NOT NULL,
    valuation_time  TEXT NOT NULL,
    spot            REAL NOT NULL,
    index_30d       REAL,
    index_9d        REAL,
    expiries        INTEGER NOT NULL,
    fitted_expiries INTEGER NOT NULL,
    calendar_violations INTEGER NOT NULL,
    PRIMARY KEY (as_of, underlying)
);

-- Per-option results of the surface stage, on the normalized quote rows.
ALTER TABLE option_quotes ADD COLUMN iv REAL;
ALTER TABLE option_quotes ADD COLUMN iv_issue TEXT;
ALTER TABLE option_quotes ADD COLUMN surface_iv REAL;
ALTER TABLE option_quotes ADD COLUMN delta REAL;
ALTER TABLE option_quotes ADD COLUMN gamma REAL;
ALTER TABLE option_quotes ADD COLUMN vega_per_vol_point REAL;
ALTER TABLE option_quotes ADD COLUMN theta_per_day REAL;
CREATE INDEX option_quotes_by_symbol ON option_quotes (as_of, underlying, quote_set, symbol);
