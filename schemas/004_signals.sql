-- VixShield schema, migration 004: signals and time-shifting. Indicators per symbol and date, the
-- volatility context, event reactions and their per-kind statistics, event variances from the term
-- structure, and the surface projected to the next session and past each upcoming event.

-- Per symbol and date (the as-of date that computed it, over the history through that date).
-- RSI is Wilder's (14), MACD 12/26/9 as TA-Lib; bands are rolling percentiles of RSI; realized
-- volatility is annualized (252) over 10 and 21 sessions: cc close-to-close, parkinson, gk
-- Garman-Klass, yz Yang-Zhang. ad_line and ad_divergence (-1 bearish, 0, +1 bullish) for the
-- index breadth is measured against (SPX).
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

-- Per as-of date and event kind: how SPX and the VIX reacted to every past event through that date
-- (log returns from the previous close to the close of the first session after the release).
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

-- Per event (written by the run of its reaction session, from stored state): the SPX move, the VIX
-- change and the 30-day ATM implied-vol change, with the implied move the term structure had priced.
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

-- Per as-of date and upcoming event: its variance from the term structure (model-free variances of the
-- expiries around it) shrunk toward the historical prior of its kind.
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

-- Per as-of date: the surface rolled to the next session's close (`next_session`) and to the close of the
-- first session after each upcoming event inside the longest profile's window (`after_<kind>_<date>`),
-- per expiry. Sticky-moneyness by default; `sticky_strike` is a scenario of the next session.
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
    expected_abs_move_points      REAL NOT NULL,
    PRIMARY KEY (as_of, underlying, horizon, scenario, expiry_time)
);

-- Per as-of date: the volatility context and its one-year (252-observation) percentile ranks, from
-- stored history (the run's dates in date order).
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
