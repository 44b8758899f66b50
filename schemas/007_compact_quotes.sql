-- Option quotes are nine tenths of the database (a full-size SPX day is ~30k rows). The table becomes
-- WITHOUT ROWID, clustered on (as_of, underlying, symbol, quote_set, seq): the partition delete, the surface
-- stage's per-contract update and every by-symbol lookup (position marks, the recommendation_legs view)
-- use that one key, so the rowid and both secondary indexes go. Columns and their order are unchanged.
DROP VIEW recommendation_legs;

CREATE TABLE option_quotes_clustered (
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
    flag_names      TEXT NOT NULL DEFAULT '',
    iv              REAL,
    iv_issue        TEXT,
    surface_iv      REAL,
    delta           REAL,
    gamma           REAL,
    vega_per_vol_point REAL,
    theta_per_day   REAL,
    PRIMARY KEY (as_of, underlying, symbol, quote_set, seq)
) WITHOUT ROWID;

INSERT INTO option_quotes_clustered
SELECT as_of, underlying, quote_set, seq, symbol, root, expiry, settlement, option_type, strike, strike_milli,
       bid, ask, bid_size, ask_size, last, volume, open_interest, vendor_iv, vendor_delta, flags, flag_names,
       iv, iv_issue, surface_iv, delta, gamma, vega_per_vol_point, theta_per_day
FROM option_quotes;

DROP TABLE option_quotes;
ALTER TABLE option_quotes_clustered RENAME TO option_quotes;

-- As in 003, keyed by the clustered primary key instead of a rowid.
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
LEFT JOIN option_quotes q ON q.as_of = l.as_of AND q.underlying = l.underlying AND q.symbol = l.symbol
    AND (q.quote_set, q.seq) = (
        SELECT q2.quote_set, q2.seq FROM option_quotes q2
        WHERE q2.as_of = l.as_of AND q2.underlying = l.underlying AND q2.symbol = l.symbol
        ORDER BY q2.quote_set = 'eod' DESC, q2.quote_set, q2.seq
        LIMIT 1);
