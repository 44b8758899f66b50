-- 010: compact storage of option quotes (a full-size SPX day was 5.8 MB of quote rows, ~200 B a row).
--
-- `option_quotes` becomes a view with exactly its former columns, over three tables:
--   quote_series     one row per (as_of, underlying, quote_set, root, expiry): the text every quote of a
--                    series shared, with its settlement style;
--   quote_rows       one row per quote. Its rowid quote_id is series_id * 2^16 + the quote's rank in its
--                    series by (is_put, strike_milli, seq), so a chain's rows are one contiguous, appended
--                    range (pages fill; a WITHOUT ROWID table keyed the same way left an eighth of them
--                    empty) and a series' rows are a rowid range. The OCC symbol, the option type and the
--                    strike are derived, not stored;
--   quote_flag_sets  the names of each combination of quality flags (flag_names is a function of flags).
-- series_id = (days since 1970-01-01 of as_of) * 2^16 + n, n the lowest number that day's other series do not
-- hold, given in (root, expiry) order as a chain is written: the same day written the same way gives the
-- same ids in any database (shards merge row for row), and rewriting a chain gives back its ids.
--
-- Numbers are fixed-point where that is exact: an INTEGER in a `_e4` column is the value times 10^4 (`_e6`:
-- 10^6); a REAL there is the value itself, kept when it has more decimals than that, so nothing a vendor sent
-- is rounded. The surface stage's results are rounded to the resolution their column names (iv_e12,
-- surface_iv_e12: 1e-12; delta_e9: 1e-9; gamma_e11: 1e-11 per index point; vega_per_vol_point_e7,
-- theta_per_day_e7: 1e-7 index points), as an INTEGER in those units (a REAL only beyond the integer range).
-- fixed_point_exact() and fixed_point_rounded() are those two rules, registered by vixshield (QuoteStorage).

DROP VIEW recommendation_legs;

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

INSERT INTO quote_series (series_id, as_of, underlying, quote_set, root, expiry, settlement)
SELECT (CAST(julianday(as_of) - 2440587.5 AS INTEGER) << 16)
           + row_number() OVER (PARTITION BY as_of ORDER BY underlying, quote_set, root, expiry) - 1,
       as_of, underlying, quote_set, root, expiry, settlement
FROM (SELECT DISTINCT as_of, underlying, quote_set, root, expiry, settlement FROM option_quotes);

INSERT OR IGNORE INTO quote_flag_sets (flags, flag_names) SELECT DISTINCT flags, flag_names FROM option_quotes;

INSERT INTO quote_rows
SELECT (s.series_id << 16) + row_number() OVER (PARTITION BY s.series_id ORDER BY q.option_type = 'P', q.strike_milli, q.seq) - 1,
       q.option_type = 'P', q.strike_milli, q.seq,
       fixed_point_exact(q.bid, 1e4), fixed_point_exact(q.ask, 1e4), q.bid_size, q.ask_size,
       fixed_point_exact(q.last, 1e4), q.volume, q.open_interest,
       fixed_point_exact(q.vendor_iv, 1e6), fixed_point_exact(q.vendor_delta, 1e6), q.flags,
       fixed_point_rounded(q.iv, 1e12), q.iv_issue, fixed_point_rounded(q.surface_iv, 1e12),
       fixed_point_rounded(q.delta, 1e9), fixed_point_rounded(q.gamma, 1e11),
       fixed_point_rounded(q.vega_per_vol_point, 1e7), fixed_point_rounded(q.theta_per_day, 1e7)
FROM option_quotes q
JOIN quote_series s ON (s.as_of, s.underlying, s.quote_set, s.root, s.expiry) = (q.as_of, q.underlying, q.quote_set, q.root, q.expiry)
ORDER BY 1;

DROP TABLE option_quotes;

-- Every column of the former table, in its order; the symbol is the canonical OCC form the rows were
-- written with (vixshield refuses to store a quote whose symbol is not).
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

-- As in 007: the leg's stored quote, the end-of-day set first, found by series and strike (the symbol is
-- derived in option_quotes, so matching on it could not use the key).
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
