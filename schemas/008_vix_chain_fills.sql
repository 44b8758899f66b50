-- 008: VIX option prices on the hedge's call layers, and real fills of the position book.

-- A VIX call layer's price: VIX points per call paid when it switched on (the VIX option chain's ask plus
-- slippage, or Black-76 on the VX forward when no quote was stored), and which of the two it was.
ALTER TABLE hedge_recommendations ADD COLUMN premium REAL CHECK (premium IS NULL OR premium >= 0);
ALTER TABLE hedge_recommendations ADD COLUMN price_source TEXT CHECK (price_source IS NULL OR price_source IN ('quote', 'model'));

DROP VIEW hedge_book;
CREATE VIEW hedge_book AS
SELECT h.as_of, h.for_date, h.underlying, h.profile, h.condor_as_of, h.rank, r.root, r.expiry AS condor_expiry,
       r.contracts AS condor_contracts, r.net_vega AS condor_net_vega_usd, h.layer, h.layer_name, h.active, h.active_since,
       h.instrument, h.contract, h.side, h.quantity, h.vega_offset, h.trigger, h.trigger_value, h.carry_cost_usd, h.beta,
       h.premium, h.price_source, h.rationale
FROM hedge_recommendations h
JOIN recommendations r ON r.as_of = h.condor_as_of AND r.underlying = h.underlying AND r.profile = h.profile AND r.rank = h.rank;

-- Real fills imported from a CSV (`vixshield positions import FILE`, format in the README). A fill replaces the
-- paper fill of the recommended condor with the same trade date (the recommendation's for_date), profile,
-- root, expiry and strikes; a fill of a lower-ranked alternate adds that position to the book. Re-importing a
-- file replaces its rows by fill_id, so an import is idempotent.
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
CREATE INDEX position_fills_by_trade ON position_fills (underlying, trade_date, profile);

-- Which book a night's advice is for: the paper fill at the recommended credit, or an imported fill.
ALTER TABLE position_advice ADD COLUMN source TEXT NOT NULL DEFAULT 'paper' CHECK (source IN ('paper', 'fill'));
ALTER TABLE position_advice ADD COLUMN fill_id TEXT;

-- Outcomes of a filled condor are scored at the fill's credit and size.
ALTER TABLE outcomes ADD COLUMN source TEXT NOT NULL DEFAULT 'paper' CHECK (source IN ('paper', 'fill'));
