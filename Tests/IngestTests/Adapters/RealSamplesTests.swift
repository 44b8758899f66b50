import Foundation
import Testing
import VixShieldTestSupport
import VixShieldCore
@testable import Ingest

/// The real vendor files in the shared data folder (see its README for origins) load completely.
/// Skipped when the folder is absent (a user's checkout has none).
@Suite(.enabled(if: AdapterTestPaths.hasShared, "shared real-data folder absent"))
struct RealSamplesTests {
    static func load(_ kind: SourceKind, _ relative: String, asOf: CalendarDate? = nil,
                     options: [String: String] = [:]) throws -> ParseOutcome {
        let url = AdapterTestPaths.sharedData(relative)
        let data = try Data(contentsOf: url)
        return try Adapters.parse(kind, data: data, context: AdapterContext(sourceName: url.lastPathComponent, asOf: asOf, options: options))
    }

    static func perContractFiles() throws -> [URL] {
        let root = AdapterTestPaths.sharedData("vx_futures/cfe_per_contract")
        var out: [URL] = []
        for folder in try FileManager.default.contentsOfDirectory(atPath: root.path).sorted() {
            let dir = root.appendingPathComponent(folder)
            for name in try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted() where name.hasSuffix(".csv") {
                out.append(dir.appendingPathComponent(name))
            }
        }
        return out
    }

    @Test func all146PerContractVXFilesLoad() throws {
        let files = try Self.perContractFiles()
        #expect(files.count == 146)
        var rows = 0
        for url in files {
            let outcome = try Adapters.parse(.cfeVXHistory, data: try Data(contentsOf: url),
                                             context: AdapterContext(sourceName: url.lastPathComponent))
            let futures = outcome.futures
            rows += futures.count
            // The diagnostics these files earn: zero settles on no-trade days, an empty not-yet-listed
            // contract, and two 1.00 placeholder settles on 2008-04-21 (F09, G09).
            let unexpected = outcome.diagnostics.filter {
                !$0.message.hasPrefix("zero settle") && !$0.message.hasPrefix("header only")
                    && !($0.message.hasPrefix("Settle: implausible 1.0 ") && ["CFE_F09_VX.csv:3", "CFE_G09_VX.csv:45"].contains($0.location))
            }
            #expect(unexpected.isEmpty, "\(url.lastPathComponent): \(unexpected.prefix(3))")
            if futures.isEmpty {
                #expect(outcome.diagnostics.map(\.message) == ["header only: no data rows"], "\(url.lastPathComponent)")
                continue
            }
            #expect(Set(futures.map(\.symbol)).count == 1, "\(url.lastPathComponent): several contracts")
            // The contract in the file name (CFE_F14_VX.csv) is the one the rows name.
            let stem = url.deletingPathExtension().lastPathComponent.split(separator: "_")[1]
            let code = stem.first!, yy = Int(stem.dropFirst())!
            let expected = VXContracts.Symbol(monthlyYear: 2000 + yy, month: VXContracts.month(forCode: code)!)
            #expect(futures.first?.symbol == expected.text && futures.first?.expiry == expected.expiry, "\(url.lastPathComponent)")
            // Rescaled prices are VIX-like, on both sides of 2007-03-26.
            for f in futures { #expect((8...90).contains(f.settle), "\(url.lastPathComponent) \(f.tradeDate): settle \(f.settle)") }
            // A file that reaches its expiry ends on the derived final settlement date.
            if let last = futures.last, last.expiry <= CalendarDate(iso: "2020-08-21")! {
                #expect(last.tradeDate == last.expiry, "\(url.lastPathComponent): last row \(last.tradeDate), derived expiry \(last.expiry)")
            }
        }
        #expect(rows > 20_000, "only \(rows) rows")
    }

    @Test func knownPerContractValues() throws {
        // First row of CFE_F05_VX.csv: settle 167 in the pre-2007 ×10 quotation.
        let f05 = try Self.load(.cfeVXHistory, "vx_futures/cfe_per_contract/Data-LATEST-VX/CFE_F05_VX.csv").futures
        #expect(f05.first == VIXFutureSettlement(tradeDate: CalendarDate(iso: "2004-10-21")!, symbol: "VX/F5",
                                                 expiry: CalendarDate(iso: "2005-01-19")!, settle: 16.7, isWeekly: false))
        // Last row of the indexed CFE_F18_VX.csv.
        let f18 = try Self.load(.cfeVXHistory, "vx_futures/cfe_per_contract/Data-RAW-VX_problemsIndexed/CFE_F18_VX.csv").futures
        #expect(f18.last?.settle == 12.61 && f18.last?.tradeDate == CalendarDate(iso: "2018-01-17")!)
    }

    @Test(arguments: ["2026-07-14", "2026-07-16", "2026-07-17", "2026-07-22", "2026-07-23"])
    func curveFilesLoadAndTheirExpiriesMatchTheRule(date: String) throws {
        let asOf = CalendarDate(iso: date)!
        let outcome = try Self.load(.cfeVXCurve, "vx_futures/vx_curve_settle_\(date).csv", asOf: asOf)
        // A disagreement with the derived expiry would show up as a warning; the only diagnostics are
        // the weeklies Cboe filled with a monthly's value.
        #expect(outcome.diagnostics.allSatisfy { $0.severity == .info && $0.message.contains("carried from the monthly") },
                "\(outcome.diagnostics)")
        #expect(!outcome.diagnostics.isEmpty)
        #expect(outcome.futures.count >= 10)
        #expect(outcome.futures.contains { $0.isWeekly } && outcome.futures.contains { !$0.isWeekly })
        #expect(outcome.futures.allSatisfy { $0.tradeDate == asOf && $0.expiry >= asOf && $0.settle > 5 })
    }

    /// vx_term_structure_M1-M8_expirations_2004-2017.csv lists each day's M1..M8 expiries. Every date
    /// in it must be a derived monthly expiry, except eleven listed here so a new disagreement still
    /// fails: four 2017 Thursdays that contradict Cboe (VX May-2017 settled Wednesday 2017-05-17, not
    /// 2017-05-18) and seven 2004-2005 dates that contradict the CFE rule the per-contract files
    /// confirm from January 2005 (CFE_F05_VX.csv ends on its derived expiry 2005-01-19).
    @Test func termStructureExpirationsMatchTheRule() throws {
        let url = AdapterTestPaths.sharedData("vx_futures/vx_term_structure_M1-M8_expirations_2004-2017.csv")
        let table = try CSVTable(data: try Data(contentsOf: url), source: url.lastPathComponent)
        var listed = Set<CalendarDate>()
        for row in table.rows { for f in row.fields.dropFirst(2) { if let d = CalendarDate(iso: f) { listed.insert(d) } } }
        var derived = Set<CalendarDate>()
        for y in 2004...2018 { for m in 1...12 { derived.insert(VXContracts.monthlyExpiry(year: y, month: m)) } }
        let knownBad: Set<CalendarDate> = Set(["2004-04-19", "2004-12-20", "2005-04-18", "2005-07-18", "2005-09-19",
                                               "2004-07-14", "2004-10-13", "2017-04-20", "2017-05-11", "2017-05-18", "2017-06-15"].map { CalendarDate(iso: $0)! })
        let mismatched = listed.subtracting(derived)
        #expect(listed.count == 165)
        #expect(mismatched == knownBad, "unexpected: \(mismatched.subtracting(knownBad).sorted()), now matching: \(knownBad.subtracting(mismatched).sorted())")
    }

    @Test func vixHistorySince1990() throws {
        let bars = try Self.load(.cboeIndexHistory, "vix_indices/VIX_History.csv").bars
        #expect(bars.count == 9234)
        #expect(bars.first == IndexBar(symbol: "VIX", date: CalendarDate(iso: "1990-01-02")!, open: 17.24, high: 17.24, low: 17.24, close: 17.24))
        #expect(bars.last?.date == CalendarDate(iso: "2026-07-22")! && bars.last?.close == 16.64)
    }

    @Test(arguments: [("VIX3M_History.csv", "VIX3M", "2009-09-18"), ("VIX9D_History.csv", "VIX9D", "2011-01-04"),
                      ("VVIX_History.csv", "VVIX", "2006-03-06"), ("SKEW_History.csv", "SKEW", "1990-01-02")])
    func otherCboeIndexHistories(file: String, symbol: String, firstDate: String) throws {
        let outcome = try Self.load(.cboeIndexHistory, "vix_indices/\(file)")
        let lines = try String(contentsOf: AdapterTestPaths.sharedData("vix_indices/\(file)"), encoding: .utf8)
            .split(whereSeparator: \.isNewline).count
        #expect(outcome.bars.count == lines - 1 && outcome.diagnostics.isEmpty, "\(outcome.diagnostics.prefix(3))")
        #expect(outcome.bars.first?.symbol == symbol && outcome.bars.first?.date == CalendarDate(iso: firstDate)!)
        #expect(outcome.bars.last?.date == CalendarDate(iso: "2026-07-22")!)
    }

    @Test func yahooFiles() throws {
        let vix = try Self.load(.ohlcCSV, "vix_indices/VIX_yahoo_2004-2020.csv", options: ["symbol": "VIX"])
        #expect(vix.bars.count == 4189 && vix.diagnostics.isEmpty)
        #expect(vix.bars.first?.close == 18.219999313354492)
        let gspc = try Self.load(.ohlcCSV, "spx/GSPC_yahoo_2005-2020.csv", options: ["symbol": "SPX"])
        #expect(gspc.bars.count == 3937 && gspc.bars.last?.close == 3397.159912109375)
        let spx = try Self.load(.ohlcCSV, "spx/SPX_ohlc_2025-10-10_to_2026-10-09.csv")
        #expect(spx.bars.count == 251 && spx.bars.first?.symbol == "SPX")
        #expect(spx.bars.first?.open == 6740.4902 && spx.bars.first?.close == 6552.5098)
    }
}

/// The real SPY chain of 2026-07-14 (Cboe quotes reshaped by another project, so read here by a test
/// helper, not an adapter) through the normalization flags and the quality gate.
@Suite(.enabled(if: AdapterTestPaths.hasShared, "shared real-data folder absent"))
struct RealChainQualityTests {
    static func spyChain() throws -> OptionChainSnapshot {
        let url = AdapterTestPaths.sharedData("options/spy_chain_2026-07-14_cboe-derived.json")
        let root = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
        let records = try #require(root["quotes"] as? [[String: Any]])
        let quotes = try records.map { r -> OptionQuote in
            let symbol = try #require(r["symbol"] as? String)
            let contract = try #require(OptionContract(symbol: symbol))
            func number(_ key: String) -> Double { (r[key] as? NSNumber)?.doubleValue ?? .nan }
            // The reshaped file dropped sizes; 1 × 1 stands in so only real gaps are flagged.
            return OptionQuote(contract: contract, bid: number("bid"), ask: number("ask"), bidSize: 1, askSize: 1,
                               volume: number("volume"), openInterest: number("openInterest"))
        }
        return OptionChainSnapshot(underlying: "SPY", session: CalendarDate(iso: "2026-07-14")!,
                                   capturedAt: "2026-07-14T15:56:03-04:00", spot: 752.06, quotes: quotes)
    }

    @Test func realChainPassesTheGateWithFewFlags() throws {
        let session = CalendarDate(iso: "2026-07-14")!
        let (chain, diagnostics) = QuoteQuality.normalize(try Self.spyChain(), session: session, source: "spy")
        #expect(chain.quotes.count == 10386)
        var counts: [String: Int] = [:]
        for q in chain.quotes { for name in q.flags.names { counts[name, default: 0] += 1 } }
        // Counted independently with Python's json module: 30 records have "bid": null, 804 a bid of 0
        // (433 of them with no offer either), and one (SPY260724C00750000) is locked at 7.88 / 7.88.
        #expect(counts == ["missing_field": 30, "zero_bid": 804, "locked": 1], "\(counts)")
        #expect(counts["duplicate"] == nil && counts["expired"] == nil && counts["stale_session"] == nil, "\(counts)")
        #expect(diagnostics.count == chain.quotes.filter { !$0.flags.isEmpty }.count)
        #expect(QuoteQuality.gate(chain, session: session) == .pass)
        let best = QuoteQuality.bestTwoSidedStrikeCount(chain, session: session, dteWindowDays: 7...60)
        #expect(best.count >= 100, "best expiry \(String(describing: best.expiry)): \(best.count)")
        // The same chain judged as the next day's fails on the session alone.
        #expect(QuoteQuality.gate(QuoteQuality.normalize(chain, session: session.adding(days: 1), source: "spy").snapshot,
                                  session: session.adding(days: 1))
                != .pass)
    }
}
