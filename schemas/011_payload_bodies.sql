-- 011: the raw archive stores each distinct payload's bytes once, and parity signals lose their rowid.
--
-- History files (index bars, rates, breadth, the event calendar) arrive whole for every as-of date, the same
-- bytes night after night: over a year's backfill that was ~0.07 MB a day of identical gzip bodies.
-- `payload_bodies` holds each payload's gzip bytes once, keyed by the SHA-256 of the uncompressed payload.
-- `raw_payloads` keeps one row per (source, as_of, sha256) fetch as before; a row archived from now on has
-- an empty `body` (X'': never a valid gzip stream, which is at least 18 bytes) and its bytes are those of
-- `payload_bodies` with its sha256. Rows archived before this migration keep their bytes inline and are not
-- rewritten (a multi-gigabyte archive is not copied to upgrade it). The triggers keep every reference whole.
CREATE TABLE payload_bodies (
    sha256       TEXT NOT NULL PRIMARY KEY CHECK (length(sha256) = 64),
    compression  TEXT NOT NULL CHECK (compression IN ('gzip')),
    body         BLOB NOT NULL CHECK (length(body) > 0)
);

CREATE TRIGGER raw_payloads_body_stored BEFORE INSERT ON raw_payloads
WHEN length(NEW.body) = 0 AND NOT EXISTS (SELECT 1 FROM payload_bodies WHERE sha256 = NEW.sha256)
BEGIN
    SELECT RAISE(ABORT, 'raw_payloads: an empty body needs its bytes in payload_bodies');
END;

CREATE TRIGGER payload_bodies_referenced BEFORE DELETE ON payload_bodies
WHEN EXISTS (SELECT 1 FROM raw_payloads WHERE sha256 = OLD.sha256 AND length(body) = 0)
BEGIN
    SELECT RAISE(ABORT, 'payload_bodies: still referenced by raw_payloads');
END;

-- Parity signals: keyed by their primary key alone (WITHOUT ROWID), which drops the separate key index (as
-- large as the table). A key column cannot be NULL there: a conversion or reversal now stores its one strike
-- in strike_high too (it was NULL; `query parity` still shows NULL for it). `detail` is kept for rows that
-- have more to say than their columns; the scan writes it empty (it used to repeat the columns as text).
CREATE TABLE parity_signals_011 (
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
-- The scan writes one row per key; a NULL strike_high let the old table take repeats of a key, so a repeat (none
-- is expected) is dropped rather than failing the upgrade: the first written is kept.
INSERT OR IGNORE INTO parity_signals_011 (as_of, underlying, expiry, root, kind, strike_low, strike_high, edge_points, detail)
SELECT as_of, underlying, expiry, root, kind, strike_low, coalesce(strike_high, strike_low), edge_points, detail
FROM parity_signals ORDER BY rowid;
DROP TABLE parity_signals;
ALTER TABLE parity_signals_011 RENAME TO parity_signals;
