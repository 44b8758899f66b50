import Foundation
import Logging
import Store
import Testing
import VixShieldCore
import VixShieldTestSupport
@testable import Pipeline

@Suite("History loads")
struct HistoryLoaderTests {
    static let logger = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })

    func load(_ db: String, _ request: HistoryLoader.Request, _ inputs: [String]) async throws -> [HistoryLoader.FileOutcome] {
        try await offPool { try HistoryLoader(databasePath: db, logger: Self.logger).load(request, inputs: inputs) }
    }

    @Test("simulated history files load once, idempotently; a bad file fails alone and writes nothing")
    func simulatedHistory() async throws {
        let market = try SharedMarket.url()
        let dir = try TestPaths.temporaryDirectory("history")
        let db = dir.appendingPathComponent("h.sqlite").path
        let perContract = try FileManager.default.contentsOfDirectory(atPath: market.appendingPathComponent("cfe/per_contract").path)
            .sorted().map { market.appendingPathComponent("cfe/per_contract/\($0)").path }
        #expect(perContract.count >= 6)
        let bad = dir.appendingPathComponent("CFE_BAD_VX.csv")
        try "Trade Date,Futures,Open\n2026-07-01,N (Jul 2026),x\n".write(to: bad, atomically: true, encoding: .utf8)

        let first = try await load(db, .init(kind: "cfe_vx_history"), perContract + [bad.path])
        #expect(first.dropLast().allSatisfy { $0.error == nil && ($0.rows["vix_futures"] ?? 0) > 0 })
        let badOutcome = try #require(first.last)
        #expect(badOutcome.error?.hasPrefix("\(bad.path): ") == true && badOutcome.error?.contains("\n") == false, "\(badOutcome.error ?? "")")
        _ = try await load(db, .init(kind: "cboe_index_history", options: ["symbol": "VIX"]),
                           [market.appendingPathComponent("cboe/index/VIX_History.csv").path])
        _ = try await load(db, .init(kind: "breadth_csv", options: ["universe": "SIM"]),
                           [market.appendingPathComponent("breadth/advance_decline.csv").path])
        _ = try await load(db, .init(kind: "fred_csv"), ["file://" + market.appendingPathComponent("rates/DGS3MO.csv").path])

        let database = try VixShieldDatabase(path: db)
        let counts = try database.tableCounts()
        let tables = ["vix_futures", "index_history", "breadth", "rates"]
        let fingerprint = try tables.map { try database.dump(table: $0) }
        #expect(tables.allSatisfy { (counts[$0] ?? 0) > 0 }, "\(counts)")
        // Loading the same files again changes nothing: same rows, no new archive entries.
        _ = try await load(db, .init(kind: "cfe_vx_history"), perContract)
        _ = try await load(db, .init(kind: "cboe_index_history", options: ["symbol": "VIX"]),
                           [market.appendingPathComponent("cboe/index/VIX_History.csv").path])
        #expect(try tables.map { try database.dump(table: $0) } == fingerprint)
        #expect(try database.tableCounts()["raw_payloads"] == counts["raw_payloads"])
    }

    @Test("an unknown kind is a one-line error")
    func unknownKind() async throws {
        let dir = try TestPaths.temporaryDirectory("history-kind")
        await #expect(throws: PipelineError.self) {
            _ = try await load(dir.appendingPathComponent("h.sqlite").path, .init(kind: "bloomberg"), ["/dev/null"])
        }
    }

    @Test("the real VX per-contract files and the VIX history since 1990 load", .enabled(if: TestPaths.shared != nil))
    func realHistory() async throws {
        let shared = try #require(TestPaths.shared)
        let root = shared.appendingPathComponent("data/vx_futures/cfe_per_contract")
        var files: [String] = []
        for folder in try FileManager.default.contentsOfDirectory(atPath: root.path).sorted() {
            files += try FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent(folder).path)
                .filter { $0.hasSuffix(".csv") }.sorted().map { root.appendingPathComponent("\(folder)/\($0)").path }
        }
        #expect(files.count == 146)
        let db = try TestPaths.temporaryDirectory("history-real").appendingPathComponent("h.sqlite").path
        let vx = try await load(db, .init(kind: "cfe_vx_history"), files)
        #expect(vx.allSatisfy { $0.error == nil }, "\(vx.compactMap(\.error))")
        let vix = try await load(db, .init(kind: "cboe_index_history", options: ["symbol": "VIX"]),
                                 [shared.appendingPathComponent("data/vix_indices/VIX_History.csv").path])
        #expect(vix.first?.rows["index_history"] == 9234)
        let database = try VixShieldDatabase(path: db)
        let first = try #require(try database.indexHistory(symbol: "VIX", through: CalendarDate(iso: "1990-01-31")!).first)
        #expect(first.date == "1990-01-02" && first.close == 17.24)
        #expect((try database.tableCounts()["vix_futures"] ?? 0) > 15_000)
    }
}
