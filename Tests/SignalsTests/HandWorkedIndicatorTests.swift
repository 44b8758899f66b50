import Foundation
import Testing
import VixShieldTestSupport
@testable import Signals

/// Small cases worked by hand (arithmetic in the comments; tolerance 1e-12 relative).
@Suite("Realized volatility and breadth, hand-worked")
struct HandWorkedIndicatorTests {
    // Three bars: C = 100, 110, 99; bars 2 and 3 have O/H/L = 108/112/107 and 104/106/98.
    static let bars = try! DatedSeries(dates: [CalendarDate(year: 2026, month: 1, day: 5)!, CalendarDate(year: 2026, month: 1, day: 6)!,
                                               CalendarDate(year: 2026, month: 1, day: 8)!],  // the 7th is missing: a gap
                                       values: [PriceBar(close: 100), PriceBar(open: 108, high: 112, low: 107, close: 110),
                                                PriceBar(open: 104, high: 106, low: 98, close: 99)])

    static func last(_ e: RealizedVolatilityEstimator) throws -> Double? {
        try RealizedVolatility(e, windowSessions: 2).compute(over: bars).values.last!.flatMap { $0 }
    }

    @Test func closeToClose() throws {
        // r = ln(110/100) = 0.0953101798, ln(99/110) = −0.1053605157; mean −0.0050251679;
        // deviations ±0.1003353478; Σd² / (n − 1 = 1) = 0.0201343640; × 252 = 5.0738597; √ = 2.2525229700.
        let v = try #require(try Self.last(.closeToClose))
        #expect(abs(v / 2.2525229699550664 - 1) < 1e-12, "got \(v)")
    }

    @Test func parkinson() throws {
        // ln(112/107) = 0.0456700368, ln(106/98) = 0.0784716154; squares / (4 ln 2 = 2.7725887) =
        // 0.000752276112, 0.002220954872; mean 0.001486615492 × 252 = 0.374627104; √ = 0.6120678916.
        let v = try #require(try Self.last(.parkinson))
        #expect(abs(v / 0.6120678916270986 - 1) < 1e-12, "got \(v)")
    }

    @Test func garmanKlass() throws {
        // ½ ln(H/L)² − (2 ln 2 − 1) ln(C/O)²: bar 2: ½·0.0020857933 − 0.3862944·(ln(110/108) = 0.0183491387)²
        // = 0.000912814340; bar 3: ½·0.0061578948 − 0.3862944·(ln(99/104) = −0.0492710490)² = 0.002141115013;
        // mean 0.001526964677 × 252 = 0.384795099; √ = 0.6203185460.
        let v = try #require(try Self.last(.garmanKlass))
        #expect(abs(v / 0.6203185459665221 - 1) < 1e-12, "got \(v)")
    }

    @Test func yangZhang() throws {
        // Overnight ln(108/100) = 0.0769610411, ln(104/110) = −0.0560894667: sample var 0.0088512188.
        // Open-close 0.0183491387, −0.0492710490: sample var 0.0022862449.
        // Rogers–Satchell: ln(112/110)ln(112/108) + ln(107/110)ln(107/108) = 0.000912516;
        // ln(106/99)ln(106/104) + ln(98/99)ln(98/104) = 0.001904647; mean 0.0014085815.
        // k = 0.34 / (1.34 + 3/1) = 0.0783410138. σ² = 0.0088512188 + k·0.0022862449 + (1 − k)·0.0014085815
        // = 0.0103285573 per session; × 252 = 2.60279644; √ = 1.6133184567.
        let v = try #require(try Self.last(.yangZhang))
        #expect(abs(v / 1.6133184567132386 - 1) < 1e-12, "got \(v)")
    }

    @Test("Range estimators give nil while a close-only bar is in the window, a value once it leaves")
    func closeOnlyBars() throws {
        let bars = syntheticBars(count: 60, seed: 42, closeOnlyEvery: 25)  // bars 24 and 49 are close-only
        for e in [RealizedVolatilityEstimator.parkinson, .garmanKlass, .yangZhang] {
            let out = try RealizedVolatility(e, windowSessions: 10).compute(over: bars).values
            #expect(out[23]! != nil && out[24]! == nil && out[33]! == nil && out[34]! != nil, "\(e): \(out[23...34].map { $0! })")
        }
        let cc = try RealizedVolatility(.closeToClose, windowSessions: 10).compute(over: bars).values
        #expect(cc[10...].allSatisfy { $0! != nil }, "close-to-close needs only closes")
    }

    @Test("A/D line: 1500−1000, 800−2000, 1200−1200 → 500, −700, −700")
    func adLine() throws {
        let d = (5...7).map { CalendarDate(year: 2026, month: 1, day: $0)! }
        let s = try DatedSeries(dates: d, values: [BreadthCount(advances: 1500, declines: 1000), BreadthCount(advances: 800, declines: 2000),
                                                   BreadthCount(advances: 1200, declines: 1200)])
        #expect(try AdvanceDeclineLine().compute(over: s).values == [500, -700, -700])
    }

    @Test("Divergence, lookback 3: a new index high on a lower A/D line is bearish; the mirror is bullish")
    func divergence() throws {
        // Index 100, 101, 102, then 103 (a new 3-day high) while the A/D line (10, 12, 14, then 13) is below its
        // high 14: bearish. Then 99 (below the previous low 101) with the line at 13 ≥ previous low 12: bullish.
        // Then 103.5 with the line at 20 (a confirmed new high): none.
        let idx = [100, 101, 102, 103, 99, 103.5], line = [10.0, 12, 14, 13, 13, 20]
        let d = idx.indices.map { CalendarDate(year: 2026, month: 2, day: 2 + $0)! }
        let s = try DatedSeries(dates: d, values: zip(idx, line).map { IndexBreadthPoint(indexClose: $0, advanceDeclineLevel: $1) })
        #expect(try BreadthDivergence(lookback: 3).compute(over: s).values == [nil, nil, nil, .bearish, .bullish, Divergence.none])
    }

    @Test("Bad inputs throw typed errors instead of trapping")
    func badInputs() throws {
        let d = [CalendarDate(year: 2026, month: 1, day: 5)!, CalendarDate(year: 2026, month: 1, day: 5)!]
        #expect(throws: SignalsError.datesNotIncreasing(d[1])) { try DatedSeries(dates: d, values: [1.0, 2.0]) }
        let nan = try DatedSeries(dates: [d[0]], values: [Double.nan])
        #expect(throws: SignalsError.invalidValue(d[0], "not finite")) { try RSI().compute(over: nan) }
        #expect(throws: SignalsError.self) { try RSI(period: 1) }
        #expect(throws: SignalsError.self) { try MACD(fast: 26, slow: 12) }
        #expect(throws: SignalsError.self) { try PercentileBands(lowPercentile: 90, highPercentile: 10) }
        let empty = try DatedSeries<Double>(dates: [], values: [])
        #expect(try MACD().compute(over: empty).isEmpty)
    }

    @Test("RSI of a flat series reads 50, not TA-Lib's 0")
    func flatRSI() throws {
        let d = (0..<20).map { CalendarDate(year: 2026, month: 3, day: 2)!.adding(days: $0) }
        let out = try RSI().compute(over: try DatedSeries(dates: d, values: Array(repeating: 100.0, count: 20)))
        #expect(out.values[14...].allSatisfy { $0 == 50 })
    }
}
