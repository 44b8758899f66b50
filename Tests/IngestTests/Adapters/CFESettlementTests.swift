import Foundation
import Testing
import VixShieldTestSupport
import VixShieldCore
@testable import Ingest

/// The live CFE settlement file (`Product,Symbol,Expiration Date,Price`) and the CDN's per-contract
/// `VX_{expiry}.csv` histories. Fixtures are written by hand in the live layouts (CRLF line ends).
@Suite("CFE settlement file and CDN per-contract history")
struct CFESettlementTests {
    static func fixture(_ name: String) throws -> Data {
        try Data(contentsOf: AdapterTestPaths.fixtures.appendingPathComponent("Good").appendingPathComponent(name))
    }

    static let asOf = CalendarDate(iso: "2026-07-14")!

    @Test func liveLayoutKeepsVXAndVXMAndMarksCarriedWeeklies() throws {
        let data = try Self.fixture("cfe_settlement_2026-07-14.csv")
        let outcome = try Adapters.parse(.cfeSettlementCSV, data: data,
                                         context: AdapterContext(sourceName: "settle.csv", asOf: Self.asOf))
        #expect(outcome.futures.map(\.symbol) == ["VX28/N6", "VX/N6", "VX30/N6", "VX31/Q6", "VX/Q6", "VX/U6", "VXM/N6", "VXM/Q6"])
        #expect(outcome.futures.map(\.isWeekly) == [true, false, true, true, false, false, false, false])
        #expect(outcome.futures.allSatisfy { $0.tradeDate == Self.asOf })
        #expect(outcome.futures[6] == VIXFutureSettlement(tradeDate: Self.asOf, symbol: "VXM/N6", expiry: CalendarDate(iso: "2026-07-22")!,
                                                          settle: 17.45, isWeekly: false))
        #expect(outcome.diagnostics.map(\.description) == [
            "warning: settle.csv:12: Symbol: not a VX symbol: \"VX/B6\"; row skipped",
            "info: settle.csv:1: 2 rows of other CFE products skipped (IBHY 1, VA 1)",
            "info: settle.csv:5: VX30/N6 price equals VX/N6's (carried from the monthly, not its own)",
        ])
        // VX28/N6 (17.3067) is its own settlement; VXM/N6 equals VX/N6 but is a monthly of another product.
        #expect(Adapters.carriedWeeklySymbols(outcome.futures) == ["VX30/N6"])
    }

    @Test func curveOfAnotherDayIsRefused() throws {
        let data = try Self.fixture("cfe_settlement_2026-07-14.csv")
        // A day after VX/N6 settled: the file cannot be that day's.
        let later = CalendarDate(iso: "2026-07-23")!
        #expect(throws: AdapterError(source: "s.csv", line: 3,
                                     "curve cannot belong to 2026-07-23: VX28/N6 expired on 2026-07-15 (a different day's file)")) {
            try Adapters.parse(.cfeSettlementCSV, data: data, context: AdapterContext(sourceName: "s.csv", asOf: later))
        }
        // Long before: the June contract (2026-06-17) was listed then, so a July front month is a later file.
        let earlier = CalendarDate(iso: "2026-06-10")!
        #expect(throws: AdapterError(source: "s.csv",
                                     "curve cannot belong to 2026-06-10: its front VX monthly expires 2026-07-22, after 2026-06-17, the first monthly listed that day (a later day's file)")) {
            try Adapters.parse(.cfeSettlementCSV, data: data, context: AdapterContext(sourceName: "s.csv", asOf: earlier))
        }
        #expect(throws: AdapterError.self) {
            try Adapters.parse(.cfeSettlementCSV, data: data, context: AdapterContext(sourceName: "s.csv"))
        }
    }

    @Test func fileWithOnlyOtherProductsIsAnError() {
        let data = Data("Product,Symbol,Expiration Date,Price\r\nIBHY,IBHY/N6,2026-07-31,103.25\r\n".utf8)
        #expect(throws: AdapterError(source: "s.csv", "no VX or VXM rows (1 rows of other products)")) {
            try Adapters.parse(.cfeSettlementCSV, data: data, context: AdapterContext(sourceName: "s.csv", asOf: Self.asOf))
        }
    }

    @Test func fingerprintIsOrderAndDateIndependentAndPriceSensitive() throws {
        let data = try Self.fixture("cfe_settlement_2026-07-14.csv")
        let rows = try Adapters.parse(.cfeSettlementCSV, data: data,
                                      context: AdapterContext(sourceName: "s.csv", asOf: Self.asOf)).futures
        let print0 = Adapters.curveFingerprint(rows)
        #expect(print0.count == 16 && print0.allSatisfy { $0.isHexDigit })
        var rng = SeededGenerator(seed: 20_260_714)
        for _ in 0..<5 { #expect(Adapters.curveFingerprint(rows.shuffled(using: &rng)) == print0, "seed 20260714") }
        let redated = rows.map { VIXFutureSettlement(tradeDate: $0.tradeDate.adding(days: 1), symbol: $0.symbol, expiry: $0.expiry,
                                                     settle: $0.settle, isWeekly: $0.isWeekly) }
        #expect(Adapters.curveFingerprint(redated) == print0)
        var bumped = rows
        bumped[3].settle += 0.0001
        #expect(Adapters.curveFingerprint(bumped) != print0)
        #expect(Adapters.curveFingerprint(Array(rows.dropLast())) != print0)
    }

    @Test func cdnPerContractFileLoadsThroughTheHistoryKind() throws {
        let monthly = try Adapters.parse(.cfeVXHistory, data: Self.fixture("VX_2026-08-19.csv"),
                                         context: AdapterContext(sourceName: "https://cdn.cboe.com/x/VX/VX_2026-08-19.csv"))
        #expect(monthly.futures.map(\.settle) == [18.625, 18.375, 18.5])
        #expect(monthly.futures.allSatisfy { $0.symbol == "VX/Q6" && $0.expiry == CalendarDate(iso: "2026-08-19")! && !$0.isWeekly })
        #expect(monthly.diagnostics.isEmpty, "\(monthly.diagnostics)")
        // A file dated off the monthly rule is that month's weekly.
        let weekly = try Adapters.parse(.cfeVXHistory, data: Self.fixture("VX_2026-07-29.csv"),
                                        context: AdapterContext(sourceName: "VX_2026-07-29.csv"))
        #expect(weekly.futures.map(\.symbol) == ["VX30/N6", "VX30/N6"])
        #expect(weekly.futures.allSatisfy { $0.isWeekly && $0.expiry == CalendarDate(iso: "2026-07-29")! })
        // A Futures month that disagrees with the file's date is a corrupt row.
        let wrong = Data("Trade Date,Futures,Open,High,Low,Close,Settle,Change,Total Volume,EFP,Open Interest\r\n2026-07-14,U (Sep 2026),1,1,1,1,19.1,0,1,0,1\r\n".utf8)
        #expect(throws: AdapterError.self) {
            try Adapters.parse(.cfeVXHistory, data: wrong, context: AdapterContext(sourceName: "VX_2026-07-29.csv"))
        }
    }
}
