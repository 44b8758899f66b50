import GRDB
import VixShieldCore

/// A write transaction handed to a stage. Each `replace…` deletes a partition and inserts its new rows,
/// so rerunning a stage for a date leaves exactly one copy of that date's rows.
public struct StoreTransaction {
    let db: Database
    /// Quote rows of the chains replaced in this transaction, inserted when its body ends so that the
    /// surface stage's columns go in with them: one insert per quote instead of an insert then an update
    /// (the update pass over a full SPX chain was the largest single write of a nightly run).
    let pendingChains: PendingChains
    /// What this transaction changed of the shared history (published to `VixShieldDatabase.historyChanges`
    /// when it commits).
    let historyChanges = HistoryChangeRecorder()

    /// Replaces one chain (its snapshot row and all its quotes) for `as_of`, `underlying`, `quote_set`.
    /// The quotes are written when the transaction's body ends (see `pendingChains`).
    public func replaceChain(_ chain: PreparedChain) throws {
        try QuoteStorage.deleteChain(db, chain.key)
        try db.execute(sql: "DELETE FROM chain_snapshots WHERE as_of = ? AND underlying = ? AND quote_set = ?",
                       arguments: [chain.key.asOf, chain.key.underlying, chain.key.quoteSet])
        try chain.snapshot.insert(db)
        pendingChains.add(chain)
    }

    /// `replaceChain` for quotes not prepared before the transaction.
    public func replaceChain(_ snapshot: ChainSnapshotRecord, quotes: [OptionQuoteRecord]) throws {
        try replaceChain(PreparedChain(snapshot: snapshot, quotes: quotes))
    }

    /// Inserts every pending chain's quotes with whatever surface columns were set on them.
    func flushPendingChains() throws {
        for (chain, surface) in pendingChains.drain() {
            try QuoteStorage.insertChain(db, chain, surface: surface)
        }
    }

    /// Replaces the VX settlement curve of `tradeDate` from one source.
    public func replaceVIXFutures(tradeDate date: CalendarDate, source: String, rows: [VIXFutureRecord]) throws {
        let stored = { try VIXFutureRecord.fetchAll(self.db, sql: "SELECT * FROM vix_futures WHERE trade_date = ? ORDER BY symbol",
                                                    arguments: [date.isoString]) }
        let before = try stored()
        try db.execute(sql: "DELETE FROM vix_futures WHERE trade_date = ? AND source = ?", arguments: [date.isoString, source])
        for r in rows { try r.insert(db, onConflict: .replace) }
        if try stored() != before { historyChanges.changed(date) }
    }

    /// Writes index bars; a bar already stored for the same symbol and date is replaced (history files
    /// are re-downloaded whole every night, so this is idempotent).
    public func upsertIndexHistory(_ rows: [IndexHistoryRecord]) throws {
        try upsertChanged(rows, series: \.symbol, column: "symbol", date: \.date)
    }

    /// Writes breadth rows, replacing any stored for the same universe and date.
    public func upsertBreadth(_ rows: [BreadthRecord]) throws {
        try upsertChanged(rows, series: \.universe, column: "universe", date: \.date)
    }

    /// Writes rate observations, replacing any stored for the same series and date.
    public func upsertRates(_ rows: [RateRecord]) throws {
        try upsertChanged(rows, series: \.series, column: "series", date: \.date)
    }

    /// Inserts or replaces the rows that are not already stored exactly so. A history file comes whole
    /// every night (and for every date of a backfill) with one new row: reading the stored series is much
    /// cheaper than rewriting it, and the transaction that does it is the one backfill jobs wait for.
    private func upsertChanged<R: FetchableRecord & PersistableRecord & Equatable>(
        _ rows: [R], series: KeyPath<R, String>, column: String, date: KeyPath<R, String>) throws {
        func key(_ r: R) -> String { r[keyPath: series] + "|" + r[keyPath: date] }
        var stored: [String: R] = [:]
        for name in Set(rows.map { $0[keyPath: series] }).sorted() {
            for r in try R.fetchAll(db, sql: "SELECT * FROM \(R.databaseTableName) WHERE \(column) = ?", arguments: [name]) {
                stored[key(r)] = r
            }
        }
        for r in rows where stored[key(r)] != r {
            try r.insert(db, onConflict: .replace)
            historyChanges.changed(iso: r[keyPath: date])
            stored[key(r)] = r  // a file that repeats a date: the last row wins, as when every row was written
        }
    }

    /// Replaces the whole event calendar of one source (a calendar file is always complete).
    public func replaceEvents(source: String, rows: [EventRecord]) throws {
        let stored = { try EventRecord.fetchAll(self.db, sql: "SELECT * FROM events ORDER BY kind, date, label") }
        let before = try stored()
        try db.execute(sql: "DELETE FROM events WHERE source = ?", arguments: [source])
        for r in rows { try r.insert(db, onConflict: .replace) }
        // Nights read events ahead of them (the hedge and position advice look forward): any night may see it.
        if try stored() != before { historyChanges.changed(.distantPast) }
    }

    /// Replaces the surface of one as-of date and underlying: its slices, its summary, and the IV and
    /// greek columns of its option quotes (cleared first, so a contract that lost its IV is not stale).
    /// When the chain itself was replaced in this transaction its quotes are still pending and take the
    /// columns before they are inserted (`aligned`, when lined up with that chain before the transaction,
    /// else lined up here); otherwise the stored quotes are updated.
    public func replaceSurface(asOf date: CalendarDate, underlying: String, quoteSet: String, slices: [SurfaceSliceRecord],
                               summary: SurfaceSummaryRecord, options: [OptionSurfaceResult], aligned: SurfaceColumns? = nil) throws {
        let asOf = date.isoString
        try deleteSurface(asOf: date, underlying: underlying)
        for s in slices { try s.insert(db) }
        try summary.insert(db)
        let key = ChainKey(asOf: asOf, underlying: underlying, quoteSet: quoteSet)
        if let chain = pendingChains.chain(key) {
            // Columns lined up with another chain (an equal one prepared apart) are not trusted.
            let columns = try aligned.flatMap { $0.chain === chain.identity ? $0 : nil } ?? chain.surfaceColumns(options)
            pendingChains.setSurface(key, columns)
            return
        }
        try QuoteStorage.updateSurface(db, key, options: options)
    }

    /// Removes the surface of one as-of date and underlying (when its chain can no longer be traded,
    /// a surface built from earlier quotes must not outlive them).
    public func deleteSurface(asOf: CalendarDate, underlying: String) throws {
        let key: StatementArguments = [asOf.isoString, underlying]
        try db.execute(sql: "DELETE FROM surface_slices WHERE as_of = ? AND underlying = ?", arguments: key)
        try db.execute(sql: "DELETE FROM surface_summaries WHERE as_of = ? AND underlying = ?", arguments: key)
    }

    /// Replaces every recommendation and hedge row of one as-of date and underlying (hedge layers go first:
    /// they are keyed to the condors they protect).
    public func replaceRecommendations(asOf: CalendarDate, underlying: String, rows: [RecommendationRecord],
                                       hedges: [HedgeRecommendationRecord]) throws {
        let key: StatementArguments = [asOf.isoString, underlying]
        try db.execute(sql: "DELETE FROM hedge_recommendations WHERE as_of = ? AND underlying = ?", arguments: key)
        try db.execute(sql: "DELETE FROM recommendations WHERE as_of = ? AND underlying = ?", arguments: key)
        for r in rows { try r.insert(db) }
        for h in hedges { try h.insert(db) }
    }

    /// Records that every per-date stage of `record.asOf` landed; the last write of a date's transaction.
    public func recordCompletion(_ record: DateCompletionRecord) throws {
        try record.insert(db, onConflict: .replace)
    }
}

extension VixShieldDatabase {
    /// Runs `body` in one write transaction: all of it lands, or none of it.
    public func transaction<T>(_ body: (StoreTransaction) throws -> T) throws -> T {
        let (result, changed) = try write { db in
            let tx = StoreTransaction(db: db, pendingChains: PendingChains())
            let result = try body(tx)
            try tx.flushPendingChains()
            return (result, tx.historyChanges.earliest)
        }
        if let changed { historyChanges.append(changed) }
        return result
    }
}

/// One chain partition of `option_quotes`.
struct ChainKey: Hashable {
    var asOf: String, underlying: String, quoteSet: String
}

/// Chains replaced in one transaction whose quote rows are not inserted yet, with the surface columns
/// set on them so far. Lives for one transaction body on the writer's thread only.
final class PendingChains {
    private var order: [ChainKey] = []
    private var chains: [ChainKey: (chain: PreparedChain, surface: SurfaceColumns?)] = [:]

    func add(_ chain: PreparedChain) {
        if chains[chain.key] == nil { order.append(chain.key) }
        chains[chain.key] = (chain, nil)
    }

    /// The pending chain of `key`, if there is one.
    func chain(_ key: ChainKey) -> PreparedChain? { chains[key]?.chain }

    /// Sets the surface columns of a pending chain (replacing any set before).
    func setSurface(_ key: ChainKey, _ columns: SurfaceColumns) {
        chains[key]?.surface = columns
    }

    /// The pending chains in the order they were replaced, leaving none pending.
    func drain() -> [(chain: PreparedChain, surface: SurfaceColumns?)] {
        defer { order = []; chains = [:] }
        return order.map { chains[$0]! }
    }
}
