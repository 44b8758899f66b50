import Foundation
import GRDB
import Testing
import VixShieldCore
import VixShieldTestSupport
@testable import Store

/// Migration 010's quote storage: what goes in comes back through the `option_quotes` view (vendor numbers
/// exactly, surface results to their stated resolution), keys are the same however a day is written, and
/// quotes the view could not give back are refused.
@Suite("Quote storage") struct QuoteStorageTests {
    static let day = CalendarDate(iso: "2026-07-17")!

    static func snapshot(_ underlying: String = "SPX", quoteSet: String = "eod", count: Int) -> ChainSnapshotRecord {
        ChainSnapshotRecord(asOf: day.isoString, underlying: underlying, quoteSet: quoteSet, capturedAt: "2026-07-17T16:15:00-04:00",
                            spot: 6300, quoteCount: count, flaggedCount: 0, gatePassed: true, gateReason: nil)
    }

    /// A seeded chain: several roots and expiries, both rights, prices with 0 to 7 decimals, vendor IVs and deltas
    /// with arbitrary binary fractions, missing fields, flag combinations and one duplicated contract (two seqs).
    static func randomChain(seed: UInt64, underlying: String = "SPX", count: Int = 400) -> [OptionQuoteRecord] {
        var rng = SplitMix64(seed: seed)
        func unit() -> Double { Double(rng.next() >> 11) / Double(1 << 53) }
        func price() -> Double? {
            if rng.next() % 10 == 0 { return nil }
            let decimals = Int(rng.next() % 8)
            let scale = pow(10, Double(decimals))
            return (unit() * 800 * scale).rounded() / scale
        }
        let expiries = ["2026-07-20", "2026-08-21", "2026-12-18", "2027-12-17"]
        var out: [OptionQuoteRecord] = []
        for seq in 1...count {
            let root = seq % 3 == 0 ? "SPX" : "SPXW"
            let expiry = expiries[Int(rng.next() % UInt64(expiries.count))]
            let right: OptionRight = rng.next() % 2 == 0 ? .call : .put
            let strikeMilli = (4_000 + Int(rng.next() % 600) * 5) * 1000 + (rng.next() % 7 == 0 ? 500 : 0)
            let contract = OptionContract(root: root, expiry: CalendarDate(iso: expiry)!, right: right, strikeMilli: strikeMilli)
            let flags = [0, 0, 0, 1, 4, 5, 64][Int(rng.next() % 7)]
            let names = ["", "", "", "crossed", "zero_bid", "crossed,zero_bid", "arbitrage_screen"][[0, 0, 0, 1, 4, 5, 64].firstIndex(of: flags)!]
            out.append(OptionQuoteRecord(
                asOf: day.isoString, underlying: underlying, quoteSet: "eod", seq: seq, symbol: contract.symbol, root: root,
                expiry: expiry, settlement: contract.settlement.rawValue, optionType: right.rawValue, strike: contract.strike,
                strikeMilli: strikeMilli, bid: price(), ask: price(), bidSize: Double(rng.next() % 500), askSize: Double(rng.next() % 500),
                last: price(), volume: rng.next() % 4 == 0 ? nil : Double(rng.next() % 10_000), openInterest: Double(rng.next() % 90_000),
                vendorIv: rng.next() % 5 == 0 ? nil : unit(), vendorDelta: (unit() * 2 - 1) * 0.999, flags: flags, flagNames: names))
        }
        // The same contract twice under two sequence numbers, as a vendor file with a repeated line gives it.
        var repeated = out[0]
        repeated.seq = count + 1
        out.append(repeated)
        return out
    }

    static func surfaceResults(for quotes: [OptionQuoteRecord], seed: UInt64) -> [OptionSurfaceResult] {
        var rng = SplitMix64(seed: seed)
        func unit() -> Double { Double(rng.next() >> 11) / Double(1 << 53) }
        return quotes.filter { _ in rng.next() % 4 != 0 }.map { q in
            OptionSurfaceResult(symbol: q.symbol, iv: 0.05 + unit() * 1.5, ivIssue: nil, surfaceIv: 0.05 + unit(),
                                delta: unit() * 2 - 1, gamma: unit() * 0.02, vegaPerVolPoint: unit() * 40,
                                thetaPerDay: -unit() * 60)
        }
    }

    @Test("seeded chains come back from the view exactly, surface results within their resolution")
    func roundTrip() throws {
        for seed: UInt64 in [1, 2, 3] {
            let db = try VixShieldDatabase(path: ":memory:")
            let quotes = Self.randomChain(seed: seed)
            let results = Self.surfaceResults(for: quotes, seed: seed ^ 0xABCD)
            try db.transaction { tx in
                try tx.replaceChain(Self.snapshot(count: quotes.count), quotes: quotes)
                try tx.replaceSurface(asOf: Self.day, underlying: "SPX", quoteSet: "eod", slices: [], summary: Self.summary, options: results)
            }
            #expect(try db.optionQuotes(asOf: Self.day, underlying: "SPX") == quotes.sorted { $0.seq < $1.seq })
            let stored = try db.optionSurfaceResults(asOf: Self.day, underlying: "SPX")
            var expected: [String: OptionSurfaceResult] = [:]
            for r in results { expected[r.symbol] = r }
            for s in stored {
                guard let e = expected[s.symbol] else {
                    #expect(s.iv == nil && s.delta == nil && s.thetaPerDay == nil, "\(s.symbol) had no result")
                    continue
                }
                #expect(abs(s.iv! - e.iv!) <= 0.5e-12 && abs(s.surfaceIv! - e.surfaceIv!) <= 0.5e-12, "\(s.symbol)")
                #expect(abs(s.delta! - e.delta!) <= 0.5e-9 && abs(s.gamma! - e.gamma!) <= 0.5e-11, "\(s.symbol)")
                #expect(abs(s.vegaPerVolPoint! - e.vegaPerVolPoint!) <= 0.5e-7 && abs(s.thetaPerDay! - e.thetaPerDay!) <= 0.5e-7)
            }
        }
    }

    @Test("a chain prepared and lined up with its surface before the transaction stores the same rows; columns of another chain are not used")
    func preparedBeforeTheTransaction() throws {
        func storedRows(_ db: VixShieldDatabase) throws -> [Row] {
            try db.read { db in try Row.fetchAll(db, sql: "SELECT * FROM quote_rows ORDER BY quote_id") }
                + (try db.read { db in try Row.fetchAll(db, sql: "SELECT * FROM quote_series ORDER BY series_id") })
                + (try db.read { db in try Row.fetchAll(db, sql: "SELECT * FROM quote_flag_sets ORDER BY flags") })
        }
        for seed: UInt64 in [4, 5] {
            let quotes = Self.randomChain(seed: seed)
            let results = Self.surfaceResults(for: quotes, seed: seed ^ 0x1234)
            let inside = try VixShieldDatabase(path: ":memory:")
            try inside.transaction { tx in
                try tx.replaceChain(Self.snapshot(count: quotes.count), quotes: quotes)
                try tx.replaceSurface(asOf: Self.day, underlying: "SPX", quoteSet: "eod", slices: [], summary: Self.summary, options: results)
            }
            let chain = try PreparedChain(snapshot: Self.snapshot(count: quotes.count), quotes: quotes)
            #expect(chain.isPartition(asOf: Self.day, underlying: "SPX", quoteSet: "eod"))
            #expect(!chain.isPartition(asOf: Self.day, underlying: "SPX", quoteSet: "1545"))
            // The prepared chain, with columns lined up before the transaction.
            func stored(aligned: SurfaceColumns) throws -> [Row] {
                let db = try VixShieldDatabase(path: ":memory:")
                try db.transaction { tx in
                    try tx.replaceChain(chain)
                    try tx.replaceSurface(asOf: Self.day, underlying: "SPX", quoteSet: "eod", slices: [], summary: Self.summary,
                                          options: results, aligned: aligned)
                }
                return try storedRows(db)
            }
            #expect(try stored(aligned: chain.surfaceColumns(results)) == storedRows(inside), "seed \(seed)")
            // Columns lined up with an equal chain prepared separately (another identity) are not trusted: the
            // results given are lined up again, so results that differ from those columns win.
            let other = try PreparedChain(snapshot: Self.snapshot(count: quotes.count), quotes: quotes)
            #expect(try stored(aligned: other.surfaceColumns([])) == storedRows(inside), "seed \(seed)")
        }
    }

    static let summary = SurfaceSummaryRecord(asOf: "2026-07-17", underlying: "SPX", valuationTime: "2026-07-17T16:00:00-04:00",
                                              spot: 6300, index30d: 15, index9d: 14, expiries: 0, fittedExpiries: 0, calendarViolations: 0)

    @Test("fixed point: exact when the scale gives the value back, the REAL itself otherwise")
    func fixedPointRules() {
        #expect(QuoteStorage.exact(12.35, scale: 1e4) == .integer(123_500))
        #expect(QuoteStorage.exact(0.05, scale: 1e4) == .integer(500))
        #expect(QuoteStorage.exact(12.345678, scale: 1e4) == .real(12.345678))
        #expect(QuoteStorage.exact(nil, scale: 1e4) == .null)
        #expect(QuoteStorage.exact(1e300, scale: 1e4) == .real(1e300))
        #expect(QuoteStorage.rounded(0.123456789012345, scale: 1e12) == .integer(123_456_789_012))
        #expect(QuoteStorage.rounded(-0.2345e-9, scale: 1e9) == .integer(0))
        #expect(QuoteStorage.rounded(1e300, scale: 1e9) == .real(1e300))
    }

    /// The base tables' bytes, for comparing two ways of writing the same day.
    static func baseTables(_ db: VixShieldDatabase) throws -> [[DatabaseValue]] {
        try db.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM quote_series ORDER BY series_id").map { Array($0.databaseValues) }
                + Row.fetchAll(db, sql: "SELECT * FROM quote_rows ORDER BY quote_id").map { Array($0.databaseValues) }
        }
    }

    @Test("a day's keys do not depend on history: rewriting a chain gives back its ids; another chain takes the next")
    func deterministicKeys() throws {
        let spx = Self.randomChain(seed: 7)
        let vix = Self.randomChain(seed: 8, underlying: "VIX", count: 50).map { q -> OptionQuoteRecord in
            var q = q
            q.root = "VIX"
            let contract = OptionContract(root: "VIX", expiry: CalendarDate(iso: q.expiry)!, right: OptionRight(rawValue: q.optionType)!,
                                          strikeMilli: q.strikeMilli)
            q.symbol = contract.symbol
            q.settlement = contract.settlement.rawValue
            return q
        }
        func write(_ db: VixShieldDatabase) throws {
            try db.transaction { tx in
                try tx.replaceChain(Self.snapshot(count: spx.count), quotes: spx)
                try tx.replaceChain(Self.snapshot("VIX", count: vix.count), quotes: vix)
            }
        }
        let once = try VixShieldDatabase(path: ":memory:")
        try write(once)
        let again = try VixShieldDatabase(path: ":memory:")
        try write(again)
        try write(again)
        // Only the SPX chain again, alone: its series take back the numbers they had.
        try again.transaction { tx in try tx.replaceChain(Self.snapshot(count: spx.count), quotes: spx) }
        #expect(try Self.baseTables(once) == Self.baseTables(again))

        let ids = try once.read { db in try Int64.fetchAll(db, sql: "SELECT series_id FROM quote_series ORDER BY underlying, root, expiry") }
        let first = Int64(Self.day.dayNumber) << 16
        #expect(ids.sorted() == Array(first..<(first + Int64(ids.count))), "the day's lowest numbers: \(ids)")
        let spxSeries = try once.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM quote_series WHERE underlying = 'SPX'") }!
        #expect(ids.prefix(spxSeries).allSatisfy { $0 < first + Int64(spxSeries) }, "SPX was written first and took 0..<\(spxSeries)")
    }

    @Test("quotes the view could not give back are refused in one line, and the stored chain stays")
    func refusals() throws {
        let db = try VixShieldDatabase(path: ":memory:")
        let good = Self.randomChain(seed: 11, count: 20)
        try db.transaction { tx in try tx.replaceChain(Self.snapshot(count: good.count), quotes: good) }

        var padded = good
        padded[3].symbol = "SPXW  " + padded[3].symbol.dropFirst(4)  // space-padded OCC: not the canonical form
        var wrongStrike = good
        wrongStrike[2].strike += 0.001
        var mixed = good
        if let i = mixed.firstIndex(where: { $0.root == mixed[0].root && $0.expiry == mixed[0].expiry && $0.seq != mixed[0].seq }) {
            mixed[i].settlement = mixed[0].settlement == "am" ? "pm" : "am"
        }
        var duplicate = good
        duplicate.append(good[5])
        var zeroStrike = good  // canonical, but the table's CHECK refuses it
        let zero = OptionContract(root: good[1].root, expiry: CalendarDate(iso: good[1].expiry)!, right: .call, strikeMilli: 0)
        zeroStrike[1].symbol = zero.symbol; zeroStrike[1].optionType = "C"; zeroStrike[1].strike = 0; zeroStrike[1].strikeMilli = 0
        for (bad, message) in [(padded, "is not the OCC form"), (wrongStrike, "is not the OCC form"), (mixed, "both AM and PM settlement"),
                               (duplicate, "sequence number \(good[5].seq) given twice"),
                               (zeroStrike, "CHECK constraint failed")] {
            #expect {
                try db.transaction { tx in try tx.replaceChain(Self.snapshot(count: bad.count), quotes: bad) }
            } throws: { error in
                let text = "\(error)"
                return text.contains(message) && !text.contains("\n")
            }
        }
        #expect(try db.optionQuotes(asOf: Self.day, underlying: "SPX") == good.sorted { $0.seq < $1.seq })
    }

    @Test("migration 010 converts the former table: every row and column comes back")
    func migrationFrom008() throws {
        let dir = try TestPaths.temporaryDirectory("quote-storage")
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("old.sqlite").path
        var sql = ""
        var applied: [String] = []
        for f in EmbeddedSchemas.files.sorted(by: { $0.path < $1.path }) where f.path < "schemas/009" {
            sql += f.text + "\n"
            applied.append(URL(fileURLWithPath: f.path).deletingPathExtension().lastPathComponent)
        }
        sql += "CREATE TABLE grdb_migrations (identifier TEXT NOT NULL PRIMARY KEY);\n"
        sql += applied.map { "INSERT INTO grdb_migrations VALUES ('\($0)');" }.joined(separator: "\n")
        try SQLiteProbe.execute(path, sql)

        let quotes = Self.randomChain(seed: 21, count: 120)
        let results = Self.surfaceResults(for: quotes, seed: 22)
        var bySymbol: [String: OptionSurfaceResult] = [:]
        for r in results { bySymbol[r.symbol] = r }
        let queue = try DatabaseQueue(path: path, configuration: SQLiteProbe.configuration(readonly: false))
        try queue.write { db in
            for q in quotes {
                let s = bySymbol[q.symbol]
                try db.execute(sql: """
                    INSERT INTO option_quotes VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """, arguments: [q.asOf, q.underlying, q.quoteSet, q.seq, q.symbol, q.root, q.expiry, q.settlement, q.optionType,
                                     q.strike, q.strikeMilli, q.bid, q.ask, q.bidSize, q.askSize, q.last, q.volume, q.openInterest,
                                     q.vendorIv, q.vendorDelta, q.flags, q.flagNames, s?.iv, s?.ivIssue, s?.surfaceIv, s?.delta,
                                     s?.gamma, s?.vegaPerVolPoint, s?.thetaPerDay])
            }
        }
        try queue.close()

        let db = try VixShieldDatabase(path: path)
        #expect(try db.appliedMigrations() == VixShieldDatabase.migrationIdentifiers)
        #expect(try db.optionQuotes(asOf: Self.day, underlying: "SPX") == quotes.sorted { $0.seq < $1.seq })
        for s in try db.optionSurfaceResults(asOf: Self.day, underlying: "SPX") {
            let e = bySymbol[s.symbol]
            #expect(s.iv.map { abs($0 - e!.iv!) <= 0.5e-12 } ?? (e == nil), "\(s.symbol)")
            #expect(s.gamma.map { abs($0 - e!.gamma!) <= 0.5e-11 } ?? (e == nil), "\(s.symbol)")
        }
        // Written again by this binary, the converted day is the same rows.
        let fresh = try VixShieldDatabase(path: ":memory:")
        try fresh.transaction { tx in
            try tx.replaceChain(Self.snapshot(count: quotes.count), quotes: quotes)
            try tx.replaceSurface(asOf: Self.day, underlying: "SPX", quoteSet: "eod", slices: [], summary: Self.summary, options: results)
        }
        #expect(try Self.baseTables(db) == Self.baseTables(fresh))
    }
}
