import Foundation
import Testing
import VixShieldCore
import VixShieldTestSupport
@testable import Pipeline

/// Pipeline-level checks of issue 9's guarantees on the simulated market: reasons that say what happened,
/// a VX curve from another day refused, screened quotes flagged in storage.
@Suite("Real-chain truth in the nightly run")
struct RealChainTruthTests {
    let day = CalendarDate(iso: "2026-07-16")!

    func copyOfMarket(_ label: String) throws -> URL {
        let dir = try TestPaths.temporaryDirectory(label).appendingPathComponent("m")
        try FileManager.default.copyItem(at: try SharedMarket.url(), to: dir)
        return dir
    }

    @Test("a monthly profile whose monthly expiry is excluded says which expiry and why, not that none exists")
    func excludedExpiryReason() async throws {
        let dir = try copyOfMarket("excluded")
        let chain = dir.appendingPathComponent("cboe/options/_SPX_2026-07-16.json")
        var root = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: chain)) as? [String: Any])
        var data = try #require(root["data"] as? [String: Any])
        let options = try #require(data["options"] as? [[String: Any]])
        // Keep three quotes of the AM monthly of 2026-08-21: too few strikes to fit its slice.
        var kept = 0
        data["options"] = options.filter { o in
            guard (o["option"] as? String)?.hasPrefix("SPX260821") == true else { return true }
            kept += 1
            return kept <= 3
        }
        root["data"] = data
        try JSONSerialization.data(withJSONObject: root).write(to: chain)
        let h = try Harness(marketDir: dir)
        let report = try await h.run([day])
        #expect(report.outcomes[0].status == .ok)
        let row = try #require(try h.database().recommendations(from: day, through: day).first)
        #expect(row.status == "no_trade" && row.reasonCode == "expiry_excluded", "\(row.reason ?? "")")
        #expect(row.reason?.contains("SPX 2026-08-21 (too_few_strikes)") == true, "\(row.reason ?? "")")
        #expect(report.outcomes[0].diagnostics.contains { $0.diagnostic.message == "expiry SPX 2026-08-21 (too_few_strikes) excluded" })
    }

    @Test("a VX curve identical to another date's stored curve is refused: a missing input, retried by backfill")
    func copiedCurveRefused() async throws {
        let dir = try copyOfMarket("copied-curve")
        let previous = CalendarDate(iso: "2026-07-15")!
        try FileManager.default.removeItem(at: dir.appendingPathComponent("cfe/vx_curve/2026-07-16.csv"))
        try FileManager.default.copyItem(at: dir.appendingPathComponent("cfe/vx_curve/2026-07-15.csv"),
                                         to: dir.appendingPathComponent("cfe/vx_curve/2026-07-16.csv"))
        let h = try Harness(marketDir: dir)
        let report = try await h.run([previous, day])
        #expect(report.outcomes.map(\.status) == [.ok, .noTrade])
        #expect(report.outcomes[1].reason?.contains("identical to the one archived for 2026-07-15") == true, "\(report.outcomes[1].reason ?? "")")
        #expect(report.exitStatus == .inputMissing)
        #expect(try h.database().vixFutures(tradeDate: day).isEmpty)
    }

    @Test("a quote the arbitrage screen rejects is stored with the arbitrage_screen flag and keeps its row")
    func screenedQuotesStored() async throws {
        let dir = try copyOfMarket("screened")
        let chain = dir.appendingPathComponent("cboe/options/_SPX_2026-07-16.json")
        var root = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: chain)) as? [String: Any])
        var data = try #require(root["data"] as? [String: Any])
        var options = try #require(data["options"] as? [[String: Any]])
        // An out-of-the-money put of the 2026-08-21 weekly quoted at three times its neighbours' prices:
        // its interval cannot be reconciled with theirs (a put's price rises with the strike).
        let puts = options.indices.filter {
            let symbol = options[$0]["option"] as? String ?? ""
            return symbol.hasPrefix("SPXW260821P") && (options[$0]["bid"] as? Double ?? 0) > 5
        }.sorted { (options[$0]["option"] as! String) < (options[$1]["option"] as! String) }
        let victim = puts[puts.count / 3]
        let symbol = try #require(options[victim]["option"] as? String)
        let bid = try #require(options[victim]["bid"] as? Double), ask = try #require(options[victim]["ask"] as? Double)
        options[victim]["bid"] = bid * 3
        options[victim]["ask"] = ask * 3
        data["options"] = options
        root["data"] = data
        try JSONSerialization.data(withJSONObject: root).write(to: chain)
        let h = try Harness(marketDir: dir)
        _ = try await h.run([day])
        let screened = try SQLiteProbe.rows(h.dbPath, """
            SELECT symbol, flags FROM option_quotes WHERE as_of = ? AND flag_names LIKE '%arbitrage_screen%' ORDER BY symbol
            """, [day.isoString])
        #expect(screened.map { $0[0] }.contains(symbol), "\(symbol) not flagged; flagged: \(screened.map { $0[0] ?? "" })")
        #expect(screened.allSatisfy { Int($0[1] ?? "0")! & QuoteFlags.arbitrageScreen.rawValue != 0 })
        // The screen flags the culprit, not the chain: at most a handful of quotes beyond it.
        #expect(screened.count <= 5, "\(screened.count) quotes flagged")
        // The bad quote is kept (flagged, never dropped) and left out of the fit: its IV row is stored.
        #expect(try SQLiteProbe.count(h.dbPath, "SELECT COUNT(*) FROM option_quotes WHERE as_of = ? AND symbol = ?", [day.isoString, symbol]) == 1)
    }
}

@Suite("Parity signals in the nightly run")
struct ParitySignalTests {
    @Test("a call quoted far above put-call parity is recorded as a conversion beyond its costs; a clean chain records none there")
    func conversionRecorded() async throws {
        let day = CalendarDate(iso: "2026-07-16")!
        let clean = try Harness()
        _ = try await clean.run([day])
        let dir = try TestPaths.temporaryDirectory("parity").appendingPathComponent("m")
        try FileManager.default.copyItem(at: try SharedMarket.url(), to: dir)
        let chain = dir.appendingPathComponent("cboe/options/_SPX_2026-07-16.json")
        var root = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: chain)) as? [String: Any])
        var data = try #require(root["data"] as? [String: Any])
        var options = try #require(data["options"] as? [[String: Any]])
        let calls = options.indices.filter {
            (options[$0]["option"] as? String ?? "").hasPrefix("SPXW260821C") && (options[$0]["bid"] as? Double ?? 0) > 20
        }.sorted { (options[$0]["option"] as! String) < (options[$1]["option"] as! String) }
        let victim = calls[calls.count - 1]
        let symbol = try #require(options[victim]["option"] as? String)
        options[victim]["bid"] = (options[victim]["bid"] as! Double) + 25
        options[victim]["ask"] = (options[victim]["ask"] as! Double) + 25
        data["options"] = options
        root["data"] = data
        try JSONSerialization.data(withJSONObject: root).write(to: chain)
        let h = try Harness(marketDir: dir)
        _ = try await h.run([day])
        let strike = Double(symbol.suffix(8))! / 1000
        let found = try SQLiteProbe.rows(h.dbPath, "SELECT kind, strike_low, edge_points FROM parity_signals WHERE as_of = ? AND expiry = '2026-08-21'",
                                         [day.isoString])
        #expect(found.contains { $0[0] == "conversion" && Double($0[1]!) == strike && Double($0[2]!)! > 10 }, "\(symbol): \(found)")
        let before = try SQLiteProbe.rows(clean.dbPath, "SELECT kind, strike_low FROM parity_signals WHERE as_of = ? AND expiry = '2026-08-21'",
                                          [day.isoString])
        #expect(!before.contains { $0[0] == "conversion" && Double($0[1]!) == strike }, "\(before)")
    }
}
