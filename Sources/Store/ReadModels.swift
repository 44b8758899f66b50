import GRDB
import VixShieldCore

// Typed reads of stored state, one family per table, with `CalendarDate` in every signature. Stages read
// history through these; the CLI's listings go through `Reports.swift`.

// MARK: - Recommendations and hedges

extension VixShieldDatabase {
    /// Recommendations with `as_of` in the closed range, ordered by date, underlying, profile, rank.
    public func recommendations(from: CalendarDate, through: CalendarDate) throws -> [RecommendationRecord] {
        try read { db in
            try RecommendationRecord.fetchAll(db, sql: """
                SELECT * FROM recommendations WHERE as_of BETWEEN ? AND ?
                ORDER BY as_of, underlying, profile, rank
                """, arguments: [from.isoString, through.isoString])
        }
    }

    /// Hedge layers with `as_of` in the closed range, by date, condor and layer.
    public func hedgeRecommendations(from: CalendarDate, through: CalendarDate) throws -> [HedgeRecommendationRecord] {
        try read { db in
            try HedgeRecommendationRecord.fetchAll(db, sql: """
                SELECT * FROM hedge_recommendations WHERE as_of BETWEEN ? AND ?
                ORDER BY as_of, underlying, profile, rank, layer
                """, arguments: [from.isoString, through.isoString])
        }
    }
}

// MARK: - Date completions

extension VixShieldDatabase {
    /// The completion record of one as-of date, if an earlier run landed it.
    public func dateCompletion(asOf: CalendarDate, underlying: String) throws -> DateCompletionRecord? {
        try read { db in
            try DateCompletionRecord.fetchOne(db, sql: "SELECT * FROM date_completions WHERE underlying = ? AND as_of = ?",
                                              arguments: [underlying, asOf.isoString])
        }
    }

    /// Completion records of `underlying` with `as_of` in the closed range, by date.
    public func dateCompletions(underlying: String, from: CalendarDate, through: CalendarDate) throws -> [DateCompletionRecord] {
        try read { db in
            try DateCompletionRecord.fetchAll(db, sql: """
                SELECT * FROM date_completions WHERE underlying = ? AND as_of BETWEEN ? AND ? ORDER BY as_of
                """, arguments: [underlying, from.isoString, through.isoString])
        }
    }
}

// MARK: - Surface

extension VixShieldDatabase {
    /// The fitted slices of one as-of date and underlying, by expiry and settlement.
    public func surfaceSlices(asOf: CalendarDate, underlying: String) throws -> [SurfaceSliceRecord] {
        try read { db in
            try SurfaceSliceRecord.fetchAll(db, sql: """
                SELECT * FROM surface_slices WHERE as_of = ? AND underlying = ? ORDER BY expiry, settlement
                """, arguments: [asOf.isoString, underlying])
        }
    }

    /// The chain-level surface summary (30- and 9-day model-free indexes) of one as-of date.
    public func surfaceSummary(asOf: CalendarDate, underlying: String) throws -> SurfaceSummaryRecord? {
        try read { db in
            try SurfaceSummaryRecord.fetchOne(db, sql: "SELECT * FROM surface_summaries WHERE as_of = ? AND underlying = ?",
                                              arguments: [asOf.isoString, underlying])
        }
    }

    /// Surface summaries of `underlying` up to and including `through`, oldest first.
    public func surfaceSummaries(underlying: String, through: CalendarDate) throws -> [SurfaceSummaryRecord] {
        try read { db in
            try SurfaceSummaryRecord.fetchAll(db, sql: """
                SELECT * FROM surface_summaries WHERE underlying = ? AND as_of <= ? ORDER BY as_of
                """, arguments: [underlying, through.isoString])
        }
    }
}

// MARK: - Chains

extension VixShieldDatabase {
    /// The chain snapshot rows (spot, gate verdict) of one as-of date and underlying, by quote set.
    public func chainSnapshots(asOf: CalendarDate, underlying: String) throws -> [ChainSnapshotRecord] {
        try read { db in
            try ChainSnapshotRecord.fetchAll(db, sql: """
                SELECT * FROM chain_snapshots WHERE as_of = ? AND underlying = ? ORDER BY quote_set
                """, arguments: [asOf.isoString, underlying])
        }
    }

    /// Stored quotes of one chain, in their original order.
    public func optionQuotes(asOf: CalendarDate, underlying: String, quoteSet: String = "eod") throws -> [OptionQuoteRecord] {
        try read { db in
            try OptionQuoteRecord.fetchAll(db, sql: """
                SELECT as_of, underlying, quote_set, seq, symbol, root, expiry, settlement, option_type, strike, strike_milli,
                       bid, ask, bid_size, ask_size, last, volume, open_interest, vendor_iv, vendor_delta, flags, flag_names
                FROM option_quotes WHERE as_of = ? AND underlying = ? AND quote_set = ? ORDER BY seq
                """, arguments: [asOf.isoString, underlying, quoteSet])
        }
    }

    /// One quote of a chain as a price read needs it (no symbol, sizes or vendor columns).
    public struct OptionMark: Sendable, Equatable {
        public var expiry: String, optionType: String, strike: Double, bid: Double?, ask: Double?, flags: Int
    }

    /// The quotes of one chain in `seq` order, narrowly: the hedge reads tonight's VIX chain each night of a
    /// backfill's cross-date pass, where the whole records (built through Codable, with the view's symbol)
    /// were a quarter of the hedge stage.
    public func optionMarks(asOf: CalendarDate, underlying: String, quoteSet: String = "eod") throws -> [OptionMark] {
        try read { db in
            try Row.fetchAll(db, sql: """
                SELECT expiry, option_type, strike, bid, ask, flags
                FROM option_quotes WHERE as_of = ? AND underlying = ? AND quote_set = ? ORDER BY seq
                """, arguments: [asOf.isoString, underlying, quoteSet]).map { r in
                OptionMark(expiry: r[0], optionType: r[1], strike: r[2], bid: r[3], ask: r[4], flags: r[5])
            }
        }
    }

    /// Per-contract surface results of one chain (IV, issue, surface IV, greeks), by symbol.
    public func optionSurfaceResults(asOf: CalendarDate, underlying: String, quoteSet: String = "eod") throws -> [OptionSurfaceResult] {
        try read { db in
            try Row.fetchAll(db, sql: """
                SELECT symbol, iv, iv_issue, surface_iv, delta, gamma, vega_per_vol_point, theta_per_day
                FROM option_quotes WHERE as_of = ? AND underlying = ? AND quote_set = ? ORDER BY symbol, seq
                """, arguments: [asOf.isoString, underlying, quoteSet]).map { r in
                OptionSurfaceResult(symbol: r["symbol"], iv: r["iv"], ivIssue: r["iv_issue"], surfaceIv: r["surface_iv"],
                                    delta: r["delta"], gamma: r["gamma"], vegaPerVolPoint: r["vega_per_vol_point"],
                                    thetaPerDay: r["theta_per_day"])
            }
        }
    }
}

// MARK: - History

extension VixShieldDatabase {
    /// Daily bars of `symbol` up to and including `through` (from `from` when given), oldest first.
    public func indexHistory(symbol: String, from: CalendarDate? = nil, through: CalendarDate) throws -> [IndexHistoryRecord] {
        try read { db in
            try IndexHistoryRecord.fetchAll(db, sql: """
                SELECT * FROM index_history WHERE symbol = ? AND date BETWEEN ? AND ? ORDER BY date
                """, arguments: [symbol, from?.isoString ?? "0000-01-01", through.isoString])
        }
    }

    /// Rate observations dated in the closed range, by series then date.
    public func rates(from: CalendarDate, through: CalendarDate) throws -> [RateRecord] {
        try read { db in
            try RateRecord.fetchAll(db, sql: "SELECT * FROM rates WHERE date BETWEEN ? AND ? ORDER BY series, date",
                                    arguments: [from.isoString, through.isoString])
        }
    }

    /// Breadth rows of `universe` up to and including `through`, oldest first.
    public func breadth(universe: String, through: CalendarDate) throws -> [BreadthRecord] {
        try read { db in
            try BreadthRecord.fetchAll(db, sql: "SELECT * FROM breadth WHERE universe = ? AND date <= ? ORDER BY date",
                                       arguments: [universe, through.isoString])
        }
    }

    /// The VX settlement curve stored for one trade date (every source), by expiry.
    public func vixFutures(tradeDate: CalendarDate) throws -> [VIXFutureRecord] {
        try read { db in
            try VIXFutureRecord.fetchAll(db, sql: "SELECT * FROM vix_futures WHERE trade_date = ? ORDER BY expiry, symbol",
                                         arguments: [tradeDate.isoString])
        }
    }

    /// Every stored event, by date and kind.
    public func events() throws -> [EventRecord] {
        try read { db in try EventRecord.fetchAll(db, sql: "SELECT * FROM events ORDER BY date, kind, label") }
    }
}

// MARK: - Whole-database views for tests and summaries

extension VixShieldDatabase {
    /// Row counts of every user table.
    public func tableCounts() throws -> [String: Int] {
        try read { db in
            var out: [String: Int] = [:]
            for n in try Self.userTables(db) { out[n] = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM \"\(n)\"") ?? 0 }
            return out
        }
    }

    /// Names of every user table (not views, not SQLite's or GRDB's own).
    public func tableNames() throws -> [String] { try read { db in try Self.userTables(db) } }

    static func userTables(_ db: Database) throws -> [String] {
        try String.fetchAll(db, sql: """
            SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name != 'grdb_migrations'
            ORDER BY name
            """)
    }

    /// Every row of a table as text, ordered by all columns: a stable fingerprint for idempotence tests.
    public func dump(table: String, excluding excluded: Set<String> = []) throws -> [String] {
        try read { db in
            guard try Self.userTables(db).contains(table) else { throw DatabaseError(message: "no table \(table)") }
            let columns = try db.columns(in: table).map(\.name).filter { !excluded.contains($0) }
            let list = columns.map { "quote(\"\($0)\")" }.joined(separator: " || '|' || ")
            return try String.fetchAll(db, sql: "SELECT \(list) FROM \"\(table)\" ORDER BY \(columns.map { "\"\($0)\"" }.joined(separator: ", "))")
        }
    }
}
