import Foundation
import GRDB
import Testing
import VixShieldCore
import VixShieldTestSupport
@testable import Store

@Suite("Store")
struct StoreTests {
    @Test("embedded schemas are exactly the files in schemas/")
    func embeddedSchemasMatchFiles() throws {
        let dir = TestPaths.packageRoot.appendingPathComponent("schemas")
        let files = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasSuffix(".sql") }.sorted()
        #expect(files.map { "schemas/\($0)" } == EmbeddedSchemas.files.map(\.path).sorted(),
                "run scripts/embed-resources")
        for f in EmbeddedSchemas.files {
            let onDisk = try String(contentsOf: TestPaths.packageRoot.appendingPathComponent(f.path), encoding: .utf8)
            #expect(onDisk == f.text + "\n", "\(f.path) differs from its embedded copy: run scripts/embed-resources")
        }
    }

    @Test("migrated schema matches the golden file")
    func schemaGolden() throws {
        let db = try VixShieldDatabase(path: ":memory:")
        let outcome = try Golden.check(try db.schemaSQL(), name: "schema.sql")
        #expect(outcome == .matches, "schema golden: \(outcome)")
    }

    @Test("a file database uses WAL, and reopening applies no migration twice")
    func walAndReopen() throws {
        let dir = try TestPaths.temporaryDirectory("store")
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("nested/v.sqlite").path
        let first = try VixShieldDatabase(path: path)
        let mode = try first.queue.read { db in try String.fetchOne(db, sql: "PRAGMA journal_mode") }
        #expect(mode == "wal")
        let applied = try first.appliedMigrations()
        #expect(applied == EmbeddedSchemas.files.map { URL(fileURLWithPath: $0.path).deletingPathExtension().lastPathComponent }.sorted())
        let second = try VixShieldDatabase(path: path)
        #expect(try second.appliedMigrations() == applied)
    }

    @Test("the recommendations table enforces its contract")
    func recommendationConstraints() throws {
        let db = try VixShieldDatabase(path: ":memory:")
        var good = RecommendationRecord(asOf: "2026-07-17", forDate: "2026-07-20", underlying: "SPX", profile: "p", rank: 1,
                                        status: "trade", reason: nil, rationale: "r", runId: 1)
        good.expiry = "2026-08-21"; good.longPut = 6000; good.shortPut = 6100; good.shortCall = 6500; good.longCall = 6600
        good.credit = 20; good.maxLoss = 80; good.contracts = 2
        try db.transaction { tx in try tx.replaceRecommendations(asOf: "2026-07-17", underlying: "SPX", rows: [good], hedges: []) }

        var inverted = good
        inverted.shortPut = 6700  // short put above the short call: not a condor
        #expect(throws: (any Error).self) {
            try db.transaction { tx in try tx.replaceRecommendations(asOf: "2026-07-17", underlying: "SPX", rows: [inverted], hedges: []) }
        }
        var noReason = RecommendationRecord(asOf: "2026-07-17", forDate: "2026-07-20", underlying: "SPX", profile: "p", rank: 1,
                                            status: "no_trade", reason: nil, rationale: "r", runId: 1)
        #expect(throws: (any Error).self) {
            try db.transaction { tx in try tx.replaceRecommendations(asOf: "2026-07-17", underlying: "SPX", rows: [noReason], hedges: []) }
        }
        noReason.status = "maybe"
        #expect(throws: (any Error).self) {
            try db.transaction { tx in try tx.replaceRecommendations(asOf: "2026-07-17", underlying: "SPX", rows: [noReason], hedges: []) }
        }
        // The failed transactions left the good row alone.
        #expect(try db.recommendations(from: "2026-07-17", to: "2026-07-17") == [good])
    }

    @Test("replacing a partition twice leaves one copy")
    func partitionReplaceIsIdempotent() throws {
        let db = try VixShieldDatabase(path: ":memory:")
        let snapshot = ChainSnapshotRecord(asOf: "2026-07-17", underlying: "SPX", quoteSet: "eod", capturedAt: "x", spot: 6300,
                                           quoteCount: 1, flaggedCount: 0, gatePassed: true, gateReason: nil)
        let quote = OptionQuoteRecord(asOf: "2026-07-17", underlying: "SPX", quoteSet: "eod", seq: 1, symbol: "SPXW260821C06300000",
                                      root: "SPXW", expiry: "2026-08-21", settlement: "pm", optionType: "C", strike: 6300,
                                      strikeMilli: 6_300_000, bid: 10, ask: 11, bidSize: 1, askSize: 1, last: nil, volume: 0,
                                      openInterest: 5, vendorIv: 0.15, vendorDelta: 0.5, flags: 0, flagNames: "")
        for _ in 0..<2 { try db.transaction { tx in try tx.replaceChain(snapshot, quotes: [quote]) } }
        #expect(try db.tableCounts()["option_quotes"] == 1)
        let stored = try db.queue.read { db in try OptionQuoteRecord.fetchAll(db, sql: "SELECT * FROM option_quotes") }
        #expect(stored == [quote])
        #expect(try db.tableCounts()["chain_snapshots"] == 1)
    }

    @Test("the archive stores identical bytes once and returns the newest payload")
    func archiveDeduplicates() throws {
        let db = try VixShieldDatabase(path: ":memory:")
        func payload(_ sha: String, _ at: String) -> RawPayloadRecord {
            RawPayloadRecord(source: "s", kind: "k", url: "file:///x", asOf: "2026-07-17", fetchedAt: at, httpStatus: 200,
                             byteCount: 3, sha256: String(repeating: sha, count: 64), body: Data([1, 2, 3]), runId: nil)
        }
        #expect(try db.archive(payload("a", "2026-07-17T22:00:00Z")).inserted)
        #expect(try !db.archive(payload("a", "2026-07-17T23:00:00Z")).inserted)
        #expect(try db.archive(payload("b", "2026-07-18T01:00:00Z")).inserted)
        #expect(try db.latestPayload(source: "s", asOf: "2026-07-17")?.sha256.first == "b")
        #expect(try db.latestPayload(source: "s", asOf: "2026-07-16") == nil)
        #expect(throws: (any Error).self) { try db.archive(payload("c", "t").with { $0.sha256 = "short" }) }
    }

    @Test("the run ledger records start, end and diagnostics")
    func ledger() throws {
        let db = try VixShieldDatabase(path: ":memory:")
        let id = try db.beginRun(RunRecord(command: "run", asOfFrom: "2026-07-17", asOfTo: "2026-07-17", pipelineName: "sample",
                                           pipelineSha256: nil, version: "0", offline: false, startedAt: "t0"))
        try db.finishRun(id: id, status: "ok", finishedAt: "t1", countsJSON: "{}", error: nil,
                         diagnostics: [("2026-07-17", "ingest", Diagnostic(.warning, "vx_curve", "slow"))])
        let run = try #require(try db.runs().first)
        #expect(run.runId == id && run.status == "ok" && run.finishedAt == "t1")
        #expect(try db.diagnostics(runId: id).map(\.message) == ["slow"])
    }
}

extension RawPayloadRecord {
    func with(_ change: (inout RawPayloadRecord) -> Void) -> RawPayloadRecord { var c = self; change(&c); return c }
}
