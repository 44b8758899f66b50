import Foundation
import VixShieldTestSupport
import Testing
import VixShieldCore
@testable import Ingest

/// Each format on a small hand-made fixture (`Fixtures/Good`) whose every value is known.
@Suite struct AdapterFormatTests {
    static func parse(_ kind: SourceKind, _ name: String, asOf: String? = nil,
                      options: [String: String] = [:]) throws -> ParseOutcome {
        let url = AdapterTestPaths.fixtures.appendingPathComponent("Good").appendingPathComponent(name)
        return try Adapters.parse(kind, data: try Data(contentsOf: url),
                                  context: AdapterContext(sourceName: name, asOf: asOf.flatMap { CalendarDate(iso: $0) }, options: options))
    }

    static func contract(_ s: String) -> OptionContract { OptionContract(symbol: s)! }

    @Test func cboeJSONTakesTheSessionFromTheUnderlyingAndFlagsRows() throws {
        let outcome = try Self.parse(.cboeOptionsJSON, "cboe_spx_small.json")
        let chain = try #require(outcome.chains.first)
        #expect(outcome.chains.count == 1)
        #expect(chain.session == CalendarDate(iso: "2026-07-14")!)   // not the 2026-07-15 capture timestamp
        #expect(chain.capturedAt == "2026-07-15 03:56:30" && chain.underlying == "^SPX" && chain.spot == 6243.76)
        #expect(chain.quotes.count == 6)
        let first = chain.quotes[0]
        #expect(first == OptionQuote(contract: Self.contract("SPXW260821C06200000"), bid: 95.1, ask: 96.3, bidSize: 10, askSize: 12,
                                     last: 5.1, volume: 56, openInterest: 1234, vendorIV: 0.1432, vendorDelta: 0.5612))
        // iv 0 means not computed: no IV and no delta; a null last_trade_time means no last price.
        #expect(chain.quotes[3].vendorIV == nil && chain.quotes[3].vendorDelta == nil && chain.quotes[2].last == nil)
        #expect(chain.quotes.map { $0.flags.names.joined(separator: "+") } == ["", "", "", "zero_bid", "crossed", "duplicate"])
        #expect(outcome.diagnostics.map(\.description) == [
            "warning: cboe_spx_small.json: options[6]: option: not an option symbol: \"SPXW2608\"; record skipped",
            "info: cboe_spx_small.json: SPX260821P06300000: zero_bid (bid 0.00, ask 0.05)",
            "warning: cboe_spx_small.json: SPXW260716C06250000: crossed (bid 12.00, ask 11.50)",
            "warning: cboe_spx_small.json: SPXW260821C06200000: duplicate (bid 95.10, ask 96.30)",
        ])
    }

    @Test func cboeJSONToleratesAByteOrderMark() throws {
        let url = AdapterTestPaths.fixtures.appendingPathComponent("Good/cboe_spx_small.json")
        let data = Data([0xEF, 0xBB, 0xBF]) + (try Data(contentsOf: url))
        let outcome = try Adapters.parse(.cboeOptionsJSON, data: data, context: AdapterContext(sourceName: "bom.json"))
        #expect(outcome.chains.first?.quotes.count == 6)
    }

    @Test func cboeJSONAgainstAnotherAsOfIsStale() throws {
        let outcome = try Self.parse(.cboeOptionsJSON, "cboe_spx_small.json", asOf: "2026-07-15")
        #expect(outcome.chains[0].quotes.allSatisfy { $0.flags.contains(.staleSession) })
        #expect(outcome.diagnostics.last?.message == "snapshot session 2026-07-14 is not the as-of session 2026-07-15")
    }

    @Test(arguments: ["datashop_calcs.csv", "datashop_calcs.zip"])
    func dataShopKeepsBothQuoteSets(name: String) throws {
        let outcome = try Self.parse(.cboeDataShopEOD, name)
        #expect(outcome.chains.map(\.quoteSet) == [.at1545, .eod])
        let (at1545, eod) = (outcome.chains[0], outcome.chains[1])
        #expect(at1545.session == CalendarDate(iso: "2026-07-14")! && at1545.spot == 6240.5 && eod.spot == 6243.75)
        #expect(at1545.capturedAt == "2026-07-14T15:45:00-04:00" && eod.capturedAt == "2026-07-14T16:00:00-04:00")
        let c = Self.contract("SPXW260821C06200000")
        #expect(at1545.quotes[0] == OptionQuote(contract: c, bid: 94.8, ask: 96, bidSize: 10, askSize: 12, last: 95.5, volume: 120,
                                                openInterest: 5000, vendorIV: 0.1432, vendorDelta: 0.5612))
        #expect(eod.quotes[0] == OptionQuote(contract: c, bid: 95.1, ask: 96.3, bidSize: 11, askSize: 13, last: 95.5, volume: 120,
                                             openInterest: 5000))
        // A strike with a fraction stays exact; a crossed 15:45 quote and a missing EOD bid are flagged, not dropped.
        #expect(at1545.quotes[2].contract.strikeMilli == 6_300_500)
        #expect(at1545.quotes[2].flags == .crossed && eod.quotes[2].flags == .missingField)
        #expect(at1545.quotes[1].last == nil)
        #expect(outcome.diagnostics.map(\.description) == [
            "warning: \(name) [2026-07-14 1545]: SPXW260821C06300500: crossed (bid 41.00, ask 40.00)",
            "warning: \(name) [2026-07-14 eod]: SPXW260821C06300500: missing_field (bid NaN, ask 41.20)",
        ])
    }

    @Test func dataShopWithoutCalcsUsesTheUnderlyingMid() throws {
        let outcome = try Self.parse(.cboeDataShopEOD, "datashop_nocalcs.csv")
        #expect(outcome.chains.count == 2 && outcome.chains[0].spot == 6240.5 && outcome.chains[0].quotes[0].vendorIV == nil)
    }

    @Test func optionsDXSplitsCallAndPutAndDerivesTheRoot() throws {
        let outcome = try Self.parse(.optionsDXEOD, "optionsdx_spx_eod.txt")
        #expect(outcome.chains.map(\.session) == [CalendarDate(iso: "2020-07-15")!, CalendarDate(iso: "2020-07-16")!])
        let day1 = outcome.chains[0]
        #expect(day1.underlying == "^SPX" && day1.spot == 3226.56 && day1.capturedAt == "2020-07-15 16:00" && day1.quotes.count == 4)
        #expect(day1.quotes.map(\.contract.symbol) == ["SPX200717C02800000", "SPX200717P02800000",
                                                      "SPXW200720C03225000", "SPXW200720P03225000"])
        // OptionsDX publishes no open interest (NaN, which never compares equal, so compare around it).
        var call = day1.quotes[0]
        #expect(call.openInterest.isNaN)
        call.openInterest = 0
        #expect(call == OptionQuote(contract: Self.contract("SPX200717C02800000"), bid: 420.5, ask: 425.3, bidSize: 10, askSize: 10,
                                    last: 425.25, volume: 12, openInterest: 0, vendorIV: 0.61, vendorDelta: 0.97))
        #expect(day1.quotes[1].bidSize == 0 && day1.quotes[1].askSize == 170 && day1.quotes[1].volume == 0)
        // Empty IV: no vendor IV, and so no vendor delta either.
        #expect(day1.quotes[2].vendorIV == nil && day1.quotes[2].vendorDelta == nil && day1.quotes[2].last == nil)
        #expect(outcome.chains[1].quotes.first?.contract.symbol == "SPX200821C03215000")
        let fixed = try Self.parse(.optionsDXEOD, "optionsdx_spx_eod.txt", options: ["root": "SPXW"])
        #expect(fixed.chains[0].quotes[0].contract.root == "SPXW")
    }

    /// 2014-04-18 was Good Friday: the standard April expiry moved to Thursday 2014-04-17, which is
    /// therefore AM-settled SPX, while the Friday after is an SPXW date.
    @Test func optionsDXRootFollowsTheStandardExpiryAcrossHolidays() throws {
        let header = "[QUOTE_DATE], [UNDERLYING_LAST], [EXPIRE_DATE], [C_DELTA], [C_IV], [C_VOLUME], [C_LAST], [C_SIZE], [C_BID], [C_ASK], [STRIKE], [P_BID], [P_ASK], [P_SIZE], [P_LAST], [P_DELTA], [P_IV], [P_VOLUME]"
        let row = { (expiry: String) in " 2014-04-01, 1885.5, \(expiry), 0.5, 0.12, 1, 10, 1 x 1, 10, 11, 1885, 9, 10, 1 x 1, 9, -0.5, 0.13, 1" }
        let text = [header, row("2014-04-17"), row("2014-04-25"), row("2014-05-16")].joined(separator: "\n")
        let outcome = try Adapters.parse(.optionsDXEOD, data: Data(text.utf8), context: AdapterContext(sourceName: "dx.txt"))
        #expect(outcome.chains.first?.quotes.map(\.contract.root) == ["SPX", "SPX", "SPXW", "SPXW", "SPX", "SPX"])
        #expect(outcome.diagnostics.isEmpty, "\(outcome.diagnostics)")
    }

    /// A DataShop file can hold several quote dates (and a zip several files): one snapshot pair each.
    @Test func dataShopGroupsByQuoteDate() throws {
        let url = AdapterTestPaths.fixtures.appendingPathComponent("Good/datashop_calcs.csv")
        let text = try String(contentsOf: url, encoding: .utf8)
        let lines = text.split(separator: "\r\n")
        let nextDay = lines.dropFirst().map { $0.replacingOccurrences(of: "2026-07-14", with: "2026-07-15") }
        let combined = ([String(lines[0])] + nextDay + lines.dropFirst().map(String.init)).joined(separator: "\n")
        let outcome = try Adapters.parse(.cboeDataShopEOD, data: Data(combined.utf8), context: AdapterContext(sourceName: "two.csv"))
        #expect(outcome.chains.map { "\($0.session) \($0.quoteSet.rawValue) \($0.quotes.count)" }
                == ["2026-07-14 1545 3", "2026-07-14 eod 3", "2026-07-15 1545 3", "2026-07-15 eod 3"])
    }

    @Test func indexHistorySingleSeriesNamesItsSymbol() throws {
        let data = Data("\u{FEFF}DATE,VVIX\r\n03/06/2006,71.73\r\n03/07/2006,72.5\r\n".utf8)
        let outcome = try Adapters.parse(.cboeIndexHistory, data: data, context: AdapterContext(sourceName: "x.csv"))
        #expect(outcome.bars == [IndexBar(symbol: "VVIX", date: CalendarDate(iso: "2006-03-06")!, close: 71.73),
                                 IndexBar(symbol: "VVIX", date: CalendarDate(iso: "2006-03-07")!, close: 72.5)])
    }

    @Test func yahooNullRowsAreSkippedWithANote() throws {
        let data = Data("Date,Open,High,Low,Close,Adj Close,Volume\n2020-01-02,1,2,0.5,1.5,1.5,100\n2020-01-03,null,null,null,null,null,null\n".utf8)
        let outcome = try Adapters.parse(.ohlcCSV, data: data, context: AdapterContext(sourceName: "^GSPC.csv"))
        #expect(outcome.bars == [IndexBar(symbol: "^GSPC", date: CalendarDate(iso: "2020-01-02")!, open: 1, high: 2, low: 0.5, close: 1.5)])
        #expect(outcome.diagnostics.map(\.description) == ["info: ^GSPC.csv:3: null row (no data for 2020-01-03); row skipped"])
    }

    @Test func curveMarksWeekliesCarryingAMonthlysValue() throws {
        let data = Data("expiration_date,symbol,settlement\n2026-07-15,VX28/N6,17.3067\n2026-07-22,VX/N6,17.3067\n2026-08-19,VX/Q6,18.5\n2026-08-26,VX34/Q6,18.61\n".utf8)
        let asOf = CalendarDate(iso: "2026-07-14")!
        let outcome = try Adapters.parse(.cfeVXCurve, data: data, context: AdapterContext(sourceName: "c.csv", asOf: asOf))
        #expect(outcome.futures.map(\.symbol) == ["VX28/N6", "VX/N6", "VX/Q6", "VX34/Q6"])
        #expect(outcome.futures.map(\.isWeekly) == [true, false, false, true])
        #expect(outcome.futures[3] == VIXFutureSettlement(tradeDate: asOf, symbol: "VX34/Q6", expiry: CalendarDate(iso: "2026-08-26")!,
                                                          settle: 18.61, isWeekly: true))
        #expect(outcome.diagnostics.map(\.description) == ["info: c.csv:2: VX28/N6 settlement equals VX/N6's (carried from the monthly, not its own)"])
    }

    @Test func everyKindHasAStableName() {
        #expect(SourceKind.allCases.map(\.rawValue) == ["cboe_options_json", "cboe_datashop_eod", "optionsdx_eod", "cfe_vx_history",
                                                        "cfe_vx_curve", "cfe_settlement_csv", "cboe_index_history", "ohlc_csv", "fred_csv",
                                                        "treasury_par_curve", "breadth_csv", "events_csv"])
    }

    @Test func strikeTextIsExact() {
        #expect(FieldParsing.milli("5000") == 5_000_000)
        #expect(FieldParsing.milli("5000.5") == 5_000_500)
        #expect(FieldParsing.milli("12.375") == 12_375)
        #expect(FieldParsing.milli("5000.000000") == 5_000_000)
        #expect(FieldParsing.milli("1.0005") == nil)
        #expect(FieldParsing.milli("-5") == nil && FieldParsing.milli("5e3") == nil && FieldParsing.milli("") == nil)
    }

    /// Seeded round trip: random numbers written the way Cboe writes them scan back bit-exactly.
    @Test func jsonScannerNumbersMatchStrtod() throws {
        var rng = SeededGenerator(seed: 7_141_990)
        var values: [Double] = []
        for _ in 0..<2000 {
            let v: Double
            switch rng.next() % 4 {
            case 0: v = Double(rng.next() % 1_000_000) / 100          // prices to cents
            case 1: v = Double(Int64(bitPattern: rng.next()) % 10_000_000) / 1e7   // greeks, signed
            case 2: v = Double(rng.next() % 100_000)                  // sizes
            default: v = Double(bitPattern: 0x3FF0_0000_0000_0000 | (rng.next() >> 12)) * 1e3   // 17 digits: slow path
            }
            values.append(v)
        }
        let text = "[" + values.map { "\($0)" }.joined(separator: ",") + "]"
        let bytes = Array(text.utf8)
        let scanned: [Double] = try bytes.withUnsafeBytes { raw in
            var s = JSONScanner(raw, source: "t")
            var out: [Double] = []
            var first = true
            try s.beginArray("$")
            while try s.nextElement(first: &first) { out.append(try s.number()) }
            return out
        }
        for (a, b) in zip(values, scanned) { #expect(a.bitPattern == b.bitPattern, "seed 7141990: \(a) scanned as \(b)") }
    }
}


/// Seeded property: a Cboe-shaped chain written with Swift's shortest round-trip number text
/// (which uses exponents for small greeks, `1.2e-05`) and random nulls reads back exactly.
@Suite struct CboeJSONRoundTripTests {
    @Test func randomChainsReadBackExactly() throws {
        for seed in UInt64(1)...20 {
            var rng = SeededGenerator(seed: seed)
            var expected: [OptionQuote] = []
            var records: [String] = []
            let count = Int(rng.next() % 300) + 1
            for i in 0..<count {
                let contract = OptionContract(root: rng.next() % 2 == 0 ? "SPX" : "SPXW",
                                              expiry: CalendarDate(iso: "2026-08-21")!.adding(days: Int(rng.next() % 400)),
                                              right: rng.next() % 2 == 0 ? .call : .put, strikeMilli: 1_000 * (1000 + i * 5))
                func price() -> Double { Double(rng.next() % 500_000) / 100 }
                let bidIsNull = rng.next() % 17 == 0
                let bid = bidIsNull ? Double.nan : price(), ask = price()
                let iv = rng.next() % 5 == 0 ? 0 : Double(rng.next() % 2_000_000) / 1e6
                let delta = (Double(rng.next() % 2_000_001) - 1_000_000) / 1e6
                let gamma = Double(rng.next() % 1000) * 1e-8
                let traded = rng.next() % 3 != 0
                let last = price()
                expected.append(OptionQuote(contract: contract, bid: bid, ask: ask, bidSize: Double(rng.next() % 500),
                                            askSize: Double(rng.next() % 500), last: traded ? last : nil,
                                            volume: Double(rng.next() % 9999), openInterest: Double(rng.next() % 99999),
                                            vendorIV: iv > 0 ? iv : nil, vendorDelta: iv > 0 ? delta : nil))
                let q = expected[i]
                records.append("""
                {"option":"\(contract.symbol)","bid":\(bidIsNull ? "null" : "\(bid)"),"bid_size":\(q.bidSize),"ask":\(ask),\
                "ask_size":\(q.askSize),"iv":\(iv),"open_interest":\(q.openInterest),"volume":\(q.volume),"delta":\(delta),\
                "gamma":\(gamma),"tick":"no_change","last_trade_price":\(last),\
                "last_trade_time":\(traded ? "\"2026-07-14T15:00:00\"" : "null"),"note":"caf\\u00e9 \\"x\\""}
                """)
            }
            let text = #"{"timestamp":"2026-07-15 03:56:30","symbol":"_SPX","data":{"symbol":"^SPX","current_price":6000.5,"#
                + #""last_trade_time":"2026-07-14T16:14:59","options":["# + records.joined(separator: ",\n") + "]}}"
            let outcome = try Adapters.parse(.cboeOptionsJSON, data: Data(text.utf8), context: AdapterContext(sourceName: "seed\(seed)"))
            let got = try #require(outcome.chains.first).quotes
            #expect(got.count == expected.count, "seed \(seed)")
            for (g, e) in zip(got, expected) {
                var g = g, e = e
                #expect(g.bid.isNaN == e.bid.isNaN, "seed \(seed) \(e.contract)")
                g.bid = g.bid.isNaN ? 0 : g.bid; e.bid = e.bid.isNaN ? 0 : e.bid
                g.flags = []
                #expect(g == e, "seed \(seed): \(g) != \(e)")
            }
        }
    }
}
