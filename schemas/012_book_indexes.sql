-- 012: indexes for the reads and deletes that walked a whole table once per night, and an index on every
-- foreign key's child columns (a test keeps it so).
--
-- Every night the cross-date pass asks which positions an earlier night closed; without an index that read
-- walks every earlier night's advice. Partial: only `close` rows, a few per month.
CREATE INDEX position_advice_closes ON position_advice (underlying, as_of) WHERE action = 'close';

-- The child keys of the two foreign keys into `recommendations` that no primary key starts with: rerunning a
-- date deletes its recommendations, and SQLite then looks up each one's hedge layers and advice by these
-- columns (on a year's database: 143 ms a night without them, 2 ms with them).
CREATE INDEX hedge_recommendations_by_condor ON hedge_recommendations (condor_as_of, underlying, profile, rank);
CREATE INDEX position_advice_by_opening ON position_advice (opened_as_of, underlying, profile, rank);

-- The one other child key without an index: the run that fetched each archived payload (a few rows a night).
CREATE INDEX raw_payloads_by_run ON raw_payloads (run_id);
