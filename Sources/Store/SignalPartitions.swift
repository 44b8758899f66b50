import GRDB
import VixShieldCore

// Partitions of the signals and projection stages: each replaces exactly its own rows.
extension StoreTransaction {
    /// Replaces every symbol's indicators of one date.
    public func replaceIndicators(date: CalendarDate, rows: [IndicatorRecord]) throws {
        try db.execute(sql: "DELETE FROM indicators WHERE date = ?", arguments: [date.isoString])
        for r in rows { try r.insert(db) }
    }

    /// Replaces the per-kind event statistics of one as-of date.
    public func replaceEventReactionSummaries(asOf: CalendarDate, rows: [EventReactionSummaryRecord]) throws {
        try db.execute(sql: "DELETE FROM event_reaction_summaries WHERE as_of = ?", arguments: [asOf.isoString])
        for r in rows { try r.insert(db) }
    }

    /// Replaces the reactions of the events whose reaction session is `session`.
    public func replaceEventReactions(session: CalendarDate, rows: [EventReactionRecord]) throws {
        try db.execute(sql: "DELETE FROM event_reactions WHERE session = ?", arguments: [session.isoString])
        for r in rows { try r.insert(db, onConflict: .replace) }
    }

    /// Replaces the upcoming events' variances of one as-of date and underlying.
    public func replaceEventVariances(asOf: CalendarDate, underlying: String, rows: [EventVarianceRecord]) throws {
        try db.execute(sql: "DELETE FROM event_variances WHERE as_of = ? AND underlying = ?", arguments: [asOf.isoString, underlying])
        for r in rows { try r.insert(db) }
    }

    /// Replaces the projected surfaces of one as-of date and underlying.
    public func replaceProjections(asOf: CalendarDate, underlying: String, rows: [VolProjectionRecord]) throws {
        try db.execute(sql: "DELETE FROM vol_projections WHERE as_of = ? AND underlying = ?", arguments: [asOf.isoString, underlying])
        for r in rows { try r.insert(db) }
    }

    /// Replaces the volatility context of one as-of date and underlying (none when `row` is nil).
    public func replaceVolContext(asOf: CalendarDate, underlying: String, row: VolContextRecord?) throws {
        try db.execute(sql: "DELETE FROM vol_context WHERE as_of = ? AND underlying = ?", arguments: [asOf.isoString, underlying])
        if let row { try row.insert(db) }
    }
}

// MARK: - Reads

extension VixShieldDatabase {
    /// Stored indicators of `symbol` dated in the closed range, oldest first.
    public func indicators(symbol: String, from: CalendarDate, through: CalendarDate) throws -> [IndicatorRecord] {
        try read { db in
            try IndicatorRecord.fetchAll(db, sql: "SELECT * FROM indicators WHERE symbol = ? AND date BETWEEN ? AND ? ORDER BY date",
                                         arguments: [symbol, from.isoString, through.isoString])
        }
    }

    /// VX settlements of every trade date in the closed range, by trade date and expiry.
    public func vixFutures(from: CalendarDate, through: CalendarDate) throws -> [VIXFutureRecord] {
        try read { db in
            try VIXFutureRecord.fetchAll(db, sql: """
                SELECT * FROM vix_futures WHERE trade_date BETWEEN ? AND ? ORDER BY trade_date, expiry, symbol
                """, arguments: [from.isoString, through.isoString])
        }
    }

    /// The fitted SVI parameters and time to expiry of every stored slice of `underlying` in a range, oldest
    /// first: what a constant-maturity ATM vol needs. Read by column, not as records: the hedge's beta window
    /// is 180 sessions of surfaces (~12k slices) and is read for every date.
    public func fittedSlices(underlying: String, from: CalendarDate, through: CalendarDate) throws -> [FittedSlice] {
        try read { db in
            try Row.fetchAll(db, sql: """
                SELECT as_of, years_to_expiry, svi_a, svi_b, svi_rho, svi_m, svi_sigma FROM surface_slices
                WHERE underlying = ? AND as_of BETWEEN ? AND ? AND svi_a IS NOT NULL AND svi_b IS NOT NULL
                    AND svi_rho IS NOT NULL AND svi_m IS NOT NULL AND svi_sigma IS NOT NULL
                ORDER BY as_of, expiry, settlement
                """, arguments: [underlying, from.isoString, through.isoString]).map { r in
                FittedSlice(asOf: r[0], yearsToExpiry: r[1], a: r[2], b: r[3], rho: r[4], m: r[5], sigma: r[6])
            }
        }
    }

    /// The upcoming events' variances stored for one as-of date.
    public func eventVariances(asOf: CalendarDate, underlying: String) throws -> [EventVarianceRecord] {
        try read { db in
            try EventVarianceRecord.fetchAll(db, sql: "SELECT * FROM event_variances WHERE as_of = ? AND underlying = ? ORDER BY event_time, kind",
                                             arguments: [asOf.isoString, underlying])
        }
    }

    /// The projections stored for one as-of date.
    public func projections(asOf: CalendarDate, underlying: String) throws -> [VolProjectionRecord] {
        try read { db in
            try VolProjectionRecord.fetchAll(db, sql: """
                SELECT * FROM vol_projections WHERE as_of = ? AND underlying = ? ORDER BY horizon, scenario, expiry_time
                """, arguments: [asOf.isoString, underlying])
        }
    }

    /// The volatility context of one as-of date.
    public func volContext(asOf: CalendarDate, underlying: String) throws -> VolContextRecord? {
        try read { db in
            try VolContextRecord.fetchOne(db, sql: "SELECT * FROM vol_context WHERE as_of = ? AND underlying = ?",
                                          arguments: [asOf.isoString, underlying])
        }
    }

    /// Event reactions with the reaction session in the closed range.
    public func eventReactions(from: CalendarDate, through: CalendarDate) throws -> [EventReactionRecord] {
        try read { db in
            try EventReactionRecord.fetchAll(db, sql: "SELECT * FROM event_reactions WHERE session BETWEEN ? AND ? ORDER BY session, kind",
                                             arguments: [from.isoString, through.isoString])
        }
    }
}

// MARK: - Outcomes

extension StoreTransaction {
    /// Replaces the outcomes of the given recommendations (keyed like them).
    public func replaceOutcomes(_ rows: [OutcomeRecord]) throws {
        for r in rows { try r.insert(db, onConflict: .replace) }
    }
}

extension VixShieldDatabase {
    /// Traded recommendations of `underlying` whose expiry is `expiry`, or before it with no outcome yet
    /// (a rerun of their as-of date removed it), by as-of date, profile and rank.
    public func recommendationsToScore(underlying: String, expiringOnOrBefore expiry: CalendarDate) throws -> [RecommendationRecord] {
        try read { db in
            try RecommendationRecord.fetchAll(db, sql: """
                SELECT r.* FROM recommendations r
                WHERE r.underlying = ? AND r.status = 'trade' AND r.expiry IS NOT NULL
                  AND (r.expiry = ? OR (r.expiry < ? AND NOT EXISTS (
                        SELECT 1 FROM outcomes o WHERE o.as_of = r.as_of AND o.underlying = r.underlying
                          AND o.profile = r.profile AND o.rank = r.rank)))
                ORDER BY r.as_of, r.profile, r.rank
                """, arguments: [underlying, expiry.isoString, expiry.isoString])
        }
    }

    /// Outcomes of `underlying` whose expiry is in the closed range, optionally of one profile, by expiry.
    public func outcomes(underlying: String? = nil, profile: String? = nil, from: CalendarDate?, through: CalendarDate?) throws -> [OutcomeRecord] {
        try read { db in
            try OutcomeRecord.fetchAll(db, sql: """
                SELECT * FROM outcomes WHERE (? IS NULL OR underlying = ?) AND (? IS NULL OR profile = ?)
                  AND expiry BETWEEN ? AND ? ORDER BY expiry, as_of, profile, rank
                """, arguments: [underlying, underlying, profile, profile, from?.isoString ?? "0000-01-01", through?.isoString ?? "9999-12-31"])
        }
    }
}

/// One stored slice's SVI parameters (`surface_slices.svi_*`) and time to expiry.
public struct FittedSlice: Sendable, Equatable {
    public var asOf: String
    public var yearsToExpiry: Double
    public var a: Double, b: Double, rho: Double, m: Double, sigma: Double
}
