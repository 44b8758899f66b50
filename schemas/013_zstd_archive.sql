-- 013: the raw archive is written with zstd (level 1) instead of gzip (level 5): on a full SPX chain the
-- bytes are 1 % larger and compressing them takes a sixth of the time (see `Zstd`), which was the largest
-- single cost of a backfilled day. Rows archived before keep their gzip bytes and are read as before.
--
-- The `compression` CHECK of `payload_bodies` and `raw_payloads` gains 'zstd'. A CHECK that every stored row
-- already satisfies is loosened in place, by SQLite's documented procedure for schema changes that leave the
-- stored format alone (https://sqlite.org/lang_altertable.html, "Making Other Kinds Of Table Schema Changes"):
-- rebuilding the tables would copy a multi-gigabyte archive to upgrade it. `writable_schema = RESET` ends the
-- edit and makes this connection reparse the schema; the table created and dropped after it bumps the schema
-- cookie, so every other connection reparses it too.
PRAGMA writable_schema = ON;
UPDATE sqlite_schema
SET sql = replace(sql, 'CHECK (compression IN (''gzip''))', 'CHECK (compression IN (''gzip'', ''zstd''))')
WHERE type = 'table' AND name IN ('payload_bodies', 'raw_payloads');
PRAGMA writable_schema = RESET;
CREATE TABLE schema_cookie_013 (x);
DROP TABLE schema_cookie_013;
