import Foundation
import Simulator
import Store
import Testing
import VixShieldCore
import VixShieldTestSupport
@testable import Pipeline

@Suite("Backfill from historical chain files")
struct HistoryFilesTests {
    let from = CalendarDate(iso: "2026-07-14")!
    let to = CalendarDate(iso: "2026-07-16")!

    @Test("the history-files pipeline backfills a folder of DataShop EOD files with the quotes the Cboe JSON carries")
    func dataShopFolder() async throws {
        // The same seeded market twice: once as DataShop EOD CSVs, once as the Cboe JSON snapshots.
        let csvDir = try TestPaths.temporaryDirectory("datashop-market")
        let jsonDir = try TestPaths.temporaryDirectory("json-market")
        let simulator = MarketSimulator(config: .compact(seed: 7))
        try await offPool {
            _ = try simulator.write(from: from, to: to, into: csvDir, chainFormat: .dataShopEOD)
            _ = try simulator.write(from: from, to: to, into: jsonDir)
        }
        let days = TradingCalendar.nyse.tradingDays(from: from, through: to)
        for d in days {
            #expect(FileManager.default.fileExists(atPath: csvDir.appendingPathComponent("datashop/UnderlyingOptionsEODCalcs_\(d.isoString).csv").path))
        }

        var h = try Harness(marketDir: csvDir)
        let config = try PipelineLoader.load("history-files")
        h.yaml = try #require(EmbeddedResources.files.first { $0.path == "pipelines/history-files.yaml" }?.text)
        #expect(config.sources.first?.kind == "cboe_datashop_eod")
        let report = try await h.run(days, jobs: 2)
        #expect(report.outcomes.map(\.date) == days)
        for o in report.outcomes { #expect(o.status != .failed, "\(o.date): \(o.reason ?? "")") }

        // Both DataShop quote sets are stored; the closing set is the one the surface is fitted on.
        let sets = try SQLiteProbe.rows(h.dbPath, "SELECT as_of, quote_set FROM chain_snapshots ORDER BY as_of, quote_set")
        #expect(sets.map { "\($0[0]!) \($0[1]!)" } == days.flatMap { ["\($0) 1545", "\($0) eod"] }, "\(sets)")
        #expect(try SQLiteProbe.count(h.dbPath, "SELECT COUNT(*) FROM surface_slices WHERE as_of = ?", [to.isoString]) > 3)
        #expect(try SQLiteProbe.count(h.dbPath, "SELECT COUNT(*) FROM recommendations WHERE as_of = ?", [to.isoString]) >= 3)

        // Every closing quote equals the one the Cboe JSON snapshot of the same market carries.
        var j = try Harness(marketDir: jsonDir)
        j.yaml = h.yaml.replacingOccurrences(of: "kind: cboe_datashop_eod\n    url: \"file://{data_dir}/datashop/UnderlyingOptionsEODCalcs_{date}.csv\"",
                                             with: "kind: cboe_options_json\n    url: \"file://{data_dir}/cboe/options/_SPX_{date}.json\"")
        #expect(j.yaml != h.yaml)
        _ = try await j.run([to])
        let query = "SELECT symbol, bid, ask, open_interest FROM option_quotes WHERE as_of = ? AND quote_set = 'eod' ORDER BY symbol, seq"
        let fromCSV = try SQLiteProbe.rows(h.dbPath, query, [to.isoString])
        let fromJSON = try SQLiteProbe.rows(j.dbPath, query, [to.isoString])
        #expect(fromCSV.count > 100 && fromCSV == fromJSON, "\(fromCSV.count) DataShop rows, \(fromJSON.count) JSON rows")
    }
}
