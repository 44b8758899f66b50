import GRDB
import Testing
import VixShieldCore
@testable import Store

/// The history records code their columns by hand (they are read and written by the thousand every date):
/// every property must have its snake_case column, both ways, with NULLs where a field is optional.
@Suite("History records' hand-written coding") struct HistoryRecordCodingTests {
    /// The columns a record encodes must be exactly its properties, snake_cased as Codable would.
    static func expectColumnsMatchProperties<R: EncodableRecord>(_ record: R) throws {
        let encoded = Set(try record.databaseDictionary.keys)
        let properties = Set(Mirror(reflecting: record).children.compactMap(\.label).map { SnakeCaseColumns.column(forKey: $0) })
        #expect(encoded == properties, "\(R.self): encoded \(encoded.sorted()), properties \(properties.sorted())")
    }

    @Test("each record writes every property to its column and reads back equal, optionals as NULL")
    func roundTrips() throws {
        let db = try VixShieldDatabase(path: ":memory:")
        let bars = [IndexHistoryRecord(symbol: "VIX", date: "2026-07-14", open: 16.1, high: 17.25, low: 15.9, close: 16.5, source: "a"),
                    IndexHistoryRecord(symbol: "VIX", date: "2026-07-15", open: nil, high: nil, low: nil, close: 16.75, source: "b")]
        let rates = [RateRecord(series: "DGS3MO", date: "2026-07-14", tenorYears: 0.25, rate: 0.0431, source: "fred")]
        let breadth = [BreadthRecord(universe: "NYSE", date: "2026-07-14", advances: 1500, declines: 1300, unchanged: nil, source: "x"),
                       BreadthRecord(universe: "NYSE", date: "2026-07-15", advances: 1200, declines: 1600, unchanged: 80, source: "x")]
        let futures = [VIXFutureRecord(tradeDate: "2026-07-14", symbol: "VX/N6", expiry: "2026-07-22", settle: 17.1, isWeekly: false, source: "cfe"),
                       VIXFutureRecord(tradeDate: "2026-07-14", symbol: "VX29/N6", expiry: "2026-07-15", settle: 16.6, isWeekly: true, source: "cfe")]
        for r in bars { try Self.expectColumnsMatchProperties(r) }
        for r in rates { try Self.expectColumnsMatchProperties(r) }
        for r in breadth { try Self.expectColumnsMatchProperties(r) }
        for r in futures { try Self.expectColumnsMatchProperties(r) }
        try db.transaction { tx in
            try tx.upsertIndexHistory(bars)
            try tx.upsertRates(rates)
            try tx.upsertBreadth(breadth)
            try tx.replaceVIXFutures(tradeDate: CalendarDate(iso: "2026-07-14")!, source: "cfe", rows: futures)
        }
        let through = CalendarDate(iso: "2026-07-31")!
        #expect(try db.indexHistory(symbol: "VIX", through: through) == bars)
        #expect(try db.rates(from: CalendarDate(iso: "2026-01-01")!, through: through) == rates)
        #expect(try db.breadth(universe: "NYSE", through: through) == breadth)
        #expect(try db.vixFutures(tradeDate: CalendarDate(iso: "2026-07-14")!).sorted { $0.symbol < $1.symbol } == futures.sorted { $0.symbol < $1.symbol })
        let nulls = try db.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM index_history WHERE open IS NULL AND high IS NULL") }
        #expect(nulls == 1)
    }
}

@Suite("History upserts") struct HistoryUpsertTests {
    @Test("only new or changed bars are written; a repeated date in one file ends as its last row")
    func changedRowsOnly() throws {
        let db = try VixShieldDatabase(path: ":memory:")
        func bar(_ date: String, _ close: Double, source: String = "f") -> IndexHistoryRecord {
            IndexHistoryRecord(symbol: "VIX", date: date, open: nil, high: nil, low: nil, close: close, source: source)
        }
        try db.transaction { tx in try tx.upsertIndexHistory([bar("2026-07-13", 15), bar("2026-07-14", 16)]) }
        let changes = try db.transaction { tx -> Int in
            let before = tx.db.totalChangesCount
            try tx.upsertIndexHistory([bar("2026-07-13", 15), bar("2026-07-14", 16.5), bar("2026-07-15", 17)])
            return tx.db.totalChangesCount - before
        }
        #expect(changes == 2, "the unchanged 07-13 bar is not rewritten")
        try db.transaction { tx in try tx.upsertIndexHistory([bar("2026-07-15", 18), bar("2026-07-15", 17, source: "g")]) }
        #expect(try db.indexHistory(symbol: "VIX", through: CalendarDate(iso: "2026-07-31")!)
            == [bar("2026-07-13", 15), bar("2026-07-14", 16.5), bar("2026-07-15", 17, source: "g")])
    }
}
