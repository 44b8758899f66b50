-- 009: where a date's chain came from, on the chain and on every user-facing row derived from it.
--
-- `market` (a vendor's quotes, the default), `simulated` (the seeded synthetic market) or `reconstructed`
-- (priced on a surface fitted to published index histories by `vixshield reconstruct`). The normalize stage
-- writes it on `chain_snapshots` from its source's `origin` option (and flags every reconstructed quote
-- `reconstructed` in `option_quotes.flags`). The derived tables take it from the chain in SQLite, so no
-- stage can write a reconstructed date's rows without the mark: surface slices and summaries, projections,
-- recommendations, scenarios and position advice from the as-of date's chain, hedge layers from the condor
-- they protect, outcomes from the recommendation they score. A row copied with its origin already set (a
-- shard merge) keeps it.
ALTER TABLE chain_snapshots ADD COLUMN chain_origin TEXT NOT NULL DEFAULT 'market'
    CHECK (chain_origin IN ('market', 'simulated', 'reconstructed'));
ALTER TABLE surface_slices ADD COLUMN chain_origin TEXT NOT NULL DEFAULT 'market'
    CHECK (chain_origin IN ('market', 'simulated', 'reconstructed'));
ALTER TABLE surface_summaries ADD COLUMN chain_origin TEXT NOT NULL DEFAULT 'market'
    CHECK (chain_origin IN ('market', 'simulated', 'reconstructed'));
ALTER TABLE vol_projections ADD COLUMN chain_origin TEXT NOT NULL DEFAULT 'market'
    CHECK (chain_origin IN ('market', 'simulated', 'reconstructed'));
ALTER TABLE scenarios ADD COLUMN chain_origin TEXT NOT NULL DEFAULT 'market'
    CHECK (chain_origin IN ('market', 'simulated', 'reconstructed'));
ALTER TABLE position_advice ADD COLUMN chain_origin TEXT NOT NULL DEFAULT 'market'
    CHECK (chain_origin IN ('market', 'simulated', 'reconstructed'));
ALTER TABLE recommendations ADD COLUMN chain_origin TEXT NOT NULL DEFAULT 'market'
    CHECK (chain_origin IN ('market', 'simulated', 'reconstructed'));
ALTER TABLE hedge_recommendations ADD COLUMN chain_origin TEXT NOT NULL DEFAULT 'market'
    CHECK (chain_origin IN ('market', 'simulated', 'reconstructed'));
ALTER TABLE outcomes ADD COLUMN chain_origin TEXT NOT NULL DEFAULT 'market'
    CHECK (chain_origin IN ('market', 'simulated', 'reconstructed'));

-- Rows of an as-of date take the origin of that date's chain (its end-of-day quote set first).
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

CREATE TRIGGER position_advice_chain_origin AFTER INSERT ON position_advice
WHEN NEW.chain_origin = 'market' AND EXISTS (
    SELECT 1 FROM chain_snapshots c WHERE c.as_of = NEW.as_of AND c.underlying = NEW.underlying AND c.chain_origin <> 'market')
BEGIN
    UPDATE position_advice SET chain_origin = (
        SELECT c.chain_origin FROM chain_snapshots c WHERE c.as_of = NEW.as_of AND c.underlying = NEW.underlying
        ORDER BY c.quote_set = 'eod' DESC, c.quote_set LIMIT 1)
    WHERE rowid = NEW.rowid;
END;

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

-- The hedge book shows the mark too.
DROP VIEW hedge_book;
CREATE VIEW hedge_book AS
SELECT h.as_of, h.for_date, h.underlying, h.profile, h.condor_as_of, h.rank, r.root, r.expiry AS condor_expiry,
       r.contracts AS condor_contracts, r.net_vega AS condor_net_vega_usd, h.layer, h.layer_name, h.active, h.active_since,
       h.instrument, h.contract, h.side, h.quantity, h.vega_offset, h.trigger, h.trigger_value, h.carry_cost_usd, h.beta,
       h.premium, h.price_source, h.rationale, h.chain_origin
FROM hedge_recommendations h
JOIN recommendations r ON r.as_of = h.condor_as_of AND r.underlying = h.underlying AND r.profile = h.profile AND r.rank = h.rank;
