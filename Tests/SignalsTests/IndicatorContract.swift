import Foundation
import Testing
import VixShieldTestSupport
@testable import Signals

/// The one contract every indicator meets, checked by one helper:
/// 1. no value before `warmUpCount`, a value at every observation from it on (exact warm-up);
/// 2. after the warm-up, every component matches the reference within `tolerance` (absolute, scaled by
///    max(1, |reference|));
/// 3. gaps: output dates are the input dates, and re-dating the same observations onto consecutive
///    days gives identical values (the indicator runs over observations, never over the calendar);
/// 4. reset: a state that has seen other data, once reset, reproduces the fresh run; running twice
///    gives identical output.
///
/// `reference[i]` is nil where no value is expected, else the expected components at observation i;
/// `components` maps an output to the same components.
func checkIndicatorContract<I: StreamingIndicator>(
    _ indicator: I, label: String, inputs: DatedSeries<I.Input>, reference: [[Double]?],
    components: (I.Output) -> [Double], tolerance: Double = 1e-9,
    sourceLocation: SourceLocation = #_sourceLocation
) throws {
    try #require(reference.count == inputs.count, "\(label): reference has \(reference.count) rows for \(inputs.count) inputs",
                 sourceLocation: sourceLocation)
    let out = try indicator.compute(over: inputs)
    #expect(out.dates == inputs.dates, "\(label): output dates differ from input dates", sourceLocation: sourceLocation)

    // 1. Exact warm-up.
    let firstValue = out.values.firstIndex { $0 != nil }
    #expect(firstValue == indicator.warmUpCount, "\(label): first value at \(String(describing: firstValue)), warm-up \(indicator.warmUpCount)",
            sourceLocation: sourceLocation)
    let missingAfter = out.values.indices.filter { $0 >= indicator.warmUpCount && out.values[$0] == nil }
    #expect(missingAfter.isEmpty, "\(label): no value at \(missingAfter.prefix(5)) after the warm-up", sourceLocation: sourceLocation)

    // 2. Reference.
    var worst = (error: 0.0, index: -1)
    for i in out.values.indices {
        switch (out.values[i], reference[i]) {
        case (nil, nil): continue
        case (let v?, let r?):
            let got = components(v)
            try #require(got.count == r.count, "\(label): \(got.count) components vs \(r.count) in the reference", sourceLocation: sourceLocation)
            for (g, e) in zip(got, r) {
                let err = abs(g - e) / max(1, abs(e))
                if !(err <= worst.error) { worst = (err.isNaN ? .infinity : err, i) }
            }
        case (let v, let r):
            Issue.record("\(label): at \(i) (\(inputs.dates[i])) value \(v.map { "\(components($0))" } ?? "nil") vs reference \(r.map { "\($0)" } ?? "nil")",
                         sourceLocation: sourceLocation)
        }
    }
    #expect(worst.error <= tolerance,
            "\(label): worst scaled error \(worst.error) at \(worst.index) (\(worst.index >= 0 ? inputs.dates[worst.index].isoString : "-")), tolerance \(tolerance)",
            sourceLocation: sourceLocation)

    // 3. Gaps: same observations on consecutive dates give the same values.
    let start = inputs.dates.first ?? CalendarDate(year: 2000, month: 1, day: 3)!
    let consecutive = try DatedSeries(dates: inputs.dates.indices.map { start.adding(days: $0) }, values: inputs.values)
    let redated = try indicator.compute(over: consecutive)
    #expect(zip(redated.values, out.values).allSatisfy { same($0, $1, components) }, "\(label): values depend on the calendar gaps",
            sourceLocation: sourceLocation)

    // 4. Reset and recompute.
    var used = indicator
    for value in inputs.values.reversed().prefix(inputs.count / 2) { _ = used.update(value) }
    used.reset()
    var streamed: [I.Output?] = []
    for value in inputs.values { streamed.append(used.update(value)) }
    #expect(zip(streamed, out.values).allSatisfy { same($0, $1, components) }, "\(label): reset state differs from a fresh one",
            sourceLocation: sourceLocation)
    let again = try indicator.compute(over: inputs)
    #expect(zip(again.values, out.values).allSatisfy { same($0, $1, components) }, "\(label): recompute differs",
            sourceLocation: sourceLocation)
}

private func same<O>(_ a: O?, _ b: O?, _ components: (O) -> [Double]) -> Bool {
    switch (a, b) {
    case (nil, nil): return true
    case (let x?, let y?): return components(x) == components(y)
    default: return false
    }
}

// MARK: - Reference fixture

/// `Fixtures/indicator-reference.csv`, written once by `scripts/make-indicator-reference.py` (TA-Lib
/// 0.8.1 for RSI and MACD, NumPy type-7 percentiles for the bands; the header names the versions).
struct IndicatorReference {
    var closes: DatedSeries<Double>
    var rsi: [Double?]
    var macd: [[Double]?]
    var bands: [[Double]?]
    var header: [String]

    static func load() throws -> IndicatorReference {
        let url = try #require(Bundle.module.url(forResource: "indicator-reference", withExtension: "csv", subdirectory: "Fixtures"))
        let text = try String(contentsOf: url, encoding: .utf8)
        var header: [String] = [], dates: [CalendarDate] = [], closes: [Double] = []
        var rsi: [Double?] = [], macd: [[Double]?] = [], bands: [[Double]?] = []
        for line in text.split(separator: "\n") {
            if line.hasPrefix("#") { header.append(String(line)); continue }
            if line.hasPrefix("date,") { continue }
            let f = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            try #require(f.count == 8, "bad fixture row \(line)")
            dates.append(try #require(CalendarDate(iso: f[0])))
            closes.append(try #require(Double(f[1])))
            let v = f[2...].map { Double($0) }
            rsi.append(v[0])
            macd.append(v[1].flatMap { a in v[2].flatMap { b in v[3].map { c in [a, b, c] } } })
            bands.append(v[4].flatMap { a in v[5].map { b in [a, b] } })
        }
        return IndicatorReference(closes: try DatedSeries(dates: dates, values: closes), rsi: rsi, macd: macd, bands: bands, header: header)
    }
}

// MARK: - Contract suites

@Suite("Indicator contract")
struct IndicatorContractTests {
    @Test("RSI(14) matches TA-Lib 0.8.1 to 1e-9, first value at index 14")
    func rsi() throws {
        let ref = try IndicatorReference.load()
        #expect(ref.header.first?.contains("TA-Lib") == true)
        #expect(gapCount(ref.closes) > 10, "the fixture must contain gaps")
        try checkIndicatorContract(try RSI(), label: "RSI(14)", inputs: ref.closes, reference: ref.rsi.map { $0.map { [$0] } },
                                   components: { [$0] })
        #expect(try RSI().warmUpCount == 14)
    }

    @Test("MACD(12, 26, 9) matches TA-Lib 0.8.1 to 1e-9, first value at index 33")
    func macd() throws {
        let ref = try IndicatorReference.load()
        let macd = try MACD()
        #expect(macd.warmUpCount == 33)
        try checkIndicatorContract(macd, label: "MACD(12,26,9)", inputs: ref.closes, reference: ref.macd,
                                   components: { [$0.line, $0.signal, $0.histogram] })
    }

    @Test("Adaptive RSI bands (252, 10/90) match NumPy linear percentiles to 1e-9, first value at 14 + 251")
    func bands() throws {
        let ref = try IndicatorReference.load()
        let adaptive = try RSI().then(PercentileBands())
        #expect(adaptive.warmUpCount == 265)
        try checkIndicatorContract(adaptive, label: "RSI bands", inputs: ref.closes, reference: ref.bands,
                                   components: { [$0.low, $0.high] })
    }

    @Test("Realized volatility, every estimator, 10 and 21 sessions, against a direct per-window recomputation")
    func realizedVolatility() throws {
        let seed: UInt64 = 0xB0A7_2026
        let bars = syntheticBars(count: 160, seed: seed)
        for estimator in RealizedVolatilityEstimator.allCases {
            for n in [10, 21] {
                let rv = try RealizedVolatility(estimator, windowSessions: n)
                let reference = directRealizedVolatility(bars.values, estimator: estimator, n: n).map { $0.map { [$0] } }
                try checkIndicatorContract(rv, label: "RV \(estimator) \(n) seed \(seed)", inputs: bars, reference: reference,
                                           components: { [$0 ?? .nan] }, tolerance: 1e-12)
            }
        }
    }

    @Test("A/D line and divergence against a direct recomputation")
    func breadth() throws {
        var rng = SeededGenerator(seed: 0xADAD)
        let dates = gappyDates(count: 120, rng: &rng)
        let counts = dates.map { _ in BreadthCount(advances: Int(rng.next() % 3000), declines: Int(rng.next() % 3000)) }
        let series = try DatedSeries(dates: dates, values: counts)
        var level = 0.0
        let expectedLine = counts.map { c -> [Double]? in level += Double(c.advances - c.declines); return [level] }
        try checkIndicatorContract(AdvanceDeclineLine(), label: "A/D line", inputs: series, reference: expectedLine, components: { [$0] })

        var close = 4000.0
        let points = expectedLine.map { line -> IndexBreadthPoint in
            close *= 1 + 0.01 * (rng.nextUnitDouble() - 0.48)
            return IndexBreadthPoint(indexClose: close, advanceDeclineLevel: line![0])
        }
        let lookback = 20
        let expected: [[Double]?] = points.indices.map { i in
            guard i >= lookback else { return nil }
            let prev = points[(i - lookback)..<i]
            let p = points[i]
            if p.indexClose > prev.map(\.indexClose).max()!, p.advanceDeclineLevel <= prev.map(\.advanceDeclineLevel).max()! { return [-1] }
            if p.indexClose < prev.map(\.indexClose).min()!, p.advanceDeclineLevel >= prev.map(\.advanceDeclineLevel).min()! { return [1] }
            return [0]
        }
        try checkIndicatorContract(try BreadthDivergence(lookback: lookback), label: "divergence", inputs: try DatedSeries(dates: dates, values: points),
                                   reference: expected, components: { [Double($0.rawValue)] })
    }
}

// MARK: - Helpers

/// Missing weekdays between consecutive observations (the fixture's sessions are weekdays).
func gapCount(_ s: DatedSeries<Double>) -> Int {
    zip(s.dates, s.dates.dropFirst()).filter { a, b in
        let days = b.days(since: a)
        return days == 2 || days > 3 || (days == 3 && a.isoWeekday != 5)
    }.count
}

/// Weekdays from 2015-01-05 with about 5 % dropped (the gaps).
func gappyDates(count: Int, rng: inout SeededGenerator) -> [CalendarDate] {
    var out: [CalendarDate] = [], d = CalendarDate(year: 2015, month: 1, day: 5)!
    while out.count < count {
        if !d.isWeekend && rng.nextUnitDouble() >= 0.05 { out.append(d) }
        d = d.adding(days: 1)
    }
    return out
}

/// Seeded OHLC bars on gappy dates; every 37th bar is close-only to exercise the range estimators' nil.
func syntheticBars(count: Int, seed: UInt64, closeOnlyEvery: Int? = nil) -> DatedSeries<PriceBar> {
    var rng = SeededGenerator(seed: seed)
    let dates = gappyDates(count: count, rng: &rng)
    var close = 4000.0
    let bars = dates.indices.map { i -> PriceBar in
        let open = close * exp(0.004 * (rng.nextUnitDouble() - 0.5))
        close = open * exp(0.02 * (rng.nextUnitDouble() - 0.5))
        let high = max(open, close) * (1 + 0.006 * rng.nextUnitDouble())
        let low = min(open, close) * (1 - 0.006 * rng.nextUnitDouble())
        if let every = closeOnlyEvery, i % every == every - 1 { return PriceBar(close: close) }
        return PriceBar(open: open, high: high, low: low, close: close)
    }
    return try! DatedSeries(dates: dates, values: bars)
}

/// Textbook per-window formulas, recomputed from scratch at every index (no shared state with the
/// streaming implementation): the reference for the contract.
func directRealizedVolatility(_ bars: [PriceBar], estimator: RealizedVolatilityEstimator, n: Int) -> [Double?] {
    func sampleVar(_ x: [Double]) -> Double { let m = x.reduce(0, +) / Double(x.count); return x.map { ($0 - m) * ($0 - m) }.reduce(0, +) / Double(x.count - 1) }
    return bars.indices.map { i -> Double? in
        switch estimator {
        case .closeToClose:
            guard i >= n else { return nil }
            let r = ((i - n + 1)...i).map { log(bars[$0].close / bars[$0 - 1].close) }
            return (sampleVar(r) * 252).squareRoot()
        case .parkinson:
            guard i >= n - 1 else { return nil }
            let t = ((i - n + 1)...i).map { pow(log(bars[$0].high! / bars[$0].low!), 2) / (4 * log(2.0)) }
            return (t.reduce(0, +) / Double(n) * 252).squareRoot()
        case .garmanKlass:
            guard i >= n - 1 else { return nil }
            let t = ((i - n + 1)...i).map { j -> Double in
                let b = bars[j]
                return 0.5 * pow(log(b.high! / b.low!), 2) - (2 * log(2.0) - 1) * pow(log(b.close / b.open!), 2)
            }
            return (t.reduce(0, +) / Double(n) * 252).squareRoot()
        case .yangZhang:
            guard i >= n else { return nil }
            let w = (i - n + 1)...i
            let overnight = w.map { log(bars[$0].open! / bars[$0 - 1].close) }
            let openClose = w.map { log(bars[$0].close / bars[$0].open!) }
            let rs = w.map { j -> Double in
                let b = bars[j]
                return log(b.high! / b.close) * log(b.high! / b.open!) + log(b.low! / b.close) * log(b.low! / b.open!)
            }
            let k = 0.34 / (1.34 + Double(n + 1) / Double(n - 1))
            return ((sampleVar(overnight) + k * sampleVar(openClose) + (1 - k) * rs.reduce(0, +) / Double(n)) * 252).squareRoot()
        }
    }
}
