CREATE VIEW hedge_book AS
SELECT h.as_of, h.for_date, h.underlying, h.profile, h.condor_as_of, h.rank, r.root, r.expiry AS condor_expiry,
       r.contracts AS condor_contracts, r.net_vega AS condor_net_vega_usd, h.layer, h.layer_name, h.active, h.active_since,
       h.instrument, h.contract, h.side, h.quantity, h.vega_offset, h.trigger, h.trigger_value, h.carry_cost_usd, h.beta,
       h.premium, h.price_source, h.rationale, h.chain_origin
FROM hedge_recommendations h
JOIN recommendations r ON r.as_of = h.condor_as_of AND r.underlying = h.underlying AND r.profile = h.profile AND r.rank = h.rank;

CREATE VIEW latest_recommendations AS
SELECT r.*
FROM recommendations r
WHERE r.as_of = (SELECT MAX(x.as_of) FROM recommendations x WHERE x.underlying = r.underlying);

CREATE VIEW option_quotes AS
SELECT s.as_of, s.underlying, s.quote_set, r.seq,
       s.root || substr(s.expiry, 3, 2) || substr(s.expiry, 6, 2) || substr(s.expiry, 9, 2)
           || iif(r.is_put, 'P', 'C') || printf('%08d', r.strike_milli) AS symbol,
       s.root, s.expiry, s.settlement, iif(r.is_put, 'P', 'C') AS option_type,
       r.strike_milli / 1000.0 AS strike, r.strike_milli,
       iif(typeof(r.bid_e4) = 'integer', r.bid_e4 / 1e4, r.bid_e4) AS bid,
       iif(typeof(r.ask_e4) = 'integer', r.ask_e4 / 1e4, r.ask_e4) AS ask,
       r.bid_size, r.ask_size,
       iif(typeof(r.last_e4) = 'integer', r.last_e4 / 1e4, r.last_e4) AS last,
       r.volume, r.open_interest,
       iif(typeof(r.vendor_iv_e6) = 'integer', r.vendor_iv_e6 / 1e6, r.vendor_iv_e6) AS vendor_iv,
       iif(typeof(r.vendor_delta_e6) = 'integer', r.vendor_delta_e6 / 1e6, r.vendor_delta_e6) AS vendor_delta,
       r.flags, coalesce(f.flag_names, '') AS flag_names,
       iif(typeof(r.iv_e12) = 'integer', r.iv_e12 / 1e12, r.iv_e12) AS iv,
       r.iv_issue,
       iif(typeof(r.surface_iv_e12) = 'integer', r.surface_iv_e12 / 1e12, r.surface_iv_e12) AS surface_iv,
       iif(typeof(r.delta_e9) = 'integer', r.delta_e9 / 1e9, r.delta_e9) AS delta,
       iif(typeof(r.gamma_e11) = 'integer', r.gamma_e11 / 1e11, r.gamma_e11) AS gamma,
       iif(typeof(r.vega_per_vol_point_e7) = 'integer', r.vega_per_vol_point_e7 / 1e7, r.vega_per_vol_point_e7) AS vega_per_vol_point,
       iif(typeof(r.theta_per_day_e7) = 'integer', r.theta_per_day_e7 / 1e7, r.theta_per_day_e7) AS theta_per_day
FROM quote_rows r
-- Both forms of the one condition: the range serves a lookup from the series (by as_of), the equality one from a row.
JOIN quote_series s ON s.series_id = r.quote_id >> 16
    AND r.quote_id BETWEEN s.series_id << 16 AND (s.series_id << 16) + 65535
LEFT JOIN quote_flag_sets f ON f.flags = r.flags;

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
),
matched AS (
    SELECT l.*, q.bid, q.ask, q.iv, q.surface_iv, q.delta,
           row_number() OVER (PARTITION BY l.as_of, l.underlying, l.profile, l.rank, l.leg_order
                              ORDER BY q.quote_set = 'eod' DESC, q.quote_set, q.seq) AS preference
    FROM legs l
    LEFT JOIN option_quotes q ON q.as_of = l.as_of AND q.underlying = l.underlying AND q.root = l.root
        AND q.expiry = l.expiry AND q.option_type = l.option_type AND q.strike_milli = CAST(round(l.strike * 1000) AS INTEGER)
)
SELECT as_of, for_date, underlying, profile, rank, leg_order, leg, side, option_type, root,
       expiry, strike, symbol, contracts, bid, ask, iv, surface_iv, delta
FROM matched WHERE preference = 1;

CREATE TRIGGER hedge_recommendations_chain_origin AFTER INSERT ON hedge_recommendations
WHEN NEW.chain_origin = 'market' AND EXISTS (
    SELECT 1 FROM recommendations r WHERE r.as_of = NEW.condor_as_of AND r.underlying = NEW.underlying
    AND r.profile = NEW.profile AND r.rank = NEW.rank AND r.chain_origin <> 'market')
BEGIN
    UPDATE hedge_recommendations SET chain_origin = (
        SELECT r.chain_origin FROM recommendations r WHERE r.as_of = NEW.condor_as_of AND r.underlying = NEW.underlying
        AND r.profile = NEW.profile AND r.rank = NEW.rank)
    WHERE rowid = NEW.rowid;
END;

CREATE TRIGGER outcomes_chain_origin AFTER INSERT ON outcomes
WHEN NEW.chain_origin = 'market' AND EXISTS (
    SELECT 1 FROM recommendations r WHERE r.as_of = NEW.as_of AND r.underlying = NEW.underlying
    AND r.profile = NEW.profile AND r.rank = NEW.rank AND r.chain_origin <> 'market')
BEGIN
    UPDATE outcomes SET chain_origin = (
        SELECT r.chain_origin FROM recommendations r WHERE r.as_of = NEW.as_of AND r.underlying = NEW.underlying
        AND r.profile = NEW.profile AND r.rank = NEW.rank)
    WHERE rowid = NEW.rowid;
END;

CREATE TRIGGER payload_bodies_referenced BEFORE DELETE ON payload_bodies
WHEN EXISTS (SELECT 1 FROM raw_payloads WHERE sha256 = OLD.sha256 AND length(body) = 0)
BEGIN
    SELECT RAISE(ABORT, 'payload_bodies: still referenced by raw_payloads');
END;

CREATE TRIGGER position_advice_chain_origin AFTER INSERT ON position_advice
WHEN NEW.chain_origin = 'market' AND EXISTS (
    SELECT 1 FROM chain_snapshots c WHERE c.as_of = NEW.as_of AND c.underlying = NEW.underlying AND c.chain_origin <> 'market')
BEGIN
    UPDATE position_advice SET chain_origin = (
        SELECT c.chain_origin FROM chain_snapshots c WHERE c.as_of = NEW.as_of AND c.underlying = NEW.underlying
        ORDER BY c.quote_set = 'eod' DESC, c.quote_set LIMIT 1)
    WHERE rowid = NEW.rowid;
END;

CREATE TRIGGER raw_payloads_body_stored BEFORE INSERT ON raw_payloads
WHEN length(NEW.body) = 0 AND NOT EXISTS (SELECT 1 FROM payload_bodies WHERE sha256 = NEW.sha256)
BEGIN
    SELECT RAISE(ABORT, 'raw_payloads: an empty body needs its bytes in payload_bodies');
END;

CREATE TRIGGER recommendations_chain_origin AFTER INSERT ON recommendations
WHEN NEW.chain_origin = 'market' AND EXISTS (
    SELECT 1 FROM chain_snapshots c WHERE c.as_of = NEW.as_of AND c.underlying = NEW.underlying AND c.chain_origin <> 'market')
BEGIN
    UPDATE recommendations SET chain_origin = (
        SELECT c.chain_origin FROM chain_snapshots c WHERE c.as_of = NEW.as_of AND c.underlying = NEW.underlying
        ORDER BY c.quote_set = 'eod' DESC, c.quote_set LIMIT 1)
    WHERE rowid = NEW.rowid;
END;

CREATE TRIGGER scenarios_chain_origin AFTER INSERT ON scenarios
WHEN NEW.chain_origin = 'market' AND EXISTS (
    SELECT 1 FROM chain_snapshots c WHERE c.as_of = NEW.as_of AND c.underlying = NEW.underlying AND c.chain_origin <> 'market')
BEGIN
    UPDATE scenarios SET chain_origin = (
        SELECT c.chain_origin FROM chain_snapshots c WHERE c.as_of = NEW.as_of AND c.underlying = NEW.underlying
        ORDER BY c.quote_set = 'eod' DESC, c.quote_set LIMIT 1)
    WHERE rowid = NEW.rowid;
END;

CREATE TRIGGER surface_slices_chain_origin AFTER INSERT ON surface_slices
WHEN NEW.chain_origin = 'market' AND EXISTS (
    SELECT 1 FROM chain_snapshots c WHERE c.as_of = NEW.as_of AND c.underlying = NEW.underlying AND c.chain_origin <> 'market')
BEGIN
    UPDATE surface_slices SET chain_origin = (
        SELECT c.chain_origin FROM chain_snapshots c WHERE c.as_of = NEW.as_of AND c.underlying = NEW.underlying
        ORDER BY c.quote_set = 'eod' DESC, c.quote_set LIMIT 1)
    WHERE rowid = NEW.rowid;
END;

CREATE TRIGGER surface_summaries_chain_origin AFTER INSERT ON surface_summaries
WHEN NEW.chain_origin = 'market' AND EXISTS (
    SELECT 1 FROM chain_snapshots c WHERE c.as_of = NEW.as_of AND c.underlying = NEW.underlying AND c.chain_origin <> 'market')
BEGIN
    UPDATE surface_summaries SET chain_origin = (
        SELECT c.chain_origin FROM chain_snapshots c WHERE c.as_of = NEW.as_of AND c.underlying = NEW.underlying
        ORDER BY c.quote_set = 'eod' DESC, c.quote_set LIMIT 1)
    WHERE rowid = NEW.rowid;
END;

CREATE TRIGGER vol_projections_chain_origin AFTER INSERT ON vol_projections
WHEN NEW.chain_origin = 'market' AND EXISTS (
    SELECT 1 FROM chain_snapshots c WHERE c.as_of = NEW.as_of AND c.underlying = NEW.underlying AND c.chain_origin <> 'market')
BEGIN
    UPDATE vol_projections SET chain_origin = (
        SELECT c.chain_origin FROM chain_snapshots c WHERE c.as_of = NEW.as_of AND c.underlying = NEW.underlying
        ORDER BY c.quote_set = 'eod' DESC, c.quote_set LIMIT 1)
    WHERE rowid = NEW.rowid;
END;

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
    gate_reason  TEXT, chain_origin TEXT NOT NULL DEFAULT 'market'
    CHECK (chain_origin IN ('market', 'simulated', 'reconstructed')),
    PRIMARY KEY (as_of, underlying, quote_set)
);

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

CREATE TABLE event_reaction_summaries (
    as_of                    TEXT NOT NULL,
    kind                     TEXT NOT NULL,
    count                    INTEGER NOT NULL CHECK (count >= 0),
    mean_abs_move            REAL NOT NULL,
    abs_move_q25             REAL NOT NULL,
    abs_move_q50             REAL NOT NULL,
    abs_move_q75             REAL NOT NULL,
    abs_move_q90             REAL NOT NULL,
    mean_squared_move        REAL NOT NULL,
    normal_session_variance  REAL NOT NULL,
    excess_variance_prior    REAL NOT NULL,
    mean_vix_change_points   REAL,
    PRIMARY KEY (as_of, kind)
);

CREATE TABLE event_reactions (
    kind                   TEXT NOT NULL,
    event_date             TEXT NOT NULL,
    label                  TEXT NOT NULL,
    session                TEXT NOT NULL,
    previous_session       TEXT NOT NULL,
    spx_log_return         REAL NOT NULL,
    spx_abs_move           REAL NOT NULL CHECK (spx_abs_move >= 0),
    vix_change_points      REAL,
    atm_vol_change         REAL,
    implied_abs_move       REAL,
    PRIMARY KEY (kind, event_date, label)
);

CREATE TABLE event_variances (
    as_of                           TEXT NOT NULL,
    underlying                      TEXT NOT NULL,
    kind                            TEXT NOT NULL,
    event_date                      TEXT NOT NULL,
    event_time                      TEXT NOT NULL,
    label                           TEXT NOT NULL,
    first_expiry_after              TEXT,
    base_variance_per_business_day  REAL,
    raw_excess_total_variance       REAL,
    prior_total_variance            REAL,
    term_structure_weight           REAL NOT NULL CHECK (term_structure_weight >= 0 AND term_structure_weight <= 1),
    total_variance                  REAL CHECK (total_variance IS NULL OR total_variance >= 0),
    session_equivalents             REAL,
    implied_abs_move                REAL,
    method                          TEXT NOT NULL,
    notes                           TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (as_of, underlying, kind, event_date, label)
);

CREATE TABLE events (
    kind     TEXT NOT NULL,
    date     TEXT NOT NULL,
    time_et  TEXT NOT NULL,
    label    TEXT NOT NULL,
    source   TEXT NOT NULL,
    PRIMARY KEY (kind, date, label)
);

CREATE TABLE "hedge_recommendations" (
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
    run_id         INTEGER NOT NULL, premium REAL CHECK (premium IS NULL OR premium >= 0), price_source TEXT CHECK (price_source IS NULL OR price_source IN ('quote', 'model')), chain_origin TEXT NOT NULL DEFAULT 'market'
    CHECK (chain_origin IN ('market', 'simulated', 'reconstructed')),
    PRIMARY KEY (as_of, underlying, profile, condor_as_of, rank, layer),
    FOREIGN KEY (condor_as_of, underlying, profile, rank) REFERENCES recommendations (as_of, underlying, profile, rank)
        ON DELETE CASCADE
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

CREATE TABLE indicators (
    date              TEXT NOT NULL CHECK (date GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    symbol            TEXT NOT NULL,
    close             REAL NOT NULL,
    rsi_14            REAL CHECK (rsi_14 IS NULL OR (rsi_14 >= 0 AND rsi_14 <= 100)),
    rsi_band_low      REAL,
    rsi_band_high     REAL,
    macd_line         REAL,
    macd_signal       REAL,
    macd_histogram    REAL,
    rv_cc_10          REAL CHECK (rv_cc_10 IS NULL OR rv_cc_10 >= 0),
    rv_cc_21          REAL CHECK (rv_cc_21 IS NULL OR rv_cc_21 >= 0),
    rv_parkinson_10   REAL,
    rv_parkinson_21   REAL,
    rv_gk_10          REAL,
    rv_gk_21          REAL,
    rv_yz_10          REAL,
    rv_yz_21          REAL,
    ad_line           REAL,
    ad_divergence     INTEGER CHECK (ad_divergence IS NULL OR ad_divergence IN (-1, 0, 1)),
    breadth_universe  TEXT,
    PRIMARY KEY (date, symbol),
    CHECK ((rsi_band_low IS NULL) = (rsi_band_high IS NULL))
);

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
    total_pnl_usd      REAL NOT NULL, source TEXT NOT NULL DEFAULT 'paper' CHECK (source IN ('paper', 'fill')), chain_origin TEXT NOT NULL DEFAULT 'market'
    CHECK (chain_origin IN ('market', 'simulated', 'reconstructed')),
    PRIMARY KEY (as_of, underlying, profile, rank),
    FOREIGN KEY (as_of, underlying, profile, rank) REFERENCES recommendations (as_of, underlying, profile, rank)
        ON DELETE CASCADE
);

CREATE TABLE "parity_signals" (
    as_of        TEXT NOT NULL,
    underlying   TEXT NOT NULL,
    expiry       TEXT NOT NULL,
    root         TEXT NOT NULL,
    kind         TEXT NOT NULL,
    strike_low   REAL NOT NULL,
    strike_high  REAL NOT NULL CHECK (strike_high >= strike_low),
    edge_points  REAL NOT NULL CHECK (edge_points > 0),
    detail       TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (as_of, underlying, expiry, root, kind, strike_low, strike_high)
) WITHOUT ROWID;

CREATE TABLE payload_bodies (
    sha256       TEXT NOT NULL PRIMARY KEY CHECK (length(sha256) = 64),
    compression  TEXT NOT NULL CHECK (compression IN ('gzip', 'zstd')),
    body         BLOB NOT NULL CHECK (length(body) > 0)
);

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
    reason              TEXT NOT NULL, source TEXT NOT NULL DEFAULT 'paper' CHECK (source IN ('paper', 'fill')), fill_id TEXT, chain_origin TEXT NOT NULL DEFAULT 'market'
    CHECK (chain_origin IN ('market', 'simulated', 'reconstructed')),
    PRIMARY KEY (as_of, underlying, profile, opened_as_of, rank),
    FOREIGN KEY (opened_as_of, underlying, profile, rank) REFERENCES recommendations (as_of, underlying, profile, rank)
        ON DELETE CASCADE
);

CREATE TABLE position_fills (
    fill_id             TEXT NOT NULL PRIMARY KEY,
    underlying          TEXT NOT NULL,
    trade_date          TEXT NOT NULL,
    profile             TEXT NOT NULL,
    expiry              TEXT NOT NULL,
    root                TEXT NOT NULL,
    long_put            REAL NOT NULL,
    short_put           REAL NOT NULL,
    short_call          REAL NOT NULL,
    long_call           REAL NOT NULL,
    contracts           INTEGER NOT NULL CHECK (contracts > 0),
    fill_credit_points  REAL NOT NULL,
    CHECK (long_put < short_put AND short_put < short_call AND short_call < long_call),
    CHECK (expiry > trade_date)
);

CREATE TABLE quote_flag_sets (
    flags       INTEGER NOT NULL PRIMARY KEY,
    flag_names  TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE quote_rows (
    quote_id        INTEGER PRIMARY KEY,
    is_put          INTEGER NOT NULL CHECK (is_put IN (0, 1)),
    strike_milli    INTEGER NOT NULL CHECK (strike_milli > 0),
    seq             INTEGER NOT NULL,
    bid_e4          ANY,
    ask_e4          ANY,
    bid_size        REAL,
    ask_size        REAL,
    last_e4         ANY,
    volume          REAL,
    open_interest   REAL,
    vendor_iv_e6    ANY,
    vendor_delta_e6 ANY,
    flags           INTEGER NOT NULL DEFAULT 0,
    iv_e12          ANY,
    iv_issue        TEXT,
    surface_iv_e12  ANY,
    delta_e9        ANY,
    gamma_e11       ANY,
    vega_per_vol_point_e7 ANY,
    theta_per_day_e7 ANY
);

CREATE TABLE quote_series (
    series_id   INTEGER NOT NULL PRIMARY KEY,
    as_of       TEXT NOT NULL,
    underlying  TEXT NOT NULL,
    quote_set   TEXT NOT NULL DEFAULT 'eod',
    root        TEXT NOT NULL,
    expiry      TEXT NOT NULL,
    settlement  TEXT NOT NULL CHECK (settlement IN ('am', 'pm')),
    UNIQUE (as_of, underlying, quote_set, root, expiry)
) WITHOUT ROWID;

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
    compression  TEXT NOT NULL CHECK (compression IN ('gzip', 'zstd')),
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
    run_id          INTEGER NOT NULL, root TEXT, long_put_symbol TEXT, short_put_symbol TEXT, short_call_symbol TEXT, long_call_symbol TEXT, credit_usd REAL CHECK (credit_usd IS NULL OR credit_usd > 0), max_loss_usd REAL CHECK (max_loss_usd IS NULL OR max_loss_usd > 0), reason_code TEXT, score REAL, annualized_return REAL, expected_move_points REAL, events_in_life TEXT, chain_origin TEXT NOT NULL DEFAULT 'market'
    CHECK (chain_origin IN ('market', 'simulated', 'reconstructed')),
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

CREATE TABLE run_stage_timings (
    run_id      INTEGER NOT NULL REFERENCES runs(run_id) ON DELETE CASCADE,
    as_of       TEXT NOT NULL,
    stage       TEXT NOT NULL,
    elapsed_ms  REAL NOT NULL CHECK (elapsed_ms >= 0),
    PRIMARY KEY (run_id, as_of, stage)
);

CREATE TABLE "runs" (
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
    total_pnl_usd     REAL NOT NULL, chain_origin TEXT NOT NULL DEFAULT 'market'
    CHECK (chain_origin IN ('market', 'simulated', 'reconstructed')),
    PRIMARY KEY (as_of, underlying, profile, rank, horizon, spx_move_pct, vol_shock_points),
    FOREIGN KEY (as_of, underlying, profile, rank) REFERENCES recommendations (as_of, underlying, profile, rank)
        ON DELETE CASCADE
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
    diagnostics           TEXT NOT NULL DEFAULT '', chain_origin TEXT NOT NULL DEFAULT 'market'
    CHECK (chain_origin IN ('market', 'simulated', 'reconstructed')),
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
    calendar_violations INTEGER NOT NULL, chain_origin TEXT NOT NULL DEFAULT 'market'
    CHECK (chain_origin IN ('market', 'simulated', 'reconstructed')),
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

CREATE TABLE vol_context (
    as_of                   TEXT NOT NULL,
    underlying              TEXT NOT NULL,
    vix9d_over_vix          REAL,
    vix_over_vix3m          REAL,
    vx1_minus_vx2           REAL,
    vx_30d                  REAL,
    roll_yield_30d          REAL,
    term_shape              TEXT CHECK (term_shape IS NULL OR term_shape IN ('contango', 'flat', 'backwardation')),
    implied_variance_30d    REAL,
    realized_variance_21d   REAL,
    vrp_variance            REAL,
    vrp_vol_points          REAL,
    vix9d_over_vix_rank_1y  REAL,
    vix_over_vix3m_rank_1y  REAL,
    vx1_minus_vx2_rank_1y   REAL,
    vx_30d_rank_1y          REAL,
    roll_yield_30d_rank_1y  REAL,
    vrp_variance_rank_1y    REAL,
    vrp_vol_points_rank_1y  REAL,
    PRIMARY KEY (as_of, underlying)
);

CREATE TABLE vol_projections (
    as_of                         TEXT NOT NULL,
    underlying                    TEXT NOT NULL,
    horizon                       TEXT NOT NULL,
    target_time                   TEXT NOT NULL,
    scenario                      TEXT NOT NULL CHECK (scenario IN ('sticky_moneyness', 'sticky_strike')),
    expiry_time                   TEXT NOT NULL,
    years_to_expiry_now           REAL NOT NULL,
    years_to_expiry_projected     REAL NOT NULL,
    forward_now                   REAL NOT NULL,
    forward_projected             REAL NOT NULL,
    atm_vol_now                   REAL NOT NULL,
    atm_vol_projected             REAL NOT NULL,
    atm_total_variance_now        REAL NOT NULL,
    atm_total_variance_projected  REAL NOT NULL CHECK (atm_total_variance_projected >= 0),
    event_total_variance          REAL NOT NULL,
    expected_move_points          REAL NOT NULL,
    expected_abs_move_points      REAL NOT NULL, chain_origin TEXT NOT NULL DEFAULT 'market'
    CHECK (chain_origin IN ('market', 'simulated', 'reconstructed')),
    PRIMARY KEY (as_of, underlying, horizon, scenario, expiry_time)
);

CREATE INDEX hedge_recommendations_by_condor ON hedge_recommendations (condor_as_of, underlying, profile, rank);

CREATE INDEX outcomes_by_expiry ON outcomes (expiry, underlying);

CREATE INDEX position_advice_by_opening ON position_advice (opened_as_of, underlying, profile, rank);

CREATE INDEX position_advice_closes ON position_advice (underlying, as_of) WHERE action = 'close';

CREATE INDEX position_fills_by_trade ON position_fills (underlying, trade_date, profile);

CREATE INDEX raw_payloads_by_run ON raw_payloads (run_id);

CREATE INDEX raw_payloads_by_source_date ON raw_payloads (source, as_of, fetched_at);
