import Foundation
import Simulator
import Store
import Testing
import VixShieldCore
import VixShieldTestSupport
@testable import Pipeline

/// The optional `vix_chain` source: stored beside the SPX chain, priced into the hedge's VIX calls, never part of
/// the SPX surface; and real fills imported into the book.
@Suite("VIX option chain and fills in the nightly run")
struct VIXChainPipelineTests {
    static let dates = TradingCalendar.nyse.tradingDays(from: SharedMarket.from, through: SharedMarket.to)

    /// The e2e pipeline, with the VIX chain when asked, and an event layer (short-dated VIX calls) kept on by a
    /// long lead time and a budget that never blocks it.
    static func yaml(vixChain: String?) -> String {
        var yaml = pipelineYAML()
        if let vixChain {
            yaml = yaml.replacingOccurrences(of: "strategy:\n", with: """
                  - name: vix_chain
                    kind: cboe_options_json
                    url: "\(vixChain)"
                    required: false
                strategy:

                """)
        }
        return yaml + "\nhedge: {event_lead_days: 40, monthly_budget_usd: 10000000}\n"
    }

    static let withChain = yaml(vixChain: "file://{data_dir}/cboe/options/_VIX_{date}.json")

    func callLayers(_ h: Harness) throws -> [HedgeRecommendationRecord] {
        let db = try h.database()
        return try Self.dates.flatMap { try db.hedges(asOf: $0, underlying: "SPX") }.filter { $0.instrument == "VIX_CALL" && $0.active }
    }

    @Test("with the chain: VIX quotes stored under VIX, kept out of the SPX surface, and each VIX call bought at its quoted ask")
    func quotedCalls() async throws {
        let h = try Harness(yaml: Self.withChain)
        let report = try await h.run(Self.dates)
        #expect(report.status == .ok, "\(report.outcomes.compactMap(\.failure))")
        let db = try h.database()
        let day = Self.dates[0]
        let vix = try db.optionQuotes(asOf: day, underlying: "VIX")
        #expect(vix.count > 100 && vix.allSatisfy { $0.root == "VIX" && $0.settlement == "am" })
        #expect(try db.surfaceSlices(asOf: day, underlying: "VIX").isEmpty)
        #expect(try db.surfaceSlices(asOf: day, underlying: "SPX").allSatisfy { !$0.expiry.isEmpty })
        let calls = try callLayers(h)
        #expect(!calls.isEmpty, "no active VIX call layer over \(Self.dates)")
        for layer in calls {
            // `VIX C 25 2026-08-19`: the stored ask of that call on the night it switched on is what was paid.
            let parts = layer.contract.split(separator: " ")
            let strike = try #require(Double(parts[2])), expiry = String(parts[3])
            let since = try #require(layer.activeSince.flatMap(CalendarDate.init(iso:)))
            let quote = try #require(try db.optionQuotes(asOf: since, underlying: "VIX").first {
                $0.expiry == expiry && $0.optionType == "C" && $0.strike == strike
            }, "\(layer.contract) not in the stored chain of \(since)")
            #expect(layer.priceSource == "quote", "\(layer.rationale)")
            #expect(layer.premium == quote.ask, "\(layer.contract): paid \(String(describing: layer.premium)), ask \(String(describing: quote.ask))")
            #expect(layer.rationale.contains("quoted ask"), "\(layer.rationale)")
        }
    }

    @Test("without the chain (or with the optional source missing) the calls are model-priced and the run still trades")
    func modelCalls() async throws {
        for yaml in [Self.yaml(vixChain: nil), Self.yaml(vixChain: "file://{data_dir}/cboe/options/_NOPE_{date}.json")] {
            let h = try Harness(yaml: yaml)
            let report = try await h.run(Self.dates)
            #expect(report.status == .ok, "\(report.outcomes.compactMap(\.failure))")
            let db = try h.database()
            #expect(try db.recommendations(from: Self.dates[0], through: Self.dates[0]).contains { $0.status == "trade" })
            let calls = try callLayers(h)
            #expect(!calls.isEmpty)
            for layer in calls {
                #expect(layer.priceSource == "model" && layer.rationale.contains("model price: Black-76"), "\(layer.rationale)")
                #expect(layer.premium != nil)
            }
        }
    }

    @Test("the slippage added to a quoted VIX call's ask is a hedge setting, checked with its YAML key")
    func slippageSetting() throws {
        let config = try PipelineConfig.parse(yaml: Self.yaml(vixChain: nil).replacingOccurrences(of: "monthly_budget_usd: 10000000}", with: "monthly_budget_usd: 10000000, vix_call_slippage_points: 0.05}"),
                                              origin: "h.yaml", sha256: "x")
        #expect(config.hedge.vixCallSlippagePoints == 0.05)
        #expect {
            try PipelineConfig.parse(yaml: pipelineYAML() + "\nhedge: {vix_call_slippage_points: -1}\n", origin: "h.yaml", sha256: "x")
        } throws: { "\($0)" == "h.yaml: hedge.vix_call_slippage_points: must be in 0.0...10.0 (got -1.0)" }
    }

    // MARK: - Fills

    func write(_ text: String, _ name: String) throws -> String {
        let url = try TestPaths.temporaryDirectory("fills").appendingPathComponent(name)
        try Data(text.utf8).write(to: url)
        return url.path
    }

    @Test("an imported fill replaces the paper fill: the advice marks it at the fill's credit and size, source fill; re-import is idempotent")
    func importedFill() async throws {
        let h = try Harness(yaml: Self.withChain)
        _ = try await h.run(Self.dates)
        let db = try h.database()
        let first = Self.dates[0], second = Self.dates[1]
        let paper = try #require(try db.positionAdvice(asOf: second, underlying: "SPX").first { $0.openedAsOf == first.isoString })
        #expect(paper.source == "paper" && paper.fillId == nil)
        let r = try #require(try db.recommendations(from: first, through: first).first {
            $0.profile == paper.profile && $0.rank == paper.rank && $0.status == "trade"
        })
        let credit = try #require(r.credit) + 0.5
        let csv = """
            trade_date,profile,expiry,root,long_put,short_put,short_call,long_call,contracts,fill_credit_points,fill_id
            \(r.forDate),\(r.profile),\(r.expiry!),\(r.root!),\(r.longPut!),\(r.shortPut!),\(r.shortCall!),\(r.longCall!),3,\(credit),broker-1

            """
        let path = try write(csv, "good.csv")
        let importer = FillImporter(databasePath: h.dbPath)
        #expect(try importer.importFills(path: path) == 1)
        #expect(try importer.importFills(path: path) == 1)
        #expect(try SQLiteProbe.count(h.dbPath, "SELECT COUNT(*) FROM position_fills") == 1)

        _ = try await h.run(Array(Self.dates[1...]))
        let filled = try #require(try db.positionAdvice(asOf: second, underlying: "SPX").first { $0.openedAsOf == first.isoString && $0.profile == r.profile })
        #expect(filled.source == "fill" && filled.fillId == "broker-1")
        #expect(filled.entryCredit == credit && filled.contracts == 3)
        let debit = try #require(filled.closingDebit)
        let mark = try #require(filled.markPnlUsd)
        #expect(abs(mark - (credit - debit) * 100 * 3) < 0.02, "mark \(mark), credit \(credit), debit \(debit)")
        // The paper book's other condors are untouched.
        #expect(try db.positionAdvice(asOf: second, underlying: "SPX").filter { $0.openedAsOf != first.isoString || $0.profile != r.profile }
            .allSatisfy { $0.source == "paper" })
    }

    @Test("bad rows are each reported with their line and column, and nothing is imported")
    func badRows() throws {
        let h = try Harness(yaml: Self.withChain)
        _ = try h.database()  // migrated, empty
        let csv = """
            trade_date,profile,expiry,root,long_put,short_put,short_call,long_call,contracts,fill_credit_points
            2026-07-14,weekly,2026-07-24,SPXW,5900,5950,6300,6350,2,3.5
            2026-07-14,weekly,2026-07-24,SPXW,5960,5950,6300,6350,2,3.5
            2026-07-14,weekly,2026-07-24,SPXW,5900,5950,6300,6350,two,3.5
            2026-07-18,weekly,2026-07-24,SPXW,5900,5950,6300,6350,2,3.5
            2026-07-14,weekly,2026-07-24,XSP,5900,5950,6300,6350,2,3.5
            2026-07-14,weekly,2026-07-24,SPXW,5900,5950,6300,6350,2,75

            """
        let path = try write(csv, "bad.csv")
        #expect {
            try FillImporter(databasePath: h.dbPath).importFills(path: path)
        } throws: { error in
            guard case .badRows(let lines) = error as? FillImporter.ImportError else { return false }
            let expected = ["bad.csv:3: long_put: 5960.0 is not below the short put 5950.0",
                            "bad.csv:4: contracts: not a positive whole number: \"two\"",
                            "bad.csv:5: trade_date: 2026-07-18 is not an NYSE trading day",
                            "bad.csv:6: root: \"XSP\" is not one of SPX, SPXW",
                            "bad.csv:7: fill_credit_points: 75.0 is not inside (0, 50.0), the wider wing"]
            #expect(lines == expected)
            return true
        }
        #expect(try SQLiteProbe.count(h.dbPath, "SELECT COUNT(*) FROM position_fills") == 0)
    }
}
