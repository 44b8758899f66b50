import GRDB
import VixShieldCore

// Partitions of the recommendation, hedge and position stages.
extension StoreTransaction {
    /// Replaces the scenario grids of one as-of date's recommendations.
    public func replaceScenarios(asOf: CalendarDate, underlying: String, rows: [ScenarioRecord]) throws {
        try db.execute(sql: "DELETE FROM scenarios WHERE as_of = ? AND underlying = ?", arguments: [asOf.isoString, underlying])
        for r in rows { try r.insert(db) }
    }

    /// Returns one night's scenario cells to their state without a hedge (no hedge P&L, total = condor): the
    /// hedge stage's columns are its partition, cleared before it sets them, so a rerun of the night that
    /// hedges fewer condors leaves none of the earlier run's figures behind.
    public func clearScenarioHedgePnl(asOf: CalendarDate, underlying: String) throws {
        try db.execute(sql: "UPDATE scenarios SET hedge_pnl_usd = NULL, total_pnl_usd = condor_pnl_usd WHERE as_of = ? AND underlying = ?",
                       arguments: [asOf.isoString, underlying])
    }

    /// Sets the hedge P&L of one condor's scenario cells (the hedge stage runs after the grid is stored).
    public func setScenarioHedgePnl(asOf: CalendarDate, underlying: String, profile: String, rank: Int,
                                    cells: [(horizon: String, spxMovePct: Double, volShockPoints: Double, hedgePnlUsd: Double?)]) throws {
        let update = try db.makeStatement(sql: """
            UPDATE scenarios SET hedge_pnl_usd = ?, total_pnl_usd = condor_pnl_usd + coalesce(?, 0)
            WHERE as_of = ? AND underlying = ? AND profile = ? AND rank = ? AND horizon = ? AND spx_move_pct = ? AND vol_shock_points = ?
            """)
        for c in cells {
            try update.execute(arguments: [c.hedgePnlUsd, c.hedgePnlUsd, asOf.isoString, underlying, profile, rank, c.horizon,
                                           c.spxMovePct, c.volShockPoints])
        }
    }

    /// Replaces the hedge layers decided on one night.
    public func replaceHedges(asOf: CalendarDate, underlying: String, rows: [HedgeRecommendationRecord]) throws {
        try db.execute(sql: "DELETE FROM hedge_recommendations WHERE as_of = ? AND underlying = ?", arguments: [asOf.isoString, underlying])
        for r in rows { try r.insert(db) }
    }

    /// Replaces one night's position advice.
    public func replacePositionAdvice(asOf: CalendarDate, underlying: String, rows: [PositionAdviceRecord]) throws {
        try db.execute(sql: "DELETE FROM position_advice WHERE as_of = ? AND underlying = ?", arguments: [asOf.isoString, underlying])
        for r in rows { try r.insert(db) }
    }

    /// Inserts or replaces imported fills by `fill_id` (re-importing a file changes nothing).
    public func upsertFills(_ rows: [PositionFillRecord]) throws {
        for r in rows { try r.insert(db, onConflict: .replace) }
    }

    /// Replaces one as-of date's parity signals.
    public func replaceParitySignals(asOf: CalendarDate, underlying: String, rows: [ParitySignalRecord]) throws {
        try db.execute(sql: "DELETE FROM parity_signals WHERE as_of = ? AND underlying = ?", arguments: [asOf.isoString, underlying])
        for r in rows { try r.insert(db, onConflict: .replace) }
    }
}

extension VixShieldDatabase {
    /// Hedge layers decided on one night.
    public func hedges(asOf: CalendarDate, underlying: String) throws -> [HedgeRecommendationRecord] {
        try read { db in
            try HedgeRecommendationRecord.fetchAll(db, sql: """
                SELECT * FROM hedge_recommendations WHERE as_of = ? AND underlying = ? ORDER BY profile, condor_as_of, rank, layer
                """, arguments: [asOf.isoString, underlying])
        }
    }

    /// The layer states of one night's hedges, keyed `condor_as_of|profile|rank`, each key's layers in layer
    /// order: what the next night's hedge decision starts from. Reads the key and the state alone, by position
    /// (decoding whole records was an eighth of the cross-date pass, which does this every night).
    public func hedgeLayerStates(asOf: CalendarDate, underlying: String) throws -> [String: [String?]] {
        try read { db in
            var out: [String: [String?]] = [:]
            let rows = try Row.fetchCursor(db, sql: """
                SELECT condor_as_of || '|' || profile || '|' || rank, state_json FROM hedge_recommendations
                WHERE as_of = ? AND underlying = ? ORDER BY profile, condor_as_of, rank, layer
                """, arguments: [asOf.isoString, underlying])
            while let r = try rows.next() { out[r[0] as String, default: []].append(r[1]) }
            return out
        }
    }

    /// Scenario cells of one night's recommendations.
    public func scenarios(asOf: CalendarDate, underlying: String) throws -> [ScenarioRecord] {
        try read { db in
            try ScenarioRecord.fetchAll(db, sql: """
                SELECT * FROM scenarios WHERE as_of = ? AND underlying = ? ORDER BY profile, rank, horizon, spx_move_pct, vol_shock_points
                """, arguments: [asOf.isoString, underlying])
        }
    }

    /// Rank-1 trades of `underlying` opened before `date` whose expiry is after it: the paper book's open condors.
    public func openPaperCondors(underlying: String, on date: CalendarDate) throws -> [RecommendationRecord] {
        try read { db in
            try RecommendationRecord.fetchAll(db, sql: """
                SELECT * FROM recommendations WHERE underlying = ? AND status = 'trade' AND rank = 1 AND as_of < ? AND expiry > ?
                ORDER BY as_of, profile
                """, arguments: [underlying, date.isoString, date.isoString])
        }
    }

    /// Imported fills of `underlying` traded on or before `date`, by trade date, profile and fill id.
    public func positionFills(underlying: String, tradedOnOrBefore date: CalendarDate) throws -> [PositionFillRecord] {
        try read { db in
            try PositionFillRecord.fetchAll(db, sql: """
                SELECT * FROM position_fills WHERE underlying = ? AND trade_date <= ? ORDER BY trade_date, profile, fill_id
                """, arguments: [underlying, date.isoString])
        }
    }

    /// Traded recommendations (any rank) of `underlying` placed on `forDates`, to match fills against.
    public func tradedRecommendations(underlying: String, forDates: [CalendarDate]) throws -> [RecommendationRecord] {
        guard !forDates.isEmpty else { return [] }
        return try read { db in
            try RecommendationRecord.fetchAll(db, sql: """
                SELECT * FROM recommendations WHERE underlying = ? AND status = 'trade'
                  AND for_date IN (\(databaseQuestionMarks(count: forDates.count))) ORDER BY as_of, profile, rank
                """, arguments: StatementArguments([underlying] + forDates.map(\.isoString)))
        }
    }

    /// Position advice of one night.
    public func positionAdvice(asOf: CalendarDate, underlying: String) throws -> [PositionAdviceRecord] {
        try read { db in
            try PositionAdviceRecord.fetchAll(db, sql: """
                SELECT * FROM position_advice WHERE as_of = ? AND underlying = ? ORDER BY profile, opened_as_of, rank
                """, arguments: [asOf.isoString, underlying])
        }
    }

    /// Quotes with their surface results of the given symbols on one as-of date (any quote set, EOD first).
    public func quotes(asOf: CalendarDate, underlying: String, symbols: [String]) throws -> [String: (bid: Double?, ask: Double?, delta: Double?)] {
        guard !symbols.isEmpty else { return [:] }
        return try read { db in
            var out: [String: (bid: Double?, ask: Double?, delta: Double?)] = [:]
            // By series and strike, which the storage is keyed on (the view derives the symbol); a symbol that is
            // not an OCC symbol cannot have been stored. One cached statement per contract: the planner walks the
            // date's series to the one row, where a join against a list of contracts had it scan every quote of
            // the date and look each up in the list (0.2 s for a 39-condor book's 130 legs).
            let statement = try db.cachedStatement(sql: """
                SELECT symbol, bid, ask, delta FROM option_quotes
                WHERE as_of = ? AND underlying = ? AND root = ? AND expiry = ? AND option_type = ? AND strike_milli = ?
                ORDER BY quote_set = 'eod' DESC, seq LIMIT 1
                """)
            for c in Set(symbols).compactMap({ OptionContract(symbol: $0) }).sorted() {
                let arguments: StatementArguments = [asOf.isoString, underlying, c.root, c.expiry.isoString, c.right.rawValue, c.strikeMilli]
                if let r = try Row.fetchOne(statement, arguments: arguments) {
                    out[r[0] as String] = (r[1] as Double?, r[2] as Double?, r[3] as Double?)
                }
            }
            return out
        }
    }
}

extension VixShieldDatabase {
    /// Keys (`opened_as_of|profile|rank`) of paper positions a night before `date` advised to close.
    public func closedPositionKeys(underlying: String, before date: CalendarDate) throws -> Set<String> {
        try read { db in
            Set(try String.fetchAll(db, sql: """
                SELECT DISTINCT opened_as_of || '|' || profile || '|' || rank FROM position_advice
                WHERE underlying = ? AND as_of < ? AND action = 'close'
                """, arguments: [underlying, date.isoString]))
        }
    }
}
