CREATE TABLE breadth (
    universe   TEXT NOT NULL,
    date       TEXT NOT NULL,
    advances   INTEGER NOT NULL CHECK (advances >= 0),
    declines   INTEGER NOT NULL CHECK (declines >= 0),
    unchanged  INTEGER CHECK (unchanged IS NULL OR unchanged >= 0),
    source     TEXT NOT NULL,
    PRIMARY KEY (universe, date)
);

CREATE TABLE chain_snapshots (
    as_of        TEXT NOT NULL,
    underlying   TEXT NOT NULL,
    quote_set    TEXT NOT NULL DEFAULT 'eod',
    captured_at  TEXT NOT NULL,
    spot         REAL NOT NULL CHECK (spot > 0),
    quote_count  INTEGER NOT NULL,
    flagged_count INTEGER NOT NULL,
    gate_passed  INTEGER NOT NULL CHECK (gate_passed IN (0, 1)),
    gate_reason  TEXT,
    PRIMARY KEY (as_of, underlying, quote_set)
);

CREATE TABLE events (
    kind     TEXT NOT NULL,
    date     TEXT NOT NULL,
    time_et  TEXT NOT NULL,
    label    TEXT NOT NULL,
    source   TEXT NOT NULL,
    PRIMARY KEY (kind, date, label)
);

CREATE TABLE hedge_recommendations (
    as_of       TEXT NOT NULL,
    for_date    TEXT NOT NULL,
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
    PRIMARY KEY (as_of, layer, instrument, contract)
);

CREATE TABLE index_history (
    symbol  TEXT NOT NULL,
    date    TEXT NOT NULL,
    open    REAL,
    high    REAL,
    low     REAL,
    close   REAL NOT NULL,
    source  TEXT NOT NULL,
    PRIMARY KEY (symbol, date)
);

CREATE TABLE option_quotes (
    as_of           TEXT NOT NULL,
    underlying      TEXT NOT NULL,
    quote_set       TEXT NOT NULL DEFAULT 'eod',
    seq             INTEGER NOT NULL,
    symbol          TEXT NOT NULL,
    root            TEXT NOT NULL,
    expiry          TEXT NOT NULL,
    settlement      TEXT NOT NULL CHECK (settlement IN ('am', 'pm')),
    option_type     TEXT NOT NULL CHECK (option_type IN ('C', 'P')),
    strike          REAL NOT NULL CHECK (strike > 0),
    strike_milli    INTEGER NOT NULL CHECK (strike_milli > 0),
    bid             REAL,
    ask             REAL,
    bid_size        REAL,
    ask_size        REAL,
    last            REAL,
    volume          REAL,
    open_interest   REAL,
    vendor_iv       REAL,
    vendor_delta    REAL,
    flags           INTEGER NOT NULL DEFAULT 0,
    flag_names      TEXT NOT NULL DEFAULT '', iv REAL, iv_issue TEXT, surface_iv REAL, delta REAL, gamma REAL, vega_per_vol_point REAL, theta_per_day REAL,
    PRIMARY KEY (as_of, underlying, quote_set, seq)
);

CREATE TABLE rates (
    series       TEXT NOT NULL,
    date         TEXT NOT NULL,
    tenor_years  REAL NOT NULL CHECK (tenor_years > 0),
    rate         REAL NOT NULL,
    source       TEXT NOT NULL,
    PRIMARY KEY (series, date)
);

CREATE TABLE raw_payloads (
    payload_id   INTEGER PRIMARY KEY,
    source       TEXT NOT NULL,
    kind         TEXT NOT NULL,
    url          TEXT NOT NULL,
    as_of        TEXT NOT NULL,
    fetched_at   TEXT NOT NULL,
    http_status  INTEGER NOT NULL,
    byte_count   INTEGER NOT NULL CHECK (byte_count >= 0),
    sha256       TEXT NOT NULL CHECK (length(sha256) = 64),
    compression  TEXT NOT NULL CHECK (compression IN ('gzip')),
    body         BLOB NOT NULL,
    run_id       INTEGER REFERENCES runs(run_id),
    UNIQUE (source, as_of, sha256)
);

CREATE TABLE recommendations (
    as_of           TEXT NOT NULL,
    for_date        TEXT NOT NULL,
    underlying      TEXT NOT NULL,
    profile         TEXT NOT NULL,
    rank            INTEGER NOT NULL CHECK (rank >= 1),
    status          TEXT NOT NULL CHECK (status IN ('trade', 'no_trade')),
    reason          TEXT,
    expiry          TEXT,
    dte             INTEGER,
    long_put        REAL,
    short_put       REAL,
    short_call      REAL,
    long_call       REAL,
    credit          REAL,
    max_loss        REAL,
    breakeven_low   REAL,
    breakeven_high  REAL,
    pop             REAL CHECK (pop IS NULL OR (pop >= 0 AND pop <= 1)),
    expected_pnl    REAL,
    net_delta       REAL,
    net_gamma       REAL,
    net_vega        REAL,
    net_theta       REAL,
    contracts       INTEGER CHECK (contracts IS NULL OR contracts >= 1),
    rationale       TEXT NOT NULL,
    run_id          INTEGER NOT NULL,
    PRIMARY KEY (as_of, underlying, profile, rank),
    CHECK (status = 'trade' OR reason IS NOT NULL),
    CHECK (status = 'no_trade' OR (expiry IS NOT NULL AND long_put < short_put AND short_put < short_call
                                   AND short_call < long_call AND credit > 0 AND max_loss > 0
                                   AND contracts IS NOT NULL))
);

CREATE TABLE run_diagnostics (
    run_id   INTEGER NOT NULL REFERENCES runs(run_id) ON DELETE CASCADE,
    seq      INTEGER NOT NULL,
    as_of    TEXT,
    stage    TEXT NOT NULL,
    severity TEXT NOT NULL CHECK (severity IN ('info', 'warning', 'error')),
    location TEXT NOT NULL,
    message  TEXT NOT NULL,
    PRIMARY KEY (run_id, seq)
);

CREATE TABLE runs (
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
    status          TEXT NOT NULL CHECK (status IN ('running', 'ok', 'failed')),
    counts_json     TEXT,
    error           TEXT
);

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

CREATE TABLE vix_futures (
    trade_date  TEXT NOT NULL,
    symbol      TEXT NOT NULL,
    expiry      TEXT NOT NULL,
    settle      REAL NOT NULL CHECK (settle > 0),
    is_weekly   INTEGER NOT NULL CHECK (is_weekly IN (0, 1)),
    source      TEXT NOT NULL,
    PRIMARY KEY (trade_date, symbol)
);

CREATE INDEX option_quotes_by_contract ON option_quotes (as_of, underlying, expiry, strike_milli, option_type);

CREATE INDEX option_quotes_by_symbol ON option_quotes (as_of, underlying, quote_set, symbol);

CREATE INDEX raw_payloads_by_source_date ON raw_payloads (source, as_of, fetched_at);
