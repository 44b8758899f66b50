-- 012: an index of the nights that advised closing a position.
--
-- Every night the cross-date pass asks which positions an earlier night closed; without this index that read
-- walks every earlier night's advice, so a year's backfill spent more time there than in the positions' own
-- marks. Partial: only `close` rows, a few per month.
CREATE INDEX position_advice_closes ON position_advice (underlying, as_of) WHERE action = 'close';
