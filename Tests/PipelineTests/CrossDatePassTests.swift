import Foundation
import Store
import Testing
import VixShieldCore
import VixShieldTestSupport
@testable import Pipeline

/// The cross-date pass runs beside the per-date phase; a later date's history files may restate history a
/// night has already read. The store logs what each committed transaction changed, and the pass redoes
/// itself from the first night that may have read a value changed after it looked.
@Suite("Cross-date pass beside the per-date phase")
struct CrossDatePassTests {
    let days = ["2026-07-06", "2026-07-07", "2026-07-08"].map { CalendarDate(iso: $0)! }

    func bar(_ date: String, close: Double) -> IndexHistoryRecord {
        IndexHistoryRecord(symbol: "VIX", date: date, open: nil, high: nil, low: nil, close: close, source: "test")
    }

    func pass(_ db: VixShieldDatabase) throws -> CrossDatePass {
        CrossDatePass(stages: [], config: try PipelineLoader.load("sample"), database: db, runId: 1)
    }

    @Test("history rewritten after a night read it sends the pass back to that night; history written before does not")
    func redoFromTheNightThatMayHaveReadIt() throws {
        let db = try VixShieldDatabase(path: ":memory:")
        try db.transaction { tx in try tx.upsertIndexHistory([bar("2026-07-06", close: 15), bar("2026-07-07", close: 16)]) }
        let p = try pass(db)
        for d in days { p.run(d) }
        #expect(p.firstDateToRedo(changes: db.historyChanges.changes()) == nil, "seen before every night")
        // The same rows again change nothing and log nothing.
        try db.transaction { tx in try tx.upsertIndexHistory([bar("2026-07-07", close: 16)]) }
        #expect(db.historyChanges.count == 1)
        // A restated 07-07 close after the nights ran: 07-06 never reads it, 07-07 and later may have.
        try db.transaction { tx in try tx.upsertIndexHistory([bar("2026-07-06", close: 15), bar("2026-07-07", close: 16.5)]) }
        #expect(db.historyChanges.changes().last == days[1])
        #expect(p.firstDateToRedo(changes: db.historyChanges.changes()) == days[1])
    }

    @Test("a VX curve redone with other settles, and an event calendar that changed, are logged; the same ones are not")
    func futuresAndEvents() throws {
        let db = try VixShieldDatabase(path: ":memory:")
        let curve = [VIXFutureRecord(tradeDate: "2026-07-07", symbol: "VX/N6", expiry: "2026-07-22", settle: 17.1, isWeekly: false, source: "cfe")]
        let event = EventRecord(kind: "CPI", date: "2026-07-14", timeEt: "08:30", label: "CPI", source: "cal")
        try db.transaction { tx in
            try tx.replaceVIXFutures(tradeDate: days[1], source: "cfe", rows: curve)
            try tx.replaceEvents(source: "cal", rows: [event])
        }
        // One transaction, one entry: its earliest date (events are read ahead, so by any night).
        #expect(db.historyChanges.changes() == [.distantPast])
        try db.transaction { tx in
            try tx.replaceVIXFutures(tradeDate: days[1], source: "cfe", rows: curve)
            try tx.replaceEvents(source: "cal", rows: [event])
        }
        #expect(db.historyChanges.count == 1)
        let p = try pass(db)
        for d in days { p.run(d) }
        var restated = curve[0]
        restated.settle = 17.3
        try db.transaction { tx in try tx.replaceVIXFutures(tradeDate: days[1], source: "cfe", rows: [restated]) }
        #expect(p.firstDateToRedo(changes: db.historyChanges.changes()) == days[1])
        try db.transaction { tx in try tx.replaceEvents(source: "cal", rows: []) }
        #expect(p.firstDateToRedo(changes: db.historyChanges.changes()) == days[0])
    }

    @Test("the frontier is the first date not finished, whatever order dates finish in")
    func frontier() {
        let f = DateFrontier(days)
        #expect(f.boundary == days[0])
        f.finish(days[1])
        #expect(f.boundary == days[0])
        f.finish(days[0])
        #expect(f.wait(past: days[0]) == days[2])
        f.finish(days[2])
        #expect(f.boundary == nil)
        let stopped = DateFrontier(days)
        stopped.end()
        #expect(stopped.wait(past: days[0]) == nil)
    }
}

/// A redo (or `--cross-date-only`) runs the hedge stage again over nights it already wrote: what it writes
/// must replace the earlier run's, including the scenario cells of condors it no longer hedges.
@Suite("Cross-date reruns replace their results")
struct CrossDateRerunTests {
    @Test("a night's hedge columns of its scenario grid are replaced: a night rerun without a VX curve keeps no hedge figure")
    func staleHedgeFigureCleared() async throws {
        let h = try Harness()
        let dates = Array(TradingCalendar.nyse.tradingDays(from: SharedMarket.from, through: SharedMarket.to).prefix(3))
        _ = try await h.run(dates)
        let night = dates[1].isoString
        let hedged = "SELECT COUNT(*) FROM scenarios WHERE as_of = ? AND (hedge_pnl_usd IS NOT NULL OR total_pnl_usd != condor_pnl_usd)"
        try #require(try SQLiteProbe.count(h.dbPath, hedged, [night]) > 0, "the night's condor is hedged in its grid")
        // Without the night's VX curve the hedge decides no layer (a warning), so its grid must read as unhedged.
        let sources = try SQLiteProbe.rows(h.dbPath, "SELECT DISTINCT source FROM vix_futures WHERE trade_date = ?", [night])
        try h.database().transaction { tx in
            for s in sources { try tx.replaceVIXFutures(tradeDate: dates[1], source: s[0]!, rows: []) }
        }
        _ = try await h.run(dates, phases: .crossDateOnly)
        #expect(try SQLiteProbe.count(h.dbPath, "SELECT COUNT(*) FROM hedge_recommendations WHERE as_of = ?", [night]) == 0)
        #expect(try SQLiteProbe.count(h.dbPath, "SELECT COUNT(*) FROM scenarios WHERE as_of = ?", [night]) > 0)
        #expect(try SQLiteProbe.count(h.dbPath, hedged, [night]) == 0)
    }
}
